"""Opening an uploaded .xlsx without trusting it.

Every limit is checked on the zip's directory before openpyxl parses a byte of XML, and the
rows and columns are counted as they are read, never taken from the sheet's <dimension>
(a 5 KB file can declare 1,048,576 x 16,384 cells). Cells are read as the file stores them,
never padded out to the widest row: 60,000 rows each holding one styled blank cell in column
XFD made openpyxl's iter_rows() build a billion Nones (40 s for a 300 KB file).
"""

import io
import re
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from django.conf import settings
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

# Stated in the README; every check below names the limit it enforces.
MAX_UPLOAD_BYTES = getattr(settings, "MAX_UPLOAD_BYTES", 5 * 1024 * 1024)  # the file as uploaded (env MAX_UPLOAD_BYTES)
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # sum of the zip members' declared sizes
MAX_MEMBER_RATIO = 200  # a member inflating more than 200:1 is treated as a zip bomb
MAX_MEMBERS = 500  # files inside the zip
MAX_ROWS = 20_000  # data rows per sheet, counted while reading
MAX_COLUMNS = 200  # columns per row holding a value, counted while reading
MAX_SHEETS = 50
MAX_ROWS_TOTAL = 5 * MAX_ROWS  # across all sheets, so 50 full sheets cannot keep a worker busy
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
# Rows and cells as stored, blank or not, across the workbook: the bound on reading work.
MAX_ROWS_VISITED = 4 * MAX_ROWS_TOTAL
MAX_CELLS_VISITED = 4_000_000
BLANK_ROWS_PAST_LIMIT = 1_000  # stored blank rows below the row limit before we stop looking for data
# What is held in memory: distinct texts, and cell slots kept (a row's values up to its last
# filled column). Each bounds memory whatever the file's shape (see README, "bounded per import").
MAX_SHARED_STRINGS = 1_000_000
MAX_CELLS_KEPT = MAX_CELLS_VISITED
DAMAGED = "The file is damaged: it is not a readable .xlsx workbook."

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and encrypted .xlsx are OLE/CFB files
ZIP_MAGIC = b"PK\x03\x04"
DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


class SpreadsheetError(Exception):
    """A file we refuse, with a message a person can act on."""

    def __init__(self, message, *, sheet=None, row=None, column=None):
        super().__init__(message)
        self.message, self.sheet, self.row, self.column = message, sheet, row, column

    def __str__(self):
        return self.message


@dataclass
class Sheet:
    """One worksheet's cell values, read and counted for real."""

    title: str
    rows: list  # list of tuples of values; index 0 is spreadsheet row 1
    hidden: bool = False
    formulas: frozenset = frozenset()  # (row, column index) of formulas saved without a value


