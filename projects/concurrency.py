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
    # A form of many independent sections (a report draft) merges a stale save field by field
    # against the version it was opened at (the history row of that version): see _merge.
    merge_by_field = False
    # Rows this form may still write (a report only while it is a draft), with what to say when
    # the record left them meanwhile: every save's conditional UPDATE carries the filter.
    editable_filter: dict = {}
    no_longer_editable = "This record can no longer be changed. Nothing was saved."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.conflict = None
        self.taken_theirs = []

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
        editable = model._default_manager.filter(pk=instance.pk, **self.editable_filter)
        with transaction.atomic():
            bumped = editable.filter(version=seen).update(version=F("version") + 1)
            if bumped:
                instance.version = seen + 1
                self.save()
                return True
        current = model._default_manager.filter(pk=instance.pk).first()
        if current is None:
            self.add_error(None, "Someone else deleted this record while you were editing it.")
            return False
        if self.editable_filter and not editable.exists():
            self.add_error(None, self.no_longer_editable)
            return False
        if self.merge_by_field:
            merged = self._merge(current, seen)
            if merged is not None:
                return merged
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

    def _merge(self, current, seen):
        """Three-way merge of a stale save, field by field, against the record as the form saw
        it (its history row at version `seen`): a field only I changed takes mine, a field only
        they changed keeps theirs, a field we both changed differently is a conflict on that
        field alone. Without conflicts the merge is saved (True); with some, nothing is saved,
        the other person's new values fill the fields I had not changed, each conflicting field
        shows their version beside mine, and the form moves on to their version (False). None
        when the seen version is not in the history (the whole-form conflict then applies)."""
        model = type(self.instance)
        base = model.history.filter(id=self.instance.pk, version=seen).order_by("-history_id").first()
        if base is None:
            return None
        names = [n for n in self.fields if n != "version" and n in {f.name for f in model._meta.concrete_fields}]
        clashes, theirs_only = [], []
        for name in names:
            mine, was, theirs = self.cleaned_data.get(name), getattr(base, name), getattr(current, name)
            if mine == was:
                theirs_only.append(name)  # untouched by me: keep theirs
            elif theirs != was and theirs != mine:
                clashes.append(name)
        for name in theirs_only:
            setattr(self.instance, name, getattr(current, name))
        if not clashes:
            with transaction.atomic():
                editable = model._default_manager.filter(pk=current.pk, **self.editable_filter)
                bumped = editable.filter(version=current.version).update(version=F("version") + 1)
                if bumped:
                    self.instance.version = current.version + 1
                    # Only what the form edits, plus the version: the instance was loaded when
                    # the form was, so its other columns may be stale (written since by others).
                    self.instance.save(update_fields=[*names, "version"])
                    self._save_m2m()
                    # The fields the page still shows as they were at `seen` but the other person
                    # changed: an autosaving page swaps them in (reports' edit view), so its next
                    # save does not put back what they replaced.
                    self.taken_theirs = [n for n in theirs_only if getattr(current, n) != getattr(base, n)]
                    return True
            return None  # a third save came in between: the whole-form conflict
        data = self.data.copy()
        for name in theirs_only:
            value = self.fields[name].prepare_value(getattr(current, name))
            data[self.add_prefix(name)] = "" if value is None else value
        data[self.add_prefix("version")] = current.version
        self.data = data
        for name in clashes:
            label = self.fields[name].label or name
            self.add_error(
                name,
                f"Someone else changed “{label}” while you were editing it. Theirs: “{self._shown(current, name)}”. "
                "Yours is still in the field: save to keep yours, or copy theirs in.",
            )
        self.conflict = [(self.fields[n].label or n, self._shown(current, n)) for n in clashes]
        return False

    @staticmethod
    def _shown(current, name):
        display = getattr(current, f"get_{name}_display", None)
        value = display() if display else getattr(current, name)
        return "" if value is None else value

    def _describe(self, current):
        rows = []
        for name, field in self.fields.items():
            if name == "version" or not hasattr(current, name):
                continue
            value = getattr(current, name)
            if hasattr(value, "all"):
                value = ", ".join(str(v) for v in value.all())
            else:
                value = self._shown(current, name)
            rows.append((field.label or name, "" if value is None else value))
        return rows
