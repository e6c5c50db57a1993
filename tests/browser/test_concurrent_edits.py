"""Two people on the same page at once: nothing either of them typed is lost."""

import pytest
from playwright.sync_api import expect

from alignment.models import Session
from projects.models import Membership
from tests.browser.conftest import ConsoleWatcher, log_in
from tests.factories import make_project, make_stakeholder, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


@pytest.fixture
def other_page(browser, live_server):
    """A second person's browser: its own context, so its own cookies and session."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console = ConsoleWatcher(page)
    yield page
    context.close()


@pytest.fixture
def workshop(page, other_page):
    """The buyer and the procurement officer, both on session 1 of one project."""
    buyer, officer = make_user("bea"), make_user("oli")
    project = make_project(members={buyer: Membership.Role.BUYER, officer: Membership.Role.OFFICER}, slug="workshop")
    log_in(page, "bea")
    log_in(other_page, "oli")
    for p in (page, other_page):
        p.goto("/projects/workshop/sessions/1/")
    return project


def saved_session(project):
    return Session.objects.get(project=project, number=1)


def test_two_people_on_one_session_page_editing_different_fields_both_keep_their_text(page, other_page, workshop):
    typed = [
        (page, "Strategic drivers", "strategic_drivers", "Net zero by 2030"),
        (other_page, "Needs", "needs", "Live river levels for the flood team"),
        (page, "Opportunity", "opportunity", "Cheaper sensors"),
        (other_page, "Concerns or constraints", "concerns", "Only one engineer knows the gauges"),
    ]
    # Turn about, each on a page opened before the other's changes: every save is checked
    # against a version the browser has not seen. (The in-memory SQLite of the test run
    # refuses truly simultaneous writes with "table is locked" instead of waiting, so the
    # saves are taken one after another; on PostgreSQL they may overlap.)
    for p, label, name, text in typed:
        p.get_by_role("textbox", name=label, exact=True).fill(text)
        expect(p.locator(f"#state-{name}")).to_contain_text("Saved")
    for p in (page, other_page):
        p.wait_for_load_state("networkidle")
        expect(p.locator(".save-state.error")).to_have_count(0)
        expect(p.locator("#htmx-error")).to_be_hidden()

    session = saved_session(workshop)
    assert {name: getattr(session, name) for _p, _l, name, _t in typed} == {name: text for _p, _l, name, text in typed}
    for p in (page, other_page):
        p.reload()
        for _p, label, _name, text in typed:
            expect(p.get_by_role("textbox", name=label, exact=True)).to_have_value(text)
    assert page.console.errors == [] and other_page.console.errors == []


def test_two_people_typing_in_the_same_field_get_a_conflict_not_a_silent_overwrite(page, other_page, workshop):
    page.get_by_role("textbox", name="Current situation", exact=True).fill("Bea: gauges are read by hand")
    expect(page.locator("#state-situation")).to_contain_text("Saved")

    # Oli opened the page before Bea saved, so his edit starts from the old text.
    other_page.get_by_role("textbox", name="Current situation", exact=True).fill("Oli: three gauges are broken")
    state = other_page.locator("#state-situation")
    expect(state).to_contain_text("someone else changed")
    expect(state.locator(".conflict-theirs")).to_have_text("Bea: gauges are read by hand")
    expect(other_page.get_by_role("textbox", name="Current situation", exact=True)).to_have_value(
        "Oli: three gauges are broken"
    )
    assert saved_session(workshop).situation == "Bea: gauges are read by hand"

    # Having read Bea's text, Oli keeps his deliberately, moving to the button by keyboard.
    other_page.get_by_role("textbox", name="Current situation", exact=True).press("Tab")
    other_page.wait_for_load_state("networkidle")
    state.get_by_role("button", name="Replace theirs with mine").click()
    expect(state).to_contain_text("Saved")
    assert saved_session(workshop).situation == "Oli: three gauges are broken"
    assert page.console.errors == [] and other_page.console.errors == []


def test_saving_a_row_someone_else_just_deleted_says_so_in_the_error_banner(page, other_page):
    user, colleague = make_user("edna"), make_user("carl")
    project = make_project(members={user: Membership.Role.BUYER, colleague: Membership.Role.OFFICER}, slug="rows")
    make_stakeholder(project, name="Short-lived")
    log_in(page, "edna")
    log_in(other_page, "carl")
    page.goto("/projects/rows/stakeholders/")
    other_page.goto("/projects/rows/stakeholders/")
    page.get_by_role("link", name="Edit Short-lived").click()
    page.locator("tr.editing").get_by_label("Name*").fill("Renamed")

    other_page.once("dialog", lambda dialog: dialog.accept())
    other_page.get_by_role("link", name="Delete Short-lived").click()
    expect(other_page.get_by_role("cell", name="Short-lived", exact=True)).to_have_count(0)

    page.locator("tr.editing").get_by_role("button", name="Save").click()
    banner = page.locator("#htmx-error")
    expect(banner).to_be_visible()
    expect(banner).to_have_text(
        "That item is no longer there (someone may have removed it). Reload the page to see the latest."
    )
    assert not project.stakeholders.exists()
