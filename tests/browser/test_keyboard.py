"""Keyboard alone: a session page and the RACI editor, with a visible focus on every stop."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from alignment.models import Session
from projects.models import Membership
from raci.models import Assignment
from tests.browser.conftest import log_in
from tests.factories import make_project, make_raci, make_stakeholder, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]

# What has keyboard focus, and whether the focus is drawn (outline or Bootstrap's focus ring).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
  const ring = s.boxShadow && s.boxShadow !== "none";
  const box = el.getBoundingClientRect();
  const name = (el.getAttribute("aria-label") || el.labels?.[0]?.textContent || el.textContent || "").trim().slice(0, 50);
  return {id: el.id, tag: el.tagName.toLowerCase(), name: name, drawn: outline || ring, sized: box.width > 0 && box.height > 0};
}"""


class Keyboard:
    """Tabs through a page, remembering every stop and any stop without a visible focus."""

    def __init__(self, page):
        self.page = page
        self.stops = []
        self.unseen = []

    def tab(self, key="Tab"):
        self.page.keyboard.press(key)
        here = self.page.evaluate(FOCUSED)
        if here and self.stops and here["id"] and self.stops[-1]["id"] == here["id"]:
            return here  # the next part of the same field (day, month, year of a date)
        if here and not here["drawn"]:
            # A focus ring that fades in (Bootstrap's box-shadow transition) is waited for,
            # up to a second; one that never shows is recorded as unseen.
            try:
                self.page.wait_for_function(f"() => ({FOCUSED})()?.drawn", timeout=1000)
            except PlaywrightTimeoutError:
                pass
            here = self.page.evaluate(FOCUSED)
        if here:
            self.stops.append(here)
            if not (here["drawn"] and here["sized"]):
                self.unseen.append({**here, "stop": len(self.stops)})
        return here

    def tab_until(self, wanted, what, limit=400):
        for _ in range(limit):
            here = self.tab()
            if here and wanted(here):
                return here
        raise AssertionError(
            f"{what} is not reachable with Tab (last stops: {[s['id'] or s['name'] for s in self.stops[-10:]]})"
        )

    def tab_to(self, element_id):
        return self.tab_until(lambda here: here["id"] == element_id, f"#{element_id}")


def test_a_session_page_can_be_filled_in_by_keyboard_alone(page):
    buyer = make_user("kim")
    project = make_project(members={buyer: Membership.Role.BUYER}, slug="keys")
    ada = make_stakeholder(project, name="Ada Approver")
    log_in(page, "kim")
    page.goto("/projects/keys/sessions/1/")
    keys = Keyboard(page)

    # The first stop is the skip link, and it takes you to the content.
    assert keys.tab()["name"] == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    keys.tab_to(f"attendee-{ada.pk}")
    page.keyboard.press("Space")
    expect(page.locator("#state-attendees")).to_contain_text("Saved")

    keys.tab_to("id_strategic_drivers")
    page.keyboard.type("Net zero by 2030")
    expect(page.locator("#state-strategic_drivers")).to_contain_text("Saved")

    # A radio group: Tab reaches it, the arrow keys choose within it.
    keys.tab_until(lambda here: here["id"].startswith("id_maturity_"), "the maturity choice")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#state-maturity")).to_contain_text("Saved")

    # The whole-page save button is reachable too, and Tab goes on past it (no trap).
    keys.tab_until(lambda here: here["name"] == "Save session 1", "the save button")
    keys.tab_until(lambda here: here["name"] == "Skip to main content", "the top of the page again (a keyboard trap?)")

    session = Session.objects.get(project=project, number=1)
    assert session.strategic_drivers == "Net zero by 2030"
    assert session.maturity
    assert list(session.attendees.all()) == [ada]
    assert keys.unseen == [], f"focus is invisible on these stops: {keys.unseen}"
    assert page.console.errors == []


def test_the_raci_editor_can_be_used_by_keyboard_alone(page):
    buyer = make_user("raj")
    project = make_project(members={buyer: Membership.Role.BUYER}, slug="raci-keys")
    (first, second), people = make_raci(project, activities=2, people=3)
    log_in(page, "raj")
    page.goto("/projects/raci-keys/raci/")
    keys = Keyboard(page)

    # Column 3 starts as C in the first row and I in the second (see make_raci).
    keys.tab_to(f"b{first.pk}-{people[2].pk}")
    page.keyboard.press("i")
    cell = page.locator(f"#b{first.pk}-{people[2].pk}")
    expect(cell).to_have_text("CI")
    expect(cell).to_be_focused()  # focus stays on the cell after it is redrawn

    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#b{second.pk}-{people[2].pk}")).to_be_focused()
    page.keyboard.press("Delete")
    expect(page.locator(f"#b{second.pk}-{people[2].pk}")).to_have_text("·")

    page.keyboard.press("ArrowLeft")
    page.keyboard.press("a")  # a second A in the row: the row check says so
    expect(page.locator(f"#rc{second.pk}")).to_contain_text("2 people accountable")
    assert Assignment.objects.get(activity=second, stakeholder=people[1]).letters == "AR"

    assert Assignment.objects.get(activity=first, stakeholder=people[2]).letters == "CI"
    assert not Assignment.objects.filter(activity=second, stakeholder=people[2]).exclude(letters="").exists()

    # The row menus open from the keyboard: Enter on "Change", then Tab to "Move down".
    keys.tab_until(lambda here: here["tag"] == "summary" and first.name in here["name"], "the first row's menu")
    page.keyboard.press("Enter")
    keys.tab_to(f"md{first.pk}")
    page.keyboard.press("Enter")
    expect(page.locator("tbody th.raci-activity").first).to_contain_text(second.name)
    assert keys.unseen == [], f"focus is invisible on these stops: {keys.unseen}"
    assert page.console.errors == []
