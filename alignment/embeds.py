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

# Session 2 shows the milestone and the risk add forms on one page, next to its own fields:
# each form's element ids get their own prefix, so every id is unique and every label
# points at its own field (both forms have an owner and a status).
AUTO_IDS = {"milestones": "milestone-%s", "risks": "risk-%s"}


def render_editor(kind, request, project, next_url=None):
    """The area's inline editor as HTML, posting back to the session page (`next_url`)."""
    extra = {"auto_id": AUTO_IDS[kind]} if kind in AUTO_IDS else {}
    return mark_safe(EDITORS[kind](request, project, next_url=next_url, **extra))  # the area's own escaping
