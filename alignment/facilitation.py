"""Facilitation mode (issue 18 point 1): a session run as a timed workshop.

The agenda is the session's topics in page order, each with its minutes from the session's
template version or the project's tailoring (version 1: the seed's 55 minutes for template 1,
30 for templates 2 and 3); a topic without minutes (one added by tailoring) shares what is left
of the seed's estimate (template 1: up to 1 hour, templates 2 and 3: up to 30 minutes). Each topic has a timer kept on the server
(`TopicTimer`): the facilitator (anyone who may edit the session) starts and pauses it, and
every page shows the same time because it is computed from the stored start. One topic runs
at a time. A topic past its allotted time says "Over time" in words. The close lists what is
still open and offers the sign-off.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from . import coverage, topics
from .models import Session, TopicTimer

# The seed's estimated durations, upper bounds in minutes: the time a facilitator plans for.
SEED_MINUTES = {1: 60, 2: 30, 3: 30}


class TimerRefused(Exception):
    pass


@dataclass
class Item:
    position: int
    topic: str
    title: str
    minutes: int
    agreed: bool
    missing: list
    started_at: datetime | None
    elapsed_before: int

    def elapsed(self, now=None) -> int:
        running = (now or timezone.now()) - self.started_at if self.started_at else None
        return self.elapsed_before + (int(running.total_seconds()) if running else 0)

    @property
    def running(self) -> bool:
        return self.started_at is not None

    @property
    def used(self) -> str:
        return clock(self.elapsed())

    @property
    def over_by(self) -> int:
        """Whole minutes past the allotted time (0 when within it)."""
        return max(0, self.elapsed() - self.minutes * 60) // 60

    @property
    def over(self) -> bool:
        return self.elapsed() > self.minutes * 60


def clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def split(total: int, count: int) -> list[int]:
    """`total` minutes over `count` topics in whole minutes, the remainder to the first ones."""
    if count == 0:
        return []
    share, extra = divmod(total, count)
    return [share + (1 if i < extra else 0) for i in range(count)]


def agenda(project, number) -> list[Item]:
    session = Session.objects.filter(project=project, number=number).first() or Session(project=project, number=number)
    session.project = project
    states = topics.states(session, coverage.missing(session))
    sections = [s.section for s in states]
    # Each topic's minutes come from its template version (or its tailoring); topics without
    # any (one added by tailoring) share what is left of the seed's estimate, a minute at least.
    given = sum(section.duration_minutes or 0 for section in sections)
    without = [section for section in sections if not section.duration_minutes]
    spare = iter(split(max(SEED_MINUTES[number] - given, len(without)), len(without)))
    shares = [section.duration_minutes or next(spare) for section in sections]
    timers = {t.topic: t for t in TopicTimer.objects.filter(project=project, number=number)}
    items = []
    for position, (state, share) in enumerate(zip(states, shares, strict=True), start=1):
        timer = timers.get(state.topic)
        items.append(
            Item(
                position=position,
                topic=state.topic,
                title=state.title,
                minutes=share,
                agreed=state.agreed,
                missing=state.missing,
                started_at=timer.started_at if timer else None,
                elapsed_before=timer.elapsed_seconds if timer else 0,
            )
        )
    return items


def progress(items) -> dict:
    return {
        "agreed": sum(i.agreed for i in items),
        "count": len(items),
        "planned": sum(i.minutes for i in items),
        "used": clock(sum(i.elapsed() for i in items)),
        "percent": round(100 * sum(i.agreed for i in items) / len(items)) if items else 0,
    }


def set_timer(*, project, number, topic, action, by) -> TopicTimer:
    """`action`: start, pause or reset. Starting pauses the session's running timer, if any."""
    keys = [i.topic for i in agenda(project, number)]
    if topic not in keys:
        raise TimerRefused("There is no such topic in this session.")
    if action not in ("start", "pause", "reset"):
        raise TimerRefused("Start, pause or reset the timer.")
    now = timezone.now()
    with transaction.atomic():
        for key in keys:  # every row exists before any is locked, so two starts queue up
            TopicTimer.objects.get_or_create(project=project, number=number, topic=key)
        timers = {
            t.topic: t
            for t in TopicTimer.objects.select_for_update().filter(project=project, number=number).order_by("pk")
        }
        timer = timers[topic]
        if action == "start":
            for other in timers.values():
                if other.started_at and other.pk != timer.pk:
                    _pause(other, now, by)
            if not timer.started_at:
                timer.started_at, timer.changed_by = now, by
                timer.save()
        elif action == "pause":
            if timer.started_at:
                _pause(timer, now, by)
        else:
            timer.started_at, timer.elapsed_seconds, timer.changed_by = None, 0, by
            timer.save()
    return timer


def _pause(timer, now, by):
    timer.elapsed_seconds += int((now - timer.started_at).total_seconds())
    timer.started_at, timer.changed_by = None, by
    timer.save()


def state(project, number) -> dict:
    """The timers as the presenter pages poll them (read-only)."""
    now = timezone.now()
    return {
        "now": now.isoformat(),
        "timers": {
            i.topic: {"elapsed": i.elapsed(now), "running": i.running, "minutes": i.minutes, "agreed": i.agreed}
            for i in agenda(project, number)
        },
    }
