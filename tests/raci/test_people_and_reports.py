import subprocess

import pytest
from django.template.loader import render_to_string

from mobilise.pdf import html_to_pdf
from projects.demo import build_bucks, build_large, demo_users
from projects.plan import demo as plan_demo
from raci import demo, pdf_section, report_context
from raci.dashboard import dashboard_panel
from raci.rules import problems, readiness
from raci.summary import by_person
from tests.factories import make_activity, make_assignment, make_raci, make_stakeholder

pytestmark = pytest.mark.django_db


def test_the_summary_per_person_lists_what_each_is_accountable_responsible_consulted_and_informed_on(project):
    ann = make_stakeholder(project, name="Ann", position=0)
    bob = make_stakeholder(project, name="Bob", position=1)
    quiet = make_stakeholder(project, name="Quiet", position=2)
    case = make_activity(project, name="Approve the business case", position=0)
    award = make_activity(project, name="Contract award", position=1)
    make_assignment(case, ann, "AR")
    make_assignment(award, ann, "C")
    make_assignment(case, bob, "I")
    make_assignment(award, bob, "AR")
    summary = by_person(project)
    assert [entry.stakeholder for entry in summary] == [ann, bob, quiet]
    person, accountable, responsible, consulted, informed = summary[0]
    assert person == ann
    assert [a.name for a in accountable] == ["Approve the business case"]
    assert [a.name for a in responsible] == ["Approve the business case"]
    assert [a.name for a in consulted] == ["Contract award"]
    assert informed == []
    assert [a.name for a in summary[1].informed] == ["Approve the business case"]
    assert summary[2].has_any is False


def test_the_summary_per_person_stays_at_three_queries(project, django_assert_num_queries):
    make_raci(project, activities=40, people=30)
    with django_assert_num_queries(3):
        summary = by_person(project)
    assert len(summary) == 30 and len(summary[0].accountable) == 40


def test_the_report_section_lists_each_activity_with_its_people(project):
    ann = make_stakeholder(project, name="Ann <b>Officer</b>", position=0)
    row = make_activity(project, name="Evaluation")
    make_assignment(row, ann, "R")
    html = pdf_section(project)
    assert "<h2>Roles and responsibilities (RACI)</h2>" in html
    assert "<td>Evaluation</td>" in html and "Ann &lt;b&gt;Officer&lt;/b&gt;" in html
    assert "No one is accountable for “Evaluation”" in html
    assert report_context(project)["raci_ready"] is False


def test_the_report_section_of_an_empty_matrix_says_so(project):
    assert "The RACI matrix has no activities yet" in pdf_section(project)


def test_the_report_section_breaks_across_pdf_pages_repeating_its_header(project, tmp_path, django_assert_num_queries):
    rows, people = make_raci(project, activities=80, people=6)
    with django_assert_num_queries(3):
        context = report_context(project)
    html = render_to_string("pdf_base.html", {"project": project}).replace(
        "</body>", render_to_string("raci/_report_section.html", context) + "</body>"
    )
    path = tmp_path / "raci.pdf"
    path.write_bytes(html_to_pdf(html))
    pages = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    for page in pages:
        assert "Accountable" in page and "Responsible" in page and "Informed" in page, page[:1500]
    assert rows[-1].name in pages[-1]


def test_the_dashboard_panel_counts_errors_and_links_to_the_matrix(
    rf, project, small_matrix, django_assert_num_queries
):
    request = rf.get("/")
    with django_assert_num_queries(3):
        html = dashboard_panel(request, project)
    assert 'class="col-lg-6"' in html
    assert "1 error" in html and "2 notes" in html and "Fix the RACI errors" in html
    assert f'href="/projects/{project.slug}/raci/"' in html


def test_the_dashboard_panel_query_count_is_flat(rf, project, django_assert_num_queries):
    make_raci(project, activities=40, people=30)
    with django_assert_num_queries(3):
        html = dashboard_panel(rf.get("/"), project)
    assert "No errors" in html


def test_the_dashboard_panel_invites_a_first_matrix(rf, project):
    assert "Start the RACI matrix" in dashboard_panel(rf.get("/"), project)


def test_the_dashboard_shows_the_raci_panel(member_client, project, small_matrix):
    page = member_client.get(f"/projects/{project.slug}/").text
    assert "Fix the RACI errors" in page


def test_the_bucks_demo_has_the_board_accountable_for_approvals_and_jim_responsible(db):
    project = build_bucks(demo_users())
    plan_demo.load(project, large=False)  # the milestones RACI activities link to
    demo.load(project, large=False)
    demo.load(project, large=False)  # idempotent
    assert project.raci_activities.count() == 8
    summary = {entry.stakeholder.name: entry for entry in by_person(project)}
    board = summary["Procurement Project Board"]
    assert "Approve the business case for investment" in [a.name for a in board.accountable]
    assert len(summary["Jim Burness"].responsible) == 8
    assert readiness(project)[0] is True
    assert all(p.level == "note" for p in problems(project))
    assert project.raci_activities.filter(milestone__isnull=False).count() >= 4


def test_the_large_demo_has_25_activities_across_30_people_and_meets_the_rules(db):
    project = build_large(demo_users())
    plan_demo.load(project, large=True)
    demo.load(project, large=True)
    assert project.raci_activities.count() == 25
    assert project.stakeholders.count() == 30
    assert readiness(project)[0] is True
    assert all(entry.has_any for entry in by_person(project))
