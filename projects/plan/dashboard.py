"""The dashboard's work-plan panel: open milestones whose forecast has passed their baseline
(`slipping_open`, the rule the admin, the portfolio export and the report use too)."""

from django.template.loader import render_to_string

from projects.registry import dashboard_panels

SHOWN = 6


@dashboard_panels.register("plan", order=30)
def dashboard_panel(request, project):
    """Slipping open milestones, most slip first (the first is the worst), with days of slip.
    Two queries, whatever the data."""
    slipping = sorted(
        project.milestones.slipping_open().select_related("owner"),
        key=lambda m: (-m.slip_days, m.position, m.pk),
    )
    has_any = project.milestones.exists()
    return render_to_string(
        "plan/plan_dashboard.html",
        {
            "project": project,
            "slipping": slipping[:SHOWN],
            "more": max(len(slipping) - SHOWN, 0),
            "total_slipping": len(slipping),
            "has_any": has_any,
        },
        request=request,
    )
