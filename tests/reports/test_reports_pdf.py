"""The highlight report PDF: seed 004's content, layout promises, hostile text, the command."""

import http.server
import re
import subprocess
import threading
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from projects.models import Project
from projects.reports import pdf as report_pdf
from projects.reports import services
from projects.reports.milestones import KEY_MILESTONES
from projects.reports.models import HighlightReport
from tests.factories import make_communication, make_milestone, make_report, make_risk

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path, layout=False) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, check=True, text=True).stdout


def issued_pdf(client, project, report):
    client.post(reverse("reports:report-issue", args=[project.slug, report.number]))
    report.refresh_from_db()
    return bytes(report.pdf)


# Seed 004 ----------------------------------------------------------------------------------


@pytest.fixture
def bucks():
    call_command("load_demo")
    return Project.objects.get(slug="bucks-procurement")


def test_the_demo_project_has_an_issued_report_with_every_section_and_figure_of_seed_004(bucks, tmp_path):
    report = bucks.reports.get()
    assert report.is_issued and report.pdf_sha256
    text = " ".join(pdf_text(bytes(report.pdf), tmp_path).split())
    for expected in [
        "Name of Project Bucks Procurement Project",
        "Project Sponsor Chris Furness",
        "Project Manager Jim Burness",
        "1. Recommendation",
        "To Note progress on the project to date and the revised financial requirement",
        "2. Project vision/objectives",
        "2.3 Creating a more joined up approach",
        "3. Summary progress and key highlights",
        "Project Board convened",
        "4. Timescales and key milestones",
        "4.1 Within project",
        "4.2 Outside project",
        "by November 2007",
        "by April 2008",
        "by March 2008",
        "MKOB Improvement Partnership",
        "5. Deliverables/quick wins",
        "None",
        "6. Financial update",
        "reduced from £50k to £30k",
        "£50,000",
        "£30,000",
        "7. Member involvement",
        "8. Related projects / work streams",
        "built environment",
        "9. Communications plan",
        "10. Key risks and issues",
        "Risk Register",
        "Which may or may not occur",
        "To mitigate the risk",
    ]:
        assert expected in text, expected
    squeezed = "".join(text.split())  # a line may break after the slash in "skills/capacity"
    for event, score in [
        ("Unwillingness of authorities to collaborate on procurement", "1 4 4"),
        ("Lack of leadership on procurement within individual authorities", "2 4 8"),
        ("Lack of capacity to undertake work required to improve collaboration", "3 3 9"),
        ("Failure to identify resource to undertake skills/capacity analysis work", "2 4 8"),
    ]:
        event = "".join(event.split())
        assert event in squeezed, event
        assert score.replace(" ", "") in squeezed[squeezed.index(event) :], event


def test_the_pdf_has_a_running_header_page_x_of_y_and_embedded_fonts(bucks, tmp_path):
    report = bucks.reports.get()
    reader = PdfReader(BytesIO(bytes(report.pdf)))
    pages = len(reader.pages)
    assert pages >= 3
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {pages}" in text
        assert "Bucks Procurement Project · Highlight report 1" in text
    fonts = [font.get_object() for page in reader.pages for font in (page["/Resources"].get("/Font") or {}).values()]
    assert fonts
    for font in fonts:
        descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        descriptor = descriptor.get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")


def test_the_gantt_and_heat_map_are_vector_graphics_not_images(bucks, tmp_path):
    report = bucks.reports.get()
    reader = PdfReader(BytesIO(bytes(report.pdf)))
    assert all(not page.images for page in reader.pages)
    text = pdf_text(bytes(report.pdf), tmp_path)
    assert "Within the project" in text  # drawn by the Gantt SVG
    assert "Impact" in text and "Likelihood" in text  # heat map axes


