"""The writes of every area, on the real database with no wrapping test transaction.

In CI this file runs on PostgreSQL as well as SQLite. A write that takes a row lock outside a
transaction (PostgreSQL refuses `select_for_update` there) or that half-saves before failing
shows here, where a test inside a transaction would pass."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from alignment.models import Assumption, Evidence, Session, SignOff
from projects.models import Membership, Stakeholder
from projects.plan.models import CommunicationItem, Milestone
from projects.reports.models import HighlightReport
from raci.models import Activity, Assignment
from risks.models import Issue, Risk
from tests.conftest import client_for
from tests.factories import fill_session, make_milestone, make_project, make_risk, make_stakeholder, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def buyer():
    return make_user("writer")


@pytest.fixture
def project(buyer):
    return make_project(members={buyer: Membership.Role.BUYER})


@pytest.fixture
def client(buyer):
    return client_for(buyer)


def _ok(response):
    assert response.status_code in (200, 302), (response.status_code, response.content[:500])
    return response


def test_evidence_is_added_edited_and_deleted_once(client, project):
    url = reverse("alignment:evidence", args=[project.slug])
    _ok(client.post(url, {"evidence-text": "38% of calls are about bins", "evidence-source": "Call log"}))
    evidence = Evidence.objects.get(project=project)
    edit = reverse("alignment:evidence-edit", args=[project.slug, evidence.pk])
    _ok(
        client.post(
            edit, {"evidence-text": "40% of calls", "evidence-source": "Call log", "evidence-version": evidence.version}
        )
    )
    assert Evidence.objects.get(pk=evidence.pk).text == "40% of calls"
    _ok(client.post(reverse("alignment:evidence-delete", args=[project.slug, evidence.pk])))
    assert not Evidence.objects.filter(project=project).exists()


def test_assumptions_are_added_edited_and_deleted_once(client, project):
    url = reverse("alignment:assumptions", args=[project.slug])
    _ok(client.post(url, {"assumptions-text": "Budget holds", "assumptions-status": "open"}))
    assumption = Assumption.objects.get(project=project)
    edit = reverse("alignment:assumption-edit", args=[project.slug, assumption.pk])
    _ok(
        client.post(
            edit,
            {
                "assumptions-text": "Budget holds to June",
                "assumptions-status": "open",
                "assumptions-version": assumption.version,
            },
        )
    )
    assert Assumption.objects.get(pk=assumption.pk).text == "Budget holds to June"
    _ok(client.post(reverse("alignment:assumption-delete", args=[project.slug, assumption.pk])))
    assert not Assumption.objects.filter(project=project).exists()


def test_a_failing_write_leaves_nothing_behind(client, project, monkeypatch):
    """The add saves the row, then the session bookkeeping fails: the row must go too, or a
    retry would duplicate it."""
    from alignment import services

    def broken(**kwargs):
        raise RuntimeError("bookkeeping failed")

    monkeypatch.setattr(services, "content_changed", broken)
    client.raise_request_exception = False
    response = client.post(
        reverse("alignment:evidence", args=[project.slug]), {"evidence-text": "A fact", "evidence-source": "Somewhere"}
    )
    assert response.status_code == 500
    assert not Evidence.objects.filter(project=project).exists()


def test_session_fields_autosave_and_sign_off(client, project, buyer):
    officer = make_user()
    project.memberships.create(user=officer, role=Membership.Role.OFFICER)
    url = reverse("alignment:session-field", args=[project.slug, 1, "desired_outcome"])
    _ok(
        client.post(
            url, {"desired_outcome": "Fewer missed bins", "orig-desired_outcome": ""}, headers={"HX-Request": "true"}
        )
    )
    project.refresh_from_db()
    assert project.desired_outcome == "Fewer missed bins"
    fill_session(Session.objects.get(project=project, number=1))
    page = client.get(reverse("alignment:session", args=[project.slug, 1]))
    session = page.context["session"]
    _ok(client.post(reverse("alignment:session-sign", args=[project.slug, 1]), {"version": session.version}))
    assert SignOff.objects.filter(session=session, user=buyer).exists()


def test_stakeholders_milestones_communications_and_risks_are_written(client, project):
    _ok(
        client.post(
            reverse("projects:stakeholders", args=[project.slug]),
            {"name": "Dana Director", "kind": "sponsor", "interest": "high", "influence": "high"},
        )
    )
    person = Stakeholder.objects.get(project=project, name="Dana Director")
    milestone = make_milestone(project, name="Market sounding")
    form = client.get(reverse("plan:milestone-edit", args=[project.slug, milestone.pk])).context["form"]
    data = {b.html_name: b.value() for b in form if b.value() not in (None, [])}
    data[form.add_prefix("name")] = "Market sounding done"
    _ok(client.post(reverse("plan:milestone-edit", args=[project.slug, milestone.pk]), data))
    assert Milestone.objects.get(pk=milestone.pk).name == "Market sounding done"
    _ok(client.post(reverse("plan:milestone-delete", args=[project.slug, milestone.pk])))
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    comm = CommunicationItem.objects.create(project=project, audience_group="Board", purpose="Update")
    _ok(client.post(reverse("plan:communication-delete", args=[project.slug, comm.pk])))
    assert not CommunicationItem.objects.filter(pk=comm.pk).exists()
    risk = make_risk(project, owner=person)
    _ok(client.post(reverse("risks:delete", args=[project.slug, risk.pk])))
    assert not Risk.objects.filter(pk=risk.pk).exists()


def test_issues_are_added_edited_and_deleted_once(client, project):
    url = reverse("risks:issues", args=[project.slug])
    data = {"title": "Wrong sensors", "issue_type": "problem", "priority": "high", "raised_on": "2026-02-01"}
    _ok(client.post(url, {**data, "status": "open"}))
    issue = Issue.objects.get(project=project)
    edit = reverse("risks:issue-edit", args=[project.slug, issue.pk])
    _ok(client.post(edit, {**data, "status": "closed", "closed_on": "2026-03-01", "version": issue.version}))
    assert Issue.objects.get(pk=issue.pk).status == "closed"
    _ok(client.post(reverse("risks:issue-delete", args=[project.slug, issue.pk])))
    assert not Issue.objects.exists() and project.risk_settings.last_issue_number == 1


def test_raci_rows_columns_and_cells_are_written(client, project):
    person = make_stakeholder(project, name="Sam SME")
    _ok(client.post(reverse("raci:matrix", args=[project.slug]), {"add-name": "Write the brief"}))
    activity = Activity.objects.get(project=project, name="Write the brief")
    cell = reverse("raci:cell", args=[project.slug, activity.pk, person.pk])
    _ok(client.post(cell, {"op": "toggle", "letter": "A"}))
    _ok(client.post(cell, {"op": "toggle", "letter": "R"}))
    assert Assignment.objects.get(activity=activity, stakeholder=person).letters == "AR"


def test_a_report_is_started_edited_and_issued(client, project):
    page = client.get(reverse("reports:reports", args=[project.slug]))
    period = {name: page.context["form"][name].value().isoformat() for name in ("period_start", "period_end")}
    _ok(client.post(reverse("reports:reports", args=[project.slug]), period))
    report = HighlightReport.objects.get(project=project)
    _ok(client.post(reverse("reports:report-issue", args=[project.slug, report.number])))
    report.refresh_from_db()
    assert report.is_issued


def project_views(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from project_views(entry, route)
        elif isinstance(entry, URLPattern) and "<slug:slug>" in route:
            yield route, entry.callback


@pytest.mark.parametrize("route,view", sorted(project_views(), key=lambda pair: pair[0]))
def test_every_project_view_writes_in_one_transaction(route, view):
    """Every project view goes through access.methods, which runs POSTs in transaction.atomic."""
    assert getattr(view, "writes_atomically", False), f"{route} does not go through access.methods"
