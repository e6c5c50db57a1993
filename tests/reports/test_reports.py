"""Highlight reports: the list, drafting with autosave, issuing and freezing, what changed."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Membership
from projects.reports import rendering, services
from projects.reports.milestones import KEY_MILESTONES
from projects.reports.models import HighlightReport
from projects.reports.snapshot import changes_between
from tests.factories import (
    make_activity,
    make_assignment,
    make_communication,
    make_issue,
    make_milestone,
    make_project,
    make_report,
    make_risk,
    make_stakeholder,
    make_user,
)

pytestmark = pytest.mark.django_db


def url(name, project, *args):
    return reverse(f"reports:{name}", args=[project.slug, *args])


def form_data(report, **overrides):
    data = {
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "report_date": report.report_date.isoformat(),
        "overall_rag": report.overall_rag,
        "version": report.version,
        "include_changes": "on",
    }
    for field, _ in services.RAG_FIELDS:
        data[field] = getattr(report, field)
    for field in services.TEXT_FIELDS:
        data[field] = getattr(report, field)
    for field in ("budget_allocated", "budget_revised", "budget_spent"):
        value = getattr(report, field)
        data[field] = "" if value is None else str(value)
    data.update(overrides)
    return data


# The list and new reports ------------------------------------------------------------------


def test_the_list_shows_each_report_with_its_state_and_a_new_report_form(member_client, project):
    make_report(project, number=1)
    response = member_client.get(url("reports", project))
    assert response.status_code == 200
    assert "Highlight report 1" in response.text
    assert "Draft" in response.text
    assert "Start report" in response.text


def test_a_new_report_is_prefilled_from_the_last_reports_text_and_the_live_plan(member_client, project):
    make_report(
        project,
        number=1,
        vision="Our vision, as agreed",
        period_end=date(2026, 3, 31),
        issued_at=datetime(2026, 4, 2, tzinfo=UTC),
    )
    make_milestone(project, name="Board agrees terms", baseline_start=date(2007, 9, 1), baseline_end=date(2007, 11, 30))
    make_milestone(
        project,
        name="Partner meeting",
        within_project=False,
        baseline_start=date(2007, 9, 1),
        baseline_end=date(2008, 3, 31),
    )
    project.budget_allocated, project.budget_revised = Decimal("50000"), Decimal("30000")
    project.save()
    response = member_client.post(url("reports", project), {"period_start": "2026-04-01", "period_end": "2026-04-30"})
    report = project.reports.get(number=2)
    assert response.status_code == 302 and response["Location"] == url("report", project, 2)
    assert report.vision == "Our vision, as agreed"
    assert "- Board agrees terms by November 2007." in report.milestones_within
    assert "- Partner meeting by March 2008." in report.milestones_outside
    assert (report.budget_allocated, report.budget_revised) == (Decimal("50000"), Decimal("30000"))


def test_the_new_report_form_suggests_the_period_after_the_last_report(member_client, project):
    make_report(project, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    response = member_client.get(url("reports", project))
    assert 'value="2026-04-01"' in response.text and 'value="2026-04-30"' in response.text


def test_a_period_ending_before_it_starts_is_refused_with_a_plain_message(member_client, project):
    response = member_client.post(url("reports", project), {"period_start": "2026-04-30", "period_end": "2026-04-01"})
    assert response.status_code == 200
    assert "The period cannot end before it starts." in response.text
    assert not project.reports.exists()


def test_viewers_see_reports_but_cannot_start_one(client_as, project):
    viewer = make_user()
    Membership.objects.create(project=project, user=viewer, role=Membership.Role.VIEWER)
    make_report(project)
    client = client_as(viewer)
    page = client.get(url("reports", project))
    assert page.status_code == 200 and "Start report" not in page.text
    assert (
        client.post(url("reports", project), {"period_start": "2026-04-01", "period_end": "2026-04-30"}).status_code
        == 403
    )
    assert project.reports.count() == 1


# The draft: sections, autosave, preview ----------------------------------------------------


def test_the_draft_preview_has_the_seed_sections_in_order(member_client, project):
    report = make_report(project)
    page = member_client.get(url("report", project, report.number)).text
    text = page[page.index('id="report-preview"') :]  # the editor's labels come first
    headings = [
        "1. Recommendation",
        "2. Project vision/objectives",
        "3. Summary progress and key highlights",
        "4. Timescales and key milestones",
        "4.1 Within project",
        "4.2 Outside project",
        "5. Deliverables/quick wins",
        "6. Financial update",
        "7. Member involvement",
        "8. Related projects / work streams",
        "9. Communications plan",
        "10. Key risks and issues",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    for label in ("Name of Project", "Project Sponsor", "Project Manager", "Period", "Overall status"):
        assert label in text
    for area in ("Time", "Cost", "Scope", "Quality", "Benefits", "Risk"):
        assert f'<th scope="row" class="rag-cell">{area}</th>' in text


def test_autosave_with_htmx_returns_the_preview_and_the_new_version(member_client, project):
    report = make_report(project)
    response = member_client.post(
        url("report", project, report.number),
        form_data(report, progress="Board convened"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="report-preview"')
    assert "Board convened" in response.text
    report.refresh_from_db()
    assert report.progress == "Board convened"
    assert f'name="version" value="{report.version}" id="id_version" hx-swap-oob="true"' in response.text


def test_a_save_without_javascript_redirects_back_to_the_report(member_client, project):
    report = make_report(project)
    response = member_client.post(url("report", project, report.number), form_data(report, deliverables="Register"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.deliverables == "Register"


def test_an_invalid_autosave_gets_the_form_back_with_status_200_and_changes_nothing(member_client, project):
    report = make_report(project)
    response = member_client.post(
        url("report", project, report.number),
        form_data(report, period_end="2026-01-01", progress="changed"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#report-form"
    assert "The period cannot end before it starts." in response.text
    report.refresh_from_db()
    assert report.progress != "changed"


def test_a_200_kb_field_is_refused_by_the_form_and_the_model(member_client, project):
    from django.core.exceptions import ValidationError

    report = make_report(project)
    response = member_client.post(url("report", project, report.number), form_data(report, progress="x" * 200_000))
    assert response.status_code == 200
    assert "Ensure this value has at most 10000 characters" in response.text
    report.refresh_from_db()
    assert report.progress == ""
    report.progress = "x" * 200_000
    with pytest.raises(ValidationError):
        report.full_clean()


def test_a_stale_autosave_shows_the_other_persons_values_and_keeps_theirs(member_client, project):
    report = make_report(project)
    stale = form_data(report, progress="mine")
    member_client.post(url("report", project, report.number), form_data(report, progress="theirs"))
    response = member_client.post(url("report", project, report.number), stale, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Someone else changed this" in response.text
    report.refresh_from_db()
    assert report.progress == "theirs"


def test_control_characters_and_markup_are_stripped_or_shown_as_text(member_client, project):
    report = make_report(project)
    member_client.post(
        url("report", project, report.number),
        form_data(report, progress="Pasted\x0bfrom Word <script>alert(1)</script> {{7*7}}"),
    )
    report.refresh_from_db()
    assert report.progress == "Pastedfrom Word <script>alert(1)</script> {{7*7}}"
    page = member_client.get(url("report", project, report.number)).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{7*7}}" in page
    assert "<script>alert(1)" not in page


def test_the_financial_section_states_the_change_in_the_allocation(member_client, project):
    report = make_report(
        project, budget_allocated=Decimal("50000"), budget_revised=Decimal("30000"), budget_spent=Decimal("0")
    )
    text = member_client.get(url("report", project, report.number)).text
    assert "The allocation is reduced from £50k to £30k" in text
    assert "£50,000" in text and "£30,000" in text


def test_risks_are_sorted_by_score_and_the_board_sees_only_the_top_ones(member_client, project):
    for i in range(services.TOP_RISKS + 3):
        make_risk(project, event=f"Event {i:02d}", likelihood=1 + i % 4, impact=1 + (i // 4) % 4)
    make_risk(project, event="Worst of all", likelihood=4, impact=4)
    report = make_report(project)
    data = services.report_data(report)
    scores = [r["score"] for r in data["top_risks"]]
    assert scores == sorted(scores, reverse=True) and scores[0] == 16
    assert len(data["top_risks"]) == services.TOP_RISKS
    assert len(data["all_risks"]) == services.TOP_RISKS + 4
    text = member_client.get(url("report", project, report.number)).text
    assert "Top risks by score (the full register is in Appendix A)" in text
    assert "Appendix A." in text


# Issuing -----------------------------------------------------------------------------------


def issue(client, project, report):
    return client.post(url("report-issue", project, report.number))


def test_issuing_freezes_the_snapshot_and_stores_the_pdf_with_its_sha256(member_client, project, buyer):
    import hashlib

    make_milestone(project, name="Board up and running")
    make_risk(project, event="Authorities will not collaborate", likelihood=1, impact=4)
    report = make_report(project)
    response = issue(member_client, project, report)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_issued and report.issued_by == buyer
    assert bytes(report.pdf).startswith(b"%PDF")
    assert report.pdf_sha256 == hashlib.sha256(bytes(report.pdf)).hexdigest()
    assert [m["name"] for m in report.snapshot["milestones"]] == ["Board up and running"]
    assert report.snapshot["risks"][0]["event"] == "Authorities will not collaborate"
    assert report.snapshot["risks"][0]["score"] == 4


def test_an_issued_report_never_changes_when_the_project_changes(member_client, project):
    milestone = make_milestone(project, name="Original milestone")
    risk = make_risk(project, event="Original risk", likelihood=2, impact=2)
    project.budget_allocated = Decimal("50000")
    project.save()
    report = make_report(project, budget_allocated=Decimal("50000"))
    issue(member_client, project, report)
    report.refresh_from_db()
    pdf_before, sha_before = bytes(report.pdf), report.pdf_sha256

    milestone.name = "Renamed milestone"
    milestone.save()
    risk.event, risk.likelihood = "Renamed risk", 4
    risk.save()
    make_milestone(project, name="Brand new milestone")
    project.budget_allocated = Decimal("99000")
    project.save()

    page = member_client.get(url("report", project, report.number)).text
    assert "Original milestone" in page and "Original risk" in page
    assert "Renamed" not in page and "Brand new milestone" not in page
    download = member_client.get(url("report-pdf", project, report.number))
    assert download.content == pdf_before
    assert download["ETag"] == f'"{sha_before}"'
    report.refresh_from_db()
    assert report.pdf_sha256 == sha_before


def test_an_issued_report_refuses_edits(member_client, project):
    report = make_report(project)
    issue(member_client, project, report)
    report.refresh_from_db()
    response = member_client.post(url("report", project, report.number), form_data(report, progress="late edit"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.progress != "late edit"
    page = member_client.get(url("report", project, report.number)).text
    assert 'id="report-form"' not in page
    assert "This report has been issued and is frozen" in page


def test_issuing_twice_issues_once_and_keeps_the_first_pdf(member_client, project, buyer):
    report = make_report(project)
    assert rendering.report_issue(report=report, by=buyer) is True
    report.refresh_from_db()
    first = (report.issued_at, report.pdf_sha256)
    assert rendering.report_issue(report=report, by=make_user()) is False
    response = issue(member_client, project, report)
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.issued_at, report.pdf_sha256) == first
    assert report.issued_by == buyer


@pytest.mark.parametrize("role", [Membership.Role.OFFICER, Membership.Role.CONTRIBUTOR, Membership.Role.VIEWER])
def test_only_the_buyer_or_project_manager_may_issue(client_as, project, role):
    person = make_user()
    Membership.objects.create(project=project, user=person, role=role)
    report = make_report(project)
    assert client_as(person).post(url("report-issue", project, report.number)).status_code == 403
    report.refresh_from_db()
    assert not report.is_issued


def test_a_project_manager_may_issue(client_as, project):
    manager = make_user()
    Membership.objects.create(project=project, user=manager, role=Membership.Role.MANAGER)
    report = make_report(project)
    assert client_as(manager).post(url("report-issue", project, report.number)).status_code == 302
    report.refresh_from_db()
    assert report.is_issued and report.issued_by == manager


def test_a_newer_issued_report_supersedes_the_older_one(member_client, project):
    first = make_report(project, number=1)
    issue(member_client, project, first)
    second = make_report(project, number=2)
    issue(member_client, project, second)
    page = member_client.get(url("report", project, 1)).text
    assert "It is superseded by" in page and url("report", project, 2) in page


def test_an_older_draft_cannot_be_issued_once_a_later_report_is(member_client, project, buyer):
    make_risk(project, event="Capacity gaps")
    fourth = make_report(project, number=4)
    assert rendering.report_issue(report=fourth, by=buyer) is True
    # A draft older than an issued report: left from before one draft at a time was the rule.
    third = make_report(project, number=3)
    response = issue(member_client, project, third)
    assert response.status_code == 302 and response["Location"] == url("report", project, 3)
    page = member_client.get(response["Location"]).text
    assert "Report 4 is already issued, so this older draft can no longer be issued." in page
    assert "Issue report 3" not in page  # the button gives way to the explanation
    third.refresh_from_db()
    assert not third.is_issued and third.snapshot == {} and third.version == 1
    with pytest.raises(services.IssueRefused):
        rendering.report_issue(report=third, by=buyer)
    # Report 4 compares with no earlier report and is superseded by none.
    fourth_page = member_client.get(url("report", project, 4)).text
    assert "It is superseded by" not in fourth_page
    assert fourth.snapshot["previous"] is None


def test_admin_refuses_to_delete_an_issued_report_but_deletes_a_draft(admin_client, project, buyer):
    issued = make_report(project, number=1)
    rendering.report_issue(report=issued, by=buyer)
    draft = make_report(project, number=2)
    delete = reverse("admin:reports_highlightreport_delete", args=[issued.pk])
    assert admin_client.get(delete).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:reports_highlightreport_changelist")
    admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [issued.pk, draft.pk], "post": "yes"}
    )
    assert HighlightReport.objects.filter(pk=issued.pk).exists()
    response = admin_client.post(reverse("admin:reports_highlightreport_delete", args=[draft.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert list(project.reports.values_list("number", flat=True)) == [1]


def test_another_projects_report_number_is_a_404(member_client, project):
    other = make_project(members={make_user(): Membership.Role.BUYER})
    make_report(other, number=7)
    assert member_client.get(url("report", project, 7)).status_code == 404
    assert member_client.get(url("report-pdf", project, 7)).status_code == 404
    assert member_client.post(url("report-issue", project, 7)).status_code == 404


def test_get_on_the_issue_endpoint_is_not_allowed(member_client, project):
    report = make_report(project)
    assert member_client.get(url("report-issue", project, report.number)).status_code == 405
    report.refresh_from_db()
    assert not report.is_issued


# What changed since the last report --------------------------------------------------------


def test_the_draft_shows_new_closed_and_rescored_risks_and_slipped_milestones(member_client, project, buyer):
    kept = make_risk(project, event="Capacity gaps", likelihood=2, impact=2)
    closing = make_risk(project, event="Leadership missing", likelihood=2, impact=4)
    slipping = make_milestone(
        project,
        name="Roadmap produced",
        baseline_start=date(2008, 1, 1),
        baseline_end=date(2008, 4, 30),
        forecast_end=date(2008, 4, 30),
    )
    first = make_report(project, number=1)
    rendering.report_issue(report=first, by=buyer)

    kept.likelihood = 3
    kept.save()
    closing.status = "closed"
    closing.save()
    make_risk(project, event="Supplier market thin", likelihood=3, impact=3)
    slipping.forecast_end = date(2008, 6, 30)
    slipping.save()
    second = make_report(project, number=2)

    changes = services.report_data(second)["changes"]
    assert [r["event"] for r in changes["new"]] == ["Supplier market thin"]
    assert [r["event"] for r in changes["closed"]] == ["Leadership missing"]
    assert [(r["event"], r["old_score"], r["score"]) for r in changes["rescored"]] == [("Capacity gaps", 4, 6)]
    assert [(m["name"], m["days"], m["direction"]) for m in changes["moved"]] == [("Roadmap produced", 61, "later")]
    page = member_client.get(url("report", project, 2)).text
    assert "What changed since report 1" in page
    assert "Re-scored risk" in page and "LxI 4 to 6" in page
    assert "Slipped milestone: Roadmap produced" in page


def test_what_changed_can_be_left_out_of_the_report(member_client, project, buyer):
    rendering.report_issue(report=make_report(project, number=1), by=buyer)
    second = make_report(project, number=2, include_changes=False)
    data = services.report_data(second)
    assert data["changes"] is not None and data["show_changes"] is False


def test_the_board_sees_the_milestones_of_the_period_and_the_rest_are_counted_and_in_an_appendix(
    member_client, project
):
    # The report covers March 2026.
    make_milestone(
        project, name="Met this month", baseline_end=date(2026, 3, 10), actual_end=date(2026, 3, 12), status="met"
    )
    make_milestone(
        project,
        name="Met last year",
        baseline_start=date(2025, 1, 1),
        baseline_end=date(2025, 3, 10),
        actual_end=date(2025, 3, 10),
        status="met",
    )
    make_milestone(project, name="Due this month", baseline_end=date(2026, 3, 20))
    make_milestone(project, name="Overdue", baseline_start=date(2026, 1, 1), baseline_end=date(2026, 1, 20))
    make_milestone(
        project,
        name="Slipping next year",
        baseline_start=date(2027, 1, 1),
        baseline_end=date(2027, 6, 1),
        forecast_end=date(2027, 8, 1),
    )
    for year in range(2030, 2039):
        make_milestone(
            project, name=f"Far off in {year}", baseline_start=date(year, 1, 1), baseline_end=date(year, 6, 1)
        )
    report = make_report(project, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    data = services.report_data(report)
    assert [m["name"] for m in data["milestones_within"]] == [  # in the plan's order
        "Overdue",
        "Met this month",
        "Due this month",
        "Slipping next year",
    ]
    assert data["more_within"] == 10 and len(data["all_milestones_within"]) == 14
    page = member_client.get(url("report", project, report.number)).text
    preview = page[page.index('id="report-preview"') :]
    body, appendix = preview.split("Appendix A. All milestones")
    assert "And 10 more milestones in Appendix A." in body
    assert "Far off in 2030" not in body and "Met last year" not in body
    assert all(f"Far off in {year}" in appendix for year in range(2030, 2039)) and "Met last year" in appendix


def test_a_new_reports_milestone_text_lists_the_key_milestones_and_counts_the_rest(project):
    for i in range(KEY_MILESTONES + 5):
        make_milestone(project, name=f"Step {i:02d}", baseline_end=date(2026, 3, 1) + timedelta(days=6 * i))
    report = services.report_create(project=project, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    lines = report.milestones_within.splitlines()
    assert lines[0] == "- Step 00 by March 2026."
    assert len(lines) == KEY_MILESTONES + 1 and "- Step 14 by May 2026." not in lines
    assert lines[-1] == "- 5 more milestones: see the appendix."


def test_changes_between_two_snapshots_without_a_previous_report_is_none():
    assert changes_between(None, {"risks": [], "milestones": []}) is None


# Older snapshots and the RAG grid ------------------------------------------------------------


def test_a_report_issued_before_snapshots_kept_the_gantt_and_raci_says_so(member_client, project, buyer):
    make_milestone(project, name="Plan only")
    report = make_report(project)
    rendering.report_issue(report=report, by=buyer)
    report.refresh_from_db()
    older = {
        **report.snapshot,
        "milestones": [{k: v for k, v in m.items() if k != "gantt"} for m in report.snapshot["milestones"]],
    }
    del older["raci"]
    HighlightReport.objects.filter(pk=report.pk).update(snapshot=older)
    text = member_client.get(url("report", project, report.number)).text
    assert "Plan only" in text
    assert "This report's snapshot has no Gantt chart" in text
    assert "Roles and responsibilities (RACI)" in text
    assert "Not recorded: this report was issued before reports kept the RACI matrix." in text


def test_the_rag_grid_compares_this_period_with_the_last_issued_report(project, buyer):
    rendering.report_issue(report=make_report(project, number=1, rag_time="red"), by=buyer)
    second = make_report(project, number=2, rag_time="green")
    grid = {row["label"]: (row["now"], row["last"]) for row in services.report_data(second)["rag_grid"]}
    assert grid["Time"] == ("green", "red")
    assert grid["Cost"] == ("green", "green")


# Rendering progress ------------------------------------------------------------------------


def test_the_status_endpoint_polls_while_the_pdf_task_is_waiting(member_client, project):
    report = make_report(project)
    HighlightReport.objects.filter(pk=report.pk).update(render_state="queued")
    response = member_client.get(url("report-status", project, report.number), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in response.text
    assert "waiting for a worker" in response.text
    HighlightReport.objects.filter(pk=report.pk).update(render_state="done")
    response = member_client.get(url("report-status", project, report.number), headers={"HX-Request": "true"})
    assert "every 1s" not in response.text and "Download the draft PDF" in response.text


def test_a_failed_rendering_is_reported_and_can_be_tried_again(member_client, project, monkeypatch):
    from projects.reports import pdf

    def broken(html):
        raise pdf.ReportRenderError("Rendering took longer than the 1 s limit.")

    monkeypatch.setattr(pdf, "html_to_pdf_bytes", broken)
    report = make_report(project)
    response = member_client.get(url("report-pdf", project, report.number))
    assert response.status_code == 200
    assert "The PDF could not be made: Rendering took longer than the 1 s limit." in response.text
    assert "Try again" in response.text
    monkeypatch.undo()
    response = member_client.post(url("report-render", project, report.number))
    assert response.status_code == 302
    assert member_client.get(response["Location"])["Content-Type"] == "application/pdf"


def test_a_bug_in_rendering_marks_the_report_failed_and_fails_the_task_with_its_traceback(project, monkeypatch):
    from django.tasks import TaskResultStatus

    from projects.reports import pdf
    from projects.reports.tasks import render_report_pdf

    def buggy(html):
        raise KeyError("no such thing")

    monkeypatch.setattr(pdf, "html_to_pdf_bytes", buggy)
    report = make_report(project)
    result = render_report_pdf.enqueue(report.pk)
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "builtins.KeyError"
    assert "no such thing" in result.errors[0].traceback
    report.refresh_from_db()
    assert report.render_state == HighlightReport.RenderState.FAILED
    assert report.render_error == "Rendering failed (KeyError)."


def test_a_draft_pdf_is_served_again_without_rendering_while_nothing_changed(member_client, project, monkeypatch):
    report = make_report(project)
    first = member_client.get(url("report-pdf", project, report.number))
    assert first["Content-Type"] == "application/pdf"
    from projects.reports import pdf

    monkeypatch.setattr(pdf, "html_to_pdf_bytes", lambda html: pytest.fail("rendered again"))
    again = member_client.get(url("report-pdf", project, report.number))
    assert again.content == first.content


# Dashboard ---------------------------------------------------------------------------------


def test_the_dashboard_panel_shows_the_latest_issued_report_and_the_draft(member_client, project, buyer):
    rendering.report_issue(report=make_report(project, number=1), by=buyer)
    make_report(project, number=2)
    text = member_client.get(reverse("projects:detail", args=[project.slug])).text
    assert "Latest issued:" in text and "report 1" in text
    assert "Draft in progress:" in text and "report 2" in text


# Query counts --------------------------------------------------------------------------------


def populate(project, n):
    people = [make_stakeholder(project, name=f"Person {i}") for i in range(3)]
    for i in range(n):
        make_milestone(project, name=f"M{i}", owner=people[i % 3], within_project=i % 3 != 0)
        make_risk(project, event=f"Risk {i}", likelihood=1 + i % 4, impact=1 + (i // 2) % 4, owner=people[i % 3])
        item = make_communication(project, audience_group=f"Group {i}", owner=people[i % 3])
        item.audience.add(*people)
        make_assignment(make_activity(project, name=f"Activity {i}"), people[i % 3], "AR")
        make_issue(project, title=f"Issue {i}", owner=people[i % 3])


@pytest.mark.parametrize("rows", [3, 30])
def test_building_a_report_takes_the_same_queries_for_3_or_30_rows(project, rows, django_assert_max_num_queries):
    from projects.reports.pdf import report_html

    populate(project, rows)
    report = make_report(project)
    report = HighlightReport.objects.select_related("project").get(pk=report.pk)
    # the current baseline, the latest baseline of each milestone, milestones+owners, their
    # dependencies, risks+owners, risk settings, issues+owners, communications+owners, their
    # audience, the previous issued report, RACI stakeholders, activities and assignments; the
    # rest is templates.
    with django_assert_max_num_queries(13):
        html = report_html(report)
    assert f"Risk {rows - 1}" in html and f"<td>Activity {rows - 1}</td>" in html
    assert f"<td>Issue {rows - 1}</td>" in html


@pytest.mark.parametrize("reports", [2, 20])
def test_the_report_list_and_dashboard_panel_stay_flat(
    member_client, project, buyer, reports, django_assert_max_num_queries
):
    for n in range(1, reports + 1):
        make_report(project, number=n, issued_at=datetime(2026, 1, 1, tzinfo=UTC), issued_by=buyer)
    # session, user, project, membership, reports with issuers
    with django_assert_max_num_queries(6):
        assert member_client.get(url("reports", project)).status_code == 200
    from django.test import RequestFactory

    from projects.reports.dashboard import dashboard_panel

    request = RequestFactory().get("/")
    request.user = buyer
    project.role = Membership.Role.BUYER
    with django_assert_max_num_queries(1):
        assert "Latest issued" in dashboard_panel(request, project)


def test_risks_with_equal_scores_are_listed_r2_before_r10():
    from projects.reports.snapshot import sort_risks

    rows = [{"reference": ref, "closed": False, "score": 6, "impact": 3} for ref in ("R10", "R2", "R1")]
    assert [r["reference"] for r in sort_risks(rows)] == ["R1", "R2", "R10"]


def test_a_report_on_a_project_not_assessed_yet_says_not_assessed(member_client, project):
    assert project.rag_status == "not_assessed"
    report = services.report_create(project=project, period_start=date(2026, 1, 1), period_end=date(2026, 1, 31))
    assert report.overall_rag == "not_assessed"
    page = member_client.get(url("report", project, report.number)).text
    assert '<span class="rag rag-none">Not assessed</span>' in page
