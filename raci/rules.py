"""The rules a RACI matrix should meet, in plain words.

`problems(project)` and `readiness(project)` are used by the matrix editor, the readiness
checklist (alignment), the dashboard panel and the admin's consistency checks. Both read the
matrix in three queries whatever its size (activities, stakeholders, cells).
"""

from dataclasses import dataclass, field

from projects.models import Stakeholder

from .models import Activity, Assignment, canonical, describe

ERROR, NOTE = "error", "note"


@dataclass(frozen=True)
class Problem:
    level: str  # "error" | "note"
    message: str  # plain words, ready to show (escape it like any user text: it quotes names)
    activity_id: int | None = None
    stakeholder_id: int | None = None
    code: str = ""  # stable name of the rule, e.g. "no_accountable"


@dataclass
class Matrix:
    """The whole matrix read once: rows, columns and the letters in each cell."""

    activities: list
    stakeholders: list
    cells: dict = field(default_factory=dict)  # (activity_id, stakeholder_id) -> "AR"

    def letters(self, activity_id, stakeholder_id) -> str:
        return self.cells.get((activity_id, stakeholder_id), "")

    def holding(self, stakeholder_id):
        """(activity, letters) for every cell this person holds, in row order."""
        return [(a, self.cells[a.pk, stakeholder_id]) for a in self.activities if (a.pk, stakeholder_id) in self.cells]


def load(project) -> Matrix:
    """Three queries: activities (with their milestone), stakeholders, cells."""
    activities = list(Activity.objects.filter(project=project).select_related("milestone"))
    stakeholders = list(Stakeholder.objects.filter(project=project))
    cells = {
        (a, s): letters
        for a, s, letters in Assignment.objects.filter(activity__project=project).values_list(
            "activity_id", "stakeholder_id", "letters"
        )
    }
    return Matrix(activities, stakeholders, cells)


def _names(people):
    names = [p.name for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def problems(project, *, matrix: Matrix | None = None) -> list[Problem]:
    """Every rule the matrix breaks: activity rows first, then people, in display order."""
    matrix = matrix or load(project)
    if not matrix.activities:
        return []
    people = {s.pk: s for s in matrix.stakeholders}
    by_activity = {}
    for (aid, sid), letters in matrix.cells.items():
        if sid in people:
            by_activity.setdefault(aid, []).append((people[sid], letters))
    found = []
    for activity in matrix.activities:
        holders = by_activity.get(activity.pk, [])
        holders.sort(key=lambda pair: (pair[0].position, pair[0].name, pair[0].pk))
        accountable = [p for p, letters in holders if "A" in letters]
        responsible = [p for p, letters in holders if "R" in letters]
        name = activity.name
        if not accountable:
            found.append(
                Problem(
                    ERROR,
                    f"No one is accountable for “{name}”: give exactly one person the A.",
                    activity.pk,
                    None,
                    "no_accountable",
                )
            )
        elif len(accountable) > 1:
            found.append(
                Problem(
                    ERROR,
                    f"“{name}” has {len(accountable)} people accountable ({_names(accountable)}): keep exactly one A.",
                    activity.pk,
                    None,
                    "many_accountable",
                )
            )
        if not responsible:
            found.append(
                Problem(
                    ERROR,
                    f"No one is responsible for “{name}”: give at least one person an R.",
                    activity.pk,
                    None,
                    "no_responsible",
                )
            )
        for person in accountable:
            if person in responsible:
                found.append(
                    Problem(
                        NOTE,
                        f"{person.name} is both accountable and responsible for “{name}”: "
                        "check that someone else reviews the work.",
                        activity.pk,
                        person.pk,
                        "accountable_and_responsible",
                    )
                )
    held = {}
    for (_, sid), letters in matrix.cells.items():
        held.setdefault(sid, set()).update(letters)
    for person in matrix.stakeholders:
        letters = held.get(person.pk, set())
        if not letters:
            found.append(
                Problem(
                    NOTE,
                    f"{person.name} has no letter on any activity: give them a role or remove them from the matrix.",
                    None,
                    person.pk,
                    "no_letter",
                )
            )
        if person.kind == Stakeholder.Kind.APPROVER and not letters & {"A", "C"}:
            held_words = f"only {describe(canonical(''.join(letters)))} on activities" if letters else "on no activity"
            found.append(
                Problem(
                    NOTE,
                    f"{person.name} is an approver but is {held_words}, never accountable or "
                    "consulted: involve them before they are asked to approve.",
                    None,
                    person.pk,
                    "approver_not_involved",
                )
            )
    return found


def _quoted(names, limit=3):
    shown = [f"“{n}”" for n in names[:limit]]
    more = len(names) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def readiness(project, *, matrix: Matrix | None = None) -> tuple[bool, str]:
    """(True, a sentence) when there is at least one activity and no errors; else (False, what is missing)."""
    matrix = matrix or load(project)
    if not matrix.activities:
        return (
            False,
            "The RACI matrix has no activities yet: add what the project must do and who is accountable for each.",
        )
    names = {a.pk: a.name for a in matrix.activities}
    by_code = {}
    for problem in problems(project, matrix=matrix):
        if problem.level == ERROR:
            by_code.setdefault(problem.code, []).append(names[problem.activity_id])
    if not by_code:
        count = len(matrix.activities)
        subject = "The RACI activity has" if count == 1 else f"All {count} RACI activities have"
        return True, f"{subject} exactly one person accountable and at least one responsible."
    parts = []
    for code, phrase in [
        ("no_accountable", "no one accountable"),
        ("many_accountable", "more than one person accountable"),
        ("no_responsible", "no one responsible"),
    ]:
        found = by_code.get(code)
        if found:
            verb = "has" if len(found) == 1 else "have"
            parts.append(
                f"{len(found)} {'activity' if len(found) == 1 else 'activities'} {verb} {phrase} ({_quoted(found)})"
            )
    sentence = parts[0] if len(parts) == 1 else "; ".join(parts[:-1]) + " and " + parts[-1]
    return False, f"In the RACI matrix, {sentence}."
