"""The "Issues" sheet: exported with the project, imported on the issue log's page; a risk
register row whose kind says "issue" is refused, naming the issue log."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from projects.exchange.export import export_project
from projects.importing import importer_for
from risks.models import Issue
from tests.factories import make_issue, make_project, make_risk, make_stakeholder
from tests.spreadsheets.conftest import workbook_bytes

pytestmark = pytest.mark.django_db


def test_the_project_workbook_has_an_issues_sheet_that_imports_back_the_same_log(project):
    dana = make_stakeholder(project, name="Dana")
    make_risk(project, event="A risk stays a risk")
    make_issue(
        project,
        title="Wrong sensors",
        issue_type="off_specification",
        priority="high",
        severity="Pilot cannot start",
        description="Delivered model B",
        raised_on=date(2026, 2, 1),
        raised_by="Site lead",
        owner=dana,
        action="Replace them",
    )
    make_issue(project, title="Done", status="closed", raised_on=date(2026, 1, 1), closed_on=date(2026, 3, 1))
    data = export_project(project)
    workbook = openpyxl.load_workbook(BytesIO(data))
    assert workbook.sheetnames.index("Issues") == workbook.sheetnames.index("Risks") + 1
    assert [c.value for c in workbook["Issues"][1]][:4] == ["Reference", "Title", "Type", "Priority"]
    assert [c.value for c in workbook["Risks"][1]][:2] == ["Reference", "Event"]  # no "Kind" column any more

    copy = make_project(slug="copy")
    for kind in ("stakeholders", "issues"):
        importer = importer_for(kind, copy)
        result = importer.preview(data, "export.xlsx")
        assert result.problems == [], (kind, [str(p) for p in result.problems])
        importer.apply(result)

    def log(p):
        return list(
            p.issues.order_by("number").values_list(
                "number",
                "title",
                "issue_type",
                "priority",
                "severity",
                "description",
                "raised_on",
                "raised_by",
                "owner__name",
                "action",
                "status",
                "closed_on",
            )
        )

    assert log(copy) == log(project)
    assert not copy.risks.exists()


def test_our_reference_updates_an_issue_and_a_closed_date_without_status_closes_it(project):
    issue = make_issue(project, title="Old wording", raised_on=date(2026, 1, 1))
    data = workbook_bytes(
        (
            "Issues",
            [
                ["Reference", "Title", "Priority", "Date closed"],
                [issue.reference, "New wording", "Urgent", None],
                ["ISS-4", "Another", "low", date(2026, 3, 2)],
            ],
        )
    )
    importer = importer_for("issues", project)
    result = importer.preview(data, "i.xlsx")
    assert result.problems == [], [str(p) for p in result.problems]
    assert [r.action for r in result.rows] == ["update", "create"]
    importer.apply(result)
    issue.refresh_from_db()
    assert (issue.title, issue.priority, issue.version) == ("New wording", "high", 2)
    another = project.issues.get(title="Another")
    assert (another.reference, another.status, another.closed_on) == ("I2", "closed", date(2026, 3, 2))


def test_a_closed_issue_without_its_date_is_refused_by_row_and_nothing_is_saved(project):
    data = workbook_bytes(
        ("Issues", [["Title", "Priority", "Status"], ["Fine", "low", "open"], ["No date", "high", "resolved"]])
    )
    importer = importer_for("issues", project)
    result = importer.preview(data, "i.xlsx")
    assert [str(p) for p in result.problems] == ["sheet “Issues”, row 3: Give the date the issue was closed."]
    assert not result.can_import and not Issue.objects.exists()


def test_a_risk_register_row_of_kind_issue_is_refused_naming_the_issue_log(project):
    data = workbook_bytes(
        (
            "Risks",
            [
                ["Reference", "Kind", "Event", "Likelihood", "Impact"],
                ["R1", "Risk", "Late", 2, 3],
                ["R2", "Issue", "Supplier went bust", 4, 4],
            ],
        )
    )
    result = importer_for("risks", project).preview(data, "old-export.xlsx")
    assert [str(p) for p in result.problems] == [
        "sheet “Risks”, row 3, column B: Supplier went bust is an issue, not a risk: issues have their own log now. "
        "Move the row to the Issues sheet and import it on the Issues page (Import from Excel), or delete the row here."
    ]
    assert not result.can_import and not project.risks.exists()


def test_the_issue_log_page_offers_export_and_import(member_client, project):
    make_issue(project, title="Listed")
    page = member_client.get(reverse("risks:issues", args=[project.slug])).text
    assert reverse("exchange:issues-xlsx", args=[project.slug]) in page
    assert reverse("exchange:import", args=[project.slug, "issues"]) in page
    response = member_client.get(reverse("exchange:issues-xlsx", args=[project.slug]))
    sheet = openpyxl.load_workbook(BytesIO(response.content))["Issues"]
    assert sheet["A2"].value == "I1" and sheet["B2"].value == "Listed"
