"""Twenty people post at once from the same version of a record: exactly one wins, the rest
are told, and nobody's acknowledged save is silently lost. Run on PostgreSQL in CI without a
wrapping transaction (`transaction=True`)."""

import pytest
from django.urls import reverse

from projects.models import Membership
from projects.plan.models import Milestone
from projects.reports.models import HighlightReport
from raci.models import Assignment
from risks.models import Risk
from tests.factories import (
    make_activity,
    make_milestone,
    make_project,
    make_report,
    make_risk,
    make_stakeholder,
    make_user,
)

from .races import form_data, race

pytestmark = pytest.mark.django_db(transaction=True)

N = 20


@pytest.fixture
def buyer():
    return make_user("racer")


@pytest.fixture
def project(buyer):
    return make_project(members={buyer: Membership.Role.BUYER})


def _versioned_race(buyer, edit_url, field, value_of, read_back):
    """Every thread posts the form as it was opened (one version) with its own value of `field`."""
    from django.test import Client

    opener = Client()
    opener.force_login(buyer)
    base = form_data(opener.get(edit_url))

    def send(client, i):
        response = client.post(edit_url, {**base, field: value_of(i)})
        return response.status_code

    statuses = race(buyer, N, send)
    saved = [i for i, status in enumerate(statuses) if status == 302]
    told = [i for i, status in enumerate(statuses) if status == 200]
    assert len(saved) + len(told) == N, statuses  # no 500s, nothing else
    assert len(saved) == 1, f"{len(saved)} saves acknowledged from one version: all but one were lost"
    assert read_back() == value_of(saved[0])


def test_twenty_saves_of_one_risk_from_one_version(buyer, project):
    risk = make_risk(project, event="Supplier delay")
    _versioned_race(
        buyer,
        reverse("risks:edit", args=[project.slug, risk.pk]),
        "event",
        lambda i: f"Event from person {i}",
        lambda: Risk.objects.get(pk=risk.pk).event,
    )


def test_twenty_saves_of_one_milestone_from_one_version(buyer, project):
    milestone = make_milestone(project, name="Market sounding")
    _versioned_race(
        buyer,
        reverse("plan:milestone-edit", args=[project.slug, milestone.pk]),
        "name",
        lambda i: f"Milestone named by person {i}",
        lambda: Milestone.objects.get(pk=milestone.pk).name,
    )


def test_twenty_saves_of_one_report_draft_from_one_version(buyer, project):
    report = make_report(project)
    url = reverse("reports:report", args=[project.slug, report.number])
    _versioned_race(
        buyer,
        url,
        "recommendation",
        lambda i: f"Recommendation {i}",
        lambda: HighlightReport.objects.get(pk=report.pk).recommendation,
    )


def test_twenty_autosaves_of_one_session_field_from_one_value(buyer, project):
    url = reverse("alignment:session-field", args=[project.slug, 1, "desired_outcome"])

    def send(client, i):
        response = client.post(
            url, {"desired_outcome": f"Outcome {i}", "orig-desired_outcome": ""}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200, response.status_code
        return "save-state saved" in response.text

    saved = [i for i, ok in enumerate(race(buyer, N, send)) if ok]
    assert len(saved) == 1
    project.refresh_from_db()
    assert project.desired_outcome == f"Outcome {saved[0]}"


def test_four_people_toggling_different_letters_of_one_cell_keep_all_four(buyer, project):
    activity, person = make_activity(project), make_stakeholder(project)
    url = reverse("raci:cell", args=[project.slug, activity.pk, person.pk])
    letters = "RACI"

    def send(client, i):
        response = client.post(url, {"op": "toggle", "letter": letters[i % 4]})
        return response.status_code

    # Five rounds of four, so a lost update has many chances to show.
    for _ in range(5):
        Assignment.objects.filter(activity=activity, stakeholder=person).delete()
        statuses = race(buyer, 4, send)
        assert statuses == [302] * 4
        assert Assignment.objects.get(activity=activity, stakeholder=person).letters == "ARCI"


def test_twenty_clicks_on_one_cell_from_one_look_make_one_change(buyer, project):
    activity, person = make_activity(project), make_stakeholder(project)
    url = reverse("raci:cell", args=[project.slug, activity.pk, person.pk])

    def send(client, i):
        response = client.post(
            url, {"op": "set", "letters": ["A"] if i % 2 else ["R"], "seen": ""}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        return "your change was not made" not in response.text and "at the same moment" not in response.text

    won = [i for i, ok in enumerate(race(buyer, N, send)) if ok]
    assert len(won) == 1
    expected = "A" if won[0] % 2 else "R"
    assert Assignment.objects.get(activity=activity, stakeholder=person).letters == expected
