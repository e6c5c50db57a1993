"""No empty agreement: a session is signed off only once it covers what it must
(alignment/coverage.py), and the sign-off panel links to what is missing."""

import re

import pytest

from alignment import coverage, services
from alignment.models import Assumption, Evidence, Session, SignOff
from projects.models import Membership
from tests.factories import (
    fill_session,
    make_activity,
    make_assignment,
    make_issue,
    make_risk,
    make_stakeholder,
)

from .conftest import session_url

pytestmark = pytest.mark.django_db

SESSION_1_FIELDS = [
    "desired_outcome",
    "business_objective",
    "strategic_drivers",
    "situation",
    "needs",
    "problem_or_opportunity",
    "opportunity",
    "progress_to_date",
    "concerns",
    "prior_experience",
    "maturity",
    "risk_appetite",
]


def _session(project, number):
    return Session.objects.get_or_create(project=project, number=number)[0]


def _sign(session, user):
    return services.session_sign(session=session, by=user, role=Membership.Role.BUYER, seen_version=None)


def _refused(session, user):
    """The service refuses, and nothing about the session changes."""
    before = Session.objects.filter(pk=session.pk).values().get()
    with pytest.raises(services.SignOffRefused) as refusal:
        _sign(session, user)
    assert not SignOff.objects.filter(session=session).exists()
    assert Session.objects.filter(pk=session.pk).values().get() == before
    return str(refusal.value)


def test_an_empty_session_1_misses_every_topic_of_template_1_and_the_evidence(project):
    found = coverage.missing(_session(project, 1))
    assert [m.anchor for m in found] == [f"field-{name}" for name in SESSION_1_FIELDS[:7]] + ["evidence"] + [
        f"field-{name}" for name in SESSION_1_FIELDS[7:]
    ]
    assert found[0].label == "Desired outcome" and found[0].href == "#field-desired_outcome"


def test_a_filled_session_covers_everything(project):
    for number in (1, 2, 3):
        assert coverage.missing(fill_session(_session(project, number))) == []


def test_an_empty_session_1_cannot_be_signed_off_and_the_refusal_names_what_is_missing(project, buyer):
    message = _refused(_session(project, 1), buyer)
    assert message.startswith("Session 1 cannot be signed off yet. Still missing: Desired outcome; Buying objectives;")
    assert message.endswith("Nothing was signed.")


@pytest.mark.parametrize("name", SESSION_1_FIELDS)
def test_session_1_with_one_topic_blank_is_refused(project, buyer, name):
    session = fill_session(_session(project, 1))
    target = project if name in ("desired_outcome", "business_objective", "problem_or_opportunity") else session
    type(target).objects.filter(pk=target.pk).update(**{name: ""})
    session.refresh_from_db()
    assert [m.anchor for m in coverage.missing(session)] == [f"field-{name}"]
    _refused(session, buyer)


def test_session_1_without_evidence_is_refused(project, buyer):
    session = fill_session(_session(project, 1))
    Evidence.objects.filter(project=project).delete()
    assert "At least one piece of evidence" in _refused(session, buyer)


def test_session_1_filled_is_signed(project, buyer):
    session = fill_session(_session(project, 1))
    assert _sign(session, buyer).role == "buyer"


def test_session_2_needs_a_milestone(project, buyer):
    session = fill_session(_session(project, 2))
    project.milestones.all().delete()
    assert "At least one milestone" in _refused(session, buyer)


def test_session_2_needs_a_risk_with_a_mitigation_and_an_issue_does_not_count(project, buyer):
    session = fill_session(_session(project, 2))
    project.risks.all().delete()
    make_risk(project, mitigating_action="")
    make_issue(project, action="Fix it")  # the issue log is no risk register
    assert "At least one risk with an action to mitigate it" in _refused(session, buyer)
    make_risk(project, mitigating_action="Pilot first")
    assert _sign(session, buyer)


def test_session_2_needs_an_assumption_or_question_in_the_log(project, buyer):
    session = fill_session(_session(project, 2))
    Assumption.objects.filter(project=project).delete()
    assert "At least one assumption or question" in _refused(session, buyer)


def test_session_3_needs_a_raci_matrix(project, buyer):
    session = fill_session(_session(project, 3))
    from raci.models import Activity

    Activity.objects.filter(project=project).delete()
    assert "The RACI matrix has no activities yet" in _refused(session, buyer)


@pytest.mark.parametrize(
    "letters, words",
    [
        (("R", "I"), "no one accountable"),
        (("A", "C"), "no one responsible"),
        (("A", "AR"), "more than one person accountable"),
    ],
)
def test_session_3_needs_exactly_one_a_and_at_least_one_r_on_every_activity(project, buyer, letters, words):
    session = fill_session(_session(project, 3))
    activity = make_activity(project, name="Approve the business case")
    for letter in letters:
        make_assignment(activity, make_stakeholder(project), letter)
    message = _refused(session, buyer)
    assert words in message and "“Approve the business case”" in message


def test_session_3_needs_a_support_level(project, buyer):
    session = fill_session(_session(project, 3))
    Session.objects.filter(pk=session.pk).update(support_level="")
    assert "The innovation procurement support level" in _refused(session, buyer)


def test_the_panel_lists_what_is_missing_as_links_to_fields_on_the_page(member_client, project):
    page = member_client.get(session_url(project, 1)).text
    panel = page[page.index('id="signoff-panel"') : page.index("</section>", page.index('id="signoff-panel"'))]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', panel)
    assert ("field-desired_outcome", "Desired outcome") in links
    assert ("evidence", "At least one piece of evidence") in links
    assert len(links) == 13
    for anchor, _ in links:
        assert page.count(f'id="{anchor}"') == 1, anchor


def test_the_panel_of_a_covered_session_lists_nothing(member_client, project):
    fill_session(_session(project, 2))
    page = member_client.get(session_url(project, 2)).text
    assert "Before it can be signed off" not in page


def test_the_sign_off_post_is_refused_with_a_plain_message(member_client, project):
    session = _session(project, 3)
    page = member_client.post(
        f"/projects/{project.slug}/sessions/3/sign/", {"version": session.version}, follow=True
    ).text
    assert "Session 3 cannot be signed off yet. Still missing: A RACI matrix with exactly one person" in page
    assert not SignOff.objects.exists()
    assert Session.objects.get(pk=session.pk).status == Session.Status.NOT_STARTED


def test_the_brief_never_says_agreed_of_a_session_that_does_not_cover_its_topics(member_client, project, buyer):
    session = _session(project, 1)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.AGREED)  # as old data may have it
    page = member_client.get(f"/projects/{project.slug}/brief/").text
    assert "Session 1 agreed by" not in page
    assert "Session 1 is not yet agreed by the buyer and the procurement officer: it does not yet cover" in page
    assert "desired outcome, buying objectives, strategic drivers and 10 more." in page
