import re
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from projects.models import Membership
from risks.models import Issue
from tests.factories import make_issue, make_project, make_stakeholder, make_user

pytestmark = pytest.mark.django_db

EMPTY = (
    "No issues logged. An issue is something that has happened and needs a decision: a problem, a request "
    "for change, or something off specification."
)


@pytest.fixture
def log_url(project):
    return reverse("risks:issues", args=[project.slug])


def issue_data(**overrides):
    """A valid add/edit form for the issue log."""
    data = {
        "title": "Supplier delivered the wrong sensors",
        "issue_type": "off_specification",
        "priority": "high",
        "severity": "Pilot cannot start",
        "description": "",
        "raised_on": "2026-02-10",
        "raised_by": "Site lead",
        "owner": "",
        "action": "Ask the supplier to replace them",
        "status": "open",
        "closed_on": "",
    }
    data.update(overrides)
    return data


def references(html):
    return re.findall(r'<th scope="row">(I\d+)</th>', html)


def test_an_empty_log_says_what_an_issue_is_and_the_nav_links_to_it(member_client, log_url):
    page = member_client.get(log_url).text
    assert EMPTY in page
    assert f'href="{log_url}"' in page and ">Issues<" in page


def test_adding_without_javascript_numbers_issues_i1_i2_and_redirects(member_client, project, log_url):
    response = member_client.post(log_url, issue_data())
    assert response.status_code == 302 and response["Location"] == log_url
    member_client.post(log_url, issue_data(title="Board asks for a second pilot site", issue_type="request_for_change"))
    assert [(i.reference, i.title) for i in Issue.objects.order_by("number")] == [
        ("I1", "Supplier delivered the wrong sensors"),
        ("I2", "Board asks for a second pilot site"),
    ]
    page = member_client.get(log_url).text
    assert references(page) == ["I1", "I2"] and "Request for change" in page and EMPTY not in page


def test_adding_with_htmx_returns_only_the_table(member_client, log_url):
    response = member_client.post(log_url, issue_data(), headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="issues-table">')
    assert "Supplier delivered the wrong sensors" in response.text


def test_a_blank_title_is_refused_in_words_and_nothing_saved(member_client, log_url):
    response = member_client.post(log_url, issue_data(title="   "))
    assert "Give the issue a title: what has happened." in response.text
    assert not Issue.objects.exists()


def test_the_log_is_open_first_then_by_priority(member_client, project, log_url):
    make_issue(project, priority="low")  # I1
    make_issue(project, priority="high", status="closed", closed_on=date.today())  # I2
    make_issue(project, priority="medium")  # I3
    make_issue(project, priority="high")  # I4
    assert references(member_client.get(log_url).text) == ["I4", "I3", "I1", "I2"]
    assert references(member_client.get(log_url, {"status": "closed"}).text) == ["I2"]
    assert references(member_client.get(log_url, {"status": "open"}).text) == ["I4", "I3", "I1"]
    assert references(member_client.get(log_url, {"status": "nonsense"}).text) == ["I4", "I3", "I1", "I2"]


def test_editing_without_javascript_saves_and_history_shows_it(member_client, project, log_url):
    issue = make_issue(project, title="Wrong sensors", raised_on=date(2026, 2, 10))
    url = reverse("risks:issue-edit", args=[project.slug, issue.pk])
    assert "Edit I1" in member_client.get(url).text
    response = member_client.post(
        url, issue_data(status="closed", closed_on="2026-03-01", version=issue.version, title="Wrong sensors")
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.status, issue.closed_on, issue.version) == ("closed", date(2026, 3, 1), 2)
    history = member_client.get(reverse("projects:history", args=[project.slug])).text
    assert "I1" in history and "Wrong sensors" in history


def test_editing_with_htmx_returns_the_row(member_client, project):
    issue = make_issue(project)
    response = member_client.post(
        reverse("risks:issue-edit", args=[project.slug, issue.pk]),
        issue_data(title="Renamed", version=issue.version),
        headers={"HX-Request": "true"},
    )
    assert response.text.lstrip().startswith(f'<tr id="issue-{issue.pk}">') and "Renamed" in response.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"status": "closed", "closed_on": "2026-02-01"},
            "An issue cannot be closed before it was raised (10 Feb 2026).",
        ),
        ({"status": "closed", "closed_on": ""}, "Give the date the issue was closed."),
        ({"status": "open", "closed_on": "2026-03-01"}, "An open issue has no closed date"),
        ({"raised_on": "0001-01-01"}, "Use a date between 1900 and 2199."),
    ],
)
def test_dates_that_do_not_hold_are_refused_and_nothing_saved(member_client, log_url, changes, message):
    response = member_client.post(log_url, issue_data(**changes))
    assert message in response.text
    assert not Issue.objects.exists()


