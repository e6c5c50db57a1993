"""Baselines: "Set baseline" records every milestone's planned dates; once baselined, a
milestone's baseline dates change only by setting a new baseline; the Gantt and plan.pdf
compare with any baseline."""

import re
from datetime import date

import pytest
from django.urls import reverse

from projects.models import Membership
from projects.plan import baselines
from projects.plan.gantt import gantt_svg, items_for
from projects.plan.models import Baseline, BaselineEntry, Milestone
from tests.factories import make_membership, make_milestone, make_user
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db


def url(project, name="plan:plan", *args):
    return reverse(name, args=[project.slug, *args])


def set_baseline(client, project, name="Agreed plan", reason="Approved by the board"):
    return client.post(url(project, "plan:baseline-set"), {"name": name, "reason": reason})


def edit_data(milestone, **fields):
    return {
        "name": milestone.name,
        "kind": milestone.kind,
        "within_project": "on",
        "status": milestone.status,
        "baseline_start": milestone.baseline_start.isoformat() if milestone.baseline_start else "",
        "baseline_end": milestone.baseline_end.isoformat() if milestone.baseline_end else "",
        "forecast_end": milestone.forecast_end.isoformat() if milestone.forecast_end else "",
        "version": milestone.version,
        **fields,
    }


# The service --------------------------------------------------------------------------------


def test_setting_a_baseline_records_every_milestones_planned_dates_and_makes_them_current(project, buyer):
    on_time = make_milestone(project, name="Survey", baseline_start=date(2026, 2, 1), baseline_end=date(2026, 3, 1))
    late = make_milestone(
        project, name="Tender", baseline_start=date(2026, 3, 1), baseline_end=date(2026, 4, 1), forecast_end=None
    )
    first = baselines.baseline_set(project=project, by=buyer, name="Agreed plan", reason="Board approval")
    assert first.number == 1
    assert {(e.name, e.start, e.end) for e in first.entries.all()} == {
        ("Survey", date(2026, 2, 1), date(2026, 3, 1)),
        ("Tender", date(2026, 3, 1), date(2026, 4, 1)),
    }
    late.refresh_from_db()
    version = late.version
    late.forecast_end = date(2026, 5, 15)  # the funding slipped
    late.save()
    assert late.slip_days == 44
    second = baselines.baseline_set(project=project, by=buyer, name="Re-plan after funding", reason="Funding late")
    assert second.number == 2
    late.refresh_from_db()
    on_time.refresh_from_db()
    # The new baseline takes the forecast end as planned; the current-baseline columns follow.
    assert (late.baseline_start, late.baseline_end, late.slip_days) == (date(2026, 3, 1), date(2026, 5, 15), 0)
    assert late.version == version + 1  # an edit form opened before it is a conflict, not an overwrite
    assert on_time.baseline_end == date(2026, 3, 1)
    # Baseline 1 still says what was planned then.
    assert BaselineEntry.objects.get(baseline=first, milestone=late).end == date(2026, 4, 1)
    assert late.history.first().baseline_end == date(2026, 5, 15)


def test_a_deleted_milestone_stays_in_its_baseline_by_name(project, buyer):
    gone = make_milestone(project, name="Market warming day")
    baseline = baselines.baseline_set(project=project, by=buyer, name="Agreed plan", reason="Board approval")
    gone.delete()
    entry = baseline.entries.get()
    assert (entry.milestone, entry.name, entry.end) == (None, "Market warming day", date(2026, 3, 1))


def test_re_baselining_shows_on_the_projects_history_page(member_client, project):
    make_milestone(project, name="Survey", forecast_end=date(2026, 3, 20))
    set_baseline(member_client, project, name="Re-plan after funding", reason="Funding arrived in May")
    page = member_client.get(reverse("projects:history", args=[project.slug])).text
    assert '<strong>Bea Buyer</strong> added baseline “<span class="wrap">Re-plan after funding</span>”' in page
    assert 'changed milestone “<span class="wrap">Survey</span>”' in page  # its baseline end moved


# The view -----------------------------------------------------------------------------------


def test_set_baseline_on_the_plan_page_says_what_it_records(member_client, project):
    page = member_client.get(url(project)).text
    assert "Set baseline 1" in page
    assert "records every milestone's current planned dates" in page
    assert 'action="' + url(project, "plan:baseline-set") + '"' in page


