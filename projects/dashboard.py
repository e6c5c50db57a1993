"""Dashboard panels contributed by each area.

Each area's dashboard.py registers `dashboard_panel(request, project) -> str | None` with
`projects.registry.dashboard_panels` (discovered at start-up); the dashboard shows them in
their registered order. Each panel must keep its own query count flat as data grows.
"""

from .registry import dashboard_panels


def panels(request, project):
    return [html for html in (panel(request, project) for panel in dashboard_panels) if html]
