from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Membership, Project
from tests.factories import (
    make_action,
    make_advisor,
    make_communication,
    make_milestone,
    make_project,
    make_raci,
    make_report,
    make_risk,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_creating_a_project_makes_me_a_member_with_my_role(client_as):
    me = make_user()
    response = client_as(me).post(
        reverse("projects:create"),
        {"name": "Smart bins", "buying_type": "innovation", "stage": "mobilise", "my_role": "officer"},
    )
    project = Project.objects.get(name="Smart bins")
    assert response["Location"] == f"/projects/{project.slug}/"
    assert project.slug == "smart-bins"
    assert project.memberships.get().role == Membership.Role.OFFICER


def test_a_project_needs_a_name_and_sane_dates(client_as):
    response = client_as(make_user()).post(
        reverse("projects:create"),
        {
            "name": "   ",
            "buying_type": "goods",
            "stage": "plan",
            "my_role": "buyer",
            "start_date": "2026-05-01",
            "end_date": "2026-04-01",
        },
    )
    assert response.status_code == 200
    assert "Give the project a name." in response.text
    assert not Project.objects.exists()


def test_end_before_start_is_refused_with_a_plain_message(member_client, project):
    response = member_client.post(
        reverse("projects:edit", args=[project.slug]),
        {
            "name": project.name,
            "slug": project.slug,
            "buying_type": "goods",
            "stage": "plan",
            "currency": "GBP",
            "rag_status": "green",
            "start_date": "2026-05-01",
            "end_date": "2026-04-01",
            "version": project.version,
        },
    )
    assert "The end date cannot be before the start date." in response.text
    project.refresh_from_db()
    assert project.start_date.isoformat() == "2026-01-01"


def test_the_list_shows_only_my_projects(client_as):
    me, other = make_user(), make_user()
    mine = make_project(members={me: Membership.Role.VIEWER}, name="Mine")
    make_project(members={other: Membership.Role.BUYER}, name="Someone else's")
    response = client_as(me).get(reverse("projects:list"))
    assert mine.name in response.text
    assert "Someone else&#x27;s" not in response.text and "Someone else's" not in response.text


def test_the_members_column_counts_every_member_not_just_me(client_as):
    me = make_user()
    make_project(members={me: "buyer", make_user(): "officer", make_user(): "viewer"}, name="Three")
    make_project(members={me: "buyer"}, name="One")
    for user in (me, make_advisor()):
        projects = {p.name: p.members for p in client_as(user).get(reverse("projects:list")).context["projects"]}
        assert projects == {"Three": 3, "One": 1}


def test_the_advisory_team_sees_every_project(client_as):
    make_project(members={make_user(): Membership.Role.BUYER}, name="Alpha")
    make_project(members={make_user(): Membership.Role.BUYER}, name="Beta")
    response = client_as(make_advisor()).get(reverse("projects:list"))
    assert "Alpha" in response.text and "Beta" in response.text


def test_the_list_filters_by_rag_and_searches(client_as):
    me = make_user()
    make_project(members={me: "buyer"}, name="Red one", rag_status="red")
    make_project(members={me: "buyer"}, name="Green one", rag_status="green", reference="REF-9")
    response = client_as(me).get(reverse("projects:list"), {"rag": "red"})
    assert "Red one" in response.text and "Green one" not in response.text
    response = client_as(me).get(reverse("projects:list"), {"q": "ref-9"})
    assert "Green one" in response.text and "Red one" not in response.text


def test_an_empty_list_says_how_to_start(client_as):
    response = client_as(make_user()).get(reverse("projects:list"))
    assert "You are not in any project yet" in response.text


def test_the_dashboard_shows_the_projects_details(member_client, project):
    project.sponsor = "Chris Furness"
    project.budget_allocated, project.budget_revised = 50000, 30000
    project.save()
    response = member_client.get(reverse("projects:detail", args=[project.slug]))
    assert "Chris Furness" in response.text
    assert "GBP 50,000 allocated, revised to GBP 30,000" in response.text


def test_the_project_list_query_count_does_not_grow(client_as, django_assert_max_num_queries):
    me = make_user()
    client = client_as(me)
    for _ in range(3):
        make_project(members={me: "buyer"})
    # session, user, advisor check, projects with member counts
    with django_assert_max_num_queries(5) as small:
        client.get(reverse("projects:list"))
    for _ in range(30):
        make_project(members={me: "buyer"})
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("projects:list"))


