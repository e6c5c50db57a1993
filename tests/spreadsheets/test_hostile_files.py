"""Hostile or broken files get a clear message: never a traceback, a partial save or a hang."""

import io
import time
import zipfile

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from mobilise.spreadsheets import SpreadsheetError, read_workbook
from mobilise.spreadsheets.opening import MAX_ROWS
from mobilise.spreadsheets.values import clean_text
from projects.importing import importer_for

from .conftest import workbook_bytes

GOOD = workbook_bytes(("People", [["Name", "Organisation"], ["Dana", "Council"]]))


def refusal(data, filename="upload.xlsx"):
    with pytest.raises(SpreadsheetError) as caught:
        read_workbook(data, filename)
    return str(caught.value)


def replace_member(data, name, content):
    """The same workbook with one zip member replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, content if item.filename == name else source.read(item.filename))
    return out.getvalue()


def test_openpyxl_parses_xml_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_a_file_that_is_not_a_zip_is_refused():
    assert "not an .xlsx workbook" in refusal(b"\x00\x01\x02 this is not a workbook at all")


def test_a_csv_renamed_xlsx_is_called_a_csv():
    assert "CSV" in refusal(b"name,organisation\nDana,Council\n")


def test_an_old_xls_or_encrypted_workbook_is_recognised_by_its_ole_header():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000
    message = refusal(ole)
    assert ".xls" in message and "password" in message


def test_an_empty_file_is_refused():
    assert refusal(b"") == "The file is empty."


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "not an Excel workbook" in refusal(out.getvalue())


def test_a_macro_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target, zipfile.ZipFile(io.BytesIO(GOOD)) as source:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00" * 100)
    assert "macros" in refusal(out.getvalue())
    assert "macros" in refusal(GOOD, "budget.xlsm")


def test_a_zip_bomb_is_refused_from_its_directory_without_inflating_it():
    bomb = replace_member(GOOD, "xl/worksheets/sheet1.xml", b"<a>" + b"0" * (60 * 1024 * 1024) + b"</a>")
    assert len(bomb) < 1024 * 1024
    start = time.perf_counter()
    assert "unpacks to 60 MB" in refusal(bomb)
    assert time.perf_counter() - start < 2


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


def test_a_billion_laughs_sheet_is_refused():
    data = replace_member(GOOD, "xl/worksheets/sheet1.xml", BILLION_LAUGHS.encode())
    assert "entity" in refusal(data).lower()


def test_defusedxml_stops_entities_our_quick_scan_does_not_see():
    # A long comment pushes the DTD past the bytes we scan; defusedxml still refuses it.
    padded = BILLION_LAUGHS.replace('<?xml version="1.0"?>', '<?xml version="1.0"?><!--' + "x" * 6000 + "-->")
    data = replace_member(GOOD, "xl/worksheets/sheet1.xml", padded.encode())
    start = time.perf_counter()
    assert "could not be read (EntitiesForbidden)" in refusal(data)
    assert time.perf_counter() - start < 2


def sheet_xml(rows_xml, dimension="A1:B2"):
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>'
    ).encode()


ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1" t="inlineStr"><is><t>Organisation</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>Dana</t></is></c><c r="B2" t="inlineStr"><is><t>Council</t></is></c></row>'
)


def test_a_small_sheet_declaring_a_million_rows_is_read_by_its_real_rows(project):
    data = replace_member(GOOD, "xl/worksheets/sheet1.xml", sheet_xml(ROWS, "A1:XFD1048576"))
    assert len(data) < 5 * 1024
    start = time.perf_counter()
    result = importer_for("stakeholders", project).preview(data, "big.xlsx")
    assert time.perf_counter() - start < 2
    assert [r.values["name"] for r in result.rows] == ["Dana"]


def test_data_beyond_the_row_limit_is_refused_naming_the_row():
    far = ROWS + '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>far away</t></is></c></row>'
    data = replace_member(GOOD, "xl/worksheets/sheet1.xml", sheet_xml(far))
    with pytest.raises(SpreadsheetError) as caught:
        read_workbook(data)
    assert caught.value.row == 1048576
    assert f"the limit is {MAX_ROWS:,} rows" in str(caught.value)


def blank_styled_rows(count, width=1):
    """Rows 3 onwards each holding `width` styled blank cells ending in column XFD."""
    first = 16_384 - width + 1
    return "".join(
        f'<row r="{n}">' + "".join(f'<c r="{get_column_letter(c)}{n}" s="0"/>' for c in range(first, 16_385)) + "</row>"
        for n in range(3, count + 3)
    )


def test_blank_styled_cells_out_to_column_xfd_are_read_as_stored_and_stop_below_the_row_limit(project, monkeypatch):
    from openpyxl.worksheet._reader import WorkSheetParser

    from mobilise.spreadsheets.opening import BLANK_ROWS_PAST_LIMIT

    data = replace_member(GOOD, "xl/worksheets/sheet1.xml", sheet_xml(ROWS + blank_styled_rows(60_000)))
    assert len(data) < 400 * 1024
    visited = []
    parse_row = WorkSheetParser.parse_row

    def counting(parser, row):
        visited.append(len(row))
        return parse_row(parser, row)

    monkeypatch.setattr(WorkSheetParser, "parse_row", counting)
    result = importer_for("stakeholders", project).preview(data, "styled.xlsx")
    assert result.problems == [] and [r.values["name"] for r in result.rows] == ["Dana"]
    # Reading stops a little below the row limit instead of walking all 60,002 stored rows.
    assert len(visited) == MAX_ROWS + 1 + BLANK_ROWS_PAST_LIMIT + 1


def test_reading_work_is_bounded_by_the_cells_the_file_stores(monkeypatch):
    from mobilise.spreadsheets import opening

    monkeypatch.setattr(opening, "MAX_CELLS_VISITED", 20_000)
    xml = sheet_xml(ROWS + blank_styled_rows(4, width=16_384))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target, zipfile.ZipFile(io.BytesIO(GOOD)) as source:
        for item in source.infolist():  # stored, not deflated: this is about work, not compression
            target.writestr(item.filename, xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item))
    with pytest.raises(SpreadsheetError) as caught:
        read_workbook(out.getvalue())
    assert str(caught.value) == (
        "The workbook stores more than 400,000 rows or 20,000 cells, counting formatted empty ones (reached on sheet "
        "“People”, row 4). Copy just the table into a new workbook and try again."
    )


def test_data_beyond_the_column_limit_is_refused_naming_the_column():
    wide = ROWS + '<row r="3"><c r="XFD3" t="inlineStr"><is><t>far right</t></is></c></row>'
    data = replace_member(GOOD, "xl/worksheets/sheet1.xml", sheet_xml(wide))
    with pytest.raises(SpreadsheetError) as caught:
        read_workbook(data)
    assert (caught.value.row, caught.value.column) == (3, "XFD")


def test_formulas_are_never_evaluated_and_without_a_saved_value_are_called_formulas(project):
    data = workbook_bytes(
        ("People", [["Name", "Organisation"], ["=1+2", "Council"], ["='[budget.xlsx]Sheet1'!A1", "x"], [None, "Parks"]])
    )
    result = importer_for("stakeholders", project).preview(data, "f.xlsx")
    saved_without = (
        "Name is a formula saved without its value (formulas are never worked out here): "
        "open the file in Excel, save it, and import it again."
    )
    assert [str(p) for p in result.problems] == [
        f"sheet “People”, row 2, column A: {saved_without}",
        f"sheet “People”, row 3, column A: {saved_without}",
        "sheet “People”, row 4, column A: Name is empty.",
    ]


def test_a_formula_without_a_saved_value_in_an_optional_column_is_imported_blank_with_a_warning(project):
    data = workbook_bytes(
        (
            "Risks",
            [
                ["Risk", "Likelihood", "Impact", "Owner"],
                ["Late", 2, 3, "=B2&C2"],
                ["Cost", 1, 1, "Dana"],
                ["Scope", 2, 2, "=B4"],
            ],
        )
    )
    result = importer_for("risks", project).preview(data, "r.xlsx")
    assert result.problems == []
    assert [r.values["owner"] for r in result.rows] == ["", "Dana", ""]
    assert [str(w) for w in result.warnings] == [
        "sheet “Risks”, column D: Owner in rows 2, 4: a formula saved without its value, imported as blank "
        "(formulas are never worked out here). To keep the values, open the file in Excel, save it, and import it again."
    ]


def test_a_formula_with_a_cached_value_gives_the_value():
    rows = ROWS.replace('<c r="B2" t="inlineStr"><is><t>Council</t></is></c>', '<c r="B2"><f>40+2</f><v>42</v></c>')
    data = replace_member(GOOD, "xl/worksheets/sheet1.xml", sheet_xml(rows))
    assert read_workbook(data)[0].rows[1] == ("Dana", 42)


def test_merged_title_and_hidden_columns_do_not_hide_the_header(project):
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(["Stakeholder register 2026"])
    ws.merge_cells("A1:C1")
    ws.append(["Name", "Role", "Influence"])
    ws.append(["Dana", "Approver", "High"])
    ws.column_dimensions["B"].hidden = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = importer_for("stakeholders", project).preview(buffer.getvalue(), "m.xlsx")
    assert result.header_row == 2
    assert result.rows[0].values == {"name": "Dana", "role_title": "Approver", "influence": "high"}


def test_a_very_long_cell_is_refused_naming_row_and_column_and_nothing_is_saved(project):
    data = workbook_bytes(("People", [["Name", "Approval criteria"], ["Dana", "ok"], ["Eli", "x" * 20_000]]))
    importer = importer_for("stakeholders", project)
    result = importer.preview(data, "long.xlsx")
    assert [str(p) for p in result.problems] == [
        "sheet “People”, row 3, column B: Approval criteria is 20,000 characters long; the limit is 2,000"
    ]
    with pytest.raises(SpreadsheetError):
        importer.apply(result)
    assert project.stakeholders.count() == 0


def test_control_characters_in_cells_are_stripped(project):
    rows = ROWS.replace("<t>Dana</t>", "<t>Da_x000B_na_x0007_</t>")
    data = replace_member(GOOD, "xl/worksheets/sheet1.xml", sheet_xml(rows))
    result = importer_for("stakeholders", project).preview(data, "c.xlsx")
    assert result.rows[0].values["name"] == "Dana"


def test_external_links_are_neither_followed_nor_kept(project):
    from openpyxl.packaging.relationship import Relationship
    from openpyxl.workbook.external_link.external import ExternalBook, ExternalLink

    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "People"
    ws.append(["Name", "Organisation"])
    ws.append(["Dana", "=[1]Sheet1!A1"])
    link = ExternalLink(externalBook=ExternalBook(id="rId1"))
    link.file_link = Relationship(
        type="externalLinkPath", Target="file:///C:/secret/budget.xlsx", TargetMode="External"
    )
    workbook._external_links.append(link)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "xl/externalLinks/externalLink1.xml" in zipfile.ZipFile(buffer).namelist()
    result = importer_for("stakeholders", project).preview(buffer.getvalue(), "linked.xlsx")
    assert result.problems == []
    assert result.rows[0].values == {"name": "Dana", "organisation": ""}  # the linked value is never fetched


def test_many_full_sheets_are_refused_by_the_total_row_limit(monkeypatch):
    from mobilise.spreadsheets import opening

    monkeypatch.setattr(opening, "MAX_ROWS_TOTAL", 5)
    data = workbook_bytes(("One", [["Name"], ["a"], ["b"]]), ("Two", [["Name"], ["c"], ["d"]]))
    assert "more than 5 rows across its sheets (reached on sheet “Two”)" in refusal(data)


def test_cell_text_is_stored_with_newline_line_endings():
    assert clean_text("one\r\ntwo\rthree\x0b") == "one\ntwo\nthree"
