from django.apps import AppConfig


class PlanConfig(AppConfig):
    """Milestones, communications, the Gantt chart, .ics and plan.pdf."""

    name = "projects.plan"
    label = "plan"
    verbose_name = "Work plan"
