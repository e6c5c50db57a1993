"""The RAID app's records: seed 004's LxI risk register (risks, their scores, bands and
review) and the PRINCE2 issue log, which PRINCE2 keeps apart from the risks: an issue has
happened and needs a decision; a risk may or may not occur."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from simple_history.models import HistoricalRecords

from projects import dates
from projects.models import Versioned, long_text

from . import scale as scales

# The database refuses anything outside 1-5 (the largest scale); forms hold each project to
# its own scale, which a CHECK constraint cannot see.
DB_MIN, DB_MAX = 1, max(scales.SCALES)
IN_DB_RANGE = [MinValueValidator(DB_MIN), MaxValueValidator(DB_MAX)]


class RiskSettings(Versioned):
    """Per-project scale and band thresholds, and the counters behind R1, R2... and I1, I2..."""

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, related_name="risk_settings")
    scale = models.PositiveSmallIntegerField(
        choices=[(n, f"{n}x{n} (scores 1-{n * n})") for n in scales.SCALES], default=scales.DEFAULT_SCALE
    )
    low_max = models.PositiveSmallIntegerField("low up to", default=scales.DEFAULT_THRESHOLDS[4][0])
    medium_max = models.PositiveSmallIntegerField("medium up to", default=scales.DEFAULT_THRESHOLDS[4][1])
    high_max = models.PositiveSmallIntegerField(
        "high up to", default=scales.DEFAULT_THRESHOLDS[4][2], help_text="Scores above this are very high."
    )
    # Never decreases, so a deleted risk's reference is never given to another risk.
    last_number = models.PositiveIntegerField(default=0, editable=False)
    last_issue_number = models.PositiveIntegerField(default=0, editable=False)  # I<n>, never reused either

    history = HistoricalRecords()

    class Meta:
        verbose_name = "risk settings"
        verbose_name_plural = "risk settings"
        constraints = [
            # Messages in words: a form that reaches a constraint shows its message, which
            # would otherwise be "Constraint “risk_bands_ordered” is violated."
            models.CheckConstraint(
                condition=Q(scale__in=scales.SCALES),
                name="risk_scale_known",
                violation_error_message="Risks are scored on a 4x4 or a 5x5 scale.",
            ),
            models.CheckConstraint(
                condition=Q(low_max__gte=1) & Q(medium_max__gt=F("low_max")) & Q(high_max__gt=F("medium_max")),
                name="risk_bands_ordered",
                violation_error_message="Bands must rise: low up to < medium up to < high up to.",
            ),
        ]

    def __str__(self):
        return f"Risk settings: {self.scale}x{self.scale}"

    def clean(self):
        """Every save path (forms and admin) holds thresholds inside the scale. The scale itself
        changes only through the scale page, which maps existing scores."""
        if None in self.thresholds:
            return
        if not (1 <= self.low_max < self.medium_max < self.high_max < self.max_score):
            # On the first threshold out of order, so the message sits beside the field to change.
            if self.low_max < 1:
                field = "low_max"
            elif self.medium_max <= self.low_max:
                field = "medium_max"
            else:
                field = "high_max"
            raise ValidationError(
                {
                    field: f"Thresholds must rise: 1 ≤ low < medium < high < {self.max_score} (the highest score on "
                    "this scale), so every band has at least one score."
                }
            )

    @property
    def thresholds(self):
        return (self.low_max, self.medium_max, self.high_max)

    @property
    def max_score(self):
        return self.scale * self.scale

    @property
    def values(self):
        return range(1, self.scale + 1)

    def band_for(self, score):
        return scales.band_for_score(score, self.thresholds)

    def band_range(self, band):
        return scales.band_range(band, self.thresholds, self.scale)

    def bands(self):
        """[(band, label, lowest, highest)] for legends and filters."""
        return [(b, scales.BAND_LABELS[b], *self.band_range(b)) for b in scales.BANDS]


def settings_for(project) -> RiskSettings:
    """The project's risk settings (unsaved defaults until someone changes them); cached on
    the project instance, so a page asks the database once."""
    try:
        return project.risk_settings
    except RiskSettings.DoesNotExist:
        defaults = RiskSettings(project=project)
        project.risk_settings = defaults
        return defaults


def allocate_numbers(project, count=1, *, counter="last_number") -> range:
    """Reserve `count` consecutive numbers for `project`: risk numbers (R<n>) by default, issue
    numbers (I<n>) with counter="last_issue_number". Safe under concurrency: the counter row is
    locked for the rest of the caller's transaction."""
    with transaction.atomic():
        RiskSettings.objects.get_or_create(project=project)
        row = RiskSettings.objects.select_for_update().get(project=project)
        first = getattr(row, counter) + 1
        RiskSettings.objects.filter(pk=row.pk).update(**{counter: F(counter) + count})
    # Unsaved defaults cached on the project are stale now that the row exists.
    project._state.fields_cache.pop("risk_settings", None)
    return range(first, first + count)


