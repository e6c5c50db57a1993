"""Session 1's evidence list and session 2's assumptions and questions log, edited inline."""

from datetime import date

import pytest

from alignment.models import Assumption, Evidence
from tests.factories import make_project, make_stakeholder, make_user

from .conftest import HTMX, session_url

pytestmark = pytest.mark.django_db


def url(project, kind, *rest):
    return f"/projects/{project.slug}/{kind}/" + "".join(f"{r}/" for r in rest)


def test_adding_an_assumption_with_htmx_returns_the_table_with_it(member_client, project):
    owner = make_stakeholder(project, name="Jim Burness")
    response = member_client.post(
        url(project, "assumptions"),
        {
            "assumptions-text": "SECE will part-fund the spend analysis",
            "assumptions-owner": owner.pk,
            "assumptions-due_date": "2026-06-30",
            "assumptions-status": "open",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="assumptions-table">')
    assert "SECE will part-fund the spend analysis" in response.text and "Jim Burness" in response.text
    item = Assumption.objects.get()
    assert (item.owner, item.due_date, item.status) == (owner, date(2026, 6, 30), "open")


def test_the_log_records_answers_and_each_status_in_words(member_client, project):
    item = Assumption.objects.create(project=project, text="Will the JIB release contingency?")
    response = member_client.post(
        url(project, "assumptions", item.pk, "edit"),
        {
            "assumptions-text": item.text,
            "assumptions-status": "answered",
            "assumptions-answer": "Yes, £20k",
            "assumptions-version": item.version,
        },
        headers=HTMX,
    )
    assert "Answered" in response.text and "Yes, £20k" in response.text
    for status, _label in Assumption.Status.choices:
        Assumption.objects.create(project=project, text=f"Item {status}", status=status)
    page = member_client.get(session_url(project, 2)).text
    for _, label in Assumption.Status.choices:
        assert f'">{label}</span>' in page


def test_without_javascript_adding_from_the_session_returns_to_the_session(member_client, project):
    response = member_client.post(
        url(project, "evidence"),
        {
            "evidence-text": "1,200 complaints about street lights in 2025",
            "evidence-source": "Customer service data",
            "next": session_url(project, 1),
        },
    )
    assert response.status_code == 302 and response["Location"] == session_url(project, 1)
    page = member_client.get(session_url(project, 1)).text
    assert "1,200 complaints about street lights in 2025" in page and "Customer service data" in page


def test_a_next_url_on_another_site_is_ignored(member_client, project):
    response = member_client.post(url(project, "evidence"), {"evidence-text": "Fact", "next": "https://evil.example/"})
    assert response["Location"] == url(project, "evidence")


def test_empty_evidence_is_refused_with_a_plain_message(member_client, project):
    response = member_client.post(
        url(project, "evidence"), {"evidence-text": "   ", "evidence-source": "x"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "Write the piece of evidence." in response.text
    assert not Evidence.objects.exists()


def test_an_absurd_due_date_is_refused(member_client, project):
    response = member_client.post(
        url(project, "assumptions"),
        {
            "assumptions-text": "Year one",
            "assumptions-due_date": "0001-01-01",
            "assumptions-status": "open",
        },
        headers=HTMX,
    )
    assert "Enter a due date between 1900 and 2200." in response.text
    assert not Assumption.objects.exists()


def test_an_owner_from_another_project_is_refused(member_client, project):
    stranger = make_stakeholder(make_project(), name="Stranger")
    response = member_client.post(
        url(project, "assumptions"),
        {
            "assumptions-text": "x",
            "assumptions-owner": stranger.pk,
            "assumptions-status": "open",
        },
        headers=HTMX,
    )
    assert "Select a valid choice" in response.text
    assert not Assumption.objects.exists()


def test_another_projects_log_lines_are_not_found(member_client, project):
    other = make_project(members={make_user(): "buyer"})
    theirs = Assumption.objects.create(project=other, text="Secret")
    evidence = Evidence.objects.create(project=other, text="Secret")
    assert member_client.get(url(project, "assumptions", theirs.pk, "edit")).status_code == 404
    assert member_client.post(url(project, "assumptions", theirs.pk, "delete")).status_code == 404
    assert member_client.post(url(project, "evidence", evidence.pk, "delete")).status_code == 404
    assert Assumption.objects.filter(pk=theirs.pk).exists() and Evidence.objects.filter(pk=evidence.pk).exists()


def test_deleting_evidence_asks_first_without_javascript_and_keeps_history(member_client, project):
    item = Evidence.objects.create(project=project, text="Old fact")
    page = member_client.get(url(project, "evidence", item.pk, "delete")).text
    assert "Delete evidence “Old fact”?" in page
    assert Evidence.objects.filter(pk=item.pk).exists()
    response = member_client.post(url(project, "evidence", item.pk, "delete"), {"next": session_url(project, 1)})
    assert response["Location"] == session_url(project, 1)
    assert not Evidence.objects.filter(pk=item.pk).exists()
    assert Evidence.history.filter(id=item.pk, history_type="-").exists()


def test_a_stale_edit_of_a_log_line_shows_a_conflict(member_client, officer_client, project):
    item = Assumption.objects.create(project=project, text="Original")
    seen = item.version
    officer_client.post(
        url(project, "assumptions", item.pk, "edit"),
        {"assumptions-text": "Officer's version", "assumptions-status": "open", "assumptions-version": seen},
    )
    response = member_client.post(
        url(project, "assumptions", item.pk, "edit"),
        {"assumptions-text": "Buyer's version", "assumptions-status": "open", "assumptions-version": seen},
        headers=HTMX,
    )
    assert "Someone else changed this while you were editing." in response.text
    assert "Officer&#x27;s version" in response.text
    assert Assumption.objects.get(pk=item.pk).text == "Officer's version"


def test_the_log_page_query_count_does_not_grow(member_client, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(url(project, "assumptions")).status_code == 200
        return len(queries)

    def grow(n):
        for i in range(n):
            Assumption.objects.create(project=project, text=f"A{i}", owner=make_stakeholder(project))

    grow(3)
    small = count()
    grow(27)
    assert count() == small
