"""Agreed needs the buyer and the procurement officer; a later change re-opens the topic it touched."""

import re

import pytest

from alignment.models import Session, SignOff
from alignment.services import agreed_topics
from projects.models import Membership
from tests.factories import fill_session, make_membership, make_user

from .conftest import HTMX, field_url, session_url

pytestmark = pytest.mark.django_db


def sign(client, project, number=1, version=None):
    session = fill_session(Session.objects.get_or_create(project=project, number=number)[0])
    return client.post(
        f"/projects/{project.slug}/sessions/{number}/sign/",
        {"version": session.version if version is None else version},
        follow=True,
    )


def test_buyer_and_officer_together_agree_a_session_and_who_and_when_is_recorded(
    member_client, officer_client, project, buyer, officer
):
    page = sign(member_client, project).text
    assert "The session is agreed once the other party signs off too" in page
    session = Session.objects.get(project=project, number=1)
    assert session.status == Session.Status.IN_PROGRESS
    page = sign(officer_client, project).text
    assert "Session 1 is agreed by the buyer and the procurement officer" in page
    session.refresh_from_db()
    assert session.status == Session.Status.AGREED and session.agreed_at
    signoffs = {s.role: s for s in session.signoffs.all()}
    assert signoffs["buyer"].user == buyer and signoffs["officer"].user == officer
    assert signoffs["buyer"].signed_at and signoffs["officer"].signed_at
    assert "signed off by Bea Buyer on" in page and "signed off by Olu Officer on" in page
    assert '<span class="session-status session-status-agreed">Agreed</span>' in page


def test_one_sign_off_alone_is_not_agreement(member_client, project):
    sign(member_client, project)
    assert Session.objects.get(project=project, number=1).status != Session.Status.AGREED


@pytest.mark.parametrize("role", [Membership.Role.MANAGER, Membership.Role.CONTRIBUTOR, Membership.Role.VIEWER])
def test_only_buyers_and_procurement_officers_can_sign(project, client_as, role):
    user = make_user()
    make_membership(project, user, role)
    session = Session.objects.create(project=project, number=1)
    response = client_as(user).post(f"/projects/{project.slug}/sessions/1/sign/", {"version": session.version})
    assert response.status_code == 403
    assert not SignOff.objects.exists()
    assert "Sign off as" not in client_as(user).get(session_url(project, 1)).text


def test_two_buyers_do_not_make_an_agreement(member_client, project, client_as):
    second_buyer = make_user()
    make_membership(project, second_buyer, Membership.Role.BUYER)
    sign(member_client, project)
    page = sign(client_as(second_buyer), project).text
    assert "The buyer has already signed off (Bea Buyer)." in page
    assert SignOff.objects.count() == 1
    assert Session.objects.get(project=project, number=1).status != Session.Status.AGREED


def test_a_sign_off_form_opened_before_a_change_is_refused(member_client, officer_client, project):
    session = Session.objects.create(project=project, number=1)
    seen = session.version
    member_client.post(field_url(project, 1, "needs"), {"needs": "Changed", "orig-needs": ""}, headers=HTMX)
    page = sign(officer_client, project, version=seen).text
    assert "The session changed after you opened it" in page
    assert not SignOff.objects.exists()


def test_a_change_to_project_held_text_also_moves_the_version(member_client, officer_client, project):
    session = Session.objects.create(project=project, number=1)
    seen = session.version
    member_client.post(
        field_url(project, 1, "desired_outcome"), {"desired_outcome": "New", "orig-desired_outcome": ""}, headers=HTMX
    )
    assert "The session changed after you opened it" in sign(officer_client, project, version=seen).text


def agree_topic(client, project, number, topic):
    """Agree one topic as the session page offers it (with the fingerprint the page carries)."""
    page = client.get(session_url(project, number)).text
    action = f"/projects/{project.slug}/sessions/{number}/topics/{topic}/agree/"
    seen = re.search(
        rf'action="{re.escape(action)}"[^>]*>\s*<input[^>]*csrfmiddlewaretoken[^>]*><input type="hidden" name="seen" value="([^"]*)"',
        page,
    )
    assert seen, f"no agree form for {topic}"
    return client.post(action, {"seen": seen.group(1)}, follow=True)


