"""Milestone imports keep the plan form's dependency rules: nothing waits for itself, no loops."""

import pytest

from mobilise.spreadsheets import SpreadsheetError
from projects.importing import importer_for
from tests.factories import make_milestone

from .conftest import workbook_bytes


def plan(*rows):
    return workbook_bytes(("Plan", [["Milestone", "End", "Depends on"], *rows]))


def test_two_milestones_waiting_for_each_other_are_refused_naming_the_row(project):
    importer = importer_for("milestones", project)
    result = importer.preview(plan(["Design", "2026-03-01", "Build"], ["Build", "2026-04-01", "Design"]), "p.xlsx")
    assert [str(p) for p in result.problems] == [
        "sheet “Plan”, row 2, column C: that would make a loop: “Build” → “Design” (each waits for the next to "
        "finish), so “Design” cannot also wait for “Build”. Remove one of these dependencies."
    ]
    with pytest.raises(SpreadsheetError):
        importer.apply(result)
    assert project.milestones.count() == 0


def test_a_milestone_that_depends_on_itself_is_refused(project):
    result = importer_for("milestones", project).preview(plan(["Design", "2026-03-01", "design"]), "p.xlsx")
    assert [str(p) for p in result.problems] == ["sheet “Plan”, row 2, column C: “Design” cannot depend on itself."]


def test_a_loop_closed_through_the_plan_already_saved_is_refused(project):
    design = make_milestone(project, name="Design")
    build = make_milestone(project, name="Build")
    test = make_milestone(project, name="Test")
    build.depends_on.set([design])
    test.depends_on.set([build])
    result = importer_for("milestones", project).preview(plan(["Design", "2026-03-01", "Test"]), "p.xlsx")
    assert [str(p) for p in result.problems] == [
        "sheet “Plan”, row 2, column C: that would make a loop: “Test” → “Build” → “Design” (each waits for the "
        "next to finish), so “Design” cannot also wait for “Test”. Remove one of these dependencies."
    ]


def test_a_file_that_rewires_the_saved_plan_without_a_loop_imports(project):
    design = make_milestone(project, name="Design")
    build = make_milestone(project, name="Build")
    build.depends_on.set([design])
    importer = importer_for("milestones", project)
    # Build no longer waits for Design in the file, so Design may now wait for Build.
    result = importer.preview(plan(["Build", "2026-03-01", None], ["Design", "2026-04-01", "Build"]), "p.xlsx")
    assert result.problems == []
    importer.apply(result)
    design.refresh_from_db()
    assert [m.name for m in design.depends_on.all()] == ["Build"]
    assert not build.depends_on.exists()
