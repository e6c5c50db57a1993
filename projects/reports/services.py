"""Highlight reports: create a draft, build what it shows, issue it (freeze), and ask for its PDF.

The same `report_data()` feeds the live HTML preview and the PDF, so they cannot drift apart.
A draft shows live data; an issued report shows only its snapshot and stored text.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

import raci
from projects.models import Project
from projects.reports.models import MAX_PERIOD_DAYS, REPORT_DATE_GRACE_DAYS, HighlightReport
from risks.heatmap import heatmap_svg

from . import assessment
from . import snapshot as snap
from .figures import BAND_LABELS, band_function, money
from .milestones import LOOKAHEAD_DAYS, gantt_for, gantt_pages_for, key_milestones, milestone_lines

# The board sees the top risks by score; the full register goes into an appendix.
TOP_RISKS = 10
TEXT_FIELDS = [
    "recommendation",
    "vision",
    "progress",
    "milestones_within",
    "milestones_outside",
    "deliverables",
    "financial",
    "member_involvement",
    "related_projects",
    "communications",
    "risks_commentary",
]
BUDGET_FIELDS = ["budget_allocated", "budget_revised", "budget_spent"]
# PRINCE2's highlight content, beside the seed's ten sections.
PRINCE2_FIELDS = ["this_period", "next_period", "decisions", "lessons"]
RAG_FIELDS = [
    ("rag_time", "Time"),
    ("rag_cost", "Cost"),
    ("rag_scope", "Scope"),
    ("rag_quality", "Quality"),
    ("rag_benefits", "Benefits"),
    ("rag_risk", "Risk"),
]


def financial_summary(figures):
    """Rows and the change in words ("reduced from £50k to £30k") from snapshot figures."""
    currency = figures.get("currency") or "GBP"
    allocated, revised, spent = (figures.get(k) for k in ("allocated", "revised", "spent"))
    rows = [
        ("Allocated", money(allocated, currency)),
        ("Revised", money(revised, currency)),
        ("Spent to date", money(spent, currency)),
    ]
    change = ""
    if allocated is not None and revised is not None and Decimal(allocated) != Decimal(revised):
        verb = "reduced" if Decimal(revised) < Decimal(allocated) else "increased"
        diff = abs(Decimal(revised) - Decimal(allocated))
        change = (
            f"The allocation is {verb} from {money(allocated, currency, short=True)} to "
            f"{money(revised, currency, short=True)} (a change of {money(diff, currency, short=True)})."
        )
    elif allocated is not None:
        change = f"The allocation is unchanged at {money(allocated, currency, short=True)}."
    if spent is not None and revised not in (None, "") and Decimal(revised):
        share = Decimal(spent) / Decimal(revised) * 100
        change += f" {money(spent, currency, short=True)} spent, {share:.0f}% of the revised allocation."
    return {"rows": [r for r in rows if r[1]], "change": change.strip()}


# Creating a draft ---------------------------------------------------------------------------


def previous_issued(report):
    """The latest issued report before this one, or None."""
    return report.project.reports.issued().filter(number__lt=report.number).order_by("-number").first()


def _months(start, end) -> int | None:
    """How many whole calendar months start..end covers, or None if it is not whole months."""
    if start.day != 1 or (end + timedelta(days=1)).day != 1:
        return None
    return (end.year * 12 + end.month) - (start.year * 12 + start.month) + 1


def _month_after(day, months=1):
    """The same day `months` later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    following = date(year, month + 1, 1)
    last_day = ((following.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)).day
    return following.replace(day=min(day.day, last_day))


def next_period(project, today=None):
    """The period after the latest report: as many calendar months as it covered (a board's
    monthly or quarterly cycle), or else a month from the day after it; the calendar month of
    today for a first report. Never a single day, never past MAX_PERIOD_DAYS."""
    last = project.reports.order_by("-number").only("period_start", "period_end").first()
    if last is None:
        start = (today or timezone.localdate()).replace(day=1)
        return start, _month_after(start) - timedelta(days=1)
    start = last.period_end + timedelta(days=1)
    months = _months(last.period_start, last.period_end) or 1
    end = _month_after(start, months) - timedelta(days=1)
    return start, min(end, start + timedelta(days=MAX_PERIOD_DAYS - 1))


def default_report_date(period_start, period_end, today=None):
    """Today, unless that lies outside what the period allows (models.period_errors)."""
    today = today or timezone.localdate()
    if today < period_start:
        return period_start
    if today > period_end + timedelta(days=REPORT_DATE_GRACE_DAYS):
        return period_end
    return today


