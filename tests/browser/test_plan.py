from datetime import date

import pytest
from playwright.sync_api import expect

from projects.models import Membership
from tests.browser.conftest import log_in
from tests.factories import make_milestone, make_project, make_stakeholder, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_adding_a_milestone_draws_its_bar_in_the_gantt_without_a_page_load(page):
    user = make_user("gina")
    project = make_project(members={user: Membership.Role.BUYER}, slug="gantt")
    make_stakeholder(project, name="Jim Burness")
    board = make_milestone(
        project, name="Board up and running", baseline_start=date(2026, 1, 5), baseline_end=date(2026, 2, 27)
    )
    log_in(page, "gina")
    page.goto("/projects/gantt/plan/")
    gantt = page.locator("#gantt-panel svg.gantt")
    expect(gantt.locator("text", has_text="Board up and running")).to_have_count(1)
    bars_before = gantt.locator("rect[height='11']").count()

    form = page.locator("#milestones-table form", has=page.get_by_role("button", name="Add milestone"))
    form.get_by_label("Name*").fill("Roadmap and business case")
    form.get_by_label("Baseline start").fill("2026-03-02")
    form.get_by_label("Baseline end").fill("2026-04-30")
    form.get_by_label("Forecast end").fill("2026-05-15")
    form.get_by_label("Owner").select_option(label="Jim Burness")
    form.get_by_label("Depends on").select_option(label=board.name)
    page.evaluate("window.__same_page = true")  # gone if the browser loads a new page
    form.get_by_role("button", name="Add milestone").click()

    # The table row appears in place, then the Gantt panel redraws with the new bar.
    expect(page.locator("#milestones-table").get_by_role("rowheader", name="Roadmap and business case")).to_be_visible()
    expect(gantt.locator("text", has_text="2. Roadmap and business case")).to_have_count(1)
    expect(gantt.locator("rect[height='11']")).to_have_count(bars_before + 2)  # its baseline and its forecast bar
    expect(gantt.locator("text", has_text="Amber: 15 days late")).to_have_count(1)
    expect(gantt.locator("polyline")).to_have_count(2)  # the dependency arrow, and the legend's sample
    assert page.evaluate("window.__same_page") is True
    assert page.console.errors == []


def test_moving_a_milestone_down_with_the_keyboard(page):
    user = make_user("kim")
    project = make_project(members={user: Membership.Role.BUYER}, slug="order")
    make_milestone(project, name="First", position=0)
    make_milestone(project, name="Second", position=1)
    log_in(page, "kim")
    page.goto("/projects/order/plan/")
    page.get_by_role("button", name="Move First down").focus()
    page.keyboard.press("Enter")
    rows = page.locator("#milestones-table tbody th[scope=row]")
    expect(rows).to_have_text(["Second", "First"])
    expect(page.locator("#gantt-panel svg.gantt text", has_text="1. Second")).to_have_count(1)
    assert page.console.errors == []


LONG_NAME = (
    "Procurement roadmap and business case for investment produced, agreed by the Procurement Project Board "
    "and the Joint Improvement Board, with the Oxon authorities consulted on the shared category plans"
)


def test_a_long_milestone_name_wraps_in_the_gantt_and_the_status_column_shows_whole_at_1280(page, tmp_path):
    user = make_user("wendy")
    project = make_project(members={user: Membership.Role.BUYER}, slug="wrap")
    survey = make_milestone(
        project,
        name="Survey",
        baseline_start=date(2026, 1, 5),
        baseline_end=date(2026, 2, 27),
        forecast_end=date(2026, 3, 20),
    )
    long = make_milestone(
        project,
        name=LONG_NAME,
        baseline_start=date(2026, 3, 2),
        baseline_end=date(2026, 4, 30),
        forecast_end=date(2026, 6, 30),
    )
    long.depends_on.add(survey)
    assert len(LONG_NAME) == 200
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "wendy")
    page.goto("/projects/wrap/plan/")
    gantt = page.locator("#gantt-panel svg.gantt")
    expect(gantt).to_be_visible()
    # Every word of the name is drawn (over several lines), inside the label column.
    lines = gantt.locator("g > text")
    drawn = " ".join(lines.all_text_contents())
    assert all(word in drawn for word in LONG_NAME.split()), drawn
    label_w = 300
    boxes = page.evaluate(
        "() => [...document.querySelectorAll('#gantt-panel svg.gantt text')].map(t => {"
        " const b = t.getBBox(); return [t.textContent, t.parentNode.tagName === 'g', b.x + b.width]; })"
    )
    svg_w = float(gantt.get_attribute("width"))
    for text, in_label, right in boxes:
        if in_label:  # the milestone column's lines end before the chart starts
            assert right <= label_w, (text, right)
        assert right <= svg_w, (text, right, svg_w)  # nothing runs past the status column's edge
    assert "⚠ waits for" in drawn
    page.locator("#gantt-panel").screenshot(path=str(tmp_path / "gantt-1280.png"))
    page.locator("#gantt-panel").screenshot(path="/tmp/bl-gantt-1280.png")
    assert page.console.errors == []
