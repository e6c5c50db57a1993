"""Tailoring a project's sessions, proposing it back as a new template version, publishing, and
moving a session to a newer version (issue 19 points 1-3).

- Only the advisory team tailors, and only a project whose session 3 chose Guided or Partnered
  support (seed 000: "the advisory team will ensure that they tailor the resources to the
  project's needs"). Tailoring writes `TemplateTailoring` rows only, never the session: with the
  review log, it is all the advisory team writes on a project (issue 19 point 6).
- An agreed session is never tailored or moved: what was agreed stays as it was agreed.
- Publishing gives a draft the next number of its template; a draft started from a version
  that is no longer the latest is refused, so nobody's published change is undone unseen.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from . import guidance
from .models import Session
from .services import normalise_text
from .templates_data import (
    MAX_MINUTES,
    TemplateTailoring,
    TemplateTopic,
    TemplateVersion,
    WorkshopTemplate,
    build,
    lines,
    resolve,
    tailorings_of,
    version_for,
)

TAILORED_SUPPORT = ("guided", "partnered")
LIMITS = {"title": 200, "prompt": 1000, "helper_questions": 3000, "needs_before_signoff": 500, "change_note": 2000}
LABELS = {
    "title": "The title",
    "prompt": "The prompt",
    "helper_questions": "The helper questions",
    "needs_before_signoff": "What it needs before sign-off",
    "change_note": "The change note",
}


class TailoringRefused(Exception):
    """Said in words; nothing was changed."""


def support_level(project) -> str:
    return Session.objects.filter(project=project, number=3).values_list("support_level", flat=True).first() or ""


def refusal(project) -> str:
    """Why the project's sessions cannot be tailored, or "" when they can."""
    level = support_level(project)
    if level in TAILORED_SUPPORT:
        return ""
    chosen = guidance.level(guidance.SUPPORT_LEVELS, level)
    now = f"its support level is {chosen.label}" if chosen else "no support level has been chosen in session 3"
    return (
        "The advisory team tailors the sessions of projects with Guided or Partnered support only; "
        f"{now}. Nothing was changed."
    )


def _session(project, number, *, lock=False):
    queryset = Session.objects.filter(project=project, number=number)
    if lock:
        queryset = queryset.select_for_update()
    return queryset.first() or Session(project=project, number=number)


def _refuse_if_agreed(session, doing):
    if session.status == Session.Status.AGREED:
        raise TailoringRefused(
            f"Session {session.number} is agreed: what was agreed is not {doing}. Nothing was changed."
        )


def _clean_text(name, value) -> str:
    value = normalise_text(value)
    if len(value) > LIMITS[name]:
        raise TailoringRefused(
            f"{LABELS[name]} is {len(value):,} characters; the limit is {LIMITS[name]:,}. Nothing was changed."
        )
    return value


def _clean_minutes(value) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_MINUTES:
        raise TailoringRefused(
            f"The duration is a whole number of minutes from 1 to {MAX_MINUTES}. Nothing was changed."
        )
    return int(value)


def _check(project, by, number):
    if reason := refusal(project):
        raise TailoringRefused(reason)
    session = _session(project, number, lock=True)
    _refuse_if_agreed(session, "tailored")
    return session


