"""Issue 17 point 4: work plans as MS Project exports them to Excel, and as people keep them."""

from datetime import date

import pytest

from projects.importing import Reading, importer_for
from projects.plan.xlsx import add_working_days, working_days
from tests.factories import make_stakeholder

from .conftest import workbook_bytes

HEADER = ["ID", "Task Mode", "Name", "Duration", "Start", "Finish", "Predecessors", "Resource Names", "Outline Level"]


def ms_project():
    return workbook_bytes(
        (
            "Task_Table1",
            [
                HEADER,
                [1, "Auto Scheduled", "Tender", "20 days", "Mon 3/1/27", "Fri 3/26/27", "", "Ann Lee", 1],
                [
                    2,
                    "Auto Scheduled",
                    "Write the specification",
                    "5 days",
                    "Mon 3/1/27",
                    "Fri 3/5/27",
                    "",
                    "Ann Lee[50%],Bob",
                    2,
                ],
                [3, "Auto Scheduled", "Publish the tender", "1 day", "Mon 3/8/27", "Mon 3/8/27", "2fs", "Bob", 2],
                [4, "Auto Scheduled", "Evaluate bids", "2 wks", "Tue 3/9/27", "", "3FS+2d", "Lee", 2],
                [5, "Auto Scheduled", "Award", "0 days", "Mon 3/22/27", "Mon 3/22/27", "4SS,3", "Ann", 1],
            ],
        )
    )


def test_an_ms_project_export_is_read_with_its_outline_predecessors_dates_and_resources(project):
    make_stakeholder(project, name="Ann Lee")
    importer = importer_for("milestones", project)
    result = importer.preview(ms_project(), "plan.xlsx")
    assert result.problems == [] and result.questions == [] and result.can_import
    rows = {r.values["name"]: r.values for r in result.rows}
    assert list(rows) == [
        "Tender",
        "Tender › Write the specification",
        "Tender › Publish the tender",
        "Tender › Evaluate bids",
        "Award",
    ]
    # Weekdays settle the order: Monday 1 March 2027 (3 January 2027 is a Sunday).
    assert rows["Tender"]["baseline_start"] == date(2027, 3, 1)
    assert "Dates written as numbers are read month first" in " ".join(result.notes)
    # "2 wks" from Tuesday 9 March with no finish: ten working days, ending Monday 22 March.
    assert rows["Tender › Evaluate bids"]["baseline_end"] == date(2027, 3, 22)
    assert rows["Tender › Publish the tender"]["depends_on"] == ["Tender › Write the specification"]
    assert rows["Award"]["depends_on"] == ["Tender › Evaluate bids", "Tender › Publish the tender"]
    assert [str(w) for w in result.warnings] == [
        "sheet “Task_Table1”, row 5, column G: “Tender › Evaluate bids” follows “Tender › Publish the tender” with a "
        "lag of +2d in the file (3FS+2d); the plan records only that it depends on it.",
        "sheet “Task_Table1”, row 6, column G: “Award” follows “Tender › Evaluate bids” start-to-start in the file "
        "(4SS); the plan records only that it depends on it.",
    ]
    # Resources: the first is the owner; "Lee" and "Ann" are the one stakeholder Ann Lee.
    assert [r.values["owner"] for r in result.rows] == ["Ann Lee", "Ann Lee", "Bob", "Ann Lee", "Ann Lee"]
    assert result.new_stakeholders == ["Bob"]
    importer.apply(result)
    award = project.milestones.get(name="Award")
    assert set(award.depends_on.values_list("name", flat=True)) == {
        "Tender › Evaluate bids",
        "Tender › Publish the tender",
    }
    assert award.owner.name == "Ann Lee" and project.stakeholders.count() == 2
    assert project.milestones.get(name="Tender › Evaluate bids").baseline_end == date(2027, 3, 22)


