"""Issue 17 point 1: on the preview the person chooses how the file is read (column per field or
none, header row, scale, what words score), sees the rows again, and nothing is saved until they
confirm; the choice is remembered for the next file with the same headers in that project.
The writes run without a wrapping transaction (PostgreSQL in CI)."""

import json
import re
from datetime import date
from html import unescape

import pytest

from projects.exchange.models import ImportReading, PendingImport
from projects.models import Membership
from tests.factories import make_membership, make_project, make_user
from tests.spreadsheets.conftest import real_world, workbook_bytes

from .test_import_views import upload

pytestmark = pytest.mark.django_db(transaction=True)
CHEPKEMOI = "chepkemoi-maureen_Risk_Register.xlsx"


def shown(page):
    """The reading the page shows, as its form posts it back."""
    return unescape(re.search(r'name="shown" value="([^"]*)"', page).group(1))


def test_a_scale_is_asked_chosen_shown_again_then_imported_and_remembered(member_client, project, buyer):
    preview_url = upload(member_client, project, "risks", real_world(CHEPKEMOI), name=CHEPKEMOI)["Location"]
    page = member_client.get(preview_url).text
    assert "do not say the file&#x27;s scale" in page and 'name="confirm"' not in page
    assert (
        '<select class="form-select form-select-sm" name="scale" id="id_scale" aria-describedby="id_scale-help">'
        in page
    )

    # Choose 1-5: the rows are shown again read that way, and nothing is saved.
    reread = member_client.post(preview_url, {"reread": "1", "sheet": "Sheet1", "header_row": "1", "scale": "5"})
    assert reread.status_code == 200
    text = reread.text
    assert "3 (of 4; file scale 1-5)" in text and "Import 10 rows" in text
    assert project.risks.count() == 0 and not ImportReading.objects.exists()

    # Confirm what was shown.
    response = member_client.post(
        preview_url, {"confirm": "1", "sheet": "Sheet1", "header_row": "1", "scale": "5", "shown": shown(text)}
    )
    assert response.status_code == 302
    weak = project.risks.get(event__startswith="Weak passwords")
    assert (weak.likelihood, weak.impact) == (3, 3)  # 3 of 5, not 4 of 4 as the 1-3 guess made it
    remembered = ImportReading.objects.get(project=project, kind="risks")
    assert remembered.reading["scale"] == 5 and remembered.chosen_by == buyer

    # The next file with the same headers is read the same way without asking.
    again = upload(member_client, project, "risks", real_world(CHEPKEMOI), name="next.xlsx")["Location"]
    page = member_client.get(again).text
    assert "Read the way it was chosen for the last file with these headers" in page
    assert "do not say the file&#x27;s scale" not in page and "Import 10 rows" in page
    # ...in that project only.
    other = make_project(members={buyer: Membership.Role.BUYER})
    elsewhere = upload(member_client, other, "risks", real_world(CHEPKEMOI))["Location"]
    assert "do not say the file&#x27;s scale" in member_client.get(elsewhere).text


def test_confirming_a_choice_that_was_not_shown_shows_it_and_saves_nothing(member_client, project):
    preview_url = upload(member_client, project, "risks", real_world(CHEPKEMOI))["Location"]
    first = member_client.post(preview_url, {"reread": "1", "sheet": "Sheet1", "header_row": "1", "scale": "3"})
    response = member_client.post(
        preview_url, {"confirm": "1", "sheet": "Sheet1", "header_row": "1", "scale": "5", "shown": shown(first.text)}
    )
    assert response.status_code == 200
    assert "You changed how the file is read: check the rows below, then import." in response.text
    assert project.risks.count() == 0 and not ImportReading.objects.exists()
    assert PendingImport.objects.get().imported_at is None


def test_a_column_can_be_chosen_for_a_field_or_none(member_client, project):
    data = workbook_bytes(
        (
            "Risks",
            [
                ["Risk ID", "Risk Score", "Hazard", "Likelihood (1-5)", "Impact (1-5)", "Owner"],
                ["R-1", 12, "Flood", 3, 4, "Ann"],
                ["R-2", 6, "Fire", 2, 3, "Bob"],
            ],
        )
    )
    preview_url = upload(member_client, project, "risks", data)["Location"]
    page = member_client.get(preview_url).text
    assert "which holds only numbers" in page
    assert '<label for="id_column_event">Event (needed)</label>' in page
    form = {"sheet": "Risks", "header_row": "1", "column_event": "2", "column_owner": ""}
    reread = member_client.post(preview_url, {"reread": "1", **form})
    assert "Flood" in reread.text and "which holds only numbers" not in reread.text
    assert "New stakeholders to add" not in reread.text  # owner: not imported
    response = member_client.post(preview_url, {"confirm": "1", **form, "shown": shown(reread.text)})
    assert response.status_code == 302
    assert sorted(project.risks.values_list("event", flat=True)) == ["Fire", "Flood"]
    assert project.stakeholders.count() == 0 and not project.risks.filter(owner__isnull=False).exists()
    reading = ImportReading.objects.get().reading
    assert reading["columns"]["event"] == 2 and reading["columns"]["owner"] is None


def test_the_header_row_can_be_chosen(member_client, project):
    data = workbook_bytes(
        ("Plan", [["Name", "Owner"], ["Board", "x"], ["Milestone", "End"], ["Go live", "2026-05-01"]]),
    )
    preview_url = upload(member_client, project, "milestones", data)["Location"]
    page = member_client.get(preview_url).text
    assert "header in row 3" in page
    assert project.milestones.count() == 0
    response = member_client.post(preview_url, {"reread": "1", "sheet": "Plan", "header_row": "99"})
    assert "Row 99 is not in the sheet" in response.text
    assert project.milestones.count() == 0


