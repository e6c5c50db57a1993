"""The three session pages: every field saves and reloads, as you type or as one form post."""

from datetime import date

import pytest
from django.utils.html import escape

from alignment import guidance
from alignment.models import Session
from projects.models import Membership
from tests.factories import make_stakeholder, make_user

from .conftest import HTMX, field_url, session_url

pytestmark = pytest.mark.django_db


def input_tag(page, element_id):
    start = page.index(f'id="{element_id}"')
    return page[page.rindex("<input", 0, start) : page.index(">", start)]


def text_for(name):
    return f"Our {name.replace('_', ' ')} — with “quotes” & ünïcödé 水"


@pytest.mark.parametrize("number", [1, 2, 3])
def test_each_session_page_shows_its_purpose_duration_and_prompts(member_client, project, number):
    template = guidance.TEMPLATES[number]
    page = member_client.get(session_url(project, number)).text
    assert escape(template.title) in page
    assert template.duration in page
    for topic in template.aligns_on:
        assert escape(topic[0].upper() + topic[1:]) in page
    for section in template.sections:
        for prompt in section.prompts:
            assert escape(prompt) in page
        for spec in section.fields:
            for prompt in spec.prompts:
                assert escape(prompt) in page


def test_session_numbers_other_than_1_2_3_are_not_found(member_client, project):
    assert member_client.get(session_url(project, 4)).status_code == 404
    assert member_client.get(session_url(project, 0)).status_code == 404
    assert not Session.objects.filter(project=project, number=4).exists()


@pytest.mark.parametrize("number", [1, 2, 3])
def test_every_field_autosaves_and_reloads(member_client, project, number):
    for spec in guidance.TEMPLATES[number].fields:
        value = spec.levels[1].code if spec.kind == "choice" else text_for(spec.name)
        response = member_client.post(
            field_url(project, number, spec.name), {spec.name: value, f"orig-{spec.name}": ""}, headers=HTMX
        )
        assert response.status_code == 200
        assert "Saved" in response.text, spec.name
    page = member_client.get(session_url(project, number)).text
    session = Session.objects.get(project=project, number=number)
    project.refresh_from_db()
    for spec in guidance.TEMPLATES[number].fields:
        stored = getattr(project if spec.on == "project" else session, spec.name)
        if spec.kind == "choice":
            assert stored == spec.levels[1].code
            assert " checked" in input_tag(page, f"id_{spec.name}_{stored}")
        else:
            assert stored == text_for(spec.name)
            assert "Our " + spec.name.replace("_", " ") in page


def test_the_whole_page_saves_as_one_form_post_without_javascript(member_client, project):
    alice = make_stakeholder(project, name="Alice Analyst")
    data = {"held_on": "2026-03-02", "attendees": [alice.pk], "orig-held_on": "", "orig-attendees": ""}
    for spec in guidance.SESSION_1.fields:
        data[spec.name] = spec.levels[2].code if spec.kind == "choice" else text_for(spec.name)
        data[f"orig-{spec.name}"] = ""
    response = member_client.post(session_url(project, 1), data)
    assert response.status_code == 302
    page = member_client.get(session_url(project, 1)).text
    assert "Saved session 1." in page
    session = Session.objects.get(project=project, number=1)
    project.refresh_from_db()
    assert session.held_on == date(2026, 3, 2)
    assert list(session.attendees.all()) == [alice]
    assert session.maturity == guidance.MATURITY[2].code
    assert session.situation == text_for("situation")
    assert project.desired_outcome == text_for("desired_outcome")
    assert session.status == Session.Status.IN_PROGRESS
    assert 'value="2026-03-02"' in page


@pytest.mark.parametrize("with_htmx", [True, False])
def test_a_chosen_level_can_be_taken_back_to_not_agreed_yet(member_client, project, with_htmx):
    code = guidance.MATURITY[1].code
    Session.objects.create(project=project, number=1, maturity=code)
    page = member_client.get(session_url(project, 1)).text
    assert "checked" not in input_tag(page, "id_maturity_none") and "checked" in input_tag(page, f"id_maturity_{code}")
    if with_htmx:
        member_client.post(field_url(project, 1, "maturity"), {"maturity": "", "orig-maturity": code}, headers=HTMX)
    else:  # the whole page as one form: the radio "Not agreed yet" sends an empty value
        data = {f"orig-{spec.name}": "" for spec in guidance.SESSION_1.fields}
        data.update({"maturity": "", "orig-maturity": code, "orig-held_on": "", "orig-attendees": ""})
        assert member_client.post(session_url(project, 1), data).status_code == 302
    assert Session.objects.get(project=project, number=1).maturity == ""
    page = member_client.get(session_url(project, 1)).text
    assert "checked" in input_tag(page, "id_maturity_none")


