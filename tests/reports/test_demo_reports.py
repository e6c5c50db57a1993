"""The demo's highlight reports are never dated in the future."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from projects.reports import demo
from tests.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("started_days_ago", [40, 800])
def test_the_large_demos_twelve_reports_are_all_issued_and_dated_by_today(buyer, started_days_ago):
    today = timezone.localdate()
    project = make_project(members={buyer: "manager"}, start_date=today - timedelta(days=started_days_ago))
    demo.load(project, large=True)
    reports = list(project.reports.order_by("number"))
    assert len(reports) == 12 and all(r.is_issued for r in reports)
    for report in reports:
        assert report.period_end < report.report_date <= today, report.number
        assert timezone.localdate(report.issued_at) <= today
    # One period after another, no gaps or overlaps.
    for before, after in zip(reports, reports[1:], strict=False):
        assert after.period_start == before.period_end + timedelta(days=1)
    assert reports[0].period_start <= project.start_date


def test_the_seed_report_keeps_its_2007_dates(buyer):
    project = make_project(members={buyer: "manager"}, start_date=date(2007, 9, 1))
    demo.load(project, large=False)
    (report,) = project.reports.all()
    assert (report.period_start, report.period_end, report.report_date) == (
        date(2007, 11, 1),
        date(2007, 11, 30),
        date(2007, 12, 5),
    )
