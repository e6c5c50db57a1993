"""Dashboard panels contributed by each area.

A module listed in PANEL_MODULES may define `dashboard_panel(request, project) -> str | None`
(rendered HTML); the dashboard shows them in this order and skips modules not written yet.
Each panel must keep its own query count flat as data grows.
"""

from importlib import import_module
from importlib.util import find_spec

PANEL_MODULES = [
    "alignment.dashboard",  # readiness against the milestone's success criteria
    "projects.review.dashboard",  # the advisory team's advice
    "projects.plan.dashboard",  # slipping milestones
    "risks.dashboard",  # overdue risk reviews, top risks
    "raci.dashboard",
    "projects.reports.dashboard",
]


def _exists(name):
    try:
        return find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _panel_functions():
    for name in PANEL_MODULES:
        if _exists(name):
            function = getattr(import_module(name), "dashboard_panel", None)
            if function:
                yield function


def panels(request, project):
    return [html for html in (panel(request, project) for panel in _panel_functions()) if html]
