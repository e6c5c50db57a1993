"""The work-plan page: milestones edited inline, the Gantt panel, slip flags, the dashboard panel."""

import json
from datetime import date

import pytest
from django.test import RequestFactory
from django.urls import reverse

from projects.models import Membership
from projects.plan.dashboard import dashboard_panel
from projects.plan.models import Milestone
from projects.plan.views import milestone_editor
from tests.factories import make_communication, make_milestone, make_project, make_stakeholder, make_user

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def url(project, name="plan:plan", *args):
    return reverse(name, args=[project.slug, *args])


def milestone_data(**fields):
    return {
        "name": "Roadmap produced",
        "kind": "pre_procurement",
        "within_project": "on",
        "status": "scheduled",
        "baseline_start": "2026-02-01",
        "baseline_end": "2026-04-30",
        **fields,
    }


def a_plan(project, count):
    owner = make_stakeholder(project, name="Jim Burness")
    previous = None
    for i in range(count):
        m = make_milestone(project, name=f"Step {i}", owner=owner, forecast_end=date(2026, 3, 1 + i % 20), position=i)
        make_communication(project, audience_group=f"Group {i}", owner=owner).audience.add(owner)
        if previous:
            m.depends_on.add(previous)
        previous = m


def test_the_plan_page_shows_the_gantt_the_milestones_and_the_communication_plan(member_client, project):
    make_milestone(project, name="Board up and running", forecast_end=date(2026, 3, 11))
    make_communication(project, audience_group="Joint Improvement Board", purpose="Progress reports")
    page = member_client.get(url(project)).text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="gantt"' in page
    assert "Board up and running" in page
    assert "Joint Improvement Board" in page and "Progress reports" in page
    assert "The Gantt chart as a table" in page
    assert "1 milestone slipping past its baseline" in page
    assert "10 days late" in page


def test_a_long_slip_list_shows_the_five_latest_and_counts_the_rest(member_client, project):
    for i in range(8):
        make_milestone(project, name=f"Step {i}", forecast_end=date(2026, 3, 2 + i))  # 1 to 8 days late
    page = " ".join(member_client.get(url(project)).text.split())
    alert = page[page.index("slip-summary") : page.index("</div>", page.index("slip-summary"))]
    assert "8 milestones slipping past their baseline" in alert
    assert "Step 7</span>: 8 days late" in alert and "Step 3</span>: 4 days late" in alert
    assert "Step 2</span>" not in alert and "and 3 more, most late first" in alert


def test_an_empty_plan_says_so(member_client, project):
    page = member_client.get(url(project)).text
    assert "No milestones with dates yet" in page
    assert "No milestones yet." in page


def test_adding_a_milestone_without_javascript(member_client, project):
    response = member_client.post(url(project), milestone_data())
    assert response.status_code == 302
    page = member_client.get(response["Location"]).text
    assert "Added “Roadmap produced”." in page
    assert "1. Roadmap produced" in page  # its bar's label in the chart


