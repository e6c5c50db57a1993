"""The advisory team's review log (issue 19 point 5): each review is a dated entry, and the
latest sets the project's review status, so the dashboard panel, the admin list and its
filters keep reading one row (AdvisoryReview)."""

from django.db import transaction

from .models import AdvisoryReview, ReviewEntry


def record(entry: ReviewEntry, *, by) -> ReviewEntry:
    """Save a new entry by `by` and move the project's review to its status and date."""
    with transaction.atomic():
        entry.reviewer = by
        entry.full_clean()
        entry._history_user = by
        entry.save()
        review, _ = AdvisoryReview.objects.select_for_update().get_or_create(project_id=entry.project_id)
        latest = ReviewEntry.objects.filter(project_id=entry.project_id).order_by("-reviewed_on", "-id").first()
        if latest.pk == entry.pk:  # an entry back-dated behind a later one leaves the status as it is
            review.status, review.reviewed_by, review.reviewed_on = entry.status, by, entry.reviewed_on
            review.version += 1
            review._history_user = by
            review.save()
    return entry


def record_many(projects, *, by, status, note, reviewed_on) -> int:
    """The bulk action: one entry per project with the same status and note."""
    with transaction.atomic():
        for project in projects:
            record(
                ReviewEntry(project=project, reviewed_on=reviewed_on, looked_at=note, status=status),
                by=by,
            )
    return len(projects)
