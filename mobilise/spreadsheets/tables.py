"""Finding the table in a workbook: which sheet, which row is the header, which column is which field."""

import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from difflib import SequenceMatcher

from openpyxl.utils import get_column_letter

from .values import normalise

HEADER_SEARCH_ROWS = 30  # title rows above the header are common; 30 is plenty
MIN_SCORE = 55


@dataclass
class Field:
    """One of our fields as it may appear in someone's spreadsheet."""

    name: str
    label: str  # the column title we export, always recognised on import
    aliases: tuple = ()
    type: str = "text"  # text | date | scale | choice | number, or one its importer reads (names, stakeholder)
    required: bool = False
    max_length: int | None = None
    choices: dict | None = None  # normalised word -> our value, in priority order
    exclude: tuple = ()  # header words that rule this field out ("rag" for status)
    words: dict | None = None  # for scales: normalised word -> 1..5, in priority order ("likely": 4)
    fallback: object = None  # for choices: the value for words we do not know ("other")
    distinctive: bool = False  # a column only this kind of sheet has ("Likelihood", "Planned start")
    marks: tuple = ()  # header words that make this field distinctive: "milestone" in "Milestone_Name"

    def names_kind(self, header) -> bool:
        return self.distinctive or any(word in normalise(header).split() for word in self.marks)

    def header_score(self, text) -> float:
        if not isinstance(text, str) or len(text) > 80:
            return 0  # numbers, dates and sentences are data, never headers
        header = normalise(text)
        if not header:
            return 0
        tokens = set(header.split())
        if any(word in tokens for word in self.exclude):
            return 0
        best = 0.0
        for alias in (self.label, self.name.replace("_", " "), *self.aliases):
            alias = normalise(alias)
            if header == alias:
                return 100.0
            if f" {alias} " in f" {header} ":
                # contained whole words: "likelihood 1 5" holds "likelihood"
                best = max(best, 60 + 30 * len(alias) / len(header))
            if 2 * min(len(header), len(alias)) < 0.85 * (len(header) + len(alias)):
                continue  # SequenceMatcher's real_quick_ratio, without building one for every cell
            matcher = SequenceMatcher(None, header, alias)
            if matcher.quick_ratio() >= 0.85:
                ratio = matcher.ratio()
                if ratio >= 0.85:  # misspellings: "likelhood"
                    best = max(best, 80 * ratio)
        return best


@dataclass
class Column:
    index: int
    header: str
    field: Field | None = None
    score: float = 0

    @property
    def letter(self):
        return get_column_letter(self.index + 1)


@dataclass
class Table:
    sheet: str
    header_row: int  # 1-based spreadsheet row
    columns: list
    rows: list  # data rows as (spreadsheet row number, tuple of values)
    score: float = 0
    notes: list = dc_field(default_factory=list)
    formulas: frozenset = frozenset()  # (row, column index) of formulas saved without a value
    missing: tuple = ()  # names of required fields no column maps (a partial table)
    title_row: int = 0  # the row of merged titles read into the header ("Residual" over "Impact")

    def column_for(self, name):
        return next((c for c in self.columns if c.field and c.field.name == name), None)


def map_header(cells, fields) -> tuple[list, float]:
    """Assign columns to fields, best matches first, each used once."""
    columns = [Column(i, "" if v is None else str(v).strip()) for i, v in enumerate(cells)]
    candidates = sorted(
        ((f.header_score(v), i, f) for i, v in enumerate(cells) for f in fields),
        key=lambda t: (-t[0], t[1]),
    )
    taken_fields, score = set(), 0.0
    for value, index, f in candidates:
        if value < MIN_SCORE or f.name in taken_fields or columns[index].field is not None:
            continue
        columns[index].field, columns[index].score = f, value
        taken_fields.add(f.name)
        score += value
    return columns, score


