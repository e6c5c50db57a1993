"""The dashboard's risk panel: reviews that are overdue and the highest-scoring live risks."""

from django.template.loader import render_to_string
from django.utils import timezone

from projects.registry import dashboard_panels

from .models import settings_for

TOP = 5
OVERDUE_SHOWN = 5


@dashboard_panels.register("risks", order=40)
def dashboard_panel(request, project):
    """Rendered HTML of the panel; four queries whatever the number of risks (settings,
    overdue count, overdue list, top risks)."""
    today = timezone.localdate()
    settings_for(project)
    live = project.risks.select_related("owner")
    overdue = live.overdue_review(today)
    context = {
        "project": project,
        "overdue_count": overdue.count(),
        "overdue": list(overdue.order_by("next_review_date", "number")[:OVERDUE_SHOWN]),
        "top": list(live.open().by_score()[:TOP]),
        "today": today,
    }
    return render_to_string("risks/dashboard_panel.html", context, request=request)