def test_held_on_and_attendees_autosave(member_client, project):
    alice = make_stakeholder(project, name="Alice Analyst")
    bob = make_stakeholder(project, name="Bob Builder")
    member_client.post(field_url(project, 2, "held_on"), {"held_on": "2026-04-01", "orig-held_on": ""}, headers=HTMX)
    response = member_client.post(
        field_url(project, 2, "attendees"), {"attendees": [bob.pk, alice.pk], "orig-attendees": ""}, headers=HTMX
    )
    assert "Saved" in response.text
    session = Session.objects.get(project=project, number=2)
    assert session.held_on == date(2026, 4, 1)
    assert set(session.attendees.all()) == {alice, bob}
    # Untick everybody.
    response = member_client.post(
        field_url(project, 2, "attendees"), {"orig-attendees": f"{alice.pk},{bob.pk}"}, headers=HTMX
    )
    assert "Saved" in response.text
    assert session.attendees.count() == 0


def test_session_1_writes_the_projects_one_copy_of_objective_outcome_and_problem(member_client, project):
    project.business_objective = "Old objective"
    project.save()
    page = member_client.get(session_url(project, 1)).text
    assert "Old objective" in page  # session 1 shows the project's own text
    member_client.post(
        field_url(project, 1, "business_objective"),
        {"business_objective": "Cheaper, greener street lighting", "orig-business_objective": "Old objective"},
        headers=HTMX,
    )
    dashboard = member_client.get(f"/projects/{project.slug}/").text
    assert "Cheaper, greener street lighting" in dashboard
    assert "Old objective" not in dashboard


def test_another_projects_stakeholder_cannot_be_an_attendee(member_client, project):
    from tests.factories import make_project

    other = make_stakeholder(make_project(), name="Stranger")
    response = member_client.post(
        field_url(project, 1, "attendees"), {"attendees": [other.pk], "orig-attendees": ""}, headers=HTMX
    )
    assert "Not saved" in response.text
    assert Session.objects.get(project=project, number=1).attendees.count() == 0


def test_unknown_fields_are_not_found(member_client, project):
    response = member_client.post(field_url(project, 1, "version"), {"version": "9"}, headers=HTMX)
    assert response.status_code == 404
    response = member_client.post(field_url(project, 2, "situation"), {"situation": "x"}, headers=HTMX)
    assert response.status_code == 404


def test_viewers_see_the_session_but_cannot_save(project, client_as):
    viewer = make_user()
    Membership.objects.create(project=project, user=viewer, role=Membership.Role.VIEWER)
    client = client_as(viewer)
    page = client.get(session_url(project, 1)).text
    assert "readonly" in page and "hx-post" not in page
    response = client.post(field_url(project, 1, "needs"), {"needs": "x", "orig-needs": ""}, headers=HTMX)
    assert response.status_code == 403
    assert client.post(session_url(project, 1), {"needs": "x", "orig-needs": ""}).status_code == 403
    assert not Session.objects.filter(project=project, number=1).exclude(needs="").exists()


# Bad input ------------------------------------------------------------------------------


def test_a_200_kb_field_is_refused_with_a_plain_message_and_nothing_changes(member_client, project):
    member_client.post(field_url(project, 1, "needs"), {"needs": "First", "orig-needs": ""}, headers=HTMX)
    response = member_client.post(
        field_url(project, 1, "needs"), {"needs": "x" * 200_000, "orig-needs": "First"}, headers=HTMX
    )
    assert (
        "Not saved" in response.text
        and "Needs is 200,000 characters; the limit is 5,000. Nothing was saved." in response.text
    )
    assert Session.objects.get(project=project, number=1).needs == "First"


def test_control_characters_are_stripped_and_markup_is_shown_as_text(member_client, project):
    nasty = '<script>alert(1)</script>\x0b"><img src=x onerror=alert(1)>{{7*7}}\x1f'
    member_client.post(field_url(project, 1, "concerns"), {"concerns": nasty, "orig-concerns": ""}, headers=HTMX)
    stored = Session.objects.get(project=project, number=1).concerns
    assert "\x0b" not in stored and "\x1f" not in stored
    page = member_client.get(session_url(project, 1)).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{7*7}}" in page


