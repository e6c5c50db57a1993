from django import forms
from django.utils.text import slugify

from .concurrency import VersionedModelForm
from .models import Membership, Project, Stakeholder

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectRecordForm(VersionedModelForm):
    """Base for a record that belongs to a project: scopes stakeholder choices to it."""

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and queryset.model is Stakeholder:
                field.queryset = project.stakeholders.all()
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def save(self, commit=True):
        self.instance.project = self.project
        return super().save(commit)


class ProjectForm(VersionedModelForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "reference",
            "slug",
            "buying_type",
            "stage",
            "sponsor",
            "project_manager",
            "business_objective",
            "desired_outcome",
            "problem_or_opportunity",
            "start_date",
            "end_date",
            "currency",
            "budget_allocated",
            "budget_revised",
            "budget_spent",
            "rag_status",
            "rag_reason",
            "time_tolerance_days",
            "cost_tolerance_percent",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "business_objective": forms.Textarea(attrs={"rows": 3}),
            "desired_outcome": forms.Textarea(attrs={"rows": 3}),
            "problem_or_opportunity": forms.Textarea(attrs={"rows": 3}),
            "rag_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["name"].error_messages["required"] = "Give the project a name."
        self.fields["slug"].help_text = "Used in the project's web address; made from the name if left blank."

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError("Use a three-letter currency code such as GBP, AUD or EUR.")
        return currency

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("name"):
            base = slugify(cleaned["name"])[:50] or "project"
            slug, n = base, 2
            while Project.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            cleaned["slug"] = slug
            self.instance.slug = slug
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date cannot be before the start date.")
        for name in ("budget_allocated", "budget_revised", "budget_spent"):
            if (cleaned.get(name) or 0) < 0:
                self.add_error(name, "A budget cannot be negative.")
        return cleaned


class NewProjectForm(ProjectForm):
    my_role = forms.ChoiceField(
        label="Your role in this project", choices=Membership.Role.choices, initial=Membership.Role.BUYER
    )

    class Meta(ProjectForm.Meta):
        fields = [
            "name",
            "reference",
            "slug",
            "buying_type",
            "stage",
            "sponsor",
            "project_manager",
            "business_objective",
            "desired_outcome",
            "problem_or_opportunity",
            "start_date",
            "end_date",
        ]


class StakeholderForm(ProjectRecordForm):
    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "organisation",
            "role_title",
            "kind",
            "interest",
            "influence",
            "approval_criteria",
            "communication_needs",
            "email",
        ]
        widgets = {
            "approval_criteria": forms.Textarea(attrs={"rows": 2}),
            "communication_needs": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the stakeholder's name."


class MembershipForm(forms.Form):
    """Add a member by username or email. Whether an account exists is never revealed: the
    view answers the same for a match and for no match."""

    username = forms.CharField(label="Username or email", max_length=254)
    role = forms.ChoiceField(choices=Membership.Role.choices)

    def clean_username(self):
        value = self.cleaned_data["username"].strip()
        if not value:
            raise forms.ValidationError("Enter a username or an email address.")
        return value
