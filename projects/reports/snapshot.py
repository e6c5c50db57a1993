"""The data a highlight report shows, as plain JSON: built from live records for a draft,
frozen into HighlightReport.snapshot when the report is issued.

An issued report renders only from its snapshot and its stored text, so everything the PDF
shows (milestones with their Gantt items, risks, financial figures, communications, the RACI
section) is here. Reports sit above the plan, risk and RACI areas, so they import them.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

import raci
from projects.plan.gantt import GanttItem
from projects.plan.models import BaselineEntry
from risks.models import Issue, Risk, settings_for

SNAPSHOT_VERSION = 1


def _iso(value):
    return value.isoformat() if value else None


def _money(value):
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


# Milestones -------------------------------------------------------------------------------


def milestone_rows(project):
    """Every milestone as a dict, each with the GanttItem the chart draws, the number of the
    latest baseline it is in (None: not yet baselined) and the milestones it waits for that
    end after it starts."""
    in_baseline = dict(
        BaselineEntry.objects.filter(baseline__project=project, milestone__isnull=False)
        .values_list("milestone_id")
        .annotate(number=Max("baseline__number"))
    )
    rows = []
    for m in (
        project.milestones.select_related("owner")
        .prefetch_related("depends_on")
        .order_by("position", "baseline_end", "id")
    ):
        row = {
            "id": m.pk,
            "name": m.name,
            "within": m.within_project,
            "kind": m.get_kind_display(),
            "owner": m.owner.name if m.owner else "",
            "baseline_start": _iso(m.baseline_start),
            "baseline_end": _iso(m.baseline_end),
            "forecast_end": _iso(m.forecast_end),
            "actual_end": _iso(m.actual_end),
            "status": m.status,
            "status_label": m.get_status_display(),
            "slip_days": m.slip_days,
            "baseline_number": in_baseline.get(m.pk),
            "waits_for_later": [d.name for d in m.starts_before_dependencies_end],
            "gantt": GanttItem.from_milestone(m).to_dict(),
        }
        rows.append(row)
    return rows


# Risks ------------------------------------------------------------------------------------


def risk_rows(project):
    """The live risk register, highest score first."""
    rows = []
    for risk in Risk.objects.filter(project=project).select_related("owner"):
        rows.append(
            {
                "id": risk.pk,
                "reference": risk.reference,
                "event": risk.event,
                "likelihood": risk.likelihood,
                "impact": risk.impact,
                "score": risk.score,
                "action": risk.mitigating_action,
                "owner": risk.owner.name if risk.owner else "",
                "status": risk.status,
                "closed": risk.status == Risk.Status.CLOSED,
            }
        )
    return sort_risks(rows)


def risk_scale(project):
    """The project's risk scale and band thresholds, frozen with the risks they score."""
    settings = settings_for(project)
    return {"scale": settings.scale, "thresholds": list(settings.thresholds)}


def _reference_order(reference):
    """R2 before R10: the number, not the text (snapshots store only the reference)."""
    digits = "".join(ch for ch in reference if ch.isdigit())
    return (int(digits) if digits else 0, reference)


def sort_risks(rows):
    return sorted(rows, key=lambda r: (r["closed"], -r["score"], -r["impact"], _reference_order(r["reference"])))


# Issues -----------------------------------------------------------------------------------


def issue_rows(project):
    """The issue log, open first, then by priority. Risk rows of older snapshots may carry
    "kind": "issue" (issues were a kind of risk then); those snapshots have no "issues"."""
    return [
        {
            "id": issue.pk,
            "reference": issue.reference,
            "title": issue.title,
            "type": issue.get_issue_type_display(),
            "priority": issue.priority,
            "priority_label": issue.get_priority_display(),
            "owner": issue.owner.name if issue.owner else "",
            "action": issue.action,
            "status": issue.status,
            "closed": issue.status == Issue.Status.CLOSED,
            "raised_on": _iso(issue.raised_on),
            "closed_on": _iso(issue.closed_on),
        }
        for issue in Issue.objects.filter(project=project).select_related("owner").in_log_order()
    ]


# Communications, money, the rest -------------------------------------------------------------


def communication_rows(project):
    rows = []
    for item in project.communications.select_related("owner").prefetch_related("audience"):
        audience = [s.name for s in item.audience.all()]
        rows.append(
            {
                "audience": item.audience_group or ", ".join(audience),
                "purpose": item.purpose,
                "channel": item.get_channel_display(),
                "frequency": item.get_frequency_display(),
                "owner": item.owner.name if item.owner else "",
                "next_date": _iso(item.next_date),
            }
        )
    return rows


def financial(project):
    return {
        "currency": project.currency,
        "allocated": _money(project.budget_allocated),
        "revised": _money(project.budget_revised),
        "spent": _money(project.budget_spent),
    }


def tolerances(project):
    """The project's PRINCE2 tolerances, frozen with the figures they judge."""
    percent = project.cost_tolerance_percent
    return {"time_days": project.time_tolerance_days, "cost_percent": None if percent is None else str(percent)}


