from django.urls import path

from . import views

app_name = "plan"

P = "projects/<slug:slug>/"

urlpatterns = [
    path(P + "plan/", views.plan, name="plan"),
    path(P + "plan.pdf", views.plan_pdf, name="plan-pdf"),
    path(P + "plan.ics", views.plan_ics, name="plan-ics"),
    path(P + "plan/baseline/", views.baseline_set, name="baseline-set"),
    path(P + "plan/gantt/", views.plan_gantt, name="plan-gantt"),
    path(P + "plan/milestones/<int:pk>/edit/", views.milestone_edit, name="milestone-edit"),
    path(P + "plan/milestones/<int:pk>/delete/", views.milestone_delete, name="milestone-delete"),
    path(P + "plan/milestones/<int:pk>/move/", views.milestone_move, name="milestone-move"),
    path(P + "communications/", views.communications, name="communications"),
    path(P + "communications/<int:pk>/edit/", views.communication_edit, name="communication-edit"),
    path(P + "communications/<int:pk>/delete/", views.communication_delete, name="communication-delete"),
    path(P + "communications/<int:pk>/move/", views.communication_move, name="communication-move"),
]
