"""Risk register import and export through the shared spreadsheet mechanism.

Likelihood and impact arrive on other scales (1-3, 1-5, words); they are mapped onto the
project's scale and the mapping is shown before anything is saved. The file's own
reference (R3) updates that risk; other IDs (RSK-101) create new risks with new numbers.

Issues have a log of their own (IssueImporter below, the "Issues" sheet). A risk register
whose "Kind" column (as this export wrote before the log existed) says "Issue" is refused at
that row, naming the issue log, rather than the issue quietly becoming a risk.
"""

import re
from collections import OrderedDict

from simple_history.utils import bulk_create_with_history

from mobilise.spreadsheets import ColumnSpec, Field, SheetSpec, SpreadsheetError
from mobilise.spreadsheets.values import normalise
from projects.importing import (
    LEVEL_BANDS,
    LEVEL_WORDS,
    Importer,
    all_or_nothing,
    field_values,
    raid_log,
    raid_name,
    stamp,
    stored_values,
)
from projects.registry import importers
from projects.xlsx import words_for

from . import scale as scales
from .models import Issue, Risk, allocate_numbers, settings_for

REFERENCE = re.compile(r"^R(\d{1,6})$", re.IGNORECASE)
ISSUE_REFERENCE = re.compile(r"^I(\d{1,6})$", re.IGNORECASE)

# Words read on a five-point scale (the scale columns' Field.words), then mapped onto the
# project's scale; the project's own words (risks.scale) are tried first.
LIKELIHOOD_WORDS = OrderedDict(
    [
        ("almost certain", 5),
        ("very likely", 5),
        ("very high", 5),
        ("certain", 5),
        ("expected", 5),
        ("very unlikely", 1),
        ("rare", 1),
        ("remote", 1),
        ("very low", 1),
        ("improbable", 1),
        ("unlikely", 2),
        ("low", 2),
        ("possible", 3),
        ("moderate", 3),
        ("medium", 3),
        ("likely", 4),
        ("probable", 4),
        ("high", 4),
    ]
)
IMPACT_WORDS = OrderedDict(
    [
        ("catastrophic", 5),
        ("critical", 5),
        ("severe", 5),
        ("very high", 5),
        ("extreme", 5),
        ("negligible", 1),
        ("insignificant", 1),
        ("very low", 1),
        ("minimal", 1),
        ("minor", 2),
        ("low", 2),
        ("moderate", 3),
        ("medium", 3),
        ("significant", 4),
        ("major", 4),
        ("serious", 4),
        ("high", 4),
    ]
)

CATEGORIES = words_for(
    Risk.Category.choices,
    [
        ("data", "technical"),
        ("data quality", "technical"),
        ("it", "technical"),
        ("technology", "technical"),
        ("security", "technical"),
        ("cyber", "technical"),
        ("programme delivery", "delivery"),
        ("schedule", "delivery"),
        ("time", "delivery"),
        ("delivery", "delivery"),
        ("operational", "delivery"),
        ("regulatory", "legal"),
        ("compliance", "legal"),
        ("legal", "legal"),
        ("resource", "capacity"),
        ("resourcing", "capacity"),
        ("skills", "capacity"),
        ("staff", "capacity"),
        ("people", "capacity"),
        ("cost", "financial"),
        ("budget", "financial"),
        ("finance", "financial"),
        ("financial", "financial"),
        ("market", "commercial"),
        ("supplier", "commercial"),
        ("contract", "commercial"),
        ("procurement", "commercial"),
        ("stakeholder", "reputational"),
        ("reputation", "reputational"),
        ("governance", "governance"),
        ("strategy", "strategic"),
        ("strategic", "strategic"),
    ],
)
STATUSES = words_for(
    Risk.Status.choices,
    [
        ("occurred", "occurred"),
        ("issue", "occurred"),
        ("realised", "occurred"),
        ("realized", "occurred"),
        ("closed", "closed"),
        ("completed", "closed"),
        ("complete", "closed"),
        ("mitigated", "closed"),
        ("resolved", "closed"),
        ("done", "closed"),
        ("retired", "closed"),
        ("open", "open"),
        ("in progress", "open"),
        ("not started", "open"),
        ("active", "open"),
        ("ongoing", "open"),
        ("monitoring", "open"),
        ("new", "open"),
    ],
)
# Not a model field any more: read only to refuse issue rows (check()).
KINDS = {
    "risk": "risk",
    "issue": "issue",
    "risks": "risk",
    "issues": "issue",
    "assumption": "assumption",
    "assumptions": "assumption",
    "dependency": "dependency",
    "dependencies": "dependency",
    "action": "action",
    "actions": "action",
    "decision": "decision",
    "decisions": "decision",
}
ISSUE_ROW = (
    "is an issue, not a risk: issues have their own log now. Move the row to the Issues sheet and "
    "import it on the Issues page (Import from Excel), or delete the row here."
)


