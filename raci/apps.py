from django.apps import AppConfig


class RaciConfig(AppConfig):
    name = "raci"
