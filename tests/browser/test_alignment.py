import re

import pytest
from playwright.sync_api import expect

from alignment.models import Session
from projects.models import Membership
from tests.browser.conftest import log_in
from tests.factories import make_membership, make_project, make_stakeholder, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_session_1_autosaves_as_you_type_and_the_text_is_there_after_a_reload(page):
    user = make_user("bea", first_name="Bea", last_name="Buyer")
    project = make_project(members={user: Membership.Role.BUYER}, slug="streets", name="Street lighting")
    make_stakeholder(project, name="Erin Engineer")
    log_in(page, "bea")
    page.goto("/projects/streets/sessions/1/")
    expect(
        page.get_by_role("heading", name="Session 1: Buying objectives, current situation and problem")
    ).to_be_visible()

    page.get_by_role("textbox", name="Needs", exact=True).fill("Lights that fail get fixed within a day")
    expect(page.locator("#state-needs")).to_contain_text("Saved")
    page.get_by_role("textbox", name="Desired outcome").press_sequentially("Safer streets at night", delay=20)
    expect(page.locator("#state-desired_outcome")).to_contain_text("Saved")
    page.get_by_label("Emerging").check()
    expect(page.locator("#state-maturity")).to_contain_text("Saved")
    page.get_by_label("Erin Engineer").check()
    expect(page.locator("#state-attendees")).to_contain_text("Saved")
    expect(page.locator("#signoff-panel")).to_contain_text("In progress")
    # Keep typing in the same field: the next save starts from the last one, no false conflict.
    with page.expect_response("**/fields/needs/"):  # the save sent after the typing pause
        page.get_by_role("textbox", name="Needs", exact=True).press_sequentially(", and report faults online", delay=10)
    expect(page.locator("#state-needs")).to_contain_text("Saved")
    expect(page.locator("#state-needs")).not_to_contain_text("Not saved")

    page.reload()
    expect(page.get_by_role("textbox", name="Needs", exact=True)).to_have_value(
        "Lights that fail get fixed within a day, and report faults online"
    )
    expect(page.get_by_role("textbox", name="Desired outcome")).to_have_value("Safer streets at night")
    expect(page.get_by_label("Emerging")).to_be_checked()
    expect(page.get_by_label("Erin Engineer")).to_be_checked()
    project.refresh_from_db()
    assert project.desired_outcome == "Safer streets at night"
    assert page.console.errors == []


def test_a_conflict_on_the_same_field_shows_their_text_and_keeps_mine(page):
    user = make_user("bea")
    project = make_project(members={user: Membership.Role.BUYER}, slug="streets")
    other = make_user("olu")
    make_membership(project, other, Membership.Role.OFFICER)
    log_in(page, "bea")
    page.goto("/projects/streets/sessions/1/")
    # Saved meanwhile elsewhere: the officer's first save creates the session row (the buyer's
    # look at the page created nothing).
    Session.objects.update_or_create(project=project, number=1, defaults={"needs": "Officer's words"})
    page.get_by_role("textbox", name="Needs", exact=True).fill("Buyer's words")
    state = page.locator("#state-needs")
    expect(state).to_contain_text("someone else changed “Needs”")
    expect(state).to_contain_text("Officer's words")
    expect(page.get_by_role("textbox", name="Needs", exact=True)).to_have_value("Buyer's words")
    state.get_by_role("button", name="Replace theirs with mine").click()
    expect(page.locator("#state-needs")).to_contain_text("Saved")
    assert Session.objects.get(project=project, number=1).needs == "Buyer's words"
    assert page.console.errors == []


def test_without_javascript_the_session_page_is_one_ordinary_form(browser, live_server):
    user = make_user("bea")
    project = make_project(members={user: Membership.Role.BUYER}, slug="streets")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, "bea")
        page.goto("/projects/streets/sessions/1/")
        page.get_by_role("textbox", name="Strategic drivers").fill("Net zero by 2030")
        page.get_by_label("Cautious").check()
        page.get_by_role("button", name="Save session 1").click()
        page.wait_for_url("**/sessions/1/")
        expect(page.get_by_text("Saved session 1.")).to_be_visible()
        expect(page.get_by_role("textbox", name="Strategic drivers")).to_have_value("Net zero by 2030")
        session = Session.objects.get(project=project, number=1)
        assert (session.strategic_drivers, session.risk_appetite) == ("Net zero by 2030", "cautious")
    finally:
        context.close()


def test_two_people_typing_in_different_fields_at_once_both_keep_their_text(page, browser, live_server):
    buyer = make_user("bea")
    project = make_project(members={buyer: Membership.Role.BUYER}, slug="streets")
    make_membership(project, make_user("olu"), Membership.Role.OFFICER)
    other_context = browser.new_context(base_url=live_server.url)
    other = other_context.new_page()
    other.set_default_timeout(10_000)
    try:
        log_in(page, "bea")
        log_in(other, "olu")
        page.goto("/projects/streets/sessions/1/")
        other.goto("/projects/streets/sessions/1/")
        # Interleaved typing: each page still carries the other field blank.
        for word in ("Lights", " fixed", " within", " a", " day"):
            page.get_by_role("textbox", name="Needs", exact=True).press_sequentially(word)
            other.get_by_role("textbox", name="Current situation").press_sequentially(word.upper())
        expect(page.locator("#state-needs")).to_contain_text("Saved")
        expect(other.locator("#state-situation")).to_contain_text("Saved")
        page.reload()
        expect(page.get_by_role("textbox", name="Needs", exact=True)).to_have_value("Lights fixed within a day")
        expect(page.get_by_role("textbox", name="Current situation")).to_have_value("LIGHTS FIXED WITHIN A DAY")
        assert page.console.errors == []
    finally:
        other_context.close()


