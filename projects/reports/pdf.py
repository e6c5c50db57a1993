"""The highlight report as HTML and as PDF bytes.

`report_html()` renders templates/reports/pdf.html (extending pdf_base.html) from
`services.report_data()`, the same data as the live preview. `html_to_pdf_bytes()` hands the
final HTML to WeasyPrint through mobilise.pdf's static-only fetcher, either in this process
(the default, immediate task backend) or, on a worker, in a child process with a time limit
and a memory ceiling:

    python -m mobilise.pdf < report.html > report.pdf

Settings (all optional): REPORT_PDF_ISOLATE (default: on unless the task backend is the
immediate one), REPORT_PDF_TIME_LIMIT seconds (120), REPORT_PDF_MEMORY_MB (1024).
"""

import hashlib
import os
import subprocess
import sys

from django.conf import settings
from django.template.loader import render_to_string

from .services import report_data


class ReportRenderError(Exception):
    """Rendering failed in a way a person can be told about in one line."""


def time_limit_seconds() -> int:
    return int(getattr(settings, "REPORT_PDF_TIME_LIMIT", 120))


def memory_limit_mb() -> int:
    return int(getattr(settings, "REPORT_PDF_MEMORY_MB", 1024))


def isolate() -> bool:
    configured = getattr(settings, "REPORT_PDF_ISOLATE", None)
    if configured is not None:
        return bool(configured)
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return not backend.endswith("ImmediateBackend")


def html_key(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


def report_html(report, data=None) -> str:
    """The final HTML WeasyPrint lays out."""
    context = report_data(report, data, for_pdf=True)
    context["project"] = report.project
    context["for_pdf"] = True
    return render_to_string("reports/pdf.html", context)


def html_to_pdf_isolated(html: str, *, timeout=None, memory_mb=None) -> bytes:
    """WeasyPrint in a child process: killed past the time limit, refused memory past the ceiling."""
    timeout = timeout or time_limit_seconds()
    ceiling = (memory_mb or memory_limit_mb()) * 1024 * 1024

    def limit():  # runs in the child between fork and exec
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "mobilise.settings")}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "mobilise.pdf"],
            input=html.encode(),
            capture_output=True,
            timeout=timeout,
            preexec_fn=limit,
            env=env,
            cwd=settings.BASE_DIR,
        )
    except subprocess.TimeoutExpired:
        raise ReportRenderError(f"Rendering took longer than the {timeout} s limit.") from None
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        last = (done.stderr.decode(errors="replace").strip().splitlines() or ["no output"])[-1]
        if "MemoryError" in last:
            raise ReportRenderError("Rendering needed more memory than the limit allows.")
        raise ReportRenderError(f"Rendering failed: {last[:200]}")
    return done.stdout


def html_to_pdf_bytes(html: str) -> bytes:
    if isolate():
        return html_to_pdf_isolated(html)
    from mobilise.pdf import html_to_pdf

    return html_to_pdf(html)


def report_pdf(report, data=None) -> tuple[bytes, str]:
    """(PDF bytes, the HTML they were made from)."""
    html = report_html(report, data)
    return html_to_pdf_bytes(html), html
