"""plan.pdf (the Gantt alone, landscape, header on every page) and plan.ics (RFC 5545)."""

import re
import subprocess
from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from projects.plan.ics import fold, plan_ics
from projects.plan.models import Milestone
from tests.factories import make_milestone, make_stakeholder

pytestmark = pytest.mark.django_db


def pdf_of(client, project):
    response = client.get(reverse("plan:plan-pdf", args=[project.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(BytesIO(response.content)), response.content


def text_of(pdf_bytes):
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf_bytes, capture_output=True, check=True
    ).stdout.decode()


def page_size_mm(reader, n=0):
    box = reader.pages[n].mediabox
    return round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)


def many(project, count, *, days=14, months_long=1):
    for i in range(count):
        start = date(2026, 1, 5) + timedelta(days=days * i)
        make_milestone(
            project,
            name=f"Step {i + 1:02d}",
            baseline_start=start,
            baseline_end=start + timedelta(days=30 * months_long),
            position=i,
        )


def test_the_pdf_is_the_gantt_alone_on_landscape_a4(member_client, project):
    many(project, 5)
    reader, raw = pdf_of(member_client, project)
    assert page_size_mm(reader) == (297, 210)
    assert len(reader.pages) == 1
    text = text_of(raw)
    assert "Work plan: Water sensors" in text
    assert "1. Step 01" in text and "5. Step 05" in text
    assert "Green: On time" in text


def test_a_long_plan_continues_over_pages_each_with_the_header_and_the_month_axis(member_client, project):
    many(project, 60)
    reader, raw = pdf_of(member_client, project)
    assert len(reader.pages) >= 2
    for page in reader.pages:
        text = page.extract_text()
        assert "Water sensors · Work plan (Gantt chart)" in text  # running header
        assert "Milestone" in text and "Status" in text  # the chart's own header row
    assert "60. Step 60" in text_of(raw)  # numbering continues across pages


def test_long_names_wrap_so_a_page_holds_fewer_rows_and_every_page_keeps_its_chart_whole(member_client, project):
    from projects.plan import gantt
    from projects.plan.pdf import PAPER, chart_pages

    long_name = "Procurement roadmap and business case for investment produced " * 3  # 192 characters
    short = [
        gantt.GanttItem(id=i, name=f"Step {i}", baseline_start=date(2026, 1, 5), baseline_end=date(2026, 3, 1))
        for i in range(1, 41)
    ]
    tall = [
        gantt.GanttItem(id=i, name=long_name, baseline_start=date(2026, 1, 5), baseline_end=date(2026, 3, 1))
        for i in range(1, 41)
    ]
    paper, short_pages = chart_pages(short, today=date(2026, 2, 1))
    _, tall_pages = chart_pages(tall, today=date(2026, 2, 1))
    assert len(tall_pages) > len(short_pages)
    page_w, page_h = PAPER[paper]
    for svg in tall_pages:
        width, height = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
        assert height * page_w / width <= page_h  # drawn at the page's width, it fits its height
    for _ in range(3):
        make_milestone(project, name=long_name.strip(), baseline_start=date(2026, 1, 5), baseline_end=date(2026, 3, 1))
    text = " ".join(text_of(pdf_of(member_client, project)[1]).split())
    assert "investment produced Procurement roadmap" in text  # the wrapped name, not cut at 44 characters


def test_a_dependency_across_a_page_break_is_labelled_on_both_pages(member_client, project):
    many(project, 60)
    steps = {m.position: m for m in project.milestones.all()}
    steps[59].depends_on.add(steps[0])  # the last step waits for the first, pages apart
    steps[2].depends_on.add(steps[1])  # and a neighbour, drawn as an ordinary arrow
    reader, _ = pdf_of(member_client, project)
    first, last = reader.pages[0].extract_text(), reader.pages[-1].extract_text()
    assert "then 60" in first and "after 1" in last
    assert "after 2" not in first  # same-page dependencies need no label


def test_a_wide_chart_goes_on_a3(member_client, project):
    many(project, 12, days=120, months_long=3)  # about four years of months
    reader, _ = pdf_of(member_client, project)
    assert page_size_mm(reader) == (420, 297)


def test_an_empty_plan_prints_a_page_that_says_so(member_client, project):
    _, raw = pdf_of(member_client, project)
    assert "No milestones with dates yet" in text_of(raw)


def test_hostile_and_unbroken_text_in_the_pdf_is_text_and_stays_on_the_page(member_client, project):
    name = Milestone._meta.get_field("name")
    make_milestone(project, name=("<link rel=attachment href=file:///etc/hostname>" + "x" * 5000)[: name.max_length])
    reader, raw = pdf_of(member_client, project)
    assert reader.attachments == {}
    assert "<link rel=attachment" in text_of(raw)
    assert len(reader.pages) == 1


def test_edge_dates_already_stored_do_not_break_the_pdf(member_client, project):
    make_milestone(project, name="Typo", baseline_start=date(1, 1, 1), baseline_end=date(9999, 12, 31))
    make_milestone(project, name="Normal")
    _, raw = pdf_of(member_client, project)
    assert "outside 1900–2199" in text_of(raw)


def test_the_pdf_query_count_does_not_grow(member_client, project, django_assert_max_num_queries):
    owner = make_stakeholder(project)
    many(project, 3)
    Milestone.objects.update(owner=owner)
    with django_assert_max_num_queries(7) as small:  # ... and the baseline compared with
        pdf_of(member_client, project)
    many(project, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        pdf_of(member_client, project)


# iCalendar ------------------------------------------------------------------------------------


def unfolded(ics: bytes) -> list[str]:
    return ics.decode("utf-8").replace("\r\n ", "").split("\r\n")


def test_plan_ics_is_a_calendar_of_all_day_events_with_crlf_uid_and_dtstamp(member_client, project):
    m = make_milestone(project, name="Board", baseline_end=date(2026, 3, 1), forecast_end=date(2026, 3, 11))
    make_milestone(project, name="Undated", baseline_start=None, baseline_end=None)
    response = member_client.get(reverse("plan:plan-ics", args=[project.slug]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")  # every line ends CRLF
    lines = unfolded(body)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == 1  # the undated milestone has no day to go on
    assert f"UID:milestone-{m.pk}.water-sensors@mobilise" in lines
    assert "DTSTART;VALUE=DATE:20260311" in lines and "DTEND;VALUE=DATE:20260312" in lines
    assert any(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines)
    assert "SUMMARY:Board" in lines


def test_ics_text_is_escaped_and_long_lines_are_folded_at_75_octets(project):
    m = make_milestone(project, name="Roadmap; business case, v2\\final", notes="Line one\nLine two " + "é" * 100)
    ics = plan_ics(project, [m], now=datetime(2026, 1, 1, tzinfo=UTC))
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))
    ics.decode("utf-8")  # folding never splits a character
    lines = unfolded(ics)
    assert "SUMMARY:Roadmap\\; business case\\, v2\\\\final" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "Line one\\nLine two" in description
    assert "DTSTAMP:20260101T000000Z" in lines


def test_ics_skips_dates_no_calendar_should_hold(project):
    m = make_milestone(project, baseline_start=None, baseline_end=date(9999, 12, 31))
    assert b"BEGIN:VEVENT" not in plan_ics(project, [m])


def test_folding_leaves_short_lines_alone():
    assert fold("SUMMARY:short") == "SUMMARY:short"


def test_the_ics_query_count_does_not_grow(member_client, project, django_assert_max_num_queries):
    many(project, 3)
    with django_assert_max_num_queries(6) as small:
        member_client.get(reverse("plan:plan-ics", args=[project.slug]))
    many(project, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        member_client.get(reverse("plan:plan-ics", args=[project.slug]))
