import pytest

from projects.models import Stakeholder
from raci.defaults import DEFAULT_ACTIVITIES
from raci.models import Activity, Assignment
from raci.views import matrix_editor
from tests.factories import make_activity, make_assignment, make_milestone, make_project, make_raci, make_stakeholder

from .conftest import HTMX, url

pytestmark = pytest.mark.django_db


def names(project):
    return list(project.raci_activities.values_list("name", flat=True))


def columns(project):
    return list(project.stakeholders.values_list("name", flat=True))


# Rows ----------------------------------------------------------------------------------


def test_an_empty_matrix_offers_the_usual_activities_of_a_buying_project(member_client, project):
    page = member_client.get(url(project)).text
    assert "Start from the usual activities" in page
    for name in ("Approve the business case", "Market engagement", "Evaluation", "Contract award"):
        assert name in DEFAULT_ACTIVITIES and f'value="{name}"' in page


def test_chosen_default_activities_are_added_and_each_can_be_removed(member_client, project):
    response = member_client.post(
        url(project, "raci:defaults"), {"activity": ["Approve the business case", "Evaluation"]}
    )
    assert response.status_code == 302
    assert names(project) == ["Approve the business case", "Evaluation"]
    page = member_client.get(url(project)).text
    assert "Start from the usual activities" not in page
    evaluation = project.raci_activities.get(name="Evaluation")
    member_client.post(url(project, "raci:activity-delete", evaluation.pk))
    assert names(project) == ["Approve the business case"]


def test_adding_no_default_activity_says_so(member_client, project):
    response = member_client.post(url(project, "raci:defaults"), {}, headers=HTMX)
    assert "Tick at least one activity to add." in response.text
    assert not Activity.objects.exists()


def test_adding_an_activity_with_htmx_returns_the_editor(member_client, project):
    milestone = make_milestone(project, name="Business case approved")
    response = member_client.post(
        url(project), {"add-name": "  Approve   the budget ", "add-milestone": milestone.pk}, headers=HTMX
    )
    assert response.text.lstrip().startswith('<div id="raci-editor"')
    activity = project.raci_activities.get()
    assert (activity.name, activity.milestone) == ("Approve the budget", milestone)
    assert "Milestone: Business case approved" in response.text
    assert "No one is accountable for “Approve the budget”" in response.text


def test_a_blank_or_duplicate_activity_is_refused_plainly(member_client, project):
    make_activity(project, name="Evaluation")
    response = member_client.post(url(project), {"add-name": "   "}, headers=HTMX)
    assert response.status_code == 200 and "Enter what has to be done or decided." in response.text
    response = member_client.post(url(project), {"add-name": "evaluation"})
    assert response.status_code == 200
    assert "The matrix already has an activity called “evaluation”" in response.text
    assert names(project) == ["Evaluation"]


def test_another_projects_milestone_cannot_be_linked(member_client, project):
    theirs = make_milestone(make_project(), name="Secret")
    response = member_client.post(url(project), {"add-name": "X", "add-milestone": theirs.pk}, headers=HTMX)
    assert "Select a valid choice" in response.text
    assert not Activity.objects.exists()


def test_renaming_an_activity_in_place(member_client, project, small_matrix):
    row, _, _ = small_matrix
    form = member_client.get(url(project, "raci:activity-edit", row.pk), headers=HTMX).text
    assert form.lstrip().startswith(f'<th scope="row" id="a{row.pk}" class="raci-activity editing">')
    response = member_client.post(
        url(project, "raci:activity-edit", row.pk),
        {f"a{row.pk}-name": "Evaluate tenders", f"a{row.pk}-version": row.version},
        headers=HTMX,
    )
    assert response.text.lstrip().startswith('<div id="raci-editor"')
    assert names(project) == ["Evaluate tenders"]
    assert "No one is accountable for “Evaluate tenders”" in response.text


