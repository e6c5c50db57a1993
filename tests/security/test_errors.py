"""Generic error pages with DEBUG off, and an error fragment for failing htmx requests."""

import pytest
from django.test import Client, override_settings

from projects.models import Membership
from tests.factories import make_project, make_stakeholder, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def crashing_client(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@override_settings(ROOT_URLCONF="tests.security.urls")
def test_a_crashing_page_shows_a_plain_error_page_without_a_traceback(crashing_client):
    response = crashing_client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    for leak in ["Traceback", "RuntimeError", "secret-internal-detail", "hunter2", "settings"]:
        assert leak not in response.text


@override_settings(ROOT_URLCONF="tests.security.urls")
def test_a_crashing_htmx_request_gets_a_small_fragment_for_the_banner(crashing_client):
    response = crashing_client.get("/boom/", headers={"HX-Request": "true"})
    assert response.status_code == 500
    assert response.text.startswith('<div class="htmx-error-fragment" data-htmx-error')
    assert "<html" not in response.text
    assert "your last change may not have been saved" in response.text
    assert "hunter2" not in response.text and "Traceback" not in response.text
    assert "HX-Request" in response["Vary"]


def test_a_missing_page_is_a_plain_404_page_in_the_site_layout(client_as):
    response = client_as(make_user()).get("/projects/nothing-here/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'href="#main"' in response.text  # the normal page layout, skip link included


def test_a_viewer_trying_to_change_something_sees_a_plain_403_page(client_as):
    viewer = make_user()
    project = make_project(members={viewer: Membership.Role.VIEWER})
    response = client_as(viewer).post(f"/projects/{project.slug}/stakeholders/", {"name": "x"})
    assert response.status_code == 403
    assert "Not allowed" in response.text
    assert "does not allow" in response.text


def test_an_htmx_edit_of_a_row_someone_removed_gets_a_fragment_saying_so(client_as, project, buyer):
    pk = make_stakeholder(project).pk + 1000  # a row that is no longer there
    response = client_as(buyer).post(
        f"/projects/{project.slug}/stakeholders/{pk}/edit/", {"name": "x"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 404
    assert response.text.startswith('<div class="htmx-error-fragment"')
    assert "no longer there" in response.text
    # A stale length would leave the browser waiting for bytes that never come.
    assert int(response["Content-Length"]) == len(response.content)


def test_an_htmx_request_by_a_viewer_gets_a_fragment_saying_their_role_does_not_allow_it(client_as):
    viewer = make_user()
    project = make_project(members={viewer: Membership.Role.VIEWER})
    response = client_as(viewer).post(
        f"/projects/{project.slug}/stakeholders/", {"name": "x"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    assert "does not allow that change" in response.text
    assert "<html" not in response.text


def test_a_wrong_method_on_an_htmx_request_gets_a_fragment(member_client, project):
    response = member_client.put(f"/projects/{project.slug}/stakeholders/", headers={"HX-Request": "true"})
    assert response.status_code == 405
    assert "not available here" in response.text


def test_error_pages_for_ordinary_requests_stay_whole_pages(member_client, project):
    response = member_client.put(f"/projects/{project.slug}/stakeholders/")
    assert response.status_code == 405
    assert "htmx-error-fragment" not in response.text


@pytest.fixture
def no_static_manifest(settings, tmp_path):
    """Production static storage before `collectstatic` has run: no manifest anywhere."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }


@override_settings(ROOT_URLCONF="tests.security.urls")
def test_the_500_page_renders_in_full_without_the_static_manifest(crashing_client, no_static_manifest, caplog):
    response = crashing_client.get("/boom/")
    assert response.status_code == 500
    assert "The error has been logged" in response.text  # the page itself, not the last-resort text
    assert 'href="/"' in response.text
    assert "The 500 page itself failed" not in caplog.text
    assert "hunter2" not in response.text


def test_the_500_handler_needs_no_request_context_at_all(no_static_manifest, settings, caplog):
    from django.test import RequestFactory

    from mobilise import errors

    settings.DEBUG = False
    response = errors.server_error(RequestFactory().get("/anything/"))  # no session, no user
    assert response.status_code == 500
    assert "The error has been logged" in response.content.decode()
    assert "The 500 page itself failed" not in caplog.text
