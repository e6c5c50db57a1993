from django.urls import path

from . import views

app_name = "advisory"

urlpatterns = [
    path("projects/<slug:slug>/help/", views.help_requests, name="help"),
]
