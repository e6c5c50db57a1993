from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Spreadsheets and OCDS in and out: uploads, the import preview and confirmation, exports."""

    name = "projects.exchange"
    label = "exchange"
    verbose_name = "Imports and exports"
    default_auto_field = "django.db.models.BigAutoField"
