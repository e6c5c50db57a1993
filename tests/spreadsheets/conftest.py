import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

REAL_WORLD = Path(__file__).resolve().parent.parent / "fixtures" / "real-world"


def real_world(name) -> bytes:
    """A workbook from tests/fixtures/real-world/ (see its SOURCES.md)."""
    return (REAL_WORLD / name).read_bytes()


def workbook_bytes(*sheets, hidden=()):
    """An .xlsx built with openpyxl: each sheet is (title, [rows])."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(row)
        if title in hidden:
            ws.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def scale_project(project):
    return project


def shared_strings_workbook(header, rows, title="Sheet1") -> bytes:
    """An .xlsx written as Excel writes it: text in a shared-string table (openpyxl writes
    inline text), numbers in the sheet. Fast enough for benchmark-sized files."""
    from xml.sax.saxutils import escape, quoteattr

    strings, index = [], {}

    def cell(value):
        if isinstance(value, (int, float)):
            return f"<c><v>{value}</v></c>"
        if value not in index:
            index[value] = len(strings)
            strings.append(value)
        return f'<c t="s"><v>{index[value]}</v></c>'

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sheet = [f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>']
    for number, values in enumerate([header, *rows], start=1):
        sheet.append(f'<row r="{number}">' + "".join(cell(v) for v in values) + "</row>")
    sheet.append("</sheetData></worksheet>")
    table = [f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" uniqueCount="{len(strings)}">']
    table.extend(f"<si><t>{escape(s)}</t></si>" for s in strings)
    table.append("</sst>")
    types = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{types}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{types}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{types}.sharedStrings+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        f'<sheet name={quoteattr(title)} sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": "".join(sheet),
        "xl/sharedStrings.xml": "".join(table),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()
