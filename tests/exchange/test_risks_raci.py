"""Risk registers and RACI charts as people keep them, and the project workbook round trip."""

from datetime import date

import pytest
from django.urls import reverse

from projects.exchange.export import export_project
from projects.importing import Reading, importer_for
from raci.models import Assignment
from risks.models import Risk, RiskSettings
from tests.factories import make_activity, make_assignment, make_project, make_risk, make_stakeholder
from tests.spreadsheets.conftest import real_world, workbook_bytes


def imported(project, kind, name, **kwargs):
    importer = importer_for(kind, project)
    result = importer.preview(real_world(name), name, kwargs.get("sheet"), kwargs.get("reading"))
    assert result.problems == [], [str(p) for p in result.problems]
    importer.apply(result)
    return result


def test_a_five_point_register_is_mapped_onto_the_projects_four_point_scale(project):
    result = imported(project, "risks", "kunalpatil3008_Risk_Register.xlsx")
    assert len(result.rows) == 25
    assert result.value_maps["Likelihood"]["4"] == "3 (of 4; file scale 1-5)"
    assert result.value_maps["Impact"]["5"] == "4 (of 4; file scale 1-5)"
    first = project.risks.get(event__startswith="Incomplete asset records")
    assert (first.likelihood, first.impact, first.score) == (3, 4, 12)
    assert (first.category, first.owner.name, first.date_raised) == ("technical", "Sarah Mitchell", date(2024, 10, 30))
    assert first.next_review_date == date(2025, 1, 22)
    assert first.number == 1 and project.risks.count() == 25


def test_on_a_five_point_project_the_same_register_keeps_its_numbers(project):
    RiskSettings.objects.create(project=project, scale=5, low_max=4, medium_max=9, high_max=14)
    imported(project, "risks", "kunalpatil3008_Risk_Register.xlsx")
    first = project.risks.get(event__startswith="Incomplete asset records")
    assert (first.likelihood, first.impact, first.score) == (4, 5, 20)


def test_words_and_a_misspelt_header_are_understood(project):
    result = imported(project, "risks", "faria-grc_Risk_Register.xlsx")
    mapping = {c.header: c.field.name for c in result.columns if c.field}
    assert mapping["Likelhood"] == "likelihood" and mapping["Risk Description"] == "event"
    assert result.value_maps["Likelihood"]["Likely"] == "3 (of 4; the project's word)"
    assert result.value_maps["Impact"]["Critical"] == "4 (of 4; Low/Medium/High words)"
    assert result.value_maps["Impact"]["Medium"] == "2 (of 4; Low/Medium/High words)"
    assert project.risks.count() == 10
    sql = project.risks.get(event="SQL injection causing data breach")
    assert (sql.likelihood, sql.impact, sql.status, sql.mitigating_action) == (
        3,
        3,
        "closed",
        "Input validation,ORM, WAF.",
    )


def test_a_one_to_three_register_with_text_dates(project):
    asked = importer_for("risks", project).preview(real_world("chepkemoi-maureen_Risk_Register.xlsx"), "c.xlsx")
    assert asked.questions and "do not say the file's scale" in asked.questions[0] and not asked.can_import
    result = imported(project, "risks", "chepkemoi-maureen_Risk_Register.xlsx", reading=Reading(scale=3))
    assert len(result.rows) == 10
    risk = project.risks.get(event__startswith="Weak passwords")
    assert (risk.likelihood, risk.impact, risk.next_review_date) == (4, 4, date(2025, 1, 30))
    assert (risk.cause, risk.owner.name) == ("External attacker", "IT Lead")
    assert risk.mitigating_action == "Implement MFA + enforce strong password policy"


def test_values_that_cannot_be_mapped_are_refused_by_row_and_nothing_is_saved(project):
    data = workbook_bytes(
        ("Risks", [["Risk", "Likelihood", "Impact"], ["Late", 2, 3], ["Cost", "sometimes", 9], ["Scope", 0, 1]])
    )
    importer = importer_for("risks", project)
    result = importer.preview(data, "r.xlsx", reading=Reading(scale=5))
    assert [str(p) for p in result.problems] == [
        "sheet “Risks”, row 3, column B: Likelihood “sometimes” is not a likelihood we can map onto 1-4",
        "sheet “Risks”, row 3, column C: Impact 9 is outside the file's 1-5 scale",
        "sheet “Risks”, row 4, column B: Likelihood 0 is outside the file's 1-5 scale",
    ]
    assert not result.can_import and project.risks.count() == 0


