"""Import and export pages: upload, preview (nothing saved), confirm (one transaction), downloads."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify

from mobilise.spreadsheets import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    SpreadsheetError,
    pack_sheets,
    read_workbook,
    unpack_sheets,
    write_workbook,
)
from projects import access
from projects.importing import Reading, available_kinds, importer_class, importer_for

from . import ocds
from .export import export_project
from .forms import ReadingForm, UploadForm
from .models import ImportReading, PendingImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND_LABELS = {
    "stakeholders": "Stakeholders",
    "milestones": "Milestones (work plan)",
    "communications": "Communication plan",
    "risks": "Risk register",
    "issues": "Issue log",
    "raci": "RACI matrix",
}
KIND_PAGES = {
    "stakeholders": "projects:stakeholders",
    "milestones": "plan:plan",
    "communications": "plan:communications",
    "risks": "risks:register",
    "issues": "risks:issues",
    "raci": "raci:matrix",
}
PREVIEW_ROWS = 300  # rows listed in the preview; the counts cover them all


def _kind_or_404(kind):
    if importer_class(kind) is None:
        raise Http404
    return kind


def _page_for(project, kind):
    try:
        return reverse(KIND_PAGES[kind], args=[project.slug])
    except NoReverseMatch:
        return reverse("exchange:data", args=[project.slug])


def _download(data, filename):
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access.methods("GET")
def data(request, slug):
    project = access.project_for(request.user, slug, "view")
    kinds = [
        {
            "kind": k,
            "label": KIND_LABELS[k],
            "export_url": reverse(f"exchange:{k}-xlsx", args=[slug]),
            "import_url": reverse("exchange:import", args=[slug, k]),
        }
        for k in available_kinds()
    ]
    limits = {
        "upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "unpacked_mb": MAX_UNCOMPRESSED_BYTES // (1024 * 1024),
        "rows": MAX_ROWS,
        "columns": MAX_COLUMNS,
    }
    return render(
        request,
        "exchange/data.html",
        {
            "project": project,
            "kinds": kinds,
            "limits": limits,
            "can_edit": access.allowed(request.user, project, "edit"),
            "can_manage": access.allowed(request.user, project, "manage"),
            "can_restore": access.allowed(request.user, project, "restore"),
        },
    )


@access.methods("GET")
def export_kind(request, slug, kind):
    project = access.project_for(request.user, slug, "view")
    sheet = importer_for(_kind_or_404(kind), project).export_sheet()
    return _download(write_workbook([sheet]), f"{project.slug}-{kind}.xlsx")


def export_view(kind):
    @access.methods("GET")
    def view(request, slug):
        return export_kind(request, slug, kind)

    view.__name__ = f"export_{kind}"
    return view


@access.methods("GET")
def export_all(request, slug):
    project = access.project_for(request.user, slug, "view")
    return _download(export_project(project), f"{project.slug}.xlsx")


def _json(request, data, filename):
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@access.methods("GET")
def ocds_package(request, slug):
    """The OCDS release package: what OCDS tools (the Data Review Tool, libcoveocds) read."""
    project = access.project_for(request.user, slug, "view")
    package = ocds.release_package(project, base_url=request.build_absolute_uri("/").rstrip("/"))
    return _json(request, package, f"{slugify(project.slug)}-ocds.json")


@access.methods("GET")
def ocds_release(request, slug):
    """The bare release, for tools that take one release at a time."""
    project = access.project_for(request.user, slug, "view")
    release = ocds.project_release(project, base_url=request.build_absolute_uri("/").rstrip("/"))
    return _json(request, release, f"{slugify(project.slug)}-ocds-release.json")


@access.methods("GET", "POST")
def upload(request, slug, kind):
    project = access.project_for(request.user, slug, "edit")
    kind = _kind_or_404(kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read(MAX_UPLOAD_BYTES + 1)
        filename = form.cleaned_data["file"].name[-200:]
        sheet = form.cleaned_data["sheet"].strip()
        importer = importer_for(kind, project)
        try:  # the only time the file is read: the preview and the confirmation use what is kept
            sheets = read_workbook(content, filename)
        except SpreadsheetError as exc:
            preview = importer.refused(filename, exc)
        else:
            del content
            remembered, title = ImportReading.for_sheets(project=project, kind=kind, sheets=sheets, sheet=sheet)
            if remembered is not None:
                preview = importer.preview_sheets(sheets, filename, title, Reading.from_json(remembered))
                preview.notes.insert(
                    0,
                    "Read the way it was chosen for the last file with these headers in this project; change "
                    "anything under “How to read this file”.",
                )
            else:
                preview = importer.preview_sheets(sheets, filename, sheet or None)
        if preview.sheet:  # the file opened and a table was found: keep it for the preview page
            PendingImport.purge_stale()
            PendingImport.make_room(project=project, user=request.user, kind=kind)
            pending = PendingImport.objects.create(
                project=project,
                user=request.user,
                kind=kind,
                filename=filename,
                sheet=sheet,
                workbook=pack_sheets(sheets),
                preview=preview.summary(importer.describe, PREVIEW_ROWS),
            )
            return redirect("exchange:import-preview", project.slug, kind, pending.pk)
    return render(
        request,
        "exchange/upload.html",
        {
            "project": project,
            "kind": kind,
            "kind_label": KIND_LABELS[kind],
            "form": form,
            "problems": [str(p) for p in preview.problems] if preview else [],
            "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        },
    )


class AlreadyImported(Exception):
    pass


@access.methods("GET", "POST")
def preview(request, slug, kind, token):
    """The upload's preview, drawn from what the upload read and planned (a GET reads, never
    writes); another sheet is planned from the kept cells. Confirming plans once more against
    the project as it is now, then claims the upload and imports in one transaction."""
    project = access.project_for(request.user, slug, "edit")
    kind = _kind_or_404(kind)
    try:  # another person's or another project's upload is a 404 like any foreign id
        # The kept cells (megabytes) are loaded only when another sheet or the confirmation needs them.
        pending = PendingImport.objects.defer("workbook").get(pk=token, project=project, user=request.user, kind=kind)
    except (PendingImport.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    context = {"project": project, "kind": kind, "kind_label": KIND_LABELS[kind], "pending": pending}
    if pending.imported_at is not None:
        if request.method == "POST":
            messages.info(request, f"{pending.filename} has already been imported; nothing more was saved.")
            return redirect(_page_for(project, kind))
        return render(request, "exchange/preview.html", {**context, "imported": True})

    importer = importer_for(kind, project)
    summary = pending.preview
    sheet = (request.POST.get("sheet") if request.method == "POST" else request.GET.get("sheet")) or ""
    changed = ""
    if request.method == "POST":
        # The choices are read against what the page showed (its reading, posted back), so an
        # unchanged form gives back exactly that reading.
        shown = pending_shown(request, pending.preview)
        summary = {
            **summary,
            "reading": shown,
            "header_row": shown.get("header_row") or summary.get("header_row"),
            "words_used": list((shown.get("words") or {}).items()),
        }
        form = _reading_form(importer, summary, request.POST)
        if not form.is_valid():
            messages.error(request, "Nothing was imported: check the choices under “How to read this file”.")
            return _preview_page(request, context, importer, summary, form)
        reading = form.reading()
        result = importer.preview_sheets(
            unpack_sheets(pending.workbook),
            pending.filename,
            sheet or summary.get("sheet") or pending.sheet or None,
            reading,
        )
        summary = result.summary(importer.describe, PREVIEW_ROWS)
        if request.POST.get("confirm") and reading.as_json() != Reading.from_json(shown).as_json():
            changed = "You changed how the file is read: check the rows below, then import. Nothing was saved."
        elif request.POST.get("confirm") and result.can_import:
            try:
                with transaction.atomic():
                    if not PendingImport.claim(pending.pk):  # another confirmation got there first
                        raise AlreadyImported
                    counts = importer.apply(result, user=request.user)
                    ImportReading.remember(
                        project=project,
                        kind=kind,
                        headers_key=result.headers_key,
                        headers=" | ".join(c.header for c in result.all_columns if c.header),
                        reading=result.reading.as_json(),
                        user=request.user,
                    )
            except AlreadyImported:
                messages.info(request, f"{pending.filename} has already been imported; nothing more was saved.")
                return redirect(_page_for(project, kind))
            except SpreadsheetError as exc:
                messages.error(request, f"Nothing was imported: {exc}")
            else:
                messages.success(
                    request,
                    f"Imported {result.filename}: {counts['created']} added, {counts['updated']} updated"
                    + (f", {counts['stakeholders']} new stakeholders" if counts["stakeholders"] else "")
                    + ".",
                )
                return redirect(_page_for(project, kind))
        elif request.POST.get("confirm"):
            messages.error(
                request,
                "Nothing was imported: answer the questions and fix the problems listed below (or upload the file "
                "again).",
            )
    elif sheet and sheet.strip().lower() != summary.get("sheet", "").strip().lower():
        # Another sheet: planned from the kept cells for this page only (a GET saves nothing).
        result = importer.preview_sheets(unpack_sheets(pending.workbook), pending.filename, sheet)
        summary = result.summary(importer.describe, PREVIEW_ROWS)
    if changed:
        messages.warning(request, changed)
    return _preview_page(request, context, importer, summary, _reading_form(importer, summary))


def pending_shown(request, summary):
    """The reading the page showed, posted back with the choices (a hidden field); without it,
    the upload's own."""
    try:
        shown = json.loads(request.POST["shown"]) if "shown" in request.POST else summary.get("reading")
    except ValueError:
        shown = None
    return shown if isinstance(shown, dict) else {}


def _reading_form(importer, summary, data=None):
    scale = importer.scale_size() if any(f.type == "scale" for f in importer.fields) else None
    return ReadingForm(data, summary=summary, fields=importer.choosable_fields(), scale_size=scale)


def _preview_page(request, context, importer, summary, form):
    return render(
        request,
        "exchange/preview.html",
        {
            **context,
            "preview": summary,
            "form": form,
            "shown": json.dumps(summary.get("reading") or {}),
            "more_rows": max(summary.get("row_count", 0) - len(summary.get("rows", [])), 0),
            "more_problems": summary.get("problem_count", 0) - len(summary.get("problems", [])),
            "more_warnings": summary.get("warning_count", 0) - len(summary.get("warnings", [])),
            "scale": importer.scale_size() if context["kind"] == "risks" else None,
        },
    )