def test_the_demo_report_is_issued_by_its_project_manager_on_its_own_date(bucks, tmp_path):
    report = bucks.reports.get()
    assert report.issued_by.username == "manager"
    assert timezone.localtime(report.issued_at).date() == report.report_date
    text = " ".join(pdf_text(bytes(report.pdf), tmp_path).split())
    assert "Issue Issued 5 December 2007 10:00 by Jim Burness" in text


def word_boxes(data: bytes, tmp_path):
    """[(page width, page height, {word: [box height, ...]})] from pdftotext -bbox, in pt."""
    path = tmp_path / "boxes.pdf"
    path.write_bytes(data)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True).stdout
    pages = []
    for page in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        words = {}
        for y_min, y_max, word in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page[2]):
            words.setdefault(word, []).append(float(y_max) - float(y_min))
        pages.append((float(page[0]), float(page[1]), words))
    return pages


def test_the_gantt_gets_a_landscape_page_with_readable_text_drawn_from_the_snapshot(member_client, project, tmp_path):
    milestone = make_milestone(
        project, name="Roadmap agreed", baseline_start=date(2026, 1, 5), baseline_end=date(2026, 4, 30)
    )
    make_milestone(project, name="Board convened", baseline_start=date(2026, 2, 1), baseline_end=date(2026, 3, 1))
    report = make_report(project)
    pages = word_boxes(issued_pdf(member_client, project, report), tmp_path)
    landscape = [words for width, height, words in pages if width > height]
    assert len(landscape) == 1 and all(width < height for width, height, words in pages if words is not landscape[0])
    chart = landscape[0]
    assert "Gantt" in chart and "Roadmap" in chart
    # A box is about 1.16 times the font size: the legend's 10 px text prints at 7 pt or more.
    assert min(chart["Baseline"]) >= 8.1
    assert "Deliverables/quick" not in chart  # section 5 goes back to portrait
    milestone.name = "Renamed later"
    milestone.save()
    report.refresh_from_db()
    again = word_boxes(report_pdf.report_pdf(report)[0], tmp_path)
    chart = next(words for width, height, words in again if width > height)
    assert "Roadmap" in chart and "Renamed" not in chart  # redrawn from the frozen snapshot


def test_the_communications_table_never_splits_a_word_of_its_headers_or_labels(member_client, project, tmp_path):
    make_communication(
        project,
        audience_group="Joint Improvement Board",
        frequency="milestones",
        channel="newsletter",
        purpose="Progress reports; member involvement addressed as part of the communications plan.",
    )
    make_communication(project, audience_group="Project Board", frequency="fortnightly", channel="intranet")
    text = pdf_text(issued_pdf(member_client, project, make_report(project)), tmp_path, layout=True)
    section = text[text.index("9. Communications plan") : text.index("10. Key risks")]
    words = section.split()
    for word in (
        "Audience",
        "Purpose",
        "Channel",
        "Frequency",
        "Owner",
        "Next",
        "milestones",
        "Fortnightly",
        "Newsletter",
        "Intranet",
    ):
        assert word in words, word


