"""Report dates hold everywhere (issue 16, point 8): no period of years, no report date outside
its period or in year 1, a default next period that is never one day, no issue of a future
period, and a draft that can be discarded (so an older draft is never stranded)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from projects.models import Membership
from projects.reports import rendering, services
from projects.reports.models import MAX_PERIOD_DAYS, HighlightReport
from tests.factories import make_project, make_report, make_user

from .test_reports import form_data

pytestmark = pytest.mark.django_db(transaction=True)


def url(name, project, *args):
    return reverse(f"reports:{name}", args=[project.slug, *args])


# The new-report form ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("2026-01-01", "2027-12-31", "period_end", "A highlight report covers at most 3 months (92 days)"),
        ("0001-01-01", "0001-01-31", "period_start", "Use a date between 1900 and 2199."),
        ("2026-03-31", "2026-03-01", "period_end", "The period cannot end before it starts."),
    ],
)
def test_a_new_report_refuses_a_period_of_years_year_1_or_backwards(member_client, project, start, end, field, message):
    response = member_client.post(url("reports", project), {"period_start": start, "period_end": end})
    assert response.status_code == 200
    assert message in response.text
    assert response.context["form"].errors[field]
    assert not project.reports.exists()


def test_a_quarter_is_a_period_but_a_day_more_is_not(member_client, project):
    response = member_client.post(url("reports", project), {"period_start": "2026-07-01", "period_end": "2026-10-01"})
    assert "this period is 93 days" in response.text and not project.reports.exists()
    response = member_client.post(url("reports", project), {"period_start": "2026-07-01", "period_end": "2026-09-30"})
    assert response.status_code == 302
    report = project.reports.get()
    assert (report.period_end - report.period_start).days + 1 == MAX_PERIOD_DAYS


# The draft's form and the model ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"report_date": "2026-02-27"},
            "report_date",
            "The report date cannot be before its period starts (1 Mar 2026).",
        ),
        (
            {"report_date": "2026-05-02"},
            "report_date",
            "The report date must be within 31 days of its period&#x27;s end",
        ),
        ({"report_date": "0001-04-02"}, "report_date", "Use a date between 1900 and 2199."),
        ({"period_end": "2029-03-31"}, "period_end", "A highlight report covers at most 3 months"),
    ],
)
def test_the_draft_refuses_dates_that_do_not_hold_and_saves_nothing(member_client, project, overrides, field, message):
    report = make_report(project, progress="As it was")
    data = form_data(report, progress="Changed", **overrides)
    response = member_client.post(url("report", project, report.number), data)
    assert response.status_code == 200
    assert message in response.text
    assert response.context["form"].errors[field]
    report.refresh_from_db()
    assert (report.progress, report.version, report.report_date) == ("As it was", 1, date(2026, 4, 2))


def test_a_report_dated_within_a_month_of_its_period_is_saved(member_client, project):
    report = make_report(project)
    response = member_client.post(url("report", project, report.number), form_data(report, report_date="2026-05-01"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.report_date == date(2026, 5, 1)


def test_the_model_refuses_bad_dates_for_admin_and_scripts_too(project):
    report = HighlightReport(
        project=project, number=1, period_start=date(2026, 1, 1), period_end=date(2028, 1, 1), report_date=date(1, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        report.full_clean()
    assert set(refused.value.message_dict) == {"period_end", "report_date"}


def test_the_database_refuses_a_report_dated_before_its_period_or_in_year_1(project):
    report = make_report(project)
    for sql in (
        "UPDATE reports_highlightreport SET report_date = '2026-02-01' WHERE id = %s",
        "UPDATE reports_highlightreport SET period_start = '0001-01-01', report_date = '0001-01-02' WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [report.pk])
    report.refresh_from_db()
    assert (report.period_start, report.report_date) == (date(2026, 3, 1), date(2026, 4, 2))


# The default next period ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        ((date(2026, 1, 1), date(2026, 1, 30)), (date(2026, 1, 31), date(2026, 2, 27))),  # was one day
        ((date(2007, 11, 1), date(2007, 11, 30)), (date(2007, 12, 1), date(2007, 12, 31))),  # the seed's month
        ((date(2026, 7, 1), date(2026, 9, 30)), (date(2026, 10, 1), date(2026, 12, 31))),  # a quarter
        ((date(2026, 1, 5), date(2026, 2, 3)), (date(2026, 2, 4), date(2026, 3, 3))),  # large-demo's 30 days
    ],
)
def test_the_default_next_period_follows_the_board_cycle_and_is_never_one_day(project, last, expected):
    make_report(project, period_start=last[0], period_end=last[1], report_date=last[1])
    start, end = services.next_period(project)
    assert (start, end) == expected
    assert (end - start).days >= 27


def test_a_first_report_covers_this_month_and_is_dated_today(member_client, project):
    start, end = services.next_period(project)
    today = timezone.localdate()
    assert start == today.replace(day=1) and end.month == today.month and (end + timedelta(days=1)).day == 1
    report = services.report_create(project=project, period_start=start, period_end=end)
    assert report.report_date == today


def test_a_draft_of_a_long_past_period_is_dated_at_its_end(project):
    report = services.report_create(project=project, period_start=date(2020, 1, 1), period_end=date(2020, 1, 31))
    assert report.report_date == date(2020, 1, 31)


# Issuing a future period -----------------------------------------------------------------------


def test_a_period_that_has_not_begun_cannot_be_issued(member_client, project):
    tomorrow = timezone.localdate() + timedelta(days=1)
    report = make_report(project, period_start=tomorrow, period_end=tomorrow + timedelta(days=29), report_date=tomorrow)
    response = member_client.post(url("report-issue", project, report.number))
    assert response.status_code == 302
    page = member_client.get(response["Location"]).text
    assert "after today: a report can be issued once its period has begun. Nothing was issued." in page
    report.refresh_from_db()
    assert not report.is_issued and report.snapshot == {}


# Discarding a draft -----------------------------------------------------------------------------


def test_discarding_asks_first_without_javascript_and_with_htmx(member_client, project):
    report = make_report(project)
    page = member_client.get(url("report", project, report.number)).text
    assert f'href="{url("report-discard", project, 1)}"' in page
    assert 'hx-confirm="Discard the draft of highlight report 1?' in page
    confirm = member_client.get(url("report-discard", project, 1))
    assert confirm.status_code == 200 and "Discard the draft of highlight report 1?" in confirm.text
    assert project.reports.filter(pk=report.pk).exists()  # a GET discards nothing


def test_discarding_a_draft_removes_it_and_the_history_says_who(member_client, project, buyer):
    report = make_report(project)
    response = member_client.post(url("report-discard", project, 1))
    assert response.status_code == 302 and response["Location"] == url("reports", project)
    assert not project.reports.exists()
    record = HighlightReport.history.filter(id=report.pk).latest("history_date")
    assert (record.history_type, record.history_user, record.history_change_reason) == ("-", buyer, "Draft discarded")
    assert "Discarded the draft of highlight report 1." in member_client.get(url("reports", project)).text


def test_htmx_discard_sends_the_browser_to_the_list(member_client, project):
    make_report(project)
    response = member_client.post(url("report-discard", project, 1), headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"] == url("reports", project)
    assert not project.reports.exists()


def test_an_issued_report_is_never_discarded(member_client, project, buyer):
    report = make_report(project)
    rendering.report_issue(report=report, by=buyer)
    response = member_client.post(url("report-discard", project, 1))
    assert response.status_code == 302
    assert "has been issued, so it can never be discarded." in member_client.get(response["Location"]).text
    assert project.reports.filter(pk=report.pk, issued_at__isnull=False).exists()
    with pytest.raises(services.DiscardRefused):
        services.report_discard(report=report, by=buyer)


@pytest.mark.parametrize("role", [Membership.Role.VIEWER])
def test_only_those_who_may_edit_reports_discard_and_strangers_get_404(client_as, project, role):
    report = make_report(project)
    viewer = make_user()
    Membership.objects.create(project=project, user=viewer, role=role)
    assert client_as(viewer).post(url("report-discard", project, 1)).status_code == 403
    assert client_as(viewer).get(url("report-discard", project, 1)).status_code == 403
    other = make_project(members={make_user(): Membership.Role.BUYER})
    stranger = other.memberships.get().user
    assert client_as(stranger).post(url("report-discard", project, 1)).status_code == 404
    # Another project's real report number in one's own project's URL is a 404 too.
    assert client_as(stranger).post(url("report-discard", other, report.number)).status_code == 404
    assert project.reports.filter(pk=report.pk).exists()


def test_an_older_draft_left_by_a_later_issue_can_be_discarded_and_reporting_goes_on(member_client, project, buyer):
    fourth = make_report(project, number=4)
    rendering.report_issue(report=fourth, by=buyer)
    third = make_report(project, number=3)  # left from before one draft at a time was the rule
    page = member_client.get(url("report", project, 3)).text
    assert "then discard it (below) to start a" in page and "Discard draft 3" in page
    # Starting a report leads to the stranded draft (one draft at a time)...
    start = {"period_start": "2026-04-01", "period_end": "2026-04-30"}
    assert member_client.post(url("reports", project), start)["Location"] == url("report", project, 3)
    # ...until it is discarded; then the next report starts.
    member_client.post(url("report-discard", project, 3))
    assert not project.reports.filter(pk=third.pk).exists()
    assert member_client.post(url("reports", project), start)["Location"] == url("report", project, 5)
