"""An invitation travels through a real SMTP server on loopback and its link is followed in
a browser: the invited person makes an account and lands on the project (issue 18 point 3)."""

import re

import pytest
from playwright.sync_api import expect

from projects.models import Membership
from tests.browser.conftest import log_in
from tests.factories import make_project, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_a_buyer_invites_by_email_and_the_link_makes_an_account_and_a_member(
    page, browser, live_server, smtp, settings
):
    settings.SITE_URL = live_server.url
    make_user("bea", first_name="Bea", last_name="Buyer")
    project = make_project(members={make_user("bea2"): Membership.Role.BUYER}, slug="streets", name="Street lighting")
    Membership.objects.create(project=project, user=make_user("boss", first_name="Bo"), role=Membership.Role.BUYER)

    log_in(page, "boss")
    page.goto("/projects/streets/members/")
    expect(page.get_by_text("No invitations waiting.")).to_be_visible()
    page.get_by_label("Username or email").fill("sam@example.org")
    page.locator("#id_role").select_option(label="Contributor")
    page.get_by_role("button", name="Add or invite").click()
    expect(page.locator(".alert-success")).to_contain_text("Invitation sent to sam@example.org as contributor.")
    expect(page.locator("#invitations-h + * tbody tr")).to_contain_text("Waiting")

    [message] = smtp.parsed()
    assert message["To"] == "sam@example.org"
    link = re.search(r"(http://\S+/invitations/\S+/)", message.get_content()).group(1)

    guest = browser.new_context(base_url=live_server.url).new_page()
    guest.goto(link)
    expect(guest.get_by_role("heading", name="Join Street lighting")).to_be_visible()
    guest.get_by_label("Choose a username").fill("sam")
    guest.get_by_label("First name").fill("Sam")
    guest.get_by_label("Choose a password").fill("a long enough pass 42")
    guest.get_by_label("The password again").fill("a long enough pass 42")
    guest.get_by_role("button", name="Make my account and join").click()
    guest.wait_for_url("**/projects/streets/")
    expect(guest.locator(".alert-success")).to_contain_text("Welcome to Street lighting.")
    assert project.memberships.get(user__username="sam").role == "contributor"

    # Used once: the same link now gives the plain page.
    guest.goto(link)
    expect(guest.get_by_role("heading", name="This invitation link cannot be used")).to_be_visible()
    page.reload()
    expect(page.get_by_text("No invitations waiting.")).to_be_visible()
    guest.context.close()
