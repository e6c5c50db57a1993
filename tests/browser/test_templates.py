"""An advisor tailors a Guided project's session, proposes the tailoring as the next version of
the master template, checks the difference side by side and publishes it; the buyer sees the
tailoring on the session page, and another project sees what version 2 would change (issue 19
points 2 and 3), in a real browser against the live server."""

import pytest
from playwright.sync_api import expect

from alignment.models import Session
from alignment.templates_data import TemplateTailoring, TemplateVersion
from projects.models import Membership
from tests.browser.conftest import log_in
from tests.factories import make_advisor, make_project, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_an_advisor_tailors_a_session_then_proposes_and_publishes_it_as_version_2(page, browser, live_server):
    buyer = make_user("bea", first_name="Bea", last_name="Buyer")
    project = make_project(members={buyer: Membership.Role.BUYER}, slug="streets", name="Street lighting")
    other = make_project(members={buyer: Membership.Role.BUYER}, slug="parks", name="Park sensors")
    Session.objects.create(project=project, number=3, support_level="guided")
    Session.objects.create(project=other, number=2)
    amy = make_advisor("amy")
    amy.first_name, amy.last_name = "Amy", "Adviser"
    amy.save()

    log_in(page, "amy")
    page.goto("/projects/streets/sessions/2/")
    page.get_by_role("link", name="Tailor this session").click()
    risks = page.locator("#tailor-risks")
    risks.get_by_label("Prompt").fill("Which risks would stop the streetlights going live?")
    risks.get_by_label("Duration in minutes").fill("20")
    risks.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("Tailored: prompt, duration.")
    page.locator("#tailor-notes").get_by_label("Hide this topic").check()
    page.locator("#tailor-notes").get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("Tailored: hidden.")
    page.get_by_label("Title of the new topic").fill("Night-time access")
    page.get_by_label("Its prompt").fill("Who can open the cabinets after dark?")
    page.get_by_role("button", name="Add the topic").click()
    expect(page.locator(".alert-success")).to_contain_text("Added the topic “Night-time access”")
    assert TemplateTailoring.objects.filter(project=project, session_number=2).count() == 3

    # The proposal, side by side, then published with a change note.
    expect(page.locator("#tailoring-diff")).to_contain_text("Which risks would stop the streetlights going live?")
    page.get_by_role("button", name="Propose these changes as the next version of the template").click()
    diff = page.locator("#version-diff")
    expect(diff).to_contain_text("Which risks would stop the streetlights going live?")
    expect(diff).to_contain_text("What could stop the project achieving its outcome?")  # version 1's, beside it
    expect(diff.locator("tr.diff-added").first).to_contain_text("Night-time access")
    expect(diff.locator("tr.diff-removed").first).to_contain_text("Other agreements")
    page.get_by_label("Change note").fill("Sharper risk prompt; a topic on access after dark")
    page.get_by_role("button", name="Publish as version 2").click()
    expect(page.locator(".alert-success")).to_contain_text("Published version 2 of the session 2 template.")
    assert TemplateVersion.objects.latest_for(2).number == 2

    # The buyer sees the tailoring on the tailored project, and what version 2 would change elsewhere.
    buyer_page = browser.new_context(base_url=live_server.url).new_page()
    log_in(buyer_page, "bea")
    buyer_page.goto("/projects/streets/sessions/2/")
    expect(buyer_page.locator(".tailored-note").first).to_contain_text("by Amy Adviser")
    expect(buyer_page.get_by_role("heading", name="Night-time access")).to_be_visible()
    buyer_page.goto("/projects/parks/sessions/2/")
    note = buyer_page.locator("#template-version")
    expect(note).to_contain_text("version 1")
    expect(note).to_contain_text("Version 2 is published")
    expect(note).to_contain_text("“Night-time access” (added)")
    buyer_page.get_by_role("link", name="About this template and version 2").click()
    expect(buyer_page.locator("#newer-diff")).to_contain_text("Which risks would stop the streetlights going live?")
    buyer_page.get_by_role("button", name="Move session 2 to version 2").click()
    expect(buyer_page.locator(".alert-success")).to_contain_text("Session 2 now uses version 2 of its template.")
    expect(buyer_page.get_by_role("heading", name="Night-time access")).to_be_visible()
    assert Session.objects.get(project=other, number=2).template_version.number == 2
    assert page.console.errors == []
