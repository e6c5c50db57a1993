from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.models import Membership
from tests.factories import make_communication, make_milestone, make_project, make_risk, make_stakeholder, make_user

from .conftest import make_report, populate

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:projects_project_changelist")


def changelist(client, **params):
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return response


def names_listed(response):
    return {project.name for project in response.context["cl"].result_list}


def test_the_list_shows_every_column_the_advisory_team_reviews(advisor, client_as):
    buyer = make_user()
    project = make_project(
        name="Water sensors",
        reference="WS-1",
        project_manager="Jim Burness",
        business_objective="Cleaner rivers",
        members={buyer: Membership.Role.BUYER},
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
    )
    make_stakeholder(project, role_title="Sponsor")
    make_milestone(project, name="Market sounding", baseline_end=date(2026, 3, 1), forecast_end=date(2026, 3, 11))
    make_communication(project)
    make_report(project, 1, issued_at=datetime(2026, 2, 3, 12, tzinfo=UTC))
    text = changelist(client_as(advisor)).text
    assert "Water sensors" in text and "WS-1" in text and "Jim Burness" in text
    # Two of the five readiness items are done (objective, plan); the missing three are named.
    assert "2 of 5" in text
    assert (
        "Missing: Stakeholders and their roles identified; RACI identified; "
        "Problem, outcomes and team explained (session 1 agreed)"
    ) in text
    assert "Market sounding" in text and "slipping 10 days" in text
    assert "03 Feb 2026" in text
    assert "Not reviewed" in text
    make_stakeholder(project, kind="approver", role_title="Board", approval_criteria="Value for money")
    assert "3 of 5" in changelist(client_as(advisor)).text


def test_projects_are_found_by_name_reference_and_people(advisor, client_as):
    ada = make_user("ada", first_name="Ada", last_name="Lovelace")
    make_project(name="Street lights", reference="SL-9", members={ada: Membership.Role.OFFICER})
    other = make_project(name="Bridges", reference="BR-1", project_manager="Grace Hopper")
    make_stakeholder(other, name="Katherine Johnson")
    client = client_as(advisor)
    assert names_listed(changelist(client, q="lovelace")) == {"Street lights"}
    assert names_listed(changelist(client, q="SL-9")) == {"Street lights"}
    assert names_listed(changelist(client, q="Hopper")) == {"Bridges"}
    assert names_listed(changelist(client, q="Katherine")) == {"Bridges"}
    assert names_listed(changelist(client, q="bridg")) == {"Bridges"}
    assert names_listed(changelist(client, project_manager="Grace Hopper")) == {"Bridges"}


def test_filters_on_rag_readiness_report_age_and_next_milestone(advisor, client_as):
    buyer, officer = make_user(), make_user()
    ready = make_project(
        name="Ready",
        rag_status="red",
        business_objective="x",
        problem_or_opportunity="y",
        desired_outcome="z",
        members={buyer: Membership.Role.BUYER, officer: Membership.Role.OFFICER},
    )
    make_stakeholder(ready, role_title="Lead")
    make_milestone(ready, baseline_end=date(2026, 3, 1), forecast_end=date(2026, 4, 1))
    make_communication(ready)
    stale = make_project(name="Stale report", rag_status="green")
    make_report(stale, 1, issued_at=timezone.now() - timedelta(weeks=9))
    make_milestone(stale, baseline_end=date(2026, 3, 1), forecast_end=date(2026, 3, 1))
    fresh = make_project(name="Fresh report", rag_status="amber")
    make_report(fresh, 1, issued_at=timezone.now() - timedelta(days=3))
    client = client_as(advisor)
    assert names_listed(changelist(client, rag_status__exact="red")) == {"Ready"}
    # Readiness is complete only when all items are: "Ready" lacks a valid RACI until raci lands.
    incomplete = names_listed(changelist(client, ready="no"))
    assert {"Stale report", "Fresh report"} <= incomplete
    assert names_listed(changelist(client, report_age="8")) == {"Ready", "Stale report"}
    assert names_listed(changelist(client, report_age="12")) == {"Ready"}
    assert names_listed(changelist(client, report_age="never")) == {"Ready"}
    assert names_listed(changelist(client, report_age="recent")) == {"Fresh report"}
    assert names_listed(changelist(client, next_milestone="slipping")) == {"Ready"}
    assert names_listed(changelist(client, next_milestone="on_time")) == {"Stale report"}
    assert names_listed(changelist(client, next_milestone="none")) == {"Fresh report"}


