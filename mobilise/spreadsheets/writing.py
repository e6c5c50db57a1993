"""Writing .xlsx files that are safe to open: no cell of user text ever becomes a formula.

Measured with openpyxl 3.1.5: a string starting with "=" is written as a formula unless the
cell is forced to text; \\x0b raises IllegalCharacterError; text over 32,767 characters is
cut silently by Excel. So every cell of text in every .xlsx the app writes goes through
`set_text` (write-only sheets through `text_cell`, which uses it).
"""

import io
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .opening import MAX_CELL_CHARS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
TRUNCATED_NOTE = "Cut at 32,767 characters, Excel's limit for one cell. The full text is in Mobilise."


@dataclass
class ColumnSpec:
    label: str
    width: int = 18
    type: str = "text"  # text | date | number
    validation: tuple | None = None  # ("whole", 1, 5) or ("list", "R,A,C,I,AR")
    wrap: bool = False


@dataclass
class SheetSpec:
    title: str
    columns: list
    rows: list = dc_field(default_factory=list)  # lists of values, one per column
    validation_rows: int = 500  # validations reach this far below the data for new rows


def set_text(cell, value) -> bool:
    """The one rule for text in an .xlsx we write, for any openpyxl cell (write-only or not):
    `value` is stored as text whatever it starts with ("=HYPERLINK(...)" stays the text it was
    typed as, never a formula), without the characters XML forbids, cut at Excel's 32,767
    characters. True when it was cut."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    truncated = len(text) > MAX_CELL_CHARS
    if truncated:
        text = text[:MAX_CELL_CHARS]
    cell.value = text
    cell.data_type = "s"  # never "f"
    if text.startswith(FORMULA_STARTS) or text.lstrip().startswith(("=", "+", "-", "@")):
        cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell
    return truncated


def text_cell(ws, value, wrap=False):
    """A write-only cell that holds `value` as text (see `set_text`); a cut one says so in a comment."""
    cell = WriteOnlyCell(ws, value=None)
    if set_text(cell, value):
        cell.comment = Comment(TRUNCATED_NOTE, "Mobilise")
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def value_cell(ws, value, column: ColumnSpec):
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, bool):
        return text_cell(ws, "yes" if value else "no")
    if isinstance(value, (int, float, Decimal)):
        return WriteOnlyCell(ws, value=value)
    return text_cell(ws, value, wrap=column.wrap)


def write_workbook(sheets: list[SheetSpec]) -> bytes:
    """The .xlsx bytes: styled, frozen header rows, column widths, validations, dates as dates."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        ws = workbook.create_sheet(spec.title[:31])
        ws.freeze_panes = "A2"
        last_row = len(spec.rows) + 1 + spec.validation_rows
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            ws.column_dimensions[letter].width = column.width
            if column.validation:
                ws.data_validations.append(_validation(column, f"{letter}2:{letter}{last_row}"))
        header = []
        for column in spec.columns:
            cell = text_cell(ws, column.label)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            header.append(cell)
        ws.append(header)
        for values in spec.rows:
            ws.append([value_cell(ws, v, c) for v, c in zip(values, spec.columns)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _validation(column, cells):
    kind, *args = column.validation
    if kind == "whole":
        low, high = args
        validation = DataValidation(
            type="whole",
            operator="between",
            formula1=str(low),
            formula2=str(high),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=column.label,
            error=f"Enter a whole number from {low} to {high}.",
        )
    else:
        (options,) = args
        validation = DataValidation(
            type="list",
            formula1=f'"{options}"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=column.label,
            error=f"Choose one of {options.replace(',', ', ')}.",
        )
    validation.add(cells)
    return validation