def test_our_own_reference_updates_the_risk_and_other_ids_create_new_ones(project):
    risk = make_risk(project, event="Old wording")
    data = workbook_bytes(
        (
            "Risks",
            [
                ["Reference", "Event", "Likelihood (1-4)", "Impact (1-4)"],
                [f"R{risk.number}", "New wording", 2, 2],
                ["RSK-9", "Another", 1, 1],
            ],
        )
    )
    importer = importer_for("risks", project)
    result = importer.preview(data, "r.xlsx")
    assert [(r.action, r.values["event"]) for r in result.rows] == [("update", "New wording"), ("create", "Another")]
    importer.apply(result)
    risk.refresh_from_db()
    assert (risk.event, risk.version) == ("New wording", 2)
    assert project.risks.get(event="Another").number == risk.number + 1


def test_a_raci_chart_with_a_step_id_column(project):
    result = imported(project, "raci", "packt_RACI.xlsx")
    assert [c.header for c in result.columns if c.field and c.field.type == "letters"] == [
        "TPM",
        "SDM",
        "PM-T",
        "Lead SDE",
        "SDE",
        "Business",
    ]
    assert project.raci_activities.count() == 8
    cells = dict(
        Assignment.objects.filter(activity__name="Leadership Review").values_list("stakeholder__name", "letters")
    )
    assert cells == {"TPM": "R", "SDM": "C", "PM-T": "A", "Lead SDE": "C", "SDE": "I", "Business": "I"}


def test_a_german_chart_with_combined_letters_and_n_for_none(project):
    result = imported(project, "raci", "Alifchow_RACI.xlsx")
    assert result.columns[0].header == "Aufgabe / Prozess" and result.columns[0].field.name == "name"
    assert len(result.rows) == 95
    assert result.notes == ["Skipped rows 97, 98: a legend or rows without an activity or letters."]
    assert result.value_maps["Letters"]["R (A)"] == "AR" and result.value_maps["Letters"]["N"] == "(none)"
    assert project.raci_activities.count() == 95 and project.stakeholders.count() == 20
    product = dict(
        Assignment.objects.filter(activity__name="Product Design").values_list("stakeholder__name", "letters")
    )
    assert product == {
        "Fahim": "A",
        "Alif": "CI",
        "Raphi": "I",
        "Nilas": "I",
        "Salman / Mufle": "R",
        "Support/Pavel": "I",
    }


def test_numbered_activities_lose_their_numbers_and_two_as_are_flagged(project):
    result = imported(project, "raci", "kallori_RACI.xlsx")
    names = list(project.raci_activities.values_list("name", flat=True))
    assert len(names) == 19 and names[0] == "Project Planning & Requirements Gathering"
    assert (
        "sheet “Sheet1”, row 4: “Risk Assessment” has 2 people accountable (Product Manager, Project Manager); "
        "a RACI row should have exactly one A." in [str(w) for w in result.warnings]
    )
    assert result.notes == ["Skipped rows 23, 24, 25, 26: a legend or rows without an activity or letters."]


def test_a_title_row_blank_cells_and_a_legend_beside_the_matrix(project):
    result = imported(project, "raci", "Ai-Catalysts_RACI.xlsx")
    assert (result.sheet, result.header_row, len(result.rows)) == ("RACI", 3, 10)
    assert project.stakeholders.count() == 6  # the legend's letters are no one
    complaints = dict(
        Assignment.objects.filter(activity__name="Address Customer Complaints").values_list(
            "stakeholder__name", "letters"
        )
    )
    assert complaints == {
        "Marketing Team": "I",
        "Manufacturing Team": "I",
        "Sales Team": "C",
        "Dealerships": "R",
        "Regulatory Bodies": "I",
    }


def test_risks_and_raci_round_trip_through_the_project_workbook(project):
    dana, eli = make_stakeholder(project, name="Dana"), make_stakeholder(project, name="Eli")
    make_risk(
        project,
        event="=SUM(1) supplier collapse",
        cause="Thin market",
        effect="Delay",
        category="commercial",
        likelihood=3,
        impact=4,
        residual_likelihood=1,
        residual_impact=2,
        owner=dana,
        status="occurred",
        next_review_date=date(2026, 6, 1),
        date_raised=date(2026, 1, 5),
    )
    make_risk(project, event="Budget cut", likelihood=1, impact=1)
    plan = make_activity(project, name="Agree the plan")
    make_assignment(plan, dana, "AR")
    make_assignment(plan, eli, "C")
    make_activity(project, name="Brief the board")

    data = export_project(project)
    copy = make_project(slug="copy")
    for kind in ("stakeholders", "risks", "raci"):
        imported_result = importer_for(kind, copy).preview(data, "export.xlsx")
        assert imported_result.problems == [], kind
        importer_for(kind, copy).apply(imported_result)

    def risks(p):
        return [
            (
                r.number,
                r.event,
                r.cause,
                r.effect,
                r.category,
                r.likelihood,
                r.impact,
                r.residual_likelihood,
                r.residual_impact,
                r.owner and r.owner.name,
                r.status,
                r.next_review_date,
                r.date_raised,
                r.mitigating_action,
            )
            for r in p.risks.order_by("number")
        ]

    def raci(p):
        return sorted(
            Assignment.objects.filter(activity__project=p).values_list("activity__name", "stakeholder__name", "letters")
        )

    assert risks(copy) == risks(project)
    assert raci(copy) == raci(project)
    assert list(copy.raci_activities.values_list("name", flat=True)) == ["Agree the plan", "Brief the board"]


