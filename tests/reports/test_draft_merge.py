"""Two people editing one draft: different sections both keep their text; the same section
shows the second person both versions and saves nothing until they choose."""

import pytest

from projects.models import Membership
from tests.factories import make_membership, make_report, make_user

from .test_reports import form_data, url

HTMX = {"HX-Request": "true"}


@pytest.fixture
def second_client(project, client_as):
    user = make_user("pm-second", first_name="Pat", last_name="Manager")
    make_membership(project, user, Membership.Role.MANAGER)
    return client_as(user)


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_different_sections_both_keep_their_text(member_client, second_client, project):
    report = make_report(project)
    opened = form_data(report)  # both opened the draft at this version
    assert member_client.post(url("report", project, 1), {**opened, "progress": "Board convened"}).status_code == 302
    response = second_client.post(url("report", project, 1), {**opened, "financial": "On budget"}, headers=HTMX)
    assert response.status_code == 200 and "Someone else" not in response.text
    report.refresh_from_db()
    assert report.progress == "Board convened" and report.financial == "On budget"
    # The first person's section is swapped into the second page with the new version, so
    # its next autosave does not put back the section as it was.
    assert 'id="id_progress"' in response.text and "Board convened</textarea>" in response.text
    assert f'name="version" value="{report.version}"' in response.text
    assert 'id="id_deliverables"' not in response.text  # nobody changed it: left alone
    again = {**opened, "version": report.version, "progress": "Board convened", "financial": "On budget; £2k under"}
    second_client.post(url("report", project, 1), again, headers=HTMX)
    report.refresh_from_db()
    assert report.progress == "Board convened" and report.financial == "On budget; £2k under"


@pytest.mark.django_db(transaction=True)
def test_the_same_section_shows_both_versions_saves_nothing_and_the_next_save_chooses(
    member_client, second_client, project
):
    report = make_report(project)
    opened = form_data(report)
    member_client.post(url("report", project, 1), {**opened, "progress": "Board convened", "deliverables": "Register"})
    response = second_client.post(url("report", project, 1), {**opened, "progress": "Board postponed"}, follow=True)
    page = response.text
    assert "Someone else changed “3. Summary progress and key highlights” while you were editing it." in page
    assert "Theirs: “Board convened”" in page
    assert "Board postponed" in page  # mine, still in the field
    report.refresh_from_db()
    assert report.progress == "Board convened" and report.deliverables == "Register"
    # The form now carries their version and their other section: saving again keeps my
    # progress and their deliverables.
    form = response.context["form"]
    data = {k: form.data[k] for k in form.data if k != "csrfmiddlewaretoken"}
    assert data["deliverables"] == "Register" and int(data["version"]) == report.version
    assert second_client.post(url("report", project, 1), data).status_code == 302
    report.refresh_from_db()
    assert report.progress == "Board postponed" and report.deliverables == "Register"


@pytest.mark.django_db
def test_a_swapped_in_rag_keeps_its_select_styling(member_client, second_client, project):
    report = make_report(project)
    opened = form_data(report)
    member_client.post(url("report", project, 1), {**opened, "rag_time": "red"})
    text = second_client.post(url("report", project, 1), {**opened, "financial": "Fine"}, headers=HTMX).text
    assert '<select name="rag_time" hx-swap-oob="true" class="form-select" id="id_rag_time">' in text
    assert '<option value="red" selected>' in text


@pytest.mark.django_db(transaction=True)
def test_an_autosave_arriving_after_the_issue_changes_nothing_of_the_issued_report(project, buyer):
    """The Issue click blurs the textarea, whose change event autosaves. That save passed the
    view's "still a draft?" check, then, stale by the issue's version, merged into the issued
    row and wrote the whole stale draft back (issued_at and the PDF cleared). Here the save
    is made exactly so: its form loaded the draft, then the report was issued."""
    from projects.reports import rendering
    from projects.reports.forms import ReportForm
    from projects.reports.models import HighlightReport

    report = make_report(project)
    stale = HighlightReport.objects.get(pk=report.pk)  # what the autosave request loaded
    form = ReportForm({**form_data(report), "recommendation": "Late words"}, instance=stale, project=project)
    assert rendering.report_issue(report=report, by=buyer)
    report.refresh_from_db()
    issued = (report.issued_at, bytes(report.pdf), report.pdf_sha256, report.recommendation, report.version)
    assert form.is_valid() and not form.save_versioned()
    assert form.non_field_errors() == ["This report was issued meanwhile and can no longer change. Nothing was saved."]
    report.refresh_from_db()
    assert (report.issued_at, bytes(report.pdf), report.pdf_sha256, report.recommendation, report.version) == issued
