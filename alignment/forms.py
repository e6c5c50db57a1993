from django import forms

from projects.forms import ProjectRecordForm

from .models import Action, Assumption, Evidence


class SessionContentForm(ProjectRecordForm):
    """An inline record that is part of a session's content: saving it re-opens its topic of
    that session if the topic was agreed (`by` is the person saving, for the note)."""

    session_number = 1
    topic = ""

    def __init__(self, *args, by=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by

    def save(self, commit=True):
        from . import services

        adding = self.instance._state.adding
        obj = super().save(commit)
        what = f"{self._meta.model._meta.verbose_name.capitalize()} “{obj}” {'added' if adding else 'edited'}"
        session = services.session_for(self.project, self.session_number)
        services.content_changed(session=session, what=what, by=self.by, topic=self.topic)
        return obj


class EvidenceForm(SessionContentForm):
    session_number = 1
    topic = "evidence"

    class Meta:
        model = Evidence
        fields = ["text", "source"]
        widgets = {"text": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Write the piece of evidence."
        self.fields["text"].help_text = "One short fact, e.g. “38% of calls are about missed bin collections”."


class AssumptionForm(SessionContentForm):
    session_number = 2
    topic = "assumptions"

    class Meta:
        model = Assumption
        fields = ["text", "owner", "due_date", "status", "answer"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "answer": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Write the assumption or question."
        self.fields["owner"].help_text = "Who will validate it or find the answer."

    def clean(self):
        return _due_date_in_range(self, super().clean())


def _due_date_in_range(form, cleaned):
    due = cleaned.get("due_date")
    if due and not (1900 <= due.year <= 2200):
        form.add_error("due_date", "Enter a due date between 1900 and 2200.")
    return cleaned


class ActionForm(ProjectRecordForm):
    """An action item of session `session_number`. Not a SessionContentForm: an action records a
    follow-up, not the agreement, so saving one leaves the session's sign-offs alone."""

    class Meta:
        model = Action
        fields = ["text", "owner", "due_date", "status"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, session_number, **kwargs):
        super().__init__(*args, **kwargs)
        self.session_number = session_number
        self.instance.project = self.project  # so the model's checks see the project
        self.fields["text"].error_messages["required"] = "Write the action: what is to be done."
        self.fields["owner"].help_text = "The stakeholder who will do it."
        self.fields["owner"].error_messages["invalid_choice"] = "Choose the owner from this project's stakeholders."

    def clean(self):
        return _due_date_in_range(self, super().clean())

    def save(self, commit=True):
        from . import services

        if self.instance.session_id is None:
            # The session is created by its first write, never by showing it (a GET never writes).
            self.instance.session = services.session_for(self.project, self.session_number)
        return super().save(commit)