def test_a_stale_rename_shows_the_other_persons_name(member_client, project, small_matrix):
    row, _, _ = small_matrix
    Activity.objects.filter(pk=row.pk).update(name="Their name", version=row.version + 1)
    response = member_client.post(
        url(project, "raci:activity-edit", row.pk),
        {f"a{row.pk}-name": "My name", f"a{row.pk}-version": row.version},
        headers=HTMX,
    )
    assert "Someone else changed this while you were editing." in response.text
    assert "Their name" in response.text and 'value="My name"' in response.text
    assert names(project) == ["Their name"]


def test_renaming_without_javascript_uses_a_page(member_client, project, small_matrix):
    row, _, _ = small_matrix
    page = member_client.get(url(project, "raci:activity-edit", row.pk))
    assert "Rename the activity “Evaluation”" in page.text
    response = member_client.post(
        url(project, "raci:activity-edit", row.pk), {f"a{row.pk}-name": "Evaluate", f"a{row.pk}-version": row.version}
    )
    assert response.status_code == 302
    assert names(project) == ["Evaluate"]


def test_rows_move_up_and_down(member_client, project):
    first, second, third = (make_activity(project, name=n, position=0) for n in ("One", "Two", "Three"))
    member_client.post(url(project, "raci:activity-move", third.pk), {"direction": "up"})
    assert names(project) == ["One", "Three", "Two"]
    response = member_client.post(
        url(project, "raci:activity-move", first.pk), {"direction": "down", "opened": f"a{first.pk}"}, headers=HTMX
    )
    assert names(project) == ["Three", "One", "Two"]
    # The moved row's menu stays open so keyboard focus can come back to its button.
    assert '<details class="raci-menu no-print" open>' in response.text
    member_client.post(url(project, "raci:activity-move", third.pk), {"direction": "up"})
    assert names(project) == ["Three", "One", "Two"]


def test_removing_an_activity_asks_first_and_says_what_it_holds(member_client, project, small_matrix):
    row, _, _ = small_matrix
    page = member_client.get(url(project, "raci:activity-delete", row.pk))
    assert "Remove the activity “Evaluation”?" in page.text and "Ann Officer holds R" in page.text
    assert Activity.objects.filter(pk=row.pk).exists()
    fragment = member_client.get(url(project, "raci:activity-delete", row.pk), headers=HTMX).text
    assert fragment.lstrip().startswith('<section class="raci-confirm')
    response = member_client.post(url(project, "raci:activity-delete", row.pk), headers=HTMX)
    assert "No activities yet." in response.text
    assert not Activity.objects.exists() and not Assignment.objects.exists()
    assert Activity.history.filter(history_type="-", name="Evaluation").exists()


# Columns -------------------------------------------------------------------------------


def test_adding_a_column_adds_a_stakeholder_at_the_end(member_client, project, small_matrix):
    response = member_client.post(
        url(project, "raci:person-add"), {"person-name": "Procurement Board", "person-kind": "approver"}, headers=HTMX
    )
    assert columns(project) == ["Ann Officer", "Bob Board", "Procurement Board"]
    assert "Procurement Board has no letter on any activity" in response.text


def test_a_column_without_a_name_is_refused(member_client, project):
    response = member_client.post(
        url(project, "raci:person-add"), {"person-name": " ", "person-kind": "sme"}, headers=HTMX
    )
    assert "Enter the person" in response.text
    response = member_client.post(url(project, "raci:person-add"), {"person-name": " ", "person-kind": "sme"})
    assert response.status_code == 200 and "Enter the person" in response.text
    assert not Stakeholder.objects.exists()


def test_renaming_and_moving_columns(member_client, project, small_matrix):
    _, ann, bob = small_matrix
    member_client.post(
        url(project, "raci:person-edit", ann.pk),
        {f"p{ann.pk}-name": "Ann Smith", f"p{ann.pk}-kind": "procurement", f"p{ann.pk}-version": ann.version},
    )
    member_client.post(url(project, "raci:person-move", bob.pk), {"direction": "left"})
    assert columns(project) == ["Bob Board", "Ann Smith"]
    page = member_client.get(url(project)).text
    assert page.index(f'id="p{bob.pk}"') < page.index(f'id="p{ann.pk}"')


