"""Every section the highlight report template names is in the PDF, the RACI section included."""

import html
import re
import subprocess
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.template.loader import get_template

from projects.models import Project
from projects.reports import rendering, services
from projects.reports.assessment import EXCEPTION_FIELDS
from tests.factories import make_activity, make_assignment, make_milestone, make_report, make_risk, make_stakeholder

pytestmark = pytest.mark.django_db

REPORT_TEMPLATE = "reports/pdf.html"


def pdf_text(data: bytes, tmp_path) -> str:
    """The PDF's text with every run of white space as one space (headings may wrap)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return " ".join(text.split())


def issue(report, by):
    assert rendering.report_issue(report=report, by=by)
    report.refresh_from_db()
    assert report.render_state == report.RenderState.DONE, report.render_error
    return bytes(report.pdf)


def test_the_raci_section_appears_in_the_highlight_report_pdf_as_frozen_at_issue(project, buyer, tmp_path):
    ann = make_stakeholder(project, name="Ann Officer", position=0)
    bob = make_stakeholder(project, name="Bob Buyer", position=1)
    case = make_activity(project, name="Approve the business case", position=0)
    make_assignment(case, ann, "A")
    make_assignment(case, bob, "RC")
    report = make_report(project)

    text = pdf_text(issue(report, buyer), tmp_path)

    assert "Roles and responsibilities (RACI)" in text
    assert "Activity Accountable Responsible Consulted Informed" in text
    assert "Approve the business case Ann Officer Bob Buyer Bob Buyer" in text
    # Issued means frozen: a later change to the matrix does not reach the report.
    case.name = "Renamed afterwards"
    case.save()
    report.refresh_from_db()
    rows = services.report_data(report)["raci_rows"]
    assert [row["activity"] for row in rows] == ["Approve the business case"]


def test_the_raci_table_stays_inside_the_page_margins(project, buyer, tmp_path):
    people = [make_stakeholder(project, name=f"Joint Improvement Board member {i}", position=i) for i in range(4)]
    row = make_activity(project, name="Report progress and spend to the Board")
    for person, letters in zip(people, "ARCI", strict=True):
        make_assignment(row, person, letters)
    path = tmp_path / "raci.pdf"
    path.write_bytes(issue(make_report(project), buyer))
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    assert boxes.count(">member<") == 4  # the RACI table is there, one person per letter
    # Every word's right edge, on every page: A4 with 16 mm side margins (static/css/pdf.css).
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes))
    assert right <= width - 16 * 72 / 25.4 + 1, right


# Every section the template names -----------------------------------------------------------

INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")
HEADING = re.compile(r"<h2\b[^>]*>(.*?)</h2>", re.S)
COMMENTS = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
TEMPLATE_CODE = re.compile(r"{{.*?}}|{%.*?%}", re.S)


def template_sources(name, seen=None):
    """The source of `name` and of every template it includes, recursively, in include order."""
    seen = seen if seen is not None else []
    if name not in seen:
        seen.append(name)
        source = COMMENTS.sub("", get_template(name).template.source)
        for included in INCLUDE.findall(source):
            template_sources(included, seen)
    return seen


def section_headings():
    """(heading as written, pattern matching it in PDF text): every <h2> of the report's templates.
    Template variables inside a heading (Appendix {{ appendix.risks }}...) match any words."""
    headings = []
    for name in template_sources(REPORT_TEMPLATE):
        source = COMMENTS.sub("", get_template(name).template.source)
        for raw in HEADING.findall(source):
            plain = re.sub(r"<[^>]+>", "", raw)
            parts = [" ".join(html.unescape(part).split()) for part in TEMPLATE_CODE.split(plain)]
            pattern = r"\s*.+?\s*".join(re.escape(part) for part in parts)
            headings.append((" ".join(plain.split()), re.compile(pattern)))
    return headings


def test_the_report_templates_name_the_sections_of_seed_004_and_the_raci_section():
    names = [written for written, _ in section_headings()]
    assert "1. Recommendation" in names and "10. Key risks and issues" in names
    assert "Roles and responsibilities (RACI)" in names
    assert any(name.startswith("Appendix") for name in names)


@pytest.fixture
def filled_bucks():
    """The demo's seed-004 project with enough milestones and a closed risk to need both appendices."""
    call_command("load_demo")
    bucks = Project.objects.get(slug="bucks-procurement")
    for i in range(12):
        make_milestone(
            bucks,
            name=f"Later step {i}",
            baseline_start=date(2031, 1, 1),
            baseline_end=date(2031, 2, 1) + timedelta(days=7 * i),
        )
    make_risk(bucks, event="An old worry", status="closed")
    # A cost tolerance the carried-over figures (£30k revised of £50k) lie beyond: an exception.
    bucks.cost_tolerance_percent = 10
    bucks.save()
    return bucks


def test_every_section_the_report_template_names_is_in_the_pdf_of_a_fully_filled_project(filled_bucks, tmp_path):
    assert filled_bucks.raci_activities.exists()
    last = filled_bucks.reports.issued().order_by("-number").first()
    report = services.report_create(
        project=filled_bucks,
        period_start=last.period_end + timedelta(days=1),
        period_end=last.period_end + timedelta(days=31),
    )
    for field, label in EXCEPTION_FIELDS:
        setattr(report, field, f"The {label.lower()} of the exception.")
    report.save()
    text = pdf_text(issue(report, last.issued_by), tmp_path)

    headings = section_headings()
    missing = [written for written, pattern in headings if not pattern.search(text)]
    assert missing == []
