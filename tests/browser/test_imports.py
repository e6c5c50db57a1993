import pytest
from playwright.sync_api import expect

from projects.models import Membership
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import violations
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


def test_choose_the_scale_and_a_column_on_the_preview_then_confirm(page):
    user = make_user("cara", first_name="Cara", last_name="Chooser")
    project = make_project(members={user: Membership.Role.BUYER}, slug="choosing")
    log_in(page, "cara")
    page.goto("/projects/choosing/import/risks/")
    page.get_by_label("Excel workbook (.xlsx)").set_input_files(
        str(REAL_WORLD / "chepkemoi-maureen_Risk_Register.xlsx")
    )
    page.get_by_role("button", name="Preview the import").click()

    questions = page.get_by_role("alert").filter(has_text="Before importing, tell us how to read this file")
    expect(questions).to_contain_text("do not say the file's scale")
    expect(page.get_by_role("button", name="Import 10 rows")).to_have_count(0)
    assert violations(page) == []  # the choices are labelled form fields

    page.get_by_label("The file's scale").select_option("5")
    page.get_by_label("Owner").select_option(label="Not imported")
    page.get_by_role("button", name="Show the rows read this way").click()

    expect(questions).to_have_count(0)
    expect(
        page.get_by_role("table", name="Likelihood").get_by_role("row", name="3 3 (of 4; file scale 1-5)")
    ).to_be_visible()
    expect(page.get_by_text("New stakeholders to add")).to_have_count(0)
    assert project.risks.count() == 0  # nothing saved by choosing

    page.get_by_role("button", name="Import 10 rows").click()
    expect(
        page.get_by_role("status").filter(has_text="Imported chepkemoi-maureen_Risk_Register.xlsx: 10 added")
    ).to_be_visible()
    weak = project.risks.get(event__startswith="Weak passwords")
    assert (weak.likelihood, weak.impact, weak.owner) == (3, 3, None)
    assert project.stakeholders.count() == 0
    assert page.console.errors == []
