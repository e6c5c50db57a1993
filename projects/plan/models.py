from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from projects.models import SHORT_TEXT, Project, Stakeholder, Versioned, long_text

from .rules import rag_for


class MilestoneQuerySet(models.QuerySet):
    def open(self):
        """Not met yet: the milestones whose slip still counts (a met one is history)."""
        return self.exclude(status=Milestone.Status.MET)

    def slipping_open(self):
        """The one "slipping" rule of the dashboard, the admin, the portfolio and the report:
        open milestones whose forecast (or actual) end lies past their current baseline end."""
        return self.open().slipping()

    def with_baselined(self):
        """Annotates `in_a_baseline`: whether any baseline records it (its baseline dates are
        then the baseline's, no longer edited as fields)."""
        return self.annotate(in_a_baseline=models.Exists(BaselineEntry.objects.filter(milestone=models.OuterRef("pk"))))

    def slipping(self):
        """Milestones whose actual (or, until done, forecast) end lies past the baseline end."""
        return self.filter(baseline_end__isnull=False).filter(
            models.Q(actual_end__gt=models.F("baseline_end"))
            | models.Q(actual_end__isnull=True, forecast_end__gt=models.F("baseline_end"))
        )

    def upcoming(self):
        """The project's own milestones not yet met, soonest (forecast, else baseline end) first."""
        return (
            self.filter(within_project=True)
            .exclude(status=Milestone.Status.MET)
            .order_by(Coalesce("forecast_end", "baseline_end").asc(nulls_last=True), "position", "id")
        )


