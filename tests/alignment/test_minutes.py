"""Minutes frozen at agreement: every answer in full and what the session shows, stored as a
snapshot and PDF bytes with a hash, served byte for byte, never changed by later edits; a
later agreement adds a version and the old one stays."""

import hashlib

import pytest

from alignment.models import Minutes, Session
from projects.models import Membership
from tests.factories import (
    fill_session,
    make_milestone,
    make_project,
    make_raci,
    make_risk,
    make_stakeholder,
    make_user,
)
from tests.pdfs import pdf_text

from .conftest import HTMX, field_url, session_url
from .test_signoff import agree_topic, sign

FIFTEEN_LINES = "\n".join(f"Constraint line {i}: the depot closes at {i + 5} pm." for i in range(1, 16))


def minutes_url(project, number, version):
    return f"/projects/{project.slug}/sessions/{number}/minutes/{version}.pdf"


def agree_session_1(member_client, officer_client, project):
    session = fill_session(Session.objects.get_or_create(project=project, number=1)[0])
    Session.objects.filter(pk=session.pk).update(concerns=FIFTEEN_LINES, held_on="2026-11-30")
    session.attendees.set([make_stakeholder(project, name="Dana Director", role_title="Director of Waste")])
    sign(member_client, project)
    sign(officer_client, project)
    return Session.objects.get(pk=session.pk)


@pytest.mark.django_db(transaction=True)
def test_agreeing_a_session_freezes_its_minutes_with_every_answer_and_who_signed(
    member_client, officer_client, project
):
    session = agree_session_1(member_client, officer_client, project)
    minutes = Minutes.objects.get(session=session)
    assert minutes.number == 1 and bytes(minutes.pdf).startswith(b"%PDF")
    assert minutes.pdf_sha256 == hashlib.sha256(bytes(minutes.pdf)).hexdigest()
    response = member_client.get(minutes_url(project, 1, 1))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == bytes(minutes.pdf)
    text = pdf_text(response.content, squeeze=True)
    for line in FIFTEEN_LINES.splitlines():
        assert line in text  # all fifteen lines, not the first four
    for expected in (
        "Minutes of alignment session 1",
        "Residents report missed bins online",  # desired outcome (held on the project)
        "The council's digital strategy.",
        "38% of calls are about missed bins",  # evidence
        "Emerging:",  # maturity in words
        "Dana Director, Director of Waste",
        "30 November 2026",
        "Bea Buyer (buyer)",
        "Olu Officer (procurement officer)",
    ):
        assert expected in text, expected
    page = member_client.get(session_url(project, 1)).text
    assert minutes_url(project, 1, 1) in page and "Version 1, agreed" in page


@pytest.mark.django_db(transaction=True)
def test_later_edits_never_change_the_minutes_and_a_new_agreement_adds_version_2(
    member_client, officer_client, project
):
    session = agree_session_1(member_client, officer_client, project)
    first = Minutes.objects.get(session=session)
    frozen_pdf, frozen_snapshot = bytes(first.pdf), first.snapshot
    member_client.post(
        field_url(project, 1, "concerns"),
        {"concerns": "Only the budget.", "orig-concerns": FIFTEEN_LINES},
        headers=HTMX,
    )
    member_client.post(f"/projects/{project.slug}/evidence/", {"evidence-text": "Complaints doubled in 2026"})
    type(project).objects.filter(pk=project.pk).update(name="Renamed project")
    first.refresh_from_db()
    assert bytes(first.pdf) == frozen_pdf and first.snapshot == frozen_snapshot
    assert member_client.get(minutes_url(project, 1, 1)).content == frozen_pdf
    # The pair agree the changed topics again: version 2 holds the new text, version 1 stays.
    agree_topic(member_client, project, 1, "concerns")
    agree_topic(officer_client, project, 1, "concerns")
    agree_topic(member_client, project, 1, "evidence")
    agree_topic(officer_client, project, 1, "evidence")
    assert Session.objects.get(pk=session.pk).status == Session.Status.AGREED
    assert list(session.minutes.values_list("number", flat=True)) == [2, 1]
    second = pdf_text(member_client.get(minutes_url(project, 1, 2)).content, squeeze=True)
    assert "Only the budget." in second and "Complaints doubled in 2026" in second
    old = pdf_text(member_client.get(minutes_url(project, 1, 1)).content, squeeze=True)
    assert "Constraint line 15" in old and "Complaints doubled" not in old
    assert member_client.get(minutes_url(project, 1, 1)).content == frozen_pdf


