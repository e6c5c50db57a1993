import pytest
from django.core.management import call_command
from django.urls import reverse

from projects.advisory.models import AdvisoryReview
from projects.models import Project
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def dashboard(client, project):
    response = client.get(reverse("projects:detail", args=[project.slug]))
    assert response.status_code == 200
    return response.text


def test_the_buying_team_sees_the_advisory_teams_advice_on_its_dashboard(project, member_client):
    assert "has not reviewed this project yet" in dashboard(member_client, project)
    reviewer = make_user("rev", first_name="Alex", last_name="Morgan")
    AdvisoryReview.objects.create(
        project=project,
        status=AdvisoryReview.Status.ADVICE_GIVEN,
        reviewed_by=reviewer,
        advice="Agree owners for the high risks.\n<script>alert(1)</script>",
    )
    page = dashboard(member_client, project)
    assert "Advice given" in page and "by Alex Morgan" in page
    assert "Agree owners for the high risks.<br>&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_no_concerns_is_said_plainly(project, member_client):
    AdvisoryReview.objects.create(project=project, status=AdvisoryReview.Status.NO_CONCERNS)
    assert "has no concerns about this project" in dashboard(member_client, project)


def test_the_panel_costs_two_queries(rf, project, buyer, django_assert_num_queries):
    from projects.advisory.dashboard import dashboard_panel

    AdvisoryReview.objects.create(project=project, status="advice_given", advice="x", reviewed_by=buyer)
    request = rf.get("/")
    request.user = buyer
    with django_assert_num_queries(2):  # the review joined with its reviewer; open help requests
        html = dashboard_panel(request, project)
    assert "Advice given" in html


def test_the_demo_council_project_has_been_reviewed_with_advice():
    call_command("load_demo")
    review = Project.objects.get(slug="bucks-procurement").review
    assert review.status == AdvisoryReview.Status.ADVICE_GIVEN
    assert "£50k to £30k" in review.advice
    assert review.reviewed_by.username == "advisor"
