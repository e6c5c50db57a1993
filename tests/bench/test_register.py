from django.urls import reverse

from tests.bench.conftest import median_seconds, query_count, report


def test_register(demo_client):
    url = reverse("risks:register", args=["large-demo"])

    def get():
        response = demo_client.get(url)
        assert response.status_code == 200
        return response

    assert get().text.count('<tr id="risk-') == 54
    report("register_ms_large", median_seconds(get) * 1000)
    report("register_queries_large", query_count(get))
