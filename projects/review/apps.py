from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """A feature app inside projects/ (its models still live in projects/models/ for now)."""

    name = "projects.review"
    label = "review"
    verbose_name = "Advisory review"
