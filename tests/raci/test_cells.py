import pytest
from django.urls import reverse

from projects.models import Membership
from raci.models import Assignment
from tests.factories import make_activity, make_assignment, make_project, make_stakeholder, make_user

from .conftest import HTMX, url

pytestmark = pytest.mark.django_db


def letters(row, person):
    cell = Assignment.objects.filter(activity=row, stakeholder=person).first()
    return cell.letters if cell else ""


def test_the_matrix_shows_rule_messages_beside_rows_and_below_columns(member_client, project, small_matrix):
    row, ann, bob = small_matrix
    page = member_client.get(url(project)).text
    row_checks = page.split(f'id="rc{row.pk}"')[1].split("</td>")[0]
    assert "Error:</span> No one is accountable for “Evaluation”" in row_checks
    column_checks = page.split(f'id="pc{bob.pk}"')[1].split("</td>")[0]
    assert "Note:</span> Bob Board has no letter on any activity" in column_checks
    assert "Note:</span> Bob Board is an approver but is on no activity" in column_checks
    assert "1 error and 2 notes." in page


def test_typing_a_letter_sets_it_and_refreshes_the_row_and_column_messages(member_client, project, small_matrix):
    row, ann, bob = small_matrix
    response = member_client.post(
        url(project, "raci:cell", row.pk, bob.pk), {"op": "toggle", "letter": "a"}, headers=HTMX
    )
    assert response.status_code == 200
    assert letters(row, bob) == "A"
    html = response.text
    assert html.lstrip().startswith("<td>")
    assert f'id="b{row.pk}-{bob.pk}"' in html and ">A</button>" in html
    # The row's error and the column's note are gone, swapped out of band.
    assert (
        f'<td id="rc{row.pk}" class="raci-checks" hx-swap-oob="true"><span class="raci-ok">No problems</span>' in html
    )
    assert (
        f'<td id="pc{bob.pk}" class="raci-checks" hx-swap-oob="true"><span class="raci-ok">No problems</span>' in html
    )
    assert "Bob Board on “Evaluation”: now A (accountable). The matrix meets every rule." in html


def test_typing_the_same_letter_again_switches_it_off(member_client, project, small_matrix):
    row, ann, _ = small_matrix
    member_client.post(url(project, "raci:cell", row.pk, ann.pk), {"op": "toggle", "letter": "A"}, headers=HTMX)
    assert letters(row, ann) == "AR"
    response = member_client.post(
        url(project, "raci:cell", row.pk, ann.pk), {"op": "toggle", "letter": "R"}, headers=HTMX
    )
    assert letters(row, ann) == "A"
    assert "No one is responsible for “Evaluation”" in response.text


def test_a_letter_other_than_r_a_c_i_is_refused_with_a_plain_message(member_client, project, small_matrix):
    row, ann, bob = small_matrix
    for bad in ("X", "RA", "", "<script>"):
        response = member_client.post(
            url(project, "raci:cell", row.pk, bob.pk), {"op": "toggle", "letter": bad}, headers=HTMX
        )
        assert response.status_code == 200
        assert "Use only the letters R, A, C and I" in response.text
    response = member_client.post(url(project, "raci:cell", row.pk, bob.pk), {"op": "set", "letters": ["R", "X"]})
    assert response.status_code == 302
    assert "Use only the letters R, A, C and I" in member_client.get(response["Location"]).text
    assert letters(row, bob) == "" and letters(row, ann) == "R"


def test_delete_clears_the_cell(member_client, project, small_matrix):
    row, ann, _ = small_matrix
    response = member_client.post(url(project, "raci:cell", row.pk, ann.pk), {"op": "clear"}, headers=HTMX)
    assert not Assignment.objects.filter(activity=row, stakeholder=ann).exists()
    assert ">·</button>" in response.text
    assert Assignment.history.filter(history_type="-").exists()


def test_a_click_cycles_through_the_common_letters(member_client, project, small_matrix):
    row, _, bob = small_matrix
    seen = []
    for _ in range(6):
        member_client.post(url(project, "raci:cell", row.pk, bob.pk), {"seen": letters(row, bob)}, headers=HTMX)
        seen.append(letters(row, bob))
    assert seen == ["R", "A", "AR", "C", "I", ""]


@pytest.mark.parametrize("held, after_click", [("CR", "A"), ("ACI", "AR"), ("CI", "I"), ("RI", "A")])
def test_a_click_on_a_combination_off_the_cycle_moves_on_instead_of_wiping_it(
    member_client, project, small_matrix, held, after_click
):
    from raci.models import canonical

    row, _, bob = small_matrix
    make_assignment(row, bob, canonical(held))
    member_client.post(url(project, "raci:cell", row.pk, bob.pk), {"seen": canonical(held)}, headers=HTMX)
    assert letters(row, bob) == after_click


