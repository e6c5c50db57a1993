import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from projects.advisory.models import AdvisoryReview
from projects.models import Project
from tests.factories import make_project

from .conftest import make_report, populate

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:projects_project_changelist")


def run_action(client, action, projects):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [p.pk for p in projects], "index": 0})


def sheet_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return sheet, [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_portfolio_export_has_a_row_per_selected_project(advisor, client_as):
    chosen = make_project(name="Water sensors", reference="WS-1", rag_status="red")
    AdvisoryReview.objects.create(project=chosen, status="advice_given", advice="Add owners", reviewed_by=advisor)
    make_project(name="Not chosen")
    response = run_action(client_as(advisor), "export_portfolio", [chosen])
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    _, rows = sheet_rows(response)
    header, *data = rows
    assert len(data) == 1
    row = dict(zip(header, data[0]))
    assert row["Project"] == "Water sensors" and row["Reference"] == "WS-1" and row["Overall RAG"] == "Red"
    assert row["Readiness"].endswith("of 5")
    assert (row["Review status"], row["Advice"]) == ("Advice given", "Add owners")
    address = "http://testserver" + reverse("projects:detail", args=[chosen.slug])  # opens from the workbook
    assert row["Web address"] == address
    sheet, _ = sheet_rows(response)
    assert sheet.cell(row=2, column=len(header)).hyperlink.target == address


def test_text_that_looks_like_a_formula_is_exported_as_text(advisor, client_as):
    hostile = ['=HYPERLINK("http://evil","x")', "+1", "-1", "@SUM(1)", "\tTabbed"]
    projects = [make_project(name=text, reference="R\x0bX") for text in hostile]
    sheet, rows = sheet_rows(run_action(client_as(advisor), "export_portfolio", projects))
    cells = [sheet.cell(row=r, column=1) for r in range(2, len(rows) + 1)]
    assert sorted(c.value for c in cells) == sorted(hostile)
    assert all(c.data_type == "s" for c in cells)
    assert all(sheet.cell(row=r, column=2).value == "RX" for r in range(2, len(rows) + 1))


def test_the_export_query_count_does_not_grow_with_projects(advisor, client_as, django_assert_max_num_queries):
    client = client_as(advisor)
    few = populate(5, "S")
    with CaptureQueriesContext(connection) as ctx:
        assert run_action(client, "export_portfolio", few).status_code == 200
    many = few + populate(45, "M")
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        _, rows = sheet_rows(run_action(client, "export_portfolio", many))
    assert len(rows) == 51


def test_the_zip_holds_the_latest_issued_report_of_each_selected_project(advisor, client_as):
    first = make_project(name="First", slug="first")
    make_report(first, 1, issued_at=datetime(2026, 1, 5, tzinfo=UTC), pdf=b"%PDF old")
    make_report(first, 2, issued_at=datetime(2026, 2, 5, tzinfo=UTC), pdf=b"%PDF newest")
    make_report(first, 3)  # a draft is never sent
    second = make_project(name="Second", slug="second")
    make_report(second, 1, issued_at=datetime(2026, 1, 9, tzinfo=UTC), pdf=b"%PDF second")
    none = make_project(name="No report yet", slug="none")
    response = run_action(client_as(advisor), "download_latest_reports", [first, second, none])
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "NO-ISSUED-REPORT.txt",
        "first-highlight-report-2.pdf",
        "second-highlight-report-1.pdf",
    ]
    assert archive.read("first-highlight-report-2.pdf") == b"%PDF newest"
    assert "No report yet" in archive.read("NO-ISSUED-REPORT.txt").decode()


def test_a_selection_without_any_issued_report_gets_a_message_not_an_empty_zip(advisor, client_as):
    project = make_project(name="Draft only")
    make_report(project, 1)
    client = client_as(advisor)
    response = run_action(client, "download_latest_reports", [project])
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert "None of the selected projects has an issued highlight report yet." in follow.text


def test_the_zip_query_count_does_not_grow_with_projects(advisor, client_as, django_assert_max_num_queries):
    client = client_as(advisor)
    few = populate(3, "Z")
    with CaptureQueriesContext(connection) as ctx:
        run_action(client, "download_latest_reports", few)
    many = few + populate(30, "Y")
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        response = run_action(client, "download_latest_reports", many)
    assert len(zipfile.ZipFile(io.BytesIO(response.content)).namelist()) == 33
    assert Project.objects.count() == 33


def test_the_zip_and_the_highlight_report_command_send_the_same_latest_report(
    advisor, client_as, project, buyer, tmp_path
):
    """Report 1 was issued after report 2 (issued_at is out of number order, as the demo's
    backdated issues can be); report 3 is a draft. Both take report 2."""
    from django.core.management import call_command

    from projects.reports import rendering
    from projects.reports.models import HighlightReport
    from tests.factories import make_report as make_draft

    first = make_draft(
        project, period_start=date(2026, 1, 1), period_end=date(2026, 1, 31), report_date=date(2026, 2, 2)
    )
    assert rendering.report_issue(report=first, by=buyer, at=datetime(2026, 3, 20, 10, tzinfo=UTC))
    second = make_draft(
        project, period_start=date(2026, 2, 1), period_end=date(2026, 2, 28), report_date=date(2026, 3, 2)
    )
    assert rendering.report_issue(report=second, by=buyer, at=datetime(2026, 3, 2, 10, tzinfo=UTC))
    make_draft(project, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31), report_date=date(2026, 4, 2))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.issued_at > second.issued_at and second.pdf != first.pdf

    out = tmp_path / "latest.pdf"
    call_command("highlight_report", project.slug, output=str(out), stdout=io.StringIO())
    archive = zipfile.ZipFile(io.BytesIO(run_action(client_as(advisor), "download_latest_reports", [project]).content))
    assert archive.namelist() == [f"{project.slug}-highlight-report-2.pdf"]
    assert archive.read(f"{project.slug}-highlight-report-2.pdf") == out.read_bytes() == bytes(second.pdf)

    # While report 2's PDF is still being made the zip says so; it never sends report 1 instead.
    HighlightReport.objects.filter(pk=second.pk).update(pdf=None, render_state="queued")
    archive = zipfile.ZipFile(io.BytesIO(run_action(client_as(advisor), "download_latest_reports", [project]).content))
    assert archive.namelist() == ["PDF-NOT-READY.txt"]
    assert f"{project.name}: highlight report 2" in archive.read("PDF-NOT-READY.txt").decode()