@transaction.atomic
def tailor_topic(*, project, number: int, key: str, by, data, seen_version: str = "") -> TemplateTailoring | None:
    """Reword, re-time or hide one topic of the project's session (or change or remove a topic
    tailoring added). Words equal to the template's are not kept as tailoring; a topic left as
    the template has it has no tailoring row. `seen_version` is the tailoring's version the form
    was opened at ("" for none): a form opened before someone else's change is refused."""
    session = _check(project, by, number)
    template = resolve(session, tailored=False)
    base = next((s for s in template.sections if s.key == key), None)
    current = (
        TemplateTailoring.objects.select_for_update()
        .filter(project=project, session_number=number, topic_key=key)
        .first()
    )
    if (str(current.version) if current else "") != (seen_version or ""):
        raise TailoringRefused(
            "Someone else tailored this topic after you opened the page. Read it again. Nothing was changed."
        )
    added = current is not None and current.kind == TemplateTailoring.Kind.ADD
    if base is None and not added:
        raise TailoringRefused(f"Session {number} has no topic “{key}”. Nothing was changed.")
    if added and data.get("remove"):
        current.delete()
        return None
    words = {name: _clean_text(name, data.get(name, "")) for name in ("title", "prompt", "helper_questions")}
    minutes = _clean_minutes(data.get("duration_minutes"))
    if added:
        if not words["title"]:
            raise TailoringRefused("An added topic needs a title. Nothing was changed.")
        values = {**words, "duration_minutes": minutes}
        values["needs_before_signoff"] = _clean_text("needs_before_signoff", data.get("needs_before_signoff", ""))
        kind = TemplateTailoring.Kind.ADD
    else:
        topic = next(t for t in template.version.topics.all() if t.key == key)
        theirs = {"title": topic.title, "prompt": topic.prompt, "helper_questions": topic.helper_questions}
        # Only what differs from the template is tailoring.
        values = {name: ("" if _same(name, value, theirs[name]) else value) for name, value in words.items()}
        values["duration_minutes"] = None if minutes in (None, topic.duration_minutes) else minutes
        kind = TemplateTailoring.Kind.HIDE if data.get("hidden") else TemplateTailoring.Kind.CHANGE
        if kind == TemplateTailoring.Kind.CHANGE and not any(values.values()):
            if current is not None:
                current.delete()  # back to the template's words; the history keeps what it was
            return None
        if kind == TemplateTailoring.Kind.HIDE and len(template.sections) - _hidden_count(project, number, key) < 1:
            raise TailoringRefused("A session keeps at least one topic. Nothing was changed.")
    if current is None:
        current = TemplateTailoring(project=project, session_number=number, topic_key=key)
    else:
        current.version += 1
    for name, value in values.items():
        setattr(current, name, value)
    current.kind, current.by = kind, by
    current.name = f"Session {number}: {values['title'] or (base.title if base else current.title)}"[:220]
    current.full_clean()
    current.save()
    return current


def _same(name, value, theirs) -> bool:
    if name == "helper_questions":
        return lines(value) == lines(theirs)
    return value.strip() == (theirs or "").strip()


def _hidden_count(project, number, key) -> int:
    return (
        TemplateTailoring.objects.filter(project=project, session_number=number, kind=TemplateTailoring.Kind.HIDE)
        .exclude(topic_key=key)
        .count()
    ) + 1


