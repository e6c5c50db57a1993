from django.apps import AppConfig


class AdvisoryConfig(AppConfig):
    """The advisory team's review of every project, the project admin and the portfolio export."""

    name = "projects.advisory"
    label = "advisory"
    verbose_name = "Advisory review"

    def ready(self):
        # Connects the receiver that turns a Guided or Partnered support choice into a help
        # request; an import error here stops the start-up.
        from . import help  # noqa: F401
