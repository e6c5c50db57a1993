"""Invitations by email (issue 18 point 3): a single-use, expiring link to join; "you were
added" for an address with an account; the form never tells which is which; revocable,
listed, rate-limited. The writes run with real commits (PostgreSQL in CI)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from projects import invitations
from projects.models import Invitation, Membership
from tests.factories import make_advisor, make_membership, make_project, make_user

pytestmark = pytest.mark.django_db(transaction=True)
User = get_user_model()
LINK = re.compile(r"http://testserver(/invitations/[^/\s]+/)")


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "http://testserver"
    settings.INVITATIONS_PER_HOUR = 3


@pytest.fixture
def bridges():
    buyer = make_user("bea", first_name="Bea", last_name="Buyer")
    project = make_project(members={buyer: Membership.Role.BUYER}, name="Bridges", slug="bridges")
    return project, buyer


def members_url(project):
    return reverse("projects:members", args=[project.slug])


def send(client, project, who, role="contributor"):
    return client.post(members_url(project), {"username": who, "role": role}, follow=True)


def said(response):
    return [str(m) for m in response.context["messages"]]


def link_in(message):
    return LINK.search(message.body).group(1)


def test_a_new_address_gets_a_link_to_join_and_nothing_else_of_the_project(client_as, bridges):
    project, buyer = bridges
    project.objective = "Replace the Avon footbridge deck"
    project.save()
    response = send(client_as(buyer), project, "Sam.Smith@Example.ORG", "officer")
    assert said(response) == [
        "Invitation sent to Sam.Smith@example.org as procurement officer. If they have a Mobilise account "
        "they are a member now; if not, the email has a link to join."
    ]
    [message] = mail.outbox
    assert message.to == ["Sam.Smith@example.org"]
    assert message.subject == "Bea Buyer invited you to Bridges on Mobilise"
    assert "Avon" not in message.body and "Bridges" in message.body
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.invited_by, invitation.accepted_at) == ("officer", buyer, None)
    token = link_in(message).split("/")[2]
    assert invitation.token_sha256 == invitations.digest(token) and token not in invitation.token_sha256
    # Listed on the members page with a revoke button.
    page = client_as(buyer).get(members_url(project)).content.decode()
    assert "Sam.Smith@example.org" in page and "Waiting" in page and "Revoke" in page


def test_following_the_link_makes_the_account_and_the_membership_once(client, bridges):
    project, buyer = bridges
    invitations.invite(project=project, by=buyer, email="sam@example.org", role="contributor")
    url = link_in(mail.outbox[0])
    page = client.get(url)
    assert page.status_code == 200 and b"sam@example.org" in page.content and b"Join Bridges" in page.content
    joined = client.post(
        url,
        {
            "username": "sam",
            "first_name": "Sam",
            "password1": "long enough pass 42",
            "password2": "long enough pass 42",
        },
    )
    assert joined.status_code == 302 and joined.url == reverse("projects:detail", args=["bridges"])
    sam = User.objects.get(username="sam")
    assert sam.email == "sam@example.org" and sam.check_password("long enough pass 42")
    assert project.memberships.get(user=sam).role == "contributor"
    assert client.get(joined.url).status_code == 200  # logged in as sam
    # The link works once.
    client.logout()
    again = client.post(
        url, {"username": "sam2", "password1": "long enough pass 42", "password2": "long enough pass 42"}
    )
    assert again.status_code == 404 and b"cannot be used" in again.content
    assert not User.objects.filter(username="sam2").exists()


@pytest.mark.parametrize(
    "data, error",
    [
        ({"username": "sam", "password1": "long enough pass 42", "password2": "other pass 42 long"}, "differ"),
        ({"username": "sam", "password1": "short", "password2": "short"}, "too short"),
        ({"username": "bea", "password1": "long enough pass 42", "password2": "long enough pass 42"}, "taken"),
        ({"username": "s a m", "password1": "long enough pass 42", "password2": "long enough pass 42"}, "letters"),
    ],
)
def test_a_bad_join_form_says_why_and_changes_nothing(client, bridges, data, error):
    project, buyer = bridges
    invitations.invite(project=project, by=buyer, email="sam@example.org", role="contributor")
    response = client.post(link_in(mail.outbox[0]), data)
    assert response.status_code == 200 and error in response.content.decode()
    assert not User.objects.filter(email="sam@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_address_with_an_account_is_added_and_told_and_the_form_says_the_same(client_as, bridges):
    project, buyer = bridges
    olu = make_user("olu", email="olu@example.org")
    first = said(send(client_as(buyer), project, "olu@example.org"))
    new = said(send(client_as(buyer), project, "nobody@example.org"))
    assert first == [new[0].replace("nobody@example.org", "olu@example.org")]
    assert project.memberships.get(user=olu).role == "contributor"
    added, invited = mail.outbox
    assert added.to == ["olu@example.org"] and added.subject == "You were added to Bridges on Mobilise"
    assert "/invitations/" not in added.body
    # Already a member: the same words again, and no second email.
    assert said(send(client_as(buyer), project, "olu@example.org")) == first
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("spoil", ["expired", "revoked", "forged", "other"])
def test_expired_revoked_and_forged_links_get_a_plain_page_and_grant_nothing(client, bridges, spoil):
    project, buyer = bridges
    invitation = invitations.invite(project=project, by=buyer, email="sam@example.org", role="buyer")
    url = link_in(mail.outbox[0])
    if spoil == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif spoil == "revoked":
        assert invitations.revoke(project=project, by=buyer, invitation=invitation)
    elif spoil == "forged":
        url = url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:]
    else:
        url = "/invitations/" + "x" * 200 + "/"
    data = {"username": "sam", "password1": "long enough pass 42", "password2": "long enough pass 42"}
    for response in (client.get(url), client.post(url, data)):
        assert response.status_code == 404
        assert b"This invitation link cannot be used" in response.content
    assert not User.objects.filter(username="sam").exists()
    assert project.memberships.count() == 1


def test_inviting_again_replaces_the_open_invitation(client_as, bridges):
    project, buyer = bridges
    send(client_as(buyer), project, "sam@example.org")
    send(client_as(buyer), project, "SAM@example.org", "viewer")
    old, new = Invitation.objects.order_by("pk")
    assert old.revoked_at is not None and new.is_open() and new.role == "viewer"
    assert client_as(buyer).get(link_in(mail.outbox[0])).status_code == 404
    assert client_as(buyer).get(link_in(mail.outbox[1])).status_code == 200


def test_invitation_floods_are_refused_with_a_plain_message(client_as, bridges):
    project, buyer = bridges
    for n in range(3):
        send(client_as(buyer), project, f"p{n}@example.org")
    response = send(client_as(buyer), project, "p3@example.org")
    assert "You have sent 3 invitations in the last hour" in response.content.decode()
    assert Invitation.objects.count() == 3 and len(mail.outbox) == 3
    # An hour later the count starts again.
    Invitation.objects.update(created_at=timezone.now() - timedelta(hours=1, seconds=1))
    send(client_as(buyer), project, "p3@example.org")
    assert Invitation.objects.count() == 4


def test_only_buyers_invite_or_revoke_and_strangers_get_404(client_as, bridges):
    project, buyer = bridges
    officer = make_user("olu")
    make_membership(project, officer, Membership.Role.OFFICER)
    invitation = invitations.invite(project=project, by=buyer, email="sam@example.org", role="viewer")
    revoke = reverse("projects:invitation-revoke", args=[project.slug, invitation.pk])
    assert (
        client_as(officer).post(members_url(project), {"username": "x@example.org", "role": "viewer"}).status_code
        == 403
    )
    assert client_as(officer).post(revoke).status_code == 403
    for stranger in (make_user("eve"), make_advisor("amy")):
        assert client_as(stranger).post(revoke).status_code in (403, 404)
    ola = make_user("ola")
    other = make_project(members={ola: Membership.Role.BUYER}, slug="other")
    # Another project's buyer, with this project's real invitation id under their own project.
    elsewhere = reverse("projects:invitation-revoke", args=[other.slug, invitation.pk])
    assert client_as(ola).post(elsewhere).status_code == 404
    assert Invitation.objects.get().is_open() and Invitation.objects.count() == 1
    # The buyer's revoke works and the link dies.
    assert client_as(buyer).post(revoke).status_code == 302
    assert Invitation.objects.get().revoked_by == buyer


def test_a_buyer_cannot_invite_with_a_role_that_does_not_exist(client_as, bridges):
    project, buyer = bridges
    response = send(client_as(buyer), project, "sam@example.org", "owner")
    assert response.status_code == 200 and not Invitation.objects.exists() and not mail.outbox


def test_the_email_goes_through_a_real_smtp_server(client_as, bridges, smtp):
    project, buyer = bridges
    send(client_as(buyer), project, "sam@example.org")
    [message] = smtp.parsed()
    assert message["To"] == "sam@example.org" and message["Subject"] == "Bea Buyer invited you to Bridges on Mobilise"
    assert "/invitations/" in message.get_content()
