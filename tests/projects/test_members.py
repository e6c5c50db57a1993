"""Members: only a buyer manages them, nobody is raised above the one who adds them, a
project always keeps a buyer, and the add form never tells which accounts exist."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from projects.models import Membership
from tests.factories import make_project, make_user

Role = Membership.Role


def _members_url(project):
    return reverse("projects:members", args=[project.slug])


def _change_url(project, membership):
    return reverse("projects:member-change", args=[project.slug, membership.pk])


def test_a_buyer_adds_a_member_by_username_or_email(member_client, project):
    newcomer = make_user("newcomer", email="new.comer@example.gov.au")
    response = member_client.post(_members_url(project), {"username": "NEWCOMER", "role": "viewer"}, follow=True)
    assert project.memberships.get(user=newcomer).role == Role.VIEWER
    assert "they are a member of this project now" in response.text
    other = make_user("other", email="other.person@example.gov.au")
    member_client.post(_members_url(project), {"username": "Other.Person@example.gov.au", "role": "contributor"})
    assert project.memberships.get(user=other).role == Role.CONTRIBUTOR


def test_the_add_form_says_the_same_whether_or_not_the_account_exists(member_client, project):
    make_user("someone")
    known = member_client.post(_members_url(project), {"username": "someone", "role": "viewer"}, follow=True)
    unknown = member_client.post(_members_url(project), {"username": "nobody", "role": "viewer"}, follow=True)
    again = member_client.post(_members_url(project), {"username": "someone", "role": "viewer"}, follow=True)

    def message(response):
        return [str(m) for m in response.context["messages"]][0].replace("someone", "X").replace("nobody", "X")

    assert message(known) == message(unknown) == message(again)
    assert known.status_code == unknown.status_code == again.status_code == 200
    assert project.memberships.count() == 2


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER, Role.CONTRIBUTOR, Role.VIEWER])
def test_only_a_buyer_manages_members(client_as, project, role):
    member = make_user()
    project.memberships.create(user=member, role=role)
    newcomer = make_user()
    client = client_as(member)
    assert client.post(_members_url(project), {"username": newcomer.username, "role": "officer"}).status_code == 403
    buyer_membership = project.memberships.get(role=Role.BUYER)
    assert client.post(_change_url(project, buyer_membership), {"role": "viewer"}).status_code == 403
    assert client.post(_change_url(project, buyer_membership), {"remove": "1"}).status_code == 403
    own = project.memberships.get(user=member)
    assert client.post(_change_url(project, own), {"role": "buyer"}).status_code == 403
    own.refresh_from_db()
    buyer_membership.refresh_from_db()
    assert (own.role, buyer_membership.role) == (role, Role.BUYER)
    assert not project.memberships.filter(user=newcomer).exists()


def test_a_manager_cannot_add_an_officer_account_to_agree_alone(client_as, project):
    manager = make_user("pm")
    project.memberships.create(user=manager, role=Role.MANAGER)
    second_account = make_user("pm-as-officer")
    response = client_as(manager).post(_members_url(project), {"username": "pm-as-officer", "role": "officer"})
    assert response.status_code == 403
    assert not project.memberships.filter(user=second_account).exists()


@pytest.mark.django_db
def test_nobody_gives_a_role_above_their_own():
    from projects.members import MemberRefused, member_add

    officer = make_user()
    project = make_project(members={make_user(): Role.BUYER, officer: Role.OFFICER})
    make_user("target")
    with pytest.raises(MemberRefused):
        member_add(project=project, by=officer, username_or_email="target", role=Role.BUYER)
    assert project.memberships.count() == 2


def test_the_last_buyer_cannot_be_demoted_or_removed(member_client, project, buyer):
    membership = project.memberships.get(user=buyer)
    response = member_client.post(_change_url(project, membership), {"role": "viewer"}, follow=True)
    assert "at least one buyer" in response.text
    response = member_client.post(_change_url(project, membership), {"remove": "1"}, follow=True)
    assert "at least one buyer" in response.text
    membership.refresh_from_db()
    assert membership.role == Role.BUYER


def test_a_second_buyer_can_take_over(member_client, project, buyer, client_as):
    second = make_user()
    project.memberships.create(user=second, role=Role.BUYER)
    mine = project.memberships.get(user=buyer)
    member_client.post(_change_url(project, mine), {"role": "officer"})
    mine.refresh_from_db()
    assert mine.role == Role.OFFICER
    # Now the other is the last buyer: the officer cannot touch them.
    theirs = project.memberships.get(user=second)
    assert member_client.post(_change_url(project, theirs), {"remove": "1"}).status_code == 403


def test_a_role_that_is_not_listed_is_refused(member_client, project):
    make_user("newcomer")
    response = member_client.post(_members_url(project), {"username": "newcomer", "role": "owner"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert project.memberships.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(4))
def test_two_buyers_demoting_each_other_at_once_leave_one_buyer(round_):
    first, second = make_user(), make_user()
    project = make_project(members={first: Role.BUYER, second: Role.BUYER})
    rows = {m.user_id: m for m in project.memberships.all()}
    barrier = threading.Barrier(2)
    statuses = []

    def demote(actor, target):
        client = Client()
        client.force_login(actor)
        barrier.wait()
        try:
            statuses.append(client.post(_change_url(project, rows[target.pk]), {"role": "viewer"}).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=demote, args=(first, second)),
        threading.Thread(target=demote, args=(second, first)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # One demotion lands; the other is refused (or sees 403 because its author was demoted first).
    assert statuses.count(500) == 0
    assert project.memberships.filter(role=Role.BUYER).count() == 1
