"""Issue 15's fixes found on the way, checked in a real browser: saving the project's details
with multi-line text re-opens nothing it did not change; the Members column counts members;
a new project is "Not assessed"; history names people, dates in words and groups a burst of
autosaves; stakeholders sorted by "Order added" are in the order they were added."""

import re

import pytest
from playwright.sync_api import expect

from alignment.models import Session
from alignment.services import agree_remaining_topics, agreed_topics
from projects.models import Membership
from tests.browser.conftest import log_in
from tests.factories import fill_session, make_membership, make_project, make_stakeholder, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_editing_the_objective_in_details_re_opens_that_topic_only(page):
    bea = make_user("bea", first_name="Bea", last_name="Buyer")
    olu = make_user("olu", first_name="Olu", last_name="Officer")
    project = make_project(members={bea: Membership.Role.BUYER, olu: Membership.Role.OFFICER}, slug="bins")
    type(project).objects.filter(pk=project.pk).update(desired_outcome="Fewer missed bins.\nFaster collection.")
    session = fill_session(Session.objects.create(project=project, number=1, status=Session.Status.AGREED))
    for user, role in ((bea, "buyer"), (olu, "officer")):
        session.signoffs.create(project=project, user=user, role=role)
        agree_remaining_topics(session, role=role, by=user)
    log_in(page, "bea")
    page.goto("/projects/bins/edit/")
    # The browser sends every textarea's lines as \r\n: the untouched outcome must compare equal.
    page.get_by_label("Business objective").fill("Cut repeat calls by half.\nKeep costs flat.")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page).to_have_url(re.compile(r"/projects/bins/$"))
    session.refresh_from_db()
    assert agreed_topics(session) == {s.key for s in session.template.sections} - {"business_objective"}
    assert "Buying objectives (on the project's details page) changed by Bea Buyer" in session.change_note
    assert "Desired outcome" not in session.change_note
    page.goto("/projects/bins/sessions/1/")
    expect(page.locator("#topic-desired_outcome")).to_contain_text("agreed")
    expect(page.locator("#topic-business_objective")).to_contain_text("Re-opened: Buying objectives")


def test_members_column_new_project_rag_history_and_stakeholder_order(page):
    bea = make_user("bea", first_name="Bea", last_name="Buyer")
    log_in(page, "bea")
    page.goto("/projects/new/")
    page.get_by_role("textbox", name=re.compile(r"^Name")).fill("Street lighting")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Street lighting")
    expect(page.locator(".rag-none").first).to_contain_text("Not assessed")
    project = bea.memberships.get().project
    for name in ("olu", "vic"):
        make_membership(project, make_user(name), Membership.Role.VIEWER)
    page.goto("/")
    row = page.locator("tr", has_text="Street lighting")
    expect(row.locator("td").last).to_have_text("3")

    # Stakeholders in the order added, not by name.
    for name in ("Zoe Last-name-first", "Adam Second", "Mia Third"):
        make_stakeholder(project, name=name)
    page.goto(f"/projects/{project.slug}/stakeholders/?sort=position")
    names = page.locator("#stakeholders-table tbody tr td:first-child").all_inner_texts()
    assert [n.strip() for n in names][:3] == ["Zoe Last-name-first", "Adam Second", "Mia Third"]

    # Three autosaves of one field make one history line, naming Bea, dated in words.
    page.goto(f"/projects/{project.slug}/sessions/1/")
    page.get_by_role("textbox", name="Strategic drivers").fill("The lighting strategy")  # starts the session
    expect(page.locator("#state-strategic_drivers")).to_contain_text("Saved")
    field = page.get_by_role("textbox", name="Needs")
    for text in ("Safer", "Safer streets", "Safer streets at night"):
        field.fill(text)
        expect(page.locator("#state-needs")).to_contain_text("Saved")
        page.locator("#state-needs").evaluate("e => e.textContent = ''")
    page.goto(f"/projects/{project.slug}/history/")
    line = page.locator(".history-item", has_text="Needs")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("Bea Buyer")
    expect(line).to_contain_text("(in 3 saves from")
    expect(line.locator("time")).to_have_text(re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$"))
