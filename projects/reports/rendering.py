"""Queueing and serving the highlight report's PDF: the layer above the data (services), the
HTML and PDF (pdf) and the task (tasks), so none of those imports another circularly."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from . import render_lock, services
from .models import HighlightReport
from .pdf import html_key, report_html, time_limit_seconds
from .tasks import render_report_pdf


def report_issue(*, report: HighlightReport, by, at=None, snapshot=None) -> bool:
    """Issue the report (services.freeze) and queue its PDF. False when someone issued it first."""
    if not services.freeze(report=report, by=by, at=at, snapshot=snapshot):
        return False
    # After freeze's transaction, so the locks are not held while the immediate backend
    # renders. Inside a view's own transaction that is still consistent: a database task
    # queue sees the task only together with the issued report, and the immediate backend
    # uses this connection.
    _enqueue(report)
    return True


def _enqueue(report):
    result = render_report_pdf.enqueue(report.pk)
    report.refresh_from_db(fields=["render_state", "render_error", "pdf", "pdf_sha256", "draft_pdf", "draft_pdf_key"])
    return result


def request_render(report):
    """Queue the PDF task unless one is already waiting or running for this report.

    "Running" counts only while the renderer holds the report's rendering lock: a worker
    killed mid-render drops it with its process (render_lock.py), and the next request
    queues the task again at once. A task still waiting for a worker after twice the time
    limit is taken as lost and queued again.
    """
    State = HighlightReport.RenderState
    active = (State.QUEUED, State.RUNNING)
    now = timezone.now()
    stale = now - timedelta(seconds=2 * time_limit_seconds())
    claimable = Q(render_requested_at__isnull=True) | Q(render_requested_at__lt=stale) | ~Q(render_state__in=active)
    current = HighlightReport.objects.filter(pk=report.pk).values("render_state", "render_requested_at").first()
    if current and current["render_state"] == State.RUNNING and not render_lock.is_held(report.pk):
        # The renderer died. Matching the requested time it left lets one request of many
        # take the retry.
        claimable |= Q(render_state=State.RUNNING, render_requested_at=current["render_requested_at"])
    claimed = (
        HighlightReport.objects.filter(pk=report.pk)
        .filter(claimable)
        .update(render_state=State.QUEUED, render_error="", render_requested_at=now)
    )
    if claimed:
        return _enqueue(report)
    report.refresh_from_db(fields=["render_state", "render_error"])
    return None


def stored_pdf(report):
    """The bytes to serve without rendering, or None: an issued report's for ever; a draft's
    while its HTML is unchanged."""
    if report.is_issued:
        return bytes(report.pdf) if report.pdf else None
    if report.draft_pdf and report.draft_pdf_key:
        if html_key(report_html(report)) == report.draft_pdf_key:
            return bytes(report.draft_pdf)
    return None
