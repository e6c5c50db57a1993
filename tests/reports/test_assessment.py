"""RAG suggested from the data, tolerances and exceptions, PRINCE2 content (issue 16 points 4-6).

Every case builds real records and reads the suggestion from the same snapshot the report is
issued with; the PDF is read back with pdftotext.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.reports import rendering, services
from projects.reports.assessment import EXCEPTION_FIELDS
from tests.factories import make_milestone, make_report, make_risk
from tests.pdfs import pdf_text

TODAY = date.today()


def url(name, project, *args):
    return reverse(f"reports:{name}", args=[project.slug, *args])


def suggested(report, field):
    return services.live_snapshot(report)["suggested"][field]


def draft(project, **fields):
    """A draft of the current period whose RAGs have no reasons (the factory gives them some)."""
    start = TODAY.replace(day=1)
    return make_report(
        project,
        period_start=start,
        period_end=start + timedelta(days=27),
        report_date=start + timedelta(days=27),
        **{"rag_time_reason": "", "rag_cost_reason": "", "rag_risk_reason": "", **fields},
    )


def late_milestones(project):
    base = date(2026, 6, 30)
    make_milestone(project, name="Market day", baseline_end=base, forecast_end=base + timedelta(days=3))
    make_milestone(project, name="Contract award", baseline_end=base, forecast_end=base + timedelta(days=44))
    # Met, late: done, so not slipping any more.
    make_milestone(project, name="Kick-off", baseline_end=base, actual_end=base + timedelta(days=90), status="met")


# Time -------------------------------------------------------------------------------------


def test_time_is_red_when_the_worst_open_milestone_is_beyond_the_tolerance(project):
    late_milestones(project)
    project.time_tolerance_days = 10
    project.save()
    s = suggested(draft(project), "rag_time")
    assert s["rag"] == "red"
    assert s["reason"] == (
        "2 open milestones slipping; the worst, ‘Contract award’, is 44 days late, beyond the tolerance of ± 10 days."
    )


def test_time_is_amber_within_the_tolerance_and_without_one_uses_the_plans_red_line(project):
    late_milestones(project)
    project.time_tolerance_days = 60
    project.save()
    assert suggested(draft(project), "rag_time")["rag"] == "amber"
    project.time_tolerance_days = None
    project.save()
    s = suggested(project.reports.get(), "rag_time")
    assert s["rag"] == "red" and "No time tolerance is set, so more than 30 days late counts as red." in s["reason"]


def test_time_is_green_when_nothing_open_slips_and_unknown_without_baselines(project):
    report = draft(project)
    assert suggested(report, "rag_time")["rag"] is None
    make_milestone(
        project,
        name="Done late",
        baseline_start=None,
        baseline_end=date(2026, 1, 1),
        actual_end=date(2026, 3, 1),
        status="met",
    )
    assert suggested(report, "rag_time")["rag"] is None  # the only one is met
    make_milestone(project, name="On track", baseline_end=date(2026, 9, 1), forecast_end=date(2026, 8, 1))
    assert suggested(report, "rag_time") == {
        "rag": "green",
        "reason": "No open milestone is forecast past its baseline (1 checked).",
    }


# Cost -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("revised", "spent", "tolerance", "rag", "words"),
    [
        (
            "108000",
            "20000",
            "5",
            "red",
            "The forecast £108,000 against £100,000 allocated is 8.0% over, beyond the tolerance of ± 5%.",
        ),
        (
            "108000",
            "20000",
            "10",
            "amber",
            "The forecast £108,000 against £100,000 allocated is 8.0% over, within the tolerance of ± 10%.",
        ),
        ("95000", "20000", "10", "green", "The forecast £95,000 against £100,000 allocated: within budget."),
        (None, "120000", "10", "red", "Spent to date (£120,000) is already over the £100,000 allocated."),
        ("101000", None, None, "amber", "No cost tolerance is set, so any overspend counts as amber."),
    ],
)
def test_cost_is_judged_from_revised_and_spent_against_allocated(project, revised, spent, tolerance, rag, words):
    project.cost_tolerance_percent = None if tolerance is None else Decimal(tolerance)
    project.save()
    report = draft(
        project,
        budget_allocated=Decimal("100000"),
        budget_revised=None if revised is None else Decimal(revised),
        budget_spent=None if spent is None else Decimal(spent),
    )
    s = suggested(report, "rag_cost")
    assert s["rag"] == rag and words in s["reason"]


def test_cost_cannot_be_judged_without_an_allocation(project):
    assert suggested(draft(project, budget_revised=Decimal("5")), "rag_cost")["rag"] is None


# Risk -------------------------------------------------------------------------------------


def test_risk_is_red_with_an_open_risk_in_the_top_band_and_names_it(project):
    report = draft(project)
    assert suggested(report, "rag_risk")["rag"] is None
    make_risk(project, likelihood=2, impact=2)  # 4: medium
    assert suggested(report, "rag_risk")["rag"] == "green"
    make_risk(project, likelihood=4, impact=4, status="closed")  # closed: not counted
    assert suggested(report, "rag_risk")["rag"] == "green"
    high = make_risk(project, likelihood=3, impact=3)  # 9: high
    assert suggested(report, "rag_risk")["rag"] == "amber"
    top = make_risk(project, likelihood=4, impact=3)  # 12: very high
    s = suggested(report, "rag_risk")
    assert s == {"rag": "red", "reason": f"1 open risk ({top.reference}) in the top band, Very high (score over 9)."}
    assert high.reference not in s["reason"]


# A draft starts from the data; a choice otherwise needs a reason -------------------------------


def test_a_new_draft_starts_time_cost_and_risk_from_what_the_data_suggest(member_client, project):
    late_milestones(project)
    make_risk(project, likelihood=3, impact=3)
    project.budget_allocated, project.budget_revised = Decimal("100"), Decimal("90")
    project.save()
    member_client.post(url("reports", project), {"period_start": "2026-04-01", "period_end": "2026-04-30"})
    report = project.reports.get()
    assert (report.rag_time, report.rag_cost, report.rag_risk) == ("red", "green", "amber")


@pytest.mark.django_db(transaction=True)
def test_issuing_a_rag_chosen_otherwise_without_a_reason_is_refused_and_changes_nothing(client_as, project, buyer):
    late_milestones(project)
    project.time_tolerance_days = 60
    project.save()
    report = draft(project, rag_time="green")
    response = client_as(buyer).post(url("report-issue", project, report.number), follow=True)
    report.refresh_from_db()
    assert not report.is_issued and not report.snapshot and report.pdf is None
    assert (
        "Time is Green but the data suggest Amber (2 open milestones slipping; the worst, ‘Contract award’, is 44 days "
        "late, within the tolerance of ± 60 days.) Say why Time is Green, or choose Amber. Nothing was issued."
    ) in response.text

    report.rag_time_reason = "The supplier has confirmed the award date holds."
    report.save()
    client_as(buyer).post(url("report-issue", project, report.number))
    report.refresh_from_db()
    assert report.is_issued and report.render_state == report.RenderState.DONE, report.render_error
    text = pdf_text(bytes(report.pdf), squeeze=True)
    assert re.search(r"The data suggest Amber ?: 2 open milestones slipping", text)
    assert "Chosen Green because: The supplier has confirmed the award date holds." in text


def test_the_edit_page_lists_what_stops_the_issue_and_the_preview_shows_both_rags(member_client, project):
    make_risk(project, likelihood=4, impact=4)
    report = draft(project, rag_risk="green")
    page = member_client.get(url("report", project, report.number)).text
    assert 'id="issue-blockers"' in page and "Risk is Green but the data suggest Red" in page
    assert "no reason given yet (needed before the report is issued)" in page
    report.rag_risk = "red"
    report.save()
    page = member_client.get(url("report", project, report.number)).text
    assert 'id="issue-blockers"' not in page and "As the data suggest: 1 open risk" in page


# Tolerances and exceptions ---------------------------------------------------------------------


def test_a_forecast_beyond_tolerance_raises_an_exception_shown_first_with_its_four_fields(project, buyer):
    late_milestones(project)
    project.time_tolerance_days = 10
    project.save()
    report = draft(project, rag_time="red", budget_allocated=Decimal("1000"), budget_revised=Decimal("1000"))
    with pytest.raises(services.IssueRefused) as refused:
        rendering.report_issue(report=report, by=buyer)
    assert (
        "the time forecast is beyond tolerance, so the exception report needs its cause, consequences, options and "
        "recommendation."
    ) in str(refused.value)
    report.refresh_from_db()
    assert not report.is_issued
    for field, label in EXCEPTION_FIELDS:
        setattr(report, field, f"Written {label.lower()}.")
    report.save()
    assert rendering.report_issue(report=report, by=buyer)
    report.refresh_from_db()
    text = pdf_text(bytes(report.pdf), squeeze=True)
    first = text.index("Exception: forecast beyond tolerance")
    assert first < text.index("1. Recommendation")
    assert "Time: ‘Contract award’ is forecast 44 days late, beyond the time tolerance of ± 10 days." in text
    for _, label in EXCEPTION_FIELDS:
        assert f"{label} Written {label.lower()}." in text


def test_a_cost_forecast_under_by_more_than_the_tolerance_is_an_exception_too(project):
    project.cost_tolerance_percent = Decimal("12.5")
    project.save()
    report = draft(project, budget_allocated=Decimal("50000"), budget_revised=Decimal("30000"))
    assert services.live_snapshot(report)["exceptions"] == [
        {
            "area": "Cost",
            "words": "The forecast cost, £30,000, is 40.0% under the £50,000 allocated, beyond the cost tolerance of ± 12.5%.",
        }
    ]
    report.budget_revised = Decimal("44000")  # 12.0% under: within
    report.save()
    assert services.live_snapshot(report)["exceptions"] == []


def test_no_exception_without_tolerances(project):
    late_milestones(project)
    report = draft(project, budget_allocated=Decimal("10"), budget_revised=Decimal("100"))
    assert services.live_snapshot(report)["exceptions"] == []


def test_tolerances_out_of_range_are_refused_with_a_plain_message_and_nothing_saved(member_client, project):
    data = {
        "name": project.name,
        "slug": project.slug,
        "buying_type": project.buying_type,
        "stage": project.stage,
        "currency": project.currency,
        "rag_status": project.rag_status,
        "version": project.version,
    }
    edit = reverse("projects:edit", args=[project.slug])
    response = member_client.post(edit, {**data, "time_tolerance_days": "400", "cost_tolerance_percent": "-1"})
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 365." in response.text
    assert "Ensure this value is greater than or equal to 0." in response.text
    project.refresh_from_db()
    assert project.time_tolerance_days is None and project.cost_tolerance_percent is None
    assert (
        member_client.post(edit, {**data, "time_tolerance_days": "10", "cost_tolerance_percent": "7.5"}).status_code
        == 302
    )
    project.refresh_from_db()
    assert (project.time_tolerance_days, project.cost_tolerance_percent) == (10, Decimal("7.5"))
    assert "Time ± 10 days; cost ± 7.5 %" in member_client.get(project.get_absolute_url()).text


def test_an_issued_report_keeps_its_suggestion_when_the_plan_changes(project, buyer, member_client):
    late_milestones(project)
    project.time_tolerance_days = 60
    project.save()
    report = draft(project, rag_time="amber")
    assert rendering.report_issue(report=report, by=buyer)
    project.milestones.update(forecast_end=None)  # everything back on time
    page = member_client.get(url("report", project, report.number)).text
    assert "As the data suggest: 2 open milestones slipping" in page


# Budget carry-over and PRINCE2 content ---------------------------------------------------------


def test_budget_figures_and_next_period_carry_over_from_the_last_report(member_client, project, buyer):
    project.budget_allocated = Decimal("0")
    project.save()
    last = draft(
        project,
        budget_allocated=Decimal("50000"),
        budget_revised=Decimal("45000"),
        budget_spent=Decimal("20000"),
        next_period="Run the market day.",
    )
    assert rendering.report_issue(report=last, by=buyer)
    start = last.period_end + timedelta(days=1)
    report = services.report_create(project=project, period_start=start, period_end=start + timedelta(days=27))
    assert (report.budget_allocated, report.budget_revised, report.budget_spent) == (
        Decimal("50000"),
        Decimal("45000"),
        Decimal("20000"),
    )
    assert report.this_period == "Run the market day." and report.next_period == ""


def test_the_prince2_content_is_in_the_pdf_beside_the_seeds_ten_sections(project, buyer):
    report = draft(
        project,
        this_period="Market day held.",
        next_period="Shortlist suppliers.",
        decisions="Approve the shortlist criteria.",
        lessons="Book venues early.",
    )
    assert rendering.report_issue(report=report, by=buyer)
    report.refresh_from_db()
    text = pdf_text(bytes(report.pdf), squeeze=True)
    after_ten = text[text.index("10. Key risks and issues") :]
    for heading, body in [
        ("This period: work done and products completed", "Market day held."),
        ("Next period: work and products planned", "Shortlist suppliers."),
        ("Decisions needed from the board", "Approve the shortlist criteria."),
        ("Lessons", "Book venues early."),
    ]:
        assert f"{heading} {body}" in after_ten
