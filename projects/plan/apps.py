from django.apps import AppConfig


class PlanConfig(AppConfig):
    """A feature app inside projects/ (its models still live in projects/models/ for now)."""

    name = "projects.plan"
    label = "plan"
    verbose_name = "Work plan"
