"""Walk every URL pattern of a project and prove the one access rule holds for each."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from projects.models import Membership
from tests.factories import make_advisor, make_project, make_user


def project_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from project_patterns(entry, route)
        elif isinstance(entry, URLPattern) and "<slug:slug>" in route and route.startswith("projects/"):
            yield route


def url_for(route, slug):
    """Fill a route: the project's slug, and 1 for every other converter."""
    import re

    url = route.replace("<slug:slug>", slug)
    url = re.sub(r"<int:[a-z_]+>", "1", url)
    url = re.sub(r"<slug:[a-z_]+>", "x", url)
    url = re.sub(r"<str:[a-z_]+>", "x", url)
    return "/" + url.replace("^", "").replace("$", "")


ROUTES = sorted(set(project_patterns()))


def test_the_walk_covers_the_project_areas():
    assert any(r.endswith("stakeholders/") for r in ROUTES)
    assert any(r.endswith("history/") for r in ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_strangers_get_404_on_every_project_url(route, client_as):
    owner = make_user()
    project = make_project(members={owner: Membership.Role.BUYER})
    stranger = client_as(make_user())
    url = url_for(route, project.slug)
    assert stranger.get(url).status_code == 404, url
    assert stranger.post(url, {"name": "x"}).status_code == 404, url


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_viewers_cannot_change_anything(route, client_as):
    viewer = make_user()
    project = make_project(members={viewer: Membership.Role.VIEWER})
    before = project.version, project.name
    response = client_as(viewer).post(url_for(route, project.slug), {"name": "changed", "role": "buyer"})
    assert response.status_code in (403, 404, 405), route
    project.refresh_from_db()
    assert (project.version, project.name) == before
    assert project.memberships.get(user=viewer).role == Membership.Role.VIEWER


@pytest.mark.django_db
def test_logged_out_people_are_sent_to_the_login_page(client, project):
    response = client.get(f"/projects/{project.slug}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_advisory_team_can_view_any_project_but_not_edit(client_as):
    project = make_project(members={make_user(): Membership.Role.BUYER})
    advisor = client_as(make_advisor())
    assert advisor.get(f"/projects/{project.slug}/").status_code == 200
    assert advisor.post(f"/projects/{project.slug}/edit/", {"name": "x"}).status_code == 403


@pytest.mark.django_db
def test_staff_outside_the_advisory_team_are_strangers(client_as):
    project = make_project(members={make_user(): Membership.Role.BUYER})
    staff = client_as(make_user(is_staff=True))
    assert staff.get(f"/projects/{project.slug}/").status_code == 404


@pytest.mark.django_db
def test_another_projects_stakeholder_id_is_a_404(client_as, project, member_client):
    from tests.factories import make_stakeholder

    other = make_project(members={make_user(): Membership.Role.BUYER})
    theirs = make_stakeholder(other, name="Secret person")
    response = member_client.get(f"/projects/{project.slug}/stakeholders/{theirs.pk}/edit/")
    assert response.status_code == 404
    response = member_client.post(f"/projects/{project.slug}/stakeholders/{theirs.pk}/delete/")
    assert response.status_code == 404
    assert other.stakeholders.filter(pk=theirs.pk).exists()
