import pytest
from playwright.sync_api import expect

from projects.models import Membership
from risks.models import Issue
from tests.browser.conftest import log_in
from tests.factories import make_project, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_an_issue_is_logged_edited_and_deleted_in_place(page):
    user = make_user("ines")
    make_project(members={user: Membership.Role.BUYER}, slug="issues")
    log_in(page, "ines")
    page.goto("/projects/issues/issues/")
    expect(page.get_by_text("No issues logged.")).to_be_visible()

    form = page.locator("#issues-table form")
    form.get_by_label("Title*").fill("Wrong sensors delivered")
    form.get_by_label("Type*").select_option("off_specification")
    form.get_by_role("button", name="Add issue").click()
    row = page.locator("#issues-table tbody tr")
    expect(row).to_have_count(1)
    expect(row.get_by_role("rowheader", name="I1")).to_be_visible()

    row.get_by_role("link", name="Edit I1").click()
    editing = page.locator("#issues-table tr.editing")
    editing.get_by_label("Status*").select_option("closed")
    editing.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Give the date the issue was closed.")).to_be_visible()
    editing.get_by_label("Closed on").fill(editing.get_by_label("Raised on*").input_value())
    editing.get_by_role("button", name="Save").click()
    expect(page.locator("#issues-table tbody tr").first).to_contain_text("Closed")
    expect(page.locator("#issues-table tr.editing")).to_have_count(0)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Delete I1").click()
    expect(page.locator("#issues-table tbody tr")).to_have_count(0)
    assert not Issue.objects.exists()
    assert page.console.errors == []
