from django.urls import path

from . import issue_views, views

app_name = "risks"

urlpatterns = [
    path("risks/", views.register, name="register"),
    path("risks/heatmaps/", views.heatmaps, name="heatmaps"),
    path("risks/settings/", views.risk_settings, name="settings"),
    path("risks/scale/", views.scale_change, name="scale"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="edit"),
    path("risks/<int:pk>/delete/", views.risk_delete, name="delete"),
    path("risks/<int:pk>/history/", views.risk_history, name="history"),
    path("issues/", issue_views.issue_log, name="issues"),
    path("issues/<int:pk>/edit/", issue_views.issue_edit, name="issue-edit"),
    path("issues/<int:pk>/delete/", issue_views.issue_delete, name="issue-delete"),
]