def test_a_choice_outside_the_defined_levels_is_refused(member_client, project):
    response = member_client.post(
        field_url(project, 1, "maturity"), {"maturity": "godlike", "orig-maturity": ""}, headers=HTMX
    )
    assert "Not saved" in response.text
    assert Session.objects.get(project=project, number=1).maturity == ""


def test_an_impossible_date_is_refused(member_client, project):
    response = member_client.post(
        field_url(project, 1, "held_on"), {"held_on": "2026-02-31", "orig-held_on": ""}, headers=HTMX
    )
    assert "Not saved" in response.text and "valid date" in response.text
    assert Session.objects.get(project=project, number=1).held_on is None


def test_autosave_without_htmx_redirects_back_to_the_field(member_client, project):
    response = member_client.post(field_url(project, 1, "needs"), {"needs": "Faster repairs", "orig-needs": ""})
    assert response.status_code == 302
    assert response["Location"].endswith("/sessions/1/#field-needs")


def test_the_session_page_query_count_does_not_grow_with_the_project(
    member_client, project, django_assert_max_num_queries
):
    from alignment.models import Action, Assumption, Evidence

    def grow(n):
        for i in range(n):
            person = make_stakeholder(project, name=f"Person {i}")
            Evidence.objects.create(project=project, text=f"Fact {i}", source="Survey")
            assumption = Assumption.objects.create(project=project, text=f"Assume {i}", owner=person)
            for number in (1, 2, 3):
                session = Session.objects.get_or_create(project=project, number=number)[0]
                Action.objects.create(project=project, session=session, text=f"Do {i}", owner=person)
            Action.objects.create(
                project=project, session=Session.objects.get(project=project, number=2), source_assumption=assumption
            )
        for number in (1, 2):
            session = Session.objects.get_or_create(project=project, number=number)[0]
            session.attendees.set(project.stakeholders.all())

    grow(3)
    for number in (1, 2, 3):
        member_client.get(session_url(project, number))  # warm up
    counts = {}
    for rows in (3, 30):
        if rows == 30:
            grow(27)
        for number in (1, 2, 3):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                assert member_client.get(session_url(project, number)).status_code == 200
            counts[(rows, number)] = len(queries)
    for number in (1, 2, 3):
        assert counts[(30, number)] == counts[(3, number)], counts
    with django_assert_max_num_queries(40):
        member_client.get(session_url(project, 1))


def test_session_changes_appear_in_the_projects_history(member_client, project):
    member_client.post(field_url(project, 1, "needs"), {"needs": "Brighter lights", "orig-needs": ""}, headers=HTMX)
    page = member_client.get(f"/projects/{project.slug}/history/").text
    assert "Brighter lights" in page


def test_post_only_endpoints_refuse_get(member_client, project):
    assert member_client.get(field_url(project, 1, "needs")).status_code == 405
    assert member_client.get(f"/projects/{project.slug}/sessions/1/sign/").status_code == 405
    assert member_client.get(f"/projects/{project.slug}/sessions/3/support/").status_code == 405


def test_session_1_page_query_count(member_client, project, django_assert_num_queries):
    member_client.post(field_url(project, 1, "needs"), {"needs": "Fewer missed bins", "orig-needs": ""}, headers=HTMX)
    member_client.get(session_url(project, 1))
    # session, user, project, membership, the session row, stakeholders, attendees (ticked and
    # the page's starting value), sign-offs with users, evidence, and whether there is any
    # evidence (what the session must still cover before sign-off), the topic agreements with
    # users, the newest evidence change (the evidence topic's fingerprint), the minutes, the
    # session's actions with their owners, the stakeholders the new action's owner is chosen from,
    # who else has the session open (alignment/live.py); the template version's topics (with the
    # version), the project's tailoring of the session, and the latest published version (what a
    # newer one would change)
    with django_assert_num_queries(20):
        member_client.get(session_url(project, 1))


def test_a_viewer_opening_a_session_nobody_has_started_creates_nothing(project, client_as):
    viewer = make_user()
    Membership.objects.create(project=project, user=viewer, role=Membership.Role.VIEWER)
    for number in (1, 2, 3):
        assert client_as(viewer).get(session_url(project, number)).status_code == 200
    assert not Session.objects.filter(project=project).exists()
