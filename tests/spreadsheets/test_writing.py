"""set_text: the one formula-escape rule, for the cells of any workbook the app writes."""

import io

import openpyxl

from mobilise.spreadsheets.writing import set_text

HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1", "-1", "@SUM(1)", "\tleading tab", " =padded", "\nline"]


def test_an_ordinary_workbooks_cells_keep_formula_looking_text_as_text():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    cut = [set_text(sheet.cell(row=i, column=1), text) for i, text in enumerate(HOSTILE, start=1)]
    assert set_text(sheet.cell(row=len(HOSTILE) + 1, column=1), "Pasted\x0bfrom Word " + "y" * 40_000)
    buffer = io.BytesIO()
    workbook.save(buffer)

    read = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = [read.cell(row=i, column=1) for i in range(1, len(HOSTILE) + 1)]
    assert cut == [False] * len(HOSTILE)
    assert [c.value for c in cells] == HOSTILE
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.quotePrefix for c in cells)
    long = read.cell(row=len(HOSTILE) + 1, column=1).value
    assert long.startswith("Pastedfrom Word") and len(long) == 32_767


def test_plain_text_gets_no_quote_prefix():
    cell = openpyxl.Workbook().active["A1"]
    set_text(cell, "Supplier delay")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("Supplier delay", "s", False)
