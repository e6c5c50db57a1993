from django import forms

from projects.forms import ProjectRecordForm
from projects.reports.models import HighlightReport, period_errors

from .assessment import EXCEPTION_FIELDS, SUGGESTED
from .services import PRINCE2_FIELDS, RAG_FIELDS, TEXT_FIELDS

DATE = {"type": "date"}


class NewReportForm(forms.Form):
    period_start = forms.DateField(label="Period from", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    period_end = forms.DateField(label="Period to", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))

    def clean(self):
        cleaned = super().clean()
        for name, message in period_errors(cleaned.get("period_start"), cleaned.get("period_end")).items():
            self.add_error(name, message)
        return cleaned


class ReportForm(ProjectRecordForm):
    """The draft's text, RAG grid and budget. Text limits come from the model (long_text).
    Two people write different sections at once: a stale save merges field by field."""

    merge_by_field = True
    # An autosave that arrives after the Issue click must not touch the issued report.
    editable_filter = {"issued_at__isnull": True}
    no_longer_editable = "This report was issued meanwhile and can no longer change. Nothing was saved."

    class Meta:
        model = HighlightReport
        fields = [
            "period_start",
            "period_end",
            "report_date",
            "overall_rag",
            *[name for name, _ in RAG_FIELDS],
            *[f"{name}_reason" for name in SUGGESTED],
            *[name for name, _ in EXCEPTION_FIELDS],
            *TEXT_FIELDS[:6],
            "budget_allocated",
            "budget_revised",
            "budget_spent",
            *TEXT_FIELDS[6:],
            *PRINCE2_FIELDS,
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
        for name in TEXT_FIELDS + PRINCE2_FIELDS:
            widget = self.fields[name].widget
            widget.attrs["rows"] = 4 if name in ("vision", "progress", "related_projects") else 2
        for name, label in SUGGESTED.items():
            field = self.fields[f"{name}_reason"]
            field.widget.attrs["rows"] = 1
            field.help_text = f"Only when {label} differs from what the data suggest (the preview's Basis column)."
        for name, _ in EXCEPTION_FIELDS:
            self.fields[name].widget.attrs["rows"] = 2
            self.fields[name].help_text = "Exception report: needed when a forecast is beyond the project's tolerances."
        for name in ("budget_allocated", "budget_revised", "budget_spent"):
            self.fields[name].widget.attrs["min"] = 0

    # The period and the report date are checked by the model (HighlightReport.clean).

    def clean(self):
        cleaned = super().clean()
        for name in ("budget_allocated", "budget_revised", "budget_spent"):
            if (cleaned.get(name) or 0) < 0:
                self.add_error(name, "An amount cannot be negative.")
        return cleaned
