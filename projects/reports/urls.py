from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("projects/<slug:slug>/reports/", views.report_list, name="reports"),
    path("projects/<slug:slug>/documents/", views.documents, name="documents"),
    path("projects/<slug:slug>/reports/<int:number>/", views.report_edit, name="report"),
    path("projects/<slug:slug>/reports/<int:number>/pdf/", views.report_pdf, name="report-pdf"),
    path("projects/<slug:slug>/reports/<int:number>/issue/", views.report_issue, name="report-issue"),
    path("projects/<slug:slug>/reports/<int:number>/discard/", views.report_discard, name="report-discard"),
    path("projects/<slug:slug>/reports/<int:number>/status/", views.report_status, name="report-status"),
    path("projects/<slug:slug>/reports/<int:number>/render/", views.report_render, name="report-render"),
]