class NumberedReference(models.Model):
    """<PREFIX><number>, shared by a model and its historical records (so history lists show R3)."""

    PREFIX = ""

    class Meta:
        abstract = True

    @property
    def reference(self):
        return f"{self.PREFIX}{self.number}" if self.number else f"{self.PREFIX}?"


class RiskReference(NumberedReference):
    PREFIX = "R"

    class Meta:
        abstract = True


class IssueReference(NumberedReference):
    PREFIX = "I"

    class Meta:
        abstract = True


class RiskQuerySet(models.QuerySet):
    def open(self):
        """Still live: open, or occurred (and now being managed, perhaps as an issue too)."""
        return self.exclude(status=Risk.Status.CLOSED)

    def by_score(self):
        return self.order_by("-score", "-impact", "number")

    def overdue_review(self, today):
        return self.open().filter(next_review_date__lt=today)

    def at_least(self, score):
        return self.filter(score__gte=score)

    def in_band(self, band, settings):
        low, high = settings.band_range(band)
        return self.filter(score__gte=low, score__lte=high)


class Risk(RiskReference, Versioned):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        OCCURRED = "occurred", "Occurred"

    class Category(models.TextChoices):
        STRATEGIC = "strategic", "Strategic"
        GOVERNANCE = "governance", "Governance and leadership"
        CAPACITY = "capacity", "Capacity and skills"
        FINANCIAL = "financial", "Financial"
        COMMERCIAL = "commercial", "Commercial and market"
        LEGAL = "legal", "Legal and compliance"
        DELIVERY = "delivery", "Delivery and schedule"
        TECHNICAL = "technical", "Technical"
        REPUTATIONAL = "reputational", "Reputational"
        OTHER = "other", "Other"

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="risks")
    number = models.PositiveIntegerField(editable=False, help_text="R1, R2... within the project; never reused.")
    event = models.TextField(
        "event", max_length=1000, validators=[MaxLengthValidator(1000)], help_text="What may or may not occur."
    )
    cause = long_text("cause", max_length=2000)
    effect = long_text("effect", max_length=2000)
    category = models.CharField(max_length=20, choices=Category, default=Category.OTHER)
    likelihood = models.PositiveSmallIntegerField(validators=IN_DB_RANGE)
    impact = models.PositiveSmallIntegerField(validators=IN_DB_RANGE)
    score = models.GeneratedField(
        expression=F("likelihood") * F("impact"), output_field=models.PositiveSmallIntegerField(), db_persist=True
    )
    mitigating_action = long_text("action to mitigate", "What will be done to reduce the likelihood or impact.")
    residual_likelihood = models.PositiveSmallIntegerField(
        "residual likelihood", null=True, blank=True, validators=IN_DB_RANGE, help_text="After the action."
    )
    residual_impact = models.PositiveSmallIntegerField(
        "residual impact", null=True, blank=True, validators=IN_DB_RANGE, help_text="After the action."
    )
    residual_score = models.GeneratedField(
        expression=F("residual_likelihood") * F("residual_impact"),
        output_field=models.PositiveSmallIntegerField(null=True),
        db_persist=True,
    )
    owner = models.ForeignKey(
        "projects.Stakeholder", on_delete=models.SET_NULL, null=True, blank=True, related_name="risks_owned"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    next_review_date = models.DateField("next review", null=True, blank=True)
    date_raised = models.DateField("date raised", default=timezone.localdate)

    objects = RiskQuerySet.as_manager()
    history = HistoricalRecords(bases=[RiskReference])

    class Meta:
        ordering = ["-score", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="one_risk_reference_per_project"),
            models.CheckConstraint(
                condition=Q(likelihood__gte=DB_MIN, likelihood__lte=DB_MAX), name="risk_likelihood_in_range"
            ),
            models.CheckConstraint(condition=Q(impact__gte=DB_MIN, impact__lte=DB_MAX), name="risk_impact_in_range"),
            models.CheckConstraint(
                condition=Q(residual_likelihood__isnull=True)
                | Q(residual_likelihood__gte=DB_MIN, residual_likelihood__lte=DB_MAX),
                name="risk_residual_likelihood_in_range",
            ),
            models.CheckConstraint(
                condition=Q(residual_impact__isnull=True) | Q(residual_impact__gte=DB_MIN, residual_impact__lte=DB_MAX),
                name="risk_residual_impact_in_range",
            ),
            models.CheckConstraint(
                condition=Q(residual_likelihood__isnull=True, residual_impact__isnull=True)
                | Q(residual_likelihood__isnull=False, residual_impact__isnull=False),
                name="risk_residual_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(next_review_date__isnull=True) | Q(next_review_date__gte=F("date_raised")),
                name="risk_reviewed_after_raised",
                violation_error_message="The next review cannot be before the risk was raised.",
            ),
            models.CheckConstraint(
                condition=Q(date_raised__gte=dates.EARLIEST, date_raised__lte=dates.LATEST)
                & (Q(next_review_date__isnull=True) | Q(next_review_date__lte=dates.LATEST)),
                name="risk_dates_in_range",
                violation_error_message=dates.RANGE_MESSAGE,
            ),
        ]
        indexes = [models.Index(fields=["project", "score"]), models.Index(fields=["project", "next_review_date"])]

    def __str__(self):
        return f"{self.reference}: {self.event[:60]}"

    def clean(self):
        """Likelihood and impact on the project's own scale (the database allows 1-5 for any
        project) and dates that hold, for every save path: the register's forms, imports and
        the admin."""
        errors = self.date_errors()
        scale = settings_for(self.project).scale if self.project_id else DB_MAX
        for name in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
            value = getattr(self, name)
            if value is not None and not 1 <= value <= scale:
                label = self._meta.get_field(name).verbose_name
                errors[name] = f"{label.capitalize()} must be between 1 and {scale} on this project's scale."
        if errors:
            raise ValidationError(errors)

    def date_errors(self) -> dict[str, str]:
        """A date raised and a next review in range, the review not before the risk was raised."""
        errors = {}
        for name in ("date_raised", "next_review_date"):
            if not dates.in_range(getattr(self, name)):
                errors[name] = dates.RANGE_MESSAGE
        raised, review = self.date_raised, self.next_review_date
        if not errors and raised and review and review < raised:
            errors["next_review_date"] = (
                f"The next review cannot be before the risk was raised ({raised.day} {raised:%b %Y})."
            )
        return errors

    @property
    def residual_above_inherent(self) -> bool:
        """The action would leave the risk worse than before it: allowed, but shown as a warning."""
        # From the values rather than the generated columns, so an unsaved form's risk can tell.
        values = (self.likelihood, self.impact, self.residual_likelihood, self.residual_impact)
        if None in values:
            return False
        likelihood, impact, residual_likelihood, residual_impact = values
        return residual_likelihood * residual_impact > likelihood * impact

    def save(self, *args, **kwargs):
        if not self.number:
            self.number = allocate_numbers(self.project)[0]
        super().save(*args, **kwargs)

    @property
    def settings(self):
        return settings_for(self.project)

    @property
    def band(self):
        return self.settings.band_for(self.score)

    @property
    def band_label(self):
        return scales.BAND_LABELS.get(self.band, "")

    @property
    def residual_band(self):
        return self.settings.band_for(self.residual_score)

    @property
    def residual_band_label(self):
        return scales.BAND_LABELS.get(self.residual_band, "")

    def review_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.status != self.Status.CLOSED and self.next_review_date is not None and self.next_review_date < today


