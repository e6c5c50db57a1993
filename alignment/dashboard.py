"""The dashboard's readiness panel: the milestone's success criteria, the sessions' status and
the sessions' open actions."""

from django.template.loader import render_to_string

from projects.registry import dashboard_panels

from . import guidance, turns
from .actions import open_actions
from .models import Session
from .readiness import readiness

ACTIONS_SHOWN = 6


@dashboard_panels.register("alignment", order=10)
def dashboard_panel(request, project) -> str:
    sessions = list(Session.objects.filter(project=project))
    items = readiness(project)
    statuses = {s.number: s.status for s in sessions}
    labels = dict(Session.Status.choices)
    sessions = [
        (n, t.title, statuses.get(n, Session.Status.NOT_STARTED), labels[statuses.get(n, Session.Status.NOT_STARTED)])
        for n, t in guidance.TEMPLATES.items()
    ]
    actions = list(open_actions(project))  # one query, however many (the list is cut below)
    return render_to_string(
        "alignment/dashboard_panel.html",
        {
            "project": project,
            "items": items,
            "done_count": sum(i.done for i in items),
            "sessions": sessions,
            "actions": actions[:ACTIONS_SHOWN],
            "actions_more": max(len(actions) - ACTIONS_SHOWN, 0),
            "actions_count": len(actions),
            "overdue_count": sum(a.is_overdue for a in actions),
            "turns": turns.turns(project, request.user, getattr(project, "role", None)),
            "takes_turns": getattr(project, "role", None) in turns.ROLES,
            "email_my_turn": getattr(project, "email_my_turn", False),
        },
        request=request,
    )
