"""The sessions' action items: what the dashboard and the minutes list, and turning a line of
session 2's log into an action.

Actions record follow-ups, not the agreement: nothing here clears a sign-off."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from projects.models import Project

from . import services
from .models import Action, Assumption


def open_actions(project: Project) -> QuerySet[Action]:
    """The project's open actions, oldest due first (undated last), with owner and session."""
    return project.actions.open().by_due_date().select_related("owner", "session")


@dataclass(frozen=True)
class MadeAction:
    action: Action
    created: bool  # False: the assumption already had one, which is returned


class NotOpen(Exception):
    pass


@transaction.atomic
def action_from_assumption(*, assumption: Assumption) -> MadeAction:
    """An open action in session 2 with the assumption's text, owner and due date, linked to it.

    Once per assumption: the row is locked, so a double click (or two people at once) makes one
    action and the second is given the first's (the unique constraint backs this up)."""
    assumption = Assumption.objects.select_for_update().get(pk=assumption.pk)
    existing = Action.objects.filter(source_assumption=assumption).first()
    if existing is not None:
        return MadeAction(existing, created=False)
    if assumption.status != Assumption.Status.OPEN:
        raise NotOpen(
            f"“{assumption}” is {assumption.get_status_display().lower()}: only an open assumption or "
            "question is made into an action. Nothing was added."
        )
    action = Action(
        project_id=assumption.project_id,
        session=services.session_for(assumption.project, 2),
        text=assumption.text,
        owner_id=assumption.owner_id,
        due_date=assumption.due_date,
        source_assumption=assumption,
    )
    action.full_clean()
    action.save()
    return MadeAction(action, created=True)
