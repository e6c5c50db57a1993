from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Board highlight reports: drafts, issue, the frozen snapshot and its PDF."""

    name = "projects.reports"
    label = "reports"
    verbose_name = "Highlight reports"
