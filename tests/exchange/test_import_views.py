"""The browser import flow: upload, preview (nothing saved), confirm (all rows in one transaction)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.exchange.models import PendingImport
from projects.models import Membership, Stakeholder
from tests.factories import make_membership, make_user
from tests.spreadsheets.conftest import real_world, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, project, kind, data, name="register.xlsx", **extra):
    url = reverse("exchange:import", args=[project.slug, kind])
    return client.post(url, {"file": SimpleUploadedFile(name, data, XLSX), **extra})


def test_upload_shows_a_preview_and_saves_nothing_until_confirmed(member_client, project, buyer):
    response = upload(member_client, project, "milestones", real_world("kunalpatil3008_Programme_Milestones.xlsx"))
    assert response.status_code == 302
    preview_url = response["Location"]
    page = member_client.get(preview_url).text
    assert "Reading sheet <strong>“Programme_Milestones”</strong>, header in row 1." in page
    assert "Planned_End</td>" in page and "Overdue" in page and "Not met" in page
    assert "80 to add, 0 to update" in page
    assert project.milestones.count() == 0 and project.stakeholders.count() == 0

    response = member_client.post(preview_url, {"confirm": "1", "sheet": "Programme_Milestones"})
    assert response.status_code == 302 and response["Location"] == reverse("plan:plan", args=[project.slug])
    assert project.milestones.count() == 80
    done = PendingImport.objects.get()  # kept, marked imported, its cells dropped
    assert done.imported_at is not None and bytes(done.workbook) == b"" and done.preview == {}
    record = project.milestones.get(name="Design Approved").history.first()
    assert (record.history_user, record.history_change_reason) == (buyer, "Imported from register.xlsx")
    history = member_client.get(reverse("projects:history", args=[project.slug])).text
    assert "Bea Buyer" in history or buyer.username in history


def test_a_file_with_problems_shows_each_by_sheet_row_and_column_and_cannot_be_confirmed(member_client, project):
    data = workbook_bytes(("Plan", [["Milestone", "End"], ["Go live", "next Tuesday"], ["Review", "2026-02-30"]]))
    preview_url = upload(member_client, project, "milestones", data)["Location"]
    page = member_client.get(preview_url).text
    assert "sheet “Plan”, row 2, column B: End “next Tuesday” is not a date" in page
    assert "sheet “Plan”, row 3, column B" in page
    assert 'name="confirm"' not in page
    response = member_client.post(preview_url, {"confirm": "1"})
    assert "Nothing was imported" in response.text
    assert project.milestones.count() == 0


def test_a_broken_file_is_refused_on_the_upload_page_with_a_plain_message(member_client, project):
    response = upload(member_client, project, "stakeholders", b"name,email\nDana,d@example.org\n")
    assert response.status_code == 200
    assert "This file is a CSV or text file, not an .xlsx workbook" in response.text
    assert not PendingImport.objects.exists()


def test_the_upload_form_refuses_other_types_before_reading_them(member_client, project):
    for name, message in (
        ("plan.xlsm", "macros"),
        ("plan.xls", "Only Excel Workbooks"),
        ("plan.csv", "Only Excel Workbooks"),
    ):
        response = upload(member_client, project, "stakeholders", b"x", name=name)
        assert message in response.text, name
    assert not PendingImport.objects.exists()


def test_another_sheet_can_be_chosen_in_the_preview(member_client, project):
    data = real_world("Ai-Catalysts_RACI.xlsx")
    preview_url = upload(member_client, project, "stakeholders", data)["Location"]
    assert "“Register”" in member_client.get(preview_url).text
    page = member_client.get(preview_url, {"sheet": "Grid"}).text
    assert "No header row in sheet “Grid”" in page


def test_a_header_only_file_says_there_are_no_rows(member_client, project):
    preview_url = upload(member_client, project, "stakeholders", real_world("packt_Stakeholders.xlsx"))["Location"]
    page = member_client.get(preview_url).text
    assert "There are no rows to import" in page
    assert 'name="confirm"' not in page


def test_someone_elses_upload_is_a_404(member_client, project, client_as):
    preview_url = upload(member_client, project, "stakeholders", real_world("Ai-Catalysts_RACI.xlsx"))["Location"]
    colleague = make_user()
    make_membership(project, colleague, Membership.Role.OFFICER)
    assert client_as(colleague).get(preview_url).status_code == 404
    assert client_as(colleague).post(preview_url, {"confirm": "1"}).status_code == 404
    assert not Stakeholder.objects.exists()


def test_viewers_can_export_but_not_import(project, client_as):
    viewer = make_user()
    make_membership(project, viewer, Membership.Role.VIEWER)
    client = client_as(viewer)
    assert client.get(reverse("exchange:export-xlsx", args=[project.slug])).status_code == 200
    assert client.get(reverse("exchange:import", args=[project.slug, "stakeholders"])).status_code == 403
    assert upload(client, project, "stakeholders", real_world("Ai-Catalysts_RACI.xlsx")).status_code == 403
    page = client.get(reverse("exchange:data", args=[project.slug])).text
    assert "Download the whole project" in page and "Import stakeholders" not in page


def test_an_unknown_kind_is_a_404(member_client, project):
    assert member_client.get(reverse("exchange:import", args=[project.slug, "budgets"])).status_code == 404


def test_register_pages_offer_export_and_import_buttons(member_client, project, client_as):
    for page, kind in (
        ("risks:register", "risks"),
        ("projects:stakeholders", "stakeholders"),
        ("plan:plan", "milestones"),
        ("plan:communications", "communications"),
        ("raci:matrix", "raci"),
    ):
        text = member_client.get(reverse(page, args=[project.slug])).text
        assert f'href="/projects/{project.slug}/{kind}.xlsx" download>Export to Excel' in text, page
        assert f'href="/projects/{project.slug}/import/{kind}/">Import from Excel' in text, page
    viewer = make_user()
    make_membership(project, viewer, Membership.Role.VIEWER)
    text = client_as(viewer).get(reverse("risks:register", args=[project.slug])).text
    assert "Export to Excel" in text and "Import from Excel" not in text


def test_a_second_confirmation_of_the_same_upload_imports_nothing_and_says_so(member_client, project):
    preview_url = upload(member_client, project, "stakeholders", real_world("Ai-Catalysts_RACI.xlsx"))["Location"]
    assert member_client.post(preview_url, {"confirm": "1"}).status_code == 302
    response = member_client.post(preview_url, {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    assert "register.xlsx has already been imported; nothing more was saved." in response.text
    assert project.stakeholders.count() == 8
    page = member_client.get(preview_url).text
    assert "has already been imported" in page and 'name="confirm"' not in page


def test_the_raci_import_page_previews_people_letters_and_flags(member_client, project):
    url = reverse("exchange:raci-import", args=[project.slug])
    response = member_client.post(url, {"file": SimpleUploadedFile("raci.xlsx", real_world("kallori_RACI.xlsx"), XLSX)})
    page = member_client.get(response["Location"]).text
    assert "R/A/C/I of Product Manager" in page
    assert "“Risk Assessment” has 2 people accountable (Product Manager, Project Manager)" in page
    assert "Skipped rows 23, 24, 25, 26" in page
    assert "19 to add, 0 to update" in page
    member_client.post(response["Location"], {"confirm": "1"})
    assert project.raci_activities.count() == 19


def test_the_risk_import_preview_states_the_projects_scale_and_the_import_keeps_history(member_client, project, buyer):
    url = reverse("exchange:risks-import", args=[project.slug])
    data = real_world("kunalpatil3008_Risk_Register.xlsx")
    response = member_client.post(url, {"file": SimpleUploadedFile("risks.xlsx", data, XLSX)})
    page = member_client.get(response["Location"]).text
    assert "This project scores likelihood and impact on a 1-4 scale" in page
    assert "3 (of 4; file scale 1-5)" in page
    member_client.post(response["Location"], {"confirm": "1"})
    record = project.risks.get(event__startswith="Incomplete asset records").history.get()
    assert (record.history_user, record.history_change_reason) == (buyer, "Imported from risks.xlsx")


def test_a_file_of_another_kind_is_refused_on_the_upload_page(member_client, project):
    response = upload(member_client, project, "communications", real_world("kunalpatil3008_Risk_Register.xlsx"))
    assert response.status_code == 200
    assert (
        "This looks like a risk register, not a communication plan: sheet “Risk_Register” has columns" in response.text
    )
    assert not PendingImport.objects.exists() and project.communications.count() == 0


def test_uploading_again_and_again_keeps_only_the_latest_three_waiting(member_client, project):
    data = real_world("kunalpatil3008_Programme_Milestones.xlsx")
    previews = [upload(member_client, project, "milestones", data)["Location"] for _ in range(5)]
    assert PendingImport.objects.count() == 3
    assert member_client.get(previews[-1]).status_code == 200 and member_client.get(previews[-3]).status_code == 200
    assert member_client.get(previews[0]).status_code == 404
