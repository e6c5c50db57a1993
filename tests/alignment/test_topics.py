"""Agreement per topic: each topic is agreed by the buyer and by the procurement officer, a
change re-opens that topic only, and a session is agreed when every topic is and both signed."""

import re

import pytest

from alignment.models import Session, TopicAgreement
from alignment.services import agreed_topics
from projects.models import Membership
from tests.factories import fill_session, make_membership, make_project, make_user

from .conftest import HTMX, field_url, session_url
from .test_signoff import agree_topic, sign

pytestmark = pytest.mark.django_db

SESSION_1_TOPICS = {
    "desired_outcome",
    "business_objective",
    "strategic_drivers",
    "evidence",
    "progress_to_date",
    "concerns",
    "prior_experience",
}


def topic_url(project, number, topic):
    return f"/projects/{project.slug}/sessions/{number}/topics/{topic}/agree/"


def started(project, number=1):
    return fill_session(Session.objects.get_or_create(project=project, number=number)[0])


def test_agreeing_every_topic_one_by_one_and_signing_makes_the_session_agreed(member_client, officer_client, project):
    session = started(project)
    for topic in sorted(SESSION_1_TOPICS):
        assert "as buyer." in agree_topic(member_client, project, 1, topic).text
        agree_topic(officer_client, project, 1, topic)
    session.refresh_from_db()
    assert agreed_topics(session) == SESSION_1_TOPICS
    # Every topic is agreed, but nobody has signed: not agreed yet.
    assert session.status == Session.Status.IN_PROGRESS
    sign(member_client, project)
    assert Session.objects.get(pk=session.pk).status == Session.Status.IN_PROGRESS
    sign(officer_client, project)
    assert Session.objects.get(pk=session.pk).status == Session.Status.AGREED


def test_signing_agrees_the_remaining_topics_for_the_signers_role_only(member_client, officer_client, project):
    session = started(project)
    agree_topic(officer_client, project, 1, "concerns")
    sign(member_client, project)
    marks = set(session.topic_agreements.values_list("topic", "role"))
    assert {(t, "buyer") for t in SESSION_1_TOPICS} | {("concerns", "officer")} == marks
    assert agreed_topics(session) == {"concerns"}


def test_a_topic_that_misses_what_it_must_cover_cannot_be_agreed(member_client, project):
    Session.objects.create(project=project, number=1)
    page = member_client.get(session_url(project, 1)).text
    assert "Before it can be agreed it needs:" in page
    assert topic_url(project, 1, "concerns") not in page  # no button to agree it
    response = member_client.post(topic_url(project, 1, "concerns"), {"seen": "x"}, follow=True)
    assert "“Concerns or constraints” cannot be agreed yet: it still needs Concerns or constraints." in response.text
    assert not TopicAgreement.objects.exists()


def test_a_topic_changed_after_the_page_was_opened_is_refused(member_client, officer_client, project):
    session = started(project)
    page = member_client.get(session_url(project, 1)).text
    seen = re.search(
        rf'action="{topic_url(project, 1, "concerns")}"[^>]*>\s*<input[^>]*><input type="hidden" name="seen" value="([^"]*)"',
        page,
    ).group(1)
    officer_client.post(
        field_url(project, 1, "concerns"),
        {"concerns": "Budget is tight", "orig-concerns": session.concerns},
        headers=HTMX,
    )
    response = member_client.post(topic_url(project, 1, "concerns"), {"seen": seen}, follow=True)
    assert "“Concerns or constraints” changed after you opened the page." in response.text
    assert not TopicAgreement.objects.exists()


def test_evidence_added_by_someone_else_moves_the_evidence_topics_fingerprint(member_client, officer_client, project):
    started(project)
    page = member_client.get(session_url(project, 1)).text
    seen = re.search(
        rf'action="{topic_url(project, 1, "evidence")}"[^>]*>\s*<input[^>]*><input type="hidden" name="seen" value="([^"]*)"',
        page,
    ).group(1)
    officer_client.post(f"/projects/{project.slug}/evidence/", {"evidence-text": "Half are repeats"})
    response = member_client.post(topic_url(project, 1, "evidence"), {"seen": seen}, follow=True)
    assert "“Situation, needs, problem, opportunity and evidence” changed after you opened the page." in response.text
    assert not TopicAgreement.objects.exists()


def test_one_person_never_agrees_a_topic_for_both_roles_and_two_buyers_do_not_make_one(
    member_client, project, client_as, buyer
):
    started(project)
    agree_topic(member_client, project, 1, "concerns")
    second = make_user("second-buyer", first_name="Ben", last_name="Second")
    make_membership(project, second, Membership.Role.BUYER)
    page = client_as(second).get(session_url(project, 1)).text
    assert topic_url(project, 1, "concerns") not in page  # the buyer's half is taken
    response = client_as(second).post(topic_url(project, 1, "concerns"), {"seen": "x"}, follow=True)
    assert "The buyer has already agreed “Concerns or constraints” (Bea Buyer)." in response.text
    # The first buyer becomes the officer: still one person, one half.
    Membership.objects.filter(project=project, user=buyer).update(role=Membership.Role.OFFICER)
    response = member_client.post(topic_url(project, 1, "concerns"), {"seen": "x"}, follow=True)
    assert "You have already agreed “Concerns or constraints” as the buyer" in response.text
    assert TopicAgreement.objects.count() == 1


def test_withdrawing_a_topic_agreement_takes_an_agreed_session_back_to_in_progress(
    member_client, officer_client, project
):
    sign(member_client, project)
    sign(officer_client, project)
    response = member_client.post(topic_url(project, 1, "needs"), {"withdraw": "1"})
    assert response.status_code == 404  # "needs" is a field of a topic, not a topic
    page = member_client.post(topic_url(project, 1, "evidence"), {"withdraw": "1"}, follow=True).text
    assert "Your agreement to “Situation, needs, problem, opportunity and evidence” was withdrawn." in page
    session = Session.objects.get(project=project, number=1)
    assert session.status == Session.Status.IN_PROGRESS and session.signoffs.count() == 2
    assert agreed_topics(session) == SESSION_1_TOPICS - {"evidence"}


@pytest.mark.parametrize("role", [Membership.Role.MANAGER, Membership.Role.CONTRIBUTOR, Membership.Role.VIEWER])
def test_only_buyers_and_officers_agree_topics(project, client_as, role):
    started(project)
    user = make_user()
    make_membership(project, user, role)
    assert client_as(user).post(topic_url(project, 1, "concerns"), {"seen": "x"}).status_code == 403
    assert not TopicAgreement.objects.exists()


def test_a_non_member_gets_404_for_another_projects_real_topic(project, client_as, buyer):
    started(project)
    stranger = make_user("stranger")
    make_project(members={stranger: Membership.Role.BUYER}, slug="their-own")
    assert client_as(stranger).post(topic_url(project, 1, "concerns"), {"seen": "x"}).status_code == 404
    assert not TopicAgreement.objects.exists()


def test_a_change_to_an_unagreed_topic_leaves_the_agreed_ones_alone(member_client, officer_client, project):
    session = started(project)
    agree_topic(member_client, project, 1, "concerns")
    agree_topic(officer_client, project, 1, "concerns")
    member_client.post(field_url(project, 1, "needs"), {"needs": "More", "orig-needs": session.needs}, headers=HTMX)
    assert agreed_topics(Session.objects.get(pk=session.pk)) == {"concerns"}
    assert Session.objects.get(pk=session.pk).change_note == ""
