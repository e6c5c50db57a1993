"""Two people in one workshop: different fields never lose typing; the same field is a conflict."""

import pytest

from alignment.models import Session

from .conftest import HTMX, field_url, session_url

pytestmark = pytest.mark.django_db


def autosave(client, project, name, value, original, number=1, **extra):
    return client.post(field_url(project, number, name), {name: value, f"orig-{name}": original, **extra}, headers=HTMX)


def test_two_people_editing_different_fields_both_keep_their_text(member_client, officer_client, project):
    # Both opened the page when every field was blank; each autosaves their own field,
    # and each request carries the whole (stale) form, as htmx sends it.
    both_pages = {"needs": "", "orig-needs": "", "situation": "", "orig-situation": ""}
    first = member_client.post(field_url(project, 1, "needs"), {**both_pages, "needs": "Buyer's needs"}, headers=HTMX)
    second = officer_client.post(
        field_url(project, 1, "situation"), {**both_pages, "situation": "Officer's situation"}, headers=HTMX
    )
    assert "Saved" in first.text and "Saved" in second.text
    session = Session.objects.get(project=project, number=1)
    assert session.needs == "Buyer's needs"
    assert session.situation == "Officer's situation"
    # And they keep going: each next save starts from what they saved.
    autosave(member_client, project, "needs", "Buyer's needs, more", "Buyer's needs")
    autosave(officer_client, project, "situation", "Officer's situation, more", "Officer's situation")
    session.refresh_from_db()
    assert (session.needs, session.situation) == ("Buyer's needs, more", "Officer's situation, more")


def test_the_same_field_gives_a_conflict_with_their_text_and_keeps_the_stored_one(
    member_client, officer_client, project
):
    autosave(officer_client, project, "problem_or_opportunity", "Potholes take months to fix", "")
    response = autosave(member_client, project, "problem_or_opportunity", "Bins are missed", "")
    assert response.status_code == 200
    assert "Not saved: someone else changed “Problem”" in response.text
    assert "Potholes take months to fix" in response.text  # their value, shown
    assert "Replace theirs with mine" in response.text
    project.refresh_from_db()
    assert project.problem_or_opportunity == "Potholes take months to fix"


def test_replacing_theirs_after_a_conflict_is_deliberate(member_client, officer_client, project):
    autosave(officer_client, project, "needs", "Theirs", "")
    autosave(member_client, project, "needs", "Mine", "")
    response = member_client.post(
        field_url(project, 1, "needs"),
        {"needs": "Mine", "orig-needs": "", "theirs-needs": "Theirs", "overwrite": "1"},
        headers=HTMX,
    )
    assert "Saved" in response.text
    assert 'id="orig-needs" name="orig-needs" value="Mine"' in response.text  # the page's starting point moves on
    assert Session.objects.get(project=project, number=1).needs == "Mine"


def test_replacing_is_refused_if_they_changed_it_again(member_client, officer_client, project):
    autosave(officer_client, project, "needs", "Theirs", "")
    autosave(officer_client, project, "needs", "Theirs, again", "Theirs")
    response = member_client.post(
        field_url(project, 1, "needs"),
        {"needs": "Mine", "orig-needs": "", "theirs-needs": "Theirs", "overwrite": "1"},
        headers=HTMX,
    )
    assert "Theirs, again" in response.text and "Not saved" in response.text
    assert Session.objects.get(project=project, number=1).needs == "Theirs, again"


def test_saving_the_value_already_stored_is_not_a_conflict(member_client, officer_client, project):
    autosave(officer_client, project, "needs", "Same words", "")
    response = autosave(member_client, project, "needs", "Same words", "")
    assert "Saved" in response.text


def test_windows_line_endings_do_not_make_a_false_conflict(member_client, project):
    autosave(member_client, project, "needs", "one\r\ntwo", "")
    response = autosave(member_client, project, "needs", "one\r\ntwo\r\nthree", "one\r\ntwo")
    assert "Saved" in response.text
    assert Session.objects.get(project=project, number=1).needs == "one\ntwo\nthree"


def test_without_javascript_a_conflicting_field_is_shown_and_the_others_are_saved(
    member_client, officer_client, project
):
    autosave(officer_client, project, "needs", "Officer's needs", "")
    data = {"needs": "Buyer's needs", "orig-needs": "", "situation": "Buyer's situation", "orig-situation": ""}
    response = member_client.post(session_url(project, 1), data)
    assert response.status_code == 200
    page = response.text
    assert "Some fields were not saved" in page
    assert "Officer&#x27;s needs" in page  # theirs, in the conflict message
    assert "Buyer&#x27;s needs</textarea>" in page  # mine, still in the field
    session = Session.objects.get(project=project, number=1)
    assert session.needs == "Officer's needs"
    assert session.situation == "Buyer's situation"
    # The page now starts from their value, so saving again replaces it deliberately.
    assert 'name="orig-needs" value="Officer&#x27;s needs"' in page
    data["orig-needs"] = "Officer's needs"
    data["orig-situation"] = "Buyer's situation"
    assert member_client.post(session_url(project, 1), data).status_code == 302
    session.refresh_from_db()
    assert session.needs == "Buyer's needs"


def test_an_attendee_list_changed_meanwhile_is_a_conflict(member_client, officer_client, project):
    from tests.factories import make_stakeholder

    alice, bob = make_stakeholder(project, name="Alice"), make_stakeholder(project, name="Bob")
    officer_client.post(
        field_url(project, 1, "attendees"), {"attendees": [alice.pk], "orig-attendees": ""}, headers=HTMX
    )
    response = member_client.post(
        field_url(project, 1, "attendees"), {"attendees": [bob.pk], "orig-attendees": ""}, headers=HTMX
    )
    assert "Not saved" in response.text and "Alice" in response.text
    assert list(Session.objects.get(project=project, number=1).attendees.all()) == [alice]


def test_without_javascript_fields_i_left_alone_never_undo_someone_elses_autosave(
    member_client, officer_client, project
):
    # The buyer opened the page with both fields blank; meanwhile the officer autosaved one.
    autosave(officer_client, project, "situation", "Officer's situation", "")
    data = {"needs": "Buyer's needs", "orig-needs": "", "situation": "", "orig-situation": ""}
    response = member_client.post(session_url(project, 1), data)
    assert response.status_code == 302  # no conflict on a field the buyer never touched
    session = Session.objects.get(project=project, number=1)
    assert (session.needs, session.situation) == ("Buyer's needs", "Officer's situation")
    # Saving the same stale page again still leaves the officer's words in place.
    member_client.post(session_url(project, 1), data)
    session.refresh_from_db()
    assert session.situation == "Officer's situation"
