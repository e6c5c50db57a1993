"""RACI matrix: activities by stakeholders, with R, A, C, I per cell.

Public entry points for other areas (imports are lazy: this module loads before the apps):
- `raci.rules.problems(project)`, `raci.rules.readiness(project)`
- `raci.summary.by_person(project)`
- `raci.views.matrix_editor(request, project, next_url=None)`
- `raci.report_data(project)`: the highlight report's RACI section as plain JSON, frozen into
  an issued report's snapshot; `raci.report_context(data)` turns it into the context of
  templates/raci/_report_section.html, and `raci.pdf_section(project)` renders that.
"""


def report_data(project) -> dict:
    """The RACI section as JSON, in three queries: rows (activity name and the names holding
    each letter, in row and column order), ready and readiness (raci.rules.readiness) and
    errors (the messages of the error Problems)."""
    from .rules import load, problems, readiness
    from .summary import by_activity

    matrix = load(project)
    ready, sentence = readiness(project, matrix=matrix)
    return {
        "rows": [
            {
                "activity": row.activity.name,
                "accountable": [p.name for p in row.accountable],
                "responsible": [p.name for p in row.responsible],
                "consulted": [p.name for p in row.consulted],
                "informed": [p.name for p in row.informed],
            }
            for row in by_activity(project, matrix=matrix)
        ],
        "ready": ready,
        "readiness": sentence,
        "errors": [p.message for p in problems(project, matrix=matrix) if p.level == "error"],
    }


def report_context(project_or_data) -> dict:
    """Context of templates/raci/_report_section.html from a project (live) or from the dict
    `report_data` made (a report's snapshot)."""
    data = project_or_data if isinstance(project_or_data, dict) else report_data(project_or_data)
    return {
        "raci_rows": data["rows"],
        "raci_ready": data["ready"],
        "raci_readiness": data["readiness"],
        "raci_errors": data["errors"],
    }


def pdf_section(project) -> str:
    """The RACI section of the highlight report as HTML, for a template extending pdf_base.html."""
    from django.template.loader import render_to_string

    return render_to_string("raci/_report_section.html", report_context(project))
