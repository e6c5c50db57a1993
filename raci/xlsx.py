"""RACI matrix import and export: activities down the side, people across the top.

Real charts put a title above the header, leave the first header cell blank, put a legend
beside or below the matrix, number their activities ("1. Planning"), combine letters
("A/R", "I/C", "R (A)") and write "N" or nothing for none. Rows with two A's or none are
imported and flagged; the matrix page's rules then show them.
"""

import re

from mobilise.spreadsheets import ColumnSpec, Field, SheetSpec, SpreadsheetError
from mobilise.spreadsheets.opening import Sheet
from mobilise.spreadsheets.tables import HEADER_SEARCH_ROWS, Column, Table
from mobilise.spreadsheets.values import ValueProblem, clean_text, normalise
from projects.importing import PLACEHOLDER, Importer, Row, all_or_nothing, in_words, stamp
from projects.registry import importers

from .models import Activity, Assignment, canonical

ACTIVITY_WORDS = (
    "activity",
    "activities",
    "task",
    "tasks",
    "deliverable",
    "deliverables",
    "name",
    "aufgabe",
    "prozess",
    "process",
    "step",
    "work item",
    "project activity",
    "decision",
    "milestone",
)
PEOPLE_WORDS = (
    "person",
    "people",
    "role",
    "roles",
    "stakeholder",
    "stakeholders",
    "member",
    "members",
    "who",
    "resource",
    "resources",
    "team member",
    "owner",
    "staff",
)
ACTION_WORDS = (
    "approve",
    "review",
    "plan",
    "design",
    "sign",
    "write",
    "agree",
    "define",
    "test",
    "prepare",
    "publish",
    "evaluate",
    "award",
    "draft",
    "build",
    "launch",
    "report",
    "budget",
)
ID_WORDS = ("step id", "id", "no", "number", "ref", "step", "#")
NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(?=\S)")
LEGEND = re.compile(r"^\s*[RACI]\s*[:=\-–]\s*\w", re.IGNORECASE)
EXPORT_LETTERS = ("R", "A", "C", "I", "A/R", "R/C", "R/I", "C/I", "A/C", "A/I")

RACI_LETTERS = "RACI"
NONE_MARKS = {"", "n", "-", "x0", "none", "na", "n a", "0"}


def parse_letters(value) -> str:
    """RACI cells: "A/R" -> "AR", "R (A) " -> "AR", "I  / R " -> "RI"; "N", "-" or blank -> "".
    Letters come back in R, A, C, I order so equal sets compare equal."""
    text = clean_text(value).upper()
    if normalise(text) in NONE_MARKS:
        return ""
    letters = set()
    for token in re.split(r"[\s/,;+&()\[\]]+", text):
        if not token:
            continue
        if not all(ch in RACI_LETTERS for ch in token):
            raise ValueProblem(
                f"“{text[:30]}” is not a RACI entry (use R, A, C, I, combinations like A/R, or N for none)"
            )
        letters.update(token)
    return "".join(ch for ch in RACI_LETTERS if ch in letters)


def _header_letters(title) -> bool:
    """A header cell that is RACI letters ("R", "A/R") marks a data row; a name made of those
    letters ("ARC", "CIA", "RACI team") is a person's column, however it spells."""
    text = clean_text(title)
    tokens = [t for t in re.split(r"[\s/,;+&()\[\]]+", text) if t]
    return _letters_or_none(text) is not None and all(len(t) <= 2 or "/" in text for t in tokens)


def _letters_or_none(value):
    try:
        return parse_letters(value)
    except ValueProblem:
        return None


def transposed(rows):
    """Rows as columns: cell (r, c) moves to (c, r)."""
    width = max((len(r) for r in rows), default=0)
    return [tuple(r[c] if c < len(r) else None for r in rows) for c in range(width)]


