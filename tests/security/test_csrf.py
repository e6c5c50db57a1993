"""CSRF: every POST needs the token, htmx requests included."""

import pytest
from django.test import Client

from projects.models import Membership
from tests.factories import PASSWORD, make_project, make_stakeholder, make_user
from tests.projects.test_access import ROUTES, url_for

pytestmark = pytest.mark.django_db

# POST endpoints outside projects/<slug>/.
OTHER_POSTS = ["/accounts/login/", "/accounts/logout/", "/projects/new/", "/admin/login/"]


@pytest.fixture
def setup():
    buyer = make_user()
    project = make_project(members={buyer: Membership.Role.BUYER}, name="Before")
    make_stakeholder(project, name="Kept")
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    return client, project


@pytest.mark.parametrize("route", ROUTES)
def test_every_project_url_refuses_a_post_without_the_csrf_token(route, setup):
    client, project = setup
    url = url_for(route, project.slug)
    response = client.post(url, {"name": "changed"})
    assert response.status_code == 403, url
    assert "Page out of date" in response.text
    project.refresh_from_db()
    assert project.name == "Before"
    assert project.stakeholders.get().name == "Kept"


@pytest.mark.parametrize("route", ROUTES)
def test_every_project_url_refuses_an_htmx_post_without_the_csrf_token(route, setup):
    client, project = setup
    response = client.post(url_for(route, project.slug), {"name": "changed"}, headers={"HX-Request": "true"})
    assert response.status_code == 403
    # A fragment for the error banner, not a whole page.
    assert response.text.startswith('<div class="htmx-error-fragment"')
    assert "session has ended" in response.text
    project.refresh_from_db()
    assert project.name == "Before"


@pytest.mark.parametrize("url", OTHER_POSTS)
def test_log_in_log_out_and_new_project_refuse_a_post_without_the_csrf_token(url, setup):
    client, _project = setup
    response = client.post(url, {"username": "x", "password": PASSWORD, "name": "New"})
    assert response.status_code == 403


def test_the_same_posts_with_the_token_from_the_page_are_accepted(setup):
    client, project = setup
    page = client.get(f"/projects/{project.slug}/stakeholders/")
    token = str(page.context["csrf_token"])
    url = f"/projects/{project.slug}/stakeholders/"
    response = client.post(
        url,
        {"name": "Added by htmx", "kind": "approver", "interest": "high", "influence": "high"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    response = client.post(
        url,
        {
            "name": "Added by a form",
            "kind": "approver",
            "interest": "high",
            "influence": "high",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert set(project.stakeholders.values_list("name", flat=True)) == {"Kept", "Added by htmx", "Added by a form"}


def test_every_page_gives_htmx_the_csrf_token_in_hx_headers(setup):
    client, project = setup
    response = client.get(f"/projects/{project.slug}/stakeholders/")
    assert (
        "hx-headers='{&quot;X-CSRFToken&quot;: &quot;" in response.text
        or 'hx-headers=\'{"X-CSRFToken": "' in response.text
    )