# The issue log -----------------------------------------------------------------------------


class IssueQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Issue.Status.OPEN)

    def in_log_order(self):
        """Open first, then high, medium, low priority, then oldest reference first."""
        rank = Case(
            When(priority=Issue.Priority.HIGH, then=Value(0)),
            When(priority=Issue.Priority.MEDIUM, then=Value(1)),
            default=Value(2),
        )
        opened = Case(When(status=Issue.Status.OPEN, then=Value(0)), default=Value(1))
        return self.alias(opened=opened, rank=rank).order_by("opened", "rank", "number")


class Issue(IssueReference, Versioned):
    """A line of the PRINCE2 issue log: something that has happened and needs a decision."""

    class Type(models.TextChoices):
        REQUEST_FOR_CHANGE = "request_for_change", "Request for change"
        OFF_SPECIFICATION = "off_specification", "Off-specification"
        PROBLEM = "problem", "Problem or concern"

    class Priority(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="issues")
    number = models.PositiveIntegerField(editable=False, help_text="I1, I2... within the project; never reused.")
    title = models.CharField(
        "title", max_length=200, validators=[MaxLengthValidator(200)], help_text="What has happened, in a line."
    )
    description = long_text("description", "What happened, its cause, what it affects.")
    issue_type = models.CharField(
        "type",
        max_length=20,
        choices=Type,
        default=Type.PROBLEM,
        help_text="PRINCE2: a request for change, something off specification, or a problem or concern.",
    )
    priority = models.CharField(max_length=10, choices=Priority, default=Priority.MEDIUM)
    severity = models.CharField(
        "severity or impact",
        max_length=200,
        blank=True,
        validators=[MaxLengthValidator(200)],
        help_text="Optional, in words: what it affects and how badly.",
    )
    raised_on = models.DateField("raised on", default=timezone.localdate)
    raised_by = models.CharField(
        "raised by", max_length=200, blank=True, validators=[MaxLengthValidator(200)], help_text="Who raised it."
    )
    owner = models.ForeignKey(
        "projects.Stakeholder", on_delete=models.SET_NULL, null=True, blank=True, related_name="issues_owned"
    )
    action = long_text("action or decision", "What will be done, or what the board decided.")
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    closed_on = models.DateField("closed on", null=True, blank=True, help_text="Only for a closed issue.")

    objects = IssueQuerySet.as_manager()
    history = HistoricalRecords(bases=[IssueReference])

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="one_issue_reference_per_project"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("raised_on")),
                name="issue_closed_after_raised",
                violation_error_message="An issue cannot be closed before it was raised.",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False) | Q(status="open", closed_on__isnull=True),
                name="issue_closed_on_when_closed",
                violation_error_message="A closed issue has the date it was closed; an open one has none.",
            ),
            models.CheckConstraint(
                condition=Q(raised_on__gte=dates.EARLIEST, raised_on__lte=dates.LATEST)
                & (Q(closed_on__isnull=True) | Q(closed_on__lte=dates.LATEST)),
                name="issue_dates_in_range",
                violation_error_message=dates.RANGE_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title[:60]}"

    def clean(self):
        """Dates that hold and a closed date exactly when closed, for every save path: the
        log's forms, imports and the admin."""
        errors = {}
        for name in ("raised_on", "closed_on"):
            if not dates.in_range(getattr(self, name)):
                errors[name] = dates.RANGE_MESSAGE
        raised, closed = self.raised_on, self.closed_on
        if not errors and raised and closed and closed < raised:
            errors["closed_on"] = f"An issue cannot be closed before it was raised ({raised.day} {raised:%b %Y})."
        if "closed_on" not in errors:
            if self.status == self.Status.CLOSED and closed is None:
                errors["closed_on"] = "Give the date the issue was closed."
            elif self.status == self.Status.OPEN and closed is not None:
                errors["closed_on"] = "An open issue has no closed date: clear it, or set the status to closed."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.number:
            self.number = allocate_numbers(self.project, counter="last_issue_number")[0]
        super().save(*args, **kwargs)
