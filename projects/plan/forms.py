from django import forms
from django.db.models import Max

from projects.concurrency import strip_control_chars
from projects.forms import ProjectRecordForm
from projects.models import SHORT_TEXT

from . import baselines, rules
from .models import CommunicationItem, Milestone, dependency_edges

DATE_FIELDS = ("baseline_start", "baseline_end", "forecast_end", "actual_end")


class MilestoneForm(ProjectRecordForm):
    class Meta:
        model = Milestone
        fields = [
            "name",
            "kind",
            "within_project",
            "owner",
            "baseline_start",
            "baseline_end",
            "forecast_end",
            "actual_end",
            "status",
            "depends_on",
            "notes",
        ]
        labels = {
            "baseline_start": "Baseline start",
            "baseline_end": "Baseline end",
            "forecast_end": "Forecast end",
            "actual_end": "Actual end",
            "depends_on": "Depends on",
        }
        help_texts = {
            "baseline_start": "Leave blank for a point milestone (a diamond on the chart).",
            "forecast_end": "When it now looks like finishing; later than the baseline end is slip.",
            "depends_on": "Finish-to-start: this milestone starts when these finish.",
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 2}), "depends_on": forms.SelectMultiple(attrs={"size": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Give the milestone a name."
        self._baseline_fields()
        depends = self.fields["depends_on"]
        # Validation accepts any of the project's milestones so that choosing itself gets a
        # plain message rather than "not one of the available choices"; the list offers the others.
        depends.queryset = self.project.milestones.all()
        depends.error_messages["invalid_choice"] = "Choose milestones of this project only."
        depends.error_messages["invalid_pk_value"] = "Choose milestones of this project only."
        depends.choices = [
            (m.pk, m.name)
            for m in self.project.milestones.only("pk", "name").order_by("position", "id")
            if m.pk != self.instance.pk
        ]

    def _baseline_fields(self):
        """A baselined milestone's baseline dates are the baseline's, not a field anyone edits:
        shown disabled, so a posted value is ignored (Django uses the stored one). Until its
        first baseline they are the planned dates and stay editable."""
        found = baselines.milestone_baseline(self.instance) if self.instance.pk else None
        self.baselined = found
        if found is None:
            note = "Not yet baselined: these planned dates become its baseline when the plan is next baselined."
            self.fields["baseline_end"].help_text = note
            return
        baseline, _ = found
        note = (
            f"Baseline {baseline.number}, “{baseline.name}”, set {baseline.set_on.day} {baseline.set_on:%b %Y}: "
            "to change, set a new baseline."
        )
        for name in ("baseline_start", "baseline_end"):
            self.fields[name].disabled = True
            self.fields[name].help_text = note

    def clean(self):
        cleaned = super().clean()
        for name in DATE_FIELDS:
            if not rules.in_range(cleaned.get(name)):
                self.add_error(name, rules.RANGE_MESSAGE)
                cleaned[name] = None
        start, end = cleaned.get("baseline_start"), cleaned.get("baseline_end")
        if start and end and end < start:
            self.add_error("baseline_end", "The end date cannot be before the start date.")
        for name, words in (("forecast_end", "forecast end"), ("actual_end", "actual end")):
            if start and cleaned.get(name) and cleaned[name] < start:
                self.add_error(name, f"The {words} cannot be before the start date.")
        self._check_dependencies(cleaned)
        return cleaned

    def _check_dependencies(self, cleaned):
        chosen = cleaned.get("depends_on")
        if not chosen:
            return
        me = self.instance.pk
        ids = {m.pk for m in chosen}
        if me in ids:
            self.add_error("depends_on", "A milestone cannot depend on itself.")
            return
        loop = rules.cycle_path(me, ids, dependency_edges(self.project))
        if loop:
            names = {m.pk: m.name for m in self.project.milestones.filter(pk__in=loop).only("pk", "name")}
            name = cleaned.get("name") or self.instance.name
            chain = " → ".join(f"“{names.get(pk, name)}”" for pk in loop)
            self.add_error(
                "depends_on",
                f"That would make a loop: {chain} (each waits for the next to finish), so “{name}” cannot also "
                f"wait for “{names.get(loop[0], '')}”. Remove one of these dependencies first.",
            )

    def save(self, commit=True):
        if self.instance._state.adding and not self.instance.position:
            # New milestones go to the end of the plan.
            top = self.project.milestones.aggregate(top=Max("position"))["top"]
            self.instance.position = 0 if top is None else top + 1
        return super().save(commit)


class BaselineForm(forms.Form):
    name = forms.CharField(
        max_length=SHORT_TEXT,
        help_text="e.g. “Agreed plan” or “Re-plan after funding”.",
        error_messages={"required": "Name the baseline."},
    )
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the plan is baselined now: the board will read it beside the slip.",
        error_messages={"required": "Say why the plan is baselined now."},
    )

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            cleaned[name] = strip_control_chars(value).strip()
        return cleaned


class CommunicationForm(ProjectRecordForm):
    class Meta:
        model = CommunicationItem
        fields = ["audience", "audience_group", "purpose", "channel", "frequency", "owner", "next_date"]
        labels = {"audience": "Audience (stakeholders)", "next_date": "Next date"}
        help_texts = {"audience": "Choose people, name a group, or both."}
        widgets = {"purpose": forms.Textarea(attrs={"rows": 2}), "audience": forms.SelectMultiple(attrs={"size": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].error_messages["invalid_choice"] = "Choose stakeholders of this project only."
        self.fields["purpose"].required = True
        self.fields["purpose"].error_messages["required"] = "Say what the communication is for or what it tells them."

    def clean(self):
        cleaned = super().clean()
        group = (cleaned.get("audience_group") or "").strip()
        cleaned["audience_group"] = group
        if not group and not cleaned.get("audience") and "audience" not in self.errors:
            self.add_error("audience_group", "Choose stakeholders or name a group as the audience.")
        if not rules.in_range(cleaned.get("next_date")):
            self.add_error("next_date", rules.RANGE_MESSAGE)
        return cleaned

    def save(self, commit=True):
        if self.instance._state.adding and not self.instance.position:
            top = self.project.communications.aggregate(top=Max("position"))["top"]
            self.instance.position = 0 if top is None else top + 1
        return super().save(commit)
