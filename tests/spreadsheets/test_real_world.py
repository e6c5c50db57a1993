"""The workbooks people really keep (tests/fixtures/real-world/SOURCES.md) import with the right
rows and values, or are refused with the sheet, row and column named."""

from datetime import date

import pytest

from mobilise.spreadsheets import importer_for
from projects.models import Milestone

from .conftest import real_world


def preview(project, kind, name, sheet=None):
    return importer_for(kind, project).preview(real_world(name), name, sheet)


def test_a_header_only_stakeholder_sheet_says_there_are_no_rows(project):
    result = preview(project, "stakeholders", "packt_Stakeholders.xlsx")
    assert result.sheet == "Stakeholders"
    assert result.rows == [] and result.problems == []
    assert result.notes == ["There are no rows to import: the table has a header and no data."]
    assert not result.can_import


def test_the_stakeholder_register_is_found_on_a_later_sheet_below_a_title(project):
    result = preview(project, "stakeholders", "Ai-Catalysts_RACI.xlsx")
    assert (result.sheet, result.header_row) == ("Register", 3)
    assert [r.values["name"] for r in result.rows] == [
        "Executive Team", "Marketing Team", "Sales Team", "Dealership", "Customers", "Regulatory Bodies",
        "Manufacturing Team", "Employees",
    ]
    customers = result.rows[4].values
    assert (customers["interest"], customers["influence"]) == ("high", "medium")  # "Low-Moderate"
    assert customers["approval_criteria"] == "Quality product, transparent information"
    assert result.value_maps["Influence"]["Low-Moderate"] == "Medium"
    importer_for("stakeholders", project).apply(result)
    assert project.stakeholders.count() == 8
    assert project.stakeholders.get(name="Employees").get_influence_display() == "Low"


def test_programme_milestones_import_with_dates_statuses_and_owners(project):
    importer = importer_for("milestones", project)
    result = importer.preview(real_world("kunalpatil3008_Programme_Milestones.xlsx"), "m.xlsx")
    assert result.problems == []
    assert len(result.rows) == 80
    mapping = {c.header: c.field.name for c in result.columns if c.field}
    assert mapping["Milestone_Name"] == "name"
    assert mapping["Planned_Start"] == "baseline_start" and mapping["Planned_End"] == "baseline_end"
    assert mapping["Actual_End"] == "actual_end" and "Actual_Start" not in mapping
    assert result.value_maps["Status"] == {"On Track": "Scheduled", "Complete": "Met", "Overdue": "Not met", "At Risk": "Scheduled"}
    assert sorted(result.new_stakeholders) == ["James Okafor", "Laura Bennett", "Priya Sharma", "Sarah Mitchell", "Tom Davies"]
    importer.apply(result)
    assert project.milestones.count() == 80
    first = project.milestones.get(name="Site Survey Complete", baseline_start=date(2026, 5, 11))
    assert (first.baseline_end, first.status, first.owner.name) == (date(2026, 6, 29), "scheduled", "Sarah Mitchell")
    done = Milestone.objects.get(project=project, name="Design Approved")
    assert (done.status, done.actual_end) == ("met", date(2026, 4, 14))
    assert project.stakeholders.count() == 5


def test_the_communication_plan_maps_recurrence_and_distribution_words(project):
    importer = importer_for("communications", project)
    result = importer.preview(real_world("packt_Communication_Plan.xlsx"), "c.xlsx")
    assert result.problems == [] and len(result.rows) == 4
    assert result.value_maps["Frequency"] == {
        "Daily": "Weekly", "3rd Monday of every month": "Monthly",
        "3rd Monday of first month per quarter": "Quarterly", "Every Wednesday": "Weekly",
    }
    assert result.value_maps["Channel"] == {"Sprint Board": "Other", "Meeting and Email": "Meeting", "Email": "Email"}
    importer.apply(result)
    review = project.communications.get(audience_group="Leadership Review")
    assert review.purpose.startswith("Leadership-level program status")
    assert (review.frequency, review.channel, review.owner.name) == ("monthly", "meeting", "TPM Lead")


def test_a_row_the_database_refuses_undoes_the_whole_import(project, monkeypatch):
    from django.db import IntegrityError

    from mobilise.spreadsheets import SpreadsheetError

    importer = importer_for("milestones", project)
    result = importer.preview(real_world("kunalpatil3008_Programme_Milestones.xlsx"), "m.xlsx")
    original = Milestone.save

    def failing_save(self, *args, **kwargs):
        if self.name == "Pressure Testing":  # row 8, after seven milestones and their owners were saved
            raise IntegrityError("CHECK constraint failed: milestone_end_not_before_start")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Milestone, "save", failing_save)
    with pytest.raises(SpreadsheetError, match=r"nothing was saved \(CHECK constraint failed"):
        importer.apply(result)
    assert project.milestones.count() == 0 and project.stakeholders.count() == 0


def test_a_visible_sheet_wins_over_a_hidden_one_and_serial_numbers_are_dates(project):
    from .conftest import workbook_bytes

    data = workbook_bytes(
        ("Old plan", [["Milestone", "Start", "End"], ["Stale", "2020-01-01", "2020-02-01"]]),
        ("Plan", [["Milestone", "Start", "End"], ["Go live", 46023, "15/03/2026"]]),
        hidden=("Old plan",),
    )
    result = importer_for("milestones", project).preview(data, "p.xlsx")
    assert result.sheet == "Plan"
    assert result.rows[0].values["baseline_start"] == date(2026, 1, 1)
    assert result.rows[0].values["baseline_end"] == date(2026, 3, 15)
    assert result.value_maps["Start"] == {"46023": "2026-01-01"}
