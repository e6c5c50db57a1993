"""Section 10's issue log and the issue lines of "what changed", apart from the risks."""

import re
from datetime import date

import pytest
from django.urls import reverse

from projects.reports import rendering, services
from projects.reports.snapshot import build_snapshot, changes_between
from risks.models import Issue
from tests.factories import make_issue, make_report, make_risk, make_stakeholder
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db

SEED_HEADINGS = [
    "1. Recommendation",
    "2. Project vision/objectives",
    "3. Summary progress and key highlights",
    "4. Timescales and key milestones",
    "5. Deliverables/quick wins",
    "6. Financial update",
    "7. Member involvement",
    "8. Related projects / work streams",
    "9. Communications plan",
    "10. Key risks and issues",
]


def page_text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def preview(client, project, number):
    html = client.get(reverse("reports:report", args=[project.slug, number])).text
    return page_text(html[html.index('id="report-preview"') :])


def close(issue, on=date(2026, 3, 20)):
    issue.status, issue.closed_on = Issue.Status.CLOSED, on
    issue.save()


def test_the_snapshot_keeps_the_whole_log_open_first(project):
    dana = make_stakeholder(project, name="Dana")
    make_issue(project, title="Low one", priority="low")
    done = make_issue(project, title="Done", priority="high", raised_on=date(2026, 1, 1))
    close(done)
    make_issue(project, title="Urgent", priority="high", issue_type="request_for_change", owner=dana, action="Decide")
    rows = build_snapshot(project)["issues"]
    assert [(r["reference"], r["closed"]) for r in rows] == [("I3", False), ("I1", False), ("I2", True)]
    assert rows[0] | {"id": None} == {
        "id": None,
        "reference": "I3",
        "title": "Urgent",
        "type": "Request for change",
        "priority": "high",
        "priority_label": "High",
        "owner": "Dana",
        "action": "Decide",
        "status": "open",
        "closed": False,
        "raised_on": rows[0]["raised_on"],
        "closed_on": None,
    }


def test_section_10_lists_open_issues_after_the_risks_and_the_ten_headings_stay(member_client, project):
    dana = make_stakeholder(project, name="Dana Director")
    make_risk(project, event="Supplier market thin", likelihood=3, impact=3)
    make_issue(
        project,
        title="Wrong sensors delivered",
        issue_type="off_specification",
        priority="high",
        owner=dana,
        action="Replace them",
    )
    close(make_issue(project, title="Old closed problem", raised_on=date(2026, 1, 1)))
    report = make_report(project)
    text = preview(member_client, project, report.number)
    positions = [text.index(h) for h in SEED_HEADINGS]
    assert positions == sorted(positions)
    section_10 = text[positions[-1] :]
    assert section_10.index("Supplier market thin") < section_10.index("Issues log")
    log = section_10[section_10.index("Issues log") :]
    assert "I1 Wrong sensors delivered Off-specification High Dana Director Replace them" in log
    assert "Old closed problem" not in text


def test_a_project_without_open_issues_says_so(member_client, project):
    close(make_issue(project, title="Closed one", raised_on=date(2026, 1, 1)))
    text = preview(member_client, project, make_report(project).number)
    assert "Issues log No open issues." in text


def test_the_issued_pdf_shows_the_issue_log(project, buyer):
    make_issue(project, title="Board asks for a second site", issue_type="request_for_change", action="Cost it")
    report = make_report(project)
    rendering.report_issue(report=report, by=buyer)
    report.refresh_from_db()
    text = pdf_text(bytes(report.pdf), squeeze=True)
    assert "10. Key risks and issues" in text and "Issues log" in text
    assert "I1 Board asks for a second site Request for change Medium" in text and "Cost it" in text


def test_what_changed_lists_new_and_closed_issues_on_their_own_lines(member_client, project, buyer):
    first_issue = make_issue(project, title="Licence lapsed", raised_on=date(2026, 1, 1))
    deleted = make_issue(project, title="Logged by mistake")
    make_risk(project, event="Capacity gaps")
    rendering.report_issue(report=make_report(project, number=1), by=buyer)

    close(first_issue)
    deleted.delete()
    make_issue(project, title="Scope creep from the pilot", priority="high")
    second = make_report(project, number=2)

    changes = services.report_data(second)["changes"]
    assert [i["reference"] for i in changes["new_issues"]] == ["I3"]
    assert [i["reference"] for i in changes["closed_issues"]] == ["I1"]
    assert [i["reference"] for i in changes["removed_issues"]] == ["I2"]
    assert changes["new"] == changes["closed"] == []  # no risk moved: issues are not risks
    text = preview(member_client, project, 2)
    assert "New issue I3: Scope creep from the pilot (high priority)" in text
    assert "Closed issue I1: Licence lapsed" in text
    assert "Removed issue I2: Logged by mistake (deleted from the issue log, not closed)" in text
    assert "risk I" not in text


def old_snapshot(report):
    """A snapshot as reports froze them before the issue log: no "issues", and an issue as
    a risk row of kind "issue"."""
    data = services.live_snapshot(report)
    del data["issues"]
    for key in ("new_issues", "closed_issues", "removed_issues"):
        (data["changes"] or {}).pop(key, None)
    data["risks"] = [
        {
            "id": 999,
            "reference": "R7",
            "event": "Supplier went bust",
            "likelihood": 4,
            "impact": 4,
            "score": 16,
            "action": "Re-tender",
            "owner": "Dana",
            "status": "occurred",
            "closed": False,
            "kind": "issue",
        }
    ]
    return data


def test_a_report_issued_before_the_issue_log_renders_as_it_did(member_client, project, buyer):
    make_issue(project, title="Live issue, not in the old report")
    report = make_report(project, number=1)
    rendering.report_issue(report=report, by=buyer, snapshot=old_snapshot(report))
    report.refresh_from_db()
    text = preview(member_client, project, 1)
    assert "R7 Supplier went bust 4 4 16 Re-tender" in text
    assert "Issues log" not in text and "Live issue" not in text
    pdf = pdf_text(bytes(report.pdf), squeeze=True)
    assert "Supplier went bust" in pdf and "Issues log" not in pdf


def test_a_draft_after_an_old_report_shows_no_issue_lines_and_no_risk_closing(member_client, project, buyer):
    make_risk(project, event="Capacity gaps")
    first = make_report(project, number=1)
    rendering.report_issue(report=first, by=buyer, snapshot=old_snapshot(first))
    make_issue(project, title="Supplier went bust")  # where the old report's R7 went
    second = make_report(project, number=2)
    changes = services.report_data(second)["changes"]
    # The old report had no issue log: its issue changes are not known, so none are listed.
    assert "new_issues" not in changes and {"what": "Issue", "record": "the issue log"} in changes["not_known"]
    assert changes["closed"] == []  # R7 left the register for the log: that is no risk closing
    assert "Closed risk R7" not in preview(member_client, project, 2)


def test_changes_between_snapshots_without_issues_on_either_side_has_no_issue_lines():
    changes = changes_between({"risks": [], "milestones": []}, {"risks": [], "milestones": []})
    assert changes["any"] is False and "new_issues" not in changes and "issues" not in changes["compared"]
