from io import BytesIO

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from projects.models import Membership
from projects.reports.models import HighlightReport
from tests.browser.conftest import log_in
from tests.factories import make_milestone, make_project, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_the_project_manager_drafts_issues_and_downloads_a_report(page, tmp_path):
    manager = make_user("pm")
    project = make_project(
        members={manager: Membership.Role.MANAGER},
        name="Smart bins",
        slug="smart-bins",
        sponsor="Sam Sponsor",
        project_manager="Pat Manager",
    )
    make_milestone(project, name="Market engagement day")
    log_in(page, "pm")
    page.goto("/projects/smart-bins/reports/")
    expect(page.get_by_text("No highlight reports yet.")).to_be_visible()
    page.get_by_role("button", name="Start report").click()
    expect(page.get_by_role("heading", name="Highlight report 1", exact=True).first).to_be_visible()

    # Typing autosaves and the preview (the PDF's layout) follows.
    page.get_by_label("1. Recommendation").fill("To note progress and approve the market engagement plan.")
    expect(page.get_by_text("Saved at")).to_be_visible()
    expect(page.locator("#report-preview").get_by_text("approve the market engagement plan")).to_be_visible()
    expect(page.locator("#report-preview").get_by_text("Market engagement day").first).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Issue report 1").click()
    expect(page.get_by_text("This report has been issued and is frozen")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the issued PDF").click()
    path = tmp_path / "report.pdf"
    download_info.value.save_as(path)
    pdf = path.read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "approve the market engagement plan" in text
    assert "Sam Sponsor" in text
    report = HighlightReport.objects.get(project=project)
    assert bytes(report.pdf) == pdf  # the stored bytes are what was downloaded
    assert page.console.errors == []
