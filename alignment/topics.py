"""Agreement per topic: each topic of a session (a section of its template) is agreed by the
buyer and by the procurement officer. Changing an agreed topic re-opens that topic only
(services.content_changed); the session is agreed when every topic is and both have signed
(services.settle). Signing a session agrees, for the signer's role, every topic not yet agreed.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction

from . import coverage, guidance, services, turns
from .models import Session, SignOff, TopicAgreement


def content_key(session, section: guidance.Section) -> str:
    """A short fingerprint of what the topic shows: its fields' values and, for a topic that
    embeds other records, the newest change to them. A form to agree the topic carries the key
    it was shown; the agreement is refused if the topic has changed since."""
    project = session.project
    parts = [services.canonical(project if spec.on == "project" else session, spec.name) for spec in section.fields]
    if section.embed == "support":
        parts += [session.support_level, session.support_reason]
    elif section.embed:
        parts += services.embedded_marker(project.pk, session.number, section.key)
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:32]


@dataclass
class TopicState:
    section: guidance.Section
    marks: dict  # role -> TopicAgreement
    note: str  # what re-opened it, when it had been agreed
    missing: list = field(default_factory=list)  # coverage.Missing items of this topic
    key: str = ""  # content_key
    mine: TopicAgreement | None = None  # the viewer's own agreement (views set it)
    role_taken: bool = False  # the viewer's role has agreed it already (views set it)

    @property
    def topic(self):
        return self.section.key

    @property
    def title(self):
        return self.section.title

    @property
    def anchor(self):
        return self.section.anchor

    @property
    def agreed(self):
        return set(self.marks) >= services.BOTH_ROLES

    @property
    def rows(self):
        """(role label, TopicAgreement or None) for the buyer and the procurement officer."""
        return [(label, self.marks.get(role)) for role, label in SignOff.ROLES]


def states(session, missing=None) -> list[TopicState]:
    """Every topic of the session in page order, with who agreed it."""
    marks = {}
    if session.pk:
        for mark in session.topic_agreements.select_related("user"):
            marks.setdefault(mark.topic, {})[mark.role] = mark
    missing = coverage.missing(session) if missing is None else missing
    return [
        TopicState(
            section,
            marks.get(section.key, {}),
            (session.topic_notes or {}).get(section.key, ""),
            [m for m in missing if m.topic == section.key],
            content_key(session, section),
        )
        for section in session.template.sections
    ]


class TopicRefused(Exception):
    pass


def _section(session, topic):
    return next((s for s in session.template.sections if s.key == topic), None)


@transaction.atomic
def agree(*, session: Session, topic: str, by, role: str, seen: str) -> TopicAgreement:
    """Agree one topic as it stands, for the person's role. Refused when the topic still
    misses what it must cover, when it changed after the person's page showed it (`seen`,
    its content_key then), or when this role or this person has already agreed it."""
    session = Session.objects.select_for_update().select_related("project").get(pk=session.pk)
    section = _section(session, topic)
    if section is None:
        raise TopicRefused("There is no such topic in this session.")
    if role not in services.BOTH_ROLES:
        raise TopicRefused("Only a buyer or a procurement officer can agree a topic.")
    title = section.title
    needs = [m for m in coverage.missing(session) if m.topic == topic]
    if needs:
        raise TopicRefused(
            f"“{title}” cannot be agreed yet: it still needs {'; '.join(m.label for m in needs)}. Nothing was agreed."
        )
    for mark in session.topic_agreements.filter(topic=topic).select_related("user"):
        if mark.user_id == by.pk:
            raise TopicRefused(
                f"You have already agreed “{title}” as the {mark.get_role_display().lower()}; "
                "the other party agrees it themselves."
            )
        if mark.role == role:
            raise TopicRefused(
                f"The {mark.get_role_display().lower()} has already agreed “{title}” ({services.person_name(mark.user)})."
            )
    if seen != content_key(session, section):
        raise TopicRefused(
            f"“{title}” changed after you opened the page. Read it again, then agree it if you still do."
        )
    mark = TopicAgreement.objects.create(project=session.project, session=session, topic=topic, role=role, user=by)
    if topic in services.agreed_topics(session) and topic in (session.topic_notes or {}):
        notes = {k: v for k, v in session.topic_notes.items() if k != topic}
        session.topic_notes = notes
        # The panel's note is the newest that still stands, if any.
        session.change_note = next(reversed(notes.values()), "")
        session.save(update_fields=["topic_notes", "change_note"])
    services.settle(session)
    turns.tell(session, by=by, role=role, what=title)
    return mark


@transaction.atomic
def withdraw(*, session: Session, topic: str, by) -> bool:
    """Withdraw your own agreement to a topic: an agreed session goes back to in progress."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    removed, _ = session.topic_agreements.filter(topic=topic, user=by).delete()
    if removed:
        services.settle(session)
    return bool(removed)
