"""What changed since the last report: every group (milestones, budget lines, risks, RAG
ratings, the RACI) as lines in the preview and the PDF, nothing for what did not change, and
older reports' snapshots that did not record a group."""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.reports import rendering, services
from projects.reports.models import HighlightReport
from tests.factories import make_activity, make_assignment, make_milestone, make_report, make_risk, make_stakeholder
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db

NOTHING = "No changes to milestones, budget lines, risks, issues, RAG ratings or the RACI since report 1."


def issue(report, by):
    assert rendering.report_issue(report=report, by=by)
    report.refresh_from_db()
    assert report.render_state == report.RenderState.DONE, report.render_error
    return report


def words(page):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def changes_part(text, report):
    """The "What changed since report N" part of section 10, up to the risk register."""
    start = text.index(f"What changed since report {report.number - 1}")
    end = re.compile(r"Top risks by score|Risk Register|No open risks").search(text, start).start()
    return text[start:end]


def preview_changes(client, report):
    """The words of "What changed" in the preview (the report's section 10)."""
    page = client.get(reverse("reports:report", args=[report.project.slug, report.number])).text
    return changes_part(words(page[page.index('id="report-preview"') :]), report)


def card_changes(client, report):
    """The words of the draft page's "What changed since the last report" card."""
    page = client.get(reverse("reports:report", args=[report.project.slug, report.number])).text
    card = page[page.index('id="changes-h">') + len('id="changes-h">') :]
    return words(card[: card.index("</section>")])


def pdf_changes(report):
    return changes_part(pdf_text(bytes(report.pdf), squeeze=True), report)


@pytest.fixture
def changed(project, buyer):
    """Report 1 issued; then one change of every kind and a report 2 draft. Returns report 2."""
    dana = make_stakeholder(project, name="Dana Reid", position=0)
    olu = make_stakeholder(project, name="Olu Bello", position=1)
    make_stakeholder(project, name="Kim Steady", position=2)
    owned = make_risk(project, event="Supplier market thin", likelihood=2, impact=2, owner=dana)
    rising = make_risk(project, event="Capacity gaps", likelihood=2, impact=2)
    falling = make_risk(project, event="Data quality poor", likelihood=3, impact=3)
    closing = make_risk(project, event="Leadership missing", likelihood=2, impact=4)
    make_risk(project, event="Untouched risk", likelihood=1, impact=1, owner=dana)
    meeting = make_milestone(project, name="Board convened", baseline_end=date(2026, 3, 10))
    slipping = make_milestone(project, name="Roadmap produced", baseline_end=date(2026, 4, 30))
    earlier = make_milestone(project, name="Spend analysis", baseline_end=date(2026, 6, 30))
    dropped = make_milestone(project, name="Joint meeting held", baseline_end=date(2026, 5, 1))
    make_milestone(project, name="Untouched milestone", baseline_end=date(2026, 7, 1))
    case = make_activity(project, name="Approve the business case", position=0)
    make_assignment(case, dana, "A")
    olu_cell = make_assignment(case, olu, "R")
    old_row = make_activity(project, name="Draft the old plan", position=1)
    make_assignment(old_row, dana, "A")
    steady = make_activity(project, name="Steady activity", position=2)
    make_assignment(steady, dana, "AR")
    issue(
        make_report(
            project,
            budget_allocated=Decimal("50000"),
            budget_revised=Decimal("50000"),
            budget_spent=Decimal("1200"),
            overall_rag="amber",
            rag_time="green",
            rag_cost="amber",
        ),
        buyer,
    )

    owned.owner = olu
    owned.save()
    rising.likelihood = 3
    rising.save()
    falling.likelihood = 1
    falling.save()
    closing.status = "closed"
    closing.save()
    make_risk(project, event="Market collapse", likelihood=3, impact=3)
    meeting.status, meeting.actual_end = "met", date(2026, 3, 12)
    meeting.save()
    slipping.forecast_end = date(2026, 6, 30)
    slipping.save()
    earlier.forecast_end = date(2026, 6, 20)
    earlier.save()
    dropped.delete()
    make_milestone(project, name="Contracts register updated", baseline_end=date(2026, 8, 31))
    olu_cell.letters = "C"
    olu_cell.save()
    make_assignment(case, make_stakeholder(project, name="Sam New", position=3), "I")
    old_row.delete()
    make_activity(project, name="Agree the workplan", position=3)
    return make_report(
        project,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 4, 30),
        report_date=date(2026, 5, 2),
        budget_allocated=Decimal("30000"),
        budget_revised=Decimal("30000.50"),
        budget_spent=Decimal("1200"),
        overall_rag="red",
        rag_time="amber",
        rag_cost="amber",
    )