def _trim(text, field):
    limit = HighlightReport._meta.get_field(field).max_length
    return (text or "")[:limit]


class DraftExists(Exception):
    """The project already has a draft (at most one at a time); `draft` is that report."""

    def __init__(self, draft):
        super().__init__(f"Highlight report {draft.number} is already a draft: carry on with it.")
        self.draft = draft


def report_create(*, project, period_start, period_end, report_date=None) -> HighlightReport:
    """A new draft for the period, prefilled from the latest report's text and live data.

    Raises DraftExists when the project already has a draft: a double click or two people
    starting a report at once make one draft, and the others are sent to it. The project row
    is locked so simultaneous starts are taken in turn; the one-draft constraint backs that up
    (an IntegrityError there means another start won)."""
    try:
        with transaction.atomic():
            return _create_draft(project, period_start, period_end, report_date)
    except IntegrityError:
        draft = project.reports.drafts().first()
        if draft is None:
            raise
        raise DraftExists(draft) from None


def _create_draft(project, period_start, period_end, report_date):
    Project.objects.select_for_update().filter(pk=project.pk).values_list("pk").first()
    draft = project.reports.drafts().first()
    if draft is not None:
        raise DraftExists(draft)
    last = project.reports.order_by("-number").first()
    number = (last.number + 1) if last else 1
    report = HighlightReport(
        project=project,
        number=number,
        period_start=period_start,
        period_end=period_end,
        report_date=report_date or default_report_date(period_start, period_end),
        overall_rag=project.rag_status,
    )
    # Each figure carries over from the last report (what the board last saw), and comes from
    # the project only where the last report had none.
    for field in BUDGET_FIELDS:
        carried = getattr(last, field) if last else None
        setattr(report, field, carried if carried is not None else getattr(project, field))
    if last:
        for field in TEXT_FIELDS:
            setattr(report, field, getattr(last, field))
        for field, _ in RAG_FIELDS:
            setattr(report, field, getattr(last, field))
        report.include_changes = last.include_changes
        # What was planned for the next period is where this period's account starts.
        report.this_period = last.next_period
    else:
        report.recommendation = "To note progress on the project to date."
        report.vision = "\n\n".join(t for t in (project.business_objective, project.desired_outcome) if t)
        report.progress = project.rag_reason
    milestones = snap.milestone_rows(project)
    shown = key_milestones(milestones, period_start, period_end)
    # Milestone text always starts from the live plan: it is what changes between reports.
    report.milestones_within = milestone_lines(milestones, True, shown) or report.milestones_within
    report.milestones_outside = milestone_lines(milestones, False, shown) or report.milestones_outside
    for field in TEXT_FIELDS:
        setattr(report, field, _trim(getattr(report, field), field))
    # Time, Cost and Risk start from what the data suggest, so a choice otherwise is deliberate.
    for field, suggestion in live_snapshot(report)["suggested"].items():
        if suggestion["rag"]:
            setattr(report, field, suggestion["rag"])
    report.full_clean()
    report.save()
    return report


# What a report shows ------------------------------------------------------------------------


def live_snapshot(report):
    """The live data for a draft, plus what only a comparison with the last report gives."""
    project = report.project
    data = snap.build_snapshot(project, as_of=report.report_date)
    previous = previous_issued(report)
    data["previous"] = None
    if previous:
        data["previous"] = {
            "number": previous.number,
            "period_end": previous.period_end.isoformat(),
            "rag": {field: getattr(previous, field) for field, _ in RAG_FIELDS},
            "overall_rag": previous.overall_rag,
        }
    data["financial"] = {
        "currency": project.currency,
        "allocated": snap._money(report.budget_allocated),
        "revised": snap._money(report.budget_revised),
        "spent": snap._money(report.budget_spent),
    }
    data["suggested"] = assessment.suggestions(data)
    data["exceptions"] = assessment.exceptions(data)
    data["rag"] = report_rags(report)
    # The previous report's ratings are read from its row (the RAG grid's "last" column), as
    # snapshots issued before they kept "rag" lack them; its figures come from its snapshot.
    data["changes"] = snap.changes_between(
        {**previous.snapshot, "rag": report_rags(previous)} if previous else None, data
    )
    return data


def report_rags(report):
    """{field: value} of the report's overall and six dimension RAG ratings."""
    return {field: getattr(report, field) for field, _ in snap.RAG_CHANGE_FIELDS}


def report_snapshot(report):
    return report.snapshot if report.is_issued else live_snapshot(report)