@transaction.atomic
def add_topic(*, project, number: int, by, data) -> TemplateTailoring:
    """A topic of the project's own, to discuss and agree (it has no answer field)."""
    _check(project, by, number)
    title = _clean_text("title", data.get("title", ""))
    if not title:
        raise TailoringRefused("An added topic needs a title. Nothing was changed.")
    base = "added-" + (slugify(title)[:30].strip("-") or "topic")
    taken = set(
        TemplateTailoring.objects.filter(project=project, session_number=number).values_list("topic_key", flat=True)
    ) | set(TemplateTopic.objects.filter(version__template__number=number).values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    tailoring = TemplateTailoring(
        project=project,
        session_number=number,
        topic_key=key,
        kind=TemplateTailoring.Kind.ADD,
        title=title,
        prompt=_clean_text("prompt", data.get("prompt", "")),
        helper_questions=_clean_text("helper_questions", data.get("helper_questions", "")),
        duration_minutes=_clean_minutes(data.get("duration_minutes")),
        needs_before_signoff=_clean_text("needs_before_signoff", data.get("needs_before_signoff", "")),
        by=by,
        name=f"Session {number}: {title}"[:220],
    )
    tailoring.full_clean()
    tailoring.save()
    return tailoring


# What a version changes ------------------------------------------------------------------------

ASPECTS = [
    ("title", "Title"),
    ("prompts", "Prompt and helper questions"),
    ("field_prompts", "Prompts beside the fields"),
    ("duration_minutes", "Duration (minutes)"),
    ("needs_before_signoff", "Needs before sign-off"),
]


@dataclass
class TopicChange:
    key: str
    title: str
    status: str  # added | removed | changed | same
    rows: list = field(default_factory=list)  # (aspect label, old, new) of what differs, or all for added/removed

    @property
    def status_label(self):
        return {"added": "Added", "removed": "Removed", "changed": "Changed", "same": "Unchanged"}[self.status]


def _aspects(section) -> dict:
    return {
        "title": section.title,
        "prompts": "\n".join(_prompts(section)),
        "field_prompts": "\n".join(f"{f.label}: {' '.join(f.prompts)}" for f in section.fields if f.prompts)
        if len(section.fields) > 1
        else "",
        "duration_minutes": str(section.duration_minutes or ""),
        "needs_before_signoff": section.needs_before_signoff,
    }


def diff(old: guidance.Template, new: guidance.Template) -> list[TopicChange]:
    """Topic by topic, what `new` changes from `old` (in `new`'s order, removed ones last)."""
    before = {s.key: s for s in old.sections}
    after = {s.key: s for s in new.sections}
    changes = []
    for key, section in after.items():
        now = _aspects(section)
        if key not in before:
            changes.append(
                TopicChange(key, section.title, "added", [(label, "", now[a]) for a, label in ASPECTS if now[a]])
            )
            continue
        was = _aspects(before[key])
        rows = [(label, was[a], now[a]) for a, label in ASPECTS if was[a] != now[a]]
        changes.append(TopicChange(key, section.title, "changed" if rows else "same", rows))
    for key, section in before.items():
        if key not in after:
            was = _aspects(section)
            changes.append(
                TopicChange(key, section.title, "removed", [(label, was[a], "") for a, label in ASPECTS if was[a]])
            )
    return changes


def header_changes(old: guidance.Template, new: guidance.Template) -> list:
    rows = [("Title", old.title, new.title), ("Estimated duration", old.duration, new.duration)]
    rows.append(("The pair align on", "\n".join(old.aligns_on), "\n".join(new.aligns_on)))
    return [row for row in rows if row[1] != row[2]]


@dataclass
class Newer:
    """A newer published version than the session's, and what moving to it would change."""

    version: TemplateVersion
    changes: list  # TopicChange, the unchanged ones left out
    header: list

    @property
    def summary(self):
        return [c for c in self.changes if c.status != "same"]


def newer_for(session) -> Newer | None:
    """The latest version, when it is newer than the one the session uses, with what it would
    change for this project (its tailoring kept)."""
    current = session.template
    latest = TemplateVersion.objects.latest_for(session.number)
    if latest is None or current.version is None or latest.number <= (current.version.number or 0):
        return None
    then = build(session.number, latest, list(latest.topics.all()), tailorings_of(session.project_id, session.number))
    changes = diff(current, then)
    return Newer(latest, [c for c in changes if c.status != "same"], header_changes(current, then))


@transaction.atomic
def move(*, session: Session, to: TemplateVersion, by) -> Session:
    """Move a session (not agreed) to a newer published version of its template."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    _refuse_if_agreed(session, "moved to another template version")
    if not to.is_published or to.template.number != session.number:
        raise TailoringRefused("That is not a published version of this session's template. Nothing was changed.")
    if session.template_version_id and to.number <= session.template_version.number:
        raise TailoringRefused(
            f"Session {session.number} already uses version {session.template_version.number}. Nothing was changed."
        )
    session.template_version = to
    session.save(update_fields=["template_version"])
    session.forget_template()
    return session


# Back into the master template -----------------------------------------------------------------


@transaction.atomic
def propose(*, project, number: int, by) -> TemplateVersion:
    """A draft version of session `number`'s template: the version the project's session uses,
    with the project's tailoring written into it. Refused when nothing is tailored, or when the
    session's version is not the latest (the draft would undo what was published since)."""
    session = _session(project, number)
    if not tailorings_of(project.pk, number):
        raise TailoringRefused(f"Session {number} of this project is not tailored: there is nothing to propose.")
    base = version_for(session)
    latest = TemplateVersion.objects.latest_for(number)
    if latest.pk != base.pk:
        raise TailoringRefused(
            f"This project's session {number} uses version {base.number}, but version {latest.number} is the latest: "
            "a proposal from it would undo what was published since. Nothing was proposed."
        )
    tailored = resolve(session)
    fields_of = {t.key: t.field_prompts for t in base.topics.all()}
    draft = TemplateVersion.objects.create(
        template=base.template,
        title=base.title,
        duration=base.duration,
        aligns_on=base.aligns_on,
        author=by,
        based_on=base,
        proposed_from=project,
    )
    TemplateTopic.objects.bulk_create(
        TemplateTopic(
            version=draft,
            key=section.key,
            title=section.title,
            prompt=(_prompts(section) or ("",))[0],
            helper_questions="\n".join(_prompts(section)[1:]),
            field_prompts=fields_of.get(section.key, {}),
            duration_minutes=section.duration_minutes,
            needs_before_signoff=section.needs_before_signoff,
            order=order,
        )
        for order, section in enumerate(tailored.sections)
    )
    return draft


def _prompts(section) -> tuple:
    """A topic's prompt and helper questions as shown: beside a one-field topic's field, or the topic's."""
    if len(section.fields) == 1 and not section.embed:
        return section.fields[0].prompts
    return section.prompts


def draft_template(version: TemplateVersion) -> guidance.Template:
    return build(version.template.number, version, list(version.topics.all()), {})


@transaction.atomic
def publish(*, version: TemplateVersion, by, change_note: str) -> TemplateVersion:
    """Give a draft the next version number of its template, with its change note, and freeze it."""
    WorkshopTemplate.objects.select_for_update().get(pk=version.template_id)
    version = TemplateVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise TailoringRefused(f"This draft was published already, as version {version.number}.")
    note = _clean_text("change_note", change_note)
    if not note:
        raise TailoringRefused("Say what this version changes, and why, in the change note. Nothing was published.")
    latest = version.template.latest()
    if version.based_on_id and latest is not None and latest.pk != version.based_on_id:
        raise TailoringRefused(
            f"Version {latest.number} was published after this draft was started from version "
            f"{version.based_on.number}: publishing it would undo that. Nothing was published."
        )
    if not version.topics.exists():
        raise TailoringRefused("A version needs at least one topic. Nothing was published.")
    version.number = (version.template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version.change_note, version.published_at, version.published_by = note, timezone.now(), by
    if version.author_id is None:
        version.author = by
    version._publishing = True
    version.save()
    return version


@transaction.atomic
def start_draft(*, template: WorkshopTemplate, by) -> TemplateVersion:
    """A draft copy of the template's latest version, to edit in admin and publish."""
    base = template.latest()
    draft = TemplateVersion.objects.create(
        template=template,
        title=base.title,
        duration=base.duration,
        aligns_on=base.aligns_on,
        author=by,
        based_on=base,
    )
    TemplateTopic.objects.bulk_create(
        TemplateTopic(
            version=draft,
            key=t.key,
            title=t.title,
            prompt=t.prompt,
            helper_questions=t.helper_questions,
            field_prompts=t.field_prompts,
            duration_minutes=t.duration_minutes,
            needs_before_signoff=t.needs_before_signoff,
            order=t.order,
        )
        for t in base.topics.all()
    )
    return draft