EVERY_CHANGE = [
    "Milestones",
    "New milestone: Contracts register updated, due 31 Aug 2026",
    "Met: Board convened, on 12 Mar 2026",
    "Slipped milestone: Roadmap produced, from 30 Apr 2026 to 30 Jun 2026 (61 days later)",
    "Milestone brought forward: Spend analysis, from 30 Jun 2026 to 20 Jun 2026 (10 days earlier)",
    "Removed from the plan: Joint meeting held",
    "Budget",
    "Allocated budget changed from £50,000 to £30,000",
    "Revised budget changed from £50,000 to £30,000.50",
    "Risks",
    "New risk R6: Market collapse (LxI 9)",
    "Closed risk R4: Leadership missing",
    "Re-scored risk R2: Capacity gaps, up from LxI 4 to 6",
    "Re-scored risk R3: Data quality poor, down from LxI 9 to 3",
    "R1 owner changed from Dana Reid to Olu Bello",
    "RAG ratings",
    "Overall: Amber to Red",
    "Time: Green to Amber",
    "RACI",
    "Activity added: Agree the workplan",
    "Activity removed: Draft the old plan",
    "Olu Bello on Approve the business case: R → C",
    "Sam New on Approve the business case: none → I",
]
# Things that did not change, and so must have no line.
UNCHANGED = ["Untouched", "Spent to date", "Cost:", "R5", "Steady activity", "Kim Steady", "Dana Reid on", "No changes"]


def test_every_change_since_the_last_report_is_a_line_in_the_preview_and_the_pdf(changed, member_client, buyer):
    for shown in (card_changes(member_client, changed), preview_changes(member_client, changed)):
        for line in EVERY_CHANGE:
            assert line in shown
        for word in UNCHANGED:
            assert word not in shown

    issue(changed, buyer)
    printed = pdf_changes(changed)
    for line in EVERY_CHANGE:
        assert line in printed
    for word in UNCHANGED:
        assert word not in printed


def test_an_issued_reports_changes_are_frozen_with_it(changed, member_client, buyer, project):
    issue(changed, buyer)
    make_milestone(project, name="Added after issue", baseline_end=date(2026, 9, 1))
    project.milestones.filter(name="Untouched milestone").delete()
    shown = preview_changes(member_client, changed)
    assert "New milestone: Contracts register updated" in shown
    assert "Added after issue" not in shown and "Untouched" not in shown


def test_nothing_changed_says_so_naming_everything_compared(project, buyer, member_client):
    person = make_stakeholder(project, name="Dana Reid")
    make_assignment(make_activity(project, name="Approve the business case"), person, "A")
    make_risk(project, event="Supplier market thin", owner=person)
    make_milestone(project, name="Board convened")
    issue(make_report(project, budget_allocated=Decimal("50000"), rag_cost="amber"), buyer)
    second = make_report(
        project, period_start=date(2026, 4, 1), period_end=date(2026, 4, 30), report_date=date(2026, 5, 2)
    )
    second.budget_allocated, second.rag_cost = Decimal("50000.00"), "amber"
    second.save()
    shown = card_changes(member_client, second)
    assert shown == f"What changed since the last report {NOTHING} Included in section 10 of the report."
    assert not services.report_data(second)["changes"]["any"]


def test_a_group_the_previous_report_did_not_record_is_not_known_never_a_change(project, buyer, member_client):
    person = make_stakeholder(project, name="Dana Reid")
    first = issue(make_report(project), buyer)
    # Report 1 as issued before snapshots kept the RACI, the milestones, the figures and the
    # RAG ratings (those are on its row, so they are still compared).
    older = {k: v for k, v in first.snapshot.items() if k not in ("raci", "milestones", "financial", "rag")}
    HighlightReport.objects.filter(pk=first.pk).update(snapshot=older)
    make_assignment(make_activity(project, name="Approve the business case"), person, "A")
    make_milestone(project, name="Board convened")
    second = make_report(
        project,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 4, 30),
        report_date=date(2026, 5, 2),
        budget_allocated=Decimal("10"),
    )
    shown = preview_changes(member_client, second)
    assert "No changes to risks, issues or RAG ratings since report 1." in shown
    assert "RACI changes not known: report 1 did not record the RACI." in shown
    assert "Milestone changes not known: report 1 did not record the milestones." in shown
    assert "Budget changes not known: report 1 did not record the budget." in shown
    assert "Activity added" not in shown and "New milestone" not in shown and "Allocated" not in shown

    issue(second, buyer)
    assert "RACI changes not known: report 1 did not record the RACI." in pdf_changes(second)


def test_a_report_frozen_before_the_groups_still_shows_what_it_compared(project, buyer, member_client):
    issue(make_report(project), buyer)
    second = issue(
        make_report(project, period_start=date(2026, 4, 1), period_end=date(2026, 4, 30), report_date=date(2026, 5, 2)),
        buyer,
    )
    slipped = {"id": 1, "name": "Roadmap produced", "within": True, "was": "2026-04-30", "now": "2026-06-30"}
    legacy = {"new": [], "closed": [], "rescored": [], "slipped": [{**slipped, "days": 61}], "any": True}
    HighlightReport.objects.filter(pk=second.pk).update(snapshot={**second.snapshot, "changes": legacy})
    shown = preview_changes(member_client, second)
    assert "Slipped milestone: Roadmap produced, from 30 Apr 2026 to 30 Jun 2026 (61 days later)" in shown
    assert "not known" not in shown

    legacy = {"new": [], "closed": [], "rescored": [], "slipped": [], "any": False}
    HighlightReport.objects.filter(pk=second.pk).update(snapshot={**second.snapshot, "changes": legacy})
    shown = preview_changes(member_client, second)
    assert "No new, closed or re-scored risks and no slipped milestones since report 1." in shown
