from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.advisory.models import AdvisoryReview
from projects.models import Project
from tests.factories import make_issue, make_membership, make_milestone, make_project, make_stakeholder, make_user

from .conftest import make_report

pytestmark = pytest.mark.django_db


def change_url(project):
    return reverse("admin:projects_project_change", args=[project.pk])


def review_post(project, status, advice, **extra):
    """The change form as an advisor submits it: only the review inline is editable."""
    data = {
        "review-TOTAL_FORMS": "1",
        "review-INITIAL_FORMS": "0",
        "review-MIN_NUM_FORMS": "1",
        "review-MAX_NUM_FORMS": "1",
        "review-0-status": status,
        "review-0-advice": advice,
        "review-0-project": str(project.pk),
        "review-0-id": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "review_log-TOTAL_FORMS": "0",
        "review_log-INITIAL_FORMS": "0",
        "review_log-MIN_NUM_FORMS": "0",
        "review_log-MAX_NUM_FORMS": "1000",
        "name": "Renamed by an advisor",
        "_save": "Save",
    }
    data.update(extra)
    return data


def test_an_advisor_saves_the_review_but_never_the_project(advisor, client_as):
    project = make_project(name="Water sensors", rag_status="amber")
    client = client_as(advisor)
    response = client.post(change_url(project), review_post(project, "advice_given", "Record the approvers' criteria."))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    review = AdvisoryReview.objects.get(project=project)
    assert (review.status, review.advice) == ("advice_given", "Record the approvers' criteria.")
    assert review.reviewed_by == advisor and review.reviewed_on == timezone.localdate()
    project.refresh_from_db()
    assert project.name == "Water sensors"
    # Changing it again updates the same review.
    data = review_post(project, "no_concerns", "All good now.")
    data.update({"review-INITIAL_FORMS": "1", "review-0-id": str(review.pk)})
    assert client.post(change_url(project), data).status_code == 302
    assert AdvisoryReview.objects.get(project=project).status == "no_concerns"
    assert AdvisoryReview.objects.count() == 1


