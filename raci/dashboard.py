"""The dashboard's RACI panel: how many rule errors the matrix has, with a link to fix them."""

from django.template.loader import render_to_string

from projects.registry import dashboard_panels

from .rules import ERROR, load, problems, readiness


@dashboard_panels.register("raci", order=50)
def dashboard_panel(request, project) -> str:
    """Three queries whatever the matrix size."""
    matrix = load(project)
    found = problems(project, matrix=matrix)
    errors = sum(1 for p in found if p.level == ERROR)
    context = {
        "project": project,
        "activity_count": len(matrix.activities),
        "person_count": len(matrix.stakeholders),
        "error_count": errors,
        "note_count": len(found) - errors,
        "readiness": readiness(project, matrix=matrix)[1] if errors else "",
    }
    return render_to_string("raci/dashboard_panel.html", context, request=request)
