"""The advisory team's review of a project (issue 7).

A separate one-to-one record rather than fields on Project so that the "Advisory team" group
can be given exactly "change advisory review" and nothing that edits the project itself.
A project without a review row simply has not been reviewed yet.
"""

from django.apps import apps as global_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_migrate
from simple_history.models import HistoricalRecords

from projects import dates
from projects.models import Project, Versioned, long_text


class AdvisoryReview(Versioned):
    class Status(models.TextChoices):
        NOT_REVIEWED = "not_reviewed", "Not reviewed"
        IN_REVIEW = "in_review", "In review"
        ADVICE_GIVEN = "advice_given", "Advice given"
        NO_CONCERNS = "no_concerns", "No concerns"

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="review")
    status = models.CharField("review status", max_length=20, choices=Status, default=Status.NOT_REVIEWED)
    advice = long_text(
        "advice notes", "What the advisory team advises the buying team; they see it on their dashboard."
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "advisory review"

    def __str__(self):
        return f"Review of {self.project}: {self.get_status_display()}"


class ReviewEntry(models.Model):
    """One review of a project by the advisory team, dated: who looked at what, what they
    found, the status it left the project in and when to look again. The log is added to,
    never rewritten; the latest entry sets the project's review status (AdvisoryReview)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="review_log")
    report = models.ForeignKey(
        "reports.HighlightReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The highlight report this review was of, if any.",
    )
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField("reviewed on")
    looked_at = long_text("what was looked at", max_length=2000)
    findings = long_text("findings")
    status = models.CharField(
        max_length=20,
        choices=[c for c in AdvisoryReview.Status.choices if c[0] != AdvisoryReview.Status.NOT_REVIEWED],
        default=AdvisoryReview.Status.IN_REVIEW,
    )
    follow_up_on = models.DateField("follow up by", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "review log entry"
        verbose_name_plural = "review log"
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(follow_up_on__isnull=True) | models.Q(follow_up_on__gte=models.F("reviewed_on")),
                name="review_follow_up_not_before_review",
                violation_error_message="The follow-up cannot be before the review.",
            ),
            models.CheckConstraint(
                condition=models.Q(reviewed_on__gte=dates.EARLIEST, reviewed_on__lte=dates.LATEST)
                & (models.Q(follow_up_on__isnull=True) | models.Q(follow_up_on__lte=dates.LATEST)),
                name="review_dates_in_range",
                violation_error_message=dates.RANGE_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"Review of {self.project} on {self.reviewed_on:%-d %b %Y}"

    def clean(self):
        errors = {}
        if not (self.looked_at or "").strip():
            errors["looked_at"] = "Say what was looked at."
        if self.report_id and self.project_id and self.report.project_id != self.project_id:
            errors["report"] = "Choose a report of this project."
        if self.reviewed_on and self.follow_up_on and self.follow_up_on < self.reviewed_on:
            errors["follow_up_on"] = "The follow-up cannot be before the review."
        for name in ("reviewed_on", "follow_up_on"):
            if not dates.in_range(getattr(self, name)):
                errors[name] = dates.RANGE_MESSAGE
        if errors:
            raise ValidationError(errors)


class HelpRequest(Versioned):
    """A buying team's request for the advisory team's help (seed 000: "contact the innovation
    procurement advisory team ... if you need help"). It moves new -> accepted -> in progress
    -> closed in the admin queue; every move emails the team and the requester."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ACCEPTED = "accepted", "Accepted"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    class Source(models.TextChoices):
        ASKED = "asked", "Asked from the project"
        SUPPORT = "support", "Support level chosen in session 3"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="help_requests")
    what_for = long_text("what the help is for", max_length=2000)
    needed_by = models.DateField("needed by", null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source, default=Source.ASKED, editable=False)
    status = models.CharField(max_length=12, choices=Status, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"groups__name": "Advisory team"},
        help_text="The advisor who takes it on.",
    )
    note = long_text("note to the requester", "Sent with the next email.", max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The last email sent about it, or why it failed: a request is never lost to a mail outage,
    # and the queue shows who has not been told.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    notify_error = models.CharField(max_length=300, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["notified_at", "notify_error"])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Choosing Guided twice (or Guided then Partnered) asks once while a request is open.
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(source="support") & ~models.Q(status="closed"),
                name="one_open_support_request_per_project",
            ),
            models.CheckConstraint(
                condition=models.Q(needed_by__isnull=True)
                | models.Q(needed_by__gte=dates.EARLIEST, needed_by__lte=dates.LATEST),
                name="help_needed_by_in_range",
                violation_error_message=dates.RANGE_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"Help request {self.pk} from {self.project}"

    @property
    def is_open(self):
        return self.status != self.Status.CLOSED


def _sync_advisory_permissions(sender, using="default", apps=None, **kwargs):
    from django.contrib.auth.management import create_permissions

    from projects.advisory.permissions import sync_advisory_group

    # This receiver may run before auth's own (it is connected earlier), so create the
    # sender's permissions first; create_permissions is idempotent.
    create_permissions(sender, verbosity=0, using=using, apps=apps or global_apps)
    sync_advisory_group(using=using)


# Connected here (the models module is always imported) so the group's permissions follow
# every model other areas add later, after each app's permissions are created.
post_migrate.connect(_sync_advisory_permissions, dispatch_uid="projects.advisory.sync_advisory_group")