class Milestone(Versioned):
    """A line of the draft work plan: a bar (or a diamond) on the Gantt chart."""

    class Kind(models.TextChoices):
        PRE_PROCUREMENT = "pre_procurement", "Pre-procurement"
        APPROVAL = "approval", "Approval"
        ENGAGEMENT = "engagement", "Engagement"
        ASSESSMENT = "assessment", "Assessment"
        DELIVERY = "delivery", "Delivery"
        REPORTING = "reporting", "Reporting"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        MET = "met", "Met"
        NOT_MET = "not_met", "Not met"
        PARTIALLY_MET = "partially_met", "Partially met"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(max_length=SHORT_TEXT)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER)
    within_project = models.BooleanField(
        "within the project", default=True, help_text="Untick for milestones outside the project that it depends on."
    )
    owner = models.ForeignKey(Stakeholder, on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones")
    baseline_start = models.DateField(null=True, blank=True)
    baseline_end = models.DateField(null=True, blank=True)
    forecast_end = models.DateField(null=True, blank=True)
    actual_end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.SCHEDULED)
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="dependents",
        help_text="Finish-to-start: this milestone starts when these finish.",
    )
    notes = long_text("notes", max_length=2000)
    position = models.PositiveIntegerField(default=0)

    objects = MilestoneQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[depends_on])

    class Meta:
        ordering = ["position", "baseline_end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(baseline_end__isnull=True)
                | models.Q(baseline_start__isnull=True)
                | models.Q(baseline_end__gte=models.F("baseline_start")),
                name="milestone_end_not_before_start",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.baseline_start and self.baseline_end and self.baseline_end < self.baseline_start:
            raise ValidationError({"baseline_end": "The end date cannot be before the start date."})

    @property
    def slip_days(self):
        """Days the forecast (or actual) end lies past the baseline end; 0 when on time."""
        return self.slip_between(self.baseline_end, self.forecast_end, self.actual_end)

    @property
    def rag(self):
        return self.rag_and_words[0]

    @property
    def rag_words(self):
        return self.rag_and_words[1]

    @property
    def rag_and_words(self):
        return rag_for(slip_days=self.slip_days, status=self.status)

    @property
    def current_end(self):
        """When it ends as things stand: actual, else forecast, else planned."""
        return self.actual_end or self.forecast_end or self.baseline_end

    @property
    def starts_before_dependencies_end(self):
        """The milestones this one waits for (finish to start) that end after it starts: the plan
        contradicts itself. Reads `depends_on.all()`, so prefetch it on lists."""
        start = self.baseline_start or self.baseline_end
        if not start:
            return []
        return [d for d in self.depends_on.all() if d.current_end and d.current_end > start]

    @staticmethod
    def slip_between(baseline_end, forecast_end, actual_end):
        """The one slip rule, shared with the Gantt items built from frozen report snapshots."""
        later = actual_end or forecast_end
        if not (later and baseline_end):
            return 0
        return max((later - baseline_end).days, 0)


class CommunicationItem(Versioned):
    """A line of the stakeholder communication plan."""

    class Channel(models.TextChoices):
        MEETING = "meeting", "Meeting"
        EMAIL = "email", "Email"
        REPORT = "report", "Report"
        WORKSHOP = "workshop", "Workshop"
        BRIEFING = "briefing", "Briefing"
        NEWSLETTER = "newsletter", "Newsletter"
        INTRANET = "intranet", "Intranet / website"
        OTHER = "other", "Other"

    class Frequency(models.TextChoices):
        ONCE = "once", "Once"
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Fortnightly"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        AT_MILESTONES = "milestones", "At milestones"
        AS_NEEDED = "as_needed", "As needed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="communications")
    audience = models.ManyToManyField(Stakeholder, blank=True, related_name="communications")
    audience_group = models.CharField(
        "audience group", max_length=SHORT_TEXT, blank=True, help_text="A group, e.g. 'Joint Improvement Board'."
    )
    purpose = long_text("purpose or message", max_length=2000)
    channel = models.CharField(max_length=20, choices=Channel, default=Channel.MEETING)
    frequency = models.CharField(max_length=20, choices=Frequency, default=Frequency.MONTHLY)
    owner = models.ForeignKey(
        Stakeholder, on_delete=models.SET_NULL, null=True, blank=True, related_name="communications_owned"
    )
    next_date = models.DateField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(m2m_fields=[audience])

    class Meta:
        ordering = ["position", "next_date", "id"]

    def __str__(self):
        return self.audience_group or (self.purpose[:60] if self.purpose else f"Communication {self.pk}")


class Baseline(models.Model):
    """A named, dated record of every milestone's planned dates: slip is measured against one.

    The latest baseline's dates are also written to each milestone's `baseline_start` and
    `baseline_end` (the current baseline, denormalised), so every query that measures slip
    reads one column; the entries keep every earlier baseline to compare with."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="baselines")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=SHORT_TEXT)
    reason = models.TextField(
        help_text="Why the plan is baselined (again).", max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    set_at = models.DateTimeField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="baseline_number_unique"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="baseline_has_reason"),
        ]

    def __str__(self):
        return f"Baseline {self.number} “{self.name}”"

    @property
    def set_on(self):
        """The local date it was set."""
        return timezone.localdate(self.set_at)

    @property
    def set_by_name(self) -> str:
        return (self.set_by.get_full_name() or self.set_by.get_username()) if self.set_by else "someone since removed"


class BaselineEntry(models.Model):
    """One milestone's planned dates in a baseline. The name is copied so a deleted milestone
    still reads in the baseline it was part of."""

    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="entries")
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="baseline_entries"
    )
    name = models.CharField(max_length=SHORT_TEXT)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["baseline", "id"]
        verbose_name_plural = "baseline entries"
        constraints = [
            models.UniqueConstraint(fields=["baseline", "milestone"], name="baseline_entry_once_per_milestone"),
        ]

    def __str__(self):
        return f"{self.name} in {self.baseline}"


def dependency_edges(project) -> dict[int, set[int]]:
    """{milestone id: ids it depends on} for the whole project, in one query."""
    edges: dict[int, set[int]] = {}
    through = Milestone.depends_on.through.objects.filter(from_milestone__project=project)
    for source, target in through.values_list("from_milestone_id", "to_milestone_id"):
        edges.setdefault(source, set()).add(target)
    return edges
