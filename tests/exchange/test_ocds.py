"""The OCDS 1.1 planning release validates against the 1.1.5 release schema, offline."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from jsonschema import Draft4Validator

from projects.exchange import ocds
from tests.factories import make_milestone, make_stakeholder


def validate(release):
    schema = ocds.release_schema()
    Draft4Validator.check_schema(schema)
    # $refs in the release schema are all local ("#/definitions/..."); nothing is fetched.
    errors = sorted(Draft4Validator(schema).iter_errors(release), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


def bucks(project):
    project.business_objective = "Best value through planned procurement."
    project.problem_or_opportunity = "Fragmented buying across the county."
    project.budget_allocated, project.budget_revised, project.currency = Decimal("150000"), Decimal("175000.50"), "GBP"
    project.save()
    make_stakeholder(project, name="Chris", kind="buyer", organisation="Buckinghamshire County Council")
    make_stakeholder(project, name="Priya", kind="procurement", organisation="Bucks Procurement Hub")
    make_milestone(project, name="Business case approved", kind="approval", status="met", actual_end=date(2026, 2, 27))
    make_milestone(project, name="Market day", kind="engagement", status="scheduled", forecast_end=date(2026, 4, 9))
    make_milestone(project, name="Something else", kind="other", status="not_met")


def test_the_release_is_valid_ocds_with_planning_tag_parties_budget_and_typed_milestones(project, member_client):
    bucks(project)
    response = member_client.get(reverse("exchange:ocds", args=[project.slug]))
    assert response["Content-Type"] == "application/json"
    release = json.loads(response.content)
    validate(release)
    assert release["tag"] == ["planning"]
    assert [(p["name"], p["roles"]) for p in release["parties"]] == [
        ("Buckinghamshire County Council", ["buyer"]),
        ("Bucks Procurement Hub", ["procuringEntity"]),
    ]
    assert release["buyer"]["id"] == release["parties"][0]["id"]
    planning = release["planning"]
    assert planning["budget"]["amount"] == {"amount": 175000.5, "currency": "GBP"}
    assert "Fragmented buying" in planning["rationale"] and "Best value" in planning["rationale"]
    assert [(m["title"], m.get("type"), m["status"]) for m in planning["milestones"]] == [
        ("Business case approved", "approval", "met"),
        ("Market day", "engagement", "scheduled"),
        ("Something else", None, "notMet"),
    ]
    assert planning["milestones"][0]["dateMet"] == "2026-02-27T00:00:00Z"
    assert planning["milestones"][1]["dueDate"] == "2026-04-09T00:00:00Z"
    types = ocds.codes("milestoneType.csv")
    assert all(m["type"] in types for m in planning["milestones"] if "type" in m)
    documents = {d["documentType"] for d in planning["documents"]}
    assert "procurementPlan" in documents and documents <= ocds.codes("documentType.csv")
    assert all(d["url"].startswith("http://testserver/") for d in planning["documents"] if "url" in d)


def test_a_bare_project_is_still_valid_with_one_party_holding_both_roles(project):
    release = ocds.project_release(project, base_url="https://mobilise.example.org")
    validate(release)
    assert release["parties"] == [
        {"id": release["buyer"]["id"], "name": project.name, "roles": ["buyer", "procuringEntity"]}
    ]


@pytest.mark.parametrize("milestones", [3, 30])
def test_the_ocds_export_query_count_does_not_grow(project, member_client, milestones, django_assert_max_num_queries):
    for _ in range(milestones):
        make_milestone(project)
    # session, user, project, membership, stakeholders, milestones, reports
    with django_assert_max_num_queries(8):
        member_client.get(reverse("exchange:ocds", args=[project.slug]))