def test_the_database_refuses_a_closed_date_before_the_raised_date(project):
    issue = make_issue(project, raised_on=date(2026, 2, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(status="closed", closed_on=date(2026, 2, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(status="closed")  # closed with no date
    assert Issue.objects.get(pk=issue.pk).status == "open"


def test_a_stale_edit_shows_a_conflict_and_changes_nothing(member_client, project):
    issue = make_issue(project, title="Original")
    stale = issue.version
    Issue.objects.filter(pk=issue.pk).update(title="Theirs", version=stale + 1)
    response = member_client.post(
        reverse("risks:issue-edit", args=[project.slug, issue.pk]), issue_data(title="Mine", version=stale)
    )
    assert "Someone else saved this record" in response.text and "Theirs" in response.text
    assert Issue.objects.get(pk=issue.pk).title == "Theirs"


def test_delete_asks_first_without_javascript_and_the_reference_is_not_reused(member_client, project, log_url):
    issue = make_issue(project)
    url = reverse("risks:issue-delete", args=[project.slug, issue.pk])
    assert "Delete issue" in member_client.get(url).text
    assert Issue.objects.exists()  # the GET only asked
    member_client.post(url)
    assert not Issue.objects.exists()
    member_client.post(log_url, issue_data())
    assert Issue.objects.get().reference == "I2"


def test_read_only_roles_see_no_edit_controls_and_a_forged_post_writes_nothing(client_as, project, log_url):
    viewer = make_user()
    Membership.objects.create(project=project, user=viewer, role=Membership.Role.VIEWER)
    client = client_as(viewer)
    issue = make_issue(project, title="Visible issue")
    page = client.get(log_url).text
    assert "Visible issue" in page
    assert "Log an issue" not in page and "issue-edit" not in page and "/edit/" not in page
    edit = reverse("risks:issue-edit", args=[project.slug, issue.pk])
    delete = reverse("risks:issue-delete", args=[project.slug, issue.pk])
    assert client.post(log_url, issue_data()).status_code == 403
    assert client.post(edit, issue_data(title="Forged", version=issue.version)).status_code == 403
    assert client.post(delete).status_code == 403
    assert [(i.title, i.version) for i in Issue.objects.all()] == [("Visible issue", 1)]


def test_strangers_get_404_and_another_projects_issue_id_is_a_404(client_as, member_client, project, log_url):
    issue = make_issue(project)
    stranger = client_as(make_user())
    assert stranger.get(log_url).status_code == 404
    assert stranger.post(log_url, issue_data()).status_code == 404
    assert stranger.post(reverse("risks:issue-delete", args=[project.slug, issue.pk])).status_code == 404
    theirs = make_issue(make_project(), title="Secret")
    assert member_client.get(reverse("risks:issue-edit", args=[project.slug, theirs.pk])).status_code == 404
    assert member_client.post(reverse("risks:issue-delete", args=[project.slug, theirs.pk])).status_code == 404
    assert Issue.objects.count() == 2


def test_the_owner_must_be_a_stakeholder_of_this_project(member_client, project, log_url):
    outsider = make_stakeholder(make_project(), name="Outsider")
    response = member_client.post(log_url, issue_data(owner=str(outsider.pk)))
    assert "Select a valid choice" in response.text and not Issue.objects.exists()
    mine = make_stakeholder(project, name="Dana")
    member_client.post(log_url, issue_data(owner=str(mine.pk)))
    assert Issue.objects.get().owner == mine


@pytest.mark.django_db(transaction=True)
def test_writes_on_a_real_transaction_number_and_keep_the_log_whole(member_client, project, log_url):
    for title in ("First", "Second", "Third"):
        assert member_client.post(log_url, issue_data(title=title)).status_code == 302
    refused = member_client.post(log_url, issue_data(title="Bad", status="closed", closed_on="2026-01-01"))
    assert refused.status_code == 200
    issue = Issue.objects.get(number=2)
    member_client.post(
        reverse("risks:issue-edit", args=[project.slug, issue.pk]),
        issue_data(title="Second", status="closed", closed_on="2026-03-01", version=issue.version),
    )
    member_client.post(reverse("risks:issue-delete", args=[project.slug, Issue.objects.get(number=3).pk]))
    assert list(Issue.objects.order_by("number").values_list("number", "title", "status")) == [
        (1, "First", "open"),
        (2, "Second", "closed"),
    ]
    project.risk_settings.refresh_from_db()
    assert project.risk_settings.last_issue_number == 3 and project.risk_settings.last_number == 0