def test_an_advisor_cannot_add_delete_or_revert_projects(advisor, client_as):
    project = make_project(name="Water sensors")
    client = client_as(advisor)
    assert client.get(reverse("admin:projects_project_delete", args=[project.pk])).status_code == 403
    assert client.post(reverse("admin:projects_project_delete", args=[project.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:projects_project_add")).status_code == 403
    listing = client.get(reverse("admin:projects_project_changelist")).text
    assert "delete_selected" not in listing
    assert "export_portfolio" in listing and "download_latest_reports" in listing
    page = client.get(change_url(project))
    assert page.status_code == 200
    assert 'name="name"' not in page.text  # project fields are read only
    assert 'name="review-0-status"' in page.text
    history = project.history.first()
    revert = reverse("admin:projects_project_simple_history", args=[project.pk, history.history_id])
    assert client.get(revert).status_code == 200
    assert client.post(revert, {"name": "Reverted"}).status_code == 403
    assert Project.objects.filter(pk=project.pk, name="Water sensors").exists()
    stakeholder = make_stakeholder(project)
    assert client.get(reverse("admin:projects_stakeholder_change", args=[stakeholder.pk])).status_code == 200
    assert (
        client.post(reverse("admin:projects_stakeholder_change", args=[stakeholder.pk]), {"name": "x"}).status_code
        == 403
    )
    assert client.get(reverse("admin:projects_project_history", args=[project.pk])).status_code == 200


def test_a_non_advisor_staff_member_without_permissions_sees_nothing(client_as):
    staff = make_user(is_staff=True)
    project = make_project()
    assert client_as(staff).get(change_url(project)).status_code == 403
    assert client_as(staff).get(reverse("admin:projects_project_changelist")).status_code == 403


def test_the_change_page_summarises_long_lists_and_links_to_the_app(admin_user, client_as):
    project = make_project(name="Big", start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    for i in range(40):
        make_milestone(project, name=f"Step {i:02d}")
    make_report(project, 1, issued_at=datetime(2026, 2, 1, tzinfo=UTC))
    make_membership(project, make_user())
    page = client_as(admin_user).get(change_url(project)).text
    assert "Showing 15 of 40" in page
    assert "Step 00" in page and "Step 39" not in page
    assert reverse("projects:detail", args=[project.slug]) in page
    assert reverse("projects:stakeholders", args=[project.slug]) in page
    assert reverse("projects:history", args=[project.slug]) in page
    assert reverse("admin:projects_project_history", args=[project.pk]) in page
    assert "milestones-TOTAL_FORMS" not in page  # a summary, not 40 inline forms


def test_the_change_page_lists_the_issue_log_open_first(admin_user, client_as):
    project = make_project()
    make_issue(project, title="Closed one", status="closed", raised_on=date(2026, 1, 1), closed_on=date(2026, 2, 1))
    make_issue(project, title="Open one", priority="high")
    page = client_as(admin_user).get(change_url(project)).text
    assert "Issues, open first (2)" in page
    assert page.index("Open one") < page.index("Closed one")
    assert reverse("risks:issues", args=[project.slug]) in page


def test_the_change_page_escapes_user_text(admin_user, client_as):
    project = make_project(name="<script>alert(1)</script>")
    make_milestone(project, name='"><img src=x onerror=alert(1)>')
    page = client_as(admin_user).get(change_url(project)).text
    assert "<img src=x" not in page and "<script>alert(1)" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def _change_page_queries(client, project):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(change_url(project)).status_code == 200
    return len(ctx.captured_queries)


def test_the_change_page_query_count_does_not_grow_with_the_records(advisor, client_as):
    small, big = make_project(), make_project()
    for project, n in ((small, 2), (big, 20)):
        people = [make_stakeholder(project, role_title="r") for _ in range(n)]
        for i in range(n * 5):
            make_milestone(project, owner=people[i % n])
            make_issue(project, owner=people[i % n])
        for i in range(n):
            make_report(project, i + 1, issued_at=timezone.now())
            make_membership(project, make_user())
    client = client_as(advisor)
    _change_page_queries(client, small)  # warm caches (content types, permissions)
    assert _change_page_queries(client, big) == _change_page_queries(client, small)


def test_two_advisors_saving_the_same_review_get_a_conflict_not_an_overwrite(advisor, client_as):
    from tests.factories import make_advisor

    project = make_project()
    review = AdvisoryReview.objects.create(project=project, status="in_review", advice="First look")
    other = client_as(make_advisor("adviser-bob"))
    mine = client_as(advisor)

    def edit(status, advice, version):
        data = review_post(project, status, advice)
        data.update({"review-INITIAL_FORMS": "1", "review-0-id": str(review.pk), "review-0-seen_version": str(version)})
        return data

    assert other.post(change_url(project), edit("no_concerns", "Bob: fine", review.version)).status_code == 302
    stale = mine.post(change_url(project), edit("advice_given", "Amy: add owners", review.version))
    assert stale.status_code == 200
    assert "Someone else saved this review while you were editing it" in stale.text
    assert "Bob: fine" in stale.text and "Amy: add owners" in stale.text
    assert AdvisoryReview.objects.get(pk=review.pk).advice == "Bob: fine"
    # Saving again, now at the newer version, deliberately keeps Amy's values.
    again = mine.post(change_url(project), edit("advice_given", "Amy: add owners", review.version + 1))
    assert again.status_code == 302
    assert AdvisoryReview.objects.get(pk=review.pk).advice == "Amy: add owners"


def test_the_review_list_page_edits_a_review_with_the_same_version_check(advisor, client_as):
    project = make_project(name="Bridges")
    review = AdvisoryReview.objects.create(project=project, status="in_review")
    url = reverse("admin:advisory_advisoryreview_change", args=[review.pk])
    client = client_as(advisor)
    assert client.post(url, {"status": "no_concerns", "advice": "Fine", "seen_version": "1"}).status_code == 302
    stale = client.post(url, {"status": "advice_given", "advice": "Late", "seen_version": "1"})
    assert "Someone else saved this review" in stale.text
    review.refresh_from_db()
    assert (review.status, review.reviewed_by, review.version) == ("no_concerns", advisor, 2)
    assert client.get(reverse("admin:advisory_advisoryreview_add")).status_code == 403


def test_the_demo_advisor_views_risks_changes_the_review_and_cannot_delete_a_project(client_as):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("load_demo")
    client = client_as(get_user_model().objects.get(username="advisor"))
    bucks = Project.objects.get(slug="bucks-procurement")
    risks = client.get(reverse("admin:risks_risk_changelist"))
    assert risks.status_code == 200 and len(risks.context["cl"].result_list) == 4
    assert client.post(reverse("admin:projects_project_delete", args=[bucks.pk]), {"post": "yes"}).status_code == 403
    review = bucks.review
    data = review_post(bucks, "no_concerns", "Owners agreed for every high risk.")
    data.update(
        {"review-INITIAL_FORMS": "1", "review-0-id": str(review.pk), "review-0-seen_version": str(review.version)}
    )
    assert client.post(change_url(bucks), data).status_code == 302
    review.refresh_from_db()
    assert review.status == "no_concerns" and Project.objects.filter(slug="bucks-procurement").exists()


def test_a_superuser_still_adds_and_edits_projects_with_every_field(admin_user, client_as):
    client = client_as(admin_user)
    add = client.get(reverse("admin:projects_project_add"))
    assert add.status_code == 200 and 'name="slug"' in add.text
    data = {
        "name": "Harbour dredging",
        "slug": "harbour",
        "buying_type": "works",
        "stage": "mobilise",
        "currency": "GBP",
        "rag_status": "green",
        "review-TOTAL_FORMS": "1",
        "review-INITIAL_FORMS": "0",
        "review-MIN_NUM_FORMS": "1",
        "review-MAX_NUM_FORMS": "1",
        "review-0-status": "not_reviewed",
        "review-0-advice": "",
        "review_log-TOTAL_FORMS": "0",
        "review_log-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302, response.context["errors"]
    project = Project.objects.get(slug="harbour")
    assert not AdvisoryReview.objects.filter(project=project).exists()  # untouched review: none saved
    data.update(name="Harbour dredging 2")
    assert client.post(change_url(project), data).status_code == 302
    assert Project.objects.get(pk=project.pk).name == "Harbour dredging 2"
