"""Walk every URL pattern of a project and prove the one access rule holds for each."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from projects import invitations
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


def url_for(route, slug, ids=None):
    """Fill a route: the project's slug, and each other part from `ids` (see `real_ids`), or
    a placeholder when no ids are given (for walks that only need the page to resolve)."""
    url = route.replace("<slug:slug>", slug)

    def fill(match):
        key = (match.group("before"), match.group("name"))
        if ids is None:
            return match.group("before") + ("1" if match.group("type") == "int" else "x")
        if key not in ids:
            raise AssertionError(f"the access walk has no real record for {key} in {route}: add it to real_ids()")
        return match.group("before") + str(ids[key])

    url = re.sub(r"(?P<before>(?:[a-z_]+)?/)<(?P<type>int|str|slug):(?P<name>[a-z_]+)>", fill, url)
    return "/" + url.replace("^", "").replace("$", "")


def _uploaded(project, owner):
    """A real waiting import, uploaded through the page as its owner would."""
    import io

    from django.test import Client
    from openpyxl import Workbook

    from projects.exchange.models import PendingImport

    book = Workbook()
    book.active.append(["Risk event", "Likelihood", "Impact"])
    book.active.append(["Supplier delay", 2, 3])
    data = io.BytesIO()
    book.save(data)
    data.name = "risks.xlsx"
    client = Client()
    client.force_login(owner)
    data.seek(0)
    client.post(f"/projects/{project.slug}/import/risks/", {"file": data})
    return PendingImport.objects.get(project=project)


def real_ids(project, owner):
    """One real record of every kind a project URL names, so a refusal cannot be mistaken for
    "no such record": {(the path segment before it, the converter's name): value}."""
    from django.utils import timezone

    from alignment import minutes, sharing
    from alignment.models import Assumption, Evidence, Session
    from tests.factories import (
        make_action,
        make_activity,
        make_communication,
        make_issue,
        make_milestone,
        make_report,
        make_risk,
        make_stakeholder,
    )

    person = make_stakeholder(project, name=f"Person of {project.slug}")
    activity = make_activity(project)
    pending = _uploaded(project, owner)
    agreed = Session.objects.create(project=project, number=2, status="agreed", agreed_at=timezone.now())
    frozen = minutes.freeze(agreed)
    return {
        ("stakeholders/", "pk"): person.pk,
        ("people/", "pk"): person.pk,
        ("milestones/", "pk"): make_milestone(project).pk,
        ("communications/", "pk"): make_communication(project).pk,
        ("risks/", "pk"): make_risk(project).pk,
        ("issues/", "pk"): make_issue(project).pk,
        ("share/", "pk"): sharing.create(project=project, by=owner, label="Sponsor", days=30)[0].pk,
        ("activities/", "pk"): activity.pk,
        ("cells/", "activity_id"): activity.pk,
        ("/", "stakeholder_id"): person.pk,
        ("reports/", "number"): make_report(project).number,
        ("evidence/", "pk"): Evidence.objects.create(project=project, text="A fact", source="Here").pk,
        ("assumptions/", "pk"): Assumption.objects.create(project=project, text="An assumption").pk,
        ("actions/", "pk"): make_action(project, owner=person).pk,
        ("members/", "pk"): project.memberships.get(user=owner).pk,
        ("invitations/", "pk"): invitations.invite(project=project, by=owner, email="x@example.org", role="viewer").pk,
        ("sessions/", "number"): 2,
        ("fields/", "field"): "notes",
        ("topics/", "topic"): "notes",
        ("present/", "topic"): "notes",
        ("facilitate/", "topic"): "notes",
        ("minutes/", "version"): frozen.number,
        ("import/", "kind"): "risks",
        ("/", "token"): pending.pk,
    }


ROUTES = sorted(set(project_patterns()))


def test_the_walk_covers_the_project_areas():
    assert any(r.endswith("stakeholders/") for r in ROUTES)
    assert any(r.endswith("history/") for r in ROUTES)


@pytest.fixture
def owned():
    """A project with one real record of every kind its URLs name, and its buyer."""
    owner = make_user()
    project = make_project(members={owner: Membership.Role.BUYER})
    return project, owner, real_ids(project, owner)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_strangers_get_404_on_every_project_url(route, client_as, owned):
    project, owner, ids = owned
    stranger = client_as(make_user())
    url = url_for(route, project.slug, ids)
    assert client_as(owner).get(url).status_code != 404 or route.endswith(
        ("/delete/", "/move/", "/issue/", "/render/", "/remove/")
    ), url
    assert stranger.get(url).status_code == 404, url
    assert stranger.post(url, {"name": "x"}).status_code == 404, url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route", [r for r in ROUTES if re.search(r"<(int|str):(pk|activity_id|stakeholder_id|token)>", r)]
)
def test_another_projects_real_ids_are_404_for_a_member(route, client_as, owned):
    """IDOR: a member of their own project puts another project's real ids in their URL.
    (Report and session numbers count within a project, so they are not ids of another's.)"""
    theirs, _, their_ids = owned
    member = make_user()
    mine = make_project(members={member: Membership.Role.BUYER})
    real_ids(mine, member)  # this project has records of every kind too, with other ids
    url = url_for(route, mine.slug, their_ids)
    client = client_as(member)
    assert client.get(url).status_code in (404, 405), url
    assert client.post(url, {"name": "x", "op": "toggle", "letter": "A"}).status_code in (404, 405), url


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_viewers_cannot_change_anything(route, client_as, owned):
    project, _, ids = owned
    viewer = make_user()
    project.memberships.create(user=viewer, role=Membership.Role.VIEWER)
    before = project.version, project.name
    response = client_as(viewer).post(url_for(route, project.slug, ids), {"name": "changed", "role": "buyer"})
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