def test_risk_and_raci_downloads_have_validations_for_scores_and_letters(project, member_client):
    import io

    import openpyxl

    dana = make_stakeholder(project, name="Dana")
    make_assignment(make_activity(project), dana, "AR")
    make_risk(project)
    risks = openpyxl.load_workbook(
        io.BytesIO(member_client.get(reverse("exchange:risks-xlsx", args=[project.slug])).content)
    )
    rules = {(v.type, v.formula1, v.formula2) for v in risks["Risks"].data_validations.dataValidation}
    assert ("whole", "1", "4") in rules and ("whole", "1", "16") in rules
    raci = openpyxl.load_workbook(
        io.BytesIO(member_client.get(reverse("exchange:raci-xlsx", args=[project.slug])).content)
    )
    assert raci["RACI"]["B2"].value == "A/R"
    assert any(v.type == "list" and "A/R" in v.formula1 for v in raci["RACI"].data_validations.dataValidation)


@pytest.mark.parametrize("rows", [3, 30])
def test_risk_and_raci_exports_use_a_fixed_number_of_queries(
    project, member_client, rows, django_assert_max_num_queries
):
    people = [make_stakeholder(project) for _ in range(3)]
    for i in range(rows):
        make_risk(project, owner=people[i % 3])
        make_assignment(make_activity(project), people[i % 3], "A")
    # session, user, project, membership, risk settings, risks + owners
    with django_assert_max_num_queries(7):
        assert member_client.get(reverse("exchange:risks-xlsx", args=[project.slug])).status_code == 200
    # session, user, project, membership, activities, stakeholders, cells
    with django_assert_max_num_queries(7):
        assert member_client.get(reverse("exchange:raci-xlsx", args=[project.slug])).status_code == 200
    assert Risk.objects.count() == rows


def test_duplicate_ids_are_flagged_and_leading_zero_ids_kept_as_text(project):
    data = workbook_bytes(
        ("Risks", [["ID", "Risk", "Likelihood (1-4)", "Impact (1-4)"], ["007", "Late", 2, 3], ["007", "Cost", 1, 1]])
    )
    result = importer_for("risks", project).preview(data, "r.xlsx")
    assert [r.values["reference"] for r in result.rows] == ["007", "007"]
    assert [str(w) for w in result.warnings] == [
        "sheet “Risks”, row 3: Reference “007” appears again (first in row 2); this row is added as a separate record."
    ]
    assert result.can_import


def test_a_raci_chart_whose_activity_header_is_blank(project):
    data = workbook_bytes(
        (
            "Matrix",
            [
                ["Who does what"],
                [None, "Board", "Officer", None, "Key"],
                ["Approve budget", "A", "R", None, "R = Responsible"],
                ["Write specification", "I", "A/R", None, "A = Accountable"],
            ],
        )
    )
    result = importer_for("raci", project).preview(data, "blank.xlsx")
    assert (result.header_row, result.columns[0].field.name) == (2, "name")
    assert [(r.values["name"], r.values["letters"]) for r in result.rows] == [
        ("Approve budget", {"Board": "A", "Officer": "R"}),
        ("Write specification", {"Board": "I", "Officer": "AR"}),
    ]


def test_two_columns_naming_the_same_person_are_refused_in_the_preview(project):
    from mobilise.spreadsheets import SpreadsheetError

    data = workbook_bytes(
        (
            "RACI",
            [
                ["Activity", "Bob", "Carol", "bob "],
                ["Approve budget", "A", "R", "I"],
                ["Write specification", "R", "A", None],
            ],
        )
    )
    importer = importer_for("raci", project)
    result = importer.preview(data, "dup.xlsx")
    assert [str(p) for p in result.problems] == [
        "sheet “RACI”, row 1, column D: Columns B (“Bob”) and D (“bob”) name the same person. "
        "Merge them into one column or rename one, then upload the file again."
    ]
    assert not result.can_import
    with pytest.raises(SpreadsheetError):
        importer.apply(result)
    assert project.raci_activities.count() == 0 and project.stakeholders.count() == 0
