"""Issue 17 points 2 and 3: files that used to be imported wrong without a word are read right,
asked about, or refused naming what is wrong (real .xlsx files built with openpyxl)."""

import io

import openpyxl

from projects.importing import Reading, importer_for, split_names
from projects.models import Project
from risks.models import RiskSettings, settings_for
from tests.factories import make_stakeholder

from .conftest import real_world, workbook_bytes


def preview(project, kind, data, reading=None, sheet=None):
    return importer_for(kind, project).preview(data, "file.xlsx", sheet, reading)


def problems(result):
    return [str(p) for p in result.problems]


# Point 2: never silently wrong ----------------------------------------------------------------


def test_a_numbers_only_column_is_not_taken_as_the_event(project):
    data = workbook_bytes(
        (
            "Risks",
            [
                ["Risk ID", "Risk Score", "Hazard", "Likelihood (1-5)", "Impact (1-5)"],
                ["R-1", 12, "Flood", 3, 4],
                ["R-2", 6, "Fire", 2, 3],
            ],
        )
    )
    result = preview(project, "risks", data)
    assert problems(result) == [
        "sheet “Risks”, column B: Event would come from column B (“Risk Score”), which holds only numbers. "
        "Choose the column that holds the event under “How to read this file”."
    ]
    assert result.rows == [] and not result.can_import
    # The person chooses column C (Hazard) for the event: read right.
    chosen = preview(project, "risks", data, Reading(header_row=1, columns={"event": 2}))
    assert chosen.problems == [] and [r.values["event"] for r in chosen.rows] == ["Flood", "Fire"]


def test_a_scale_the_headers_do_not_state_is_asked_not_guessed(project):
    data = workbook_bytes(("Risks", [["Risk", "Likelihood", "Impact"], ["Late", 3, 2], ["Cost", 1, 3]]))
    result = preview(project, "risks", data)
    assert result.questions == [
        "The headers (“Likelihood” and “Impact”) do not say the file's scale, and its values run from 1 to 3: is it "
        "scored 1-3, 1-4, 1-5 or 1-10? Choose the file's scale under “How to read this file” (the rows below are "
        "read as 1-3 until you do)."
    ]
    assert not result.can_import
    # A 1-5 register whose values stay at or below 3: 3 stays 3 of 4 (not 4 of 4 as a 1-3 guess made it).
    five = preview(project, "risks", data, Reading(scale=5))
    assert five.questions == [] and five.can_import
    assert [(r.values["likelihood"], r.values["impact"]) for r in five.rows] == [(3, 2), (1, 3)]
    three = preview(project, "risks", data, Reading(scale=3))
    assert [(r.values["likelihood"], r.values["impact"]) for r in three.rows] == [(4, 3), (1, 4)]


def test_a_scale_in_the_header_is_not_asked(project):
    data = workbook_bytes(("Risks", [["Risk", "Likelihood (1-5)", "Impact (1-5)"], ["Late", 3, 2]]))
    result = preview(project, "risks", data)
    assert result.questions == [] and result.can_import
    assert result.rows[0].values["likelihood"] == 3  # 3 of 5 -> 3 of 4 (rounded half up)


def test_medium_times_medium_lands_in_the_medium_band_on_both_scales(project):
    data = workbook_bytes(
        (
            "Risks",
            [["Risk", "Likelihood", "Impact"], ["A", "Medium", "Medium"], ["B", "Low", "Low"], ["C", "High", "High"]],
        )
    )
    result = preview(project, "risks", data)
    assert result.questions == [] and result.can_import  # words need no scale question
    four = settings_for(project)
    assert four.scale == 4
    assert [four.band_for(r.values["likelihood"] * r.values["impact"]) for r in result.rows] == [
        "medium",
        "low",
        "high",
    ]
    RiskSettings.objects.create(project=project, scale=5, low_max=4, medium_max=9, high_max=14)
    project = Project.objects.get(pk=project.pk)
    five = settings_for(project)
    rows = preview(project, "risks", data).rows
    # On 5x5 no value squared is "high" (10-14): High x High is the nearest band above medium.
    assert [five.band_for(r.values["likelihood"] * r.values["impact"]) for r in rows] == ["medium", "low", "very_high"]


def test_the_person_can_say_what_a_word_scores(project):
    data = workbook_bytes(("Risks", [["Risk", "Likelihood", "Impact"], ["A", "Medium", "High"]]))
    result = preview(project, "risks", data, Reading(words={"medium": 3}))
    assert (result.rows[0].values["likelihood"], result.rows[0].values["impact"]) == (3, 3)
    assert result.value_maps["Likelihood"]["Medium"] == "3 (of 4; as you chose)"


