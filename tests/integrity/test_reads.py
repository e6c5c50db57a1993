"""A GET never writes: an agreed topic is re-opened when the records a session shows are
written, not when somebody looks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alignment.models import Session, SignOff
from alignment.services import agree_remaining_topics, agreed_topics
from projects.models import Membership
from tests.conftest import client_for
from tests.factories import make_activity, make_milestone, make_project, make_risk, make_stakeholder, make_user
from tests.projects.test_access import ROUTES, url_for

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# Django's own bookkeeping of a logged-in visit, not project data.
BOOKKEEPING = ("django_session", "mobilise_cache")


def _signed(project, number, buyer, officer):
    session = Session.objects.create(project=project, number=number, status=Session.Status.AGREED)
    for user, role in ((buyer, "buyer"), (officer, "officer")):
        SignOff.objects.create(project=project, session=session, user=user, role=role)
        agree_remaining_topics(session, role=role, by=user)
    return session


def agreed(project, number):
    return agreed_topics(Session.objects.get(project=project, number=number))


@pytest.fixture
def signed_project():
    buyer, officer = make_user(), make_user()
    project = make_project(members={buyer: Membership.Role.BUYER, officer: Membership.Role.OFFICER})
    for number in (1, 2, 3):
        _signed(project, number, buyer, officer)
    return project, buyer


def test_a_milestone_saved_after_sign_off_re_opens_session_2s_milestones_when_it_is_saved(signed_project):
    project, buyer = signed_project
    milestone = make_milestone(project, name="Market sounding")
    session = Session.objects.get(project=project, number=2)
    assert session.status == Session.Status.IN_PROGRESS and agreed(project, 2) == {"risks", "assumptions", "notes"}
    assert "The work plan changed" in session.change_note
    assert len(agreed(project, 1)) == 7  # session 1 shows no milestones
    milestone.name = "Market sounding, round 2"
    milestone.save()


def test_a_risk_or_a_raci_cell_re_opens_the_topic_that_shows_it(signed_project):
    project, buyer = signed_project
    make_risk(project)
    assert "risks" not in agreed(project, 2)
    assert agreed(project, 3) == {"raci", "support", "notes"}
    from raci.models import Assignment

    Assignment.objects.create(activity=make_activity(project), stakeholder=make_stakeholder(project), letters="A")
    assert agreed(project, 3) == {"support", "notes"}


def test_no_project_page_writes_when_it_is_shown(signed_project):
    project, buyer = signed_project
    client = client_for(buyer)
    client.get(reverse("projects:detail", args=[project.slug]))  # the first visit's session row
    shown = 0
    for route in ROUTES:
        url = url_for(route, project.slug)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        shown += status == 200
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(WRITES) and not any(t in q["sql"] for t in BOOKKEEPING)
        ]
        assert not writes, (url, writes)
    assert shown > 15  # the walk really showed the pages
    assert SignOff.objects.filter(project=project).count() == 6


def test_opening_the_pages_of_a_new_project_creates_nothing(client_as):
    buyer = make_user()
    project = make_project(members={buyer: Membership.Role.BUYER})
    client = client_as(buyer)
    for route in ROUTES:
        client.get(url_for(route, project.slug))
    assert not Session.objects.filter(project=project).exists()