@importers.register("risks", order=40)
class RiskImporter(Importer):
    kind, label, noun, model = "risks", "Risk register", "a risk register", Risk
    title_words = ("risk",)
    key = "reference"
    fields = [
        Field(
            "reference",
            "Reference",
            ("id", "risk id", "ref", "risk ref", "risk number", "risk no", "no", "number"),
            max_length=40,
        ),
        Field(
            "kind",
            "Kind",
            ("risk or issue", "type", "raid", "raid type", "item type", "log"),
            type="choice",
            choices=KINDS,
        ),
        Field(
            "event",
            "Event",
            (
                "risk description",
                "risk statement",
                "description",
                "risk",
                "risk title",
                "title",
                "risk event",
                "summary",
                "risk name",
            ),
            required=True,
            max_length=1000,
            marks=("risk", "risks"),
        ),
        Field(
            "cause",
            "Cause",
            ("causes", "threat source", "source", "trigger", "threat"),
            max_length=2000,
            distinctive=True,
        ),
        Field(
            "effect",
            "Effect",
            ("consequence", "consequences", "impact description", "effects"),
            max_length=2000,
            distinctive=True,
        ),
        Field(
            "category",
            "Category",
            ("risk category", "risk type", "area", "theme"),
            type="choice",
            choices=CATEGORIES,
            fallback=Risk.Category.OTHER,
        ),
        Field(
            "likelihood",
            "Likelihood",
            ("probability", "chance", "inherent likelihood", "l"),
            type="scale",
            required=True,
            words=LIKELIHOOD_WORDS,
            exclude=("residual", "target"),
            distinctive=True,
        ),
        Field(
            "impact",
            "Impact",
            ("severity", "inherent impact", "i"),
            type="scale",
            required=True,
            words=IMPACT_WORDS,
            exclude=("residual", "target", "description"),
            distinctive=True,
        ),
        Field(
            "mitigating_action",
            "Action to mitigate",
            (
                "mitigation",
                "mitigating action",
                "mitigation action",
                "recommended action",
                "response",
                "treatment",
                "action",
                "actions",
                "mitigations",
            ),
            max_length=5000,
            distinctive=True,
        ),
        Field(
            "residual_likelihood",
            "Residual likelihood",
            ("target likelihood", "residual probability"),
            type="scale",
            words=LIKELIHOOD_WORDS,
            distinctive=True,
        ),
        Field(
            "residual_impact",
            "Residual impact",
            ("target impact", "residual severity"),
            type="scale",
            words=IMPACT_WORDS,
            distinctive=True,
        ),
        Field("owner", "Owner", ("risk owner", "responsible", "assigned to", "action owner"), type="stakeholder"),
        Field(
            "status",
            "Status",
            ("risk status", "current status", "state"),
            type="choice",
            choices=STATUSES,
            exclude=("rag",),
        ),
        Field(
            "next_review_date",
            "Next review",
            (
                "review date",
                "next review date",
                "target date",
                "target resolution",
                "due date",
                "review by",
                "target resolution date",
            ),
            type="date",
        ),
        Field(
            "date_raised",
            "Date raised",
            ("raised", "date identified", "identified", "date logged", "logged", "date opened", "date added"),
            type="date",
        ),
    ]

    def scale_size(self):
        return settings_for(self.project).scale

    def parse_scale(self, f, value, preview, source_scale):
        # The project's own words first ("Likely" is 3 on a 4-point scale), then the
        # five-point words mapped onto the project's scale.
        own = scales.LIKELIHOOD_WORDS if f.words is LIKELIHOOD_WORDS else scales.IMPACT_WORDS
        target = self.scale_size()
        key = normalise(value)
        for number, word in own.get(target, {}).items():
            if normalise(word) == key:
                preview.note_value(f.label, value, f"{number} (of {target}; the project's word)")
                return number
        return super().parse_scale(f, value, preview, source_scale)

    def level_values(self, words):
        """Low / Medium / High (/ Critical) where a person expects them: each word placed so that
        the word times itself lands in the band of that name (Medium x Medium is medium) with the
        project's thresholds, keeping the words in order; the nearest band where none fits."""
        settings = settings_for(self.project)
        target = settings.scale
        order = {"low": 0, "medium": 1, "high": 2, "very_high": 3}
        wanted = sorted({LEVEL_BANDS[w] for w in LEVEL_WORDS}, key=int)
        placed, floor = {}, 1
        for band_index in wanted:
            candidates = range(floor, target + 1)
            best = min(
                candidates,
                key=lambda v: (abs(order[settings.band_for(v * v)] - band_index), v if band_index < 3 else -v),
            )
            placed[band_index] = best
            floor = min(best + 1, target)
        return {w: placed[LEVEL_BANDS[w]] for w in LEVEL_WORDS}

    def existing(self):
        return {f"r{r.number}": r for r in self.project.risks.all()}

    def read_rows(self, table, preview):
        super().read_rows(table, preview)
        self.keep_raid_risks(table, preview)
        for row in preview.rows:  # "R3" is our reference; anything else never updates
            reference = row.values.get("reference") or ""
            if row.action == "update" and not REFERENCE.match(reference.strip()):
                row.action, row.target = "create", None

    def preview_sheets(self, sheets, filename="upload.xlsx", sheet=None, reading=None):
        self.raid, self.left_out = raid_log(sheets), {}
        return super().preview_sheets(sheets, filename, sheet, reading)

    def skip_row(self, raw):
        """A RAID log's other rows (issues, assumptions, dependencies) are left out, counted."""
        kind = KINDS.get(normalise(raw.get("kind"))) if self.raid else None
        if kind and kind != "risk":
            self.left_out[kind] = self.left_out.get(kind, 0) + 1
            return True
        return False

    def keep_raid_risks(self, table, preview):
        """A RAID log read as a risk register: its Risk rows are the import (the note says so)."""
        if not self.raid:
            return
        out = ", ".join(f"{n} {k}{'s' if n > 1 else ''}" for k, n in self.left_out.items())
        issues = "issue" in self.left_out or "issues" in self.raid
        preview.notes.insert(
            0,
            f"This is {raid_name(self.raid)}. Its Risk rows are read as a risk import"
            + (f" (sheet “{table.sheet}”)" if len(preview.sheets) > 1 else "")
            + (f"; left out: {out}" if out else "; the other parts are left out")
            + (". Issues have their own log: import them on the Issues page." if issues else "."),
        )

    def check(self, preview):
        super().check(preview)
        columns = {c.field.name: c.letter for c in preview.columns if c.field}
        for row in preview.rows:
            if row.values.get("kind") == "issue":
                preview.refuse(f"{row.title[:60] or 'This row'} {ISSUE_ROW}", row.number, columns.get("kind"))
            residual = (row.values.get("residual_likelihood"), row.values.get("residual_impact"))
            if (residual[0] is None) != (residual[1] is None):
                missing = "residual_impact" if residual[1] is None else "residual_likelihood"
                preview.refuse(
                    "give both residual likelihood and residual impact, or neither.", row.number, columns.get(missing)
                )

    def clean_exclude(self):
        return ["project", "owner", "version", "number", "score", "residual_score"]

    def build(self, row, preview, *, for_check=False, user=None, reason="", position=0):
        obj = row.target or Risk(project=self.project, number=0 if for_check else None)
        for name, value in row.values.items():
            if name in ("owner", "reference", "kind"):
                continue
            if value is not None or name in ("residual_likelihood", "residual_impact", "next_review_date"):
                setattr(obj, name, value)
        review = obj.next_review_date
        if row.target is None and row.values.get("date_raised") is None and review and review < obj.date_raised:
            # A file without a date raised: the risk was raised by its review date at the latest
            # (not "today", which would put its review before it was raised).
            obj.date_raised = review
        if not for_check and "owner" in row.values:
            obj.owner = self.stakeholder(row.values["owner"], user=user, reason=reason)
        return obj

    def apply(self, preview, *, user=None):
        """Updates are saved one by one; new risks get a block of numbers and one bulk insert
        with their history records (5,000 rows in one transaction)."""
        if preview.problems:
            raise SpreadsheetError(str(preview.problems[0]))
        if preview.questions:
            raise SpreadsheetError(f"Answer this first: {preview.questions[0]}")
        if not preview.rows:
            raise SpreadsheetError("There are no rows to import.")
        reason = f"Imported from {preview.filename}"[:100]
        with all_or_nothing():
            new = [r for r in preview.rows if r.action == "create"]
            numbers = iter(allocate_numbers(self.project, len(new)) if new else ())
            created = []
            stored = stored_values(Risk, [r.target.pk for r in preview.rows if r.action == "update"])
            for row in preview.rows:
                obj = self.build(row, preview, user=user, reason=reason)
                if row.action == "update":
                    if field_values(obj) != stored.get(obj.pk):  # an unchanged row is not written
                        obj.version += 1
                        stamp(obj, user, reason)
                        obj.save()
                else:
                    obj.number = next(numbers)
                    created.append(obj)
            if created:
                history_user = user if getattr(user, "is_authenticated", False) else None
                bulk_create_with_history(
                    created, Risk, batch_size=500, default_user=history_user, default_change_reason=reason
                )
        return {"created": preview.created, "updated": preview.updated, "stakeholders": len(preview.new_stakeholders)}

    def export_sheet(self):
        n = self.scale_size()
        risks = self.project.risks.select_related("owner").order_by("number")
        rows = [
            [
                r.reference,
                r.event,
                r.cause,
                r.effect,
                r.get_category_display(),
                r.likelihood,
                r.impact,
                r.score,
                r.mitigating_action,
                r.residual_likelihood,
                r.residual_impact,
                r.owner.name if r.owner else "",
                r.get_status_display(),
                r.next_review_date,
                r.date_raised,
            ]
            for r in risks
        ]
        scale = ("whole", 1, n)
        return SheetSpec(
            "Risks",
            [
                ColumnSpec("Reference", 10),
                ColumnSpec("Event", 44, wrap=True),
                ColumnSpec("Cause", 30, wrap=True),
                ColumnSpec("Effect", 30, wrap=True),
                ColumnSpec("Category", 22, validation=("list", ",".join(l for _, l in Risk.Category.choices))),
                ColumnSpec(f"Likelihood (1-{n})", 12, "number", scale),
                ColumnSpec(f"Impact (1-{n})", 12, "number", scale),
                ColumnSpec(f"Score (1-{n * n})", 10, "number", ("whole", 1, n * n)),
                ColumnSpec("Action to mitigate", 44, wrap=True),
                ColumnSpec(f"Residual likelihood (1-{n})", 12, "number", scale),
                ColumnSpec(f"Residual impact (1-{n})", 12, "number", scale),
                ColumnSpec("Owner", 22),
                ColumnSpec("Status", 10, validation=("list", ",".join(l for _, l in Risk.Status.choices))),
                ColumnSpec("Next review", 12, "date"),
                ColumnSpec("Date raised", 12, "date"),
            ],
            rows,
        )


