"""The dates every area accepts: a record lives between EARLIEST and LATEST. Year 0001 or 9999
is a typing slip, refused by the forms and models (and clamped by the Gantt chart)."""

from datetime import date

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
RANGE_MESSAGE = "Use a date between 1900 and 2199."


def in_range(value: date | None) -> bool:
    return value is None or EARLIEST <= value <= LATEST


def clamp(value: date | None) -> date | None:
    if value is None:
        return None
    return min(max(value, EARLIEST), LATEST)
