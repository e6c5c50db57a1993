"""Baselines: "Set baseline" records every milestone's planned dates, and the Gantt, plan.pdf
and the report compare with the baseline chosen (the latest unless asked otherwise)."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from projects.models import Project

from .models import Baseline, BaselineEntry, Milestone


def planned_dates(milestone: Milestone):
    """(start, end) a new baseline records: the planned start, and the end as now planned
    (the forecast end where one is given, else the planned end). A start after that end
    moves to it, so the baseline is a bar that can be drawn."""
    end = milestone.forecast_end or milestone.baseline_end
    start = milestone.baseline_start
    if start and end and start > end:
        start = end
    return start, end


@transaction.atomic
def baseline_set(*, project: Project, by, name: str, reason: str) -> Baseline:
    """Record baseline N+1 of every milestone and make it the current baseline.

    Locks the project row, so two people setting a baseline at once get numbers N+1 and N+2
    in turn. Each milestone's `baseline_start`/`baseline_end` take the new dates through
    save() (its history shows the move) with its version bumped, so an edit form opened
    before the baseline is a conflict rather than a silent overwrite."""
    Project.objects.select_for_update().filter(pk=project.pk).first()
    last = project.baselines.order_by("-number").values_list("number", flat=True).first() or 0
    baseline = Baseline(project=project, number=last + 1, name=name, reason=reason, set_at=timezone.now(), set_by=by)
    baseline.full_clean()
    baseline.save()
    entries = []
    for milestone in project.milestones.select_for_update().order_by("pk"):
        start, end = planned_dates(milestone)
        entries.append(BaselineEntry(baseline=baseline, milestone=milestone, name=milestone.name, start=start, end=end))
        if (start, end) != (milestone.baseline_start, milestone.baseline_end):
            milestone.baseline_start, milestone.baseline_end = start, end
            milestone.version += 1  # under the row lock: no form's conditional save is in between
            milestone.save()
    BaselineEntry.objects.bulk_create(entries)
    return baseline


def latest(project: Project) -> Baseline | None:
    return project.baselines.select_related("set_by").order_by("-number").first()


def chosen(project: Project, number: str | None) -> Baseline | None:
    """The baseline `?baseline=<number>` asks for (the latest when absent); 404 for a number
    the project has no baseline of."""
    if number in (None, ""):
        return latest(project)
    if not str(number).isdigit():
        raise Http404("No such baseline.")
    baseline = project.baselines.select_related("set_by").filter(number=int(number)).first()
    if baseline is None:
        raise Http404("No such baseline.")
    return baseline


def with_entries(baseline: Baseline | None) -> dict[int, BaselineEntry]:
    """{milestone id: its entry} of `baseline`, in one query."""
    if baseline is None:
        return {}
    return {e.milestone_id: e for e in baseline.entries.filter(milestone__isnull=False)}


def milestone_baseline(milestone: Milestone) -> tuple[Baseline, BaselineEntry] | None:
    """The latest baseline this milestone is in, with its entry, or None (not yet baselined)."""
    entry = (
        BaselineEntry.objects.filter(milestone=milestone)
        .select_related("baseline__set_by")
        .order_by("-baseline__number")
        .first()
    )
    return (entry.baseline, entry) if entry else None