def baseline_summary(project):
    """The current (latest) baseline the report's slip is measured against, or None."""
    baseline = project.baselines.select_related("set_by").order_by("-number").first()
    if baseline is None:
        return None
    return {
        "number": baseline.number,
        "name": baseline.name,
        "reason": baseline.reason,
        "set_at": baseline.set_at.isoformat(),
        "set_on": baseline.set_on.isoformat(),
        "set_by": baseline.set_by_name,
    }


def build_snapshot(project, *, as_of=None):
    """Live data for a report on `project`, JSON-serialisable. A fixed number of queries."""
    return {
        "version": SNAPSHOT_VERSION,
        "as_of": _iso(as_of or timezone.localdate()),
        "project": {
            "name": project.name,
            "reference": project.reference,
            "sponsor": project.sponsor,
            "project_manager": project.project_manager,
        },
        "baseline": baseline_summary(project),
        "milestones": milestone_rows(project),
        "risks": risk_rows(project),
        "risk_scale": risk_scale(project),
        "issues": issue_rows(project),
        "financial": financial(project),
        "tolerances": tolerances(project),
        "communications": communication_rows(project),
        "raci": raci.report_data(project),
    }


# What changed since the last report ----------------------------------------------------------


def changes_between(previous, current):
    """New, closed and re-scored risks and slipped milestones, `previous` -> `current`.

    Both are snapshots; `previous` is the last issued report's. None when there is no
    previous report to compare with.
    """
    if not previous:
        return None
    # Issues of older snapshots were risk rows of kind "issue": they moved to the issue log, so
    # their leaving the register is no risk closing.
    before_risks = {r["reference"]: r for r in previous.get("risks") or [] if r.get("kind") != "issue"}
    now_risks = {r["reference"]: r for r in current.get("risks") or []}
    new = [r for ref, r in now_risks.items() if ref not in before_risks and not r["closed"]]
    closed = [
        r for ref, r in now_risks.items() if r["closed"] and ref in before_risks and not before_risks[ref]["closed"]
    ]
    closed += [r for ref, r in before_risks.items() if ref not in now_risks and not r["closed"]]
    rescored = [
        {
            **r,
            "old_score": before_risks[ref]["score"],
            "old_likelihood": before_risks[ref]["likelihood"],
            "old_impact": before_risks[ref]["impact"],
        }
        for ref, r in now_risks.items()
        if ref in before_risks and not r["closed"] and before_risks[ref]["score"] != r["score"]
    ]
    before_ms = {m["id"]: m for m in previous.get("milestones") or []}
    slipped = []
    for m in current.get("milestones") or []:
        old = before_ms.get(m["id"])
        if not old:
            continue
        was, now = old.get("forecast_end") or old.get("baseline_end"), m.get("forecast_end") or m.get("baseline_end")
        if was and now and now > was:
            slipped.append(
                {**m, "was": was, "now": now, "days": (date.fromisoformat(now) - date.fromisoformat(was)).days}
            )
    changes = {
        "new": new,
        "closed": closed,
        "rescored": rescored,
        "slipped": slipped,
        **issue_changes(previous, current),
    }
    changes["rebaselined"] = rebaselined_between(previous, current)
    changes["any"] = any(changes.values())
    return changes


def issue_changes(previous, current):
    """New and closed issues, `previous` -> `current` (both snapshots), as their own lines. A
    previous snapshot without "issues" (issued before the log existed) gives none: what was
    in the log then is not known."""
    if "issues" not in previous:
        return {"new_issues": [], "closed_issues": [], "removed_issues": []}
    before = {i["reference"]: i for i in previous["issues"]}
    now = current.get("issues") or []
    new = [i for i in now if i["reference"] not in before]
    closed = [i for i in now if i["closed"] and not before.get(i["reference"], {"closed": False})["closed"]]
    # Deleted from the log rather than closed: said as such, not passed off as closed.
    kept = {i["reference"] for i in now}
    removed = [i for ref, i in before.items() if ref not in kept and not i["closed"]]
    return {"new_issues": new, "closed_issues": closed, "removed_issues": removed}


def rebaselined_between(previous, current):
    """[{number, name, reason, set_on, set_by, moved: [{name, was, now}]}]: the plan was
    baselined again since `previous` (its baseline number differs), with the milestones whose
    baseline end moved. Empty when the baseline is the same, or `previous` predates baselines
    (it has no "baseline" key: what it was measured against is not known)."""
    if "baseline" not in previous:
        return []
    was, now = previous.get("baseline"), current.get("baseline")
    if not now or (was and was.get("number") == now.get("number")):
        return []
    before = {m["id"]: m for m in previous.get("milestones") or []}
    moved = []
    for m in current.get("milestones") or []:
        old = before.get(m["id"])
        if old and old.get("baseline_end") != m.get("baseline_end"):
            moved.append({"name": m["name"], "was": old.get("baseline_end"), "now": m.get("baseline_end")})
    return [{**now, "previous_number": was.get("number") if was else None, "moved": moved}]