def heatmap_grid(risks, scale, band_for):
    """Open risks counted by likelihood (rows, high first) and impact: the heat map's table."""
    counts = {}
    for r in risks:
        if not r["closed"]:
            key = (r["likelihood"], r["impact"])
            counts[key] = counts.get(key, 0) + 1
    rows = [
        {
            "likelihood": lk,
            "cells": [
                {
                    "impact": im,
                    "count": counts.get((lk, im), 0),
                    "band": band_for(lk * im),
                    "label": BAND_LABELS.get(band_for(lk * im), ""),
                    "score": lk * im,
                }
                for im in range(1, scale + 1)
            ],
        }
        for lk in range(scale, 0, -1)
    ]
    return counts, rows


def _dates(row, names):
    """A copy of a snapshot row with its ISO date strings as dates, for the templates."""
    row = dict(row)
    for name in names:
        if row.get(name):
            row[name] = date.fromisoformat(row[name])
    return row


MILESTONE_DATES = ("baseline_start", "baseline_end", "forecast_end", "actual_end", "was", "now")


# Reports issued before their snapshot kept the RACI matrix (their PDF bytes never had it).
RACI_NOT_RECORDED = {
    "rows": [],
    "ready": False,
    "errors": [],
    "readiness": "Not recorded: this report was issued before reports kept the RACI matrix.",
}


def rebaselined_rows(rebaselined):
    """The "rebaselined" changes with their ISO dates as dates, for the templates."""
    return [
        {**_dates(b, ["set_on"]), "moved": [_dates(m, ["was", "now"]) for m in b.get("moved") or []]}
        for b in rebaselined
    ]


def baseline_context(data, milestones):
    """What section 4 says about slip: the baseline it is measured against and the slipping
    open milestones, the worst first. Snapshots from before baselines have no "baseline" key
    and say neither (an issued report keeps the words it was issued with)."""
    if "baseline" not in data:
        return {"baseline_known": False}
    baseline = data["baseline"]
    slipping = sorted(
        (m for m in milestones if m.get("slip_days") and m.get("status") != "met"),
        key=lambda m: -m["slip_days"],
    )
    return {
        "baseline_known": True,
        "baseline": _dates(baseline, ["set_on"]) if baseline else None,
        "slipping_open": slipping,
        "worst_slip": slipping[0] if slipping else None,
    }


MILESTONE_CHANGES = ("milestones_new", "met", "moved", "milestones_removed")


def _or_list(words):
    return " or ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def changes_for_display(changes):
    """A report's "what changed" (live, or frozen in its snapshot) for _changes.html: dates as
    dates, money and RACI letters in words, and `nothing`, the sentence for no change, naming
    what was compared. A report frozen before the comparison had groups (it has no
    "compared") compared only risks and slipped milestones, and still says so."""
    if not changes:
        return changes
    changes = dict(changes)
    if "compared" in changes:
        changes["nothing"] = f"No changes to {_or_list(changes['compared'])}"
    else:
        changes["moved"] = [{**m, "direction": "later"} for m in changes.get("slipped", [])]
        changes["nothing"] = "No new, closed or re-scored risks and no slipped milestones"
    for key in MILESTONE_CHANGES:
        changes[key] = [_dates(m, MILESTONE_DATES) for m in changes.get(key, [])]
    changes["budget"] = [
        {
            **line,
            "was_text": money(line["was"], line["was_currency"]) or "not set",
            "now_text": money(line["now"], line["currency"]) or "not set",
        }
        for line in changes.get("budget", [])
    ]
    changes["raci_cells"] = [
        {**cell, "was_text": ", ".join(cell["was"]) or "none", "now_text": ", ".join(cell["now"]) or "none"}
        for cell in changes.get("raci_cells", [])
    ]
    return changes


