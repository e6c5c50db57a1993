from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """A feature app inside projects/ (its models still live in projects/models/ for now)."""

    name = "projects.reports"
    label = "reports"
    verbose_name = "Highlight reports"