def test_two_row_headers_under_merged_titles_keep_the_residual_columns(project):
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Register"
    ws.append(["Risk", None, "Inherent", None, "Residual", None])
    for cells in ("A1:B1", "C1:D1", "E1:F1"):
        ws.merge_cells(cells)
    ws.append(["ID", "Description", "Likelihood (1-4)", "Impact (1-4)", "Likelihood (1-4)", "Impact (1-4)"])
    ws.append(["R-1", "Supplier fails", 3, 4, 2, 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = preview(project, "risks", buffer.getvalue())
    assert result.problems == [] and result.header_row == 2
    mapping = {c.letter: c.field.name for c in result.columns if c.field}
    assert mapping == {
        "A": "reference",
        "B": "event",
        "C": "likelihood",
        "D": "impact",
        "E": "residual_likelihood",
        "F": "residual_impact",
    }
    values = result.rows[0].values
    assert (values["residual_likelihood"], values["residual_impact"]) == (2, 1)
    assert "The headers are read from rows 1 and 2" in result.notes[0]


def test_a_title_above_the_header_is_not_read_into_it(project):
    data = workbook_bytes(
        ("Risks", [["Risk register 2026"], ["Risk", "Likelihood (1-4)", "Impact (1-4)"], ["A", 1, 2]])
    )
    result = preview(project, "risks", data)
    assert [c.header for c in result.columns] == ["Risk", "Likelihood (1-4)", "Impact (1-4)"]
    assert result.notes == []


def test_people_called_arc_and_cia_keep_their_raci_cells(project):
    data = workbook_bytes(
        (
            "RACI",
            [["Activity", "ARC", "CIA", "Board"], ["Audit plan", "R", "C", "A"], ["Security review", "A", "R", "I"]],
        )
    )
    result = preview(project, "raci", data)
    assert result.problems == []
    assert [r.values["letters"] for r in result.rows] == [
        {"ARC": "R", "CIA": "C", "Board": "A"},
        {"ARC": "A", "CIA": "R", "Board": "I"},
    ]


def test_a_firms_name_with_a_semicolon_is_one_name_and_real_lists_are_split(project):
    assert split_names("Smith; Jones LLP") == ["Smith; Jones LLP"]
    assert split_names("Ann Lee; Bob Ray") == ["Ann Lee", "Bob Ray"]
    assert split_names("Ann\nBob") == ["Ann", "Bob"]
    make_stakeholder(project, name="Brown; Green")
    data = workbook_bytes(
        (
            "Comms",
            [
                ["Audience group", "Audience", "Purpose", "Channel", "Frequency"],
                ["Legal", "Smith; Jones LLP", "Advice", "Email", "Monthly"],
                ["Board", "Ann; Bob", "Update", "Meeting", "Monthly"],
                ["Design", "Brown; Green", "Review", "Meeting", "Monthly"],
            ],
        )
    )
    importer = importer_for("communications", project)
    result = importer.preview(data, "c.xlsx")
    assert [r.values["audience"] for r in result.rows] == [["Smith; Jones LLP"], ["Ann", "Bob"], ["Brown; Green"]]
    assert result.value_maps["Audience (lists)"] == {"Ann; Bob": "2 names: Ann; Bob"}
    importer.apply(result)
    assert set(project.stakeholders.values_list("name", flat=True)) == {
        "Smith; Jones LLP",
        "Ann",
        "Bob",
        "Brown; Green",
    }


def test_a_raci_with_people_as_rows_is_detected_and_read_turned_round(project):
    data = workbook_bytes(
        (
            "RACI",
            [
                ["Person", "Write the tender brief", "Approve the budget", "Evaluate the bids"],
                ["Ann", "R", "A", "C"],
                ["Bob", "A", "R", "I"],
                ["Cy", "C", "I", "A/R"],
            ],
        )
    )
    result = preview(project, "raci", data)
    assert result.transposable and not result.can_import
    assert result.questions[0].startswith("This RACI seems to have people as rows and activities as columns")
    turned = preview(project, "raci", data, Reading(transpose=True))
    assert turned.questions == [] and turned.can_import
    assert [r.values["name"] for r in turned.rows] == [
        "Write the tender brief",
        "Approve the budget",
        "Evaluate the bids",
    ]
    assert turned.rows[2].values["letters"] == {"Ann": "C", "Bob": "I", "Cy": "AR"}
    as_is = preview(project, "raci", data, Reading(transpose=False))
    assert as_is.questions == [] and [r.values["name"] for r in as_is.rows] == ["Ann", "Bob", "Cy"]


def test_a_usual_raci_is_not_taken_for_a_turned_round_one(project):
    for name in ("packt_RACI.xlsx", "kallori_RACI.xlsx", "Alifchow_RACI.xlsx", "Ai-Catalysts_RACI.xlsx"):
        result = preview(project, "raci", real_world(name))
        assert result.questions == [] and not result.transposable, name


# Point 3: refusals say the right thing -----------------------------------------------------------


def raid_log():
    return workbook_bytes(
        (
            "RAID Log",
            [
                ["ID", "Type", "Description", "Likelihood (1-5)", "Impact (1-5)", "Owner"],
                [1, "Risk", "Supplier may go bust", 3, 4, "Ann"],
                [2, "Assumption", "Budget approved in March", None, None, "Bob"],
                [3, "Issue", "Server down", None, None, "Cy"],
                [4, "Dependency", "Needs the new CRM", None, None, "Di"],
                [5, "Risk", "Key staff leave", 2, 3, "Ann"],
            ],
        )
    )


def test_a_raid_log_is_named_and_its_risk_rows_offered_as_a_risk_import(project):
    result = preview(project, "risks", raid_log())
    assert result.problems == [] and result.can_import
    assert [r.values["event"] for r in result.rows] == ["Supplier may go bust", "Key staff leave"]
    assert result.notes[0] == (
        "This is a RAID log (risks, assumptions, issues and dependencies). Its Risk rows are read as a risk import; "
        "left out: 1 assumption, 1 issue, 1 dependency. Issues have their own log: import them on the Issues page."
    )


def test_a_raid_log_imported_as_another_kind_is_named_and_pointed_at_the_risk_import(project):
    for kind, noun in (("stakeholders", "a stakeholder list"), ("issues", "an issue log")):
        result = preview(project, kind, raid_log())
        assert problems(result) == [
            f"This looks like a RAID log (risks, assumptions, issues and dependencies), not {noun}. Import it as a "
            "risk register: its Risk rows (sheet “RAID Log”) become risks, and the other rows are left out."
        ]


def test_a_raid_workbook_with_a_sheet_per_part_reads_its_risks_sheet(project):
    data = workbook_bytes(
        ("Risks", [["Risk", "Likelihood (1-4)", "Impact (1-4)"], ["Late data", 2, 3]]),
        ("Assumptions", [["Assumption", "Owner"], ["Funding holds", "Bob"]]),
        ("Issues", [["Issue", "Owner"], ["Late", "Cy"]]),
        ("Dependencies", [["Dependency", "Owner"], ["CRM", "Di"]]),
    )
    result = preview(project, "risks", data)
    assert result.sheet == "Risks" and [r.values["event"] for r in result.rows] == ["Late data"]
    assert result.notes[0].startswith("This is a RAID log (risks, assumptions, issues and dependencies).")


def test_a_risk_register_with_issue_rows_is_still_refused_at_those_rows(project):
    data = workbook_bytes(
        ("Risks", [["Kind", "Risk", "Likelihood (1-4)", "Impact (1-4)"], ["Risk", "A", 1, 1], ["Issue", "B", 1, 1]])
    )
    result = preview(project, "risks", data)
    assert [p.row for p in result.problems] == [3] and "is an issue, not a risk" in problems(result)[0]


def test_a_one_person_raci_is_a_raci_not_a_stakeholder_list(project):
    data = workbook_bytes(
        ("Sheet1", [["Activity", "Procurement Officer"], ["Write the brief", "R"], ["Approve the budget", "A"]])
    )
    result = preview(project, "raci", data)
    assert result.problems == [] and [r.values["letters"] for r in result.rows] == [
        {"Procurement Officer": "R"},
        {"Procurement Officer": "A"},
    ]
    wrong = preview(project, "stakeholders", data)
    assert problems(wrong) == [
        "This looks like a RACI matrix, not a stakeholder list: sheet “Sheet1” has people columns “Procurement "
        "Officer”, holding R, A, C and I letters. Import it as a RACI matrix instead."
    ]


def test_a_file_missing_one_field_names_it_and_offers_the_column_choice(project):
    data = workbook_bytes(
        ("Risks", [["Risk", "Likelihood (1-4)", "Damage (1-4)", "Owner"], ["Late data", 2, 3, "Ann"]])
    )
    result = preview(project, "risks", data)
    assert problems(result) == [
        "sheet “Risks”: No column is read as Impact, which every row needs: choose the column that holds it under "
        "“How to read this file”, then show the rows again."
    ]
    assert result.sheet == "Risks" and [c.header for c in result.all_columns][:3] == [
        "Risk",
        "Likelihood (1-4)",
        "Damage (1-4)",
    ]
    chosen = preview(project, "risks", data, Reading(header_row=1, columns={"impact": 2}))
    assert chosen.problems == [] and chosen.rows[0].values["impact"] == 3


def test_template_placeholders_are_named_as_such(project):
    template = workbook_bytes(
        ("Stakeholders", [["Name", "Organisation", "Role"], ["[Name of person]", "[Organisation]", "[Role]"]])
    )
    assert problems(preview(project, "stakeholders", template)) == [
        "sheet “Stakeholders”: This is a template that has not been filled in: its rows hold placeholder text such "
        "as “[Name of person]” (text in brackets for someone to replace). Fill in the rows, or delete the "
        "placeholders, and upload the file again."
    ]
    half = workbook_bytes(
        ("Stakeholders", [["Name", "Organisation"], ["Ann Lee", "Council"], ["[Name of person responsible]", "x"]])
    )
    assert problems(preview(project, "stakeholders", half)) == [
        "sheet “Stakeholders”, row 3, column A: “[Name of person responsible]” is a template's placeholder, not a "
        "value: fill in this row or delete it."
    ]
    raci = workbook_bytes(("RACI", [["Activity", "[Role 1]", "Board"], ["Approve", "R", "A"]]))
    assert problems(preview(project, "raci", raci)) == [
        "sheet “RACI”, row 1, column B: The header “[Role 1]” is a template's placeholder, not a person: put the "
        "name of the person or team in its place."
    ]
