"""The report says which baseline its slip is measured against, how many open milestones slip
and the worst, flags milestones waiting for later ones, and lists a re-baselining among the
changes since the last report."""

from datetime import UTC, date, datetime

import pytest

from projects.plan import baselines
from projects.reports import services
from projects.reports.pdf import report_html, report_pdf
from projects.reports.snapshot import build_snapshot, changes_between
from tests.factories import make_milestone, make_report
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db


def squeeze(html):
    return " ".join(html.split())


@pytest.fixture
def plan(project, buyer):
    """Tender (baseline 1: ends 1 Apr) slips 44 days; Survey is 5 days late; Kick-off was met late."""
    make_milestone(
        project,
        name="Kick-off",
        baseline_end=date(2026, 2, 1),
        actual_end=date(2026, 2, 20),
        status="met",
        position=0,
    )
    survey = make_milestone(
        project, name="Survey", baseline_start=date(2026, 2, 1), baseline_end=date(2026, 3, 1), position=1
    )
    tender = make_milestone(
        project, name="Tender", baseline_start=date(2026, 3, 1), baseline_end=date(2026, 4, 1), position=2
    )
    tender.depends_on.add(survey)
    baselines.baseline_set(project=project, by=buyer, name="Agreed plan", reason="Board approval")
    survey.refresh_from_db()
    survey.forecast_end = date(2026, 3, 6)  # after Tender starts on 1 Mar
    survey.save()
    tender.refresh_from_db()
    tender.forecast_end = date(2026, 5, 15)
    tender.save()
    return tender


def test_the_snapshot_records_the_baseline_and_each_rows_baseline_and_waits(project, plan):
    added = make_milestone(project, name="Added later", position=3)
    data = build_snapshot(project)
    assert data["baseline"]["number"] == 1 and data["baseline"]["name"] == "Agreed plan"
    assert data["baseline"]["reason"] == "Board approval" and data["baseline"]["set_by"] == "Bea Buyer"
    rows = {m["name"]: m for m in data["milestones"]}
    assert rows["Tender"]["baseline_number"] == 1 and rows["Added later"]["baseline_number"] is None
    assert rows["Tender"]["waits_for_later"] == ["Survey"] and rows["Survey"]["waits_for_later"] == []
    assert rows["Tender"]["gantt"]["waits_for"] == [{"name": "Survey", "due": "2026-03-06"}]
    assert added.pk == rows["Added later"]["id"]


def test_the_report_says_which_baseline_and_names_the_worst_open_slip(project, plan):
    html = squeeze(report_html(make_report(project)))
    assert "Slip is measured against baseline 1 “Agreed plan” (set " in html and " by Bea Buyer)." in html
    # Kick-off was met 19 days late: history, not slip that still counts.
    assert "2 open milestones slipping; the worst, “Tender”, is 44 days late." in html
    assert "⚠ waits for “Survey”, which ends after this starts" in html


def test_without_a_baseline_the_report_says_so(project):
    make_milestone(project, name="Survey", forecast_end=date(2026, 3, 5))
    html = squeeze(report_html(make_report(project)))
    assert "No baseline set: slip is measured against the planned dates, which are not yet fixed by a baseline." in html
    assert "1 open milestone slipping: “Survey” is 4 days late." in html


def test_an_old_snapshot_without_the_baseline_keys_renders_as_it_did(project, plan):
    report = make_report(project)
    data = services.live_snapshot(report)
    del data["baseline"]
    for row in data["milestones"]:
        del row["baseline_number"], row["waits_for_later"]
        del row["gantt"]["waits_for"], row["gantt"]["in_baseline"]
    html = squeeze(report_html(report, data))
    assert "Slip is measured" not in html and "No baseline set" not in html and 'class="report-slip"' not in html
    assert "waits for" not in html
    assert "Tender" in html and "44 days late" in html


def test_the_report_pdf_says_which_baseline_and_flags_the_waiting_milestone(project, plan):
    report = make_report(project)
    pdf, _ = report_pdf(report)
    text = pdf_text(pdf, squeeze=True)
    assert "Slip is measured against baseline 1 “Agreed plan”" in text
    assert "waits for “Survey”, which ends after this starts" in text  # the milestone table
    assert "waits for “Survey”, due 6 Mar 2026" in text  # the Gantt chart


def test_re_baselining_shows_in_what_changed_since_the_last_report(member_client, project, buyer, plan):
    previous = build_snapshot(project)
    baselines.baseline_set(project=project, by=buyer, name="Re-plan after funding", reason="Funding arrived late")
    current = build_snapshot(project)
    changes = changes_between(previous, current)
    [rebaselined] = changes["rebaselined"]
    assert (rebaselined["number"], rebaselined["previous_number"]) == (2, 1)
    assert rebaselined["reason"] == "Funding arrived late"
    assert {(m["name"], m["was"], m["now"]) for m in rebaselined["moved"]} == {
        ("Survey", "2026-03-01", "2026-03-06"),
        ("Tender", "2026-04-01", "2026-05-15"),
    }
    assert changes["any"]
    # Rendered in the report's "what changed" section.
    make_report(project, issued_at=datetime(2026, 4, 2, 9, tzinfo=UTC), issued_by=buyer, snapshot=previous)
    draft = make_report(project, include_changes=True)
    html = squeeze(report_html(draft))
    assert (
        "Re-baselined: baseline 2 “Re-plan after funding” set " in html
        and "(replacing baseline 1). Reason: Funding arrived late" in html
    )
    assert "Tender: baseline end moved from 1 Apr 2026 to 15 May 2026" in html


def test_the_same_baseline_or_an_old_previous_snapshot_is_no_rebaselining(project, buyer, plan):
    now = build_snapshot(project)
    assert changes_between(now, now)["rebaselined"] == []
    old = {k: v for k, v in now.items() if k != "baseline"}  # issued before reports kept baselines
    assert changes_between(old, now)["rebaselined"] == []
