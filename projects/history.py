"""Who changed what: the project's audit trail in plain words.

Every domain model with `history = HistoricalRecords()` and a `project` foreign key (or the
Project itself) is picked up here, so a new area's models appear without extra wiring.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from django.apps import apps

from .models import Project

HIDDEN_FIELDS = {"version", "position", "updated_at", "created_at", "snapshot", "pdf", "pdf_sha256"}
ACTIONS = {"+": "added", "~": "changed", "-": "deleted"}
# Autosave stores a version at every pause in typing. Saves of the same fields of one record by
# one person, each within BURST of the one before, read as one change: from the first value to
# the last.
BURST = timedelta(minutes=10)


@dataclass
class Change:
    when: datetime
    who: str
    action: str
    what: str
    name: str
    details: list  # (field label, old, new)
    who_id: int | None = None
    since: datetime | None = None  # the first save of a burst; `when` is the last
    saves: int = 1
    fields: tuple = ()  # the changed fields' names, to match a burst

    def absorbs(self, later) -> bool:
        """Whether `later` (the next change of the same record) continues this burst."""
        return (
            self.action == later.action == "changed"
            and self.who_id is not None
            and self.who_id == later.who_id
            and self.fields == later.fields
            and later.when - self.when <= BURST
        )

    def absorb(self, later):
        """One change from this one's old values to `later`'s new ones; a field typed back to
        where it started drops out."""
        old = {label: before for label, before, _ in self.details}
        self.details = [(label, old[label], after) for label, _, after in later.details if old[label] != after]
        self.since = self.since or self.when
        self.when = later.when
        self.saves += 1


def _person(user):
    """A person by their full name, else their username; "system" for changes no one made."""
    if user is None:
        return "system"
    return user.get_full_name() or user.get_username()


def _has_project(model):
    return model is Project or any(f.name == "project" for f in model._meta.fields)


def _tracked(model):
    history = getattr(model, "history", None)
    return history is not None and hasattr(history, "model")


def _scope(model):
    """A function giving the filter on `model`'s history rows for one project, or None. A model
    without a project key is reached through a tracked parent that has one (a RACI cell through
    its activity), via the parent's history so rows of deleted parents are found too."""
    if model is Project:
        return lambda pk: {"id": pk}
    if _has_project(model):
        return lambda pk: {"project_id": pk}
    for field in model._meta.fields:
        parent = field.related_model
        if field.many_to_one and parent is not Project and _tracked(parent) and _has_project(parent):
            parent_history = parent.history.model
            return lambda pk: {f"{field.attname}__in": parent_history.objects.filter(project_id=pk).values("id")}
    return None


def tracked_models():
    """(model, scope) for every model whose history belongs to a project."""
    for model in apps.get_models():
        if _tracked(model) and (scope := _scope(model)) is not None:
            yield model, scope


NAME_FIELDS = ("name", "reference", "event", "purpose", "text")


def _own_name(model, record):
    for attr in NAME_FIELDS:
        value = getattr(record, attr, "")
        if value:
            text = str(value)
            if getattr(record, "number", None) and attr == "event":
                text = f"R{record.number}: {text}"
            return text if len(text) <= 120 else text[:117] + "…"
    if getattr(record, "number", None):
        return f"{model._meta.verbose_name.capitalize()} {record.number}"
    return ""


def _foreign_keys(model):
    return [f for f in model._meta.fields if f.many_to_one and f.name != "project" and f.related_model is not Project]


def _display(record, field, names):
    value = getattr(record, field.attname, None)
    if value is None or value == "":
        return "(blank)"
    if field.many_to_one:
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return text if len(text) <= 300 else text[:297] + "…"


def _names(loaded):
    """{(model, pk): display name} for every record a change may point at: tracked records of the
    project by their latest name in history, anything else (users) in one query per model."""
    names = {}
    for model, records in loaded:
        for record in records:  # ordered by id, then time: the latest name wins
            name = _own_name(model, record)
            if name:
                names[(model, record.id)] = name
    wanted = {}
    for model, records in loaded:
        for field in _foreign_keys(model):
            for record in records:
                value = getattr(record, field.attname, None)
                if value is not None and (field.related_model, value) not in names:
                    wanted.setdefault(field.related_model, set()).add(value)
    for model, ids in wanted.items():
        for obj in model._default_manager.filter(pk__in=ids):
            names[(model, obj.pk)] = (
                (obj.get_full_name() or obj.get_username()) if hasattr(obj, "get_username") else str(obj)
            )
    return names


def _name(model, record, names):
    """The record's own name, else the names of what it links (a RACI cell: "activity / person")."""
    return _own_name(model, record) or " / ".join(
        names.get((f.related_model, getattr(record, f.attname)), "?")
        for f in _foreign_keys(model)
        if getattr(record, f.attname, None) is not None
    )


def project_changes(project, limit=200):
    """The newest `limit` changes to the project and everything in it, newest first. One query
    per tracked model, plus one per kind of other record named (users)."""
    loaded = [
        (
            model,
            list(
                model.history.model.objects.filter(**scope(project.pk))
                .select_related("history_user")
                .order_by("id", "history_date", "history_id")
            ),
        )
        for model, scope in tracked_models()
    ]
    names = _names(loaded)
    changes = []
    for model, records in loaded:
        fields = [f for f in model._meta.fields if f.name not in HIDDEN_FIELDS and f.name not in {"id", "project"}]
        verbose = model._meta.verbose_name
        for _, group in groupby(records, key=lambda r: r.id):
            previous = None
            last = None  # this record's latest change so far, which a burst extends
            for record in group:
                details, changed = [], []
                if record.history_type == "~" and previous is not None:
                    for f in fields:
                        old, new = _display(previous, f, names), _display(record, f, names)
                        if old != new:
                            details.append((f.verbose_name, old, new))
                            changed.append(f.name)
                    if not details:
                        previous = record
                        continue
                change = Change(
                    when=record.history_date,
                    who=_person(record.history_user),
                    who_id=record.history_user_id,
                    action=ACTIONS.get(record.history_type, "changed"),
                    what=verbose,
                    name=_name(model, record, names),
                    details=details,
                    fields=tuple(changed),
                )
                previous = record
                if last is not None and last.absorbs(change):
                    last.absorb(change)
                    continue
                changes.append(change)
                last = change
    # A burst typed back to where it started changed nothing in the end.
    changes = [c for c in changes if c.action != "changed" or c.details]
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]
