import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

PENDING_LIFETIME = timedelta(hours=6)
KEEP_PER_PERSON = 3  # waiting uploads per person, project and kind, the new one included


class PendingImport(models.Model):
    """An uploaded workbook waiting for its preview to be confirmed.

    The file is read once, at upload: `workbook` holds every sheet's cell values (packed by
    mobilise.spreadsheets.stored) and `preview` what the preview page shows, so neither the
    preview nor the confirmation opens the file again; the uploaded bytes are not kept. In the
    database, not on local disk, so that preview and confirmation may be served by different
    app servers. Confirming marks it imported (one conditional UPDATE decides which of several
    confirmations imports) and drops its cells; stale ones are purged.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    filename = models.CharField(max_length=200)
    sheet = models.CharField(max_length=100, blank=True)
    workbook = models.BinaryField(help_text="Every sheet's cell values, packed; emptied once imported.")
    preview = models.JSONField(default=dict, help_text="What the preview page shows, from the upload's reading.")
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} ({self.kind})"

    @classmethod
    def claim(cls, pk) -> bool:
        """Mark the upload imported; True for exactly one caller however many confirm at once
        (the UPDATE's row lock and its WHERE decide, on PostgreSQL and SQLite alike). Call it
        inside the import's transaction so a failed import leaves the upload waiting."""
        return bool(
            cls.objects.filter(pk=pk, imported_at__isnull=True).update(
                imported_at=timezone.now(),
                workbook=b"",
                preview={},
            )
        )

    @classmethod
    def purge_stale(cls):
        cls.objects.filter(created_at__lt=timezone.now() - PENDING_LIFETIME).delete()

    @classmethod
    def make_room(cls, *, project, user, kind):
        """Before a new upload: keep only this person's latest KEEP_PER_PERSON waiting uploads
        of that kind for the project (each may hold 5 MB), so repeated uploads cannot pile up."""
        older = cls.objects.filter(project=project, user=user, kind=kind, imported_at__isnull=True).order_by(
            "-created_at"
        )
        cls.objects.filter(pk__in=list(older.values_list("pk", flat=True)[KEEP_PER_PERSON - 1 :])).delete()


class ImportReading(models.Model):
    """How a person chose to read a file (columns, header row, scale, words), kept per project
    and kind for the header row it was chosen for, and applied to the next upload whose header
    row is the same. Written when an import is confirmed, never by the preview."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    headers_key = models.CharField(max_length=64, help_text="SHA-256 of the header row's normalised cells.")
    headers = models.CharField(max_length=500, help_text="The header row as it was, for people reading admin.")
    reading = models.JSONField(default=dict)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "headers_key"], name="one_reading_per_header_row")
        ]

    def __str__(self):
        return f"{self.kind}: {self.headers[:60]}"

    @classmethod
    def remember(cls, *, project, kind, headers_key, headers, reading, user):
        cls.objects.update_or_create(
            project=project,
            kind=kind,
            headers_key=headers_key,
            defaults={"headers": headers[:500], "reading": reading, "chosen_by": user},
        )

    @classmethod
    def for_sheets(cls, *, project, kind, sheets, sheet=""):
        """The remembered reading whose header row is one of the first rows of these sheets:
        (reading, sheet title) or (None, "")."""
        from mobilise.spreadsheets.tables import HEADER_SEARCH_ROWS
        from projects.importing import headers_key

        keys = {}
        for s in sheets:
            if sheet and s.title.strip().lower() != sheet.strip().lower():
                continue
            width = min(max((len(r) for r in s.rows), default=0), HEADER_SEARCH_ROWS)
            columns = [tuple(r[c] if c < len(r) else None for r in s.rows) for c in range(width)]
            # A reading chosen for a sheet read turned round was chosen for one of its columns.
            for turned, lines in ((False, s.rows[:HEADER_SEARCH_ROWS]), (True, columns)):
                for number, cells in enumerate(lines, start=1):
                    if any(v not in (None, "") for v in cells):
                        keys.setdefault((headers_key(cells), turned), (s.title, number))
        found = [
            r
            for r in cls.objects.filter(project=project, kind=kind, headers_key__in={k for k, _ in keys})
            if (r.headers_key, bool(r.reading.get("transpose"))) in keys
        ]
        if not found:
            return None, ""
        title, number = keys[(found[0].headers_key, bool(found[0].reading.get("transpose")))]
        return {**found[0].reading, "header_row": number}, title
