"""import_xlsx and export_xlsx on the command line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_milestone, make_project, make_stakeholder
from tests.spreadsheets.conftest import REAL_WORLD, workbook_bytes


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_dry_run_prints_sheet_mapping_values_and_row_count_and_saves_nothing(project):
    out = run(
        "import_xlsx", project.slug, "communications", str(REAL_WORLD / "packt_Communication_Plan.xlsx"), "--dry-run"
    )
    assert "Sheet: Communication Plan (header in row 1;" in out
    assert "  C: Recurrence -> Frequency" in out
    assert "Frequency: Daily -> Weekly; 3rd Monday of every month -> Monthly" in out
    assert "Rows: 4 (4 to add, 0 to update)" in out
    assert "Dry run: nothing was saved." in out
    assert project.communications.count() == 0


def test_an_import_saves_every_row(project):
    out = run(
        "import_xlsx", project.slug, "stakeholders", str(REAL_WORLD / "Ai-Catalysts_RACI.xlsx"), "--sheet", "Register"
    )
    assert "Imported 8 new and 0 updated stakeholders" in out
    assert project.stakeholders.count() == 8


def test_bad_input_fails_with_a_one_line_reason(project, tmp_path):
    csv = tmp_path / "list.xlsx"
    csv.write_bytes(b"a,b\n1,2\n")
    cases = [
        (("nope", "stakeholders", str(csv)), "No project has the slug “nope”."),
        ((project.slug, "stakeholders", str(tmp_path / "missing.xlsx")), "Cannot read"),
        ((project.slug, "stakeholders", str(csv)), "This file is a CSV or text file"),
        ((project.slug, "stakeholders", str(REAL_WORLD / "packt_Stakeholders.xlsx")), "No rows to import"),
        (
            (project.slug, "stakeholders", str(REAL_WORLD / "packt_RACI.xlsx"), "--sheet", "Nope"),
            "There is no sheet called “Nope”",
        ),
    ]
    for args, message in cases:
        with pytest.raises(CommandError) as caught:
            run("import_xlsx", *args)
        assert message in str(caught.value), args
        assert "\n" not in str(caught.value)


def test_row_problems_stop_the_whole_import(project, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook_bytes(("Plan", [["Milestone", "End"], ["Go live", "2026-05-01"], ["Review", "soon"]])))
    with pytest.raises(CommandError, match="sheet “Plan”, row 3, column B: End “soon” is not a date"):
        run("import_xlsx", project.slug, "milestones", str(path))
    assert project.milestones.count() == 0


def test_export_then_import_round_trips_on_the_command_line(project, tmp_path):
    owner = make_stakeholder(project, name="Dana")
    make_milestone(project, name="=cmd|' /C calc'!A0", owner=owner)
    path = tmp_path / "project.xlsx"
    assert "Wrote" in run("export_xlsx", project.slug, str(path))
    copy = make_project(slug="copy")
    run("import_xlsx", "copy", "stakeholders", str(path))
    run("import_xlsx", "copy", "milestones", str(path))
    assert copy.milestones.get().name == "=cmd|' /C calc'!A0"
    assert copy.milestones.get().owner.name == "Dana"


def run_manage(*args, **env):
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    environ = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, str(manage), *args], capture_output=True, text=True, timeout=60, env={**environ, **env}
    )


def test_manage_py_prints_no_traceback_on_bad_input(tmp_path):
    bad = tmp_path / "missing.xlsx"  # checked before the database is touched
    result = run_manage("import_xlsx", "no-such", "risks", str(bad))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "Cannot read" in result.stderr


def test_a_database_that_cannot_be_reached_is_one_line_too(tmp_path):
    result = run_manage(
        "export_xlsx",
        "bucks-procurement",
        str(tmp_path / "out.xlsx"),
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/no_such_database_here",
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "The database failed" in result.stderr and "no_such_database_here" in result.stderr
    assert not (tmp_path / "out.xlsx").exists()


def run_failing(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=out, stderr=err)
    return str(caught.value), err.getvalue()


def test_a_single_problem_is_printed_once_and_ends_with_one_full_stop(project, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook_bytes(("Plan", [["Milestone", "End"], [None, "2026-05-01"], ["Go live", "2026-06-01"]])))
    reason, err = run_failing("import_xlsx", project.slug, "milestones", str(path), "--dry-run")
    assert reason == "sheet “Plan”, row 2, column A: Milestone is empty. Nothing was imported."
    assert "Milestone is empty" not in err


def test_many_problems_are_listed_and_summed_up_without_a_double_full_stop(project, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook_bytes(("Plan", [["Milestone", "End"], [None, "2026-05-01"], [None, "2026-06-01"]])))
    reason, err = run_failing("import_xlsx", project.slug, "milestones", str(path), "--dry-run")
    assert reason == "2 problems, the first: sheet “Plan”, row 2, column A: Milestone is empty. Nothing was imported."
    assert err.splitlines() == [
        "  sheet “Plan”, row 2, column A: Milestone is empty.",
        "  sheet “Plan”, row 3, column A: Milestone is empty.",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_scale_the_headers_do_not_state_is_asked_on_the_command_line_too(project):
    path = str(REAL_WORLD / "chepkemoi-maureen_Risk_Register.xlsx")
    with pytest.raises(CommandError) as refused:
        run("import_xlsx", project.slug, "risks", path)
    assert "do not say the file's scale" in str(refused.value)
    assert str(refused.value).endswith("Give --scale 3|4|5|10. Nothing was imported.")
    assert project.risks.count() == 0
    out = run("import_xlsx", project.slug, "risks", path, "--scale", "5")
    assert "Imported 10 new and 0 updated risks" in out
    weak = project.risks.get(event__startswith="Weak passwords")
    assert (weak.likelihood, weak.impact) == (3, 3)