def test_section_4_shows_ten_of_forty_milestones_and_the_appendix_all_of_them(member_client, project, tmp_path):
    for i in range(40):
        end = date(2025, 6, 1) + timedelta(days=20 * i)
        make_milestone(project, name=f"Step {i + 1:02d}", baseline_start=end - timedelta(days=30), baseline_end=end)
    report = make_report(project, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    data = issued_pdf(member_client, project, report)
    text = " ".join(pdf_text(data, tmp_path).split())
    section_4 = text[text.index("4. Timescales and key milestones") : text.index("5. Deliverables")]
    appendix = text[text.index("Appendix A. All milestones") :]
    assert len(set(re.findall(r"Step \d\d", section_4))) == KEY_MILESTONES
    assert "And 30 more milestones in Appendix A." in section_4
    assert len(set(re.findall(r"Step \d\d", appendix))) == 40
    assert len(PdfReader(BytesIO(data)).pages) <= 6


def test_long_risk_tables_break_across_pages_and_repeat_their_header_rows(member_client, project, tmp_path):
    for i in range(60):
        make_risk(project, event=f"Risk number {i} " + "with a longer description " * 3, likelihood=1 + i % 4, impact=2)
    text = pdf_text(issued_pdf(member_client, project, make_report(project)), tmp_path)
    pages = text.split("\f")
    appendix = [p for p in pages if "Risk number" in p and "Appendix A" not in p]
    assert len(appendix) >= 1
    for page in [p for p in pages if "Risk number" in p]:
        assert "Which may or may not occur" in page  # the header rows repeat on every page


def test_an_issued_pdf_carries_only_the_top_risks_in_section_10_and_the_rest_in_the_appendix(
    member_client, project, tmp_path
):
    for i in range(services.TOP_RISKS + 5):
        make_risk(project, event=f"Numbered risk {i:02d}", likelihood=1, impact=1)
    make_risk(project, event="The biggest risk", likelihood=4, impact=4)
    text = " ".join(pdf_text(issued_pdf(member_client, project, make_report(project)), tmp_path).split())
    section_10 = text[text.index("10. Key risks and issues") : text.index("Appendix A.")]
    appendix = text[text.index("Appendix A.") :]
    assert "The biggest risk" in section_10
    assert section_10.count("Numbered risk") == services.TOP_RISKS - 1
    assert appendix.count("Numbered risk") == services.TOP_RISKS + 5


# Hostile text ------------------------------------------------------------------------------


class Recorder(http.server.BaseHTTPRequestHandler):
    requests = []

    def do_GET(self):
        Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback():
    Recorder.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], Recorder.requests
    server.shutdown()
    server.server_close()


def test_hostile_text_fetches_nothing_and_embeds_nothing(member_client, project, loopback, tmp_path):
    port, received = loopback
    hostile = (
        "<link rel=attachment href=file:///etc/hostname>"
        f"<img src=http://127.0.0.1:{port}/x>"
        f"<style>@import url(http://127.0.0.1:{port}/);</style>"
        '"><img src=x onerror=alert(1)></style><style>*{display:none}'
    )
    make_milestone(project, name=f"<img src=http://127.0.0.1:{port}/milestone>")
    make_risk(project, event=f"<img src=http://127.0.0.1:{port}/risk>", mitigating_action=hostile[:900])
    report = make_report(project, recommendation=hostile, progress=hostile, risks_commentary=hostile)
    data = issued_pdf(member_client, project, report)
    reader = PdfReader(BytesIO(data))
    assert reader.attachments == {}
    assert received == []
    text = pdf_text(data, tmp_path)
    assert "<link rel=attachment href=file:///etc/hostname>" in text  # shown as text
    hostname = open("/etc/hostname").read().strip()
    assert not hostname or hostname not in text.replace("<link rel=attachment href=file:///etc/hostname>", "")


def test_a_10000_character_token_wraps_inside_the_page(member_client, project, tmp_path):
    token = "A" * 4000 + "B" * 3000 + "C" * 3000
    report = make_report(project, progress=token)
    data = issued_pdf(member_client, project, report)
    text = pdf_text(data, tmp_path)
    # Whole and in order once the line breaks (and the running headers between pages) are removed.
    assert "".join(line for line in text.split() if set(line) <= set("ABC")) == token
    width = float(PdfReader(BytesIO(data)).pages[0].mediabox.width)
    assert width < 600  # A4 portrait: 595 pt
    longest = max(len(line) for line in pdf_text(data, tmp_path, layout=True).splitlines())
    assert longest < 200  # wrapped: no line runs off the page


def test_a_report_field_cannot_make_the_pdf_read_local_files(tmp_path):
    html = '<link rel="stylesheet" href="file:///etc/passwd"><p>ok</p>'
    with pytest.raises(ValueError):
        from mobilise.pdf import StaticOnlyFetcher

        StaticOnlyFetcher().fetch("file:///etc/passwd")
    assert b"root:" not in report_pdf.html_to_pdf_bytes(html)


