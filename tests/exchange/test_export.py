"""Exports: styled, frozen, validated, dates as dates, and no user text ever becomes a formula."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from mobilise.spreadsheets import ColumnSpec, SheetSpec, write_workbook
from projects.exchange.export import export_project
from projects.importing import importer_for
from tests.factories import make_communication, make_issue, make_milestone, make_project, make_stakeholder

HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1", "-1", "@SUM(1)", "\tleading tab", " =padded"]


def load(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_text_that_looks_like_a_formula_is_written_as_text():
    data = write_workbook([SheetSpec("T", [ColumnSpec("Text")], [[t] for t in HOSTILE])])
    ws = load(data)["T"]
    cells = [ws.cell(row=i + 2, column=1) for i in range(len(HOSTILE))]
    assert [c.value for c in cells] == HOSTILE
    assert {c.data_type for c in cells} == {"s"}  # "f" would be a formula
    assert all(c.quotePrefix for c in cells)
    with zipfile_text(data, "xl/worksheets/sheet1.xml") as xml:
        assert "<f>" not in xml


class zipfile_text:
    def __init__(self, data, name):
        import zipfile

        self.text = zipfile.ZipFile(io.BytesIO(data)).read(name).decode()

    def __enter__(self):
        return self.text

    def __exit__(self, *exc):
        return False


def test_control_characters_are_stripped_and_long_text_is_cut_with_a_note():
    data = write_workbook([SheetSpec("T", [ColumnSpec("Text")], [["Pasted\x0bfrom\x1fWord"], ["y" * 40_000]])])
    ws = load(data)["T"]
    assert ws["A2"].value == "PastedfromWord"
    assert len(ws["A3"].value) == 32_767
    assert "Cut at 32,767 characters" in ws["A3"].comment.text


def test_the_whole_project_workbook_has_styled_frozen_validated_sheets(project):
    make_stakeholder(project, name="Dana", kind="approver", interest="high")
    make_milestone(project, name="Board approval", baseline_start=date(2026, 2, 1), baseline_end=date(2026, 3, 1))
    make_communication(project, audience_group="Board")
    workbook = load(export_project(project))
    assert workbook.sheetnames[:3] == ["Stakeholders", "Milestones", "Communications"]
    people = workbook["Stakeholders"]
    assert people.freeze_panes == "A2"
    assert people["A1"].font.bold and people["A1"].fill.fgColor.rgb.endswith("1F4E79")
    assert people.column_dimensions["A"].width == 28
    assert any(v.formula1.startswith('"Low,Medium,High') for v in people.data_validations.dataValidation)
    plan = workbook["Milestones"]
    assert plan["E2"].value.date() == date(2026, 2, 1) and plan["E2"].is_date


def test_the_whole_project_workbook_imports_back_to_the_same_data(project):
    dana = make_stakeholder(
        project,
        name="Dana Approver",
        organisation="Council",
        kind="approver",
        interest="high",
        influence="low",
        approval_criteria="=costed case",
        email="dana@example.org",
    )
    eli = make_stakeholder(project, name="Eli", kind="sme")
    first = make_milestone(
        project,
        name="Business case",
        kind="approval",
        owner=dana,
        status="met",
        actual_end=date(2026, 3, 2),
        notes="+1 from the board",
    )
    second = make_milestone(
        project,
        name="Market day",
        kind="engagement",
        within_project=False,
        baseline_start=date(2026, 4, 1),
        baseline_end=date(2026, 4, 1),
        forecast_end=date(2026, 4, 8),
    )
    second.depends_on.add(first)
    item = make_communication(
        project,
        audience_group="Board",
        purpose="@monthly update",
        channel="report",
        frequency="quarterly",
        owner=eli,
        next_date=date(2026, 5, 5),
    )
    item.audience.add(dana, eli)

    data = export_project(project)
    copy = make_project(slug="copy")
    for kind in ("stakeholders", "milestones", "communications"):
        importer = importer_for(kind, copy)
        result = importer.preview(data, "export.xlsx")
        assert result.problems == [], kind
        importer.apply(result)

    assert snapshot(copy) == snapshot(project)


def snapshot(project):
    people = [
        (
            s.name,
            s.organisation,
            s.role_title,
            s.kind,
            s.interest,
            s.influence,
            s.approval_criteria,
            s.communication_needs,
            s.email,
        )
        for s in project.stakeholders.order_by("name")
    ]
    plan = [
        (
            m.name,
            m.kind,
            m.within_project,
            m.owner and m.owner.name,
            m.baseline_start,
            m.baseline_end,
            m.forecast_end,
            m.actual_end,
            m.status,
            m.notes,
            sorted(d.name for d in m.depends_on.all()),
        )
        for m in project.milestones.order_by("name")
    ]
    comms = [
        (
            c.audience_group,
            sorted(a.name for a in c.audience.all()),
            c.purpose,
            c.channel,
            c.frequency,
            c.owner and c.owner.name,
            c.next_date,
        )
        for c in project.communications.order_by("audience_group")
    ]
    return people, plan, comms


def test_importing_the_same_workbook_twice_updates_instead_of_duplicating(project):
    make_stakeholder(project, name="Dana", organisation="Old")
    data = write_workbook(
        [
            SheetSpec(
                "Stakeholders", [ColumnSpec("Name"), ColumnSpec("Organisation")], [["Dana", "New"], ["Eli", "Council"]]
            )
        ]
    )
    importer = importer_for("stakeholders", project)
    result = importer.preview(data, "s.xlsx")
    assert [(r.values["name"], r.action) for r in result.rows] == [("Dana", "update"), ("Eli", "create")]
    importer.apply(result)
    dana = project.stakeholders.get(name="Dana")
    assert (dana.organisation, dana.version) == ("New", 2)
    assert project.stakeholders.count() == 2


def fill(project, n):
    people = [make_stakeholder(project) for _ in range(n)]
    for i in range(n):
        m = make_milestone(project, owner=people[i])
        m.depends_on.add(*project.milestones.exclude(pk=m.pk)[:1])
        c = make_communication(project, owner=people[i])
        c.audience.add(people[i])
        make_issue(project, owner=people[i])


@pytest.mark.parametrize("rows", [3, 30])
def test_the_project_export_query_count_does_not_grow_with_rows(
    project, member_client, rows, django_assert_max_num_queries
):
    fill(project, rows)
    # session, user, project, membership; stakeholders; milestones + owners, depends_on;
    # communications + owners, audience; risks, issues + owners and RACI when those areas exist
    with django_assert_max_num_queries(15):
        response = member_client.get(reverse("exchange:export-xlsx", args=[project.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load(response.content)["Milestones"].max_row == rows + 1
