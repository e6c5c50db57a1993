"""Every project page against a trivial page, in one run (issue 20 point 1): each page's time
on large-demo over the trivial page's (`page_ratio_<name>`), the worst of them
(`page_vs_trivial_max_ratio`), and each page's query count on bucks-procurement and on
large-demo, which must be equal: a page whose queries grow with the data fails here."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from projects.models import Project
from projects.reports.models import HighlightReport
from tests.bench.conftest import median_seconds, query_count, report

PAGES = [
    ("dashboard", "projects:detail", ()),
    ("session_1", "alignment:session", (1,)),
    ("session_2", "alignment:session", (2,)),
    ("session_3", "alignment:session", (3,)),
    ("stakeholders", "projects:stakeholders", ()),
    ("plan", "plan:plan", ()),
    ("communications", "plan:communications", ()),
    ("raci", "raci:matrix", ()),
    ("register", "risks:register", ()),
    ("issues", "risks:issues", ()),
    ("reports", "reports:reports", ()),
    ("report", "reports:report", ("latest",)),
    ("history", "projects:history", ()),
    ("brief", "alignment:brief", ()),
    ("data", "exchange:data", ()),
    ("members", "projects:members", ()),
]


def url_for(name, slug, extra):
    if extra == ("latest",):
        number = (
            HighlightReport.objects.filter(project__slug=slug).order_by("-number").values_list("number", flat=True)[0]
        )
        extra = (number,)
    return reverse(name, args=[slug, *extra])


def test_every_project_page_against_a_trivial_page(demo_client):
    trivial_url = reverse("projects:list")
    trivial = median_seconds(lambda: demo_client.get(trivial_url), runs=30)
    report("page_trivial_ms", trivial * 1000)
    worst, flat = ("", 0.0), []

    def get(url, client=demo_client):
        response = client.get(url)
        assert response.status_code == 200, url
        return response

    for label, name, extra in PAGES:
        large = url_for(name, "large-demo", extra)
        seconds = median_seconds(lambda: get(large), runs=9)
        ratio = seconds / trivial
        report(f"page_ms_{label}", seconds * 1000)
        report(f"page_ratio_{label}", ratio)
        queries = (query_count(lambda: get(url_for(name, "bucks-procurement", extra))), query_count(lambda: get(large)))
        report(f"page_queries_{label}", f"{queries[0]} bucks, {queries[1]} large")
        if queries[0] != queries[1]:
            flat.append(label)
        worst = max(worst, (label, ratio), key=lambda pair: pair[1])

    advisor = Client()
    advisor.force_login(get_user_model().objects.get(username="advisor"))
    admin_pages = [
        ("admin_changelist", reverse("admin:projects_project_changelist")),
        ("admin_change", reverse("admin:projects_project_change", args=[Project.objects.get(slug="large-demo").pk])),
    ]
    for label, url in admin_pages:
        ratio = median_seconds(lambda: get(url, advisor), runs=7) / trivial
        report(f"page_ratio_{label}", ratio)
        worst = max(worst, (label, ratio), key=lambda pair: pair[1])
    report("page_vs_trivial_max_ratio", worst[1])
    report("page_vs_trivial_worst", worst[0])
    report("page_queries_not_flat", ", ".join(flat) or "none")
