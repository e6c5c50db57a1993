import pytest
from playwright.sync_api import expect

from projects.models import Membership
from tests.browser.conftest import log_in
from tests.factories import make_project, make_risk, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_adding_a_risk_updates_the_register_and_the_heat_map_in_place(page):
    user = make_user("rita")
    project = make_project(members={user: Membership.Role.BUYER}, slug="risky")
    make_risk(project, event="Existing risk", likelihood=1, impact=1)
    log_in(page, "rita")
    page.goto("/projects/risky/risks/")
    cell = page.locator("#risk-heatmaps svg").first.locator('a[aria-label^="Likelihood 3, impact 4,"]')
    expect(cell).to_have_count(0)  # empty cells are not links

    form = page.locator("#risks-table form")
    form.get_by_label("Event*").fill("Key approver leaves the organisation")
    form.get_by_label("Likelihood*").fill("3")
    form.get_by_label("Impact*").fill("4")
    form.get_by_label("Action to mitigate").fill("Name a deputy approver")
    form.get_by_role("button", name="Add risk").click()

    # The new row arrives by htmx, then the heat maps refresh on the risks-changed event.
    expect(page.locator("#risks-table").get_by_role("rowheader", name="R2")).to_be_visible()
    expect(cell).to_have_count(1)
    expect(cell.locator("text").first).to_have_text("1")
    expect(cell.locator("text").nth(1)).to_have_text("Very high")

    # The cell links to the register filtered to that cell, from the keyboard too.
    cell.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Showing live risks at likelihood 3, impact 4")).to_be_visible()
    expect(page.locator("#risks-table tbody tr")).to_have_count(1)
    assert page.console.errors == []


def test_an_out_of_range_score_is_refused_in_place(page):
    user = make_user("otto")
    make_project(members={user: Membership.Role.BUYER}, slug="range")
    log_in(page, "otto")
    page.goto("/projects/range/risks/")
    form = page.locator("#risks-table form")
    form.get_by_label("Event*").fill("Too likely")
    form.get_by_label("Likelihood*").fill("5")
    form.get_by_label("Impact*").fill("2")
    form.get_by_role("button", name="Add risk").click()
    expect(page.get_by_text("Likelihood must be between 1 and 4 on this project's scale.")).to_be_visible()
    expect(page.locator("#risks-table tbody tr")).to_have_count(0)
    assert page.console.errors == []