def test_leaving_the_page_before_typing_is_saved_asks_first_and_the_text_is_kept(page):
    buyer = make_user("bea")
    make_project(members={buyer: Membership.Role.BUYER}, slug="streets")
    log_in(page, "bea")
    page.goto("/projects/streets/sessions/1/")
    held, dialogs = [], []
    page.route("**/fields/concerns/", lambda route: held.append(route))  # a slow network: the save hangs

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "Stay on page"

    page.on("dialog", stay)
    with page.expect_request("**/fields/concerns/"):  # the pause after typing sends the save
        page.get_by_role("textbox", name="Concerns or constraints").fill("Budget is fixed")
    with page.expect_event("dialog"):
        page.get_by_role("link", name="Session 2", exact=True).first.click(no_wait_after=True)
    assert len(held) == 1
    assert dialogs == ["beforeunload"] and page.url.endswith("/sessions/1/")  # asked, and stayed
    held[0].continue_()
    expect(page.locator("#state-concerns")).to_contain_text("Saved")
    # Once saved, leaving needs no question.
    page.get_by_role("link", name="Session 2", exact=True).first.click()
    page.wait_for_url("**/sessions/2/")
    assert dialogs == ["beforeunload"]
    assert Session.objects.get(project__slug="streets", number=1).concerns == "Budget is fixed"


def test_an_empty_session_1_lists_what_is_missing_as_links_and_is_signed_off_only_once_filled(page):
    from alignment.models import SignOff
    from tests.factories import fill_session

    user = make_user("bea", first_name="Bea", last_name="Buyer")
    project = make_project(members={user: Membership.Role.BUYER}, slug="streets")
    log_in(page, "bea")
    page.goto("/projects/streets/sessions/1/")
    missing = page.locator("#signoff-missing")
    expect(missing).to_contain_text("Before it can be signed off, session 1 needs:")
    expect(missing.get_by_role("link")).to_have_count(13)
    missing.get_by_role("link", name="Risk appetite").click()
    expect(page).to_have_url(re.compile(r"/sessions/1/#field-risk_appetite$"))
    expect(page.locator("#field-risk_appetite")).to_be_in_viewport()
    missing.get_by_role("link", name="Desired outcome").click()
    expect(page.locator("#field-desired_outcome")).to_be_in_viewport()

    page.get_by_role("button", name="Sign off as buyer").click()
    expect(page.get_by_text("Session 1 cannot be signed off yet. Still missing: Desired outcome;")).to_be_visible()
    assert not SignOff.objects.exists()

    fill_session(Session.objects.get(project=project, number=1))
    page.reload()
    expect(page.locator("#signoff-missing")).to_have_count(0)
    page.get_by_role("button", name="Sign off as buyer").click()
    expect(page.get_by_text("Signed off. The session is agreed once the other party signs off too.")).to_be_visible()
    assert SignOff.objects.filter(session__project=project, user=user).count() == 1


def test_session_2_labels_focus_their_own_fields(page):
    user = make_user("bea")
    project = make_project(members={user: Membership.Role.BUYER}, slug="streets")
    make_stakeholder(project, name="Erin Engineer")
    log_in(page, "bea")
    page.goto("/projects/streets/sessions/2/")
    for target in (
        "risk-owner",
        "risk-category",
        "risk-status",
        "milestone-kind",
        "milestone-owner",
        "milestone-notes",
        "id_notes",
    ):
        page.locator(f'label[for="{target}"]').click()
        expect(page.locator(f"#{target}")).to_be_focused()


def test_a_paste_over_the_limit_is_refused_and_stays_in_the_field(page):
    user = make_user("bea")
    project = make_project(members={user: Membership.Role.BUYER}, slug="streets")
    log_in(page, "bea")
    page.goto("/projects/streets/sessions/1/")
    box = page.get_by_role("textbox", name="Desired outcome")
    box.fill("x" * 6120)
    expect(page.locator("#state-desired_outcome")).to_contain_text(
        "Not saved: Desired outcome is 6,120 characters; the limit is 5,000. Nothing was saved."
    )
    assert len(box.input_value()) == 6120
    project.refresh_from_db()
    assert project.desired_outcome == ""


def test_overriding_the_support_level_without_a_reason_keeps_the_level_and_focuses_the_reason(page):
    user = make_user("bea")
    project = make_project(members={user: Membership.Role.BUYER}, slug="streets")
    Session.objects.create(project=project, number=1, maturity="new", risk_appetite="cautious")
    log_in(page, "bea")
    page.goto("/projects/streets/sessions/3/")
    page.locator("#support-partnered").check()
    page.get_by_role("button", name="Save the support level").click()
    reason = page.locator("#id_support_reason")
    expect(reason).to_be_focused()
    expect(reason).to_be_in_viewport()
    expect(page.locator("#support_reason-error")).to_have_text(
        "Say why you chose a different level from the recommended one."
    )
    expect(page.locator("#support-partnered")).to_be_checked()
    reason.fill("Our team has never bought anything like this")
    page.get_by_role("button", name="Save the support level").click()
    expect(page.get_by_text("Saved the support level.")).to_be_visible()
    assert Session.objects.get(project=project, number=3).support_level == "partnered"