def test_adding_with_htmx_returns_the_table_and_tells_the_gantt_to_redraw(member_client, project):
    response = member_client.post(url(project), milestone_data(), headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="milestones-table">')
    assert "milestones-changed" in json.loads(response["HX-Trigger"])
    assert "Roadmap produced" in response.text and "<html" not in response.text
    gantt = member_client.get(url(project, "plan:plan-gantt"), headers=HTMX)
    assert gantt.text.lstrip().startswith('<section id="gantt-panel"')
    assert "1. Roadmap produced" in gantt.text


def test_an_invalid_htmx_form_comes_back_with_its_errors_and_status_200(member_client, project):
    response = member_client.post(url(project), milestone_data(name="   ", baseline_end="2026-01-01"), headers=HTMX)
    assert response.status_code == 200
    assert "Give the milestone a name." in response.text
    assert "The end date cannot be before the start date." in response.text
    assert not Milestone.objects.exists()


def test_new_milestones_go_to_the_end_of_the_plan(member_client, project):
    make_milestone(project, name="First", position=5)
    member_client.post(url(project), milestone_data(name="Second"))
    assert list(project.milestones.values_list("name", flat=True)) == ["First", "Second"]


def test_inline_edit_swaps_the_row_and_redraws_the_gantt(member_client, project):
    m = make_milestone(project, name="Old name")
    response = member_client.get(url(project, "plan:milestone-edit", m.pk), headers=HTMX)
    assert response.text.lstrip().startswith(f'<tr id="milestone-{m.pk}" class="editing">')
    response = member_client.post(
        url(project, "plan:milestone-edit", m.pk),
        milestone_data(name="New name", forecast_end="2026-05-10", version=m.version),
        headers=HTMX,
    )
    assert response.text.lstrip().startswith(f'<tr id="milestone-{m.pk}">')
    assert "New name" in response.text and "Amber: 10 days late" in response.text
    assert "milestones-changed" in json.loads(response["HX-Trigger"])


def test_a_stale_edit_shows_the_other_persons_values_and_changes_nothing(member_client, project):
    m = make_milestone(project, name="Theirs")
    stale = m.version
    member_client.post(url(project, "plan:milestone-edit", m.pk), milestone_data(name="Mine first", version=stale))
    response = member_client.post(
        url(project, "plan:milestone-edit", m.pk), milestone_data(name="Mine later", version=stale), headers=HTMX
    )
    assert "Someone else saved this record" in response.text
    m.refresh_from_db()
    assert m.name == "Mine first"


def test_reordering_moves_a_milestone_up_with_htmx_and_without(member_client, project):
    a, b, c = (make_milestone(project, name=n, position=i) for i, n in enumerate("ABC"))
    response = member_client.post(url(project, "plan:milestone-move", c.pk), {"direction": "up"}, headers=HTMX)
    assert response.text.lstrip().startswith('<div id="milestones-table">')
    assert list(project.milestones.values_list("name", flat=True)) == ["A", "C", "B"]
    response = member_client.post(url(project, "plan:milestone-move", a.pk), {"direction": "down"})
    assert response.status_code == 302
    assert list(project.milestones.values_list("name", flat=True)) == ["C", "A", "B"]
    member_client.post(url(project, "plan:milestone-move", c.pk), {"direction": "up"})  # already first
    assert list(project.milestones.values_list("name", flat=True)) == ["C", "A", "B"]


def test_moving_is_post_only(member_client, project):
    m = make_milestone(project)
    assert member_client.get(url(project, "plan:milestone-move", m.pk)).status_code == 405


def test_delete_asks_first_without_javascript_then_deletes_and_keeps_history(member_client, project):
    m = make_milestone(project, name="Leaving")
    page = member_client.get(url(project, "plan:milestone-delete", m.pk))
    assert "Delete milestone “Leaving”?" in page.text
    member_client.post(url(project, "plan:milestone-delete", m.pk))
    assert not Milestone.objects.filter(pk=m.pk).exists()
    assert Milestone.history.filter(id=m.pk, history_type="-").exists()


def test_another_projects_milestone_id_is_a_404(member_client, project):
    theirs = make_milestone(make_project(), name="Secret")
    for name in ("plan:milestone-edit", "plan:milestone-delete", "plan:milestone-move"):
        assert member_client.post(url(project, name, theirs.pk), {"direction": "up"}).status_code == 404
    assert Milestone.objects.filter(pk=theirs.pk, name="Secret").exists()


def test_viewers_see_the_plan_but_cannot_add_or_move(client_as, project):
    viewer = make_user()
    Membership.objects.create(project=project, user=viewer, role=Membership.Role.VIEWER)
    m = make_milestone(project)
    client = client_as(viewer)
    page = client.get(url(project)).text
    assert "Add a milestone" not in page and "Move" not in page
    assert client.post(url(project), milestone_data()).status_code == 403
    assert client.post(url(project, "plan:milestone-move", m.pk), {"direction": "up"}).status_code == 403
    assert project.milestones.count() == 1


def test_hostile_text_is_shown_as_text_in_the_table_and_the_chart(member_client, project):
    make_milestone(project, name="<script>alert(1)</script>", notes='"><img src=x onerror=alert(1)> {{7*7}}')
    page = member_client.get(url(project)).text
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{7*7}}" in page


def test_200kb_of_notes_is_refused(member_client, project):
    response = member_client.post(url(project), milestone_data(notes="x" * 200_000))
    assert "Ensure this value has at most 2000 characters" in response.text
    assert not Milestone.objects.exists()


def test_control_characters_are_stripped(member_client, project):
    member_client.post(url(project), milestone_data(name="Board\x0b paper\x1f"))
    assert Milestone.objects.get().name == "Board paper"


def test_the_plan_page_query_count_does_not_grow_with_the_plan(member_client, project, django_assert_max_num_queries):
    a_plan(project, 5)
    # session, user, project, membership, milestones + owners, dependencies, communications +
    # owners, audiences, the owner and dependency choices of the add form, messages
    with django_assert_max_num_queries(14) as small:
        member_client.get(url(project))
    a_plan(project, 50)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = member_client.get(url(project))
    assert response.text.count('<tr id="milestone-') == 55


def test_the_gantt_panel_query_count_does_not_grow(member_client, project, django_assert_max_num_queries):
    a_plan(project, 5)
    with django_assert_max_num_queries(8) as small:
        member_client.get(url(project, "plan:plan-gantt"), headers=HTMX)
    a_plan(project, 50)
    with django_assert_max_num_queries(len(small.captured_queries)):
        member_client.get(url(project, "plan:plan-gantt"), headers=HTMX)


# The embedded editor (alignment session 2) --------------------------------------------------


