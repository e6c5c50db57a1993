from django.apps import AppConfig


class AlignmentConfig(AppConfig):
    name = "alignment"

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
