"""The cost of an idle live poll (issue 18 point 2): a session page open with nothing
changing asks every 1.5 s; the answer must stay near a trivial page's cost."""

from django.urls import reverse

from tests.bench.conftest import median_seconds, query_count, report


def test_live_idle_poll(demo_client):
    url = reverse("alignment:session-live", args=["large-demo", 1])
    version = demo_client.post(url, {"v": "0"}).json()["v"]

    def poll():
        response = demo_client.post(url, {"v": str(version)})
        assert response.status_code == 200 and "fields" not in response.json()

    idle = median_seconds(poll, runs=30)
    trivial = median_seconds(lambda: demo_client.get(reverse("projects:list")), runs=30)
    report("live_idle_poll_ms", idle * 1000)
    report("live_idle_poll_queries", query_count(poll))
    report("live_idle_poll_vs_trivial_ratio", idle / trivial)
