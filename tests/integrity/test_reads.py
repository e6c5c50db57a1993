"""A GET never writes: sign-offs are cleared when the records a session shows are written,
not when somebody looks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alignment.models import Session, SignOff
from projects.models import Membership
from tests.conftest import client_for
from tests.factories import make_activity, make_milestone, make_project, make_risk, make_stakeholder, make_user
from tests.projects.test_access import ROUTES, url_for

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# Django's own bookkeeping of a logged-in visit, not project data.
BOOKKEEPING = ("django_session", "mobilise_cache")


def _signed(project, number, buyer, officer):
    session = Session.objects.create(project=project, number=number)
    SignOff.objects.create(project=project, session=session, user=buyer, role="buyer")
    SignOff.objects.create(project=project, session=session, user=officer, role="officer")
    return session


@pytest.fixture
def signed_project():
    buyer, officer = make_user(), make_user()
    project = make_project(members={buyer: Membership.Role.BUYER, officer: Membership.Role.OFFICER})
    for number in (1, 2, 3):
        _signed(project, number, buyer, officer)
    return project, buyer


def test_a_milestone_saved_after_sign_off_clears_session_2_when_it_is_saved(signed_project):
    project, buyer = signed_project
    milestone = make_milestone(project, name="Market sounding")
    session = Session.objects.get(project=project, number=2)
    assert not session.signoffs.exists()
    assert "The work plan changed" in session.change_note
    assert Session.objects.get(project=project, number=1).signoffs.count() == 2  # session 1 shows no milestones
    milestone.name = "Market sounding, round 2"
    milestone.save()


def test_a_risk_or_a_raci_cell_clears_the_session_that_shows_it(signed_project):
    project, buyer = signed_project
    make_risk(project)
    assert not Session.objects.get(project=project, number=2).signoffs.exists()
    assert Session.objects.get(project=project, number=3).signoffs.count() == 2
    from raci.models import Assignment

    Assignment.objects.create(activity=make_activity(project), stakeholder=make_stakeholder(project), letters="A")
    assert not Session.objects.get(project=project, number=3).signoffs.exists()


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
