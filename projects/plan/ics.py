"""plan.ics: the milestones as all-day calendar events (RFC 5545), built by hand.

Each milestone is one event on the day it is due (actual, else forecast, else baseline end).
The UID is stable, and SEQUENCE follows the record's version, so a calendar that subscribes
updates the event instead of duplicating it.
"""

from datetime import UTC, datetime, timedelta

from projects.concurrency import strip_control_chars

from . import rules


def escape_text(value: str) -> str:
    """TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines."""
    value = strip_control_chars(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space, never inside a character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with one space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _due(m):
    return m.actual_end or m.forecast_end or m.baseline_end or m.baseline_start


def plan_ics(project, milestones, *, now: datetime | None = None) -> bytes:
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Mobilise//Work plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(project.name + ' work plan')}",
    ]
    for m in milestones:
        due = _due(m)
        if due is None or not rules.in_range(due):
            continue  # no date, or a date no calendar should hold
        description = [
            f"{m.get_kind_display()} milestone, {'within' if m.within_project else 'outside'} the project.",
            f"Status: {m.get_status_display()}. {m.rag_words}.",
        ]
        if m.baseline_start or m.baseline_end:
            description.append(f"Baseline: {m.baseline_start or '?'} to {m.baseline_end or '?'}.")
        if m.owner_id:
            description.append(f"Owner: {m.owner.name}.")
        if m.notes:
            description.append(m.notes)
        lines += [
            "BEGIN:VEVENT",
            f"UID:milestone-{m.pk}.{project.slug}@mobilise",
            f"DTSTAMP:{stamp}",
            f"SEQUENCE:{m.version}",
            f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{due + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(m.name)}",
            f"DESCRIPTION:{escape_text(chr(10).join(description))}",
            f"CATEGORIES:{escape_text(m.get_kind_display())}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
