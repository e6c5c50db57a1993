"""The RACI matrix: activities (rows) by the project's stakeholders (columns).

A cell is an Assignment holding one or more of the letters R, A, C, I. The letters are kept
as a short string in one canonical order ("ARCI", so A and R together is "AR"); an empty
cell has no Assignment row at all.
"""

from itertools import combinations

from django.db import models
from simple_history.models import HistoricalRecords

from projects.models import SHORT_TEXT, Versioned

ORDER = "ARCI"
LETTER_NAMES = {"R": "responsible", "A": "accountable", "C": "consulted", "I": "informed"}
# Every non-empty subset of ARCI in canonical order: the only values a cell may hold.
VALID_LETTERS = ["".join(combo) for size in range(1, 5) for combo in combinations(ORDER, size)]


def canonical(letters) -> str:
    """Upper-cased, de-duplicated, in ARCI order; raises ValueError on anything but R, A, C, I."""
    text = letters if isinstance(letters, str) else "".join(letters)
    chosen = {ch for ch in text.upper() if not ch.isspace() and ch not in ",;/+"}
    unknown = chosen - set(ORDER)
    if unknown:
        raise ValueError(f"Use only the letters R, A, C and I (not {', '.join(sorted(unknown))}).")
    return "".join(ch for ch in ORDER if ch in chosen)


def describe(letters) -> str:
    """'AR' -> 'accountable and responsible'; '' -> 'no letter'."""
    words = [LETTER_NAMES[ch] for ch in letters]
    if not words:
        return "no letter"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


class Activity(Versioned):
    """A row of the matrix: something the buying project has to get done or decided."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="raci_activities")
    name = models.CharField(max_length=SHORT_TEXT)
    position = models.PositiveIntegerField(default=0)
    milestone = models.ForeignKey(
        "plan.Milestone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raci_activities",
        help_text="The work-plan milestone this activity belongs to, if any.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "RACI activity"
        verbose_name_plural = "RACI activities"

    def __str__(self):
        return self.name


class Assignment(Versioned):
    """A cell of the matrix: the letters one stakeholder holds on one activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="assignments")
    stakeholder = models.ForeignKey("projects.Stakeholder", on_delete=models.CASCADE, related_name="raci_assignments")
    letters = models.CharField(max_length=4, help_text="One or more of R, A, C, I, e.g. AR.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["activity_id", "stakeholder_id"]
        verbose_name = "RACI assignment"
        constraints = [
            models.UniqueConstraint(fields=["activity", "stakeholder"], name="raci_one_cell_per_activity_and_person"),
            models.CheckConstraint(condition=models.Q(letters__in=VALID_LETTERS), name="raci_letters_are_arci"),
        ]

    def __str__(self):
        return f"{self.stakeholder}: {self.letters} on {self.activity}"
