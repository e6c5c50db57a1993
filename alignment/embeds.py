"""The editors other areas own, embedded in the session pages.

Session 2 shows the work plan's milestones and the risk register, session 3 the RACI
matrix. Each area exposes `editor(request, project, next_url=None) -> str`. Alignment sits
above those areas, so it imports them plainly: a broken editor is a broken session page (a
500 and a failing test), never a quiet link in its place.
"""

from django.utils.safestring import mark_safe

from projects.plan.views import milestone_editor
from raci.views import matrix_editor
from risks.views import risk_editor

EDITORS = {"milestones": milestone_editor, "risks": risk_editor, "raci": matrix_editor}


def render_editor(kind, request, project, next_url=None):
    """The area's inline editor as HTML, posting back to the session page (`next_url`)."""
    return mark_safe(EDITORS[kind](request, project, next_url=next_url))  # the area's own escaping templates
