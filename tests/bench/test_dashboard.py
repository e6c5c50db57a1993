from django.urls import reverse

from tests.bench.conftest import median_seconds, query_count, report


def test_dashboard(demo_client):
    def get(slug):
        response = demo_client.get(reverse("projects:detail", args=[slug]))
        assert response.status_code == 200
        return response

    bucks = median_seconds(lambda: get("bucks-procurement"))
    large = median_seconds(lambda: get("large-demo"))
    trivial = median_seconds(lambda: demo_client.get(reverse("projects:list")))
    report("dashboard_ms_bucks", bucks * 1000)
    report("dashboard_ms_large", large * 1000)
    queries = {slug: query_count(lambda: get(slug)) for slug in ("bucks-procurement", "large-demo")}
    report("dashboard_queries_bucks", queries["bucks-procurement"])
    report("dashboard_queries_large", queries["large-demo"])
    assert queries["bucks-procurement"] == queries["large-demo"], "the dashboard's query count depends on the data"
    report("dashboard_vs_trivial_ratio", large / trivial)
