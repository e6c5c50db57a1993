from django.urls import path

from . import archive_views, views

app_name = "exchange"

# Mounted at the site root by mobilise/urls.py, beside the other projects/<slug>/ pages.
urlpatterns = [
    path("projects/<slug:slug>/data/", views.data, name="data"),
    path("projects/<slug:slug>/export.xlsx", views.export_all, name="export-xlsx"),
    path("projects/<slug:slug>/archive.zip", archive_views.download, name="archive"),
    path("projects/<slug:slug>/restore/", archive_views.restore, name="archive-restore"),
    path("projects/<slug:slug>/ocds.json", views.ocds_package, name="ocds"),
    path("projects/<slug:slug>/ocds-release.json", views.ocds_release, name="ocds-release"),
    path("projects/<slug:slug>/stakeholders.xlsx", views.export_view("stakeholders"), name="stakeholders-xlsx"),
    path("projects/<slug:slug>/milestones.xlsx", views.export_view("milestones"), name="milestones-xlsx"),
    path("projects/<slug:slug>/communications.xlsx", views.export_view("communications"), name="communications-xlsx"),
    path("projects/<slug:slug>/risks.xlsx", views.export_view("risks"), name="risks-xlsx"),
    path("projects/<slug:slug>/issues.xlsx", views.export_view("issues"), name="issues-xlsx"),
    path("projects/<slug:slug>/raci.xlsx", views.export_view("raci"), name="raci-xlsx"),
    path("projects/<slug:slug>/risks/import/", views.upload, {"kind": "risks"}, name="risks-import"),
    path("projects/<slug:slug>/raci/import/", views.upload, {"kind": "raci"}, name="raci-import"),
    path("projects/<slug:slug>/import/<str:kind>/", views.upload, name="import"),
    path("projects/<slug:slug>/import/<str:kind>/<str:token>/", views.preview, name="import-preview"),
]
