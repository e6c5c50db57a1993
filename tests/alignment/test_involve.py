"""Stakeholders to involve (issue 18 point 6): each session shows the SMEs and approvers, who
of them is a member, who has an invitation waiting, who has neither, and approvers without
criteria; a buyer invites from there and lands back on the session."""

import pytest
from django.core import mail
from django.urls import reverse

from projects import invitations
from projects.models import Invitation, Membership, Stakeholder
from tests.factories import make_membership, make_project, make_stakeholder, make_user

pytestmark = pytest.mark.django_db(transaction=True)
SME, APPROVER = Stakeholder.Kind.SME, Stakeholder.Kind.APPROVER


@pytest.fixture
def team():
    buyer = make_user("bea", email="bea@example.org")
    officer = make_user("olu", email="olu@example.org")
    project = make_project(members={buyer: Membership.Role.BUYER, officer: Membership.Role.OFFICER}, slug="bridges")
    make_stakeholder(project, name="Olu Officer", kind=SME, email="OLU@example.org")  # a member by email
    linked = make_stakeholder(project, name="Linked Lee", kind=SME, user=officer)  # a member by account
    make_stakeholder(project, name="Ivy Invited", kind=SME, email="ivy@example.org")
    make_stakeholder(project, name="Nia Noinvite", kind=APPROVER, email="nia@example.org")
    make_stakeholder(project, name="Cal Criteria", kind=APPROVER, approval_criteria="A costed options paper")
    make_stakeholder(project, name="Spo Sponsor", kind=Stakeholder.Kind.SPONSOR, email="spo@example.org")
    invitations.invite(project=project, by=buyer, email="ivy@example.org", role="contributor")
    return project, buyer, officer, linked


def rows(response):
    return {p.stakeholder.name: (p.state, p.no_criteria) for p in response.context["involve"]["people"]}


def session_url(project, n=1):
    return reverse("alignment:session", args=[project.slug, n])


def test_each_session_shows_who_is_invited_who_is_not_and_approvers_without_criteria(client_as, team):
    project, buyer, officer, linked = team
    for n in (1, 2, 3):
        response = client_as(officer).get(session_url(project, n))
        assert rows(response) == {
            "Olu Officer": ("member", False),
            "Linked Lee": ("member", False),
            "Ivy Invited": ("invited", False),
            "Nia Noinvite": ("not invited", True),
            "Cal Criteria": ("not invited", False),
        }
    page = response.content.decode()
    assert "5 listed · 2 not invited · 1 approver without criteria." in page
    assert "⚠ None recorded" in page and "(no email recorded)" in page
    assert "Invite<span" not in page  # an officer does not manage members


def test_an_expired_invitation_counts_as_not_invited(client_as, team):
    project, buyer, *_ = team
    Invitation.objects.filter(email="ivy@example.org").update(expires_at="2020-01-01T00:00:00Z")
    assert rows(client_as(buyer).get(session_url(project)))["Ivy Invited"] == ("not invited", False)


def test_a_buyer_invites_from_the_session_and_comes_back_to_it(client_as, team):
    project, buyer, *_ = team
    page = client_as(buyer).get(session_url(project)).content.decode()
    assert page.count("Invite<span") == 1  # Nia; Cal has no email
    response = client_as(buyer).post(
        reverse("projects:members", args=[project.slug]),
        {"username": "nia@example.org", "role": "viewer", "next": session_url(project) + "#involve"},
    )
    assert response.status_code == 302 and response.url == session_url(project) + "#involve"
    assert Invitation.objects.get(email="nia@example.org").role == "viewer"
    assert mail.outbox[-1].to == ["nia@example.org"]
    assert rows(client_as(buyer).get(session_url(project)))["Nia Noinvite"] == ("invited", True)


def test_next_never_leaves_the_project(client_as, team):
    project, buyer, *_ = team
    other = make_project(members={buyer: Membership.Role.BUYER}, slug="other")
    for bad in ("https://evil.example/", "//evil.example/x", session_url(other)):
        response = client_as(buyer).post(
            reverse("projects:members", args=[project.slug]),
            {"username": "x@example.org", "role": "viewer", "next": bad},
        )
        assert response.url == reverse("projects:members", args=[project.slug])


def test_no_smes_or_approvers_says_how_to_add_them(client_as):
    buyer = make_user("bea")
    project = make_project(members={buyer: Membership.Role.BUYER})
    make_membership(project, make_user("vic"), Membership.Role.VIEWER)
    page = client_as(buyer).get(session_url(project)).content.decode()
    assert "No subject-matter experts or approvers yet." in page
