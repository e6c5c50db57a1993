"""Spreadsheet import and export of stakeholders (the plan's importers: projects/plan/xlsx.py).

Each importer lists the words people use for our fields and registers itself in
projects.registry.importers; projects.importing and mobilise.spreadsheets do the rest.
"""

from collections import OrderedDict

from mobilise.spreadsheets import ColumnSpec, Field, SheetSpec
from mobilise.spreadsheets.values import normalise

from .importing import Importer
from .models import Stakeholder
from .registry import importers


def words_for(choices, extra=()):
    """Choice words: each label and value, then the extra synonyms, in priority order."""
    words = OrderedDict()
    for word, value in extra:
        words[normalise(word)] = value
    for value, label in choices:
        words.setdefault(normalise(label), value)
        words.setdefault(normalise(value), value)
    return words


LEVELS = words_for(
    Stakeholder.Level.choices,
    [
        ("very high", "high"),
        ("low moderate", "medium"),
        ("moderate high", "high"),
        ("moderate", "medium"),
        ("med", "medium"),
        ("h", "high"),
        ("m", "medium"),
        ("l", "low"),
    ],
)


def names(people) -> str:
    return "; ".join(p.name for p in people)


@importers.register("stakeholders", order=10)
class StakeholderImporter(Importer):
    kind, label, noun, model = "stakeholders", "Stakeholders", "a stakeholder list", Stakeholder
    title_words = ("stakeholder", "register")
    min_mapped = 1
    fields = [
        Field(
            "name",
            "Name",
            ("stakeholder", "stakeholder name", "full name", "person", "contact"),
            required=True,
            max_length=200,
            marks=("stakeholder", "stakeholders"),
        ),
        Field(
            "organisation",
            "Organisation",
            ("organization", "department", "team", "company", "agency", "business unit"),
            max_length=200,
            distinctive=True,
        ),
        Field(
            "role_title", "Role or title", ("role", "title", "job title", "position"), max_length=200, distinctive=True
        ),
        Field(
            "kind",
            "Kind",
            ("stakeholder type", "type", "category"),
            type="choice",
            choices=words_for(Stakeholder.Kind.choices, [("sme", "sme"), ("expert", "sme"), ("approver", "approver")]),
            fallback=Stakeholder.Kind.OTHER,
        ),
        Field(
            "interest",
            "Interest",
            ("interest level", "level of interest"),
            type="choice",
            choices=LEVELS,
            distinctive=True,
        ),
        Field(
            "influence",
            "Influence",
            ("power", "influence level", "level of influence", "authority"),
            type="choice",
            choices=LEVELS,
            distinctive=True,
        ),
        Field(
            "approval_criteria",
            "Approval criteria",
            ("expectations", "stake in project", "success criteria", "needs"),
            max_length=2000,
            distinctive=True,
        ),
        Field(
            "communication_needs",
            "Communication needs",
            ("engagement level", "engagement", "com plan", "communication plan", "communication"),
            max_length=2000,
            distinctive=True,
        ),
        Field("email", "Email", ("e mail", "email address", "mail"), max_length=254, distinctive=True),
    ]

    def existing(self):
        return {normalise(s.name): s for s in self.project.stakeholders.all()}

    def build(self, row, preview, *, for_check=False, user=None, reason="", position=0):
        obj = row.target or Stakeholder(project=self.project)  # placed after the others on save
        for name, value in row.values.items():
            if value is not None:  # a blank choice keeps the default
                setattr(obj, name, value)
        if not for_check:
            self.stakeholders_by_name()[normalise(obj.name)] = obj
        return obj

    def stakeholder_display(self, name, preview):  # names in this sheet are the stakeholders themselves
        return name

    def export_sheet(self):
        rows = [
            [
                s.name,
                s.organisation,
                s.role_title,
                s.get_kind_display(),
                s.get_interest_display(),
                s.get_influence_display(),
                s.approval_criteria,
                s.communication_needs,
                s.email,
            ]
            for s in self.project.stakeholders.all()
        ]
        levels = ",".join(label for _, label in Stakeholder.Level.choices)
        return SheetSpec(
            "Stakeholders",
            [
                ColumnSpec("Name", 28),
                ColumnSpec("Organisation", 24),
                ColumnSpec("Role or title", 24),
                ColumnSpec("Kind", 20, validation=("list", ",".join(label for _, label in Stakeholder.Kind.choices))),
                ColumnSpec("Interest", 10, validation=("list", levels)),
                ColumnSpec("Influence", 10, validation=("list", levels)),
                ColumnSpec("Approval criteria", 40, wrap=True),
                ColumnSpec("Communication needs", 40, wrap=True),
                ColumnSpec("Email", 28),
            ],
            rows,
        )


YES_NO = OrderedDict(
    [
        ("yes", True),
        ("y", True),
        ("true", True),
        ("1", True),
        ("inside", True),
        ("within", True),
        ("no", False),
        ("n", False),
        ("false", False),
        ("0", False),
        ("outside", False),
    ]
)
