"""The advisory team's review log (issue 19 point 5): dated entries per project (and optionally
per highlight report), the last review and follow-ups in the project list, a bulk status
action, and the portfolio export."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from projects.advisory import review_log
from projects.advisory.models import AdvisoryReview, ReviewEntry
from tests.factories import make_project, make_user

from .conftest import make_report
from .walk import form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:projects_project_changelist")
TODAY = timezone.localdate()


def change_url(project):
    return reverse("admin:projects_project_change", args=[project.pk])


def page_form(client, project):
    """The project's change form exactly as the page sends it (every inline's management form)."""
    page = client.get(change_url(project))
    assert page.status_code == 200
    data = form_data(page.content.decode())
    data.pop("_addanother", None), data.pop("_continue", None)
    return data


def test_an_advisor_adds_a_dated_entry_which_sets_the_review_status_and_is_in_the_history(advisor, client_as):
    project = make_project(name="Water sensors")
    report = make_report(project, 1)
    client = client_as(advisor)
    data = page_form(client, project)
    follow = TODAY + timedelta(days=30)
    data.update(
        {
            "review_log-0-reviewed_on": TODAY.isoformat(),
            "review_log-0-looked_at": "Sessions 1 and 2, and highlight report 1",
            "review_log-0-findings": "Approvers' criteria missing.",
            "review_log-0-status": "advice_given",
            "review_log-0-follow_up_on": follow.isoformat(),
            "review_log-0-report": str(report.pk),
            "_save": "Save",
        }
    )
    response = client.post(change_url(project), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    entry = ReviewEntry.objects.get()
    assert (entry.reviewer, entry.status, entry.report, entry.follow_up_on) == (advisor, "advice_given", report, follow)
    assert entry.history.get().history_user == advisor
    review = AdvisoryReview.objects.get(project=project)
    assert (review.status, review.reviewed_by, review.reviewed_on) == ("advice_given", advisor, TODAY)
    listing = client.get(CHANGELIST).content.decode()
    assert f"last {TODAY:%d %b %Y}" in listing and f"follow up by {follow:%d %b %Y}" in listing
    # The entry is now read-only on the page: a log is added to, never rewritten.
    page = client.get(change_url(project)).content.decode()
    assert "Sessions 1 and 2, and highlight report 1" in page and 'name="review_log-0-looked_at"' not in page


def test_an_overdue_follow_up_is_marked_in_the_list(advisor, client_as):
    project = make_project(name="Water sensors")
    review_log.record(
        ReviewEntry(
            project=project,
            reviewed_on=TODAY - timedelta(days=40),
            looked_at="Plan",
            status="in_review",
            follow_up_on=TODAY - timedelta(days=10),
        ),
        by=advisor,
    )
    assert "⚠ overdue: follow up by" in client_as(advisor).get(CHANGELIST).content.decode()


def test_an_entry_refuses_another_projects_report_and_a_follow_up_before_it(advisor):
    project, other = make_project(name="Mine"), make_project(name="Theirs")
    theirs = make_report(other, 1)
    with pytest.raises(ValidationError) as refused:
        review_log.record(
            ReviewEntry(
                project=project,
                reviewed_on=TODAY,
                looked_at="x",
                report=theirs,
                follow_up_on=TODAY - timedelta(days=1),
            ),
            by=advisor,
        )
    assert refused.value.message_dict == {
        "report": ["Choose a report of this project."],
        "follow_up_on": ["The follow-up cannot be before the review."],
    }
    assert not ReviewEntry.objects.exists() and not AdvisoryReview.objects.exists()


def test_a_back_dated_entry_does_not_overturn_a_later_review(advisor):
    project = make_project(name="Water sensors")
    review_log.record(
        ReviewEntry(project=project, reviewed_on=TODAY, looked_at="Now", status="no_concerns"), by=advisor
    )
    review_log.record(
        ReviewEntry(project=project, reviewed_on=TODAY - timedelta(days=5), looked_at="Earlier", status="in_review"),
        by=advisor,
    )
    assert AdvisoryReview.objects.get(project=project).status == "no_concerns"


@pytest.mark.django_db(transaction=True)
def test_the_bulk_action_sets_a_status_for_several_projects_with_one_note(advisor, client_as):
    chosen = [make_project(name="Alpha"), make_project(name="Beta")]
    untouched = make_project(name="Gamma")
    client = client_as(advisor)
    selected = {"action": "set_review_status", "_selected_action": [p.pk for p in chosen], "index": 0}
    page = client.post(CHANGELIST, selected)
    assert page.status_code == 200 and "Set the status of 2 projects" in page.content.decode()
    empty = client.post(CHANGELIST, {**selected, "apply": "1", "status": "no_concerns", "note": ""})
    assert "Say what was looked at" in empty.content.decode() and not ReviewEntry.objects.exists()
    done = client.post(
        CHANGELIST,
        {**selected, "apply": "1", "status": "no_concerns", "note": "Quarterly portfolio review"},
        follow=True,
    )
    assert "Set 2 projects to “No concerns” with a review log entry each." in done.content.decode()
    assert sorted(e.project.name for e in ReviewEntry.objects.all()) == ["Alpha", "Beta"]
    assert set(ReviewEntry.objects.values_list("looked_at", "reviewer", "reviewed_on")) == {
        ("Quarterly portfolio review", advisor.pk, TODAY)
    }
    assert not untouched.review_log.exists()
    assert set(AdvisoryReview.objects.values_list("project__name", "status")) == {
        ("Alpha", "no_concerns"),
        ("Beta", "no_concerns"),
    }


def test_staff_outside_the_team_cannot_add_entries_or_run_the_action(client_as):
    staff = make_user("staff-sam", is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="view_project"))
    project = make_project(name="Alpha")
    client = client_as(staff)
    page = client.get(change_url(project)).content.decode()
    assert 'name="review_log-0-looked_at"' not in page
    response = client.post(
        CHANGELIST,
        {
            "action": "set_review_status",
            "_selected_action": [project.pk],
            "index": 0,
            "apply": "1",
            "status": "in_review",
            "note": "x",
        },
    )
    assert response.status_code in (200, 302) and not ReviewEntry.objects.exists()


def test_the_portfolio_export_has_the_last_review_and_the_follow_up(advisor, client_as):
    project = make_project(name="Alpha")
    follow = TODAY + timedelta(days=7)
    review_log.record(
        ReviewEntry(project=project, reviewed_on=TODAY, looked_at="Plan", status="in_review", follow_up_on=follow),
        by=advisor,
    )
    response = client_as(advisor).post(
        CHANGELIST, {"action": "export_portfolio", "_selected_action": [project.pk], "index": 0}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    row = dict(zip(header, rows[1], strict=True))
    assert row["Last review log entry"].date() == TODAY and row["Follow up by"].date() == follow
