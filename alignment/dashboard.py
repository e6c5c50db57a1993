"""The dashboard's readiness panel: the milestone's success criteria and the sessions' status."""

from django.template.loader import render_to_string

from projects.registry import dashboard_panels

from . import guidance
from .models import Session
from .readiness import readiness


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
    return render_to_string(
        "alignment/dashboard_panel.html",
        {"project": project, "items": items, "done_count": sum(i.done for i in items), "sessions": sessions},
        request=request,
    )
