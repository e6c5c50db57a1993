import pytest

from alignment.models import Session
from projects.demo import load_demo
from projects.models import Project

pytestmark = pytest.mark.django_db


def test_the_bucks_demo_has_session_1_agreed_by_buyer_and_officer_and_a_few_assumptions():
    load_demo()
    project = Project.objects.get(slug="bucks-procurement")
    first = Session.objects.get(project=project, number=1)
    assert first.status == Session.Status.AGREED
    assert {(s.role, s.user.username) for s in first.signoffs.select_related("user")} == {
        ("buyer", "buyer"),
        ("officer", "officer"),
    }
    assert "Project Board convened" in first.progress_to_date
    assert "best value" in first.opportunity.lower()
    assert project.assumptions.count() >= 2
    assert project.evidence.count() >= 2
    load_demo()  # idempotent
    assert Session.objects.filter(project=project).count() == 3


def test_the_demo_stays_agreed_when_opened_and_the_advisors_check_does_not_flag_it(client_as):
    from django.contrib.auth import get_user_model

    from projects.advisory.queries import sessions_changed_since_agreed

    load_demo()
    project = Project.objects.get(slug="bucks-procurement")
    client = client_as(get_user_model().objects.get(username="buyer"))
    for number in (1, 2, 3):
        assert client.get(f"/projects/{project.slug}/sessions/{number}/").status_code == 200
    assert client.get(f"/projects/{project.slug}/").status_code == 200
    first = Session.objects.get(project=project, number=1)
    assert first.status == Session.Status.AGREED and first.signoffs.count() == 2 and not first.change_note
    assert not sessions_changed_since_agreed().filter(project=project).exists()


def test_the_large_demo_sessions_brief_and_dashboard_render(client_as):
    from django.contrib.auth import get_user_model

    load_demo(large=True)
    project = Project.objects.get(slug="large-demo")
    client = client_as(get_user_model().objects.get(username="buyer"))
    for number in (1, 2, 3):
        assert client.get(f"/projects/large-demo/sessions/{number}/").status_code == 200
    assert project.assumptions.count() == 20
    assert "Readiness: define the buying project outcome" in client.get("/projects/large-demo/").text
    response = client.get("/projects/large-demo/brief.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_every_session_the_demo_shows_as_agreed_covers_what_it_must():
    from alignment.coverage import missing

    load_demo()
    agreed = Session.objects.filter(status=Session.Status.AGREED).select_related("project")
    assert agreed.exists()
    for session in agreed:
        assert missing(session) == [], f"{session.project.slug} session {session.number}"


def test_the_bucks_demo_has_actions_one_made_from_a_question_and_overdue_on_the_dashboard(client_as):
    from django.contrib.auth import get_user_model

    from alignment.actions import open_actions

    load_demo()
    project = Project.objects.get(slug="bucks-procurement")
    assert project.actions.count() == 3
    [overdue] = open_actions(project)
    assert overdue.is_overdue and overdue.source_assumption.text == overdue.text and overdue.session.number == 2
    page = client_as(get_user_model().objects.get(username="buyer")).get(f"/projects/{project.slug}/").text
    assert '1 open, <span class="action-overdue">1 overdue</span>' in page
    load_demo()  # idempotent
    assert project.actions.count() == 3
