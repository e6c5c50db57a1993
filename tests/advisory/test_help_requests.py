"""Help requests to the advisory team (issue 19 point 4): asked from the project or by choosing
Guided or Partnered support, moved in the admin queue, emailed as they move."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from alignment.models import Session
from projects.advisory import help
from projects.advisory.models import HelpRequest
from projects.models import Membership
from tests.factories import make_membership, make_project, make_user
from tests.mail import free_port, smtp_mailer

HELP = "advisory:help"


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs what waits for the commit (the emails) at the end of the block, as
    a real commit would; these tests otherwise run inside one transaction that never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def help_url(project):
    return reverse(HELP, args=[project.slug])


def ask(client, project, **data):
    return client.post(help_url(project), {"what_for": "Lead session 1 with our approvers", **data}, follow=True)


# Asking -------------------------------------------------------------------------------------


def test_a_buyer_asks_and_the_team_and_the_buyer_are_emailed_with_the_name_but_not_the_text(
    member_client, project, buyer, settings, commit
):
    buyer.email = "bea@example.org"
    buyer.save()
    settings.ADVISORY_TEAM_EMAIL = "team@advisory.example"
    with_date = (date.today() + timedelta(days=10)).isoformat()
    with commit():
        response = ask(member_client, project, needed_by=with_date)
    assert "Sent to the innovation procurement advisory team." in response.text
    request = project.help_requests.get()
    assert (request.status, request.requested_by, request.source) == ("new", buyer, "asked")
    assert request.history.get().history_user == buyer
    [email] = mail.outbox
    assert email.to == ["team@advisory.example", "bea@example.org"]
    assert email.subject == "Help requested for Water sensors"
    assert "Bea Buyer asked the innovation procurement advisory team for help with Water sensors." in email.body
    assert reverse("admin:advisory_helprequest_change", args=[request.pk]) in email.body
    assert "Lead session 1" not in email.body  # project content stays in Mobilise
    request.refresh_from_db()
    assert request.notified_at is not None and request.notify_error == ""
    page = member_client.get(help_url(project)).text
    assert "Lead session 1 with our approvers" in page and "Not yet assigned" in page


def test_an_officer_may_ask_too(officer_client, project):
    ask(officer_client, project)
    assert project.help_requests.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"what_for": "  "}, "Say what you need help with."),
        ({"needed_by": "2020-01-01"}, "The date it is needed by has passed: choose today or later."),
        ({"needed_by": "9999-12-31"}, "Use a date between 1900 and 2199."),
        ({"what_for": "x" * 2001}, "Ensure this value has at most 2000 characters (it has 2001)."),
    ],
)
def test_bad_requests_get_a_plain_message_and_nothing_is_sent(member_client, project, data, message):
    response = ask(member_client, project, **data)
    assert response.status_code == 200 and message in response.text
    assert not HelpRequest.objects.exists() and mail.outbox == []


@pytest.mark.parametrize("role", [Membership.Role.VIEWER, Membership.Role.CONTRIBUTOR, Membership.Role.MANAGER])
def test_other_roles_see_the_requests_but_cannot_ask(client_as, project, role):
    user = make_user(f"someone-{role}")
    make_membership(project, user, role)
    client = client_as(user)
    page = client.get(help_url(project)).text
    assert "The buyer or the procurement officer can ask" in page and 'name="what_for"' not in page
    assert client.post(help_url(project), {"what_for": "Please"}).status_code == 403
    assert not HelpRequest.objects.exists()


def test_strangers_get_404_and_advisors_only_look(client_as, project, advisor):
    stranger = make_user("stranger")
    assert client_as(stranger).get(help_url(project)).status_code == 404
    assert client_as(stranger).post(help_url(project), {"what_for": "x"}).status_code == 404
    assert client_as(advisor).get(help_url(project)).status_code == 200
    assert client_as(advisor).post(help_url(project), {"what_for": "x"}).status_code == 403
    assert not HelpRequest.objects.exists()


def test_the_dashboard_shows_open_requests_and_links_to_the_help_page(member_client, project, buyer):
    page = member_client.get(reverse("projects:detail", args=[project.slug])).text
    assert "Ask the advisory team for help" in page
    help.ask(project=project, by=buyer, what_for="Risk appetite")
    page = member_client.get(reverse("projects:detail", args=[project.slug])).text
    assert "Your help requests" in page and "New" in page


# Choosing Guided or Partnered support asks ---------------------------------------------------


def choose(client, project, level, original=""):
    return client.post(
        f"/projects/{project.slug}/sessions/3/support/",
        {"support_level": level, "support_reason": "We want the team with us.", "orig-support_level": original},
    )


def test_choosing_guided_support_asks_once_while_the_request_is_open(member_client, project, buyer, commit):
    Session.objects.create(project=project, number=1, maturity="new", risk_appetite="cautious")
    choose(member_client, project, "self_guided")
    assert not HelpRequest.objects.exists()
    with commit():
        choose(member_client, project, "guided", "self_guided")
    request = HelpRequest.objects.get()
    assert (request.source, request.requested_by) == ("support", buyer)
    assert request.what_for.startswith("Guided support was chosen in session 3")
    assert "by choosing that support level in session 3" in mail.outbox[0].body
    choose(member_client, project, "partnered", "guided")
    assert HelpRequest.objects.count() == 1  # still the open one
    help.move(help_request=request, by=buyer, status="closed", assigned_to=None, note="")
    choose(member_client, project, "guided", "partnered")
    assert HelpRequest.objects.filter(source="support").count() == 2


# The admin queue -----------------------------------------------------------------------------


def change_url(request):
    return reverse("admin:advisory_helprequest_change", args=[request.pk])


@pytest.mark.django_db(transaction=True)
def test_an_advisor_takes_a_request_on_and_the_requester_hears(client_as, project, buyer, advisor, commit):
    buyer.email = "bea@example.org"
    buyer.save()
    request = help.ask(project=project, by=buyer, what_for="Lead session 1")
    mail.outbox.clear()
    client = client_as(advisor)
    queue = client.get(reverse("admin:advisory_helprequest_changelist")).text
    assert "Water sensors" in queue and "New" in queue
    page = client.get(change_url(request)).text
    assert "Stage: Mobilise." in page and 'name="what_for"' not in page  # the request is theirs, read-only
    with commit():
        response = client.post(
            change_url(request),
            {"status": "accepted", "assigned_to": advisor.pk, "note": "Amy will call you.", "what_for": "Forged"},
        )
    assert response.status_code == 302, response.content
    request.refresh_from_db()
    assert (request.status, request.assigned_to, request.note, request.what_for) == (
        "accepted",
        advisor,
        "Amy will call you.",
        "Lead session 1",
    )
    assert request.history.first().history_user == advisor
    [email] = mail.outbox
    assert email.subject == "Help request for Water sensors: Accepted"
    assert "bea@example.org" in email.to and "Advisor: " in email.body
    assert "Amy will call you." not in email.body
    assert "Amy will call you." in client_as(buyer).get(help_url(project)).text


def test_advisors_cannot_add_or_delete_requests_or_assign_outsiders(client_as, project, buyer, advisor):
    request = help.ask(project=project, by=buyer, what_for="Lead session 1")
    client = client_as(advisor)
    assert client.get(reverse("admin:advisory_helprequest_add")).status_code == 403
    assert (
        client.post(reverse("admin:advisory_helprequest_delete", args=[request.pk]), {"post": "yes"}).status_code == 403
    )
    response = client.post(change_url(request), {"status": "accepted", "assigned_to": buyer.pk, "note": ""})
    assert response.status_code == 200 and "Select a valid choice" in response.text
    request.refresh_from_db()
    assert request.status == "new" and request.assigned_to is None and HelpRequest.objects.count() == 1


def test_saving_without_a_change_sends_nothing(project, buyer):
    request = help.ask(project=project, by=buyer, what_for="Lead session 1")
    mail.outbox.clear()
    assert not help.move(help_request=request, by=buyer, status="new", assigned_to=None, note="")
    assert mail.outbox == [] and request.history.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_email_goes_through_a_real_smtp_server_after_the_commit(client_as, smtp, settings):
    buyer = make_user("smtp-buyer", email="buyer@example.org", first_name="Sam")
    project = make_project(members={buyer: Membership.Role.BUYER}, name="Bridges", slug="bridges")
    settings.ADVISORY_TEAM_EMAIL = "team@advisory.example"
    ask(client_as(buyer), project)
    [envelope] = smtp.messages
    assert envelope.rcpt_tos == ["team@advisory.example", "buyer@example.org"]
    assert b"Subject: Help requested for Bridges" in envelope.content
    assert HelpRequest.objects.get().notified_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_mail_outage_keeps_the_request_and_says_so(client_as, settings):
    buyer = make_user("outage-buyer", email="buyer@example.org")
    project = make_project(members={buyer: Membership.Role.BUYER}, name="Bridges", slug="bridges")
    settings.MAILERS = smtp_mailer(free_port())
    response = ask(client_as(buyer), project)
    request = HelpRequest.objects.get()
    assert request.notified_at is None and "ConnectionRefusedError" in request.notify_error
    assert "The email about it could not be sent; the advisory team still sees it in their queue." in response.text
