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
from projects.models import OverallRAG
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

# The report's RAG ratings as the snapshot records them ("rag"), overall first.
RAG_CHANGE_FIELDS = [
    ("overall_rag", "Overall"),
    ("rag_time", "Time"),
    ("rag_cost", "Cost"),
    ("rag_scope", "Scope"),
    ("rag_quality", "Quality"),
    ("rag_benefits", "Benefits"),
    ("rag_risk", "Risk"),
]
BUDGET_LINES = [("allocated", "Allocated budget"), ("revised", "Revised budget"), ("spent", "Spent to date")]
# The matrix's own letter order (raci.models.ORDER: "AR", never "RA").
RACI_LETTERS = [("A", "accountable"), ("R", "responsible"), ("C", "consulted"), ("I", "informed")]


def changes_between(previous, current):
    """What changed from `previous` to `current`, group by group (milestones, budget lines,
    risks, RAG ratings, the RACI), as lists of rows the template words.

    Both are snapshots with the report's RAG ratings under "rag"; `previous` is the last
    issued report's. None when there is no previous report to compare with. A group whose
    data the previous snapshot did not record (an older report) is not compared: it is named
    in "not_known" instead, so no change is claimed that cannot be known, and "compared" lists
    the groups that were (the "No changes to ..." sentence says exactly those).
    """
    if not previous:
        return None
    changes, compared, not_known = {}, [], []
    for what, subject, record, group in (
        ("milestones", "Milestone", "the milestones", milestone_changes(previous, current)),
        ("budget lines", "Budget", "the budget", budget_changes(previous, current)),
        ("risks", "Risk", "the risk register", risk_changes(previous, current)),
        ("issues", "Issue", "the issue log", issue_changes(previous, current)),
        ("RAG ratings", "RAG", "its RAG ratings", rag_changes(previous, current)),
        ("the RACI", "RACI", "the RACI", raci_changes(previous, current)),
    ):
        if group is None:
            not_known.append({"what": subject, "record": record})
        else:
            changes.update(group)
            compared.append(what)
    changes["rebaselined"] = rebaselined_between(previous, current)
    changes["any"] = any(changes.values())
    changes["compared"] = compared
    changes["not_known"] = not_known
    return changes


def _end(row):
    """Where a milestone ends now: its forecast, else its baseline end."""
    return row.get("forecast_end") or row.get("baseline_end")


def _without_gantt(row):
    """A milestone row without its Gantt item: "what changed" is frozen in the snapshot too."""
    return {k: v for k, v in row.items() if k != "gantt"}


def milestone_changes(previous, current):
    """New, met, moved (forecast or planned end, earlier or later) and removed milestones."""
    if "milestones" not in previous:
        return None
    before = {m["id"]: _without_gantt(m) for m in previous["milestones"]}
    now = {m["id"]: _without_gantt(m) for m in current.get("milestones") or []}
    met, moved = [], []
    for key, m in now.items():
        old = before.get(key)
        if old is None:
            continue
        if m.get("status") == "met" and old.get("status") != "met":
            met.append(m)
            continue
        was, is_now = _end(old), _end(m)
        if was and is_now and was != is_now:
            days = (date.fromisoformat(is_now) - date.fromisoformat(was)).days
            moved.append(
                {**m, "was": was, "now": is_now, "days": abs(days), "direction": "later" if days > 0 else "earlier"}
            )
    return {
        "milestones_new": [m for key, m in now.items() if key not in before],
        "met": met,
        "moved": moved,
        "milestones_removed": [m for key, m in before.items() if key not in now],
    }


def budget_changes(previous, current):
    """Each budget line (allocated, revised, spent) whose figure changed, from and to."""
    if "financial" not in previous:
        return None
    before, now = previous["financial"], current.get("financial") or {}
    lines = []
    for key, label in BUDGET_LINES:
        was, is_now = before.get(key), now.get(key)
        if was != is_now:  # both as _money() writes them
            lines.append(
                {
                    "line": key,
                    "label": label,
                    "was": was,
                    "now": is_now,
                    "was_currency": before.get("currency") or "GBP",
                    "currency": now.get("currency") or "GBP",
                }
            )
    return {"budget": lines}


def risk_changes(previous, current):
    """New, closed and re-scored risks (with the direction of the move) and owner changes."""
    if "risks" not in previous:
        return None
    # Issues of older snapshots were risk rows of kind "issue": they moved to the issue log, so
    # their leaving the register is no risk closing.
    before = {r["reference"]: r for r in previous["risks"] if r.get("kind") != "issue"}
    now = {r["reference"]: r for r in current.get("risks") or []}
    new = [r for ref, r in now.items() if ref not in before and not r["closed"]]
    closed = [r for ref, r in now.items() if r["closed"] and ref in before and not before[ref]["closed"]]
    closed += [r for ref, r in before.items() if ref not in now and not r["closed"]]
    still_open = [(before[ref], r) for ref, r in now.items() if ref in before and not r["closed"]]
    rescored = [
        {
            **r,
            "old_score": old["score"],
            "old_likelihood": old["likelihood"],
            "old_impact": old["impact"],
            "direction": "up" if r["score"] > old["score"] else "down",
        }
        for old, r in still_open
        if old["score"] != r["score"]
    ]
    owners = [{**r, "old_owner": old.get("owner") or ""} for old, r in still_open if old.get("owner") != r.get("owner")]
    return {"new": new, "closed": closed, "rescored": rescored, "owners": owners}


def rag_changes(previous, current):
    """The overall RAG and each dimension's that differ from the previous report's."""
    if "rag" not in previous or "rag" not in current:
        return None
    moves = []
    for field, label in RAG_CHANGE_FIELDS:
        was, is_now = previous["rag"].get(field), current["rag"].get(field)
        if was is not None and was != is_now:
            moves.append({"field": field, "label": label, "was": _rag_label(was), "now": _rag_label(is_now)})
    return {"rag": moves}


def _rag_label(value):
    return OverallRAG(value).label if value in OverallRAG.values else str(value)


def _raci_cells(row):
    """{person: "AR"} for one RACI row of a snapshot."""
    people = {}
    for letter, key in RACI_LETTERS:
        for name in row.get(key) or []:
            people[name] = people.get(name, "") + letter
    return people


def raci_changes(previous, current):
    """RACI activities added and removed, and each person's letters that changed on an
    activity in both. Activities are matched by name (the snapshot keeps no ids)."""
    if "raci" not in previous or "raci" not in current:
        return None
    before = {row["activity"]: _raci_cells(row) for row in previous["raci"]["rows"]}
    now = {row["activity"]: _raci_cells(row) for row in current["raci"]["rows"]}
    cells = []
    for activity, people in now.items():
        if activity not in before:
            continue
        old = before[activity]
        for person in [*people, *(p for p in old if p not in people)]:
            if old.get(person, "") != people.get(person, ""):
                cells.append(
                    {"activity": activity, "person": person, "was": old.get(person, ""), "now": people.get(person, "")}
                )
    return {
        "raci_added": [name for name in now if name not in before],
        "raci_removed": [name for name in before if name not in now],
        "raci_cells": cells,
    }


def issue_changes(previous, current):
    """New and closed issues, `previous` -> `current` (both snapshots), as their own lines. A
    previous snapshot without "issues" (issued before the log existed) gives none: what was
    in the log then is not known."""
    if "issues" not in previous:
        return None
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
