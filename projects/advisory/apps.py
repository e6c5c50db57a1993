from django.apps import AppConfig


class AdvisoryConfig(AppConfig):
    """The advisory team's review of every project, the project admin and the portfolio export."""

    name = "projects.advisory"
    label = "advisory"
    verbose_name = "Advisory review"
