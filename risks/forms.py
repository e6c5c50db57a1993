import re

from django import forms

from projects.concurrency import VersionedModelForm
from projects.forms import ProjectRecordForm

from . import scale as scales
from .models import Issue, Risk, RiskSettings, settings_for

WHOLE_NUMBER = re.compile(r"^\s*[+-]?\d{1,6}\s*$")


class ScaleValueField(forms.Field):
    """A likelihood or impact on the project's scale. Anything else (0, 5 on a 4-point scale,
    -1, 1e9, "3.5", words) gets one plain message naming the scale."""

    def __init__(self, *, name, scale, **kwargs):
        self.name, self.scale = name, scale
        kwargs.setdefault(
            "widget", forms.NumberInput(attrs={"min": 1, "max": scale, "step": 1, "inputmode": "numeric"})
        )
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter the {name.lower()}: a whole number from 1 to {scale}."

    def out_of_range(self):
        return forms.ValidationError(
            f"{self.name} must be between 1 and {self.scale} on this project's scale.", code="out_of_scale"
        )

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int):
            number = value
        elif isinstance(value, str) and WHOLE_NUMBER.match(value):
            number = int(value)
        else:
            raise self.out_of_range()
        if not 1 <= number <= self.scale:
            raise self.out_of_range()
        return number


class RiskForm(ProjectRecordForm):
    class Meta:
        model = Risk
        fields = [
            "event",
            "cause",
            "effect",
            "category",
            "likelihood",
            "impact",
            "mitigating_action",
            "residual_likelihood",
            "residual_impact",
            "owner",
            "status",
            "next_review_date",
            "date_raised",
        ]
        widgets = {
            "event": forms.Textarea(attrs={"rows": 2}),
            "cause": forms.Textarea(attrs={"rows": 2}),
            "effect": forms.Textarea(attrs={"rows": 2}),
            "mitigating_action": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.settings = settings_for(self.project)
        scale = self.settings.scale
        likelihoods = ", ".join(f"{n} {w.lower()}" for n, w in scales.LIKELIHOOD_WORDS[scale].items())
        impacts = ", ".join(f"{n} {w.lower()}" for n, w in scales.IMPACT_WORDS[scale].items())
        for name, label, required, words in [
            ("likelihood", "Likelihood", True, likelihoods),
            ("impact", "Impact", True, impacts),
            ("residual_likelihood", "Residual likelihood", False, "after the action; leave blank if not assessed"),
            ("residual_impact", "Residual impact", False, "after the action; leave blank if not assessed"),
        ]:
            self.fields[name] = ScaleValueField(
                name=label, scale=scale, required=required, label=label, help_text=f"1 to {scale}: {words}."
            )
        self.fields["event"].error_messages["required"] = "Describe the event: what may or may not occur."
        self.fields["owner"].empty_label = "No owner yet"
        self.fields["owner"].help_text = "A stakeholder of this project."

    def clean_event(self):
        event = (self.cleaned_data.get("event") or "").strip()
        if not event:
            raise forms.ValidationError("Describe the event: what may or may not occur.")
        return event

    def clean(self):
        cleaned = super().clean()
        has_l = cleaned.get("residual_likelihood") is not None
        has_i = cleaned.get("residual_impact") is not None
        if has_l != has_i and not self.has_error("residual_likelihood") and not self.has_error("residual_impact"):
            missing = "residual_impact" if has_l else "residual_likelihood"
            self.add_error(missing, "Give both the residual likelihood and the residual impact, or neither.")
        return cleaned


class IssueForm(ProjectRecordForm):
    """A line of the issue log. The dates' rules (closed on only when closed, never before it
    was raised) are Issue.clean(), which the form runs."""

    class Meta:
        model = Issue
        fields = [
            "title",
            "issue_type",
            "priority",
            "severity",
            "description",
            "raised_on",
            "raised_by",
            "owner",
            "action",
            "status",
            "closed_on",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "action": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = "Give the issue a title: what has happened."
        self.fields["owner"].empty_label = "No owner yet"
        self.fields["owner"].help_text = "A stakeholder of this project."

    def clean_title(self):
        title = (self.cleaned_data.get("title") or "").strip()
        if not title:
            raise forms.ValidationError("Give the issue a title: what has happened.")
        return title


class RiskSettingsForm(VersionedModelForm):
    """Band thresholds on the project's current scale (the scale itself changes on its own page)."""

    class Meta:
        model = RiskSettings
        fields = ["low_max", "medium_max", "high_max"]

    # The rule that thresholds rise inside the scale is RiskSettings.clean(), which the form runs.


class ScaleChangeForm(forms.Form):
    mapping = forms.ChoiceField(label="How should existing likelihoods and impacts move?", widget=forms.RadioSelect)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, settings, **kwargs):
        super().__init__(*args, **kwargs)
        self.settings = settings
        self.new_scale = next(s for s in scales.SCALES if s != settings.scale)
        options = scales.MAPPINGS[(settings.scale, self.new_scale)]
        self.fields["mapping"].choices = [(key, label) for key, (label, _) in options.items()]
        self.fields["mapping"].error_messages["required"] = "Choose how existing scores should move."
        self.fields["mapping"].error_messages["invalid_choice"] = (
            "Choose one of the listed ways to move existing scores."
        )
        self.initial.setdefault("version", settings.version)