# The issue log ------------------------------------------------------------------------------

ISSUE_TYPES = words_for(
    Issue.Type.choices,
    [
        ("rfc", "request_for_change"),
        ("change request", "request_for_change"),
        ("change", "request_for_change"),
        ("off spec", "off_specification"),
        ("off specification", "off_specification"),
        ("problem", "problem"),
        ("concern", "problem"),
        ("problem concern", "problem"),
    ],
)
ISSUE_PRIORITIES = words_for(
    Issue.Priority.choices, [("critical", "high"), ("urgent", "high"), ("very high", "high"), ("normal", "medium")]
)
ISSUE_STATUSES = words_for(
    Issue.Status.choices,
    [
        ("resolved", "closed"),
        ("done", "closed"),
        ("complete", "closed"),
        ("completed", "closed"),
        ("in progress", "open"),
        ("new", "open"),
        ("active", "open"),
        ("ongoing", "open"),
    ],
)


@importers.register("issues", order=45)
class IssueImporter(Importer):
    """The "Issues" sheet. Its own reference (I3) updates that issue; other IDs create new
    issues with new numbers. A closed issue needs its closed date (Issue.clean says so)."""

    kind, label, noun, model = "issues", "Issue log", "an issue log", Issue
    title_words = ("issue",)
    key = "reference"
    fields = [
        Field(
            "reference",
            "Reference",
            ("id", "issue id", "ref", "issue ref", "issue number", "no", "number"),
            max_length=40,
        ),
        Field(
            "title",
            "Title",
            ("issue", "issue title", "summary", "subject", "issue summary"),
            required=True,
            max_length=200,
            marks=("issue", "issues"),
        ),
        Field("issue_type", "Type", ("issue type", "category"), type="choice", choices=ISSUE_TYPES, distinctive=True),
        Field("priority", "Priority", ("issue priority",), type="choice", choices=ISSUE_PRIORITIES, distinctive=True),
        Field("severity", "Severity or impact", ("severity", "impact"), max_length=200),
        Field("description", "Description", ("details", "issue description"), max_length=5000),
        Field("raised_on", "Raised on", ("date raised", "raised", "date logged", "logged", "date opened"), type="date"),
        Field("raised_by", "Raised by", ("reported by", "originator", "author"), max_length=200, distinctive=True),
        Field("owner", "Owner", ("issue owner", "assigned to", "responsible", "action owner"), type="stakeholder"),
        Field(
            "action",
            "Action or decision",
            ("action", "actions", "decision", "resolution", "response", "next steps"),
            max_length=5000,
        ),
        Field("status", "Status", ("issue status", "state"), type="choice", choices=ISSUE_STATUSES, exclude=("rag",)),
        Field(
            "closed_on",
            "Closed on",
            ("date closed", "closed", "resolved on", "date resolved"),
            type="date",
            distinctive=True,
        ),
    ]

    def existing(self):
        return {f"i{i.number}": i for i in self.project.issues.all()}

    def read_rows(self, table, preview):
        super().read_rows(table, preview)
        for row in preview.rows:  # "I3" is our reference; anything else never updates
            reference = row.values.get("reference") or ""
            if row.action == "update" and not ISSUE_REFERENCE.match(reference.strip()):
                row.action, row.target = "create", None

    def clean_exclude(self):
        return ["project", "owner", "version", "number"]

    def build(self, row, preview, *, for_check=False, user=None, reason="", position=0):
        obj = row.target or Issue(project=self.project, number=0 if for_check else None)
        for name, value in row.values.items():
            if name in ("owner", "reference"):
                continue
            if value is not None or name == "closed_on":
                setattr(obj, name, value)
        if row.values.get("status") is None and obj.closed_on is not None:
            obj.status = Issue.Status.CLOSED  # a closed date and no status column: it was closed
        closed = obj.closed_on
        if row.target is None and row.values.get("raised_on") is None and closed and closed < obj.raised_on:
            # A file without a raised date: it was raised by the day it closed at the latest
            # (not "today", which would put its closing before it was raised).
            obj.raised_on = closed
        if not for_check and "owner" in row.values:
            obj.owner = self.stakeholder(row.values["owner"], user=user, reason=reason)
        return obj

    def export_sheet(self):
        issues = self.project.issues.select_related("owner").order_by("number")
        rows = [
            [
                i.reference,
                i.title,
                i.get_issue_type_display(),
                i.get_priority_display(),
                i.severity,
                i.description,
                i.raised_on,
                i.raised_by,
                i.owner.name if i.owner else "",
                i.action,
                i.get_status_display(),
                i.closed_on,
            ]
            for i in issues
        ]
        return SheetSpec(
            "Issues",
            [
                ColumnSpec("Reference", 10),
                ColumnSpec("Title", 40, wrap=True),
                ColumnSpec("Type", 20, validation=("list", ",".join(l for _, l in Issue.Type.choices))),
                ColumnSpec("Priority", 10, validation=("list", ",".join(l for _, l in Issue.Priority.choices))),
                ColumnSpec("Severity or impact", 24, wrap=True),
                ColumnSpec("Description", 44, wrap=True),
                ColumnSpec("Raised on", 12, "date"),
                ColumnSpec("Raised by", 20),
                ColumnSpec("Owner", 22),
                ColumnSpec("Action or decision", 44, wrap=True),
                ColumnSpec("Status", 10, validation=("list", ",".join(l for _, l in Issue.Status.choices))),
                ColumnSpec("Closed on", 12, "date"),
            ],
            rows,
        )
