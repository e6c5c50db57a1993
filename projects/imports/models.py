import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

PENDING_LIFETIME = timedelta(hours=6)
KEEP_PER_PERSON = 3  # waiting uploads per person, project and kind, the new one included


class PendingImport(models.Model):
    """An uploaded workbook waiting for its preview to be confirmed.

    Kept in the database, not on local disk, so that the preview and the confirmation may
    be served by different app servers. Deleted once imported; stale ones are purged.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    filename = models.CharField(max_length=200)
    sheet = models.CharField(max_length=100, blank=True)
    data = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} ({self.kind})"

    @classmethod
    def purge_stale(cls):
        cls.objects.filter(created_at__lt=timezone.now() - PENDING_LIFETIME).delete()

    @classmethod
    def make_room(cls, *, project, user, kind):
        """Before a new upload: keep only this person's latest KEEP_PER_PERSON waiting uploads
        of that kind for the project (each may hold 5 MB), so repeated uploads cannot pile up."""
        older = cls.objects.filter(project=project, user=user, kind=kind).order_by("-created_at")
        cls.objects.filter(pk__in=list(older.values_list("pk", flat=True)[KEEP_PER_PERSON - 1:])).delete()