def test_removing_a_person_who_holds_letters_asks_first_and_names_them(member_client, project, small_matrix):
    row, ann, _ = small_matrix
    other = make_activity(project, name="Contract award")
    make_assignment(other, ann, "AR")
    page = member_client.get(url(project, "raci:person-remove", ann.pk)).text
    assert "Remove “Ann Officer”? They still hold 2 letters in the matrix:" in page
    assert "R (responsible) on “Evaluation”" in page
    assert "AR (accountable and responsible) on “Contract award”" in page
    assert "also removes Ann Officer from the project&#x27;s stakeholders" in page
    assert Stakeholder.objects.filter(pk=ann.pk).exists()
    response = member_client.post(url(project, "raci:person-remove", ann.pk))
    assert response.status_code == 302
    assert columns(project) == ["Bob Board"]
    assert not Assignment.objects.filter(stakeholder_id=ann.pk).exists()


def test_removing_a_person_with_no_letters_says_so(member_client, project, small_matrix):
    _, _, bob = small_matrix
    fragment = member_client.get(url(project, "raci:person-remove", bob.pk), headers=HTMX).text
    assert "Bob Board holds no letters." in fragment
    assert member_client.get(url(project, "raci:person-remove", bob.pk) + "?cancel=1", headers=HTMX).text == ""


# The page as a whole -------------------------------------------------------------------


def test_hostile_names_are_shown_as_text(member_client, project):
    person = make_stakeholder(project, name='"><img src=x onerror=alert(1)>')
    make_assignment(make_activity(project, name="<script>alert(1)</script>{{7*7}}"), person, "A")
    page = member_client.get(url(project)).text
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in page


def test_the_embedded_editor_is_the_pages_editor_with_next_in_every_form(rf, buyer, project, small_matrix):
    from projects import access

    request = rf.get("/projects/x/sessions/3/")
    request.user = buyer
    request.htmx = False
    ours = access.project_for(buyer, project.slug, "view")
    html = matrix_editor(request, ours, next_url="/projects/water-sensors/sessions/3/")
    assert '<div id="raci-editor"' in html and 'src="/static/js/raci.js"' in html
    assert html.count('name="next" value="/projects/water-sensors/sessions/3/"') >= 5
    assert "No one is accountable for “Evaluation”" in html


def test_the_printable_view_has_the_matrix_checks_and_summary(member_client, project, small_matrix):
    page = member_client.get(url(project, "raci:print")).text
    assert 'RACI matrix: <span class="wrap">Water sensors</span>' in page
    assert "Error:</span> No one is accountable for “Evaluation”" in page
    assert '<th scope="row">Ann Officer</th><td>–</td><td>Evaluation</td>' in page
    assert "raci-btn" not in page


def test_matrix_page_query_count_is_flat_from_5x5_to_40x30(member_client, project, django_assert_max_num_queries):
    make_raci(project, activities=5, people=5)
    # session, user, project, membership, activities+milestones, stakeholders, cells, milestones for the form
    with django_assert_max_num_queries(9) as small:
        assert member_client.get(url(project)).status_code == 200
    project.raci_activities.all().delete()
    project.stakeholders.all().delete()
    make_raci(project, activities=40, people=30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = member_client.get(url(project))
    assert page.text.count('class="raci-btn"') == 1200


def test_a_cell_change_query_count_is_flat(member_client, project, django_assert_max_num_queries):
    rows, people = make_raci(project, activities=5, people=5)
    with django_assert_max_num_queries(20) as small:
        member_client.post(
            url(project, "raci:cell", rows[0].pk, people[3].pk), {"op": "toggle", "letter": "C"}, headers=HTMX
        )
    rows, people = make_raci(project, activities=40, people=30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        member_client.post(
            url(project, "raci:cell", rows[0].pk, people[3].pk), {"op": "toggle", "letter": "C"}, headers=HTMX
        )
