from datetime import date, timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from projects.models import Project
from projects.reports.models import HighlightReport
from risks import demo
from risks.dashboard import dashboard_panel
from risks.models import Risk
from risks.trend import trends_for
from tests.factories import make_project, make_risk, make_stakeholder

pytestmark = pytest.mark.django_db


def panel(project, user):
    request = RequestFactory().get("/")
    request.user = user
    return dashboard_panel(request, project)


def test_the_dashboard_flags_risks_past_their_review_date(member_client, project):
    yesterday = timezone.localdate() - timedelta(days=1)
    make_risk(project, event="Review me", next_review_date=yesterday)
    make_risk(project, event="Closed one", next_review_date=yesterday, status="closed")
    make_risk(project, event="Not yet", next_review_date=timezone.localdate() + timedelta(days=3))
    page = member_client.get(reverse("projects:detail", args=[project.slug])).text
    assert "1 risk past its review date" in page
    assert "R1: Review me" in page and "R2: Closed one" not in page


def test_the_dashboard_lists_the_top_live_risks_by_score(buyer, project):
    make_risk(project, event="Small", likelihood=1, impact=1)
    make_risk(project, event="Biggest", likelihood=4, impact=4, status="closed")
    make_risk(project, event="Big", likelihood=3, impact=4)
    html = panel(project, buyer)
    assert html.index("Big") < html.index("Small") and "Biggest" not in html
    assert "12 Very high" in html.replace('<span class="band-score">', "").replace("</span>", "")


def test_dashboard_panel_query_count_is_flat(buyer, project, django_assert_max_num_queries):
    def fill(n):
        owner = make_stakeholder(project)
        Risk.objects.bulk_create(
            Risk(
                project=project,
                number=k + 1000 * n,
                event=f"E{k}",
                likelihood=2,
                impact=3,
                owner=owner,
                next_review_date=date(2020, 1, 1),
                date_raised=date(2019, 12, 1),
            )
            for k in range(n)
        )

    # settings, overdue count, overdue list with owners, top risks with owners; a fresh
    # project instance each time, as each dashboard request has.
    fill(5)
    fresh = Project.objects.get(pk=project.pk)
    with django_assert_max_num_queries(4) as small:
        panel(fresh, buyer)
    fill(50)
    fresh = Project.objects.get(pk=project.pk)
    with django_assert_max_num_queries(4) as large:
        panel(fresh, buyer)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_bucks_demo_has_the_four_risks_of_seed_004():
    project = make_project(slug="bucks-procurement")
    demo.load(project, large=False)
    risks = list(project.risks.order_by("number"))
    assert [r.score for r in risks] == [4, 8, 9, 8]
    assert [(r.likelihood, r.impact) for r in risks] == [(1, 4), (2, 4), (3, 3), (2, 4)]
    assert risks[0].event == "Unwillingness of authorities to collaborate on procurement"
    assert risks[3].mitigating_action == (
        "Undertake discussions with SECE and MKOB about how tasks could be approached. Secure some contingency "
        "funding from JIB to bolster capacity."
    )
    assert [r.reference for r in risks] == ["R1", "R2", "R3", "R4"]


def test_large_demo_has_60_varied_risks_on_5x5():
    project = make_project(slug="large-demo")
    for _ in range(5):
        make_stakeholder(project)
    demo.load(project, large=True)
    assert project.risks.count() == 54
    assert project.risk_settings.scale == 5
    assert project.risks.filter(likelihood=5).exists()
    assert {r.status for r in project.risks.all()} == {"open", "closed", "occurred"}
    assert project.risks.filter(residual_score__isnull=False).exists()


def test_the_trend_reads_scores_from_issued_reports_only(buyer, member_client, project):
    risk = make_risk(project, likelihood=2, impact=2)
    assert trends_for(project) == {}
    for number, score, issued in [(1, 4, True), (2, 6, True), (3, 16, False)]:
        HighlightReport.objects.create(
            project=project,
            number=number,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
            report_date=date(2026, 2, 1),
            snapshot={"risks": [{"reference": "R1", "score": score}, {"bad": 1}]},
            issued_at=timezone.now() if issued else None,
        )
    assert trends_for(project) == {"R1": [(1, 4), (2, 6)]}
    page = member_client.get(reverse("risks:register", args=[project.slug])).text
    assert "Score trend (rising): report 1: 4; report 2: 6" in page
    history = member_client.get(reverse("risks:history", args=[project.slug, risk.pk])).text
    assert "Highlight report 2" in history


def test_a_trend_of_one_report_does_not_claim_a_direction():
    from risks.trend import sparkline

    assert "one report so far" in sparkline([(1, 8)], max_score=16)
    assert "falling" in sparkline([(1, 8), (2, 4)], max_score=16)
    assert sparkline([], max_score=16) == ""
