"""The editors other areas own, embedded in the session pages.

Session 2 shows the work plan's milestones and the risk register, session 3 the RACI
matrix. Each area exposes `editor(request, project, next_url=None) -> str`; this adapter
imports it lazily and, while an area is missing or its editor fails, shows a plain link to
that area instead, so a session page never breaks because of another area.
"""

import logging
from importlib import import_module

from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

logger = logging.getLogger(__name__)

EDITORS = {
    # kind: (module, function, URL name of the area's own page, what it is called)
    "milestones": ("projects.plan.views", "milestone_editor", "projects:plan", "work plan"),
    "risks": ("risks.views", "risk_editor", "risks:register", "risk register"),
    "raci": ("raci.views", "matrix_editor", "raci:matrix", "RACI matrix"),
}


def _editor_function(kind):
    module_name, function_name, _, _ = EDITORS[kind]
    try:
        module = import_module(module_name)
    except ImportError:
        return None
    return getattr(module, function_name, None)


def area_url(kind, project):
    try:
        return reverse(EDITORS[kind][2], args=[project.slug])
    except NoReverseMatch:
        return None


def fallback(kind, project, note=""):
    url, label = area_url(kind, project), EDITORS[kind][3]
    if url:
        return format_html(
            '<p class="embed-fallback">{}<a href="{}">Open the {}</a> to edit it.</p>', note, url, label
        )
    return format_html('<p class="embed-fallback">{}The {} is not available yet.</p>', note, label)


def render_editor(kind, request, project, next_url=None):
    """The area's inline editor as HTML, or a link to the area when it cannot be shown here."""
    function = _editor_function(kind)
    if function is None:
        return fallback(kind, project)
    try:
        html = function(request, project, next_url=next_url)
    except Exception:  # another area's bug must not take the workshop page down
        logger.exception("The %s editor failed inside a session page", kind)
        return fallback(kind, project, "The editor could not be shown here. ")
    return mark_safe(html)  # the area renders it through its own (escaping) templates