@pytest.mark.django_db
def test_minutes_of_session_2_and_3_hold_milestones_risks_log_and_raci(member_client, officer_client, project):
    make_milestone(project, name="Market engagement day")
    make_risk(project, event="Suppliers do not respond", mitigating_action="Brief the market early")
    for number in (2, 3):
        session = fill_session(Session.objects.get_or_create(project=project, number=number)[0])
        if number == 3:
            make_raci(project, activities=2, people=9)
        sign(member_client, project, number)
        sign(officer_client, project, number)
        assert Session.objects.get(pk=session.pk).status == Session.Status.AGREED
    second = pdf_text(member_client.get(minutes_url(project, 2, 1)).content, squeeze=True)
    for expected in (
        "Market engagement day",
        "Suppliers do not respond",
        "Brief the market early",
        "Funding lands in April",
    ):
        assert expected in second, expected
    third = pdf_text(member_client.get(minutes_url(project, 3, 1)).content, squeeze=True)
    assert "Roles and responsibilities (RACI)" in third and "Advised" in third
    session = Session.objects.get(project=project, number=3)
    for row in session.minutes.get().snapshot["topics"][0]["records"]["rows"]:
        assert row["activity"] in third


@pytest.mark.django_db
def test_minutes_are_never_saved_twice(member_client, officer_client, project):
    minutes = Minutes.objects.get(session=agree_session_1(member_client, officer_client, project))
    minutes.pdf = b"%PDF forged"
    with pytest.raises(ValueError, match="never changed"):
        minutes.save()
    assert bytes(Minutes.objects.get(pk=minutes.pk).pdf).startswith(b"%PDF-")


@pytest.mark.django_db
def test_minutes_of_another_project_are_404_and_strangers_get_404(member_client, officer_client, project, client_as):
    agree_session_1(member_client, officer_client, project)
    stranger = make_user("stranger")
    theirs = make_project(members={stranger: Membership.Role.BUYER}, slug="theirs")
    assert client_as(stranger).get(minutes_url(project, 1, 1)).status_code == 404
    # Their own project has no minutes 1 of session 1: another project's real version is not theirs.
    assert client_as(stranger).get(minutes_url(theirs, 1, 1)).status_code == 404
    assert member_client.get(minutes_url(project, 1, 2)).status_code == 404
    assert member_client.get(minutes_url(project, 2, 1)).status_code == 404
    viewer = make_user("viewer")
    project.memberships.create(user=viewer, role=Membership.Role.VIEWER)
    assert client_as(viewer).get(minutes_url(project, 1, 1)).status_code == 200


@pytest.mark.django_db
def test_minutes_list_the_sessions_actions_with_overdue_ones_flagged(member_client, officer_client, project):
    from datetime import date

    from tests.factories import make_action

    session = fill_session(Session.objects.create(project=project, number=1))
    owner = make_stakeholder(project, name="Owen Owner")
    make_action(project, session, text="Send the survey to depots", owner=owner, due_date=date(2020, 1, 6))
    make_action(project, session, text="Book the board slot", status="done")
    make_action(project, text="A session 2 action")  # another session's: not in these minutes
    sign(member_client, project)
    sign(officer_client, project)
    text = pdf_text(member_client.get(minutes_url(project, 1, 1)).content, squeeze=True)
    assert "Send the survey to depots Owen Owner 6 Jan 2020 Open (overdue)" in text
    assert "Book the board slot – – Done" in text
    assert "A session 2 action" not in text


@pytest.mark.django_db
def test_minutes_carry_the_protective_marking_on_every_page_as_it_was_when_agreed(
    member_client, officer_client, project, settings
):
    from io import BytesIO

    from pypdf import PdfReader

    settings.PROTECTIVE_MARKING = "OFFICIAL: Sensitive"
    minutes = Minutes.objects.get(session=agree_session_1(member_client, officer_client, project))
    settings.PROTECTIVE_MARKING = "SECRET"  # a later change of setting never touches frozen minutes
    reader = PdfReader(BytesIO(member_client.get(minutes_url(project, 1, 1)).content))
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text()
        assert text.count("OFFICIAL: Sensitive") == 2, number  # top and bottom
        assert "SECRET" not in text
        assert ("continued" in text) == (number > 1)
    assert minutes.snapshot["marking"] == "OFFICIAL: Sensitive"


def test_session_2_minutes_list_risks_without_a_kind_and_old_minutes_with_one_still_render(
    member_client, officer_client, project
):
    from django.template.loader import render_to_string

    from alignment import minutes

    make_risk(project, event="Suppliers do not respond", mitigating_action="Brief the market early")
    fill_session(Session.objects.get_or_create(project=project, number=2)[0])
    sign(member_client, project, 2)
    sign(officer_client, project, 2)
    snapshot = Session.objects.get(project=project, number=2).minutes.get().snapshot
    risks = next(t for t in snapshot["topics"] if t["embed"] == "risks")
    assert [set(r) >= {"reference", "event"} and "kind" not in r for r in risks["records"]] == [True]

    def html(snap):
        return " ".join(render_to_string("alignment/minutes_pdf.html", minutes.context(snap, number=1)).split())

    assert "<td>Suppliers do not respond</td>" in html(snapshot)
    risks["records"][0]["kind"] = "Issue"  # as minutes froze them while issues were a kind of risk
    assert "<td>Issue: Suppliers do not respond</td>" in html(snapshot)
