"""Writes to the alignment sessions: per-field compare-and-set, sign-off and its clearing.

Two people in one workshop edit different fields of the same session at once. Saving per
field, each with the value the client started from, means neither loses typing: a field is
written only if its stored value is still the one the client saw (or already equals the new
value). Otherwise the caller gets the other person's value back as a conflict.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django import forms
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from projects.concurrency import strip_control_chars
from projects.models import Membership, Project
from projects.plan.models import Milestone
from raci.models import Activity, Assignment
from risks.models import Risk

from . import coverage, guidance, minutes, turns
from .events import support_chosen
from .models import Assumption, Evidence, Session, SignOff, TopicAgreement

# Fields every session has, shown in its header. Changing them does not clear sign-offs:
# they record the meeting, not what was agreed in it.
# The status is not edited by hand: the first change makes a session "in progress", and
# sign-off by both a buyer and a procurement officer makes it "agreed".
META_FIELDS = {
    "held_on": "Held on",
    "attendees": "Attendees",
}


@dataclass
class FieldResult:
    name: str
    label: str
    saved: bool = False
    changed: bool = False
    value: str = ""  # canonical stored value after the save (or the user's, on failure)
    theirs: str = ""  # the other person's stored value, on a conflict
    theirs_display: str = ""
    error: str = ""
    at: datetime | None = None
    cleared: list = field(default_factory=list)  # topic agreements the change removed

    @property
    def conflict(self):
        return bool(self.theirs_display)


def session_for(project, number) -> Session:
    session, _ = Session.objects.get_or_create(project=project, number=number)  # save() gives it the latest template
    return session


def field_names(number):
    return [f.name for f in guidance.TEMPLATES[number].fields] + list(META_FIELDS)


def label_for(number, name):
    spec = guidance.field_spec(number, name)
    return spec.label if spec else META_FIELDS.get(name, name)


def _where(number, name):
    spec = guidance.field_spec(number, name)
    return spec.on if spec else "session"


def normalise_text(value):
    value = strip_control_chars(value or "")
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def canonical(obj, name) -> str:
    """A field's stored value as the string the page carries in its hidden `orig-` input."""
    if name == "attendees":
        if not obj.pk:
            return ""
        return ",".join(str(pk) for pk in sorted(obj.attendees.values_list("pk", flat=True)))
    value = getattr(obj, name)
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return normalise_text(str(value))


def display(obj, name) -> str:
    """A stored value in words, for a conflict message."""
    if name == "attendees":
        return ", ".join(str(s) for s in obj.attendees.all()) or "(nobody)"
    getter = getattr(obj, f"get_{name}_display", None)
    value = getter() if getter else getattr(obj, name)
    if hasattr(value, "year"):
        return date_format(value, "j F Y")
    return str(value) if value not in (None, "") else "(blank)"


def _form_field(project, number, name):
    if name == "attendees":
        return forms.ModelMultipleChoiceField(queryset=project.stakeholders.all(), required=False)
    model = Project if _where(number, name) == "project" else Session
    return model._meta.get_field(name).formfield()


def max_length(spec) -> int | None:
    """The most characters a session text field stores (the model's limit)."""
    model = Project if spec.on == "project" else Session
    return model._meta.get_field(spec.name).max_length


def clean_value(project, number, name, data):
    """Validate one posted field. Returns (python value, canonical string) or raises ValidationError."""
    form_field = _form_field(project, number, name)
    if name == "attendees":
        raw = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        value = list(form_field.clean(raw))
        return value, ",".join(str(pk) for pk in sorted(s.pk for s in value))
    raw = data.get(name, "")
    if isinstance(raw, str):
        raw = normalise_text(raw)
    limit = getattr(form_field, "max_length", None)
    if limit and isinstance(raw, str) and len(raw) > limit:
        # Never cut a paste to fit: refuse it whole, saying how long it is and what fits.
        raise forms.ValidationError(
            f"{label_for(number, name)} is {len(raw):,} characters; the limit is {limit:,}. Nothing was saved."
        )
    value = form_field.clean(raw)
    if value is None:
        return None, ""
    if hasattr(value, "isoformat"):
        return value, value.isoformat()
    return value, normalise_text(str(value))


def _normalise_original(name, original):
    if name == "attendees":
        ids = sorted(int(x) for x in (original or "").split(",") if x.strip().isdigit())
        return ",".join(str(x) for x in ids)
    return normalise_text(original)


