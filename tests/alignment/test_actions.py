"""Action items: recorded in any session, shown on the session pages and the dashboard, made
from a question of session 2's log once. The writes run without a wrapping transaction, so
on PostgreSQL they meet real locks and constraints."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alignment.actions import open_actions
from alignment.models import Action, Assumption, Session, SignOff
from projects.models import Membership
from tests.factories import make_action, make_project, make_stakeholder, make_user

from .conftest import HTMX, session_url

PAST = date(2026, 1, 15)
FUTURE = date(2200, 1, 1)


def actions_url(project, number):
    return reverse("alignment:actions", args=[project.slug, number])


def edit_url(project, action):
    return reverse("alignment:action-edit", args=[project.slug, action.pk])


def delete_url(project, action):
    return reverse("alignment:action-delete", args=[project.slug, action.pk])


def make_url(project, assumption):
    return reverse("alignment:assumption-action", args=[project.slug, assumption.pk])


def posted(**fields):
    return {f"actions-{name}": value for name, value in fields.items()}


# The model ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_open_action_past_its_due_date_is_overdue_and_only_that(project):
    yesterday = timezone.localdate() - timedelta(days=1)
    assert make_action(project, due_date=yesterday).is_overdue
    assert not make_action(project, due_date=timezone.localdate()).is_overdue
    assert not make_action(project, due_date=yesterday, status="done").is_overdue
    assert not make_action(project, due_date=yesterday, status="dropped").is_overdue
    assert not make_action(project).is_overdue  # no due date


@pytest.mark.django_db
def test_the_model_refuses_an_owner_session_or_assumption_of_another_project(project):
    other = make_project()
    theirs = make_stakeholder(other, name="Their person")
    their_session = Session.objects.create(project=other, number=2)
    their_line = Assumption.objects.create(project=other, text="Theirs")
    action = Action(
        project=project,
        session=their_session,
        text="Call the supplier",
        owner=theirs,
        source_assumption=their_line,
    )
    with pytest.raises(ValidationError) as refused:
        action.full_clean()
    assert set(refused.value.message_dict) == {"owner", "session", "source_assumption"}
    assert refused.value.message_dict["owner"] == ["Choose the owner from this project's stakeholders."]


@pytest.mark.django_db
def test_open_actions_lists_the_open_ones_oldest_due_first_undated_last(project):
    undated = make_action(project, text="Undated")
    late = make_action(project, text="Late", due_date=date(2026, 2, 1))
    later = make_action(project, text="Later", due_date=date(2026, 3, 1))
    make_action(project, text="Done", due_date=date(2025, 1, 1), status="done")
    make_action(project, text="Dropped", due_date=date(2025, 1, 1), status="dropped")
    make_action(make_project(), text="Another project's", due_date=date(2025, 1, 1))
    assert list(open_actions(project)) == [late, later, undated]


# Adding, editing, deleting -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("number", [1, 2, 3])
def test_a_buyer_adds_an_action_with_htmx_to_any_session(member_client, project, number):
    owner = make_stakeholder(project, name="Jim Burness")
    response = member_client.post(
        actions_url(project, number),
        posted(text="Send the spend data to SECE", owner=owner.pk, due_date=PAST.isoformat(), status="open"),
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="actions-table">')
    assert "Send the spend data to SECE" in response.text and "Jim Burness" in response.text
    assert '<span class="action-overdue">Overdue</span>' in response.text
    action = Action.objects.get()
    assert (action.session.number, action.owner, action.due_date, action.status) == (number, owner, PAST, "open")
    page = member_client.get(session_url(project, number)).text
    assert 'id="actions-h">Actions</h2>' in page and "Send the spend data to SECE" in page


@pytest.mark.django_db(transaction=True)
def test_without_javascript_adding_returns_to_the_sessions_actions(member_client, project):
    response = member_client.post(
        actions_url(project, 2),
        {**posted(text="Book the board room", status="open"), "next": session_url(project, 2) + "#actions"},
    )
    assert response.status_code == 302 and response["Location"] == session_url(project, 2) + "#actions"
    assert "Book the board room" in member_client.get(response["Location"]).text


@pytest.mark.django_db(transaction=True)
def test_an_action_is_edited_and_marked_done_with_its_version(member_client, project):
    action = make_action(project, text="Chase the JIB", due_date=PAST)
    response = member_client.post(
        edit_url(project, action),
        posted(text="Chase the JIB for contingency", due_date=PAST.isoformat(), status="done", version=action.version),
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<tr id="action-{action.pk}"')
    assert "Chase the JIB for contingency" in response.text and "Done" in response.text
    assert "Overdue" not in response.text
    action.refresh_from_db()
    assert (action.text, action.status, action.version) == ("Chase the JIB for contingency", "done", 2)


@pytest.mark.django_db(transaction=True)
def test_a_stale_edit_is_refused_and_keeps_the_other_persons_words(member_client, project, client_as):
    action = make_action(project, text="Draft the brief")
    officer = make_user()
    Membership.objects.create(project=project, user=officer, role=Membership.Role.OFFICER)
    first = client_as(officer).post(
        edit_url(project, action), posted(text="Draft the brief by Friday", status="open", version=1), headers=HTMX
    )
    assert first.status_code == 200
    second = member_client.post(
        edit_url(project, action), posted(text="Draft the brief, two pages", status="open", version=1), headers=HTMX
    )
    assert "Someone else saved this record while you were editing it" in second.text
    assert "Draft the brief by Friday" in second.text  # theirs, shown
    assert "Draft the brief, two pages" in second.text  # mine, still in the form
    action.refresh_from_db()
    assert (action.text, action.version) == ("Draft the brief by Friday", 2)


@pytest.mark.django_db(transaction=True)
def test_deleting_asks_first_without_javascript_then_deletes(member_client, project):
    action = make_action(project, text="Order the sensors")
    page = member_client.get(delete_url(project, action))
    assert page.status_code == 200 and "Delete action “Order the sensors”?" in page.text
    assert Action.objects.filter(pk=action.pk).exists()
    response = member_client.post(delete_url(project, action), {"next": session_url(project, 2)})
    assert response.status_code == 302 and response["Location"] == session_url(project, 2)
    assert not Action.objects.filter(pk=action.pk).exists()


@pytest.mark.django_db
def test_the_session_page_asks_before_deleting_with_htmx(member_client, project):
    make_action(project, text="Order the sensors")
    page = member_client.get(session_url(project, 2)).text
    assert 'hx-confirm="Delete this action? The project\'s history keeps a record."' in page


@pytest.mark.django_db(transaction=True)
def test_an_owner_from_another_project_is_refused_and_nothing_is_saved(member_client, project):
    theirs = make_stakeholder(make_project(), name="Their person")
    response = member_client.post(
        actions_url(project, 2), posted(text="Call them", owner=theirs.pk, status="open"), headers=HTMX
    )
    assert response.status_code == 200
    assert "Choose the owner from this project&#x27;s stakeholders." in response.text
    assert not Action.objects.exists()
    action = make_action(project, text="Call us")
    response = member_client.post(
        edit_url(project, action), posted(text="Call us", owner=theirs.pk, status="open", version=1), headers=HTMX
    )
    assert "Choose the owner from this project&#x27;s stakeholders." in response.text
    action.refresh_from_db()
    assert (action.owner, action.version) == (None, 1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "fields, message",
    [
        ({"text": "   "}, "Write the action: what is to be done."),
        ({"text": "x" * 1001}, "Ensure this value has at most 1000 characters (it has 1001)."),
        ({"text": "Fine", "due_date": "0001-01-01"}, "Enter a due date between 1900 and 2200."),
        ({"text": "Fine", "status": "finished"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_in_words_and_nothing_is_saved(member_client, project, fields, message):
    response = member_client.post(actions_url(project, 1), posted(**{"status": "open", **fields}), headers=HTMX)
    assert response.status_code == 200 and message in response.text
    assert not Action.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_markup_in_an_action_is_shown_as_text(member_client, project):
    member_client.post(actions_url(project, 2), posted(text="<script>alert(1)</script>", status="open"))
    page = member_client.get(session_url(project, 2)).text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# Access --------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_another_projects_real_action_is_404_and_unchanged(member_client, project, client_as):
    other = make_project(members={make_user(): Membership.Role.BUYER})
    theirs = make_action(other, text="Their action")
    line = Assumption.objects.create(project=other, text="Their question")
    for url in (edit_url(project, theirs), delete_url(project, theirs)):
        assert member_client.get(url).status_code == 404
        assert member_client.post(url, posted(text="Mine now", status="done", version=1)).status_code == 404
    assert member_client.post(make_url(project, line)).status_code == 404
    # A stranger to the other project, with its own slug and ids.
    for url in (edit_url(other, theirs), delete_url(other, theirs), actions_url(other, 2)):
        assert member_client.get(url).status_code == 404
        assert member_client.post(url, posted(text="Mine now", status="done", version=1)).status_code == 404
    assert member_client.post(make_url(other, line)).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.text, theirs.status, theirs.version) == ("Their action", "open", 1)
    assert Action.objects.filter(project=other).count() == 1 and not Action.objects.filter(project=project).exists()


@pytest.mark.django_db(transaction=True)
def test_a_viewer_sees_the_actions_but_writes_nothing(project, client_as):
    viewer = make_user()
    Membership.objects.create(project=project, user=viewer, role=Membership.Role.VIEWER)
    client = client_as(viewer)
    action = make_action(project, text="Read only for them", due_date=PAST)
    line = Assumption.objects.create(project=project, text="A question")
    page = client.get(session_url(project, 2)).text
    assert "Read only for them" in page and "Overdue" in page
    assert "Add the action" not in page and "Make an action" not in page
    assert client.post(actions_url(project, 2), posted(text="Sneaky", status="open")).status_code == 403
    assert client.post(edit_url(project, action), posted(text="Changed", status="done", version=1)).status_code == 403
    assert client.post(delete_url(project, action)).status_code == 403
    assert client.post(make_url(project, line)).status_code == 403
    action.refresh_from_db()
    assert (action.text, action.status, action.version) == ("Read only for them", "open", 1)
    assert Action.objects.count() == 1


# Sign-offs stay ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_adding_editing_and_deleting_an_action_leaves_an_agreed_session_agreed(member_client, project, buyer):
    officer = make_user()
    Membership.objects.create(project=project, user=officer, role=Membership.Role.OFFICER)
    session = Session.objects.create(project=project, number=2, status=Session.Status.AGREED, agreed_at=timezone.now())
    SignOff.objects.create(project=project, session=session, user=buyer, role="buyer")
    SignOff.objects.create(project=project, session=session, user=officer, role="officer")
    member_client.post(actions_url(project, 2), posted(text="Write up the minutes", status="open"))
    action = Action.objects.get()
    member_client.post(edit_url(project, action), posted(text="Write up the minutes", status="done", version=1))
    member_client.post(delete_url(project, action))
    session.refresh_from_db()
    assert session.status == Session.Status.AGREED and session.change_note == ""
    assert session.signoffs.count() == 2


# Make an action from the log -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_question_becomes_an_action_once_however_often_it_is_clicked(member_client, project):
    owner = make_stakeholder(project, name="Jim Burness")
    line = Assumption.objects.create(
        project=project, text="Will the JIB release contingency?", owner=owner, due_date=PAST
    )
    first = member_client.post(make_url(project, line))
    action = Action.objects.get()
    assert first.status_code == 302 and first["Location"] == session_url(project, 2) + f"#action-{action.pk}"
    assert (action.text, action.owner, action.due_date, action.status, action.source_assumption) == (
        "Will the JIB release contingency?",
        owner,
        PAST,
        "open",
        line,
    )
    assert action.session == Session.objects.get(project=project, number=2)
    second = member_client.post(make_url(project, line), follow=True)
    assert Action.objects.count() == 1
    assert "is already an action" in second.text and "No second one was added." in second.text
    assert f'<a href="#action-{action.pk}">see it in the actions</a>' in second.text
    # The log links to it instead of offering the button again.
    assert f'href="{session_url(project, 2)}#action-{action.pk}">Made into an action' in second.text
    assert make_url(project, line) not in second.text


@pytest.mark.django_db(transaction=True)
def test_ten_clicks_at_once_on_make_an_action_make_one_action(project, buyer):
    from tests.integrity.races import race

    line = Assumption.objects.create(project=project, text="Will SECE part-fund the spend analysis?")
    url = make_url(project, line)
    statuses = race(buyer, 10, lambda client, i: client.post(url).status_code)
    assert statuses == [302] * 10
    assert Action.objects.filter(source_assumption=line).count() == 1
    assert Session.objects.filter(project=project, number=2).count() == 1


@pytest.mark.django_db
def test_make_an_action_is_a_post_never_a_get(member_client, project):
    line = Assumption.objects.create(project=project, text="A question")
    assert member_client.get(make_url(project, line)).status_code == 405
    assert not Action.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_answered_question_is_not_made_into_an_action(member_client, project):
    line = Assumption.objects.create(project=project, text="Is there budget?", status="answered", answer="Yes")
    response = member_client.post(make_url(project, line), follow=True)
    assert "only an open assumption or question is made into an action. Nothing was added." in response.text
    assert not Action.objects.exists()
    assert make_url(project, line) not in response.text  # no button on a closed line


@pytest.mark.django_db
def test_every_open_line_of_the_log_offers_make_an_action(member_client, project):
    open_line = Assumption.objects.create(project=project, text="Open one")
    validated = Assumption.objects.create(project=project, text="Checked one", status="validated")
    for url in (session_url(project, 2), reverse("alignment:assumptions", args=[project.slug])):
        page = member_client.get(url).text
        assert make_url(project, open_line) in page and make_url(project, validated) not in page


# The dashboard -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboard_lists_open_actions_oldest_due_first_and_counts_the_overdue(member_client, project):
    detail = reverse("projects:detail", args=[project.slug])
    assert "No open actions." in member_client.get(detail).text
    make_action(project, text="Later one", due_date=FUTURE)
    make_action(project, text="Late one", due_date=PAST)
    make_action(project, text="Finished one", due_date=PAST, status="done")
    page = member_client.get(detail).text
    assert "No open actions." not in page and "Finished one" not in page
    assert page.index("Late one") < page.index("Later one")
    assert '2 open, <span class="action-overdue">1 overdue</span>' in page
    late = page[page.index("Late one") : page.index("Later one")]
    assert "Overdue</span>" in late


@pytest.mark.django_db(transaction=True)
def test_without_javascript_an_action_is_edited_on_its_own_page_and_the_list_has_a_page(member_client, project):
    action = make_action(project, text="Brief the board")
    listing = member_client.get(actions_url(project, 2))
    assert listing.status_code == 200 and "Actions of session 2" in listing.text and "Brief the board" in listing.text
    back = session_url(project, 2)
    page = member_client.get(edit_url(project, action) + f"?next={back}")
    assert page.status_code == 200 and "Edit Brief the board" in page.text
    response = member_client.post(
        edit_url(project, action) + f"?next={back}", posted(text="Brief the board in May", status="open", version=1)
    )
    assert response.status_code == 302 and response["Location"] == back
    assert Action.objects.get(pk=action.pk).text == "Brief the board in May"


@pytest.mark.django_db(transaction=True)
def test_actions_appear_in_the_projects_history_by_name(member_client, project):
    member_client.post(actions_url(project, 3), posted(text="Confirm the RACI with HR", status="open"))
    page = member_client.get(reverse("projects:history", args=[project.slug])).text
    assert "Confirm the RACI with HR" in page
