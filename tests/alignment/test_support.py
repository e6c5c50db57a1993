"""Session 3's support level: recommended from session 1, accepted or overridden with a reason."""

import re

import pytest
from django.utils import timezone

from alignment import guidance
from alignment.models import Session
from tests.factories import fill_session

from .conftest import session_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "maturity, appetite, expected",
    [
        ("established", "averse", "self_guided"),
        ("established", "cautious", "self_guided"),
        ("developing", "cautious", "advised"),
        ("new", "averse", "advised"),
        ("new", "cautious", "guided"),
        ("emerging", "eager", "partnered"),
        ("new", "eager", "partnered"),
        ("", "eager", None),
        ("new", "", None),
    ],
)
def test_less_maturity_and_more_appetite_for_risk_call_for_more_support(maturity, appetite, expected):
    assert guidance.recommended_support(maturity, appetite) == expected


def every_level_is_explained():
    for levels in (guidance.MATURITY, guidance.RISK_APPETITE, guidance.SUPPORT_LEVELS):
        assert all(len(level.explanation) > 40 for level in levels)


def test_every_defined_level_is_explained_on_the_pages(member_client, project):
    every_level_is_explained()
    page1 = member_client.get(session_url(project, 1)).text
    page3 = member_client.get(session_url(project, 3)).text
    for level in guidance.MATURITY + guidance.RISK_APPETITE:
        assert level.explanation.replace("'", "&#x27;") in page1
    for level in guidance.SUPPORT_LEVELS:
        assert level.explanation.replace("'", "&#x27;") in page3


def decide(client, project, **data):
    return client.post(f"/projects/{project.slug}/sessions/3/support/", data, follow=True)


@pytest.fixture
def new_and_cautious(project):
    Session.objects.create(project=project, number=1, maturity="new", risk_appetite="cautious")


def test_session_3_shows_the_recommendation_from_session_1(member_client, project, new_and_cautious):
    page = member_client.get(session_url(project, 3)).text
    assert "Recommended support level: Guided." in page
    assert "Accept the recommendation (Guided)" in page


def test_without_maturity_and_appetite_there_is_no_recommendation_yet(member_client, project):
    page = member_client.get(session_url(project, 3)).text
    assert "to get a recommendation" in page
    assert "Accept the recommendation" not in page


def test_accepting_the_recommendation_records_who_and_that_it_was_recommended(
    member_client, project, buyer, new_and_cautious
):
    page = decide(member_client, project, accept="1", **{"orig-support_level": ""}).text
    assert "Saved the support level." in page
    session = Session.objects.get(project=project, number=3)
    assert (session.support_level, session.support_recommended) == ("guided", "guided")
    assert session.support_decided_by == buyer and session.support_decided_at
    assert 'Chosen: <span class="fw-semibold">Guided</span>' in page and "as recommended" in page
    # One sentence, no stray space before its comma: "… on 3 December 2026, as recommended."
    chosen = re.sub(r"<[^>]+>", "", re.search(r'<p class="mb-2 support-chosen">(.*?)</p>', page, re.S).group(1))
    decided = timezone.localtime(session.support_decided_at)
    assert chosen == f"Chosen: Guided by Bea Buyer on {decided:%-d %B %Y}, as recommended."


def test_overriding_needs_a_reason_and_records_it(member_client, project, new_and_cautious):
    page = decide(
        member_client, project, support_level="self_guided", support_reason="  ", **{"orig-support_level": ""}
    ).text
    assert "Say why you chose a different level from the recommended one." in page
    assert Session.objects.get(project=project, number=3).support_level == ""
    page = decide(
        member_client,
        project,
        support_level="self_guided",
        support_reason="Our officer ran two pilots",
        **{"orig-support_level": ""},
    ).text
    session = Session.objects.get(project=project, number=3)
    assert (session.support_level, session.support_recommended) == ("self_guided", "guided")
    assert session.support_reason == "Our officer ran two pilots"
    assert 'overriding the recommendation (Guided). Reason: <span class="wrap">Our officer ran two pilots' in page


@pytest.mark.parametrize(
    "reason, sentence_end",
    [
        ("We ran a market sounding.", "Reason: We ran a market sounding."),
        ("We ran a market sounding", "Reason: We ran a market sounding."),
        ("Did we run a market sounding?", "Reason: Did we run a market sounding?"),
    ],
)
def test_a_reason_ends_its_sentence_with_one_full_stop(member_client, project, new_and_cautious, reason, sentence_end):
    page = decide(
        member_client, project, support_level="self_guided", support_reason=reason, **{"orig-support_level": ""}
    ).text
    chosen = re.sub(r"<[^>]+>", "", re.search(r'<p class="mb-2 support-chosen">(.*?)</p>', page, re.S).group(1))
    assert chosen.endswith(sentence_end)
    assert ".." not in chosen and "?." not in chosen


def test_an_unknown_level_is_refused(member_client, project):
    page = decide(member_client, project, support_level="platinum", **{"orig-support_level": ""}).text
    assert "Choose one of the support levels." in page
    assert Session.objects.get(project=project, number=3).support_level == ""


def test_a_choice_made_meanwhile_by_someone_else_is_a_conflict(
    member_client, officer_client, project, new_and_cautious
):
    decide(officer_client, project, accept="1", **{"orig-support_level": ""})
    page = decide(
        member_client, project, support_level="partnered", support_reason="More help", **{"orig-support_level": ""}
    ).text
    assert "Olu Officer chose “Guided” while you were deciding." in page
    assert Session.objects.get(project=project, number=3).support_level == "guided"


def test_changing_maturity_after_the_level_was_chosen_shows_the_new_recommendation_and_clears_session_3(
    member_client, officer_client, project, new_and_cautious
):
    from .conftest import HTMX, field_url

    decide(member_client, project, accept="1", **{"orig-support_level": ""})  # Guided, as recommended
    fill_session(Session.objects.get(project=project, number=3))  # the RACI it must cover
    for client in (member_client, officer_client):
        session = Session.objects.get(project=project, number=3)
        client.post(f"/projects/{project.slug}/sessions/3/sign/", {"version": session.version})
    assert Session.objects.get(project=project, number=3).status == Session.Status.AGREED
    member_client.post(
        field_url(project, 1, "risk_appetite"),
        {"risk_appetite": "eager", "orig-risk_appetite": "cautious"},
        headers=HTMX,
    )
    third = Session.objects.get(project=project, number=3)
    assert third.status == Session.Status.IN_PROGRESS and third.signoffs.count() == 2
    assert not third.topic_agreements.filter(topic="support").exists()
    assert "The recommended support level" in third.change_note
    page = " ".join(member_client.get(session_url(project, 3)).text.split())
    assert 'the recommendation is now <span class="fw-semibold">Partnered</span> (it was Guided)' in page
    assert "as then recommended" in page and "Accept the recommendation (Partnered)" in page
    # A change that leaves the recommendation where it was touches nothing in session 3.
    decide(member_client, project, accept="1", **{"orig-support_level": "guided"})
    version = Session.objects.get(project=project, number=3).version
    member_client.post(
        field_url(project, 1, "maturity"), {"maturity": "emerging", "orig-maturity": "new"}, headers=HTMX
    )
    assert Session.objects.get(project=project, number=1).maturity == "emerging"  # still Partnered
    assert Session.objects.get(project=project, number=3).version == version
