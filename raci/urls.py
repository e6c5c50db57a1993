from django.urls import path

from . import views

app_name = "raci"

urlpatterns = [
    path("raci/", views.matrix, name="matrix"),
    path("raci/print/", views.printable, name="print"),
    path("raci/defaults/", views.add_defaults, name="defaults"),
    path("raci/cells/<int:activity_id>/<int:stakeholder_id>/", views.cell, name="cell"),
    path("raci/activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("raci/activities/<int:pk>/move/", views.activity_move, name="activity-move"),
    path("raci/activities/<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    path("raci/people/", views.person_add, name="person-add"),
    path("raci/people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("raci/people/<int:pk>/move/", views.person_move, name="person-move"),
    path("raci/people/<int:pk>/remove/", views.person_remove, name="person-remove"),
]
