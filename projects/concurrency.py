"""Optimistic concurrency for every edit form.

A form opened at version N saves only if the row is still at version N (one conditional
UPDATE, safe on SQLite and PostgreSQL). Otherwise the form gets an error listing the other
person's values and its version is moved on, so the user's own values stay in the form and
a second save deliberately overwrites.
"""

import re

from django import forms
from django.db import transaction
from django.db.models import F

# C0 control characters other than tab, newline and carriage return (e.g. \x0b pasted from
# Word) are stripped: they break .xlsx writing and PDF text later.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_chars(value):
    """Text as we store it: stray control characters gone, and every line ending "\\n".

    Browsers send a textarea's lines as "\\r\\n" and spreadsheets may hold a lone "\\r"; stored
    as sent, the same words would compare unequal to what was stored before (and an agreed
    session would read as changed). Every form, import and model save goes through here.
    """
    if not isinstance(value, str):
        return value
    return CONTROL_CHARS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


class VersionedModelForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.conflict = None

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            cleaned[name] = strip_control_chars(value)
        return cleaned

    def save_versioned(self) -> bool:
        """Save unless someone else saved first; on a conflict return False and explain."""
        instance = self.instance
        model = type(instance)
        if instance._state.adding:
            self.save()
            return True
        seen = self.cleaned_data.get("version") or instance.version
        with transaction.atomic():
            bumped = model._default_manager.filter(pk=instance.pk, version=seen).update(version=F("version") + 1)
            if bumped:
                instance.version = seen + 1
                self.save()
                return True
        current = model._default_manager.filter(pk=instance.pk).first()
        if current is None:
            self.add_error(None, "Someone else deleted this record while you were editing it.")
            return False
        self.conflict = self._describe(current)
        data = self.data.copy()
        data[self.add_prefix("version")] = current.version
        self.data = data
        self.add_error(
            None,
            "Someone else saved this record while you were editing it. Their saved values are shown above; "
            "your values are still in the form. Save again to keep yours.",
        )
        return False

    def _describe(self, current):
        rows = []
        for name, field in self.fields.items():
            if name == "version" or not hasattr(current, name):
                continue
            value = getattr(current, name)
            display = getattr(current, f"get_{name}_display", None)
            if display:
                value = display()
            elif hasattr(value, "all"):
                value = ", ".join(str(v) for v in value.all())
            rows.append((field.label or name, "" if value is None else value))
        return rows