def save_field(*, session: Session, name: str, data, original: str, by) -> FieldResult:
    """Compare-and-set one field of a session (or of its project, for session 1's objective,
    outcome and problem). Saves when the stored value still equals `original`; a no-op when it
    already equals the new value; otherwise reports the other person's value as a conflict."""
    project = session.project
    number = session.number
    result = FieldResult(name=name, label=label_for(number, name))
    try:
        value, new = clean_value(project, number, name, data)
    except forms.ValidationError as error:
        result.error = " ".join(error.messages)
        result.value = normalise_text(data.get(name, "") if name != "attendees" else "")
        return result
    result.value = new
    original = _normalise_original(name, original)
    on_project = _where(number, name) == "project"
    with transaction.atomic():
        # Lock the row first (IMMEDIATE transactions on SQLite, a row lock on PostgreSQL) so
        # the compare and the write cannot interleave with another save.
        target = (
            (Project if on_project else Session)
            .objects.select_for_update()
            .get(pk=project.pk if on_project else session.pk)
        )
        current = canonical(target, name)
        if current == new:
            result.saved, result.at = True, timezone.now()
            return result
        if current != original:
            result.theirs, result.theirs_display = current, display(target, name)
            return result
        if name == "attendees":
            target.attendees.set(value)
            target.version = F("version") + 1
            target.save(update_fields=["version"])
        else:
            setattr(target, name, value if value is not None else (None if name == "held_on" else ""))
            target.version = F("version") + 1
            update = [name, "version"] + (["updated_at"] if on_project else [])
            if not on_project and target.status == Session.Status.NOT_STARTED:
                # The first answer starts the session in the same save, so the history shows one
                # change (and a burst of autosaves stays one line), not a separate status change.
                target.status = Session.Status.IN_PROGRESS
                update.append("status")
            target.save(update_fields=update)
        result.saved = result.changed = True
        result.at = timezone.now()
        if name in META_FIELDS:
            _mark_in_progress(session)
        else:
            topic = guidance.TEMPLATES[number].topic_of_field(name).key  # the structure: hidden topics too
            result.cleared = content_changed(session=session, what=result.label, by=by, topic=topic, touch=on_project)
        if number == 1 and name in SUPPORT_INPUTS:
            _support_inputs_changed(target, name, old=current, by=by)
    return result


SUPPORT_INPUTS = ("maturity", "risk_appetite")


def _support_inputs_changed(first: Session, name: str, *, old: str, by):
    """Session 1's maturity or risk appetite feeds session 3's recommended support level. When
    the recommendation moves and session 3 has chosen a level, session 3's content changed too:
    its sign-offs are cleared with a note, and its page shows the new recommendation."""
    now = {n: getattr(first, n) or "" for n in SUPPORT_INPUTS}
    before = {**now, name: old}
    was, becomes = guidance.recommended_support(**before), guidance.recommended_support(**now)
    if was == becomes:
        return
    third = Session.objects.filter(project_id=first.project_id, number=3).exclude(support_level="").first()
    if third:
        content_changed(
            session=third,
            what="The recommended support level (session 1's maturity or risk appetite)",
            by=by,
            topic="support",
        )


def save_fields(*, session: Session, data, by) -> list[FieldResult]:
    """The no-JavaScript path: the whole page posted at once, each field compared on its own.
    A field the person left as it was is not saved: the page carries every field, and writing
    back an untouched one would report a conflict, or undo, someone else's autosaved change."""
    results = []
    for name in field_names(session.number):
        if name not in data and not (name == "attendees" and "orig-attendees" in data):
            continue
        original = data.get(f"orig-{name}", "")
        try:
            _, new = clean_value(session.project, session.number, name, data)
        except forms.ValidationError:
            new = None  # save_field reports the problem
        if new is not None and new == _normalise_original(name, original):
            continue
        results.append(save_field(session=session, name=name, data=data, original=original, by=by))
    return results


def person_name(user):
    return (user.get_full_name() or user.username) if user else "someone"


def _names(marks):
    return " and ".join(f"{person_name(m.user)} ({m.get_role_display().lower()})" for m in marks)


