"""Whose turn it is (issue 18 point 5).

A session is agreed by two parties, the buyer and the procurement officer. When one of them
signs the session or agrees a topic, the other is told: on the project's dashboard always, and
by email when they chose it (`Membership.email_my_turn`, set on the dashboard). A session that
has waited for the second signature for SIGNATURE_REMINDER_DAYS reminds the awaited party by
email: `manage.py remind_signatures`, run once a day by a scheduler (cron, a systemd timer),
sends at most one reminder per sign-off in that many days. Emails name the project, the
session and the person, and link to the session: nothing else of the project.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mobilise import mail
from projects.models import Membership

from . import guidance
from .models import Session, SignatureReminder, SignOff

ROLES = (Membership.Role.BUYER, Membership.Role.OFFICER)
OTHER = {Membership.Role.BUYER: Membership.Role.OFFICER, Membership.Role.OFFICER: Membership.Role.BUYER}


def person(user) -> str:
    # Not services.person_name: services calls this module (tell), so it cannot be imported here.
    return user.get_full_name() or user.username


def role_label(role) -> str:
    return "procurement officer" if role == Membership.Role.OFFICER else "buyer"


@dataclass(frozen=True)
class Turn:
    session: int
    title: str
    kind: str  # "sign": the other party signed, yours is awaited; "agree": topics to agree; "waiting": you wait
    by: str
    since: datetime
    count: int = 0

    @property
    def days(self) -> int:
        return (timezone.now() - self.since).days


def turns(project, user, role) -> list[Turn]:
    """What is waiting for `user` (as `role`) and what they wait for, in session order. Two
    queries, whatever the number of sessions."""
    if role not in ROLES:
        return []
    other = OTHER[role]
    sessions = list(
        Session.objects.filter(project=project)
        .exclude(status=Session.Status.AGREED)
        .prefetch_related("signoffs__user", "topic_agreements__user")
    )
    found = []
    for session in sessions:
        title = guidance.TEMPLATES[session.number].title
        signed = {s.role: s for s in session.signoffs.all()}
        if other in signed and role not in signed:
            found.append(Turn(session.number, title, "sign", person(signed[other].user), signed[other].signed_at))
            continue
        if role in signed and other not in signed:
            found.append(Turn(session.number, title, "waiting", role_label(other), signed[role].signed_at))
            continue
        marks = list(session.topic_agreements.all())
        mine = {m.topic for m in marks if m.role == role}
        theirs = [m for m in marks if m.role == other and m.topic not in mine and m.user_id != user.pk]
        if theirs:
            names = sorted({person(m.user) for m in theirs})
            found.append(
                Turn(session.number, title, "agree", " and ".join(names), max(m.agreed_at for m in theirs), len(theirs))
            )
    return found


def _session_link(project, number) -> str:
    return settings.SITE_URL + reverse("alignment:session", args=[project.slug, number])


def _send(subject, body, to) -> bool:
    return not mail.send(subject, body, to, about=f"'{subject}' to {', '.join(to)}")


def tell(session, *, by, role, what: str):
    """After the commit, email the other party's members who chose it. `what`: "signed" or the
    title of the agreed topic. Call inside the writing transaction."""
    other = OTHER.get(role)
    if other is None:
        return
    project_id, number, by_pk = session.project_id, session.number, by.pk

    def send():
        session_now = Session.objects.select_related("project").get(project_id=project_id, number=number)
        if session_now.status == Session.Status.AGREED:
            return  # the signature completed the agreement: nothing is waiting
        to = list(
            Membership.objects.filter(project_id=project_id, role=other, email_my_turn=True)
            .exclude(user_id=by_pk)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
        if not to:
            return
        project = session_now.project
        done = f"signed session {number}" if what == "signed" else f"agreed “{what}” in session {number}"
        todo = "sign it too" if what == "signed" else "agree it too"
        _send(
            f"Your turn: session {number} of {project.name}",
            f"{person(by)} ({role_label(role)}) {done} of {project.name}. It is your turn to {todo}.\n\n"
            f"The session: {_session_link(project, number)}\n\n"
            "You get this email because you chose it on the project's dashboard; untick it there to stop.\n",
            to,
        )

    transaction.on_commit(send)


def remind(*, days: int | None = None, now=None) -> tuple[int, int]:
    """Remind the awaited party of every sign-off waiting longer than `days`. Returns (sessions,
    emails sent)."""
    days = settings.SIGNATURE_REMINDER_DAYS if days is None else days
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    waiting = (
        SignOff.objects.filter(signed_at__lte=cutoff)
        .exclude(session__status=Session.Status.AGREED)
        .exclude(reminders__sent_at__gt=cutoff)
        .select_related("session__project", "user")
        .order_by("pk")
    )
    sessions = sent = 0
    for signoff in waiting:
        session = signoff.session
        other = OTHER.get(signoff.role)
        if other is None or session.signoffs.filter(role=other).exists():
            continue
        to = list(
            Membership.objects.filter(project_id=session.project_id, role=other)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
        if not to:
            continue
        project = session.project
        waited = (now - signoff.signed_at).days
        ok = _send(
            f"Reminder: session {session.number} of {project.name} waits for your signature",
            f"{person(signoff.user)} ({role_label(signoff.role)}) signed session {session.number} of {project.name} "
            f"{waited} days ago. It waits for the {role_label(other)}'s signature.\n\n"
            f"The session: {_session_link(project, session.number)}\n",
            to,
        )
        if ok:
            SignatureReminder.objects.create(signoff=signoff, sent_to="\n".join(to))
            sessions, sent = sessions + 1, sent + len(to)
    return sessions, sent
