from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alignment.models import Session
from alignment.readiness import readiness
from projects.advisory import queries
from projects.models import Membership, Project
from tests.factories import make_communication, make_milestone, make_project, make_stakeholder, make_user

pytestmark = pytest.mark.django_db


def bulk_readiness():
    return {p.pk: [ok for _, ok in queries.readiness_items(p)] for p in queries.portfolio(Project.objects.all())}


def test_the_bulk_readiness_agrees_with_the_buying_teams_checklist():
    buyer = make_user()
    empty = make_project(name="Empty")
    no_role = make_project(name="No role", business_objective="   ")
    make_stakeholder(no_role, role_title="")
    ready = make_project(
        name="Ready",
        business_objective="Cleaner rivers",
        problem_or_opportunity="Pollution",
        desired_outcome="Clean water",
        members={buyer: Membership.Role.BUYER},
    )
    make_stakeholder(ready, kind="approver", role_title="Board", approval_criteria="Value for money")
    make_stakeholder(ready, kind="core_team", role_title="Lead")
    make_milestone(ready)
    make_communication(ready)
    Session.objects.create(project=ready, number=1, status=Session.Status.AGREED, agreed_at=timezone.now())
    approver_without_criteria = make_project(name="Approver without criteria")
    make_stakeholder(approver_without_criteria, kind="approver", role_title="Board")
    bulk = bulk_readiness()
    for project in (empty, no_role, ready, approver_without_criteria):
        expected = [item.done for item in readiness(project)]
        assert bulk[project.pk] == expected, project.name
    assert bulk[ready.pk][:1] + bulk[ready.pk][2:] == [True, True, True, True]


def flagged():
    return {p.name for p in queries.portfolio(Project.objects.all()) if p.check_sessions}


def test_an_agreed_session_is_flagged_when_what_it_agreed_on_changes_elsewhere(advisor, client_as):
    earlier = timezone.now() - timedelta(hours=1)
    plan = make_project(name="Plan changed")
    Session.objects.create(project=plan, number=2, status=Session.Status.AGREED, agreed_at=earlier)
    steady = make_project(name="Steady", business_objective="Old")
    Session.objects.create(project=steady, number=1, status=Session.Status.AGREED, agreed_at=timezone.now())
    assert flagged() == set()
    make_milestone(plan)  # edited on the plan page after session 2 was agreed
    steady.rag_status = "red"
    steady.save()  # a RAG change is not session 1 content
    assert flagged() == {"Plan changed"}
    steady.business_objective = "New"
    steady.save()
    assert flagged() == {"Plan changed", "Steady"}
    listed = client_as(advisor).get(reverse("admin:projects_project_changelist"), {"check": "check_sessions"})
    assert {p.name for p in listed.context["cl"].result_list} == {"Plan changed", "Steady"}
    page = client_as(advisor).get(reverse("admin:projects_project_change", args=[plan.pk])).text
    assert "Session 2, agreed" in page


def test_sessions_agreed_are_counted_and_filtered(advisor, client_as):
    two = make_project(name="Two agreed")
    for number in (1, 2):
        Session.objects.create(project=two, number=number, status=Session.Status.AGREED, agreed_at=timezone.now())
    Session.objects.create(project=two, number=3, status=Session.Status.IN_PROGRESS)
    make_project(name="None agreed")
    response = client_as(advisor).get(reverse("admin:projects_project_changelist"), {"agreed": "2"})
    assert {p.name for p in response.context["cl"].result_list} == {"Two agreed"}
    assert "2 of 3" in response.text