# Rendering on a worker ----------------------------------------------------------------------


def test_the_worker_renders_in_a_child_process_with_limits(project):
    report = make_report(project)
    html = report_pdf.report_html(report)
    assert report_pdf.html_to_pdf_isolated(html, timeout=60).startswith(b"%PDF")


def test_the_worker_stops_a_render_past_its_time_limit(project):
    html = report_pdf.report_html(make_report(project))
    with pytest.raises(report_pdf.ReportRenderError, match="longer than the"):
        report_pdf.html_to_pdf_isolated(html, timeout=0.05)


def test_the_worker_refuses_a_render_past_its_memory_ceiling(project):
    html = report_pdf.report_html(make_report(project))
    with pytest.raises(report_pdf.ReportRenderError):
        report_pdf.html_to_pdf_isolated(html, timeout=60, memory_mb=60)


def test_with_a_queued_backend_the_page_shows_progress_until_a_worker_renders(member_client, project, monkeypatch):
    from django.tasks import task_backends
    from django.tasks.backends.dummy import DummyBackend

    from projects.reports.tasks import render_report_pdf

    task_backends["default"]  # noqa: B018 (create the connection so it can be swapped)
    # A backend that queues and never runs, like django_tasks_db before db_worker picks the task up.
    monkeypatch.setattr(task_backends._connections, "default", DummyBackend(alias="default", params={}))
    report = make_report(project)
    member_client.post(reverse("reports:report-issue", args=[project.slug, report.number]))
    report.refresh_from_db()
    assert report.is_issued and report.pdf is None and report.render_state == HighlightReport.RenderState.QUEUED
    page = member_client.get(reverse("reports:report-pdf", args=[project.slug, report.number]))
    assert page["Content-Type"].startswith("text/html")
    assert 'hx-trigger="every 1s"' in page.text
    render_report_pdf.call(report.pk)  # what db_worker does
    download = member_client.get(reverse("reports:report-pdf", args=[project.slug, report.number]))
    assert download["Content-Type"] == "application/pdf"


# The command --------------------------------------------------------------------------------


def test_the_command_writes_the_latest_issued_report(bucks, tmp_path):
    out = tmp_path / "bucks.pdf"
    call_command("highlight_report", "bucks-procurement", output=str(out))
    assert out.read_bytes() == bytes(bucks.reports.get().pdf)


def test_the_command_writes_a_draft_of_the_current_period_and_saves_nothing(project, tmp_path):
    out = tmp_path / "draft.pdf"
    call_command("highlight_report", project.slug, output=str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert "DRAFT" in pdf_text(out.read_bytes(), tmp_path)
    assert not project.reports.exists()


def test_the_command_writes_the_draft_already_started_when_none_is_issued(project, tmp_path, capsys):
    draft = make_report(project, number=1, progress="Started by hand")
    out = tmp_path / "draft.pdf"
    call_command("highlight_report", project.slug, output=str(out))
    assert "Started by hand" in pdf_text(out.read_bytes(), tmp_path)
    assert "Wrote draft report 1" in capsys.readouterr().out
    assert list(project.reports.values_list("pk", flat=True)) == [draft.pk]


def test_the_command_exits_non_zero_with_one_line_on_a_bad_slug(capsys):
    from django.core.management import CommandError

    with pytest.raises(CommandError) as error:
        call_command("highlight_report", "no-such-project")
    assert str(error.value) == "No project has the slug 'no-such-project'."  # manage.py prints it and exits 1


def test_the_command_reports_an_unwritable_output_in_one_line(project):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="^Cannot write /no/such/dir/x.pdf"):
        call_command("highlight_report", project.slug, output="/no/such/dir/x.pdf")
