from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from projects import dates
from projects.models import RAG, OverallRAG, Project, Versioned, long_text

# A highlight report covers at most a quarter (the longest, July-September, is 92 days), so the
# seed's monthly and quarterly board cycles fit and a period of years is refused.
MAX_PERIOD_DAYS = 92
# A report is dated within its period or in the month after it (seed 004's November report is
# dated 5 December), never before its period starts.
REPORT_DATE_GRACE_DAYS = 31


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def period_errors(start: date | None, end: date | None, report_date: date | None = None) -> dict[str, str]:
    """{field: message} for a report period and date that cannot stand; empty when they can.
    One rule for the new-report form, the draft's form and the model (admin, scripts)."""
    errors = {}
    for name, value in (("period_start", start), ("period_end", end), ("report_date", report_date)):
        if not dates.in_range(value):
            errors[name] = dates.RANGE_MESSAGE
    if start is None or end is None or {"period_start", "period_end"} & errors.keys():
        return errors
    if end < start:
        errors["period_end"] = "The period cannot end before it starts."
    elif (days := (end - start).days + 1) > MAX_PERIOD_DAYS:
        errors["period_end"] = (
            f"A highlight report covers at most 3 months ({MAX_PERIOD_DAYS} days); this period is {days:,} days. "
            "Report on each month or quarter separately."
        )
    if report_date is not None and "report_date" not in errors:
        latest = end + timedelta(days=REPORT_DATE_GRACE_DAYS)
        if report_date < start:
            errors["report_date"] = f"The report date cannot be before its period starts ({_day(start)})."
        elif report_date > latest and end >= start:
            errors["report_date"] = (
                f"The report date must be within {REPORT_DATE_GRACE_DAYS} days of its period's end, by {_day(latest)}."
            )
    return errors


class HighlightReportQuerySet(models.QuerySet):
    def issued(self):
        return self.filter(issued_at__isnull=False)

    def drafts(self):
        return self.filter(issued_at__isnull=True)

    def latest_issued(self):
        """Issued reports, the latest first: the highest number, as reports are issued in number
        order (services.freeze) while issued_at need not follow it (the demo issues each report
        on its own date). The admin's zip and "last issued report" column and the
        highlight_report command all take the latest from here."""
        return self.issued().order_by("-number")


class HighlightReport(Versioned):
    """A board highlight report (seed 004). Issued reports are frozen for ever."""

    class RenderState(models.TextChoices):
        IDLE = "", "Not rendered"
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Rendering"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    number = models.PositiveIntegerField(help_text="1, 2, 3... within the project.")
    period_start = models.DateField()
    period_end = models.DateField()
    report_date = models.DateField()
    # Copied from the project when the draft is made, so it may be "not assessed" too.
    overall_rag = models.CharField("overall RAG", max_length=12, choices=OverallRAG, default=OverallRAG.GREEN)
    recommendation = long_text("1. Recommendation")
    vision = long_text("2. Project vision/objectives", max_length=10000)
    progress = long_text("3. Summary progress and key highlights", max_length=10000)
    milestones_within = long_text("4.1 Within project")
    milestones_outside = long_text("4.2 Outside project")
    deliverables = long_text("5. Deliverables/quick wins")
    financial = long_text("6. Financial update")
    member_involvement = long_text("7. Member involvement")
    related_projects = long_text("8. Related projects/work streams", max_length=10000)
    communications = long_text("9. Communications plan")
    risks_commentary = long_text("10. Key risks and issues")
    budget_allocated = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    budget_revised = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    budget_spent = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    rag_time = models.CharField(max_length=5, choices=RAG, default=RAG.GREEN)
    rag_cost = models.CharField(max_length=5, choices=RAG, default=RAG.GREEN)
    rag_scope = models.CharField(max_length=5, choices=RAG, default=RAG.GREEN)
    rag_quality = models.CharField(max_length=5, choices=RAG, default=RAG.GREEN)
    rag_benefits = models.CharField(max_length=5, choices=RAG, default=RAG.GREEN)
    rag_risk = models.CharField(max_length=5, choices=RAG, default=RAG.GREEN)
    # Time, Cost and Risk are also judged from the data (projects/reports/assessment.py); a RAG
    # chosen otherwise needs its reason before the report is issued.
    rag_time_reason = long_text("why Time differs from the data", max_length=1000)
    rag_cost_reason = long_text("why Cost differs from the data", max_length=1000)
    rag_risk_reason = long_text("why Risk differs from the data", max_length=1000)
    # PRINCE2 exception report: needed when a forecast lies beyond the project's tolerances.
    exception_cause = long_text("cause of the exception")
    exception_consequences = long_text("consequences")
    exception_options = long_text("options")
    exception_recommendation = long_text("recommendation")
    # PRINCE2 highlight content beside the seed's ten sections.
    this_period = long_text("this period: work done and products completed")
    next_period = long_text("next period: work and products planned")
    decisions = long_text("decisions needed from the board")
    lessons = long_text("lessons")
    include_changes = models.BooleanField("include what changed since the last report", default=True)
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    issued_at = models.DateTimeField(null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # PDF rendering runs as a Django task; its progress lives here so that every task
    # backend (the immediate one stores no results) can report it the same way.
    render_state = models.CharField(
        max_length=10, choices=RenderState, default=RenderState.IDLE, blank=True, editable=False
    )
    render_error = models.CharField(max_length=300, blank=True, editable=False)
    render_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The latest draft PDF and the SHA-256 of the HTML it was made from: a repeat download of
    # an unchanged draft serves these bytes instead of rendering again.
    draft_pdf = models.BinaryField(null=True, blank=True, editable=False)
    draft_pdf_key = models.CharField(max_length=64, blank=True, editable=False)

    objects = HighlightReportQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["pdf", "draft_pdf", "render_state", "render_error", "render_requested_at", "draft_pdf_key"]
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="one_report_number_per_project"),
            # One draft at a time: a second "Start report" (a double click, a second person)
            # opens the draft that is there instead of making another (services.report_create).
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(issued_at__isnull=True),
                name="one_draft_report_per_project",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="report_period_ordered"
            ),
            # The length limit and the month's grace need date arithmetic, which SQLite and
            # PostgreSQL write differently: those two are clean()'s (period_errors).
            models.CheckConstraint(
                condition=models.Q(report_date__gte=models.F("period_start")),
                name="report_dated_in_its_period",
                violation_error_message="The report date cannot be before its period starts.",
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__gte=dates.EARLIEST, period_end__lte=dates.LATEST)
                & models.Q(report_date__gte=dates.EARLIEST, report_date__lte=dates.LATEST),
                name="report_dates_in_range",
                violation_error_message=dates.RANGE_MESSAGE,
            ),
        ]

    @classmethod
    def heavy_fields(cls):
        """PDF bytes and snapshots can be megabytes a row: lists never load them."""
        return ["snapshot"] + [f.name for f in cls._meta.fields if f.get_internal_type() == "BinaryField"]

    def __str__(self):
        return f"Highlight report {self.number}: {self.project}"

    def clean(self):
        errors = period_errors(self.period_start, self.period_end, self.report_date)
        if errors:
            raise ValidationError(errors)

    @property
    def is_issued(self):
        return self.issued_at is not None
