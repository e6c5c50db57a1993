"""The stakeholder communication plan: inline editing, rules, and its place on the plan page."""

from datetime import date

import pytest
from django.urls import reverse

from projects.plan.models import CommunicationItem
from tests.factories import make_activity, make_assignment, make_communication, make_project, make_stakeholder

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def url(project, name="plan:communications", *args):
    return reverse(name, args=[project.slug, *args])


def comm_data(**fields):
    return {
        "audience_group": "Joint Improvement Board",
        "purpose": "Progress reports",
        "channel": "report",
        "frequency": "milestones",
        **fields,
    }


def test_adding_a_communication_without_javascript(member_client, project):
    jim = make_stakeholder(project, name="Jim Burness")
    response = member_client.post(url(project), comm_data(owner=jim.pk, next_date="2026-02-15", audience=[jim.pk]))
    assert response.status_code == 302
    item = CommunicationItem.objects.get()
    assert (item.owner, item.next_date, list(item.audience.all())) == (jim, date(2026, 2, 15), [jim])
    page = member_client.get(response["Location"]).text
    assert "Joint Improvement Board" in page and "At milestones" in page and "15 Feb 2026" in page


def test_adding_with_htmx_returns_the_table_only(member_client, project):
    response = member_client.post(url(project), comm_data(), headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="communications-table">')
    assert "Progress reports" in response.text and "<html" not in response.text


def test_a_communication_needs_an_audience_and_a_purpose(member_client, project):
    response = member_client.post(url(project), comm_data(audience_group="  ", purpose=" "), headers=HTMX)
    assert response.status_code == 200
    assert "Choose stakeholders or name a group as the audience." in response.text
    assert "Say what the communication is for" in response.text
    assert not CommunicationItem.objects.exists()


def test_the_audience_can_be_stakeholders_alone(member_client, project):
    dana = make_stakeholder(project, name="Dana")
    member_client.post(url(project), comm_data(audience_group="", audience=[dana.pk]))
    assert CommunicationItem.objects.get().audience.get() == dana


def test_another_projects_stakeholders_cannot_be_the_audience_or_owner(member_client, project):
    theirs = make_stakeholder(make_project(), name="Theirs")
    response = member_client.post(url(project), comm_data(audience=[theirs.pk], owner=theirs.pk))
    assert "Choose stakeholders of this project only." in response.text
    assert not CommunicationItem.objects.exists()


def test_a_next_date_in_year_9999_is_refused(member_client, project):
    response = member_client.post(url(project), comm_data(next_date="9999-12-31"))
    assert "Use a date between 1900 and 2199." in response.text
    assert not CommunicationItem.objects.exists()


def test_inline_edit_swaps_the_row(member_client, project):
    item = make_communication(project, audience_group="Board")
    response = member_client.get(url(project, "plan:communication-edit", item.pk), headers=HTMX)
    assert response.text.lstrip().startswith(f'<tr id="communication-{item.pk}" class="editing">')
    response = member_client.post(
        url(project, "plan:communication-edit", item.pk),
        comm_data(audience_group="Project Board", purpose="Decisions needed", version=item.version),
        headers=HTMX,
    )
    assert response.text.lstrip().startswith(f'<tr id="communication-{item.pk}">')
    assert "Decisions needed" in response.text


def test_reordering_and_deleting(member_client, project):
    a, b = (
        make_communication(project, audience_group="A", position=0),
        make_communication(project, audience_group="B", position=1),
    )
    member_client.post(url(project, "plan:communication-move", b.pk), {"direction": "up"}, headers=HTMX)
    assert list(project.communications.values_list("audience_group", flat=True)) == ["B", "A"]
    member_client.post(url(project, "plan:communication-delete", a.pk))
    assert list(project.communications.values_list("audience_group", flat=True)) == ["B"]
    assert CommunicationItem.history.filter(id=a.pk, history_type="-").exists()


def test_another_projects_communication_is_a_404(member_client, project):
    theirs = make_communication(make_project(), audience_group="Secret")
    for name in ("plan:communication-edit", "plan:communication-delete", "plan:communication-move"):
        assert member_client.post(url(project, name, theirs.pk), comm_data()).status_code == 404
    assert CommunicationItem.objects.filter(pk=theirs.pk, audience_group="Secret").exists()


def test_hostile_text_is_shown_as_text(member_client, project):
    make_communication(project, audience_group="<script>alert(1)</script>", purpose='{{7*7}} =HYPERLINK("x")')
    for page in (member_client.get(url(project)).text, member_client.get(url(project, "plan:plan")).text):
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "{{7*7}}" in page


def test_the_plan_page_shows_the_communication_plan_beside_the_gantt(member_client, project):
    jim = make_stakeholder(project, name="Jim Burness")
    make_communication(
        project,
        audience_group="Project Board",
        purpose="Highlight report",
        owner=jim,
        frequency="monthly",
        next_date=date(2026, 1, 10),
    )
    page = member_client.get(url(project, "plan:plan")).text
    card = page[page.index('id="comms-h"') :]
    assert "Project Board" in card and "Highlight report" in card
    assert "Monthly" in card and "Jim Burness" in card and "next 10 Jan 2026" in card


def test_the_communications_page_query_count_is_flat(member_client, project, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            person = make_stakeholder(project)
            make_communication(project, audience_group=f"G{i}", owner=person).audience.add(person)
            make_assignment(make_activity(project), person, "CI")

    add(3)
    with django_assert_max_num_queries(13) as small:
        member_client.get(url(project))
    add(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = member_client.get(url(project))
    assert response.text.count('<tr id="communication-') == 33
    assert response.text.count("In the plan<") == 33


def test_the_page_lists_who_the_raci_matrix_says_to_consult_or_inform_and_whether_the_plan_reaches_them(
    member_client, project
):
    dana, sam, erin = (
        make_stakeholder(project, name=name) for name in ("Dana Approver", "Sam Hydrologist", "Erin Doer")
    )
    award = make_activity(project, name="Contract award")
    make_assignment(award, dana, "C")
    make_assignment(award, sam, "I")
    make_assignment(award, erin, "AR")
    page = " ".join(member_client.get(url(project)).text.split())
    needs = page[page.index('id="raci-needs-h"') : page.index("</section>", page.index('id="raci-needs-h"'))]
    assert "Not in the plan yet</span> <strong>Dana Approver</strong>: consulted on Contract award" in needs
    assert "Not in the plan yet</span> <strong>Sam Hydrologist</strong>: informed of Contract award" in needs
    assert "Erin Doer" not in needs  # accountable and responsible: not an audience of the plan
    # Adding a communication to Dana, through htmx, refreshes the list with the table.
    response = member_client.post(url(project), comm_data(audience=[dana.pk]), headers=HTMX)
    fragment = " ".join(response.text.split())
    assert "In the plan</span> <strong>Dana Approver</strong>" in fragment
    assert "Not in the plan yet</span> <strong>Sam Hydrologist</strong>" in fragment
    # Moving a row redraws the same table, the list with it.
    item = CommunicationItem.objects.get()
    moved = member_client.post(url(project, "plan:communication-move", item.pk), {"direction": "up"}, headers=HTMX)
    fragment = " ".join(moved.text.split())
    assert "In the plan</span> <strong>Dana Approver</strong>" in fragment
    assert "Nobody is marked C or I" not in fragment


def test_with_no_c_or_i_in_the_matrix_the_page_points_to_it(member_client, project):
    page = member_client.get(url(project)).text
    assert "Nobody is marked C or I in the" in page and f"/projects/{project.slug}/raci/" in page