def test_word_scores_are_chosen_on_the_preview(member_client, project):
    data = workbook_bytes(("Risks", [["Risk", "Likelihood", "Impact"], ["A", "Medium", "High"]]))
    preview_url = upload(member_client, project, "risks", data)["Location"]
    page = member_client.get(preview_url).text
    assert "What the file's words score on this project's 1-4 scale" in page
    words = dict(json.loads(shown(page))["words"])
    assert words == {"medium": 2, "high": 3}
    form = {"sheet": "Risks", "header_row": "1", "word_medium": "3", "word_high": "4"}
    reread = member_client.post(preview_url, {"reread": "1", **form})
    response = member_client.post(preview_url, {"confirm": "1", **form, "shown": shown(reread.text)})
    assert response.status_code == 302
    risk = project.risks.get()
    assert (risk.likelihood, risk.impact) == (3, 4)


def test_a_turned_round_raci_is_offered_and_read_as_chosen(member_client, project):
    data = workbook_bytes(
        (
            "RACI",
            [
                ["Person", "Write the tender brief", "Approve the budget"],
                ["Ann", "R", "A"],
                ["Bob", "A", "R"],
            ],
        )
    )
    preview_url = upload(member_client, project, "raci", data)["Location"]
    page = member_client.get(preview_url).text
    assert "This RACI seems to have people as rows" in page and 'name="confirm"' not in page
    reread = member_client.post(preview_url, {"reread": "1", "sheet": "RACI", "transpose": "yes"})
    assert "Read turned round, as you chose" in reread.text
    response = member_client.post(
        preview_url, {"confirm": "1", "sheet": "RACI", "transpose": "yes", "shown": shown(reread.text)}
    )
    assert response.status_code == 302
    assert list(project.raci_activities.values_list("name", flat=True)) == [
        "Write the tender brief",
        "Approve the budget",
    ]
    assert set(project.stakeholders.values_list("name", flat=True)) == {"Ann", "Bob"}
    # The next RACI laid out the same way is read turned round without asking.
    again = upload(member_client, project, "raci", data)["Location"]
    page = member_client.get(again).text
    assert "This RACI seems to have people as rows" not in page and "Read turned round, as you chose" in page
    assert "Import 2 rows" in page


def test_a_choice_on_someone_elses_upload_is_a_404(member_client, project, client_as):
    preview_url = upload(member_client, project, "risks", real_world(CHEPKEMOI))["Location"]
    colleague = make_user()
    make_membership(project, colleague, Membership.Role.OFFICER)
    assert client_as(colleague).post(preview_url, {"reread": "1", "scale": "5"}).status_code == 404
    stranger = make_user()
    assert client_as(stranger).post(preview_url, {"confirm": "1", "scale": "5"}).status_code == 404
    assert project.risks.count() == 0


def test_an_ms_project_plan_with_dates_both_ways_asks_the_order_then_imports(member_client, project):
    data = workbook_bytes(
        (
            "Task_Table1",
            [
                ["ID", "Name", "Duration", "Start", "Finish", "Predecessors", "Resource Names"],
                [1, "Kick off", "1 day", "3/1/27", "3/1/27", "", "Ann"],
                [2, "Design", "5 days", "4/1/27", "", "1FS+2d", "Ann"],
            ],
        )
    )
    preview_url = upload(member_client, project, "milestones", data)["Location"]
    page = member_client.get(preview_url).text
    assert "Dates are written as numbers that read both ways" in page and 'name="confirm"' not in page
    form = {"sheet": "Task_Table1", "date_order": "mdy"}
    reread = member_client.post(preview_url, {"reread": "1", **form})
    assert "2027-03-01" in reread.text and "Import 2 rows" in reread.text
    assert project.milestones.count() == 0
    response = member_client.post(preview_url, {"confirm": "1", **form, "shown": shown(reread.text)})
    assert response.status_code == 302
    design = project.milestones.get(name="Design")
    assert (design.baseline_start, design.baseline_end) == (date(2027, 4, 1), date(2027, 4, 7))
    assert list(design.depends_on.values_list("name", flat=True)) == ["Kick off"]
    assert design.owner.name == "Ann"
    assert ImportReading.objects.get(kind="milestones").reading["date_order"] == "mdy"


def test_a_file_missing_a_field_offers_its_column_and_imports_once_chosen(member_client, project):
    data = workbook_bytes(("Risks", [["Risk", "Likelihood (1-4)", "Damage (1-4)"], ["Late data", 2, 3]]))
    preview_url = upload(member_client, project, "risks", data)["Location"]
    page = member_client.get(preview_url).text
    assert "No column is read as Impact, which every row needs" in page
    assert '<option value="2">C: Damage (1-4)</option>' in page and 'name="confirm"' not in page
    form = {"sheet": "Risks", "header_row": "1", "column_impact": "2"}
    reread = member_client.post(preview_url, {"reread": "1", **form})
    response = member_client.post(preview_url, {"confirm": "1", **form, "shown": shown(reread.text)})
    assert response.status_code == 302
    risk = project.risks.get()
    assert (risk.event, risk.likelihood, risk.impact) == ("Late data", 2, 3)