def test_a_member_who_may_edit_sets_a_baseline(member_client, project, buyer):
    make_milestone(project, name="Survey")
    make_milestone(project, name="Tender")
    response = set_baseline(member_client, project, name="Agreed plan", reason="Approved by the board on 3 Nov")
    assert response.status_code == 302 and response["Location"] == url(project)
    baseline = Baseline.objects.get(project=project)
    assert (baseline.number, baseline.name, baseline.set_by) == (1, "Agreed plan", buyer)
    assert baseline.entries.count() == 2
    page = member_client.get(response["Location"]).text
    assert "Set baseline 1 “Agreed plan”: the planned dates of 2 milestones are recorded" in page
    assert "Compared with baseline 1 “Agreed plan”" in page and "Set baseline 2" in page


def test_a_baseline_needs_a_name_and_a_reason_and_nothing_is_recorded_without(member_client, project):
    make_milestone(project, name="Survey")
    response = set_baseline(member_client, project, name="Agreed plan", reason="   ")
    assert response.status_code == 400
    assert "Say why the plan is baselined now." in response.text
    assert not Baseline.objects.exists() and not BaselineEntry.objects.exists()


def test_a_read_only_member_cannot_set_a_baseline_and_nothing_is_written(project, client_as):
    viewer = make_user("viewer-vic")
    make_membership(project, viewer, Membership.Role.VIEWER)
    milestone = make_milestone(project, forecast_end=date(2026, 4, 1))
    assert "Set baseline" not in client_as(viewer).get(url(project)).text
    assert set_baseline(client_as(viewer), project).status_code == 403
    assert not Baseline.objects.exists()
    milestone.refresh_from_db()
    assert milestone.baseline_end == date(2026, 3, 1) and milestone.version == 1


def test_a_stranger_gets_404_from_set_baseline(project, client_as):
    make_milestone(project)
    assert set_baseline(client_as(make_user("stranger-sam")), project).status_code == 404
    assert not Baseline.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_setting_baselines_in_turn_numbers_them_and_writes_all_or_nothing(project, buyer, member_client):
    """Runs on PostgreSQL in CI (the project row lock, the unique number)."""
    make_milestone(project, name="Survey", forecast_end=date(2026, 3, 20))
    make_milestone(project, name="Tender")
    assert set_baseline(member_client, project, name="One").status_code == 302
    assert set_baseline(member_client, project, name="Two").status_code == 302
    assert list(project.baselines.values_list("number", "name")) == [(1, "One"), (2, "Two")]
    assert BaselineEntry.objects.filter(baseline__project=project).count() == 4
    assert project.milestones.get(name="Survey").baseline_end == date(2026, 3, 20)
    # A refused write (no reason) leaves neither a baseline nor an entry behind.
    assert set_baseline(member_client, project, name="Three", reason="").status_code == 400
    assert project.baselines.count() == 2 and BaselineEntry.objects.count() == 4


# Baseline dates are not fields once baselined --------------------------------------------------


