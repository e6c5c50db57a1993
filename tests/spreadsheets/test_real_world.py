"""The workbooks people really keep (tests/fixtures/real-world/SOURCES.md) import with the right
rows and values, or are refused with the sheet, row and column named."""

from datetime import date

import pytest

from projects.importing import importer_for
from projects.plan.models import Milestone

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
        "Executive Team",
        "Marketing Team",
        "Sales Team",
        "Dealership",
        "Customers",
        "Regulatory Bodies",
        "Manufacturing Team",
        "Employees",
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
    assert result.value_maps["Status"] == {
        "On Track": "Scheduled",
        "Complete": "Met",
        "Overdue": "Not met",
        "At Risk": "Scheduled",
    }
    assert sorted(result.new_stakeholders) == [
        "James Okafor",
        "Laura Bennett",
        "Priya Sharma",
        "Sarah Mitchell",
        "Tom Davies",
    ]
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
        "Daily": "Weekly",
        "3rd Monday of every month": "Monthly",
        "3rd Monday of first month per quarter": "Quarterly",
        "Every Wednesday": "Weekly",
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


# file -> ({right kind: rows}, what another kind is told the file looks like, on which sheet)
KINDS_OF_FILES = {
    "Ai-Catalysts_RACI.xlsx": ({"raci": 10, "stakeholders": 8}, "a RACI matrix", "RACI"),
    "Alifchow_RACI.xlsx": ({"raci": 95}, "a RACI matrix", "Sheet1"),
    "kallori_RACI.xlsx": ({"raci": 19}, "a RACI matrix", "Sheet1"),
    "packt_RACI.xlsx": ({"raci": 8}, "a RACI matrix", "RACI"),
    "chepkemoi-maureen_Risk_Register.xlsx": ({"risks": 10}, "a risk register", "Sheet1"),
    "faria-grc_Risk_Register.xlsx": ({"risks": 10}, "a risk register", "Sheet1"),
    "kunalpatil3008_Risk_Register.xlsx": ({"risks": 25}, "a risk register", "Risk_Register"),
    "kunalpatil3008_Programme_Milestones.xlsx": ({"milestones": 80}, "a milestone plan", "Programme_Milestones"),
    "packt_Communication_Plan.xlsx": ({"communications": 4}, "a communication plan", "Communication Plan"),
    "packt_Stakeholders.xlsx": ({"stakeholders": 0}, "a stakeholder list", "Stakeholders"),
}
NOUNS = {
    "stakeholders": "a stakeholder list",
    "milestones": "a milestone plan",
    "communications": "a communication plan",
    "risks": "a risk register",
    "raci": "a RACI matrix",
}
WRONG = [(name, kind) for name, (right, _, _) in KINDS_OF_FILES.items() for kind in NOUNS if kind not in right]


@pytest.mark.parametrize(("name", "kind"), WRONG)
def test_a_file_imported_as_the_wrong_kind_is_refused_naming_the_sheet(project, name, kind):
    _, looks_like, sheet = KINDS_OF_FILES[name]
    result = preview(project, kind, name)
    assert not result.can_import and result.rows == []
    [problem] = [str(p) for p in result.problems]
    assert problem.startswith(f"This looks like {looks_like}, not {NOUNS[kind]}: sheet “{sheet}” has ")
    assert f"Import it as {looks_like} instead" in problem


@pytest.mark.parametrize(
    ("name", "kind", "rows"),
    [(name, kind, rows) for name, (right, _, _) in KINDS_OF_FILES.items() for kind, rows in right.items()],
)
def test_a_file_imported_as_its_own_kind_still_gives_every_row(project, name, kind, rows):
    result = preview(project, kind, name)
    assert result.problems == [] and len(result.rows) == rows


def test_the_auditors_wrong_kinds_no_longer_give_stakeholders_or_items(project):
    cases = [
        (
            "stakeholders",
            "kunalpatil3008_Programme_Milestones.xlsx",
            "This looks like a milestone plan, not a stakeholder list: sheet “Programme_Milestones” has columns "
            "“Milestone_Name”, “Planned_Start”, “Planned_End”, “Actual_End” and 4 more. Import it as a milestone plan instead.",
        ),
        (
            "communications",
            "kunalpatil3008_Risk_Register.xlsx",
            "This looks like a risk register, not a communication plan: sheet “Risk_Register” has columns "
            "“Risk_Description”, “Likelihood_1_5”, “Impact_1_5”, “Mitigation_Action” and 6 more. "
            "Import it as a risk register instead.",
        ),
        (
            "milestones",
            "packt_RACI.xlsx",
            "This looks like a RACI matrix, not a milestone plan: sheet “RACI” has people columns “TPM”, “SDM”, “PM-T”, "
            "“Lead SDE” and 2 more, holding R, A, C and I letters. Import it as a RACI matrix instead.",
        ),
    ]
    for kind, name, message in cases:
        assert [str(p) for p in preview(project, kind, name).problems] == [message]
    assert project.stakeholders.count() == 0


def test_a_sheet_that_is_no_kind_at_all_says_what_each_kind_needs(project):
    from .conftest import workbook_bytes

    data = workbook_bytes(("Notes", [["Name", "Age"], ["Dana", 40]]), ("Other", [["Colour"], ["Blue"]]))
    needs = {
        "communications": "at least one of Audience, Purpose or message, Channel or Frequency",
        "stakeholders": "a column for Name and at least one of Organisation, Role or title, Interest, Influence, "
        "Approval criteria, Communication needs or Email",
        "risks": "a column for Event, Likelihood and Impact",
    }
    for kind, words in needs.items():
        [problem] = [str(p) for p in importer_for(kind, project).preview(data, "n.xlsx").problems]
        assert problem == (
            f"No header row in any of the sheets “Notes” or “Other” looks like {NOUNS[kind]}: "
            f"it needs {words} (looked at the first 30 rows)."
        )
    [problem] = importer_for("communications", project).preview(data, "n.xlsx", "Notes").problems
    assert str(problem).startswith("No header row in sheet “Notes” looks like a communication plan: it needs at least")
