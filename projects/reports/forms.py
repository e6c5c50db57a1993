from django import forms

from projects.forms import ProjectRecordForm
from projects.reports.models import HighlightReport

from .services import RAG_FIELDS, TEXT_FIELDS

DATE = {"type": "date"}


class NewReportForm(forms.Form):
    period_start = forms.DateField(label="Period from", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    period_end = forms.DateField(label="Period to", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period cannot end before it starts.")
        if start and end and (end - start).days > 366:
            self.add_error("period_end", "A highlight report covers at most a year.")
        return cleaned


class ReportForm(ProjectRecordForm):
    """The draft's text, RAG grid and budget. Text limits come from the model (long_text).
    Two people write different sections at once: a stale save merges field by field."""

    merge_by_field = True

    class Meta:
        model = HighlightReport
        fields = [
            "period_start",
            "period_end",
            "report_date",
            "overall_rag",
            *[name for name, _ in RAG_FIELDS],
            *TEXT_FIELDS[:6],
            "budget_allocated",
            "budget_revised",
            "budget_spent",
            *TEXT_FIELDS[6:],
            "include_changes",
        ]
        labels = {
            "rag_time": "Time",
            "rag_cost": "Cost",
            "rag_scope": "Scope",
            "rag_quality": "Quality",
            "rag_benefits": "Benefits",
            "rag_risk": "Risk",
            "report_date": "Report date",
            "period_start": "Period from",
            "period_end": "Period to",
            "budget_allocated": "Budget allocated",
            "budget_revised": "Budget revised",
            "budget_spent": "Spent to date",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in TEXT_FIELDS:
            widget = self.fields[name].widget
            widget.attrs["rows"] = 4 if name in ("vision", "progress", "related_projects") else 2
        for name in ("budget_allocated", "budget_revised", "budget_spent"):
            self.fields[name].widget.attrs["min"] = 0

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period cannot end before it starts.")
        for name in ("budget_allocated", "budget_revised", "budget_spent"):
            if (cleaned.get(name) or 0) < 0:
                self.add_error(name, "An amount cannot be negative.")
        return cleaned