def report_data(report, data=None, *, for_pdf=False):
    """Everything the preview and the PDF show, from the snapshot (issued) or live data (draft)."""
    data = data if data is not None else report_snapshot(report)
    rows = data.get("milestones") or []
    shown = key_milestones(rows, report.period_start, report.period_end)
    key_rows = [m for index, m in enumerate(rows) if index in shown]
    milestones = [_dates(m, MILESTONE_DATES) for m in rows]
    key = [m for index, m in enumerate(milestones) if index in shown]
    risks = data.get("risks") or []
    risks_list = [r for r in risks if not r.get("closed")]
    risk_scale = data.get("risk_scale") or {"scale": 4, "thresholds": [3, 6, 9]}
    scale = max([risk_scale["scale"], *(max(r["likelihood"], r["impact"]) for r in risks_list)])
    scale = min(scale, 10)
    band_for = band_function(risk_scale["thresholds"])
    counts, grid = heatmap_grid(risks_list, scale, band_for)
    as_of = date.fromisoformat(data["as_of"]) if data.get("as_of") else report.report_date
    heatmap = None
    if risks_list:
        heatmap = heatmap_svg(
            counts,
            scale=scale,
            band_for=band_for,
            title=f"Open risks by likelihood and impact ({len(risks_list)})",
        )
    previous = data.get("previous")
    # Reports issued before the data suggested a RAG have no "suggested": their grid is as it was.
    suggested = data.get("suggested")
    rag_grid = [
        {
            "label": label,
            "field": field,
            "now": getattr(report, field),
            "last": (previous or {}).get("rag", {}).get(field),
            "suggested": (suggested or {}).get(field),
            "reason": getattr(report, f"{field}_reason", ""),
        }
        for field, label in RAG_FIELDS
    ]
    exceptions = data.get("exceptions") or []
    exception_text = [(label, getattr(report, field)) for field, label in assessment.EXCEPTION_FIELDS]
    changes = changes_for_display(data.get("changes"))
    if changes:
        changes["rebaselined"] = rebaselined_rows(changes.get("rebaselined") or [])
    show_risk_appendix = len(risks) > min(len(risks_list), TOP_RISKS)
    milestones_capped = len(key) < len(milestones)
    # Appendices in the order of the sections they complete, lettered A, B...
    appendix = {}
    for name, present in (("milestones", milestones_capped), ("risks", show_risk_appendix)):
        if present:
            appendix[name] = "ABCDEFGH"[len(appendix)]
    gantt, gantt_paper, gantt_pages = None, None, []
    if for_pdf:
        gantt_paper, gantt_pages = gantt_pages_for(key_rows, as_of)
    else:
        gantt = gantt_for(key_rows, as_of)
    within = [m for m in milestones if m["within"]]
    return {
        **baseline_context(data, milestones),
        "report": report,
        "data": data,
        "header": data.get("project") or {},
        "milestones_within": [m for m in key if m["within"]],
        "milestones_outside": [m for m in key if not m["within"]],
        "all_milestones_within": within,
        "all_milestones_outside": [m for m in milestones if not m["within"]],
        "more_within": len(within) - sum(1 for m in key if m["within"]),
        "more_outside": len(milestones) - len(within) - sum(1 for m in key if not m["within"]),
        "milestones_capped": milestones_capped,
        "milestone_count": len(milestones),
        "key_count": len(key),
        "milestone_horizon": report.period_end + timedelta(days=LOOKAHEAD_DAYS),
        "gantt": gantt,
        "gantt_paper": gantt_paper,
        "gantt_pages": gantt_pages,
        "top_risks": risks_list[:TOP_RISKS],
        "all_risks": risks,
        "risks_capped": len(risks_list) > TOP_RISKS,
        # The appendix carries what section 10 leaves out: risks past the cap, closed ones.
        "show_appendix": show_risk_appendix,
        "appendix": appendix,
        "register_title": f"{(data.get('project') or {}).get('name', '')} Risk Register".strip(),
        "top_count": TOP_RISKS,
        "heatmap": heatmap,
        "heatmap_grid": grid,
        "heatmap_impacts": list(range(1, scale + 1)),
        "scale": scale,
        "score_max": scale * scale,
        "money": financial_summary(data.get("financial") or {}),
        "communications": [_dates(c, ["next_date"]) for c in data.get("communications") or []],
        **raci.report_context(data.get("raci") or RACI_NOT_RECORDED),
        "previous": previous,
        "rag_grid": rag_grid,
        "rag_suggested": bool(suggested),
        "exceptions": exceptions,
        "exception_text": exception_text,
        # Reports issued before these fields existed never had them: their page shows none.
        "show_prince2": not report.is_issued
        or bool(suggested)
        or any(getattr(report, name).strip() for name in PRINCE2_FIELDS),
        "show_exception": bool(exceptions or any(text.strip() for _, text in exception_text)),
        "blockers": [] if report.is_issued else issue_blockers(report, data),
        "changes": changes,
        "show_changes": bool(changes and report.include_changes),
        **issue_context(data),
    }


def issue_context(data):
    """Section 10's issue log: the open issues, or None for a snapshot from before the log."""
    if "issues" not in data:
        return {"issue_log": None}
    return {"issue_log": [i for i in data["issues"] if not i["closed"]]}


# Issuing ---------------------------------------------------------------------------------


class IssueRefused(Exception):
    """The report cannot be issued; the message says why in words the user can act on."""


