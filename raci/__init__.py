"""RACI matrix: activities by stakeholders, with R, A, C, I per cell.

Public entry points for other areas (imports are lazy: this module loads before the apps):
- `raci.rules.problems(project)`, `raci.rules.readiness(project)`
- `raci.summary.by_person(project)`
- `raci.views.matrix_editor(request, project, next_url=None)`
- `raci.report_context(project)` / `raci.pdf_section(project)` for the highlight report PDF
"""


def report_context(project) -> dict:
    """Context of templates/raci/_report_section.html, in four queries.

    raci_rows: list of raci.summary.ActivitySummary (activity, accountable, responsible,
    consulted, informed: lists of stakeholders); raci_ready, raci_readiness: the result of
    raci.rules.readiness; raci_errors: the error Problems."""
    from .rules import load, problems, readiness
    from .summary import by_activity

    matrix = load(project)
    ready, sentence = readiness(project, matrix=matrix)
    return {
        "project": project,
        "raci_rows": by_activity(project, matrix=matrix),
        "raci_ready": ready,
        "raci_readiness": sentence,
        "raci_errors": [p for p in problems(project, matrix=matrix) if p.level == "error"],
    }


def pdf_section(project) -> str:
    """The RACI section of the highlight report as HTML, for a template extending pdf_base.html."""
    from django.template.loader import render_to_string

    return render_to_string("raci/_report_section.html", report_context(project))
