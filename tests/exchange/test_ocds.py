"""The OCDS 1.1 planning release package validates against the shipped 1.1.5 schemas, with
jsonschema and with libcoveocds (the library behind the OCDS Data Review Tool), offline."""

import io
import json
import socket
import tempfile
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from jsonschema import Draft4Validator
from referencing import Registry, Resource

from projects.demo import load_demo
from projects.exchange import ocds
from projects.models import Project
from tests.factories import make_milestone, make_stakeholder

RELEASE_SCHEMA_URI = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


def validate(release):
    schema = ocds.release_schema()
    Draft4Validator.check_schema(schema)
    # $refs in the release schema are all local ("#/definitions/..."); nothing is fetched.
    errors = sorted(Draft4Validator(schema).iter_errors(release), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


def validate_package(package):
    schema = json.loads((ocds.STANDARD / "release-package-schema.json").read_text())
    # The package schema's one $ref names the release schema by its address: served from the shipped copy.
    registry = Registry().with_resource(RELEASE_SCHEMA_URI, Resource.from_contents(ocds.release_schema()))
    errors = sorted(Draft4Validator(schema, registry=registry).iter_errors(package), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []
    for release in package["releases"]:
        validate(release)


def empties(value, path=""):
    """Paths of every empty string, array, object or null in the data."""
    found = []
    if value in (None, "", [], {}):
        found.append(path)
    elif isinstance(value, dict):
        for key, item in value.items():
            found += empties(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += empties(item, f"{path}/{index}")
    return found


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
    package = json.loads(response.content)
    validate_package(package)
    (release,) = package["releases"]
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
    assert all(d["url"].startswith("http://testserver/") for d in planning["documents"])
    assert empties(package) == []


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
    # session, user, project, membership, stakeholders, milestones, reports, and the newest
    # history row of the project, its stakeholders, milestones and reports (the release date)
    with django_assert_max_num_queries(12):
        member_client.get(reverse("exchange:ocds", args=[project.slug]))


def test_the_bare_release_is_at_its_own_address(project, member_client):
    bucks(project)
    release = member_client.get(reverse("exchange:ocds-release", args=[project.slug])).json()
    package = member_client.get(reverse("exchange:ocds", args=[project.slug])).json()
    validate(release)
    assert release == package["releases"][0]


def test_release_id_and_date_stay_while_nothing_changes_and_move_with_any_change(project, member_client):
    bucks(project)
    url = reverse("exchange:ocds-release", args=[project.slug])

    def seen():
        release = member_client.get(url).json()
        return release["id"], release["date"]

    first = seen()
    assert seen() == first  # reading again changes nothing
    ids, dates = {first[0]}, [first[1]]
    milestone = project.milestones.get(name="Market day")
    changes = [
        ("a milestone's date", lambda: setattr(milestone, "forecast_end", date(2026, 5, 1)) or milestone.save()),
        ("a party's name", lambda: _rename_buyer(project)),
        ("a milestone removed", lambda: milestone.delete()),
        ("the project's budget", lambda: _change_budget(project)),
    ]
    for what, change in changes:
        change()
        release_id, release_date = seen()
        assert release_id not in ids and release_date > dates[-1], what
        ids.add(release_id)
        dates.append(release_date)
    # A save that changes no value keeps the release's id (its date may move to the save).
    project.stakeholders.get(kind="buyer").save()
    assert seen()[0] == release_id


def _rename_buyer(project):
    buyer = project.stakeholders.get(kind="buyer")
    buyer.organisation = "Buckinghamshire Council"
    buyer.save()


def _change_budget(project):
    project.refresh_from_db()
    project.budget_revised = Decimal("180000")
    project.save()


def test_ocid_prefix_party_scheme_and_publisher_come_from_settings(project, member_client, settings):
    settings.OCDS_PREFIX = "ocds-abc123"
    settings.OCDS_PARTY_SCHEME = "GB-LAE"
    settings.OCDS_PUBLISHER_NAME = "Buckinghamshire Council"
    bucks(project)
    package = member_client.get(reverse("exchange:ocds", args=[project.slug])).json()
    validate_package(package)
    (release,) = package["releases"]
    assert release["ocid"] == f"ocds-abc123-{project.slug}"
    assert release["publisher"] == {"legalName": "Buckinghamshire Council"}
    council = release["parties"][0]
    assert council["identifier"] == {
        "scheme": "GB-LAE",
        "id": "buckinghamshire-county-council",
        "legalName": "Buckinghamshire County Council",
    }
    assert council["id"] == "GB-LAE-buckinghamshire-county-council" == release["buyer"]["id"]


def test_a_bare_project_leaves_out_every_empty_field(project):
    project.business_objective = project.problem_or_opportunity = project.desired_outcome = ""
    project.save()
    package = ocds.release_package(project, base_url="https://mobilise.example.org")
    validate_package(package)
    assert empties(package) == []
    planning = package["releases"][0]["planning"]
    assert "milestones" not in planning and "rationale" not in planning


@pytest.mark.django_db(transaction=True)
def test_every_document_points_to_a_page_a_member_reading_the_release_can_open(client_as):
    load_demo()
    viewer = get_user_model().objects.create_user("viewer-only", password="x")
    project = Project.objects.get(slug="bucks-procurement")
    project.memberships.create(user=viewer, role="viewer")
    client = client_as(viewer)
    package = client.get(reverse("exchange:ocds", args=[project.slug])).json()
    documents = package["releases"][0]["planning"]["documents"]
    assert {d["documentType"] for d in documents} == {
        "projectPlan",
        "needsAssessment",
        "procurementPlan",
        "physicalProgressReport",
    }
    for document in documents:
        response = client.get(document["url"].removeprefix("http://testserver"))
        assert response.status_code == 200, document["url"]
        assert response["Content-Type"] == document["format"], document["url"]


def standard_zip() -> bytes:
    """The shipped 1.1.5 schema folder as the zip of the standard's repository that libcoveocds
    (through ocdsextensionregistry's ProfileBuilder) reads instead of downloading GitHub's."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("standard/", "")
        for path in sorted(ocds.STANDARD.rglob("*")):
            if path.is_file() and path.suffix in (".json", ".csv"):
                archive.write(path, f"standard/schema/{path.relative_to(ocds.STANDARD)}")
        # libcoveocds registers this schema for record packages' $refs; a release package never
        # refers to it, and it is not shipped, so an empty draft-4 schema stands in.
        archive.writestr(
            "standard/schema/versioned-release-validation-schema.json",
            json.dumps({"$schema": "http://json-schema.org/draft-04/schema#"}),
        )
    return buffer.getvalue()


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("The network is off for this test.")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.django_db(transaction=True)
def test_libcoveocds_offline_finds_no_error_or_warning_in_the_demo_package(no_network):
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    load_demo()
    project = Project.objects.get(slug="bucks-procurement")
    package = ocds.release_package(project, base_url="https://mobilise.example.org")
    config = LibCoveOCDSConfig({"standard_zip": standard_zip(), "context": "api"})
    with tempfile.TemporaryDirectory() as output:
        result = ocds_json_output(output, json_data=package, schema_version="1.1", lib_cove_ocds_config=config)
    assert result["version_used"] == "1.1"
    assert result["validation_errors"] == []
    assert result["additional_fields"] == [] and result["all_additional_fields"] == []
    assert result["additional_closed_codelist_values"] == {} and result["additional_open_codelist_values"] == {}
    assert dict(result["additional_checks"]) == {}
    # The one deprecation the data cannot avoid: 1.1.5 deprecates initiationType and still requires it.
    assert [d["field"] for d in result["deprecated_fields"]] == ["initiationType"]
    assert "initiationType" in ocds.release_schema()["required"]
    assert result["count"] == 1 and result["unique_ocids_count"] == 1
