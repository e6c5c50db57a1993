"""A portfolio (issue 20 point 5): with 500 more projects, the paginated project list and the
advisory team's admin list cost about what they cost with the demo's few, in time over the
trivial page (measured before the portfolio is added) and in queries (equal)."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from projects.demo import demo_users, load_portfolio
from projects.models import Project
from tests.bench.conftest import median_seconds, query_count, report


def test_portfolio(demo_client):
    advisor = Client()
    advisor.force_login(get_user_model().objects.get(username="advisor"))
    pages = {
        "list": (demo_client, reverse("projects:list")),
        "list_page_2": (demo_client, reverse("projects:list") + "?page=2&sort=updated"),
        "admin_changelist": (advisor, reverse("admin:projects_project_changelist")),
    }

    def get(name):
        client, url = pages[name]
        response = client.get(url)
        assert response.status_code == 200, url
        return response

    trivial = median_seconds(lambda: get("list"), runs=20)  # the list with the demo's few projects
    before = {name: query_count(lambda n=name: get(n)) for name in ("list", "admin_changelist")}
    few = Project.objects.count()
    assert load_portfolio(demo_users()) == 500
    report("portfolio_projects", Project.objects.count())
    worst = 0.0
    for name in pages:
        ratio = median_seconds(lambda n=name: get(n), runs=9) / trivial
        report(f"portfolio_ratio_{name}", ratio)
        worst = max(worst, ratio)
    after = {name: query_count(lambda n=name: get(n)) for name in ("list", "admin_changelist")}
    for name in before:
        report(f"portfolio_queries_{name}", f"{before[name]} with {few} projects, {after[name]} with {few + 500}")
    report("portfolio_max_ratio", worst)
    assert get("list").text.count("<tr>") <= 26  # 25 a page, and the header row
    assert before == after, "the list's query count depends on the number of projects"