def _check_zip(data: bytes, filename: str) -> zipfile.ZipFile:
    if not data:
        raise SpreadsheetError("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(f"The file is larger than the {MAX_UPLOAD_BYTES // (1024 * 1024)} MB limit.")
    if data.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            "This is an old-style .xls file or a password-protected workbook. "
            "Remove the password or save it as an Excel Workbook (.xlsx) and try again."
        )
    if not data.startswith(ZIP_MAGIC):
        head = data[:512].lstrip()
        kind = "a CSV or text file" if head and all(b >= 9 for b in head[:200]) else "not an Excel workbook"
        raise SpreadsheetError(f"This file is {kind}, not an .xlsx workbook. Save it as an Excel Workbook (.xlsx).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SpreadsheetError(DAMAGED) from None
    if len(members) > MAX_MEMBERS:
        raise SpreadsheetError(f"The workbook holds {len(members):,} parts; the limit is {MAX_MEMBERS}.")
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError(
            f"The workbook unpacks to {total / 1024 / 1024:,.0f} MB; the limit is "
            f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB."
        )
    for m in members:
        if m.compress_size and m.file_size / m.compress_size > MAX_MEMBER_RATIO and m.file_size > 1024 * 1024:
            raise SpreadsheetError("The workbook is compressed suspiciously hard (a 'zip bomb'); it was not opened.")
    names = {m.filename.lower() for m in members}
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        if "encryptedpackage" in names or "encryptioninfo" in names:
            raise SpreadsheetError("The workbook is password-protected. Remove the password and try again.")
        raise SpreadsheetError("The file is a zip but not an Excel workbook (.xlsx).")
    if any(n.endswith("vbaproject.bin") for n in names) or filename.lower().endswith((".xlsm", ".xltm")):
        raise SpreadsheetError(
            "The workbook contains macros (.xlsm). Save it as an Excel Workbook (.xlsx) without macros."
        )
    # defusedxml refuses entity tricks too; refusing any DTD up front gives a plain message.
    for m in members:
        if m.filename.lower().endswith((".xml", ".rels", ".vml")):
            try:
                with archive.open(m) as member:
                    head = member.read(4096)  # a member this short is read to its end: its CRC is checked
            except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
                raise SpreadsheetError(DAMAGED) from None  # "Bad CRC-32", truncated data, unknown compression
            if DOCTYPE.search(head):
                raise SpreadsheetError("The workbook contains XML entity declarations, which are not allowed.")
    return archive


def read_workbook(data: bytes, filename: str = "upload.xlsx") -> list[Sheet]:
    """Every sheet's values, after the checks above. Formulas come back as their cached
    value (None when the file has none); nothing is ever evaluated."""
    archive = _check_zip(data, filename)
    archive.close()
    try:
        reader = _Reader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        reader.read()
        workbook = reader.wb
    except SpreadsheetError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for broken parts; all mean the same to a person
        raise _unreadable(exc) from None
    try:
        if len(workbook.worksheets) > MAX_SHEETS:
            raise SpreadsheetError(f"The workbook has {len(workbook.worksheets)} sheets; the limit is {MAX_SHEETS}.")
        sheets, total, visits = [], 0, Visits()
        for ws in workbook.worksheets:
            sheets.append(_read_sheet(ws, visits))
            total += len(sheets[-1].rows)
            if total > MAX_ROWS_TOTAL:
                raise SpreadsheetError(
                    f"The workbook has more than {MAX_ROWS_TOTAL:,} rows across its sheets (reached on sheet "
                    f"“{ws.title}”). Keep only the sheet you want to import and try again.",
                    sheet=ws.title,
                )
        return sheets
    except SpreadsheetError:
        raise
    except Exception as exc:
        raise _unreadable(exc) from None
    finally:
        workbook.close()


def _unreadable(exc) -> SpreadsheetError:
    """One plain message for a part openpyxl cannot parse, naming the root cause's kind
    (openpyxl wraps defusedxml's EntitiesForbidden in a ValueError). A member whose data does
    not match its CRC, or ends early, is a damaged file like any other broken zip."""
    root = exc
    while root.__cause__ is not None or root.__context__ is not None:
        root = root.__cause__ or root.__context__
    if isinstance(root, (zipfile.BadZipFile, EOFError)) or isinstance(exc, (zipfile.BadZipFile, EOFError)):
        return SpreadsheetError(DAMAGED)
    return SpreadsheetError(
        f"The workbook could not be read ({type(root).__name__}). Open and save it in Excel, then try again."
    )


class _Worksheet(ReadOnlyWorksheet):
    def _get_size(self):
        """openpyxl reads a sheet's whole XML for its size when <dimension> is missing; we never
        use the size (rows are counted as read), so that second pass is skipped."""


class _Reader(ExcelReader):
    """openpyxl's read-only reader with a fast shared-string table and no size pass per sheet."""

    def read_strings(self):
        from openpyxl.xml.constants import SHARED_STRINGS

        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = read_shared_strings(source)

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            ws = _Worksheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state
            self.wb._sheets.append(ws)


def read_shared_strings(source) -> list[str]:
    """The shared-string table as openpyxl reads it (an <si>'s own <t> and its rich-text runs'
    <t>, phonetic runs left out), with expat directly: openpyxl builds an object per string
    and took 10 s for 300,000 strings. Any DTD is refused, as defusedxml would."""
    strings, parts, path = [], [], []

    def start(name, attrs):
        path.append(name.rpartition(" ")[2])

    def end(name):
        if len(path) == 2 and path[1] == "si":
            if len(strings) >= MAX_SHARED_STRINGS:
                raise SpreadsheetError(
                    f"The workbook holds more than {MAX_SHARED_STRINGS:,} different texts. "
                    "Copy just the table into a new workbook and try again."
                )
            strings.append("".join(parts).replace("x005F_", ""))
            parts.clear()
        path.pop()

    def text(data):
        if path[-1] == "t" and (len(path) == 3 or (len(path) == 4 and path[2] == "r")):
            parts.append(data)

    def refuse(*args):
        raise SpreadsheetError("The workbook contains XML entity declarations, which are not allowed.")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = parser.ExternalEntityRefHandler = refuse
    parser.buffer_text = True
    try:
        while chunk := source.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise SpreadsheetError(
            f"The workbook could not be read (its list of texts is not valid XML: "
            f"{expat.errors.messages[exc.code]}). Open and save it in Excel, then try again."
        ) from None
    return strings


class Visits:
    """Rows and cells read so far, blank ones included; past the budget the file is refused.
    `kept` counts the cell slots held in memory (each row up to its last filled column)."""

    def __init__(self):
        self.rows = self.cells = self.kept = 0

    def keep(self, ws, row_number, slots):
        self.kept += slots
        if self.kept > MAX_CELLS_KEPT:
            raise SpreadsheetError(
                f"The workbook holds more than {MAX_CELLS_KEPT:,} cells of table, counting the blanks between "
                f"values (reached on sheet “{ws.title}”, row {row_number:,}). Copy just the table into a new "
                "workbook and try again.",
                sheet=ws.title,
                row=row_number,
            )

    def count(self, ws, row_number, cells):
        self.rows += 1
        self.cells += cells
        if self.rows > MAX_ROWS_VISITED or self.cells > MAX_CELLS_VISITED:
            raise SpreadsheetError(
                f"The workbook stores more than {MAX_ROWS_VISITED:,} rows or {MAX_CELLS_VISITED:,} cells, counting "
                f"formatted empty ones (reached on sheet “{ws.title}”, row {row_number:,}). Copy just the table "
                "into a new workbook and try again.",
                sheet=ws.title,
                row=row_number,
            )


class _Parser(WorkSheetParser):
    """openpyxl's own sheet parser, counting what it visits and marking formulas that were
    saved without a value (openpyxl gives None for them, which reads as an empty cell)."""

    def __init__(self, ws, visits):
        book = ws.parent
        super().__init__(
            ws._get_source(),
            ws._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        self.ws, self.visits = ws, visits

    def parse_row(self, row):
        number = row.get("r", "")
        self.visits.count(self.ws, int(number) if number.isdigit() else self.row_counter + 1, len(row))
        return super().parse_row(row)

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            # <v/> after a text formula is a saved empty string; anywhere else it is no value at all
            cell["formula"] = not (element.get("t") == "str" and element.find(VALUE_TAG) is not None)
        return cell


def _read_sheet(ws, visits=None) -> Sheet:
    rows, formulas, blank_past_limit = [], set(), 0
    visits = visits or Visits()
    parser = _Parser(ws, visits)
    try:
        for index, cells in parser.parse():  # only the rows and cells the file stores
            filled = {c["column"]: c["value"] for c in cells if c["value"] is not None and c["value"] != ""}
            if not filled:
                if index > MAX_ROWS + 1:  # +1: the header row
                    blank_past_limit += 1
                    if blank_past_limit > BLANK_ROWS_PAST_LIMIT:
                        break  # formatting far below the table; nothing there is ever imported
                continue  # a row of formulas without values is as blank as it looks
            if index > MAX_ROWS + 1:
                raise SpreadsheetError(
                    f"Sheet “{ws.title}” has data in row {index:,}; the limit is {MAX_ROWS:,} rows.",
                    sheet=ws.title,
                    row=index,
                )
            last = max(filled)
            if last > MAX_COLUMNS:
                raise SpreadsheetError(
                    f"Sheet “{ws.title}” has data in column {get_column_letter(last)} (row {index}); "
                    f"the limit is {MAX_COLUMNS} columns.",
                    sheet=ws.title,
                    row=index,
                    column=get_column_letter(last),
                )
            if index <= len(rows):
                continue  # a row stored twice or out of order: openpyxl keeps the first too
            rows.extend(() for _ in range(len(rows), index - 1))  # blank rows keep their numbers
            visits.keep(ws, index, last)
            values = [None] * last
            for column, value in filled.items():
                values[column - 1] = value
            rows.append(tuple(values))
            formulas.update((index, c["column"] - 1) for c in cells if c.get("formula") and c["column"] <= MAX_COLUMNS)
    finally:
        parser.source.close()
    return Sheet(
        title=ws.title,
        rows=rows,
        hidden=getattr(ws, "sheet_state", "visible") != "visible",
        formulas=frozenset(formulas),
    )
