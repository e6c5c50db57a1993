"""Live together (issue 18 point 2): who else has a session page open, and what they saved.

Polling, not server-sent events: each open page asks every LIVE_POLL_SECONDS with the session
version it last saw. The answer is cheap when nothing changed (one indexed read of the
version and one of who is here, plus the asker's presence: read, and written again only
every REFRESH_SECONDS) and carries the
fields' stored values when the version moved. Everything is in the database, so any app server
can answer any poll: no process keeps a stream open or holds state, and a worker is never tied
up by an idle page (a server-sent stream would hold one gunicorn worker per open page).

Members who may edit are recorded as present (a POST); read-only roles and the advisory team
poll with a GET that writes nothing, so they see the others and are not listed themselves.
"""

from datetime import timedelta

from django.utils import timezone

from . import guidance, services
from .models import Session, SessionPresence

POLL_SECONDS = 1.5
HERE_SECONDS = 10  # a page that has not polled for this long has been closed


REFRESH_SECONDS = 5  # a presence younger than this is not written again: most polls only read


def mark_present(project, number, user, now=None):
    """At most one write every REFRESH_SECONDS per person and session, as one statement on
    both databases (INSERT ... ON CONFLICT DO UPDATE); the other polls only read."""
    now = now or timezone.now()
    fresh = now - timedelta(seconds=REFRESH_SECONDS)
    if SessionPresence.objects.filter(project=project, number=number, user=user, last_seen__gte=fresh).exists():
        return
    SessionPresence.objects.bulk_create(
        [SessionPresence(project=project, number=number, user=user, last_seen=now)],
        update_conflicts=True,
        unique_fields=["project", "number", "user"],
        update_fields=["last_seen"],
    )


def here(project, number, *, but, now=None) -> list[str]:
    since = (now or timezone.now()) - timedelta(seconds=HERE_SECONDS)
    rows = (
        SessionPresence.objects.filter(project=project, number=number, last_seen__gte=since)
        .exclude(user=but)
        .values_list("user__first_name", "user__last_name", "user__username")
        .order_by("user__first_name", "user__username")
    )
    return [" ".join(p for p in (first, last) if p) or username for first, last, username in rows]


def version(project, number) -> int:
    return Session.objects.filter(project=project, number=number).values_list("version", flat=True).first() or 0


def fields(project, number, user) -> dict:
    """Every answer's stored value (as the page's `orig-` inputs carry it) and who saved last."""
    session = Session.objects.filter(project=project, number=number).first()
    if session is None:
        return {"fields": {}, "by": "", "by_me": False}
    session.project = project
    values = {
        f.name: services.canonical(project if f.on == "project" else session, f.name)
        for f in guidance.TEMPLATES[number].fields
    }
    last = session.history.order_by("-history_date", "-history_id").select_related("history_user").first()
    changer = last.history_user if last else None
    return {
        "fields": values,
        "by": services.person_name(changer),
        "by_me": bool(changer and changer.pk == user.pk),
    }


def answer(project, number, user, seen: str, *, present: bool) -> dict:
    now = timezone.now()
    if present:
        mark_present(project, number, user, now)
    current = version(project, number)
    data = {"v": current, "here": here(project, number, but=user, now=now)}
    if str(current) != (seen or "").strip():
        data.update(fields(project, number, user))
    return data
