import pytest

from projects.models import Membership
from tests.factories import make_membership, make_user


@pytest.fixture
def officer(project):
    user = make_user("officer-user", first_name="Olu", last_name="Officer")
    make_membership(project, user, Membership.Role.OFFICER)
    return user


@pytest.fixture
def officer_client(officer, client_as):
    return client_as(officer)


def session_url(project, number):
    return f"/projects/{project.slug}/sessions/{number}/"


def field_url(project, number, name):
    return f"/projects/{project.slug}/sessions/{number}/fields/{name}/"


HTMX = {"HX-Request": "true"}
