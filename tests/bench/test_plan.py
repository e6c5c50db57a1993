from django.urls import reverse

from tests.bench.conftest import median_seconds, query_count, report


def test_plan(demo_client):
    def get(name):
        response = demo_client.get(reverse(name, args=["large-demo"]))
        assert response.status_code == 200
        return response

    report("plan_ms_large", median_seconds(lambda: get("plan:plan")) * 1000)
    report("plan_queries_large", query_count(lambda: get("plan:plan")))
    report("plan_pdf_s_large", median_seconds(lambda: get("plan:plan-pdf"), runs=5, warmup=1))
