import pytest
from django.test import Client

from projects.models import Membership

from .factories import PASSWORD, make_membership, make_project, make_user
from .mail import smtp  # noqa: F401  (the real-SMTP fixture, for every test)


@pytest.fixture
def buyer(db):
    return make_user("buyer-user", first_name="Bea", last_name="Buyer")


@pytest.fixture
def project(buyer):
    # In pounds, as the tests' figures are written (new projects start in settings.DEFAULT_CURRENCY).
    return make_project(
        members={buyer: Membership.Role.BUYER}, name="Water sensors", slug="water-sensors", currency="GBP"
    )


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member_client(buyer, project):
    return client_for(buyer)


@pytest.fixture
def client_as():
    """client_as(user) gives a logged-in test client for that user."""
    return client_for


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def officer(project):
    user = make_user("officer-user", first_name="Olu", last_name="Officer")
    make_membership(project, user, Membership.Role.OFFICER)
    return user


@pytest.fixture
def officer_client(officer, client_as):
    return client_as(officer)
