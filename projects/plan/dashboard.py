"""The dashboard's work-plan panel: milestones whose forecast has passed their baseline."""

from django.template.loader import render_to_string

from projects.registry import dashboard_panels

SHOWN = 6


@dashboard_panels.register("plan", order=30)
def dashboard_panel(request, project):
    """Slipping milestones, most slip first, with days of slip. Two queries, whatever the data."""
    slipping = sorted(
        project.milestones.slipping().select_related("owner"),
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