@importers.register("raci", order=50)
class RaciImporter(Importer):
    kind, label, noun, model = "raci", "RACI matrix", "a RACI matrix", Activity
    title_words = ("raci", "matrix", "responsibility")
    fields = [Field("name", "Activity", ACTIVITY_WORDS, required=True, max_length=200)]

    def header_needs(self):
        return (
            "a column of activities beside columns of people holding R, A, C or I letters (one person's column "
            "is enough when the activity column is headed “Activity” or “Task”, or the sheet is called RACI)"
        )

    def table_at(self, sheet, header_row):
        return self._table_at(sheet, header_row - 1, sheet.rows[header_row - 1])

    def find_partial_table(self, sheets, sheet):
        return None

    def choosable_fields(self):
        return [self.fields[0]]

    def choose_columns(self, table, reading):
        """The person's activity column (a RACI's people are every letters column)."""
        index = reading.columns.get("name", -1)
        if index is None or index == -1 or not 0 <= index < len(table.columns) or index in table.roles:
            return
        table.columns[table.activity].field = None
        table.columns[index].field = self.fields[0]
        table.activity = index

    def prepare_sheets(self, sheets, reading):
        """People as rows and activities as columns, turned round when the person says so."""
        if not reading.transpose:
            return sheets
        return [Sheet(s.title, transposed(s.rows), s.hidden) for s in sheets]

    def looks_transposed(self, table) -> bool:
        """People down the side and activities across the top: the row names are the project's
        stakeholders or short names under a people header, while the column headers read like
        activities (several words, or an activity word)."""
        header = normalise(table.columns[table.activity].header)
        names = [clean_text(cells[table.activity]) for _, cells in table.rows if table.activity < len(cells)]
        names = [n for n in names if n]
        if not names:
            return False
        heads = [table.columns[c].header for c in table.roles]
        known = self.stakeholders_by_name()
        rows_known = sum(1 for n in names if normalise(n) in known)
        heads_known = sum(1 for h in heads if normalise(h) in known)
        if rows_known > heads_known and rows_known * 2 >= len(names):
            return True
        people_header = any(f" {w} " in f" {header} " for w in PEOPLE_WORDS)
        wordy = sum(
            1
            for h in heads
            if len(h.split()) >= 3 or any(f" {w} " in f" {normalise(h)} " for w in ACTIVITY_WORDS + ACTION_WORDS)
        )
        short = sum(1 for n in names if len(n.split()) <= 2)
        return wordy * 2 > len(heads) and short * 2 > len(names) and (people_header or wordy > 1)

    def fit(self, table):
        return 1 + len(table.roles)

    def evidence(self, table):
        people = [f"“{table.columns[c].header}”" for c in table.roles]
        shown = people[:4] + ([f"{len(people) - 4} more"] if len(people) > 4 else [])
        return f"people columns {in_words(shown)}, holding R, A, C and I letters"

    def find_table(self, sheets, sheet):
        best = None
        for candidate in sheets:
            if sheet is not None and candidate.title.strip().lower() != sheet.strip().lower():
                continue
            for index, cells in enumerate(candidate.rows[:HEADER_SEARCH_ROWS]):
                table = self._table_at(candidate, index, cells)
                if table and (best is None or table.score > best.score):
                    best = table
        return best

    def _table_at(self, sheet, index, header):
        """A RACI table with its header at `index`: columns with a header whose cells are
        all RACI letters (or none), beside an activity column."""
        body = [(n, r) for n, r in enumerate(sheet.rows[index + 1 :], start=index + 2)]
        if not body:
            return None
        roles, others, untitled = [], [], []
        for col, title in enumerate(header):
            title = clean_text(title)
            values = [r[col] for _, r in body if col < len(r) and clean_text(r[col])]
            if not title:
                untitled.append(col)  # the activity column's header is often left blank
                continue
            if _header_letters(title):
                continue  # a header of letters is a data row
            letters = [_letters_or_none(v) for v in values]
            if values and sum(1 for v in letters if v) >= 1 and all(v is not None for v in letters):
                roles.append(col)
            else:
                others.append(col)
        if not roles:
            return None
        # Legends also sit in untitled columns: only one left of the people can be the activity.
        untitled = [c for c in untitled if c < roles[0]]
        activity = self._activity_column(header, others + untitled, body) if others or untitled else None
        if activity is None:
            return None
        named = any(f" {w} " in f" {normalise(header[activity])} " for w in ACTIVITY_WORDS)
        if len(roles) < 2 and not (named or any(w in normalise(sheet.title) for w in self.title_words)):
            return None  # one letters column beside text is a RACI only when the sheet says so
        columns = [Column(i, clean_text(v)) for i, v in enumerate(header)]
        columns[activity].field = self.fields[0]
        for col in roles:
            columns[col].field = Field(f"role:{col}", f"R/A/C/I of {columns[col].header}", type="letters")
        identifier = next((c for c in others if c != activity and normalise(header[c]) in ID_WORDS), None)
        table = Table(
            sheet.title,
            index + 1,
            columns,
            body,
            score=len(roles) * 10 + (30 if sheet.title else 0),
            formulas=sheet.formulas,
        )
        table.activity, table.roles, table.identifier = activity, roles, identifier
        if any(w in normalise(header[activity]) for w in ACTIVITY_WORDS):
            table.score += 50
        table.score -= 50 if sheet.hidden else 0
        return table

    def _activity_column(self, header, others, body):
        def text_count(col):
            return sum(1 for _, r in body if col < len(r) and isinstance(r[col], str) and r[col].strip())

        named = [
            c
            for c in others
            if any(f" {w} " in f" {normalise(header[c])} " for w in ACTIVITY_WORDS)
            and normalise(header[c]) not in ID_WORDS
        ]
        candidates = named or others
        best = max(candidates, key=lambda c: (text_count(c), -c))  # most text, then leftmost
        return best if text_count(best) else None

    def read_rows(self, table, preview):
        if preview.reading.transpose:
            preview.notes.append(
                "Read turned round, as you chose: the file's rows of people are the columns here and its "
                "columns of activities the rows, so a row number below is the file's column (1 is A, 2 is B …)."
            )
        elif preview.reading.transpose is None and self.looks_transposed(table):
            preview.transposable = True
            rows = [clean_text(c[table.activity]) for _, c in table.rows[:3] if table.activity < len(c)]
            heads = [f"“{table.columns[c].header}”" for c in table.roles[:2]]
            preview.ask(
                "This RACI seems to have people as rows and activities as columns (rows such as "
                f"{in_words(f'“{r}”' for r in rows if r)}; columns such as {in_words(heads)}). Read that way, the "
                "people would become activities. Choose “People are the rows” under “How to read this file” to "
                "read it turned round, or “Activities are the rows” if it is right as it is."
            )
        existing, seen = self.existing(), set()
        letter_columns = [c for c in table.columns if c.index in table.roles]
        for column in letter_columns:
            preview.note_value("People (columns)", column.header, self.stakeholder_display(column.header, preview))
        people = {}
        for column in letter_columns:
            people.setdefault(normalise(column.header), []).append(column)
        for same in (columns for columns in people.values() if len(columns) > 1):
            # One person, one cell per activity: the second column would break that on saving.
            preview.refuse(
                "Columns "
                + in_words([f"{c.letter} (“{c.header}”)" for c in same])
                + " name the same person. Merge them into one column or rename one, then upload the file again.",
                table.header_row,
                same[-1].letter,
            )
        name_column = table.columns[table.activity]
        skipped, placeholders = [], []
        for column in letter_columns:
            if PLACEHOLDER.match(column.header):
                preview.refuse(
                    f"The header “{column.header[:60]}” is a template's placeholder, not a person: put the name of "
                    "the person or team in its place.",
                    table.header_row,
                    column.letter,
                )
        for number, cells in table.rows:

            def cell(col, cells=cells):
                return cells[col] if col < len(cells) else None

            name = clean_text(cell(table.activity))
            raw_letters = {c.index: cell(c.index) for c in letter_columns}
            if not name and all(not clean_text(v) for v in raw_letters.values()):
                continue
            if PLACEHOLDER.match(name):
                placeholders.append((number, [(name_column, name)]))
                continue
            letters, ok = {}, True
            for column in letter_columns:
                try:
                    letters[column.header] = canonical(parse_letters(raw_letters[column.index]))
                except ValueProblem as exc:
                    preview.refuse(f"{column.header}: {exc}", number, column.letter)
                    ok = False
                    continue
                raw = clean_text(raw_letters[column.index])
                if raw:
                    preview.note_value("Letters", raw, letters[column.header] or "(none)")
            held = {k: v for k, v in letters.items() if v}
            if not held and (not name or normalise(name) in ("n", "") or LEGEND.match(name)):
                skipped.append(number)  # a legend ("R: Responsible") or filler row of N's
                continue
            if not name:
                preview.refuse("has letters but no activity name.", number, name_column.letter)
                continue
            if len(name) > 200:
                preview.refuse(
                    f"{name_column.header or 'Activity'} is {len(name):,} characters long; the limit is 200",
                    number,
                    name_column.letter,
                )
                continue
            if not ok:
                continue
            name = NUMBERED.sub("", name)
            row = Row(number, {"name": name, "letters": held})
            key = normalise(name)
            if key in existing and key not in seen:
                row.action, row.target = "update", existing[key]
            seen.add(key)
            accountable = [person for person, value in held.items() if "A" in value]
            if len(accountable) > 1:
                preview.warn(
                    f"“{name}” has {len(accountable)} people accountable ({', '.join(accountable)}); "
                    "a RACI row should have exactly one A.",
                    number,
                )
            elif not accountable:
                preview.warn(f"“{name}” has no one accountable (no A).", number)
            preview.rows.append(row)
        self.refuse_placeholders(placeholders, preview)
        if skipped:
            preview.notes.append(
                "Skipped row"
                + ("s " if len(skipped) > 1 else " ")
                + ", ".join(map(str, skipped))
                + ": a legend or rows without an activity or letters."
            )

    def describe(self, row):
        text = ", ".join(f"{person}: {letters}" for person, letters in row.values["letters"].items())
        return text if len(text) <= 200 else text[:199] + "…"

    def check(self, preview):
        pass  # the reading above validated every cell; names are bounded there

    def existing(self):
        return {normalise(a.name): a for a in self.project.raci_activities.all()}

    def apply(self, preview, *, user=None):
        """Activities in file order, and one cell per person holding letters. Cells of the
        file's people on updated activities are replaced; other people's are left alone."""
        if preview.problems:
            raise SpreadsheetError(str(preview.problems[0]))
        if preview.questions:
            raise SpreadsheetError(f"Answer this first: {preview.questions[0]}")
        if not preview.rows:
            raise SpreadsheetError("There are no rows to import.")
        reason = f"Imported from {preview.filename}"[:100]
        with all_or_nothing():
            people = {}
            columns = [c.header for c in preview.columns if c.field and c.field.type == "letters"]
            for header in columns:
                people[header] = self.stakeholder(header, user=user, reason=reason)
            start = max((a.position for a in self.existing().values()), default=0)
            for offset, row in enumerate(preview.rows, start=1):
                activity = row.target or Activity(project=self.project, position=start + offset)
                if activity.pk is None or activity.name != row.values["name"]:  # an unchanged row is not written
                    activity.name = row.values["name"]
                    if row.target:
                        activity.version += 1
                    stamp(activity, user, reason)
                    activity.save()
                current = {a.stakeholder_id: a for a in activity.assignments.all()} if row.target else {}
                for header in columns:
                    person, letters = people[header], row.values["letters"].get(header, "")
                    cell = current.get(person.pk)
                    if cell and not letters:
                        stamp(cell, user, reason)
                        cell.delete()
                    elif letters and (cell is None or cell.letters != letters):
                        cell = cell or Assignment(activity=activity, stakeholder=person)
                        if cell.pk:
                            cell.version += 1
                        cell.letters = letters
                        stamp(cell, user, reason)
                        cell.save()
        return {"created": preview.created, "updated": preview.updated, "stakeholders": len(preview.new_stakeholders)}

    def export_sheet(self):
        activities = list(self.project.raci_activities.all())
        people = list(self.project.stakeholders.all())
        cells = {
            (a, s): letters
            for a, s, letters in Assignment.objects.filter(activity__project=self.project).values_list(
                "activity_id", "stakeholder_id", "letters"
            )
        }
        rows = [[a.name] + ["/".join(cells.get((a.pk, p.pk), "")) for p in people] for a in activities]
        used = {"/".join(v) for v in cells.values()}
        letters = (
            "list",
            ",".join(dict.fromkeys(EXPORT_LETTERS + tuple(sorted(used))))[:255].rsplit(",", 1)[0]
            if len(",".join(EXPORT_LETTERS + tuple(used))) > 255
            else ",".join(dict.fromkeys(EXPORT_LETTERS + tuple(sorted(used)))),
        )
        return SheetSpec(
            "RACI", [ColumnSpec("Activity", 40)] + [ColumnSpec(p.name, 12, validation=letters) for p in people], rows
        )