def test_every_cell_offers_a_form_for_any_combination_of_letters(member_client, project, small_matrix):
    row, _, bob = small_matrix
    page = member_client.get(url(project)).text
    link = f"{url(project)}cells/{row.pk}/{bob.pk}/"
    assert f'class="raci-set" href="{link}"' in page
    form = member_client.get(link).text
    assert "Tick every letter this person should hold" in form
    member_client.post(link, {"op": "set", "letters": ["R", "C"], "seen": ""})
    assert letters(row, bob) == "RC"


def test_without_javascript_a_click_saves_and_comes_back_to_the_matrix(member_client, project, small_matrix):
    row, _, bob = small_matrix
    response = member_client.post(url(project, "raci:cell", row.pk, bob.pk), {"seen": ""})
    assert response.status_code == 302 and response["Location"] == url(project)
    assert letters(row, bob) == "R"
    assert "Bob Board on “Evaluation”: now R (responsible)." in member_client.get(response["Location"]).text


def test_without_javascript_any_combination_can_be_set_on_a_small_form(member_client, project, small_matrix):
    row, _, bob = small_matrix
    page = member_client.get(url(project, "raci:cell", row.pk, bob.pk))
    assert "Letters for" in page.text and 'value="C"' in page.text
    member_client.post(url(project, "raci:cell", row.pk, bob.pk), {"op": "set", "letters": ["I", "C"], "seen": ""})
    assert letters(row, bob) == "CI"


def test_next_takes_the_no_javascript_path_back_to_an_embedding_page(member_client, project, small_matrix):
    row, _, bob = small_matrix
    session = f"/projects/{project.slug}/sessions/3/"
    response = member_client.post(url(project, "raci:cell", row.pk, bob.pk), {"seen": "", "next": session})
    assert response["Location"] == session
    response = member_client.post(
        url(project, "raci:cell", row.pk, bob.pk), {"seen": "R", "next": "https://evil.example/"}
    )
    assert response["Location"] == url(project)


def test_a_click_on_a_cell_someone_else_just_changed_is_not_applied(member_client, project, small_matrix):
    row, ann, _ = small_matrix
    response = member_client.post(url(project, "raci:cell", row.pk, ann.pk), {"seen": ""}, headers=HTMX)
    assert letters(row, ann) == "R"
    assert "Someone else changed this cell to R while you were looking at it" in response.text
    assert ">R</button>" in response.text


def test_another_projects_cell_is_a_404(member_client, project, small_matrix):
    row, ann, _ = small_matrix
    other = make_project(members={make_user(): Membership.Role.BUYER})
    their_row = make_activity(other)
    their_person = make_stakeholder(other)
    for args in ((their_row.pk, ann.pk), (row.pk, their_person.pk), (their_row.pk, their_person.pk)):
        assert member_client.post(url(project, "raci:cell", *args), {"op": "toggle", "letter": "A"}).status_code == 404
        assert member_client.get(url(project, "raci:cell", *args)).status_code == 404
    assert not Assignment.objects.filter(activity=their_row).exists()
    # The right cell through the other project's slug is a 404 too: we are not a member there.
    assert member_client.post(url(other, "raci:cell", row.pk, ann.pk), {"op": "clear"}).status_code == 404
    assert letters(row, ann) == "R"


def test_viewers_see_letters_but_cannot_change_them(client_as, project, small_matrix):
    row, ann, _ = small_matrix
    viewer = make_user()
    Membership.objects.create(project=project, user=viewer, role=Membership.Role.VIEWER)
    client = client_as(viewer)
    page = client.get(url(project)).text
    assert 'class="raci-letters">R</span>' in page and "raci-btn" not in page and "Add activity" not in page
    assert client.post(url(project, "raci:cell", row.pk, ann.pk), {"op": "clear"}).status_code == 403
    assert letters(row, ann) == "R"


def test_cell_edits_keep_a_history(member_client, project, small_matrix):
    row, _, bob = small_matrix
    member_client.post(url(project, "raci:cell", row.pk, bob.pk), {"op": "toggle", "letter": "C"}, headers=HTMX)
    member_client.post(url(project, "raci:cell", row.pk, bob.pk), {"op": "toggle", "letter": "I"}, headers=HTMX)
    cell = Assignment.objects.get(activity=row, stakeholder=bob)
    assert cell.letters == "CI" and cell.version == 2
    assert [h.letters for h in cell.history.order_by("history_date")] == ["C", "CI"]


def test_cell_edits_show_on_the_projects_history_page_by_name(member_client, project, small_matrix):
    row, ann, bob = small_matrix
    member_client.post(url(project, "raci:cell", row.pk, bob.pk), {"op": "toggle", "letter": "C"}, headers=HTMX)
    member_client.post(url(project, "raci:cell", row.pk, bob.pk), {"op": "toggle", "letter": "I"}, headers=HTMX)
    page = member_client.get(reverse("projects:history", args=[project.slug])).text
    assert 'added RACI assignment “<span class="wrap">Evaluation / Bob Board</span>”' in page
    assert 'from “<span class="wrap">C</span>” to “<span class="wrap">CI</span>”' in page