def content_changed(*, session: Session, what: str, by, topic: str, touch: bool = False, when=None) -> list:
    """Record that one topic of the session changed: the session is in progress, and if the
    topic had been agreed, that topic only is re-opened (both agreements to it removed), with
    a visible note saying what changed, who changed it and when. The session stops being
    agreed until the pair agree that topic again; its other topics and the sign-offs stand.
    Returns the topic agreements the change removed."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    removed = list(session.topic_agreements.filter(topic=topic).select_related("user"))
    fields = []
    if removed:
        for mark in removed:
            mark.delete()
        when = timezone.localtime(when or timezone.now())
        title = session.template.topic_title(topic)
        note = (
            f"{what} changed by {person_name(by)} on {date_format(when, 'j F Y')} at {date_format(when, 'H:i')}; "
            f"“{title}” had been agreed by {_names(removed)} and needs agreeing again."
        )[:500]
        session.topic_notes = {**session.topic_notes, topic: note}
        session.change_note = note
        session.changed_at = when
        fields += ["topic_notes", "change_note", "changed_at"]
    if session.status != Session.Status.IN_PROGRESS:
        session.status = Session.Status.IN_PROGRESS
        session.agreed_at = None
        fields += ["status", "agreed_at"]
    if fields or touch:
        # A project field changed (session 1): the session's version moves too, so a sign-off
        # form opened before the change is refused.
        session.version = F("version") + 1
        session.save(update_fields=fields + ["version"])
    return removed


BOTH_ROLES = frozenset({Membership.Role.BUYER, Membership.Role.OFFICER})


def agreed_topics(session) -> set:
    """The keys of the topics both the buyer and the procurement officer have agreed."""
    roles = {}
    for topic, role in session.topic_agreements.values_list("topic", "role"):
        roles.setdefault(topic, set()).add(role)
    return {topic for topic, have in roles.items() if have >= BOTH_ROLES}


def settle(session, *, at=None):
    """A session's status from its topic agreements and sign-offs: agreed when every topic is
    agreed and both the buyer and the procurement officer have signed. Becoming agreed freezes
    a new version of the minutes (alignment/minutes.py). Call inside the writing transaction,
    with the session row locked."""
    signed = set(session.signoffs.values_list("role", flat=True))
    every_topic = {section.key for section in session.template.sections} <= agreed_topics(session)
    fields = []
    if signed >= BOTH_ROLES and every_topic:
        if session.status != Session.Status.AGREED:
            session.status = Session.Status.AGREED
            session.agreed_at = at or timezone.now()
            session.change_note = ""
            session.topic_notes = {}
            fields = ["status", "agreed_at", "change_note", "topic_notes"]
    elif session.status == Session.Status.AGREED:
        session.status, session.agreed_at = Session.Status.IN_PROGRESS, None
        fields = ["status", "agreed_at"]
    elif session.status == Session.Status.NOT_STARTED:
        session.status = Session.Status.IN_PROGRESS
        fields = ["status"]
    if fields:
        session.save(update_fields=fields)
        if session.status == Session.Status.AGREED:
            minutes.freeze(session)


def _mark_in_progress(session):
    session = Session.objects.get(pk=session.pk)
    if session.status == Session.Status.NOT_STARTED:
        session.status = Session.Status.IN_PROGRESS
        session.save(update_fields=["status"])


class SignOffRefused(Exception):
    pass


@transaction.atomic
def session_sign(*, session: Session, by, role: str, seen_version: int | None, opened=None) -> SignOff:
    """Sign the session as it stands, for the signer's role. Both a buyer and a procurement
    officer signed: the session is agreed. Refused if the session's fields changed since the
    signer's page showed it (`seen_version`), if it does not yet cover what it must
    (alignment/coverage.py), or if someone else changed the records the page
    shows (evidence, assumptions, milestones, risks, RACI) after `opened`."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if role not in (Membership.Role.BUYER, Membership.Role.OFFICER):
        raise SignOffRefused("Only a buyer or a procurement officer can sign off a session.")
    if coverage.missing(session):
        # An empty session is never "agreed": what it must cover is written first.
        raise SignOffRefused(coverage.refusal(session))
    if seen_version is not None and seen_version != session.version:
        raise SignOffRefused(
            "The session changed after you opened it. Read it again, then sign off if you still agree."
        )
    if opened is not None:
        change = _latest_embedded_change(session.project_id, session.number, opened, exclude_user=by)
        if change:
            what, when, changer = change
            when = timezone.localtime(when)
            raise SignOffRefused(
                f"{what} changed after you opened the session ({person_name(changer)}, {date_format(when, 'H:i')}). "
                "Read it again, then sign off if you still agree."
            )
    own = session.signoffs.filter(user=by).first()
    if own:
        # One person never holds both halves of an agreement, even after a change of role.
        raise SignOffRefused(
            f"You have already signed off this session as the {own.get_role_display().lower()}; "
            "the other party must sign off themselves."
        )
    existing = session.signoffs.filter(role=role).select_related("user").first()
    if existing:
        raise SignOffRefused(
            f"The {existing.get_role_display().lower()} has already signed off ({person_name(existing.user)})."
        )
    signoff = SignOff.objects.create(project=session.project, session=session, user=by, role=role)
    agree_remaining_topics(session, role=role, by=by)
    settle(session)
    turns.tell(session, by=by, role=role, what="signed")
    return signoff


