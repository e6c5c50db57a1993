"""Work-plan rules shared by the forms, the Gantt chart and the calendar export.

Dates: a plan lives between EARLIEST and LATEST; year 0001 or 9999 is a typing slip, refused
by the forms and clamped by the chart so it never draws a 10,000-year axis.
Dependencies: finish-to-start, within one project, never a loop.
"""

from projects.dates import EARLIEST, LATEST, RANGE_MESSAGE, clamp, in_range

__all__ = ["EARLIEST", "LATEST", "RANGE_MESSAGE", "clamp", "in_range", "rag_for", "cycle_path"]

# Days of slip past which a milestone turns red (amber below it).
SLIP_RED_DAYS = 30


def rag_for(*, slip_days: int, status: str) -> tuple[str, str]:
    """(rag, words) for a milestone: red when not met or late by more than SLIP_RED_DAYS."""
    if status == "not_met":
        return "red", "Not met"
    if slip_days > SLIP_RED_DAYS:
        return "red", f"{slip_days} days late"
    if slip_days > 0:
        return "amber", f"{slip_days} day{'s' if slip_days != 1 else ''} late"
    return "green", "Met" if status == "met" else "On time"


def cycle_path(milestone_id: int | None, proposed: set[int], edges: dict[int, set[int]]) -> list[int] | None:
    """If `milestone_id` depending on `proposed` would close a loop, the loop as ids
    [dependency, ..., milestone_id]; else None. A new milestone (no id) cannot close one."""
    if milestone_id is None:
        return None
    for start in proposed:
        # Depth-first walk from the proposed dependency along "depends on" edges, keeping
        # the path so the message can name every milestone in the loop.
        stack = [(start, [start])]
        seen = set()
        while stack:
            node, path = stack.pop()
            if node == milestone_id:
                return path
            if node in seen:
                continue
            seen.add(node)
            for nxt in edges.get(node, ()):
                if nxt == milestone_id or nxt not in seen:
                    stack.append((nxt, [*path, nxt]))
    return None
