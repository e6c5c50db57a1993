"""PDF rendering as a Django task (django.tasks).

By default (ImmediateBackend) the task runs at once inside the request. In production,
TASKS_BACKEND=django_tasks_db.DatabaseBackend queues it and `manage.py db_worker` runs it,
so a slow render never holds a web worker; the worker renders in a child process with a
time limit and a memory ceiling (see projects/reports/pdf.py). The task records its progress
on the report (render_state) so the page can poll it whatever the backend.
"""

import hashlib

from django.db.models import Q
from django.tasks import task

from . import render_lock
from .models import HighlightReport
from .pdf import ReportRenderError, html_key, report_pdf


@task
def render_report_pdf(report_id: int) -> str:
    """Render report `report_id`: an issued report's bytes are stored once, with their SHA-256;
    a draft's are kept with the hash of their HTML until the draft or its data changes.

    The render holds the report's rendering lock (render_lock.py) from before it says
    "running" until after it says how it ended, so "running" with nobody holding the lock
    means the renderer died, and rendering.request_render queues it again at once."""
    with render_lock.claim(report_id) as held:
        if not held:
            return "busy"  # another worker is rendering it right now
        return _render(report_id)


def _render(report_id):
    State = HighlightReport.RenderState
    report = HighlightReport.objects.select_related("project").filter(pk=report_id).first()
    if report is None:
        return "gone"
    if report.is_issued and report.pdf:
        HighlightReport.objects.filter(pk=report_id).update(render_state=State.DONE, render_error="")
        return "stored"
    HighlightReport.objects.filter(pk=report_id).update(render_state=State.RUNNING)
    try:
        pdf, html = report_pdf(report)
    except ReportRenderError as error:
        HighlightReport.objects.filter(pk=report_id).update(render_state=State.FAILED, render_error=str(error)[:300])
        return "failed"
    except Exception as error:
        # Anything else is a bug. The page must not wait for ever, so the report says the render
        # failed; then the error goes on, so the task fails with its traceback (the worker logs
        # it, the database backend keeps it) and nothing is hidden.
        HighlightReport.objects.filter(pk=report_id).update(
            render_state=State.FAILED, render_error=f"Rendering failed ({type(error).__name__})."
        )
        raise
    if report.is_issued:
        # Only the first rendering of an issued report is ever stored (pdf IS NULL).
        HighlightReport.objects.filter(pk=report_id).filter(Q(pdf__isnull=True)).update(
            pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest()
        )
    else:
        HighlightReport.objects.filter(pk=report_id, issued_at__isnull=True).update(
            draft_pdf=pdf, draft_pdf_key=html_key(html)
        )
    HighlightReport.objects.filter(pk=report_id).update(render_state=State.DONE, render_error="")
    return "done"
