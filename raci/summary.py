"""The matrix read the other way round: per person, and per activity.

`by_person` feeds the project brief and, through `communication_needs`, the communication plan; `by_activity` feeds the
printable view and the highlight report section. Each reads the matrix in three queries.
"""

import re
from typing import NamedTuple

from .rules import Matrix, load


class PersonSummary(NamedTuple):
    stakeholder: object  # projects.Stakeholder
    accountable: list  # Activity objects, in row order
    responsible: list
    consulted: list
    informed: list

    @property
    def has_any(self) -> bool:
        return bool(self.accountable or self.responsible or self.consulted or self.informed)


class ActivitySummary(NamedTuple):
    activity: object  # raci.Activity
    accountable: list  # Stakeholder objects, in column order
    responsible: list
    consulted: list
    informed: list


def by_person(project, *, matrix: Matrix | None = None) -> list[PersonSummary]:
    """One entry per stakeholder (column order), even those who hold no letter."""
    matrix = matrix or load(project)
    result = []
    for person in matrix.stakeholders:
        held = {letter: [] for letter in "ARCI"}
        for activity, letters in matrix.holding(person.pk):
            for letter in letters:
                held[letter].append(activity)
        result.append(PersonSummary(person, held["A"], held["R"], held["C"], held["I"]))
    return result


def group_key(name: str) -> str:
    """A group's name compared without case, extra spaces or a trailing abbreviation:
    "Joint Improvement Board (JIB)" and "joint improvement board" are one group."""
    return " ".join(re.sub(r"\s*\([^()]*\)\s*$", "", name).casefold().split())


def communication_needs(
    project, covered_ids, *, groups=(), matrix: Matrix | None = None
) -> list[tuple[PersonSummary, bool]]:
    """(summary, covered) for each person the matrix says to consult or inform, where `covered`
    says whether some communication of the plan already reaches them: they are in its audience
    (`covered_ids`), or it goes to a group (`groups`) named as they are or their organisation."""
    keys = {group_key(g) for g in groups} - {""}

    def reached(person):
        if person.pk in covered_ids:
            return True
        return group_key(person.name) in keys or (bool(person.organisation) and group_key(person.organisation) in keys)

    return [
        (entry, reached(entry.stakeholder))
        for entry in by_person(project, matrix=matrix)
        if entry.consulted or entry.informed
    ]


def by_activity(project, *, matrix: Matrix | None = None) -> list[ActivitySummary]:
    """One entry per activity (row order) naming who holds each letter."""
    matrix = matrix or load(project)
    result = []
    for activity in matrix.activities:
        held = {letter: [] for letter in "ARCI"}
        for person in matrix.stakeholders:
            for letter in matrix.letters(activity.pk, person.pk):
                held[letter].append(person)
        result.append(ActivitySummary(activity, held["A"], held["R"], held["C"], held["I"]))
    return result