def test_changing_an_agreed_topic_re_opens_that_topic_only_with_a_visible_note(member_client, officer_client, project):
    sign(member_client, project)
    sign(officer_client, project)
    before = Session.objects.get(project=project, number=1).concerns
    response = officer_client.post(
        field_url(project, 1, "concerns"), {"concerns": "Budget is tight", "orig-concerns": before}, headers=HTMX
    )
    assert "This change re-opened its topic" in response.text
    assert 'id="signoff-panel"' in response.text and 'hx-swap-oob="true"' in response.text
    session = Session.objects.get(project=project, number=1)
    assert session.status == Session.Status.IN_PROGRESS
    # The sign-offs stand, and so do the other topics: only "Concerns or constraints" re-opened.
    assert session.signoffs.count() == 2
    assert agreed_topics(session) == {s.key for s in session.template.sections} - {"concerns"}
    assert not session.topic_agreements.filter(topic="concerns").exists()
    page = member_client.get(session_url(project, 1)).text
    assert "Changed after agreement:" in page and "Topics agreed by both: 6 of 7." in page
    note = (
        "“Concerns or constraints” had been agreed by Bea Buyer (buyer) and Olu Officer (procurement officer) "
        "and needs agreeing again."
    )
    assert "Concerns or constraints changed by Olu Officer on" in page and note in page
    # Both agree that topic again: agreed once more, and the note goes.
    page = agree_topic(member_client, project, 1, "concerns").text
    assert "Agreed “Concerns or constraints” as buyer." in page
    assert Session.objects.get(project=project, number=1).status == Session.Status.IN_PROGRESS
    page = agree_topic(officer_client, project, 1, "concerns").text
    assert "Session 1 is agreed again; new minutes were made." in page
    assert "Changed after agreement:" not in page and "Re-opened:" not in page
    assert Session.objects.get(project=project, number=1).status == Session.Status.AGREED


def test_recording_when_it_was_held_and_who_came_does_not_clear_the_sign_offs(member_client, officer_client, project):
    sign(member_client, project)
    sign(officer_client, project)
    member_client.post(field_url(project, 1, "held_on"), {"held_on": "2026-05-05", "orig-held_on": ""}, headers=HTMX)
    session = Session.objects.get(project=project, number=1)
    assert session.status == Session.Status.AGREED and session.signoffs.count() == 2


def test_adding_evidence_clears_session_1_and_the_log_clears_session_2(member_client, officer_client, project):
    for number in (1, 2):
        sign(member_client, project, number)
        sign(officer_client, project, number)
    member_client.post(
        f"/projects/{project.slug}/evidence/", {"evidence-text": "1,200 complaints in 2025", "evidence-source": "CRM"}
    )
    assert Session.objects.get(project=project, number=1).status == Session.Status.IN_PROGRESS
    assert Session.objects.get(project=project, number=2).status == Session.Status.AGREED
    member_client.post(
        f"/projects/{project.slug}/assumptions/",
        {"assumptions-text": "Funding lands in April", "assumptions-status": "open"},
    )
    session2 = Session.objects.get(project=project, number=2)
    assert session2.status == Session.Status.IN_PROGRESS
    assert "Assumption “Funding lands in April” added" in session2.change_note


def test_withdrawing_your_sign_off_undoes_the_agreement(member_client, officer_client, project):
    sign(member_client, project)
    sign(officer_client, project)
    page = officer_client.post(f"/projects/{project.slug}/sessions/1/sign/", {"withdraw": "1"}, follow=True).text
    assert "Your sign-off was withdrawn." in page
    session = Session.objects.get(project=project, number=1)
    assert session.status == Session.Status.IN_PROGRESS
    assert list(session.signoffs.values_list("role", flat=True)) == ["buyer"]


def test_a_sign_off_without_a_version_asks_to_reload(member_client, project):
    Session.objects.create(project=project, number=1)
    page = member_client.post(f"/projects/{project.slug}/sessions/1/sign/", {"version": "abc"}, follow=True).text
    assert "Reload the session and sign off again." in page
    assert not SignOff.objects.exists()


def test_signing_session_4_is_not_found(member_client, project):
    assert member_client.post(f"/projects/{project.slug}/sessions/4/sign/", {"version": 1}).status_code == 404


def test_changing_the_outcome_on_the_project_details_page_also_clears_session_1(member_client, officer_client, project):
    sign(member_client, project)
    sign(officer_client, project)
    project.refresh_from_db()
    data = {
        "business_objective": project.business_objective,
        "problem_or_opportunity": project.problem_or_opportunity,
        "name": project.name,
        "slug": project.slug,
        "buying_type": "services",
        "stage": "mobilise",
        "currency": "GBP",
        "rag_status": "green",
        "desired_outcome": "A different outcome",
        "version": project.version,
    }
    response = member_client.post(f"/projects/{project.slug}/edit/", data)
    assert response.status_code == 302, response.text[:2000]
    session = Session.objects.get(project=project, number=1)
    assert session.status == Session.Status.IN_PROGRESS and session.signoffs.count() == 2
    assert not session.topic_agreements.filter(topic="desired_outcome").exists()
    assert session.topic_agreements.filter(topic="business_objective").count() == 2
    assert session.change_note.startswith("Desired outcome (on the project's details page) changed by Bea Buyer")