def _fill(project, n):
    """n of every record the dashboard summarises: RACI, milestones (all but the first two
    slipping), overdue risks, communications, reports and open actions (half overdue)."""
    _, people = make_raci(project, activities=n, people=max(n // 2, 2))
    for i in range(n):
        make_milestone(project, owner=people[i % len(people)], forecast_end=date(2026, 3, 1 if i < 2 else 2 + i % 27))
        make_risk(project, likelihood=1 + i % 4, impact=1 + (i // 4) % 4, next_review_date=date(2026, 1, 1))
        make_communication(project, owner=people[i % len(people)])
        make_report(project, issued_at=timezone.now() if i < n - 1 else None)
        make_action(project, owner=people[i % len(people)], due_date=date(2026, 1, 1) if i % 2 else date(2200, 1, 1))


def test_the_dashboard_costs_the_same_queries_for_a_small_and_a_large_project(client_as, django_assert_max_num_queries):
    me = make_user()
    client = client_as(me)
    small, large = make_project(members={me: "buyer"}), make_project(members={me: "buyer"})
    _fill(small, 2)
    _fill(large, 40)
    # The small one's session 1 is signed off (so its records are checked for later changes);
    # the large one's sessions were never opened.
    from alignment.models import Session, SignOff

    first = Session.objects.create(project=small, number=1, status="agreed")
    SignOff.objects.create(project=small, session=first, user=me, role="buyer")
    client.get(reverse("projects:detail", args=[small.slug]))  # warm the per-process caches
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("projects:detail", args=[small.slug]))
    with django_assert_max_num_queries(30) as many:
        page = client.get(reverse("projects:detail", args=[large.slug])).text
    assert "days late" in page and "and 32 more" in page  # 38 slipping: 6 listed
    assert "40 open" in page and "20 overdue" in page  # the open actions: 6 listed, the rest counted
    assert [q["sql"][:60] for q in many.captured_queries] == [q["sql"][:60] for q in few.captured_queries]


def test_every_area_of_a_project_has_its_own_page_title(member_client, project):
    import re

    names = [
        "projects:detail",
        "projects:stakeholders",
        "plan:plan",
        "plan:communications",
        "projects:members",
        "projects:history",
        "exchange:data",
        "raci:matrix",
        "risks:register",
        "reports:reports",
    ]
    titles = []
    for name in names:
        page = member_client.get(reverse(name, args=[project.slug])).text
        titles.append(re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip())
    for number in (1, 2, 3):
        page = member_client.get(reverse("alignment:session", args=[project.slug, number])).text
        titles.append(re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip())
    assert all(title.endswith(f"{project.name} · Mobilise") for title in titles), titles
    assert len(set(titles)) == len(titles), titles


def _edit(client, project, **fields):
    data = {
        "name": project.name,
        "slug": project.slug,
        "buying_type": project.buying_type,
        "stage": project.stage,
        "currency": project.currency,
        "rag_status": project.rag_status,
        "business_objective": project.business_objective,
        "desired_outcome": project.desired_outcome,
        "start_date": project.start_date.isoformat(),
        "end_date": project.end_date.isoformat(),
        "version": project.version,
    }
    return client.post(reverse("projects:edit", args=[project.slug]), {**data, **fields})


def test_editing_only_the_objective_leaves_the_outcome_unchanged_though_the_browser_sends_crlf(client_as, buyer):
    project = make_project(members={buyer: "buyer"}, desired_outcome="Fewer floods\nand faster repairs")
    _edit(
        client_as(buyer),
        project,
        business_objective="Know where the water is\r\nbefore it floods",
        desired_outcome="Fewer floods\r\nand faster repairs",
    )
    project.refresh_from_db()
    assert project.business_objective == "Know where the water is\nbefore it floods"
    assert project.desired_outcome == "Fewer floods\nand faster repairs"
    latest = project.history.first()
    changed = [change.field for change in latest.diff_against(latest.prev_record).changes]
    assert changed == ["business_objective"]


def test_every_save_stores_text_with_newline_line_endings():
    project = make_project(business_objective="one\r\ntwo\rthree", rag_reason="a\x0bb")
    project.refresh_from_db()
    assert project.business_objective == "one\ntwo\nthree"
    assert project.rag_reason == "ab"


def test_a_new_project_starts_not_assessed_and_says_so(client_as):
    me = make_user()
    client = client_as(me)
    client.post(
        reverse("projects:create"),
        {"name": "Smart bins", "buying_type": "goods", "stage": "mobilise", "my_role": "buyer"},
    )
    project = Project.objects.get(name="Smart bins")
    assert project.rag_status == "not_assessed"
    assert project.get_rag_status_display() == "Not assessed"
    dashboard = client.get(project.get_absolute_url()).text
    assert (
        '<span class="rag rag-none"><span class="visually-hidden">Overall RAG: </span>Not assessed</span>' in dashboard
    )
    make_project(members={me: "buyer"}, name="Judged", rag_status="green")
    listed = client.get(reverse("projects:list"), {"rag": "not_assessed"})
    assert [p.name for p in listed.context["projects"]] == ["Smart bins"]
    assert '<option value="not_assessed" selected>Not assessed</option>' in listed.text


def test_a_new_project_takes_the_deployments_default_currency(client_as, settings):
    settings.DEFAULT_CURRENCY = "NZD"
    client_as(make_user()).post(
        reverse("projects:create"), {"name": "Kiwi", "buying_type": "goods", "stage": "mobilise", "my_role": "buyer"}
    )
    assert Project.objects.get(name="Kiwi").currency == "NZD"


def test_the_project_list_is_paginated_and_keeps_the_search(client_as, django_assert_max_num_queries):
    user = make_user("portfolio-owner")
    for n in range(30):
        make_project(members={user: Membership.Role.BUYER}, name=f"Bridge {n:02d}", slug=f"bridge-{n:02d}")
    client = client_as(user)
    first = client.get("/", {"sort": "name"})
    assert first.text.count('href="/projects/bridge-') == 25
    assert "Projects 1–25 of 30." in first.text
    assert 'rel="next" href="?sort=name&amp;page=2"' in first.text
    second = client.get("/", {"sort": "name", "page": "2"})
    assert second.text.count('href="/projects/bridge-') == 5 and "Bridge 29" in second.text
    assert "Bridge 00" not in second.text
    assert client.get("/", {"page": "999"}).text.count('href="/projects/bridge-') == 5  # past the end: the last page
    with django_assert_max_num_queries(5):
        client.get("/", {"page": "2"})
