"""Highlight report pages: the list, one report (editor + live preview, or read-only once
issued), issuing, the PDF download and the rendering progress that htmx polls."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.vary import vary_on_headers

from alignment.models import Minutes
from projects import access

from . import rendering, services
from .forms import NewReportForm, ReportForm
from .models import HighlightReport


def _report(project, number):
    return access.obj_or_404(project.reports.select_related("issued_by"), number=number)


@vary_on_headers("HX-Request")
@access.methods("GET", "POST")
def report_list(request, slug):
    project = access.project_for(request.user, slug, "view")
    can_edit = access.allowed(request.user, project, "edit")
    start, end = services.next_period(project)
    form = NewReportForm(initial={"period_start": start, "period_end": end})
    if request.method == "POST":
        access.require(request.user, project, "edit")
        form = NewReportForm(request.POST)
        if form.is_valid():
            try:
                report = services.report_create(
                    project=project,
                    period_start=form.cleaned_data["period_start"],
                    period_end=form.cleaned_data["period_end"],
                )
            except services.DraftExists as exists:
                # A double click, or someone else started one: one draft at a time.
                messages.info(request, str(exists))
                return redirect("reports:report", slug, exists.draft.number)
            messages.success(request, f"Started highlight report {report.number}, prefilled from the last one.")
            return redirect("reports:report", slug, report.number)
    reports = project.reports.select_related("issued_by").defer("pdf", "draft_pdf", "snapshot")
    return render(
        request,
        "reports/list.html",
        {"project": project, "reports": reports, "form": form, "can_edit": can_edit},
    )


def _page_context(request, project, report, form=None):
    data = services.report_snapshot(report)
    context = services.report_data(report, data)
    # An issued report is superseded by the next issued one; a draft older than an issued
    # report can no longer be issued (rendering.report_issue).
    later = project.reports.issued().filter(number__gt=report.number).order_by("number")
    later = later.values_list("number", flat=True)
    superseded_by = later.first() if report.is_issued else None
    stale_draft_of = later.last() if not report.is_issued else None
    context.update(
        {
            "project": project,
            "form": form,
            "can_edit": not report.is_issued and access.allowed(request.user, project, "edit"),
            "can_issue": not report.is_issued
            and not stale_draft_of
            and access.allowed(request.user, project, "manage"),
            "can_render": access.allowed(request.user, project, "edit"),
            "superseded_by": superseded_by,
            "stale_draft_of": stale_draft_of,
        }
    )
    return context


@vary_on_headers("HX-Request")
@access.methods("GET", "POST")
def report_edit(request, slug, number):
    project = access.project_for(request.user, slug, "view")
    report = _report(project, number)
    form = None
    if not report.is_issued and access.allowed(request.user, project, "edit"):
        form = ReportForm(instance=report, project=project)
    if request.method == "POST":
        access.require(request.user, project, "edit")
        if report.is_issued:
            messages.error(request, "This report has been issued and can no longer change. Start a new report instead.")
            if request.htmx:
                response = HttpResponse(status=200)
                response["HX-Redirect"] = reverse("reports:report", args=[slug, number])
                return response
            return redirect("reports:report", slug, number)
        form = ReportForm(request.POST, instance=report, project=project)
        if form.is_valid() and form.save_versioned():
            if request.htmx:
                fresh = ReportForm(instance=report, project=project)
                context = _page_context(request, project, report, fresh)
                # After a merge, the sections someone else changed are swapped into this page, so
                # it shows (and next saves) the version it now carries.
                for name in form.taken_theirs:
                    widget = fresh.fields[name].widget
                    css = (
                        "form-select"
                        if isinstance(widget, forms.Select)
                        else "form-check-input"
                        if isinstance(widget, forms.CheckboxInput)
                        else "form-control"
                    )
                    widget.attrs.update({"hx-swap-oob": "true", "class": css})
                context["theirs_fields"] = [fresh[name] for name in form.taken_theirs]
                return render(request, "reports/edit.html#autosaved", context)
            messages.success(request, "Saved the draft.")
            return redirect("reports:report", slug, number)
        report.refresh_from_db()
        if report.is_issued:  # issued while this save was on its way: nothing was saved
            messages.error(
                request, form.non_field_errors()[0] if form.non_field_errors() else "This report has been issued."
            )
            if request.htmx:
                response = HttpResponse(status=200)
                response["HX-Redirect"] = reverse("reports:report", args=[slug, number])
                return response
            return redirect("reports:report", slug, number)
        if request.htmx:
            response = render(request, "reports/edit.html#report-form", _page_context(request, project, report, form))
            response["HX-Retarget"] = "#report-form"
            response["HX-Reswap"] = "outerHTML"
            return response
    return render(request, "reports/edit.html", _page_context(request, project, report, form))


@access.methods("POST")
def report_issue(request, slug, number):
    project = access.project_for(request.user, slug, "manage")
    report = _report(project, number)
    try:
        issued = rendering.report_issue(report=report, by=request.user)
    except services.IssueRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("reports:report", slug, number)
    if issued:
        messages.success(request, f"Issued highlight report {report.number}. Its PDF is kept exactly as issued.")
    else:
        messages.info(request, f"Highlight report {report.number} was already issued; nothing changed.")
    return redirect("reports:report", slug, number)


@access.methods("GET", "POST")
def report_discard(request, slug, number):
    """Discard a draft: GET asks for confirmation (the no-JavaScript path), POST deletes it.
    Those who may edit reports may discard a draft; issued reports never."""
    project = access.project_for(request.user, slug, "edit")
    report = _report(project, number)
    if report.is_issued:
        messages.error(request, f"Highlight report {number} has been issued, so it can never be discarded.")
        return _redirect(request, reverse("reports:report", args=[slug, number]))
    if request.method == "GET":
        return render(request, "reports/discard.html", {"project": project, "report": report})
    try:
        services.report_discard(report=report, by=request.user)
    except services.DiscardRefused as refusal:
        messages.error(request, str(refusal))
        return _redirect(request, reverse("reports:reports", args=[slug]))
    messages.success(request, f"Discarded the draft of highlight report {number}. The history keeps a record of it.")
    return _redirect(request, reverse("reports:reports", args=[slug]))


def _redirect(request, url):
    """A redirect that htmx follows as a whole page (a 302 would be swapped in as a fragment)."""
    if request.htmx:
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _status(request, project, report):
    return render(request, "reports/_render_status.html", _status_context(request, project, report))


def _status_context(request, project, report):
    return {"project": project, "report": report, "can_render": access.allowed(request.user, project, "edit")}


@access.methods("GET")
def report_status(request, slug, number):
    """What htmx polls while the PDF task runs."""
    project = access.project_for(request.user, slug, "view")
    report = access.obj_or_404(
        project.reports.only(
            "pk",
            "number",
            "project",
            "issued_at",
            "render_state",
            "render_error",
            "pdf_sha256",
            "draft_pdf_key",
        ),
        number=number,
    )
    if request.htmx:
        return _status(request, project, report)
    return render(request, "reports/progress.html", _status_context(request, project, report))


@access.methods("POST")
def report_render(request, slug, number):
    """Ask for the PDF again (a draft, or an issued report whose rendering failed)."""
    project = access.project_for(request.user, slug, "edit")
    report = _report(project, number)
    rendering.request_render(report)
    if request.htmx:
        return _status(request, project, report)
    return redirect("reports:report-pdf", slug, number)


@access.methods("GET")
def report_pdf(request, slug, number):
    """The PDF: an issued report's stored bytes, for ever; a draft's rendered on demand.
    While the rendering task runs, a page shows its progress."""
    project = access.project_for(request.user, slug, "view")
    report = _report(project, number)
    pdf = rendering.stored_pdf(report)
    if pdf is None and not (report.is_issued and report.render_state == report.RenderState.FAILED):
        rendering.request_render(report)
        pdf = rendering.stored_pdf(report)
    if pdf is None:
        return render(request, "reports/progress.html", _status_context(request, project, report))
    state = "issued" if report.is_issued else "draft"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{project.slug}-highlight-report-{report.number}-{state}.pdf"'
    )
    if report.is_issued:
        response["ETag"] = f'"{report.pdf_sha256}"'
        response["Cache-Control"] = "private, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "private, no-store"
    return response


@access.methods("GET")
def documents(request, slug):
    """The project's documents in one place: every version of the sessions' frozen minutes, the
    issued highlight reports (both frozen, byte for byte), and the brief and plan as they are now."""
    project = access.project_for(request.user, slug, "view")
    minutes = Minutes.objects.filter(project=project).select_related("session").defer(*Minutes.heavy_fields())
    issued = project.reports.issued().select_related("issued_by").defer(*HighlightReport.heavy_fields())
    return render(
        request,
        "reports/documents.html",
        {
            "project": project,
            "minutes": sorted(minutes, key=lambda m: (m.session.number, -m.number)),
            "issued": issued,
        },
    )