def test_dates_that_read_both_ways_are_asked_then_read_in_the_order_chosen(project):
    data = workbook_bytes(
        (
            "Plan",
            [
                ["ID", "Name", "Start", "Finish", "Predecessors"],
                [1, "Kick off", "3/1/27", "4/1/27", ""],
                [2, "Design", "5/2/27", "6/2/27", "1"],
            ],
        )
    )
    result = importer_for("milestones", project).preview(data, "p.xlsx")
    assert result.dates_ambiguous and not result.can_import
    assert result.questions[0].startswith("Dates are written as numbers that read both ways")
    month_first = importer_for("milestones", project).preview(data, "p.xlsx", None, Reading(date_order="mdy"))
    assert month_first.can_import
    assert [r.values["baseline_start"] for r in month_first.rows] == [date(2027, 3, 1), date(2027, 5, 2)]
    assert month_first.rows[1].values["depends_on"] == ["Kick off"]
    day_first = importer_for("milestones", project).preview(data, "p.xlsx", None, Reading(date_order="dmy"))
    assert [r.values["baseline_start"] for r in day_first.rows] == [date(2027, 1, 3), date(2027, 2, 5)]


def test_a_weekday_alone_settles_the_order(project):
    data = workbook_bytes(("Plan", [["Name", "Start", "Finish"], ["Kick off", "Mon 3/1/27", "Fri 3/5/27"]]))
    result = importer_for("milestones", project).preview(data, "p.xlsx")
    assert result.questions == []
    assert (result.rows[0].values["baseline_start"], result.rows[0].values["baseline_end"]) == (
        date(2027, 3, 1),
        date(2027, 3, 5),
    )


def test_a_day_over_twelve_settles_the_order_without_asking(project):
    data = workbook_bytes(("Plan", [["Name", "Start", "Finish"], ["Kick off", "3/1/27", "25/1/27"]]))
    result = importer_for("milestones", project).preview(data, "p.xlsx")
    assert result.questions == [] and result.rows[0].values["baseline_end"] == date(2027, 1, 25)


def test_a_weekday_that_does_not_fit_the_chosen_order_is_named(project):
    data = workbook_bytes(("Plan", [["Name", "Start"], ["Kick off", "Mon 3/1/27"]]))
    result = importer_for("milestones", project).preview(data, "p.xlsx", None, Reading(date_order="dmy"))
    assert [str(p) for p in result.problems] == [
        "sheet “Plan”, row 2, column B: Start “Mon 3/1/27” says Mon, but 3 January 2027 is a Sunday: check the date order"
    ]


def test_indented_names_are_kept_as_a_hierarchy_prefix(project):
    data = workbook_bytes(
        (
            "Plan",
            [
                ["Task Name", "Start", "Finish"],
                ["Phase 1", "2027-03-01", "2027-03-10"],
                ["    Survey", "2027-03-01", "2027-03-03"],
                ["    Report", "2027-03-04", "2027-03-10"],
                ["        Draft", "2027-03-04", "2027-03-05"],
                ["Phase 2", "2027-03-11", "2027-03-20"],
            ],
        )
    )
    result = importer_for("milestones", project).preview(data, "p.xlsx")
    assert [r.values["name"] for r in result.rows] == [
        "Phase 1",
        "Phase 1 › Survey",
        "Phase 1 › Report",
        "Phase 1 › Report › Draft",
        "Phase 2",
    ]


def test_a_predecessor_id_not_in_the_file_is_refused_at_its_row(project):
    data = workbook_bytes(("Plan", [["ID", "Name", "Predecessors"], [1, "Kick off", ""], [2, "Design", "7FS"]]))
    result = importer_for("milestones", project).preview(data, "p.xlsx")
    assert [str(p) for p in result.problems] == [
        "sheet “Plan”, row 3, column C: depends on task 7, which is not in the file."
    ]


def test_names_with_commas_stay_whole_as_dependencies(project):
    data = workbook_bytes(
        ("Plan", [["Milestone", "Depends on"], ["Design, build and test", ""], ["Go live", "Design, build and test"]])
    )
    result = importer_for("milestones", project).preview(data, "p.xlsx")
    assert result.problems == [] and result.rows[1].values["depends_on"] == ["Design, build and test"]


@pytest.mark.parametrize(
    "text, days",
    [("5 days", 5), ("1 day", 1), ("0 days", 0), ("2 wks", 10), ("3 days?", 3), ("1w", 5), ("16 hrs", 2), (4, 4)],
)
def test_durations(text, days):
    assert working_days(text) == days


def test_working_days_skip_the_weekend():
    assert add_working_days(date(2027, 3, 5), 1) == date(2027, 3, 8)  # Friday + 1 -> Monday
