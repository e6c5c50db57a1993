import pytest
from playwright.sync_api import expect

from projects.advisory.models import AdvisoryReview
from tests.browser.conftest import log_in
from tests.factories import make_advisor, make_milestone, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_an_advisor_filters_the_list_and_gives_advice_in_admin(page):
    from projects.advisory.permissions import sync_advisory_group

    sync_advisory_group()  # transactional tests flush the group the migration made
    make_advisor("amy")
    project = make_project(name="Water sensors", reference="WS-1", end_date=None)
    make_project(name="Street lights")
    make_milestone(project, name="Market sounding")
    log_in(page, "amy")
    page.goto("/admin/projects/project/")
    expect(page.get_by_role("link", name="Water sensors")).to_be_visible()
    page.get_by_role("link", name="Not reviewed").first.click()
    expect(page.get_by_role("link", name="Street lights")).to_be_visible()
    page.get_by_role("link", name="Water sensors").click()
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()  # links into the app
    page.locator("#id_review-0-status").select_option("advice_given")
    page.locator("#id_review-0-advice").fill("Record the approvers' criteria before session 2.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    review = AdvisoryReview.objects.get(project=project)
    assert review.status == "advice_given" and review.reviewed_by.username == "amy"
    assert page.console.errors == []  # the admin works under the strict CSP