def with_titles(above, cells) -> list:
    """A header under a row of merged title cells: each title carried right over the columns
    it spans (a merged cell keeps its text in its first cell only), put before each header:
    "Residual" above "Likelihood" and "Impact" gives "Residual Likelihood", "Residual Impact"."""
    combined, title = [], ""
    for i, cell in enumerate(cells):
        top = above[i] if i < len(above) else None
        if top not in (None, "") and isinstance(top, str):
            title = top.strip()
        text = "" if cell is None else str(cell).strip()
        combined.append(f"{title} {text}".strip() if text and title and normalise(title) != normalise(text) else cell)
    return combined


def header_at(sheet, index, fields) -> tuple[list, float, int]:
    """The columns of the header in row `index` (0-based), read with the merged titles above it
    when that maps more of our fields: (columns, score, title row or 0)."""
    cells = sheet.rows[index]
    columns, score = map_header(cells, fields)
    if index == 0:
        return columns, score, 0
    above = sheet.rows[index - 1]
    filled = [v for v in above if v not in (None, "")]
    if (
        not filled
        or len(filled) >= sum(1 for v in cells if v not in (None, ""))
        or not all(isinstance(v, str) for v in filled)
    ):
        return columns, score, 0
    titled, titled_score = map_header(with_titles(above, cells), fields)
    if sum(1 for c in titled if c.field) > sum(1 for c in columns if c.field):
        return titled, titled_score, index  # index is the title row's 1-based number
    return columns, score, 0


def find_table(sheets, fields, *, sheet_name=None, title_words=(), min_mapped=2, allow_missing=0) -> Table | None:
    """The (sheet, header row) whose header maps the most of our fields, every required one
    and at least one distinctive one included (a "Name" column alone is no stakeholder list).
    `sheet_name` restricts the search; `title_words` favour sheets named for the kind.
    `allow_missing` accepts tables lacking that many required fields (each costs 100), so a
    file missing one column can be shown with that column to choose."""
    required = {f.name for f in fields if f.required}
    needs_distinctive = any(f.distinctive or f.marks for f in fields)
    best = None
    for sheet in sheets:
        if sheet_name is not None and sheet.title.strip().lower() != sheet_name.strip().lower():
            continue
        bonus = 30 if any(w in normalise(sheet.title) for w in title_words) else 0
        bonus -= 50 if sheet.hidden else 0
        for i, cells in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            if sum(1 for v in cells if v not in (None, "")) == 0:
                continue
            columns, score, title_row = header_at(sheet, i, fields)
            mapped = {c.field.name for c in columns if c.field}
            missing = required - mapped
            if len(missing) > allow_missing or len(mapped) < min_mapped:
                continue
            if needs_distinctive and not any(c.field.names_kind(c.header) for c in columns if c.field):
                continue
            score += bonus - 100 * len(missing)
            if best is None or score > best.score:
                body = [(n, r) for n, r in enumerate(sheet.rows[i + 1 :], start=i + 2)]
                best = Table(sheet.title, i + 1, columns, body, score, formulas=sheet.formulas)
                best.missing, best.title_row = tuple(sorted(missing)), title_row
    return best


def table_at(sheet, header_row, fields) -> Table:
    """The table whose header the person chose: row `header_row` (1-based) of `sheet`."""
    columns, score, title_row = header_at(sheet, header_row - 1, fields)
    body = [(n, r) for n, r in enumerate(sheet.rows[header_row:], start=header_row + 1)]
    table = Table(sheet.title, header_row, columns, body, score, formulas=sheet.formulas)
    table.title_row = title_row
    table.missing = tuple(sorted({f.name for f in fields if f.required} - {c.field.name for c in columns if c.field}))
    return table


SCALE_HINT = re.compile(r"(?:1|0)\s*(?:-|–|_|to|/)\s*([2-9]|10)\b")


def scale_hint(header: str) -> int | None:
    """ "Likelihood_1_5" -> 5, "Impact (1-4)" -> 4."""
    match = SCALE_HINT.search(str(header or ""))
    return int(match.group(1)) if match else None
