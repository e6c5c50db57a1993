"""The advisory team's advice, shown to the buying team on the project dashboard."""

from django.template.loader import render_to_string

from projects.advisory.models import AdvisoryReview, HelpRequest
from projects.registry import dashboard_panels


@dashboard_panels.register("advisory", order=20)
def dashboard_panel(request, project) -> str:
    """Two queries: the review with its reviewer (none yet: says so) and the open help requests."""
    review = AdvisoryReview.objects.select_related("reviewed_by").filter(project=project).first()
    open_requests = list(project.help_requests.exclude(status=HelpRequest.Status.CLOSED).select_related("assigned_to"))
    return render_to_string(
        "advisory/dashboard_panel.html",
        {"project": project, "review": review, "open_requests": open_requests},
        request=request,
    )
