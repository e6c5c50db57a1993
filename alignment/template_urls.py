"""The workshop templates' own pages, outside any project (the advisory team only)."""

from django.urls import path

from . import tailoring_views

app_name = "templates"

urlpatterns = [
    path("templates/versions/<int:pk>/", tailoring_views.version_page, name="version"),
]
