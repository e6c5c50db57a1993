"""Highlight reports under double submits and dying workers: real threads, real processes."""

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from projects.reports import pdf as report_pdf_module
from projects.reports import rendering
from projects.reports.models import HighlightReport
from tests.factories import make_report

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(__file__).resolve().parents[2]
PARALLEL = 10


def url(name, project, *args):
    return reverse(f"reports:{name}", args=[project.slug, *args])


def post_in_parallel(user, path, data=None, times=PARALLEL):
    """`times` POSTs at once, each from its own logged-in browser; their responses."""
    clients = []
    for _ in range(times):
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(times)

    def send(client):
        try:
            barrier.wait(timeout=30)
            return client.post(path, data or {})
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(send, clients))


def test_ten_simultaneous_start_report_clicks_make_one_draft_and_no_error(project, buyer):
    responses = post_in_parallel(
        buyer, url("reports", project), {"period_start": "2026-04-01", "period_end": "2026-04-30"}
    )
    assert [r.status_code for r in responses] == [302] * PARALLEL
    draft = project.reports.get()  # exactly one
    assert not draft.is_issued and draft.number == 1
    assert {r["Location"] for r in responses} == {url("report", project, 1)}


def test_start_report_while_a_draft_exists_opens_that_draft(member_client, project):
    make_report(project, number=1)
    response = member_client.post(
        url("reports", project), {"period_start": "2026-04-01", "period_end": "2026-04-30"}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("report", project, 1)
    assert "Highlight report 1 is already a draft: carry on with it." in response.text
    assert project.reports.count() == 1


def test_ten_simultaneous_issue_clicks_issue_once_and_render_one_pdf(project, buyer, monkeypatch):
    draft = make_report(project, number=1)
    renders = []
    real = report_pdf_module.html_to_pdf_bytes

    def counting(html):
        renders.append(1)
        return real(html)

    monkeypatch.setattr(report_pdf_module, "html_to_pdf_bytes", counting)
    responses = post_in_parallel(buyer, url("report-issue", project, 1))
    assert [r.status_code for r in responses] == [302] * PARALLEL
    draft.refresh_from_db()
    assert draft.is_issued and draft.issued_by == buyer and draft.pdf_sha256
    assert len(renders) == 1
    issues = draft.history.filter(history_change_reason="Issued")
    assert issues.count() == 1 and issues.get().history_user == buyer


def test_issuing_writes_a_history_row_with_who_issued_it(member_client, project, buyer):
    report = make_report(project, number=1)
    before = report.history.count()
    assert member_client.post(url("report-issue", project, 1)).status_code == 302
    latest = report.history.first()
    assert report.history.count() == before + 1
    assert latest.issued_at is not None and latest.issued_by_id == buyer.pk and latest.history_user == buyer
    assert latest.history_change_reason == "Issued" and latest.version == 2


# A renderer killed mid-render ---------------------------------------------------------------

RENDER_AND_HANG = """
import sys, django
django.setup()
from projects.reports import pdf, tasks

def hang(html):
    print("rendering", flush=True)
    sys.stdin.read()  # until killed

pdf.html_to_pdf_bytes = hang
tasks.render_report_pdf.call(int(sys.argv[1]))
"""


def database_url():
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{conf['NAME']}"
    host = f"{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}"
    auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf["PASSWORD"] else "")
    return f"postgres://{auth}@{host}/{conf['NAME']}"


def read_line_within(stream, seconds):
    lines = []
    reader = threading.Thread(target=lambda: lines.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(seconds)
    return lines[0] if lines else ""


def test_a_renderer_killed_mid_render_is_retried_at_once_by_the_next_request(member_client, project, buyer, settings):
    report = make_report(project, number=1)
    # Issue without running the task here: a worker process will take it.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    assert rendering.report_issue(report=report, by=buyer)
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    connection.close()  # the worker must not wait on this process's connection
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "mobilise.settings", "DEBUG": "1"}
    worker = subprocess.Popen(
        [sys.executable, "-c", RENDER_AND_HANG, str(report.pk)],
        cwd=BASE_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = read_line_within(worker.stdout, 60)
        assert line.strip() == "rendering", worker.stderr.read() if worker.poll() is not None else line
        report.refresh_from_db()
        assert report.render_state == HighlightReport.RenderState.RUNNING
        # While the worker lives, a download waits for it rather than rendering twice.
        page = member_client.get(url("report-pdf", project, 1))
        assert page["Content-Type"].startswith("text/html") and "Rendering" in page.text
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    # The next request sees the renderer is gone and renders now; not after twice the time
    # limit. PostgreSQL ends the dead worker's session a moment after the kill: poll.
    deadline = time.monotonic() + 30
    while True:
        response = member_client.get(url("report-pdf", project, 1))
        if response["Content-Type"] == "application/pdf" or time.monotonic() > deadline:
            break
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    report.refresh_from_db()
    assert report.render_state == HighlightReport.RenderState.DONE and report.pdf_sha256
