import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_log_in_create_a_project_add_a_stakeholder_and_see_it_on_the_dashboard(page):
    make_user("bea")
    log_in(page, "bea")
    expect(page.get_by_text("You are not in any project yet")).to_be_visible()
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Name*").fill("Smart water sensors")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="Smart water sensors")).to_be_visible()

    page.get_by_role("navigation", name="Project").get_by_role("link", name="Stakeholders").click()
    page.get_by_label("Name*").fill("Dana Approver")
    page.get_by_label("Kind*").select_option("approver")
    page.get_by_label("Approval criteria").fill("A costed business case")
    page.get_by_role("button", name="Add stakeholder").click()
    # htmx swaps the table in place: the new row appears without a page load.
    expect(page.locator("#stakeholders-table").get_by_role("cell", name="Dana Approver", exact=True)).to_be_visible()

    page.get_by_role("navigation", name="Project").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_text("Dana Approver", exact=True)).to_be_visible()
    assert page.console.errors == []  # no CSP violation, no script error


def test_inline_edit_of_a_stakeholder_with_htmx(page):
    from projects.models import Membership
    from tests.factories import make_project, make_stakeholder

    user = make_user("edith")
    project = make_project(members={user: Membership.Role.BUYER}, slug="inline")
    make_stakeholder(project, name="Old name")
    log_in(page, "edith")
    page.goto("/projects/inline/stakeholders/")
    page.get_by_role("link", name="Edit Old name").click()
    page.locator("tr.editing").get_by_label("Name*").fill("New name")
    page.locator("tr.editing").get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="New name", exact=True)).to_be_visible()
    expect(page.locator("tr.editing")).to_have_count(0)
    assert page.console.errors == []
