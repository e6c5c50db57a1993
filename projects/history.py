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


def tracked_models():
    for model in apps.get_models():
        history = getattr(model, "history", None)
        if history is None or not hasattr(history, "model"):
            continue
        if model is Project or any(f.name == "project" for f in model._meta.fields):
            yield model


def _display(record, field):
    value = getattr(record, field.attname, None)
    if value is None or value == "":
        return "(blank)"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return text if len(text) <= 300 else text[:297] + "…"


def project_changes(project, limit=200):
    """The newest `limit` changes to the project and everything in it, newest first."""
    changes = []
    for model in tracked_models():
        history_model = model.history.model
        key = "id" if model is Project else "project_id"
        records = list(
            history_model.objects.filter(**{key: project.pk})
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        fields = [f for f in model._meta.fields if f.name not in HIDDEN_FIELDS and f.name not in {"id", "project"}]
        verbose = model._meta.verbose_name
        for _, group in groupby(records, key=lambda r: r.id):
            previous = None
            for record in group:
                details = []
                if record.history_type == "~" and previous is not None:
                    for field in fields:
                        old, new = _display(previous, field), _display(record, field)
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
                        name=str(getattr(record, "name", "") or getattr(record, "reference", "") or record.id),
                        details=details,
                    )
                )
                previous = record
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]
