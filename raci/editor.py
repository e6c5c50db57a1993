"""What the matrix editor shows: rows and columns with their rule messages, and its forms.

Kept apart from the views so that the page, the htmx fragments and `matrix_editor()` (the
editor embedded in session 3) are built from one context and cannot drift apart.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from projects import access

from .defaults import DEFAULT_ACTIVITIES
from .forms import ActivityForm, PersonForm
from .rules import ERROR, NOTE, load, problems


@dataclass
class Row:
    activity: object
    cells: list  # (stakeholder, letters) in column order
    problems: list = field(default_factory=list)
    form: object = None  # set while the row is being renamed
    open: bool = False  # its menu stays open after a move, so focus can return to it


@dataclass
class Column:
    person: object
    problems: list = field(default_factory=list)
    form: object = None
    open: bool = False


def _plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"


def status_line(found, last=""):
    """'2 errors and 1 note.' after the last change made, for the live status region."""
    errors = sum(1 for p in found if p.level == ERROR)
    notes = sum(1 for p in found if p.level == NOTE)
    if not errors and not notes:
        counts = "The matrix meets every rule."
    else:
        counts = f"{_plural(errors, 'error')} and {_plural(notes, 'note')}."
    return f"{last} {counts}".strip()


def editor_context(
    request,
    project,
    *,
    next_url="",
    activity_form=None,
    person_form=None,
    editing_activity=None,
    editing_person=None,
    opened="",
    notice="",
):
    """Everything the `editor` partial needs. Three queries for the matrix, one for milestones."""
    matrix = load(project)
    found = problems(project, matrix=matrix)
    by_row, by_column = {}, {}
    for problem in found:
        if problem.activity_id:
            by_row.setdefault(problem.activity_id, []).append(problem)
        elif problem.stakeholder_id:
            by_column.setdefault(problem.stakeholder_id, []).append(problem)
    people = matrix.stakeholders
    rows = [
        Row(
            a,
            [(s, matrix.cells.get((a.pk, s.pk), "")) for s in people],
            by_row.get(a.pk, []),
            open=opened == f"a{a.pk}",
        )
        for a in matrix.activities
    ]
    columns = [Column(s, by_column.get(s.pk, []), open=opened == f"p{s.pk}") for s in people]
    for items, editing in ((rows, editing_activity), (columns, editing_person)):
        if editing:
            pk, form = editing
            for item in items:
                if (item.activity if isinstance(item, Row) else item.person).pk == pk:
                    item.form = form
    can_edit = access.allowed(request.user, project, "edit")
    matrix_url = reverse("raci:matrix", args=[project.slug])
    context = {
        "project": project,
        "rows": rows,
        "columns": columns,
        "problems": found,
        "can_edit": can_edit,
        "error_count": sum(1 for p in found if p.level == ERROR),
        "status": notice or status_line(found) if matrix.activities else notice,
        "status_is_error": bool(notice),
        "matrix_url": matrix_url,
        "cell_base": matrix_url + "cells/",
        "next_url": next_url,
        "opened": opened,
        "default_activities": DEFAULT_ACTIVITIES if not matrix.activities else [],
    }
    if can_edit:
        context["activity_form"] = activity_form or ActivityForm(project=project, prefix="add")
        context["person_form"] = person_form or PersonForm(project=project, prefix="person")
    return context
