"""The dashboard's highlight report panel: the latest issued report and the current draft."""

from django.template.loader import render_to_string

from projects import access
from projects.registry import dashboard_panels


@dashboard_panels.register("reports", order=60)
def dashboard_panel(request, project):
    """Latest issued report, the newest draft and the count: one query whatever the number of reports."""
    reports = list(
        project.reports.select_related("issued_by")
        .only(
            "number",
            "period_start",
            "period_end",
            "overall_rag",
            "issued_at",
            "issued_by__username",
            "issued_by__first_name",
            "issued_by__last_name",
            "project_id",
        )
        .order_by("-number")[:50]
    )
    issued = next((r for r in reports if r.is_issued), None)
    draft = next((r for r in reports if not r.is_issued), None)
    return render_to_string(
        "reports/dashboard_panel.html",
        {
            "project": project,
            "issued": issued,
            "draft": draft,
            "count": len(reports),
            "can_edit": access.allowed(request.user, project, "edit"),
        },
        request=request,
    )
