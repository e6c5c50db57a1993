from django.urls import path

from . import invitation_views, views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("projects/new/", views.project_create, name="create"),
    path("projects/<slug:slug>/", views.project_detail, name="detail"),
    path("projects/<slug:slug>/edit/", views.project_edit, name="edit"),
    path("projects/<slug:slug>/members/", views.members, name="members"),
    path("projects/<slug:slug>/members/<int:pk>/", views.member_change, name="member-change"),
    path("projects/<slug:slug>/invitations/<int:pk>/revoke/", invitation_views.revoke, name="invitation-revoke"),
    path("invitations/<str:token>/", invitation_views.join, name="invitation"),
    path("projects/<slug:slug>/stakeholders/", views.stakeholders, name="stakeholders"),
    path("projects/<slug:slug>/stakeholders/<int:pk>/edit/", views.stakeholder_edit, name="stakeholder-edit"),
    path("projects/<slug:slug>/stakeholders/<int:pk>/delete/", views.stakeholder_delete, name="stakeholder-delete"),
    path("projects/<slug:slug>/history/", views.history, name="history"),
]
