"""The project's documents page: every version of the frozen minutes and the issued reports."""

import pytest

from alignment.models import Session
from projects.models import Membership
from projects.reports import rendering
from tests.alignment.test_signoff import sign
from tests.factories import make_project, make_report, make_user

pytestmark = pytest.mark.django_db


def test_documents_list_the_minutes_and_issued_reports_with_links_that_serve_them(
    member_client, officer_client, project, buyer
):
    page = member_client.get(f"/projects/{project.slug}/documents/").text
    assert "No session is agreed yet." in page and "No highlight report has been issued yet." in page
    sign(member_client, project)
    sign(officer_client, project)
    report = make_report(project)
    assert rendering.report_issue(report=report, by=buyer)
    make_report(project, number=2, period_start=report.period_end, period_end=report.period_end)  # a draft
    page = member_client.get(f"/projects/{project.slug}/documents/").text
    minutes = Session.objects.get(project=project, number=1).minutes.get()
    link = f"/projects/{project.slug}/sessions/1/minutes/1.pdf"
    assert link in page and minutes.pdf_sha256[:16] in page
    assert f"/projects/{project.slug}/reports/1/pdf/" in page
    assert f"/projects/{project.slug}/reports/2/pdf/" not in page  # drafts are not documents
    assert member_client.get(link).content == bytes(minutes.pdf)
    assert 'href="/projects/water-sensors/documents/"' in page  # in the project menu


def test_documents_of_another_project_are_404(project, client_as):
    stranger = make_user("stranger")
    make_project(members={stranger: Membership.Role.BUYER}, slug="theirs")
    assert client_as(stranger).get(f"/projects/{project.slug}/documents/").status_code == 404
    assert client_as(stranger).post(f"/projects/{project.slug}/documents/").status_code in (404, 405)
