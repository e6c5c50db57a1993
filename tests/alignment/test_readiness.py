"""Readiness: each success criterion turns green only on real data, and says what is missing."""

from datetime import date

import pytest

from alignment.models import Session, SignOff
from alignment.readiness import readiness
from projects.models import Membership
from tests.factories import make_action, make_communication, make_milestone, make_stakeholder

pytestmark = pytest.mark.django_db


def item(project, starts):
    return next(i for i in readiness(project) if i.label.startswith(starts))


@pytest.fixture
def raci_ok(monkeypatch):
    """The RACI area's own rule is tested there; here it says the matrix is complete."""
    monkeypatch.setattr("alignment.readiness._raci", lambda project: (True, "All activities have one A."))


def test_an_empty_project_has_nothing_done_and_says_what_is_missing(project):
    items = readiness(project)
    assert len(items) == 5
    assert not any(i.done for i in items)
    assert all(i.missing and i.fix_url for i in items)
    assert item(project, "Stakeholders").missing == "No stakeholders yet."
    assert item(project, "Stakeholders").fix_url == f"/projects/{project.slug}/stakeholders/"
    assert item(project, "The buying objective").fix_url.endswith("/sessions/1/#field-business_objective")
    assert "milestones" in item(project, "There is a draft").missing


def test_stakeholders_need_roles_and_an_approver_with_criteria(project):
    make_stakeholder(project, name="Ann", role_title="", kind="core_team")
    assert "1 without a role or title (Ann)." in item(project, "Stakeholders").missing
    assert "No approver identified." in item(project, "Stakeholders").missing
    approver = make_stakeholder(project, name="Board", role_title="Project board", kind="approver")
    assert "No approver has criteria" in item(project, "Stakeholders").missing
    approver.approval_criteria = "A business case"
    approver.save()
    project.stakeholders.filter(name="Ann").update(role_title="Analyst")
    assert item(project, "Stakeholders").done


def test_raci_follows_the_raci_areas_rule(project):
    from tests.factories import make_raci

    raci = item(project, "Responsibilities")
    assert not raci.done and "no activities yet" in raci.missing
    make_raci(project)
    assert item(project, "Responsibilities").done


def test_the_buying_objective_must_be_written_not_blank(project):
    project.business_objective = "   "
    project.save()
    assert not item(project, "The buying objective").done
    project.business_objective = "Cut repair times"
    project.save()
    assert item(project, "The buying objective").done


def test_work_plan_and_communication_plan_both_needed(project):
    make_milestone(project)
    plan = item(project, "There is a draft")
    assert not plan.done and plan.missing == "The communication plan has no items yet."
    make_communication(project)
    assert item(project, "There is a draft").done


def test_explaining_the_project_needs_the_brief_filled_and_session_1_agreed(project, buyer):
    from tests.factories import make_membership, make_user

    explain = item(project, "Buyer and procurement officer")
    assert "No problem or opportunity." in explain.missing and "Session 1 is not agreed" in explain.missing
    project.problem_or_opportunity, project.desired_outcome = "Potholes", "Roads fixed in a week"
    project.save()
    make_stakeholder(project, kind="core_team", role_title="Engineer")
    make_stakeholder(project, kind="approver", role_title="Board", approval_criteria="Costs")
    assert (
        item(project, "Buyer and procurement officer").missing
        == "Session 1 is not agreed by the buyer and the procurement officer."
    )
    session = Session.objects.create(project=project, number=1, status=Session.Status.IN_PROGRESS)
    officer = make_user()
    make_membership(project, officer, Membership.Role.OFFICER)
    SignOff.objects.create(project=project, session=session, user=buyer, role="buyer")
    assert not item(project, "Buyer and procurement officer").done
    session.status = Session.Status.AGREED
    session.save()
    assert item(project, "Buyer and procurement officer").done


def test_everything_in_place_is_all_green(project, buyer, raci_ok):
    project.business_objective = project.problem_or_opportunity = project.desired_outcome = "Written"
    project.save()
    make_stakeholder(project, kind="core_team", role_title="Engineer")
    make_stakeholder(project, kind="approver", role_title="Board", approval_criteria="Costs")
    make_milestone(project)
    make_communication(project)
    Session.objects.create(project=project, number=1, status=Session.Status.AGREED)
    assert all(i.done for i in readiness(project)), [(i.label, i.missing) for i in readiness(project)]


def test_the_dashboard_panel_lists_the_checklist_with_links(member_client, project, raci_ok):
    page = member_client.get(f"/projects/{project.slug}/").text
    assert "Readiness: define the buying project outcome" in page
    assert "1 of 5 success criteria met." in page
    assert "Not yet: </span>Stakeholders and their roles" in page
    assert "Done: </span>Responsibilities" in page
    assert f'href="/projects/{project.slug}/stakeholders/"' in page
    assert (
        'Session 1: Buying objectives, current situation and problem</a> · <span class="session-status session-status-not_started">Not started'
        in page
    )


def _panel_queries(rf, project, buyer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alignment.dashboard import dashboard_panel

    request = rf.get("/")
    request.user = buyer
    with CaptureQueriesContext(connection) as queries:
        dashboard_panel(request, project)
    return len(queries)


def test_the_readiness_panel_query_count_does_not_grow(rf, project, buyer, raci_ok, django_assert_max_num_queries):
    def grow(n):
        for i in range(n):
            person = make_stakeholder(project, name=f"P{i}", role_title="")
            make_milestone(project)
            make_communication(project)
            make_action(project, owner=person, due_date=date(2026, 1, 1 + i))

    for number in (1, 2, 3):
        Session.objects.create(project=project, number=number)
    grow(3)
    small = _panel_queries(rf, project, buyer)
    grow(27)
    # sessions, stakeholder counts, names without a role, plan/communications/session 1, open
    # actions with their owners and sessions
    assert _panel_queries(rf, project, buyer) == small == 5
    from alignment.dashboard import dashboard_panel

    request = rf.get("/")
    request.user = buyer
    with django_assert_max_num_queries(5):
        dashboard_panel(request, project)