def agree_remaining_topics(session, *, role, by, at=None):
    """Signing agrees, for the signer's role, every topic not yet agreed: the workshop may agree
    topics one by one, and the sign-off covers the rest as they stand."""
    have = set(session.topic_agreements.filter(role=role).values_list("topic", flat=True))
    for section in session.template.sections:
        if section.key not in have:
            mark = TopicAgreement.objects.create(
                project=session.project, session=session, topic=section.key, role=role, user=by
            )
            if at is not None:  # agreed_at is set on create
                TopicAgreement.objects.filter(pk=mark.pk).update(agreed_at=at)


@transaction.atomic
def session_withdraw(*, session: Session, by) -> bool:
    """Withdraw your own sign-off; an agreed session goes back to in progress."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    mine = session.signoffs.filter(user=by)
    if not mine.exists():
        return False
    for signoff in mine:
        signoff.delete()
    settle(session)
    return True


def support_decide(*, session: Session, level: str, reason: str, original: str, by) -> tuple[bool, str, str]:
    """Record session 3's support level. Choosing other than the recommendation needs a reason.
    Returns (saved, message, the field the message is about: "support_level", "support_reason"
    or "" for the whole choice)."""
    levels = {item.code for item in guidance.SUPPORT_LEVELS}
    if level not in levels:
        return False, "Choose one of the support levels.", "support_level"
    reason = normalise_text(reason)
    if len(reason) > 2000:
        return False, f"Keep the reason to 2,000 characters (it has {len(reason):,}).", "support_reason"
    first = Session.objects.filter(project=session.project, number=1).first()
    recommended = guidance.recommended_support(first.maturity, first.risk_appetite) if first else None
    if recommended and level != recommended and not reason:
        return False, "Say why you chose a different level from the recommended one.", "support_reason"
    with transaction.atomic():
        target = Session.objects.select_for_update().get(pk=session.pk)
        if target.support_level != (original or "") and target.support_level != level:
            return (
                False,
                f"{person_name(target.support_decided_by)} chose “{target.get_support_level_display()}” while you were deciding. "
                "Your choice is still selected: save again to replace theirs.",
                "",
            )
        target.support_level = level
        target.support_recommended = recommended or ""
        target.support_reason = reason if level != recommended else ""
        target.support_decided_by = by
        target.support_decided_at = timezone.now()
        target.version = F("version") + 1
        target.save(
            update_fields=[
                "support_level",
                "support_recommended",
                "support_reason",
                "support_decided_by",
                "support_decided_at",
                "version",
            ]
        )
        content_changed(session=session, what="Support level", by=by, topic="support")
        support_chosen.send(sender=Session, session=target, level=level, by=by)
    return True, "Saved the support level.", ""


# Sessions 2 and 3 embed other areas' records (their editors save them, not this app): a
# change there after a topic was agreed re-opens that topic when it is written (alignment/signals.py).
# {session number: [(model, path to the project, what, the topic it belongs to)]}
EMBEDDED_CONTENT = {
    1: [(Evidence, "project_id", "The evidence", "evidence")],
    2: [
        (Milestone, "project_id", "The work plan", "milestones"),
        (Risk, "project_id", "The risk register", "risks"),
        (Assumption, "project_id", "The assumptions and questions log", "assumptions"),
    ],
    3: [
        (Activity, "project_id", "The RACI matrix", "raci"),
        (Assignment, "activity__project_id", "The RACI matrix", "raci"),
    ],
}


def embedded_sources(model):
    """(session number, path to the project, what, topic) for each session showing `model`'s records."""
    return [
        (number, path, what, topic)
        for number, sources in EMBEDDED_CONTENT.items()
        for source, path, what, topic in sources
        if source is model
    ]


def _embedded_histories():
    """(session number, index, history model, path to the project) of every embedded source."""
    for number, sources in EMBEDDED_CONTENT.items():
        for index, (model, path, _, _) in enumerate(sources):
            yield number, index, model.history.model, path


def embedded_marker(project_id, number, topic) -> list:
    """The newest history row id of each kind of record the topic shows: it moves whenever
    one of them is added, changed or deleted."""
    return [
        model.history.model.objects.filter(**{path: project_id})
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
        for model, path, _, source_topic in EMBEDDED_CONTENT.get(number, [])
        if source_topic == topic
    ]


def _latest_embedded_change(project_id, number, since, exclude_user=None):
    """(what, when, who) of the newest change to the session's embedded records after `since`
    (by anyone but `exclude_user`)."""
    latest = None
    for source_number, index, model, path in _embedded_histories():
        if source_number != number:
            continue
        records = model.objects.filter(**{path: project_id}, history_date__gt=since)
        if exclude_user is not None:
            records = records.exclude(history_user=exclude_user)
        record = records.select_related("history_user").order_by("-history_date").first()
        if record and (latest is None or record.history_date > latest[1]):
            latest = (EMBEDDED_CONTENT[number][index][2], record.history_date, record.history_user)
    return latest
