import pytest
from playwright.sync_api import expect

from projects.models import Membership
from tests.browser.conftest import log_in
from tests.factories import make_activity, make_assignment, make_project, make_stakeholder, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


@pytest.fixture
def matrix():
    user = make_user("rita")
    project = make_project(members={user: Membership.Role.BUYER}, slug="raci-browser", name="Sensors")
    ann = make_stakeholder(project, name="Ann Officer", position=0)
    bob = make_stakeholder(project, name="Bob Board", kind="approver", position=1)
    row = make_activity(project, name="Evaluation", position=0)
    make_assignment(row, ann, "R")
    return project, row, ann, bob


def test_typing_a_letter_in_a_cell_sets_it_and_the_rule_messages_change(page, matrix):
    project, row, ann, bob = matrix
    log_in(page, "rita")
    page.goto("/projects/raci-browser/raci/")
    row_checks = page.locator(f"#rc{row.pk}")
    column_checks = page.locator(f"#pc{bob.pk}")
    expect(row_checks).to_contain_text("Error: No one is accountable for “Evaluation”")
    expect(column_checks).to_contain_text("Bob Board has no letter on any activity")

    cell = page.get_by_role("button", name="none: Evaluation, Bob Board")
    cell.focus()
    page.keyboard.press("a")
    expect(page.locator(f"#b{row.pk}-{bob.pk}")).to_have_text("A")
    expect(row_checks).to_have_text("No problems")
    expect(column_checks).to_have_text("No problems")
    expect(page.locator("#raci-status")).to_contain_text("Bob Board on “Evaluation”: now A (accountable).")
    # Focus stays on the cell, so the next key acts on it too.
    page.keyboard.press("r")
    expect(page.locator(f"#b{row.pk}-{bob.pk}")).to_have_text("AR")
    expect(row_checks).to_contain_text("Note: Bob Board is both accountable and responsible for “Evaluation”")
    page.keyboard.press("Delete")
    expect(page.locator(f"#b{row.pk}-{bob.pk}")).to_have_text("·")
    expect(row_checks).to_contain_text("No one is accountable")
    # Arrow keys move between cells.
    page.keyboard.press("ArrowLeft")
    expect(page.locator(f"#b{row.pk}-{ann.pk}")).to_be_focused()
    assert page.console.errors == []


def test_a_click_cycles_a_cell_and_a_column_is_removed_after_asking(page, matrix):
    project, row, ann, bob = matrix
    log_in(page, "rita")
    page.goto("/projects/raci-browser/raci/")
    page.locator(f"#b{row.pk}-{bob.pk}").click()
    expect(page.locator(f"#b{row.pk}-{bob.pk}")).to_have_text("R")
    page.locator(f"#b{row.pk}-{bob.pk}").click()
    expect(page.locator(f"#b{row.pk}-{bob.pk}")).to_have_text("A")
    expect(page.locator(f"#rc{row.pk}")).to_have_text("No problems")

    page.locator(f"#p{ann.pk} summary").click()
    page.get_by_role("link", name="Remove Ann Officer").click()
    expect(page.locator("#raci-confirm")).to_contain_text("They still hold 1 letter in the matrix")
    expect(page.locator("#raci-confirm")).to_contain_text("R (responsible) on “Evaluation”")
    page.locator("#raci-confirm").get_by_role("button", name="Remove").click()
    expect(page.locator(f"#p{ann.pk}")).to_have_count(0)
    expect(page.locator(f"#rc{row.pk}")).to_contain_text("No one is responsible for “Evaluation”")
    assert page.console.errors == []


def test_without_javascript_cells_rows_and_columns_still_work(browser, live_server, matrix):
    project, row, ann, bob = matrix
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, "rita")
        page.goto("/projects/raci-browser/raci/")
        page.locator(f"#b{row.pk}-{bob.pk}").click()  # a plain form post, then a redirect back
        expect(page.get_by_text("Bob Board on “Evaluation”: now R (responsible).")).to_be_visible()
        expect(page.locator(f"#b{row.pk}-{bob.pk}")).to_have_text("R")
        page.get_by_label("Activity*").fill("Contract award")
        page.get_by_role("button", name="Add activity").click()
        expect(page.get_by_text("Added the activity “Contract award”.")).to_be_visible()
        page.locator(f"#p{bob.pk} summary").click()
        page.get_by_role("button", name="Move Bob Board left").click()
        headers = page.locator("thead th.raci-person .raci-person-name")
        expect(headers).to_have_text(["Bob Board", "Ann Officer"])
    finally:
        context.close()


# The focused cell, clear of the sticky activity column and inside the viewport.
FOCUSED_CELL_IN_VIEW = """() => {
    const cell = document.activeElement.closest("td");
    const sticky = cell.parentElement.querySelector("th").getBoundingClientRect();
    const box = cell.getBoundingClientRect();
    return box.left >= sticky.right - 0.5 && box.right <= window.innerWidth + 0.5;
}"""


def test_on_a_phone_the_matrix_says_it_scrolls_and_a_focused_cell_is_never_under_the_activity_column(
    browser, live_server
):
    user = make_user("rita")
    project = make_project(members={user: Membership.Role.BUYER}, slug="raci-phone")
    people = [make_stakeholder(project, name=f"Person number {i}", position=i) for i in range(9)]
    row = make_activity(project, name="Evaluation of the tenders received", position=0)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, "rita")
        page.goto("/projects/raci-phone/raci/")
        expect(page.get_by_text("Scroll sideways to see everyone")).to_be_visible()
        page.locator(f"#b{row.pk}-{people[0].pk}").focus()
        page.wait_for_function(FOCUSED_CELL_IN_VIEW)
        for person in people[1:]:
            page.keyboard.press("Tab")
            expect(page.locator(f"#b{row.pk}-{person.pk}")).to_be_focused()
            page.wait_for_function(FOCUSED_CELL_IN_VIEW)
        # Back along the row: these cells were scrolled under the sticky column.
        for person in reversed(people[:-1]):
            page.keyboard.press("Shift+Tab")
            expect(page.locator(f"#b{row.pk}-{person.pk}")).to_be_focused()
            page.wait_for_function(FOCUSED_CELL_IN_VIEW)
        # On a wide screen everything fits: no hint.
        page.set_viewport_size({"width": 2400, "height": 900})
        expect(page.get_by_text("Scroll sideways to see everyone")).to_be_hidden()
    finally:
        context.close()
