"""Who changed what: the project's audit trail in plain words.

Every domain model with `history = HistoricalRecords()` and a `project` foreign key (or the
Project itself) is picked up here, so a new area's models appear without extra wiring.
"""

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from django.apps import apps

from .models import Project

HIDDEN_FIELDS = {"version", "position", "updated_at", "created_at", "snapshot", "pdf", "pdf_sha256"}
ACTIONS = {"+": "added", "~": "changed", "-": "deleted"}


@dataclass
class Change:
    when: datetime
    who: str
    action: str
    what: str
    name: str
    details: list  # (field label, old, new)


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
            for record in group:
                details = []
                if record.history_type == "~" and previous is not None:
                    for field in fields:
                        old, new = _display(previous, field, names), _display(record, field, names)
                        if old != new:
                            details.append((field.verbose_name, old, new))
                    if not details:
                        previous = record
                        continue
                changes.append(
                    Change(
                        when=record.history_date,
                        who=str(record.history_user) if record.history_user else "system",
                        action=ACTIONS.get(record.history_type, "changed"),
                        what=verbose,
                        name=_name(model, record, names),
                        details=details,
                    )
                )
                previous = record
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]