def test_the_embedded_editor_carries_next_so_a_post_without_javascript_returns_there(member_client, project, buyer):
    m = make_milestone(project, name="Board")
    request = RequestFactory().get("/projects/x/sessions/2/")
    request.user = buyer
    project.role = Membership.Role.BUYER
    html = milestone_editor(request, project, next_url="/projects/water-sensors/sessions/2/")
    assert html.lstrip().startswith('<div id="milestones-table">')
    assert 'name="next" value="/projects/water-sensors/sessions/2/"' in html
    assert "Board" in html and "Add milestone" in html
    assert f"/plan/milestones/{m.pk}/edit/?next=/projects/water-sensors/sessions/2/" in html
    response = member_client.post(url(project), milestone_data(next="/projects/water-sensors/sessions/2/"))
    assert response["Location"] == "/projects/water-sensors/sessions/2/"
    response = member_client.post(
        url(project, "plan:milestone-edit", m.pk) + "?next=/projects/water-sensors/sessions/2/",
        milestone_data(name="Board", version=m.version),
    )
    assert response["Location"] == "/projects/water-sensors/sessions/2/"


def test_next_never_leads_off_site(member_client, project):
    response = member_client.post(url(project), milestone_data(next="https://evil.example/"))
    assert response["Location"] == url(project)


# Dashboard ----------------------------------------------------------------------------------


def dashboard(project, buyer):
    request = RequestFactory().get("/")
    request.user = buyer
    return dashboard_panel(request, project)


def test_the_dashboard_flags_slipping_milestones_with_days_of_slip(project, buyer):
    make_milestone(project, name="On time", baseline_end=date(2026, 3, 1), forecast_end=date(2026, 3, 1))
    make_milestone(project, name="Late roadmap", baseline_end=date(2026, 3, 1), forecast_end=date(2026, 3, 13))
    make_milestone(project, name="Very late", baseline_end=date(2026, 3, 1), forecast_end=date(2026, 5, 1))
    html = dashboard(project, buyer)
    assert "slipping milestones (2)" in html
    assert html.index("Very late") < html.index("Late roadmap")  # most slip first
    assert "Red: 61 days late" in html and "Amber: 12 days late" in html
    assert "On time" not in html


def test_the_dashboard_panel_says_when_nothing_slips_or_nothing_is_planned(project, buyer):
    assert "No milestones yet" in dashboard(project, buyer)
    make_milestone(project)
    assert "No open milestone is slipping" in dashboard(project, buyer)


def test_the_dashboard_panel_appears_on_the_project_dashboard(member_client, project):
    make_milestone(project, name="Late roadmap", baseline_end=date(2026, 3, 1), forecast_end=date(2026, 3, 13))
    page = member_client.get(reverse("projects:detail", args=[project.slug])).text
    assert "Late roadmap" in page and "12 days late" in page


def test_the_dashboard_panel_query_count_is_flat(project, buyer, django_assert_max_num_queries):
    def slipping(n):
        for _ in range(n):
            make_milestone(
                project, baseline_end=date(2026, 3, 1), forecast_end=date(2026, 3, 9), owner=make_stakeholder(project)
            )

    slipping(3)
    with django_assert_max_num_queries(2) as small:
        dashboard(project, buyer)
    slipping(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = dashboard(project, buyer)
    assert "and 27 more" in html


def test_edge_dates_already_stored_render_on_the_page_and_the_dashboard(member_client, project):
    # Forms refuse them, but an import or the admin may have stored them before.
    make_milestone(project, name="Typo", baseline_start=date(1, 1, 1), baseline_end=date(9999, 12, 31))
    make_milestone(project, name="Late", baseline_end=date(2026, 3, 1), forecast_end=date(9999, 12, 31))
    page = member_client.get(url(project)).text
    assert "outside 1900–2199" in page
    dashboard_page = member_client.get(reverse("projects:detail", args=[project.slug])).text
    assert "Late" in dashboard_page


def test_the_redrawn_gantt_panel_keeps_listening_for_changes(member_client, project):
    panel = member_client.get(url(project, "plan:plan-gantt"), headers=HTMX).text
    assert 'hx-trigger="milestones-changed from:body"' in panel
    assert f'hx-get="{url(project, "plan:plan-gantt")}"' in panel


def test_a_milestone_starting_before_what_it_waits_for_ends_is_flagged(member_client, project):
    survey = make_milestone(
        project,
        name="Survey",
        baseline_start=date(2026, 2, 1),
        baseline_end=date(2026, 3, 1),
        forecast_end=date(2026, 3, 20),
    )
    tender = make_milestone(project, name="Tender", baseline_start=date(2026, 3, 10), baseline_end=date(2026, 4, 1))
    tender.depends_on.add(survey)
    page = member_client.get(url(project)).text
    row = page[
        page.index(f'id="milestone-{tender.pk}"') : page.index("</tr>", page.index(f'id="milestone-{tender.pk}"'))
    ]
    assert 'Survey <span class="badge text-bg-warning">⚠ ends 20 Mar 2026, after this starts</span>' in row
    survey.forecast_end = date(2026, 3, 10)  # back on track: it ends the day Tender starts
    survey.save()
    assert "after this starts" not in member_client.get(url(project)).text
