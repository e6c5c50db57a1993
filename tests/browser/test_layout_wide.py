"""Layout at laptop and desktop widths: nothing a user needs is pushed off screen."""

import os
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from projects.models import Membership
from tests.browser.conftest import log_in
from tests.factories import make_advisor, make_milestone, make_project, make_report, make_risk, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]

LONG_NAME = (
    "Joint procurement of integrated community equipment, telecare and assistive technology services for "
    "Buckinghamshire, Milton Keynes and Oxfordshire councils (Pathfinder phase two)"
)
SHOTS = os.environ.get("LAYOUT_SHOTS")  # a folder: save screenshots there to look at by eye


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def no_horizontal_scroll(page):
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def inside_viewport(page, locator):
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def test_a_milestones_edit_and_delete_stay_on_screen_at_1280_px(page):
    user = make_user("mona")
    project = make_project(members={user: Membership.Role.BUYER}, slug="wide-plan", name=LONG_NAME)
    make_milestone(project, name="Short one", baseline_start=date(2026, 1, 5), baseline_end=date(2026, 2, 1))
    long_one = make_milestone(
        project,
        name=LONG_NAME[:200],
        baseline_start=date(2026, 2, 1),
        baseline_end=date(2026, 3, 1),
        notes=" ".join(["Agreed with the Joint Improvement Board after the soft market test."] * 20),
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, "mona")
    page.goto(reverse("plan:plan", args=[project.slug]))
    row = page.locator(f"#milestone-{long_one.pk}")
    table = page.locator("#milestones-table .table-responsive")
    for name in ("Edit", "Delete"):
        button = row.get_by_role("link", name=f"{name} {long_one.name}")
        expect(button).to_be_visible()
        # Scroll the page down to the button as a reader would; never the table sideways.
        button.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 300)")
        assert table.evaluate("el => el.scrollLeft") == 0
        assert table.evaluate("el => el.scrollWidth > el.clientWidth")  # the table is wider than the window
        assert inside_viewport(page, button), (name, button.bounding_box())
    shot(page, "plan-1280")
    assert page.console.errors == []


@pytest.mark.parametrize("width", [1280, 1600])
def test_the_admin_project_list_fits_the_window(page, width):
    """All thirteen columns on screen: neither the page nor the list scrolls sideways (admin
    wraps the list in a box that would scroll on its own)."""
    from tests.advisory.conftest import populate

    make_advisor("amy")
    (busy,) = populate(1)
    make_milestone(
        busy,
        name="Overdue",
        baseline_start=date(2025, 12, 1),
        baseline_end=date(2026, 1, 2),
        forecast_end=date(2026, 2, 9),
    )
    make_risk(busy, event="Market thin", likelihood=4, impact=4, next_review_date=date(2026, 1, 1))
    project = make_project(
        name=LONG_NAME,
        reference="JPICE-2026-PATHFINDER-PHASE-TWO",
        buying_type="collaborative",
        project_manager="Jim Burness-Hetherington",
    )
    make_milestone(project, name=LONG_NAME[:200])
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "amy")
    page.goto("/admin/projects/project/")
    expect(page.get_by_role("link", name=LONG_NAME)).to_be_visible()
    shot(page, f"admin-{width}")
    assert no_horizontal_scroll(page), page.evaluate("document.scrollingElement.scrollWidth")
    results = page.locator("#changelist .results")
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth"), results.evaluate("el => el.scrollWidth")
    assert inside_viewport(page, page.locator("#result_list thead th.column-review_status"))


# Words of headers, numbers and fixed labels in the preview wider than the room their cell has:
# such a word is split across lines ("2 5" for a score of 25, "Sch edul ed").
SPLIT_WORDS = """() => {
  const ctx = document.createElement("canvas").getContext("2d");
  const split = [];
  const cells = document.querySelectorAll("#report-preview th, #report-preview td.num, #report-preview td.label");
  for (const cell of cells) {
    if (cell.closest(".visually-hidden")) continue;
    const style = getComputedStyle(cell);
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      ctx.font = getComputedStyle(walker.currentNode.parentElement).font;
      for (const word of walker.currentNode.textContent.split(/[\\s-]+/).filter(Boolean)) {
        if (ctx.measureText(word).width > room + 0.5) split.push(word);
      }
    }
  }
  return split;
}"""


@pytest.mark.parametrize("width", [1280, 1600])
def test_the_report_preview_fits_the_window(page, width):
    user = make_user("rita")
    project = make_project(
        members={user: Membership.Role.BUYER}, slug="wide-report", name=LONG_NAME, sponsor="Joint Improvement Board"
    )
    make_milestone(project, name=LONG_NAME[:200], baseline_start=date(2026, 2, 1), baseline_end=date(2026, 3, 20))
    for n in range(3):
        make_risk(project, event=f"{LONG_NAME} ({n})", likelihood=4, impact=4, mitigating_action=LONG_NAME)
    report = make_report(project)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "rita")
    page.goto(reverse("reports:report", args=[project.slug, report.number]))
    expect(page.locator("#report-preview")).to_be_visible()
    shot(page, f"report-{width}")
    assert no_horizontal_scroll(page), page.evaluate("document.scrollingElement.scrollWidth")
    assert page.evaluate(SPLIT_WORDS) == []
    assert page.console.errors == []
