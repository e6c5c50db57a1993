"""The work plan (milestones and their Gantt chart) and the communication plan."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from projects import access
from projects.inline import back_to, inline_delete, inline_edit, inline_list

from . import baselines
from .forms import BaselineForm, CommunicationForm, MilestoneForm
from .gantt import gantt_svg, gantt_table_rows, items_for
from .ics import plan_ics as build_ics
from .pdf import plan_pdf as build_pdf

PLAN = "plan/plan.html"
COMMS = "plan/communications.html"
# htmx event the Gantt panel listens for: any milestone change redraws it, wherever the
# editor is embedded (the plan page, alignment session 2).
CHANGED = "milestones-changed"


def milestones_of(project):
    return project.milestones.with_baselined().select_related("owner").prefetch_related("depends_on")


def communications_of(project):
    return project.communications.select_related("owner").prefetch_related("audience")


def communications_context(project) -> dict:
    """The plan, and who the RACI matrix says to consult or inform, reached by it or not."""
    from raci.summary import communication_needs

    communications = list(communications_of(project))
    covered = {person.pk for item in communications for person in item.audience.all()}
    # A communication to a group ("Procurement Project Board") reaches the stakeholder of that
    # name or organisation, though nobody is picked as its audience.
    groups = {item.audience_group for item in communications if item.audience_group.strip()}
    return {"communications": communications, "raci_needs": communication_needs(project, covered, groups=groups)}


def _next_url(request):
    return back_to(request, None)


def _changed(request, response):
    if request.method == "POST" and request.htmx:
        trigger_client_event(response, CHANGED)
    return response


def _gantt_context(request, project, milestones):
    """The chart compared with the baseline `?baseline=N` names (404 if the project has none
    of that number), else with the latest; slip and the grey bars are that baseline's."""
    baseline = baselines.chosen(project, request.GET.get("baseline"))
    items = items_for(milestones, baselines.with_entries(baseline) if baseline else None)
    return {
        # Callables: the template draws the chart only where it shows it, not for the table partial.
        "gantt": lambda: gantt_svg(items),
        "gantt_rows": lambda: gantt_table_rows(items),
        # Open milestones only: the rule of the dashboard, the admin and the report (slipping_open).
        "slipping": sorted((i for i in items if i.slip_days and i.is_open), key=lambda i: -i.slip_days),
        "baseline": baseline,
        "all_baselines": lambda: list(project.baselines.order_by("-number")),
        # The number "Set baseline" gives: after the latest, whichever one the page compares with.
        "next_baseline": lambda: (
            (project.baselines.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        ),
        "not_baselined": sum(1 for i in items if not i.in_baseline),
    }


def _editor_context(request, project, next_url=None):
    milestones = list(milestones_of(project))
    return {
        "milestones": milestones,
        "next_url": next_url,
        "can_edit": access.allowed(request.user, project, "edit"),
        **_gantt_context(request, project, milestones),
    }


def milestone_editor(request, project, next_url=None, auto_id="id_%s") -> str:
    """The inline milestone editor (table + add form) as HTML, for embedding in another page.

    Its forms carry `next`, so without JavaScript every post comes back to `next_url`.
    `auto_id` makes the add form's element ids unique on a page that shows other forms (its
    field names stay as they are, so the posts are the same).
    """
    context = {
        "project": project,
        "form": MilestoneForm(project=project, auto_id=auto_id),
        **_editor_context(request, project, next_url),
    }
    return render_to_string(f"{PLAN}#table", context, request=request)


# Milestones -------------------------------------------------------------------------------


@vary_on_headers("HX-Request")
@access.methods("GET", "POST")
def plan(request, slug):
    project = access.project_for(request.user, slug, "view")

    def context():
        ctx = _editor_context(request, project, _next_url(request))
        ctx["communications"] = communications_of(project)
        ctx["baseline_form"] = BaselineForm()
        return ctx

    response = inline_list(
        request,
        project,
        form_class=MilestoneForm,
        template=PLAN,
        list_url=reverse("plan:plan", args=[slug]),
        context=context,
    )
    return _changed(request, response)


@access.methods("GET")
def plan_gantt(request, slug):
    """The Gantt panel alone: the plan page reloads it after a milestone changes."""
    project = access.project_for(request.user, slug, "view")
    milestones = list(milestones_of(project))
    return render(request, f"{PLAN}#gantt", {"project": project, **_gantt_context(request, project, milestones)})


@access.methods("POST")
def baseline_set(request, slug):
    """Set baseline N+1: every milestone's planned dates, named and with a reason."""
    project = access.project_for(request.user, slug, "edit")
    form = BaselineForm(request.POST)
    if form.is_valid():
        baseline = baselines.baseline_set(project=project, by=request.user, **form.cleaned_data)
        count = baseline.entries.count()
        messages.success(
            request,
            f"Set baseline {baseline.number} “{baseline.name}”: the planned dates of {count} "
            f"milestone{pluralize(count)} are recorded, and slip is measured against them from now on.",
        )
        return redirect("plan:plan", slug)
    ctx = {
        "project": project,
        "form": MilestoneForm(project=project),
        "baseline_form": form,
        **_editor_context(request, project),
        "communications": communications_of(project),
    }
    return render(request, PLAN, ctx, status=400)


@access.methods("GET", "POST")
def milestone_edit(request, slug, pk):
    project = access.project_for(request.user, slug, "view")
    obj = access.obj_or_404(project.milestones.with_baselined().select_related("owner"), pk=pk)
    response = inline_edit(
        request,
        project,
        obj,
        form_class=MilestoneForm,
        template=PLAN,
        list_url=reverse("plan:plan", args=[slug]),
        context=lambda: {"next_url": _next_url(request)},
    )
    return _changed(request, response)


@access.methods("GET", "POST")
def milestone_delete(request, slug, pk):
    project = access.project_for(request.user, slug, "view")
    obj = access.obj_or_404(project.milestones, pk=pk)
    response = inline_delete(request, project, obj, list_url=reverse("plan:plan", args=[slug]), what="milestone")
    return _changed(request, response)


def _move(queryset, obj, direction):
    """Swap `obj` with its neighbour and renumber the list 0..n-1 in one UPDATE."""
    ids = list(queryset.values_list("pk", flat=True))
    i = ids.index(obj.pk)
    j = i - 1 if direction == "up" else i + 1 if direction == "down" else i
    if j == i or not 0 <= j < len(ids):
        return False
    ids[i], ids[j] = ids[j], ids[i]
    model = queryset.model
    # Reordering is not an edit of the record: no version bump, so open edit forms stay valid.
    model.objects.bulk_update([model(pk=pk, position=n) for n, pk in enumerate(ids)], ["position"])
    return True


@access.methods("POST")
def milestone_move(request, slug, pk):
    project = access.project_for(request.user, slug, "edit")
    obj = access.obj_or_404(project.milestones, pk=pk)
    _move(project.milestones.all(), obj, request.POST.get("direction"))
    if request.htmx:
        context = {
            "project": project,
            "form": MilestoneForm(project=project),
            **_editor_context(request, project, _next_url(request)),
        }
        return _changed(request, render(request, f"{PLAN}#table", context))
    return redirect(back_to(request, reverse("plan:plan", args=[slug])))


@access.methods("GET")
def plan_pdf(request, slug):
    project = access.project_for(request.user, slug, "view")
    baseline = baselines.chosen(project, request.GET.get("baseline"))
    pdf = build_pdf(project, list(milestones_of(project)), baseline=baseline, entries=baselines.with_entries(baseline))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{project.slug}-work-plan.pdf"'
    return response


@access.methods("GET")
def plan_ics(request, slug):
    project = access.project_for(request.user, slug, "view")
    response = HttpResponse(
        build_ics(project, list(milestones_of(project))), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-work-plan.ics"'
    return response


# Communication plan -----------------------------------------------------------------------


@vary_on_headers("HX-Request")
@access.methods("GET", "POST")
def communications(request, slug):
    project = access.project_for(request.user, slug, "view")
    return inline_list(
        request,
        project,
        form_class=CommunicationForm,
        template=COMMS,
        list_url=reverse("plan:communications", args=[slug]),
        context=lambda: communications_context(project),
    )


@access.methods("GET", "POST")
def communication_edit(request, slug, pk):
    project = access.project_for(request.user, slug, "view")
    obj = access.obj_or_404(project.communications.select_related("owner"), pk=pk)
    return inline_edit(
        request,
        project,
        obj,
        form_class=CommunicationForm,
        template=COMMS,
        list_url=reverse("plan:communications", args=[slug]),
    )


@access.methods("GET", "POST")
def communication_delete(request, slug, pk):
    project = access.project_for(request.user, slug, "view")
    obj = access.obj_or_404(project.communications, pk=pk)
    return inline_delete(
        request, project, obj, list_url=reverse("plan:communications", args=[slug]), what="communication"
    )


@access.methods("POST")
def communication_move(request, slug, pk):
    project = access.project_for(request.user, slug, "edit")
    obj = access.obj_or_404(project.communications, pk=pk)
    _move(project.communications.all(), obj, request.POST.get("direction"))
    if request.htmx:
        context = {
            "project": project,
            "form": CommunicationForm(project=project),
            "can_edit": True,
            **communications_context(project),
        }
        return render(request, f"{COMMS}#table", context)
    return redirect(back_to(request, reverse("plan:communications", args=[slug])))
