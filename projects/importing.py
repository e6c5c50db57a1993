"""The import mechanism every kind shares: read, find the table, map values, plan, then save.

An `Importer` subclass (per kind, in the app that owns the model: projects/xlsx.py,
risks/xlsx.py, raci/xlsx.py) lists its `fields`, says how a planned row becomes a saved object,
and registers itself with `projects.registry.importers`; `importer_for(kind, project)` finds
it, so the views and commands serve every kind the same way. `preview()` never writes;
`apply()` saves a preview that has no problems, all rows or none, inside one transaction.
The domain-free parts (safe opening, header detection, value parsing, writing) are
mobilise.spreadsheets.
"""

import hashlib
import re
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dc_field

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, transaction

from mobilise.spreadsheets.opening import Sheet, SpreadsheetError, read_workbook
from mobilise.spreadsheets.tables import HEADER_SEARCH_ROWS, Table, find_table, scale_hint, table_at
from mobilise.spreadsheets.values import (
    ValueProblem,
    clean_text,
    match_choice,
    normalise,
    numeric_date_orders,
    parse_date,
    parse_number,
    scale_value,
)

from . import registry
from .models import Stakeholder

# Registers rated Low / Medium / High (/ Critical) use a 3- or 4-level scale of their own.
# Other words on a scale column are the Field's `words` (normalised word -> 1..5).
LEVEL_WORDS = {"low": 1, "medium": 2, "med": 2, "moderate": 2, "high": 3, "critical": 4, "very high": 4, "extreme": 4}
LEVEL_BANDS = {"low": 0, "medium": 1, "med": 1, "moderate": 1, "high": 2, "critical": 3, "very high": 3, "extreme": 3}
FILE_SCALES = (3, 4, 5, 10)  # what the preview offers for a file's numeric scale
# A cell a template left for someone to fill in: "[Name of person responsible]", "<Insert date>".
PLACEHOLDER = re.compile(r"^\s*(\[[^\]]{3,}\]|<[^>]{3,}>|\{[^}]{3,}\})\s*$")
# Firms whose names hold ";" or "," ("Smith; Jones LLP"): one name, never a list.
FIRM = re.compile(r"\b(llp|ltd|limited|plc|inc|llc|gmbh|pty|co|partners|solicitors|associates)\.?$", re.IGNORECASE)
# A RAID log keeps Risks, Assumptions, Issues and Dependencies (or Actions, Decisions) together.
RAID_KINDS = {
    "risk": "risks",
    "risks": "risks",
    "assumption": "assumptions",
    "assumptions": "assumptions",
    "issue": "issues",
    "issues": "issues",
    "dependency": "dependencies",
    "dependencies": "dependencies",
    "action": "actions",
    "actions": "actions",
    "decision": "decisions",
    "decisions": "decisions",
}
MAX_VALUE_MAP = 40  # distinct values shown per column in the preview
KIND_SAMPLE_ROWS = 30  # rows below the header search that other kinds' importers look at
NO_SAVED_VALUE = (
    "is a formula saved without its value (formulas are never worked out here): open the file in "
    "Excel, save it, and import it again"
)


