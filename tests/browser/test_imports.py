import pytest
from playwright.sync_api import expect

from projects.models import Membership
from tests.browser.conftest import log_in
from tests.factories import make_project, make_user
from tests.spreadsheets.conftest import REAL_WORLD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_import_a_risk_register_from_the_data_page_preview_then_confirm(page):
    user = make_user("ines", first_name="Ines", last_name="Importer")
    project = make_project(members={user: Membership.Role.BUYER}, slug="imports")
    log_in(page, "ines")
    page.goto("/projects/imports/")
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Data").click()
    page.get_by_role("link", name="Import risk register").click()
    page.get_by_label("Excel workbook (.xlsx)").set_input_files(str(REAL_WORLD / "faria-grc_Risk_Register.xlsx"))
    page.get_by_role("button", name="Preview the import").click()

    expect(page.get_by_text("Reading sheet “Sheet1”, header in row 1.")).to_be_visible()
    mapping = page.get_by_role("table", name="How each column of the sheet maps to our fields")
    expect(mapping.get_by_role("row", name="E Likelhood Likelihood")).to_be_visible()
    expect(
        page.get_by_role("table", name="Impact").get_by_role("row", name="Critical 4 (of 4; Low/Medium/High words)")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Rows: 10 to add, 0 to update")).to_be_visible()
    assert project.risks.count() == 0  # nothing saved by the preview

    page.get_by_role("button", name="Import 10 rows").click()
    expect(
        page.get_by_role("status").filter(has_text="Imported faria-grc_Risk_Register.xlsx: 10 added")
    ).to_be_visible()
    assert project.risks.count() == 10
    page.goto("/projects/imports/history/")
    # the history names the person who imported, not "system"
    expect(page.locator(".history-item").filter(has_text="Ines Importer added risk").first).to_be_visible()
    assert page.console.errors == []


def test_a_broken_upload_shows_a_plain_message(page, tmp_path):
    user = make_user("bo")
    make_project(members={user: Membership.Role.BUYER}, slug="broken")
    log_in(page, "bo")
    bad = tmp_path / "register.xlsx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    page.goto("/projects/broken/import/stakeholders/")
    page.get_by_label("Excel workbook (.xlsx)").set_input_files(str(bad))
    page.get_by_role("button", name="Preview the import").click()
    expect(
        page.get_by_role("alert").filter(has_text="old-style .xls file or a password-protected workbook")
    ).to_be_visible()
    assert page.console.errors == []
