"""Facilitation mode in real browsers (issue 18 point 1): the facilitator starts a topic's
timer and the shared screen shows it running; the keyboard moves between topics; without
JavaScript the agenda and its buttons still work."""

import pytest
from playwright.sync_api import expect

from alignment import facilitation
from alignment.models import TopicTimer
from projects.models import Membership
from tests.browser.conftest import ConsoleWatcher, log_in
from tests.factories import make_project, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


@pytest.fixture
def streets():
    bea = make_user("bea", first_name="Bea", last_name="Buyer")
    olu = make_user("olu", first_name="Olu", last_name="Officer")
    return make_project(members={bea: Membership.Role.BUYER, olu: Membership.Role.OFFICER}, slug="streets")


def test_the_facilitators_timer_shows_on_the_shared_screen_and_keys_move_topics(page, browser, live_server, streets):
    keys = [i.topic for i in facilitation.agenda(streets, 1)]
    log_in(page, "bea")
    page.goto("/projects/streets/sessions/1/")
    page.get_by_role("link", name="Run it as a workshop").click()
    expect(page.get_by_role("heading", name="Run session 1 as a workshop")).to_be_visible()
    expect(page.locator("#progress-text")).to_contain_text("0 of 7 topics agreed by both")

    screen = browser.new_context(base_url=live_server.url).new_page()
    screen.console = ConsoleWatcher(screen)
    log_in(screen, "olu")
    screen.goto(f"/projects/streets/sessions/1/present/{keys[0]}/")
    expect(screen.locator(".presenter-step")).to_contain_text("Topic 1 of 7")
    expect(screen.locator(".presenter-timer .timer-running")).to_have_text("")

    page.get_by_role("button", name=f"Start the timer of {facilitation.agenda(streets, 1)[0].title}").click()
    expect(page.locator(f"#agenda-{keys[0]} .timer-running")).to_have_text(" · running")
    expect(screen.locator(".presenter-timer .timer-running")).to_have_text(" · running", timeout=3_000)
    expect(screen.locator(".presenter-timer .timer-clock")).not_to_have_text("0:00", timeout=3_000)

    screen.keyboard.press("ArrowRight")
    screen.wait_for_url(f"**/present/{keys[1]}/")
    expect(screen.locator(".presenter-step")).to_contain_text("Topic 2 of 7")
    screen.keyboard.press("ArrowLeft")
    screen.wait_for_url(f"**/present/{keys[0]}/")
    for key in keys[1:]:
        screen.keyboard.press("PageDown")
        screen.wait_for_url(f"**/present/{key}/")
    screen.keyboard.press("PageDown")
    screen.wait_for_url("**/present/close/")
    expect(screen.get_by_role("heading", name="Close session 1")).to_be_visible()
    expect(screen.get_by_role("link", name="Go to the sign-off")).to_be_visible()
    assert screen.console.errors == [] and page.console.errors == []
    screen.context.close()


def test_without_javascript_the_agenda_and_its_timer_buttons_work(browser, live_server, streets):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "bea")
    page.goto("/projects/streets/sessions/1/facilitate/")
    rows = page.locator("table.agenda tbody tr")
    expect(rows).to_have_count(7)
    rows.first.get_by_role("button", name="Start").click()
    expect(rows.first).to_contain_text("running")
    assert TopicTimer.objects.get(started_at__isnull=False).topic == facilitation.agenda(streets, 1)[0].topic
    rows.first.get_by_role("button", name="Pause").click()
    expect(rows.first).not_to_contain_text("running")
    assert not TopicTimer.objects.filter(started_at__isnull=False).exists()
    context.close()
