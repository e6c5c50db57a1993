from django import forms

from projects.forms import ProjectRecordForm
from projects.models import Stakeholder

from .models import LETTER_NAMES, ORDER, Activity


class ActivityForm(ProjectRecordForm):
    """A row of the matrix: its name and, optionally, the work-plan milestone it belongs to."""

    class Meta:
        model = Activity
        fields = ["name", "milestone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "Activity"
        self.fields["name"].error_messages["required"] = "Enter what has to be done or decided."
        self.fields["milestone"].queryset = self.project.milestones.all()
        self.fields["milestone"].required = False
        self.fields["milestone"].empty_label = "(none)"

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter what has to be done or decided.")
        clash = self.project.raci_activities.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                f"The matrix already has an activity called “{name}”: give this one another name."
            )
        return name


class PersonForm(ProjectRecordForm):
    """A column of the matrix: a stakeholder of the project (name and kind only)."""

    class Meta:
        model = Stakeholder
        fields = ["name", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "Person or group"
        self.fields["name"].error_messages["required"] = "Enter the person's or group's name."

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter the person's or group's name.")
        return name


class CellForm(forms.Form):
    """The plain-form way to set a cell to any combination of letters."""

    letters = forms.MultipleChoiceField(
        label="Letters",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(ch, f"{ch}: {LETTER_NAMES[ch]}") for ch in "RACI"],
        error_messages={"invalid_choice": "Use only the letters R, A, C and I."},
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def cleaned_letters(self):
        chosen = set(self.cleaned_data["letters"])
        return "".join(ch for ch in ORDER if ch in chosen)
