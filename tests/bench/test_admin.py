from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.bench.conftest import median_seconds, query_count, report


def test_admin_project_list(db):
    client = Client()
    client.force_login(get_user_model().objects.get(username="advisor"))
    url = reverse("admin:projects_project_changelist")

    def get(params=None):
        response = client.get(url, params or {})
        assert response.status_code == 200
        return response

    report("admin_changelist_ms_large", median_seconds(get) * 1000)
    report("admin_changelist_queries_large", query_count(get))
    report("admin_changelist_filtered_ms_large", median_seconds(lambda: get({"check": "any", "ready": "no"})) * 1000)
    # One letter matches nearly every person and stakeholder: the search that once joined them
    # all into the annotated list (47-60 s for five projects).
    report("admin_search_ms_large", median_seconds(lambda: get({"q": "a"})) * 1000)
    from projects.models import Project

    change = reverse("admin:projects_project_change", args=[Project.objects.get(slug="large-demo").pk])
    report("admin_change_ms_large", median_seconds(lambda: client.get(change), runs=7) * 1000)