def test_saving_the_project_details_without_touching_session_1_text_keeps_the_agreement(
    member_client, officer_client, project
):
    sign(member_client, project)
    sign(officer_client, project)
    project.rag_status = "amber"
    project.save()
    assert Session.objects.get(project=project, number=1).status == Session.Status.AGREED


def test_a_work_plan_change_after_session_2_was_agreed_re_opens_its_milestones(
    member_client, officer_client, project, client_as
):
    from tests.factories import make_milestone

    sign(member_client, project, 2)
    sign(officer_client, project, 2)
    assert Session.objects.get(project=project, number=2).status == Session.Status.AGREED
    member_client.get(session_url(project, 2))  # nothing changed: still agreed
    assert Session.objects.get(project=project, number=2).status == Session.Status.AGREED
    make_milestone(project, name="Market day")  # saved by the work plan's own editor
    dashboard = member_client.get(f"/projects/{project.slug}/").text
    assert (
        'Session 2: Timelines, milestones, risk mitigants and assumptions</a> · <span class="session-status session-status-in_progress">'
        in dashboard
    )
    session = Session.objects.get(project=project, number=2)
    assert agreed_topics(session) == {"risks", "assumptions", "notes"}
    assert session.change_note.startswith("The work plan changed by someone on")
    assert "Changed after agreement:" in member_client.get(session_url(project, 2)).text


def test_a_raci_change_after_session_3_was_agreed_re_opens_the_raci(member_client, officer_client, project):
    from tests.factories import make_activity, make_assignment

    sign(member_client, project, 3)
    sign(officer_client, project, 3)
    activity = make_activity(project, name="Approve the business case")
    make_assignment(activity, make_stakeholder_for(project), "A")
    page = member_client.get(session_url(project, 3)).text
    assert "The RACI matrix changed by" in page
    assert Session.objects.get(project=project, number=3).status == Session.Status.IN_PROGRESS


def make_stakeholder_for(project):
    from tests.factories import make_stakeholder

    return make_stakeholder(project, name="Ann")


def _opened(client, project, number):
    """The sign-off form's hidden fields, as the session page gave them."""
    import re

    page = client.get(session_url(project, number)).text
    return {name: re.search(rf'name="{name}" value="([^"]*)"', page).group(1) for name in ("version", "opened")}


def test_a_sign_off_is_refused_when_someone_else_added_evidence_after_the_page_was_opened(
    member_client, officer_client, project
):
    member_client.post(field_url(project, 1, "needs"), {"needs": "Fewer repeat calls", "orig-needs": ""}, headers=HTMX)
    fill_session(Session.objects.get(project=project, number=1))
    form = _opened(member_client, project, 1)  # the session is in progress: adding evidence leaves its version alone
    officer_client.post(
        f"/projects/{project.slug}/evidence/",
        {"evidence-text": "Half of calls are repeats", "evidence-source": "Call data"},
    )
    page = member_client.post(f"/projects/{project.slug}/sessions/1/sign/", form, follow=True).text
    assert "The evidence changed after you opened the session (Olu Officer" in page
    assert not SignOff.objects.exists()
    # Read again, then sign: accepted.
    page = member_client.post(
        f"/projects/{project.slug}/sessions/1/sign/", _opened(member_client, project, 1), follow=True
    ).text
    assert SignOff.objects.count() == 1


def test_my_own_change_to_the_work_plan_does_not_stop_my_sign_off(member_client, project):

    fill_session(Session.objects.get_or_create(project=project, number=2)[0])
    form = _opened(member_client, project, 2)
    member_client.post(
        f"/projects/{project.slug}/plan/",
        {
            "name": "Market day",
            "kind": "engagement",
            "within_project": "on",
            "status": "scheduled",
            "baseline_end": "2026-05-01",
        },
    )
    assert project.milestones.filter(name="Market day").exists()
    page = member_client.post(f"/projects/{project.slug}/sessions/2/sign/", form, follow=True).text
    assert "changed after you opened" not in page
    assert SignOff.objects.count() == 1