def in_words(items, last="and") -> str:
    """ "A", "A and B", "A, B and C"."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


@dataclass
class Reading:
    """How the person says the file is read, chosen on the preview (and remembered per project
    for files with the same headers). Empty means "as we find it"."""

    header_row: int | None = None
    columns: dict = dc_field(default_factory=dict)  # field name -> column index, or None: not imported
    scale: int | None = None  # the file's numeric scale (1-N) when its headers do not say
    words: dict = dc_field(default_factory=dict)  # normalised word on a scale column -> our number
    transpose: bool | None = None  # RACI: True when people are the rows and activities the columns
    date_order: str = ""  # "dmy" or "mdy" for text dates such as 3/1/27

    def as_json(self) -> dict:
        return {
            "header_row": self.header_row,
            "columns": dict(self.columns),
            "scale": self.scale,
            "words": dict(self.words),
            "transpose": self.transpose,
            "date_order": self.date_order,
        }

    @classmethod
    def from_json(cls, data) -> "Reading":
        data = data or {}
        return cls(
            header_row=data.get("header_row"),
            columns=dict(data.get("columns") or {}),
            scale=data.get("scale"),
            words=dict(data.get("words") or {}),
            transpose=data.get("transpose"),
            date_order=data.get("date_order") or "",
        )


def headers_key(cells) -> str:
    """The fingerprint of a header row under which a reading is remembered: its cells'
    normalised words, so "Likelihood " and "likelihood" are the same header."""
    words = "\x1f".join(normalise(c) for c in cells).rstrip("\x1f")
    return hashlib.sha256(words.encode()).hexdigest()


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self):
        where = [f"sheet “{self.sheet}”"] if self.sheet else []
        if self.row:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return (", ".join(where) + ": " if where else "") + self.message


@dataclass
class Row:
    number: int  # the spreadsheet row
    values: dict
    action: str = "create"  # or "update"
    target: object = None
    extra: dict = dc_field(default_factory=dict)

    @property
    def title(self):
        for key in ("name", "event", "audience_group", "purpose", "reference"):
            if self.values.get(key):
                return str(self.values[key])
        return ""


@dataclass
class Preview:
    kind: str
    filename: str
    sheet: str = ""
    sheets: list = dc_field(default_factory=list)
    header_row: int = 0
    columns: list = dc_field(default_factory=list)
    value_maps: OrderedDict = dc_field(default_factory=OrderedDict)  # column label -> {raw: ours}
    rows: list = dc_field(default_factory=list)
    problems: list = dc_field(default_factory=list)
    warnings: list = dc_field(default_factory=list)
    new_stakeholders: list = dc_field(default_factory=list)
    notes: list = dc_field(default_factory=list)
    questions: list = dc_field(default_factory=list)  # what the person must choose before importing
    reading: Reading = dc_field(default_factory=Reading)  # the reading used
    all_columns: list = dc_field(default_factory=list)  # every header cell, for the column choice
    scale_columns: list = dc_field(default_factory=list)  # labels of scale columns read from numbers
    scale_stated: bool = True  # the headers say the file's scale (or there are no numeric scales)
    scale_used: int | None = None  # the file's scale the rows were read with
    scale_numbers: list = dc_field(default_factory=list)  # numbers seen in scale columns without a stated scale
    words_used: OrderedDict = dc_field(default_factory=OrderedDict)  # word on a scale column -> our number
    dates_ambiguous: bool = False  # text dates readable both day-first and month-first
    transposable: bool = False  # a RACI that looks turned round
    headers_key: str = ""

    @property
    def can_import(self):
        return bool(self.rows) and not self.problems and not self.questions

    def ask(self, message):
        if message not in self.questions:
            self.questions.append(message)

    @property
    def created(self):
        return sum(1 for r in self.rows if r.action == "create")

    @property
    def updated(self):
        return sum(1 for r in self.rows if r.action == "update")

    @property
    def mapped_columns(self):
        return [c for c in self.columns if c.header or c.field]

    def refuse(self, message, row=None, column=None):
        self.problems.append(Problem(self.sheet, row, column, message))

    def warn(self, message, row=None, column=None):
        self.warnings.append(Problem(self.sheet, row, column, message))

    def summary(self, describe, rows: int, problems: int = 200) -> dict:
        """What the preview page shows, as JSON kept with the upload: the page is drawn from it
        without reading or planning anything again. `rows` and `problems` bound what is listed."""
        return {
            "sheet": self.sheet,
            "sheets": self.sheets,
            "header_row": self.header_row,
            "columns": [
                {"letter": c.letter, "header": c.header, "field": c.field.label if c.field else ""}
                for c in self.mapped_columns
            ],
            "value_maps": [[label, list(pairs.items())] for label, pairs in self.value_maps.items()],
            "problems": [str(p) for p in self.problems[:problems]],
            "problem_count": len(self.problems),
            "warnings": [str(w) for w in self.warnings[:problems]],
            "warning_count": len(self.warnings),
            "notes": list(self.notes),
            "new_stakeholders": list(self.new_stakeholders),
            "questions": list(self.questions),
            "reading": self.reading.as_json(),
            "all_columns": [
                {
                    "index": c.index,
                    "letter": c.letter,
                    "header": c.header[:80],
                    "field": c.field.name if c.field else "",
                }
                for c in self.all_columns
                if c.header or c.field
            ],
            "scale_columns": list(self.scale_columns),
            "scale_stated": self.scale_stated,
            "scale_used": self.scale_used,
            "words_used": list(self.words_used.items()),
            "dates_ambiguous": self.dates_ambiguous,
            "transposable": self.transposable,
            "headers_key": self.headers_key,
            "created": self.created,
            "updated": self.updated,
            "row_count": len(self.rows),
            "can_import": self.can_import,
            "rows": [
                {"number": r.number, "action": r.action, "title": r.title, "details": describe(r)}
                for r in self.rows[:rows]
            ],
        }

    def note_value(self, label, raw, ours):
        seen = self.value_maps.setdefault(label, OrderedDict())
        key = clean_text(raw)[:80]
        if key not in seen and len(seen) < MAX_VALUE_MAP:
            seen[key] = ours


class Importer:
    """Base for one kind. Subclasses set `kind`, `label`, `fields`, `title_words`, `model`
    and implement `existing()`, `save_row()` and `export_sheet()`."""

    kind = ""
    label = ""
    noun = ""  # the kind in a sentence: "a risk register"
    fields: list = []
    title_words: tuple = ()
    key = "name"  # rows whose key matches an existing record update it
    min_mapped = 2  # a header row must name at least this many of our fields
    model = None

    def __init__(self, project):
        self.project = project
        self.word_scales = {}  # field name -> {Low/Medium/High(/Critical) word: our number}

    # Reading ------------------------------------------------------------------------

    def preview(self, data: bytes, filename: str = "upload.xlsx", sheet=None, reading=None) -> Preview:
        try:
            sheets = read_workbook(data, filename)
        except SpreadsheetError as exc:
            return self.refused(filename, exc)
        return self.preview_sheets(sheets, filename, sheet, reading)

    def refused(self, filename, exc: SpreadsheetError) -> Preview:
        """The preview of a file that could not be read: its one problem."""
        preview = Preview(self.kind, filename)
        preview.problems.append(Problem(exc.sheet or "", exc.row, exc.column, exc.message))
        return preview

    def preview_sheets(self, sheets: list[Sheet], filename: str = "upload.xlsx", sheet=None, reading=None) -> Preview:
        """The preview of a workbook already read (read_workbook, or unpacked after an upload),
        read as found or as the person chose (`reading`). Its `reading` is then the reading in
        full as used (header row, every field's column, the words' numbers), which the preview
        form starts from and a confirmed import remembers."""
        preview = self._preview_sheets(sheets, filename, sheet, reading)
        used = Reading.from_json(preview.reading.as_json())
        if preview.header_row:
            used.header_row = preview.header_row
        if preview.all_columns:
            used.columns = {
                f.name: next((c.index for c in preview.all_columns if c.field and c.field.name == f.name), None)
                for f in self.choosable_fields()
            }
        used.words = dict(preview.words_used)
        preview.reading = used
        return preview

    def choosable_fields(self):
        """The fields whose column the person may choose on the preview."""
        return list(self.fields)

    def _preview_sheets(self, sheets, filename, sheet, reading) -> Preview:
        preview = Preview(self.kind, filename)
        preview.reading = reading = reading or Reading()
        preview.sheets = [s.title for s in sheets]
        if sheet and not any(s.title.strip().lower() == sheet.strip().lower() for s in sheets):
            preview.refuse(f"There is no sheet called “{sheet}”. The sheets are: {', '.join(preview.sheets)}.")
            return preview
        sheets = self.prepare_sheets(sheets, reading)
        if reading.header_row:
            chosen = next((s for s in sheets if not sheet or s.title.strip().lower() == sheet.strip().lower()), None)
            if chosen is None or not 1 <= reading.header_row <= len(chosen.rows):
                preview.refuse(f"Row {reading.header_row} is not in the sheet: choose a row that holds the headers.")
                return preview
            table = self.table_at(chosen, reading.header_row)
        else:
            table = self.find_table(sheets, sheet) or self.find_partial_table(sheets, sheet)
            wrong_kind = self.wrong_kind(sheets, table, sheet)
            if wrong_kind:
                preview.refuse(wrong_kind)
                return preview
        if table is None:
            if sheet:
                where = f"sheet “{sheet}”"
            elif len(sheets) == 1:
                where = f"sheet “{sheets[0].title}”"
            else:
                where = "any of the sheets " + in_words((f"“{s.title}”" for s in sheets), "or")
            preview.refuse(
                f"No header row in {where} looks like {self.noun}: it needs {self.header_needs()} "
                f"(looked at the first {HEADER_SEARCH_ROWS} rows)."
            )
            return preview
        self.choose_columns(table, reading)
        preview.sheet, preview.header_row, preview.columns = table.sheet, table.header_row, table.columns
        preview.all_columns = table.columns
        source = next(s for s in sheets if s.title == table.sheet)
        preview.headers_key = headers_key(source.rows[table.header_row - 1])
        if getattr(table, "title_row", 0):
            preview.notes.append(
                f"The headers are read from rows {table.title_row} and {table.header_row}: the titles in row "
                f"{table.title_row} are put before the headers below them (“{self.titled_example(table)}”)."
            )
        missing = [f for f in self.fields if f.required and not table.column_for(f.name)]
        if missing:
            for f in missing:
                preview.refuse(
                    f"No column is read as {f.label}, which every row needs: choose the column that holds it "
                    "under “How to read this file”, then show the rows again."
                )
            return preview
        self.read_rows(table, preview)
        self.check_text_columns(table, preview)
        if not preview.rows and not preview.problems:
            preview.notes.append("There are no rows to import: the table has a header and no data.")
        if not preview.problems:
            self.check(preview)
        return preview

    def prepare_sheets(self, sheets, reading):
        """The sheets as this kind reads them (a RACI may be turned round)."""
        return sheets

    def titled_example(self, table):
        return next((c.header for c in reversed(table.columns) if c.field and " " in c.header), table.columns[0].header)

    def table_at(self, sheet, header_row) -> Table | None:
        return table_at(sheet, header_row, self.fields)

    def find_partial_table(self, sheets, sheet) -> Table | None:
        """A table missing one required column, shown so the person can choose that column."""
        return find_table(
            sheets,
            self.fields,
            sheet_name=sheet,
            title_words=self.title_words,
            min_mapped=max(self.min_mapped, 2),
            allow_missing=1,
        )

    def choose_columns(self, table, reading):
        """The person's column for each field they chose (or none), over what the headers said."""
        by_name = {f.name: f for f in self.fields}
        for name, index in reading.columns.items():
            f = by_name.get(name)
            if f is None:
                continue
            for column in table.columns:
                if column.field is not None and column.field.name == name:
                    column.field = None
            if index is not None and 0 <= index < len(table.columns):
                table.columns[index].field = f

    def check_text_columns(self, table, preview):
        """A text field whose column holds only numbers is the wrong column ("Risk Score" read as
        the event): refused, naming the column, so the person chooses the right one."""
        for column in table.columns:
            f = column.field
            if f is None or f.type != "text" or not (f.required or f.name in ("name", "event", "title")):
                continue
            values = [cells[column.index] for _, cells in table.rows if column.index < len(cells)]
            values = [v for v in values if v not in (None, "") and not (isinstance(v, str) and not v.strip())]
            if values and all(is_number(v) for v in values):
                preview.rows.clear()
                preview.refuse(
                    f"{f.label} would come from column {column.letter} (“{column.header}”), which holds only numbers. "
                    f"Choose the column that holds the {f.label.lower()} under “How to read this file”.",
                    column=column.letter,
                )

    def find_table(self, sheets, sheet) -> Table | None:
        return find_table(
            sheets, self.fields, sheet_name=sheet, title_words=self.title_words, min_mapped=self.min_mapped
        )

    def header_needs(self) -> str:
        """What a header row must hold for this kind, for the message when none does."""
        required = [f.label for f in self.fields if f.required]
        needs = [f"a column for {in_words(required)}"] if required else []
        if not any(f.required and f.distinctive for f in self.fields):
            needs.append("at least one of " + in_words((f.label for f in self.fields if f.distinctive), "or"))
        return " and ".join(needs)

    def fit(self, table) -> int:
        """How much of this kind a table holds, comparable across kinds: columns we recognise."""
        return sum(1 for c in table.columns if c.field)

    def evidence(self, table) -> str:
        """The columns that make a table look like this kind, for the wrong-kind message."""
        columns = sorted((c for c in table.columns if c.field), key=lambda c: not c.field.names_kind(c.header))
        headers = [f"“{c.header}”" for c in columns[:4]] + ([f"{len(columns) - 4} more"] if len(columns) > 4 else [])
        return "columns " + in_words(headers)

    def wrong_kind(self, sheets, table, sheet) -> str | None:
        """A plain refusal when another kind's importer reads the sheet clearly better: a milestone
        plan imported as stakeholders would otherwise give one "stakeholder" per milestone."""
        if table is not None:
            candidates, ours = [s for s in sheets if s.title == table.sheet], self.fit(table)
        else:
            candidates, ours = [s for s in sheets if not sheet or s.title.strip().lower() == sheet.strip().lower()], 0
        sample = [Sheet(s.title, s.rows[: HEADER_SEARCH_ROWS + KIND_SAMPLE_ROWS], s.hidden) for s in candidates]
        raid = raid_log(candidates)
        if raid and self.kind != "risks":
            risks = importer_for("risks", self.project).find_table(sample, None)
            if risks is not None and (
                table is None or "raid" in normalise(table.sheet).split() or self.fit(risks) > ours
            ):
                return (
                    f"This looks like {raid_name(raid)}, not {self.noun}. Import it as a risk register: its Risk rows "
                    f"(sheet “{risks.sheet}”) become risks, and the other rows are left out."
                )
        best = None
        for kind in available_kinds():
            if kind == self.kind:
                continue
            other = importer_for(kind, self.project)
            found = other.find_table(sample, None)
            fit = other.fit(found) if found else 0
            if fit >= max(ours + 2, 2 * ours, 2) and (best is None or fit > best[0]):
                best = (fit, other, found)
        if best is None:
            return None
        _, other, found = best
        choose = f", or choose the sheet that holds {self.noun}" if len(sheets) > 1 else ""
        return (
            f"This looks like {other.noun}, not {self.noun}: sheet “{found.sheet}” has {other.evidence(found)}. "
            f"Import it as {other.noun} instead{choose}."
        )

    def read_rows(self, table: Table, preview: Preview):
        mapped = [c for c in table.columns if c.field]
        scales = {c.field.name: self.source_scale(c, table, preview) for c in mapped if c.field.type == "scale"}
        self.ask_scale(preview)
        self.date_order = self.decide_date_order(mapped, table, preview)
        placeholders = []  # (row, column, text)
        existing = self.existing()
        seen_keys = {}  # key -> first row holding it
        unsaved = {}  # column index -> (optional column, rows whose formula has no saved value)
        for number, cells in table.rows:
            raw = {c.field.name: (cells[c.index] if c.index < len(cells) else None) for c in mapped}
            if all(v in (None, "") or (isinstance(v, str) and not v.strip()) for v in raw.values()):
                continue
            if self.skip_row(raw):
                continue
            values, ok = {}, True
            held = [
                (column, raw[column.field.name])
                for column in mapped
                if isinstance(raw[column.field.name], str) and PLACEHOLDER.match(raw[column.field.name])
            ]
            if held:
                placeholders.append((number, held))
                continue
            for column in mapped:
                f = column.field
                try:
                    values[f.name] = self.parse(f, raw[f.name], preview, scales.get(f.name))
                except ValueProblem as exc:
                    preview.refuse(f"{column.header or f.label} {exc}".strip(), number, column.letter)
                    ok = False
                    continue
                formula = (number, column.index) in table.formulas
                if f.required and values[f.name] in (None, ""):
                    preview.refuse(
                        f"{f.label} {NO_SAVED_VALUE}." if formula else f"{f.label} is empty.", number, column.letter
                    )
                    ok = False
                elif formula:
                    unsaved.setdefault(column.index, (column, []))[1].append(number)
            if not ok:
                continue
            row = Row(number, values)
            key = normalise(values.get(self.key))
            if key and key in existing and key not in seen_keys:
                row.action, row.target = "update", existing[key]
            if key and key in seen_keys:
                label = next(f.label for f in self.fields if f.name == self.key)
                preview.warn(
                    f"{label} “{values.get(self.key)}” appears again (first in row {seen_keys[key]}); "
                    "this row is added as a separate record.",
                    number,
                )
            seen_keys.setdefault(key, number)
            preview.rows.append(row)
        self.refuse_placeholders(placeholders, preview)
        for column, numbers in unsaved.values():
            shown = ", ".join(map(str, numbers[:10])) + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")
            preview.warn(
                f"{column.header or column.field.label} in row{'s' if len(numbers) > 1 else ''} {shown}: a formula "
                "saved without its value, imported as blank (formulas are never worked out here). To keep "
                "the values, open the file in Excel, save it, and import it again.",
                column=column.letter,
            )

    def skip_row(self, raw) -> bool:
        return False

    def refuse_placeholders(self, placeholders, preview):
        """Rows holding a template's placeholder text ("[Name of person responsible]") are named
        as such: the template was not filled in there."""
        if not placeholders:
            return
        first = placeholders[0][1][0][1].strip()
        if not preview.rows:
            preview.refuse(
                f"This is a template that has not been filled in: its rows hold placeholder text such as “{first[:60]}” "
                "(text in brackets for someone to replace). Fill in the rows, or delete the placeholders, and upload "
                "the file again."
            )
            return
        for number, held in placeholders[:50]:
            column, text = held[0]
            preview.refuse(
                f"“{text.strip()[:60]}” is a template's placeholder, not a value: fill in this row or delete it.",
                number,
                column.letter,
            )

    def source_scale(self, column, table, preview) -> int | None:
        """The file's scale for a scale column: a header hint ("_1_5"), else the person's choice;
        a scale read from the values alone is only a guess, so the preview asks (ask_scale)."""
        hint = scale_hint(column.header)
        words = {
            normalise(cells[column.index])
            for _, cells in table.rows
            if column.index < len(cells) and isinstance(cells[column.index], str) and not is_number(cells[column.index])
        }
        words.discard("")
        if words and words <= set(LEVEL_WORDS):
            self.word_scales[column.field.name] = self.level_values(words)
        numbers = []
        for _, cells in table.rows:
            value = cells[column.index] if column.index < len(cells) else None
            try:
                number = parse_number(value)
            except ValueProblem:
                continue
            if number is not None:
                numbers.append(number)
        if hint:
            return hint
        if not numbers:
            return preview.reading.scale
        preview.scale_columns.append(column.header or column.field.label)
        preview.scale_numbers.extend(numbers)
        if preview.reading.scale:
            preview.scale_used = preview.reading.scale
            return preview.reading.scale
        preview.scale_stated = False
        top = max(numbers)
        guess = next((n for n in FILE_SCALES if top <= n), None)
        preview.scale_used = guess
        return guess

    def decide_date_order(self, mapped, table, preview) -> str:
        """Text dates such as "3/1/27": the person's order, else the one every cell allows (a 13
        in one place, or a weekday, decides), else asked (read day first until answered)."""
        if preview.reading.date_order:
            return preview.reading.date_order
        possible, seen = {"dmy", "mdy"}, False
        for column in mapped:
            if column.field.type != "date":
                continue
            for _, cells in table.rows:
                value = cells[column.index] if column.index < len(cells) else None
                if not isinstance(value, str):
                    continue
                orders = numeric_date_orders(value)
                if orders is None:
                    continue
                seen = True
                if orders:
                    possible &= orders
        if not seen:
            return ""
        if len(possible) == 1:
            order = possible.pop()
            preview.notes.append(
                "Dates written as numbers are read "
                + ("day first (3/1/27 is 3 January 2027)" if order == "dmy" else "month first (3/1/27 is 1 March 2027)")
                + ": no other order fits every date in the file."
            )
            return order
        preview.dates_ambiguous = True
        if possible:
            preview.ask(
                "Dates are written as numbers that read both ways (is 3/1/27 the 3rd of January or the 1st of March?). "
                "Choose the order under “How to read this file” (the rows below read them day first until you do)."
            )
        return "dmy"

    def ask_scale(self, preview):
        if preview.scale_stated:
            return
        numbers = preview.scale_numbers
        preview.ask(
            f"The headers ({in_words(f'“{h}”' for h in preview.scale_columns)}) do not say the file's scale, and its "
            f"values run from {min(numbers):g} to {max(numbers):g}: is it scored 1-3, 1-4, 1-5 or 1-10? Choose the "
            "file's scale under “How to read this file” (the rows below are read as "
            f"1-{preview.scale_used} until you do)."
        )

    def level_values(self, words) -> dict:
        """Low / Medium / High (/ Critical) on our scale, evenly spread; a kind with bands places
        them so that Medium x Medium lands in the medium band (risks.xlsx)."""
        target = self.scale_size()
        levels = max(LEVEL_WORDS[w] for w in words)
        size = max(levels, 3)
        return {w: scale_value(LEVEL_WORDS[w], size, target) for w in LEVEL_WORDS}

    def parse(self, f, value, preview, source_scale=None):
        if f.type == "date":
            result = parse_date(value, getattr(self, "date_order", ""))
            if value not in (None, "") and not hasattr(value, "year"):
                preview.note_value(f.label, value, result.isoformat())
            return result
        if f.type == "number":
            return parse_number(value)
        if f.type == "scale":
            return self.parse_scale(f, value, preview, source_scale)
        if f.type == "choice":
            if clean_text(value) == "":
                return None
            result = match_choice(value, f.choices)
            if result is None and f.fallback is not None:
                result = f.fallback
            if result is None:
                raise ValueProblem(f"“{clean_text(value)[:40]}” is not one we know ({self.choice_help(f)})")
            preview.note_value(f.label, value, self.choice_display(f, result))
            return result
        if f.type == "stakeholder":
            name = clean_text(value, 200)
            if name:
                preview.note_value(f.label, name, self.stakeholder_display(name, preview))
            return name
        if f.type == "names":
            names = split_names(value, self.stakeholders_by_name())
            if len(names) > 1:
                preview.note_value(f"{f.label} (lists)", value, f"{len(names)} names: " + "; ".join(names))
            for name in names:
                preview.note_value(f.label, name, self.stakeholder_display(name, preview))
            return names
        return clean_text(value, f.max_length)

    def parse_scale(self, f, value, preview, source_scale):
        target = self.scale_size()
        if value in (None, "") or clean_text(value) == "":
            return None
        key = normalise(value)
        if not is_number(value) and key in preview.reading.words:
            result = int(preview.reading.words[key])
            if not 1 <= result <= target:
                raise ValueProblem(f"“{clean_text(value)[:40]}” was chosen as {result}, outside 1-{target}")
            preview.words_used[key] = result
            preview.note_value(f.label, value, f"{result} (of {target}; as you chose)")
            return result
        try:
            number = parse_number(value)
            scale = source_scale or target
        except ValueProblem:
            if f.name in self.word_scales and key in self.word_scales[f.name]:
                result = self.word_scales[f.name][key]
                preview.words_used[key] = result
                preview.note_value(f.label, value, f"{result} (of {target}; Low/Medium/High words)")
                return result
            number, scale = match_choice(value, f.words or {}), 5  # the Field's five-point words
            if number is None:
                raise ValueProblem(
                    f"“{clean_text(value)[:40]}” is not a {f.label.lower()} we can map onto 1-{target}"
                ) from None
            result = scale_value(int(number), scale, target)
            preview.words_used[key] = result
            preview.note_value(f.label, value, f"{result} (of {target}; words read as a 1-{scale} scale)")
            return result
        if number != int(number) or not 1 <= number <= scale:
            raise ValueProblem(f"{number:g} is outside the file's 1-{scale} scale")
        result = scale_value(int(number), scale, target)
        stated = "file scale" if preview.scale_stated or preview.reading.scale else "scale not confirmed: 1"
        preview.note_value(f.label, value, f"{result} (of {target}; {stated} 1-{scale})".replace(": 1 1-", ": 1-"))
        return result

    def describe(self, row) -> str:
        """A short line of the row's other values for the preview table."""
        parts = []
        for f in self.fields:
            value = row.values.get(f.name)
            if value in (None, "", []) or str(value) == row.title:
                continue
            if f.type == "choice":
                value = self.choice_display(f, value)
            elif isinstance(value, list):
                value = ", ".join(value)
            parts.append(f"{f.label}: {value}")
        text = " · ".join(str(p) for p in parts)
        return text if len(text) <= 200 else text[:199] + "…"

    def choice_help(self, f):
        return ", ".join(dict.fromkeys(str(v) for v in f.choices.values()))

    def choice_display(self, f, value):
        try:
            field = self.model._meta.get_field(f.name)
        except FieldDoesNotExist:  # a column that is no model field (yes/no columns)
            return {True: "yes", False: "no"}.get(value, str(value))
        return dict(field.flatchoices).get(value, str(value))

    def stakeholder_display(self, name, preview):
        if normalise(name) in self.stakeholders_by_name():
            return "existing stakeholder"
        if name not in preview.new_stakeholders:
            preview.new_stakeholders.append(name)
        return "new stakeholder"

    def scale_size(self) -> int:
        return 5

    # Checking and saving --------------------------------------------------------------

    def check(self, preview: Preview):
        """Model validation of each planned row, before anything is saved."""
        for row in preview.rows:
            obj = self.build(row, preview, for_check=True)
            if obj is None:
                continue
            try:
                # Field validators and clean() only: constraint checks cost a query per row and
                # per constraint, and the database enforces them again inside the transaction.
                obj.full_clean(exclude=self.clean_exclude(), validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    column = next((c.letter for c in preview.columns if c.field and c.field.name == name), None)
                    preview.refuse(" ".join(messages), row.number, column)

    def clean_exclude(self):
        return ["project", "owner", "version", "position"]

    def stakeholders_by_name(self):
        if not hasattr(self, "_stakeholders"):
            self._stakeholders = {normalise(s.name): s for s in self.project.stakeholders.all()}
        return self._stakeholders

    def stakeholder(self, name, *, user=None, reason=""):
        """The project's stakeholder called `name`, created when missing (saving only)."""
        if not name:
            return None
        known = self.stakeholders_by_name()
        key = normalise(name)
        if key not in known:
            person = Stakeholder(project=self.project, name=name[:200])  # placed after the others on save
            stamp(person, user, reason)
            person.save()
            known[key] = person
        return known[key]

    def apply(self, preview: Preview, *, user=None) -> dict:
        """Save every planned row in one transaction; refuse a preview with problems."""
        if preview.problems:
            raise SpreadsheetError(str(preview.problems[0]))
        if preview.questions:
            raise SpreadsheetError(f"Answer this first: {preview.questions[0]}")
        if not preview.rows:
            raise SpreadsheetError("There are no rows to import.")
        reason = f"Imported from {preview.filename}"[:100]
        with all_or_nothing():
            stored = stored_values(self.model, [r.target.pk for r in preview.rows if r.action == "update" and r.target])
            for position, row in enumerate(preview.rows, start=1):
                obj = self.build(row, preview, user=user, reason=reason, position=position)
                if obj is None:
                    continue
                if obj.pk is None or field_values(obj) != stored.get(obj.pk):  # an unchanged row is not written
                    if row.action == "update":
                        obj.version += 1
                    stamp(obj, user, reason)
                    obj.save()
                self.after_save(obj, row, user=user, reason=reason)
            self.finish(preview, user=user, reason=reason)
        return {"created": preview.created, "updated": preview.updated, "stakeholders": len(preview.new_stakeholders)}

    def build(self, row, preview, *, for_check=False, user=None, reason="", position=0):
        raise NotImplementedError

    def after_save(self, obj, row, *, user, reason):
        pass

    def finish(self, preview, *, user, reason):
        pass

    def existing(self) -> dict:
        """Existing records by normalised key."""
        return {}


def raid_log(sheets) -> list[str]:
    """The parts of a RAID log found in a workbook ("risks", "assumptions", "issues",
    "dependencies"...): sheets named for three or more of them, or a column whose cells name
    three or more, or "RAID" in a sheet's name or first rows. [] when it is no RAID log."""
    found, said = set(), False
    for sheet in sheets:
        title = normalise(sheet.title)
        said = said or "raid" in title.split()
        for word in title.split():
            if word in RAID_KINDS:
                found.add(RAID_KINDS[word])
        for cells in sheet.rows[: HEADER_SEARCH_ROWS + KIND_SAMPLE_ROWS * 4]:
            for value in cells:
                if isinstance(value, str) and len(value) <= 40:
                    key = normalise(value)
                    if key in RAID_KINDS:
                        found.add(RAID_KINDS[key])
                    elif "raid" in key.split():
                        said = True
    ordered = [k for k in dict.fromkeys(RAID_KINDS.values()) if k in found]
    return ordered if len(found) >= 3 or (said and "risks" in found) else []


def raid_name(parts) -> str:
    return f"a RAID log ({in_words(parts)})"


def is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and bool(re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", value))


def split_names(value, known=()) -> list[str]:
    """People in one cell: one a line, or separated by ";" where the cell is a list. A cell that
    is a known name, or a firm ("Smith; Jones LLP"), is one name; so is a part that would be
    left as a bare word before a firm's name."""
    names = []
    for line in str(value or "").replace("\r", "\n").split("\n"):
        line = clean_text(line, 200 * 20)
        if not line:
            continue
        parts = [p.strip() for p in line.split(";") if p.strip()]
        if len(parts) > 1 and (normalise(line) in known or FIRM.search(line) and all(" " not in p for p in parts[:-1])):
            parts = [line]
        names.extend(clean_text(p, 200) for p in parts)
    return names


@contextmanager
def all_or_nothing():
    """One transaction for the whole import; a row the database refuses undoes every row."""
    try:
        with transaction.atomic():
            yield
    except DatabaseError as exc:
        detail = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
        raise SpreadsheetError(f"the database refused the import, so nothing was saved ({detail}).") from None


def _compared(model):
    return [f.attname for f in model._meta.concrete_fields if f.attname != "version" and not f.generated]


def field_values(obj) -> dict:
    """A record's column values, to tell whether an update row changes anything: re-importing
    a project's own export must write nothing (no new version, no history)."""
    return {name: getattr(obj, name) for name in _compared(type(obj))}


def stored_values(model, pks) -> dict:
    """{pk: field_values as stored}, in one query (the preview's checks change the targets in memory)."""
    if not pks:
        return {}
    return {
        row[model._meta.pk.attname]: row for row in model._default_manager.filter(pk__in=pks).values(*_compared(model))
    }


def stamp(obj, user, reason):
    """Audit history for imported rows: who and why, as for any other edit."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj._change_reason = reason


def importer_class(kind):
    """The Importer subclass registered for `kind`, or None."""
    return registry.importers.get(kind)


def available_kinds() -> list[str]:
    """Every kind with an importer, in the order of a whole-project export's sheets."""
    return registry.importers.names()


def importer_for(kind, project) -> Importer:
    cls = importer_class(kind)
    if cls is None:
        raise SpreadsheetError(f"“{kind}” is not something we import. Choose one of: {', '.join(available_kinds())}.")
    return cls(project)
