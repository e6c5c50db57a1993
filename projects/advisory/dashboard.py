"""The advisory team's advice, shown to the buying team on the project dashboard."""

from django.template.loader import render_to_string

from projects.advisory.models import AdvisoryReview
from projects.registry import dashboard_panels


@dashboard_panels.register("advisory", order=20)
def dashboard_panel(request, project) -> str:
    """One query: the review with its reviewer (none yet: says so)."""
    review = AdvisoryReview.objects.select_related("reviewed_by").filter(project=project).first()
    return render_to_string("advisory/dashboard_panel.html", {"project": project, "review": review}, request=request)