def freeze(*, report: HighlightReport, by, at=None, snapshot=None) -> bool:
    """Freeze the report: its snapshot and text are fixed and its PDF is marked queued
    (rendering.report_issue then queues the task).

    Returns False when someone issued it first: every report of the project is locked, so of
    two simultaneous requests the second waits and then finds it issued. Raises IssueRefused
    when a later report is already issued: reports are issued in number order, so each one's
    "last period" and "what changed" compare with the report before it. The PDF bytes are
    stored once by the rendering task and never replaced. The issue is saved through the
    model, so its history shows who issued it and when.

    `at` (default now) and `snapshot` (default the live data) are for the demo, which issues
    seed 004's report on its 2007 date with the seed's risk register.
    """
    with transaction.atomic():
        # Lock every report of the project, so two issues at once are taken in turn and the
        # order check below cannot be raced.
        list(HighlightReport.objects.select_for_update().filter(project_id=report.project_id).values_list("pk"))
        locked = HighlightReport.objects.get(pk=report.pk)
        if locked.is_issued:
            return False
        later = (
            HighlightReport.objects.issued()
            .filter(project_id=locked.project_id, number__gt=locked.number)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        today = timezone.localdate(at) if at else timezone.localdate()
        if locked.period_start > today:
            raise IssueRefused(
                f"Report {locked.number}'s period starts on {locked.period_start.day} "
                f"{locked.period_start:%B %Y}, after today: a report can be issued once its period has begun. "
                "Nothing was issued."
            )
        if later:
            raise IssueRefused(
                f"Report {later} is already issued, so this older draft can no longer be issued. "
                "Copy what it says, then discard it to start a new report."
            )
        frozen = snapshot if snapshot is not None else live_snapshot(locked)
        refusal = issue_blockers(locked, frozen)
        if refusal:
            raise IssueRefused(f"Report {locked.number} cannot be issued yet: {' '.join(refusal)} Nothing was issued.")
        frozen["issued_version"] = locked.version
        now = timezone.now()
        locked.issued_at, locked.issued_by, locked.snapshot = at or now, by, frozen
        locked.version += 1
        locked.render_state, locked.render_error, locked.render_requested_at = (
            HighlightReport.RenderState.QUEUED,
            "",
            now,
        )
        locked.draft_pdf, locked.draft_pdf_key = None, ""
        locked._history_user = by
        locked._change_reason = "Issued"
        locked.save(
            update_fields=[
                "issued_at",
                "issued_by",
                "snapshot",
                "version",
                "render_state",
                "render_error",
                "render_requested_at",
                "draft_pdf",
                "draft_pdf_key",
            ]
        )
    report.refresh_from_db()
    return True


def issue_blockers(report, data) -> list[str]:
    """What stops `report` being issued with `data`, in sentences: a Time, Cost or Risk RAG
    chosen otherwise than the data suggest without a reason, and an exception (a forecast
    beyond tolerance) whose exception report is not written."""
    problems = []
    for d in assessment.rag_disagreements(report, data.get("suggested")):
        if not d["reason"]:
            problems.append(
                f"{d['label']} is {d['chosen'].capitalize()} but the data suggest {d['suggested'].capitalize()} "
                f"({d['why']}) Say why {d['label']} is {d['chosen'].capitalize()}, or choose "
                f"{d['suggested'].capitalize()}."
            )
    missing = assessment.exception_missing(report, data.get("exceptions"))
    if missing:
        areas = " and ".join(sorted({e["area"].lower() for e in data["exceptions"]}))
        problems.append(
            f"the {areas} forecast is beyond tolerance, so the exception report needs its "
            f"{', '.join(missing[:-1]) + ' and ' + missing[-1] if len(missing) > 1 else missing[0]}."
        )
    return problems


# Discarding a draft --------------------------------------------------------------------------


class DiscardRefused(Exception):
    """Only a draft can be discarded; the message says why in words."""


def report_discard(*, report: HighlightReport, by) -> None:
    """Delete a draft (a false start, or an older draft a later issued report left behind).
    The history keeps it: the deletion is recorded with who discarded it. Issued reports are
    frozen for ever; a draft issued meanwhile is refused, as the report row is locked first."""
    with transaction.atomic():
        locked = HighlightReport.objects.select_for_update().filter(pk=report.pk).first()
        if locked is None:
            raise DiscardRefused(f"Highlight report {report.number} was already discarded.")
        if locked.is_issued:
            raise DiscardRefused(
                f"Highlight report {locked.number} has been issued, so it can never be discarded. Nothing changed."
            )
        locked._history_user = by
        locked._change_reason = "Draft discarded"
        locked.delete()