def test_milestones_outside_the_project_dates_are_a_consistency_problem(advisor, client_as):
    late = make_project(name="Late milestone", start_date=date(2026, 1, 1), end_date=date(2026, 6, 30))
    make_milestone(late, name="After the end", baseline_start=date(2026, 6, 1), baseline_end=date(2026, 7, 31))
    outside_ok = make_project(
        name="Outside dependency",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
        sponsor="Sam Sponsor",
        project_manager="Pat Manager",
        business_objective="Cleaner rivers",
    )
    make_risk(outside_ok)  # with the basics, so "no problems" is true of it (an empty project is one)
    make_milestone(outside_ok, within_project=False, baseline_start=date(2025, 1, 1), baseline_end=date(2025, 2, 1))
    client = client_as(advisor)
    assert names_listed(changelist(client, check="check_milestones")) == {"Late milestone"}
    assert names_listed(changelist(client, check="any")) == {"Late milestone"}
    assert names_listed(changelist(client, check="none")) == {"Outside dependency"}
    page = client.get(reverse("admin:projects_project_change", args=[late.pk])).text
    assert "After the end: 2026-06-01 to 2026-07-31" in page


def test_review_status_filter_counts_projects_without_a_review_as_not_reviewed(advisor, client_as):
    from projects.advisory.models import AdvisoryReview

    make_project(name="Untouched")
    reviewed = make_project(name="Reviewed")
    AdvisoryReview.objects.create(project=reviewed, status=AdvisoryReview.Status.NO_CONCERNS)
    client = client_as(advisor)
    assert names_listed(changelist(client, review="not_reviewed")) == {"Untouched"}
    assert names_listed(changelist(client, review="no_concerns")) == {"Reviewed"}


def _list_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _every_list_url(user):
    for model in admin.site._registry:
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


FILTERS = [
    {},
    {"q": "project"},
    {"ready": "no"},
    {"check": "any"},
    {"report_age": "4"},
    {"overdue": "yes"},
    {"high_risks": "yes"},
    {"o": "7"},
]


def test_every_admin_list_costs_the_same_queries_for_10_and_200_projects(admin_user, advisor, client_as):
    populate(10, "A")
    users = {"superuser": admin_user, "advisor": advisor}
    clients = {who: client_as(user) for who, user in users.items()}
    assert len(list(_every_list_url(advisor))) >= 7  # projects' lists, risks' and others' as they land
    small = {
        (who, url, index): _list_queries(client, url, FILTERS[index])
        for who, client in clients.items()
        for url in _every_list_url(users[who])
        for index in (range(len(FILTERS)) if url == CHANGELIST else [0])
    }
    populate(190, "B")
    for (who, url, index), count in small.items():
        assert _list_queries(clients[who], url, FILTERS[index]) == count, (who, url, FILTERS[index])
    # The project list itself: session, user, permissions, advisory-team membership (admin's
    # read-only rule), count, the page of annotated rows.
    with CaptureQueriesContext(connection) as ctx:
        changelist(clients["advisor"])
    assert len(ctx.captured_queries) <= 9, [q["sql"][:120] for q in ctx.captured_queries]


def test_risk_columns_and_filters_use_each_projects_own_bands(advisor, client_as):
    from risks.models import RiskSettings
    from tests.factories import make_risk

    today = timezone.localdate()
    default_bands = make_project(name="Default bands")
    owner = make_stakeholder(default_bands)
    make_risk(default_bands, likelihood=3, impact=3, owner=owner)  # 9: high on 4x4 defaults
    make_risk(default_bands, likelihood=4, impact=4, owner=owner)  # 16: very high
    make_risk(default_bands, likelihood=2, impact=3, owner=owner, next_review_date=today - timedelta(days=1))
    make_risk(default_bands, likelihood=4, impact=4, status="closed", owner=owner)  # closed: not counted
    strict = make_project(name="Strict bands")
    RiskSettings.objects.create(project=strict, low_max=2, medium_max=3, high_max=5)
    make_risk(strict, likelihood=2, impact=2, mitigating_action="")  # 4: high here, no action nor owner
    client = client_as(advisor)
    rows = {p.name: p for p in changelist(client).context["cl"].result_list}
    assert rows["Default bands"].high_risk_count == 2
    assert rows["Strict bands"].high_risk_count == 1
    assert names_listed(changelist(client, overdue="yes")) == {"Default bands"}
    assert names_listed(changelist(client, high_risks="no")) == set()
    assert names_listed(changelist(client, check="check_risks")) == {"Strict bands"}
    page = client.get(reverse("admin:projects_project_change", args=[strict.pk])).text
    assert "no action and no owner" in page


def test_the_advisor_can_view_risks_but_not_change_them(advisor, client_as):
    from tests.factories import make_risk

    risk = make_risk(make_project())
    client = client_as(advisor)
    assert client.get(reverse("admin:risks_risk_changelist")).status_code == 200
    assert client.get(reverse("admin:risks_risk_change", args=[risk.pk])).status_code == 200
    assert client.get(reverse("admin:risks_risk_delete", args=[risk.pk])).status_code == 403
    assert advisor.has_perm("risks.view_risk") and not advisor.has_perm("risks.change_risk")


def test_the_rag_column_and_filter_know_a_project_not_assessed_yet(advisor, client_as):
    make_project(name="Fresh")
    make_project(name="Judged", rag_status="red")
    response = changelist(client_as(advisor), rag_status__exact="not_assessed")
    assert names_listed(response) == {"Fresh"}
    assert '<span class="rag rag-none">Not assessed</span>' in response.text
    assert "Not assessed" in changelist(client_as(advisor)).text