def test_a_forged_post_of_a_baselined_milestones_baseline_dates_changes_nothing_but_the_rest(
    member_client, project, buyer
):
    milestone = make_milestone(project, name="Tender", baseline_start=date(2026, 3, 1), baseline_end=date(2026, 4, 1))
    baselines.baseline_set(project=project, by=buyer, name="Re-plan after funding", reason="Funding late")
    milestone.refresh_from_db()
    form = member_client.get(url(project, "plan:milestone-edit", milestone.pk)).text
    assert "Baseline 1, “Re-plan after funding”, set " in form and "to change, set a new baseline" in form
    assert 'name="baseline_end"' in form and "disabled" in form[form.index('name="baseline_end"') - 200 :][:400]
    response = member_client.post(
        url(project, "plan:milestone-edit", milestone.pk),
        edit_data(milestone, baseline_start="2026-03-01", baseline_end="2026-05-15", forecast_end="2026-05-15"),
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.baseline_end == date(2026, 4, 1)  # the forged baseline end is ignored
    assert milestone.forecast_end == date(2026, 5, 15)  # the forecast is an ordinary field
    assert milestone.slip_days == 44


def test_a_milestone_not_yet_baselined_keeps_editable_planned_dates_and_says_so(member_client, project, buyer):
    make_milestone(project, name="Survey")
    baselines.baseline_set(project=project, by=buyer, name="Agreed plan", reason="Board approval")
    added = make_milestone(project, name="Added later", baseline_end=date(2026, 6, 1))
    page = member_client.get(url(project)).text
    row = page[page.index(f'id="milestone-{added.pk}"') :][:3000]
    assert "not yet baselined" in row
    form = member_client.get(url(project, "plan:milestone-edit", added.pk)).text
    assert "Not yet baselined" in form
    response = member_client.post(
        url(project, "plan:milestone-edit", added.pk), edit_data(added, baseline_end="2026-07-01")
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.baseline_end == date(2026, 7, 1)


def test_admin_shows_a_baselined_milestones_baseline_dates_read_only(client, project, buyer):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-123456")
    client.force_login(root)
    baselined = make_milestone(project, name="Baselined")
    baselines.baseline_set(project=project, by=buyer, name="Agreed plan", reason="Board approval")
    fresh = make_milestone(project, name="Fresh")
    page = client.get(reverse("admin:plan_milestone_change", args=[baselined.pk])).text
    assert 'name="baseline_end"' not in page and "1 Mar 2026" in page or "March 1, 2026" in page
    assert 'name="baseline_end"' in client.get(reverse("admin:plan_milestone_change", args=[fresh.pk])).text


# Comparing with a baseline ----------------------------------------------------------------------


@pytest.fixture
def two_baselines(project, buyer):
    """Baseline 1 ends Tender on 1 Apr; it slips to 15 May, is re-planned (baseline 2), then
    slips again to 25 May."""
    tender = make_milestone(project, name="Tender", baseline_start=date(2026, 3, 1), baseline_end=date(2026, 4, 1))
    baselines.baseline_set(project=project, by=buyer, name="Agreed plan", reason="Board approval")
    tender.refresh_from_db()
    tender.forecast_end = date(2026, 5, 15)
    tender.save()
    baselines.baseline_set(project=project, by=buyer, name="Re-plan after funding", reason="Funding late")
    tender.refresh_from_db()
    tender.forecast_end = date(2026, 5, 25)
    tender.save()
    return tender


def test_the_gantt_compares_with_the_latest_baseline_or_the_one_chosen(member_client, project, two_baselines):
    page = member_client.get(url(project)).text
    assert "Compared with baseline 2 “Re-plan after funding”, set " in page and "by Bea Buyer" in page
    assert "Tender</span>: 10 days late" in page
    assert '<select class="form-select form-select-sm" id="baseline-choice" name="baseline">' in page
    first = member_client.get(url(project) + "?baseline=1").text
    assert "Compared with baseline 1 “Agreed plan”" in first
    assert "Set baseline 3</h3>" in first  # the next after the latest, whichever is compared with
    assert "Tender</span>: 54 days late" in first
    panel = member_client.get(url(project, "plan:plan-gantt") + "?baseline=1").text
    assert "54 days late" in panel


def test_a_baseline_that_does_not_exist_is_404(member_client, project, two_baselines):
    for number in ("3", "0", "x"):
        assert member_client.get(url(project) + f"?baseline={number}").status_code == 404
        assert member_client.get(url(project, "plan:plan-pdf") + f"?baseline={number}").status_code == 404


def test_plan_pdf_says_which_baseline_it_compares_with(member_client, project, two_baselines):
    latest = pdf_text(member_client.get(url(project, "plan:plan-pdf")).content, squeeze=True)
    assert "Compared with baseline 2 “Re-plan after funding”" in latest and "10 days late" in latest
    first = pdf_text(member_client.get(url(project, "plan:plan-pdf") + "?baseline=1").content, squeeze=True)
    assert "Compared with baseline 1 “Agreed plan”" in first and "54 days late" in first


def test_without_a_baseline_the_page_says_slip_is_against_editable_planned_dates(member_client, project):
    make_milestone(project)
    assert "No baseline set yet" in member_client.get(url(project)).text


def test_a_milestone_added_after_the_baseline_compared_with_is_marked_in_the_table(project, buyer, two_baselines):
    added = make_milestone(project, name="Added later")
    entries = baselines.with_entries(baselines.chosen(project, "1"))
    items = {i.id: i for i in items_for(project.milestones.prefetch_related("depends_on"), entries)}
    assert items[added.pk].in_baseline is False and items[two_baselines.pk].baseline_end == date(2026, 4, 1)


# Dependencies that contradict the plan ----------------------------------------------------------


def test_a_milestone_waiting_for_one_due_after_it_starts_is_flagged_in_words_in_the_gantt_and_pdf(
    member_client, project
):
    survey = make_milestone(
        project,
        name="Survey",
        baseline_start=date(2026, 2, 1),
        baseline_end=date(2026, 3, 1),
        forecast_end=date(2026, 3, 12),
    )
    tender = make_milestone(project, name="Tender", baseline_start=date(2026, 3, 10), baseline_end=date(2026, 4, 1))
    tender.depends_on.add(survey)
    svg = gantt_svg(items_for(project.milestones.prefetch_related("depends_on")), today=date(2026, 2, 1))
    flag = re.findall(r'<text x="8" y="[\d.]+" fill="#8a4b00" font-size="10">([^<]*)</text>', svg)
    assert " ".join(flag) == "⚠ waits for “Survey”, due 12 Mar 2026, after this starts"
    page = member_client.get(url(project)).text
    assert "<strong>⚠ waits for “Survey”, due 12 Mar 2026, after this starts</strong>" in page  # the table
    text = pdf_text(member_client.get(url(project, "plan:plan-pdf")).content, squeeze=True)
    assert "1 milestone waits for one due after it starts" in text
    assert "waits for “Survey”, due 12 Mar 2026" in text
    survey.forecast_end = date(2026, 3, 10)  # back on track
    survey.save()
    assert "waits for" not in gantt_svg(items_for(project.milestones.prefetch_related("depends_on")))


# Slip: one rule ---------------------------------------------------------------------------------


def test_only_open_milestones_count_as_slipping_on_the_dashboard_with_the_worst_named(project, buyer):
    from django.test import RequestFactory

    from projects.plan.dashboard import dashboard_panel

    make_milestone(
        project,
        name="Met late",
        baseline_end=date(2026, 3, 1),
        actual_end=date(2026, 6, 1),
        status=Milestone.Status.MET,
    )
    make_milestone(project, name="Late roadmap", baseline_end=date(2026, 3, 1), forecast_end=date(2026, 3, 13))
    make_milestone(project, name="Very late", baseline_end=date(2026, 3, 1), forecast_end=date(2026, 4, 14))
    request = RequestFactory().get("/")
    request.user = buyer
    html = dashboard_panel(request, project)
    assert "slipping milestones (2)" in html and "Met late" not in html
    assert "2 open milestones slipping; the worst, “Very late”, is 44 days late." in html
    assert [m.name for m in Milestone.objects.slipping_open()] == ["Late roadmap", "Very late"]


def test_the_plan_page_and_pdf_count_only_open_milestones_as_slipping(member_client, project):
    make_milestone(
        project,
        name="Met late",
        baseline_end=date(2026, 3, 1),
        actual_end=date(2026, 6, 1),
        status=Milestone.Status.MET,
    )
    make_milestone(project, name="Very late", baseline_end=date(2026, 3, 1), forecast_end=date(2026, 4, 14))
    page = member_client.get(url(project)).text
    assert "1 milestone slipping past its baseline" in page
    text = pdf_text(member_client.get(url(project, "plan:plan-pdf")).content, squeeze=True)
    assert "2 milestones, 1 slipping past its baseline." in text


# The spreadsheet import ---------------------------------------------------------------------------


def test_an_import_that_moves_a_baselined_milestones_baseline_date_is_a_problem_row_and_saves_nothing(
    member_client, project, buyer
):
    from tests.exchange.test_import_views import upload
    from tests.spreadsheets.conftest import workbook_bytes

    tender = make_milestone(project, name="Tender", baseline_start=date(2026, 3, 1), baseline_end=date(2026, 4, 1))
    baselines.baseline_set(project=project, by=buyer, name="Agreed plan", reason="Board approval")
    make_milestone(project, name="Added later", baseline_end=date(2026, 6, 1))
    rows = [
        ["Milestone", "Baseline start", "Baseline end", "Forecast end"],
        ["Tender", "2026-03-01", "2026-05-15", "2026-05-15"],
        ["Added later", "2026-05-01", "2026-07-01", ""],
    ]
    preview_url = upload(member_client, project, "milestones", workbook_bytes(("Plan", rows)))["Location"]
    page = member_client.get(preview_url).text
    assert (
        "sheet “Plan”, row 2, column C: “Tender” is baselined, so its baseline end stays 1 Apr 2026; "
        "the file says 15 May 2026." in page
    )
    assert "row 3" not in page  # a milestone not yet baselined takes the file's planned dates
    assert 'name="confirm"' not in page
    assert "Nothing was imported" in member_client.post(preview_url, {"confirm": "1"}).text
    tender.refresh_from_db()
    assert (tender.baseline_end, tender.forecast_end) == (date(2026, 4, 1), None)
    # The same baseline dates (or none) with a new forecast import cleanly.
    rows[1] = ["Tender", "2026-03-01", "2026-04-01", "2026-05-15"]
    preview_url = upload(member_client, project, "milestones", workbook_bytes(("Plan", rows)))["Location"]
    assert member_client.post(preview_url, {"confirm": "1"}).status_code == 302
    tender.refresh_from_db()
    assert (tender.baseline_end, tender.forecast_end) == (date(2026, 4, 1), date(2026, 5, 15))
    assert project.milestones.get(name="Added later").baseline_end == date(2026, 7, 1)
