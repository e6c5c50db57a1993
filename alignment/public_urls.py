"""What a share link opens, outside any project address (no log-in; alignment/sharing.py)."""

from django.urls import path

from . import share_views

app_name = "shared"

urlpatterns = [
    path("share/<str:token>/", share_views.shared, name="brief"),
    path("share/<str:token>/brief.pdf", share_views.shared_brief_pdf, name="brief-pdf"),
    path("share/<str:token>/minutes/<int:number>/<int:version>.pdf", share_views.shared_minutes_pdf, name="minutes"),
]
