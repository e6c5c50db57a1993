"""Which milestones a board report shows, and its Gantt chart.

A long plan would fill the report: section 4 shows the milestones that matter this period
(`key_milestones`) and an appendix lists them all. The PDF draws the chart on landscape pages
of its own (projects.plan.pdf.chart_pages), the page's preview as one SVG.
"""

from datetime import date, timedelta

from projects.plan.gantt import GanttItem, gantt_svg
from projects.plan.models import Milestone
from projects.plan.pdf import chart_pages

KEY_MILESTONES = 10
LOOKAHEAD_DAYS = 90
# Milestones with an outcome: no longer due, whatever their dates say.
DONE = {Milestone.Status.MET, Milestone.Status.NOT_MET, Milestone.Status.PARTIALLY_MET}


def _due(row):
    value = row.get("actual_end") or row.get("forecast_end") or row.get("baseline_end")
    return date.fromisoformat(value) if isinstance(value, str) else value


def key_milestones(rows, period_start, period_end) -> set[int]:
    """Indexes of the milestones a board report shows: finished in the period, due by
    LOOKAHEAD_DAYS after it and not finished (overdue ones included), or slipping. At most
    KEY_MILESTONES, those nearest the period first; every milestone when there are no more
    than that.

    `rows` are snapshot rows, so an issued report always makes the same choice.
    """
    if len(rows) <= KEY_MILESTONES:
        return set(range(len(rows)))
    horizon = period_end + timedelta(days=LOOKAHEAD_DAYS)

    def distance(due):
        return max((period_start - due).days, (due - period_end).days, 0)

    ranked = []
    for index, row in enumerate(rows):
        due = _due(row)
        if row.get("actual_end") or row.get("status") in DONE:
            if due and period_start <= due <= period_end:
                ranked.append((0, 0, index))
        elif due and due <= horizon:
            ranked.append((0, distance(due), index))
        elif row.get("slip_days"):
            ranked.append((1, distance(due) if due else 0, index))
    return {index for *_, index in sorted(ranked)[:KEY_MILESTONES]}


def milestone_lines(milestones, within, shown):
    lines, more = [], 0
    for index, m in enumerate(milestones):
        if m["within"] != within:
            continue
        if index not in shown:
            more += 1
            continue
        due = m.get("actual_end") or m.get("forecast_end") or m.get("baseline_end")
        when = f" by {date.fromisoformat(due):%B %Y}" if due else ""
        lines.append(f"- {m['name']}{when}.")
    if more:
        lines.append(f"- {more} more milestone{'s' if more != 1 else ''}: see the appendix.")
    return "\n".join(lines)


def _gantt_items(milestones):
    """The chart's items from snapshot rows (rows of snapshots older than the Gantt have none)."""
    return [GanttItem.from_dict(m["gantt"]) for m in milestones if m.get("gantt")]


def gantt_for(milestones, today):
    """The chart as one SVG, for the page's preview."""
    items = _gantt_items(milestones)
    return gantt_svg(items, today=today) if items else None


def gantt_pages_for(milestones, today):
    """(paper, [svg, ...]) for the PDF: the chart on landscape pages of its own, cut into pages
    that share one date axis (projects.plan.pdf), so its text prints at a readable size."""
    items = _gantt_items(milestones)
    return chart_pages(items, today=today) if items else (None, [])
