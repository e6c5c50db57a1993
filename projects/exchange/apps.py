from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Spreadsheet imports: holds uploads between the preview and the confirmation."""

    name = "projects.imports"
    label = "imports"
    default_auto_field = "django.db.models.BigAutoField"
