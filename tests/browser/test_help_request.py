"""A buyer's help request reaches the advisory team's queue, and the buyer sees it move
(issue 19 point 4), in a real browser against the live server."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.advisory.models import HelpRequest
from projects.models import Membership
from tests.browser.conftest import log_in
from tests.factories import make_advisor, make_project, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_a_buyers_help_request_reaches_the_queue_and_the_buyer_sees_it_accepted(page, browser, live_server):
    buyer = make_user("bea", first_name="Bea", last_name="Buyer", email="bea@example.org")
    make_project(members={buyer: Membership.Role.BUYER}, slug="streets", name="Street lighting")
    amy = make_advisor("amy")
    amy.first_name, amy.last_name = "Amy", "Adviser"
    amy.save()
    by = timezone.localdate() + timedelta(days=14)

    log_in(page, "bea")
    page.goto("/projects/streets/")
    page.get_by_role("link", name="Ask the advisory team for help").click()
    expect(page.get_by_text("No help requested yet.")).to_be_visible()
    page.get_by_label("What do you need help with?").fill("Lead session 1 with our approvers")
    page.get_by_label("Needed by").fill(by.isoformat())
    page.get_by_role("button", name="Send to the advisory team").click()
    expect(page.get_by_role("status").or_(page.locator(".alert-success"))).to_contain_text(
        "Sent to the innovation procurement advisory team."
    )
    row = page.locator("#help-requests tbody tr")
    expect(row).to_contain_text("Lead session 1 with our approvers")
    expect(row).to_contain_text("New")

    advisor = browser.new_context(base_url=live_server.url).new_page()
    log_in(advisor, "amy")
    advisor.goto("/admin/advisory/helprequest/")
    advisor.get_by_role("link", name="Street lighting").first.click()
    expect(advisor.locator("body")).to_contain_text("Lead session 1 with our approvers")
    advisor.get_by_label("Status").select_option(label="Accepted")
    advisor.get_by_label("Assigned to").select_option(label="Amy Adviser")
    advisor.get_by_label("Note to the requester").fill("Amy will call you on Monday.")
    advisor.get_by_role("button", name="Save", exact=True).click()
    expect(advisor.locator(".messagelist")).to_contain_text("was changed successfully")
    assert HelpRequest.objects.get().status == "accepted"

    page.reload()
    expect(row).to_contain_text("Accepted")
    expect(row).to_contain_text("Amy Adviser")
    expect(row).to_contain_text("Amy will call you on Monday.")
