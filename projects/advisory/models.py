"""The advisory team's review of a project (issue 7).

A separate one-to-one record rather than fields on Project so that the "Advisory team" group
can be given exactly "change advisory review" and nothing that edits the project itself.
A project without a review row simply has not been reviewed yet.
"""

from django.apps import apps as global_apps
from django.conf import settings
from django.db import models
from django.db.models.signals import post_migrate
from simple_history.models import HistoricalRecords

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
