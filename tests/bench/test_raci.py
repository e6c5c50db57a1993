from django.urls import reverse

from tests.bench.conftest import median_seconds, query_count, report


def test_raci_matrix(demo_client):
    url = reverse("raci:matrix", args=["large-demo"])

    def get():
        response = demo_client.get(url)
        assert response.status_code == 200
        return response

    assert get().text.count('<tr id="r') == 25  # large-demo's 25 activities
    report("raci_ms_large", median_seconds(get) * 1000)
    report("raci_queries_large", query_count(get))
