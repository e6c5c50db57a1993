"""Exports for the advisory team: the portfolio summary as .xlsx, latest report PDFs as a zip.

Both take a queryset of projects and cost a fixed number of queries however many projects
are selected.
"""

import io
import zipfile

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from mobilise.spreadsheets.writing import set_text
from projects.reports.models import HighlightReport

from . import queries

COLUMNS = [
    # header, width
    ("Project", 40),
    ("Reference", 16),
    ("Buying type", 18),
    ("Stage", 18),
    ("Overall RAG", 10),
    ("Readiness", 10),
    ("Readiness missing", 50),
    ("Sessions agreed", 10),
    ("High or very high risks", 12),
    ("Overdue risk reviews", 12),
    ("Next milestone", 40),
    ("Baseline end", 12),
    ("Next milestone slip (days)", 12),
    ("Milestones slipping", 12),
    ("Worst slip (days)", 12),
    ("Last issued report", 16),
    ("Project manager", 24),
    ("Review status", 16),
    ("Advice", 60),
    ("Reviewed by", 20),
    ("Reviewed on", 12),
    ("Last review log entry", 12),
    ("Follow up by", 12),
    ("Consistency problems", 50),
    ("Web address", 40),
]


def portfolio_rows(projects, base_url=""):
    """One list of cell values per project of a `queries.portfolio` queryset; `base_url`
    ("https://host") makes the last column a full web address."""
    checks = dict(queries.CHECKS)
    for project in projects:
        items = queries.readiness_items(project)
        done = sum(1 for _, ok in items if ok)
        review = getattr(project, "review", None)  # None when no review row yet
        problems = [label for key, label in checks.items() if getattr(project, key)]
        yield [
            project.name,
            project.reference,
            project.get_buying_type_display(),
            project.get_stage_display(),
            project.get_rag_status_display(),
            f"{done} of {len(items)}",
            "; ".join(label for label, ok in items if not ok),
            project.sessions_agreed,
            project.high_risk_count,
            project.overdue_review_count,
            project.next_milestone_name or "",
            project.next_milestone_baseline,
            queries.next_milestone_slip(project),
            project.slipping_count,
            queries.worst_slip_days(project),
            timezone.localtime(project.last_report_at).date() if project.last_report_at else None,
            project.project_manager,
            review.get_status_display() if review else "Not reviewed",
            review.advice if review else "",
            (review.reviewed_by.get_full_name() or review.reviewed_by.username)
            if review and review.reviewed_by
            else "",
            review.reviewed_on if review else None,
            project.last_review_on,
            project.next_follow_up,
            "; ".join(problems),
            base_url + reverse("projects:detail", args=[project.slug]),
        ]


def portfolio_xlsx(projects, base_url="") -> bytes:
    """The portfolio summary of `projects` (any Project queryset) as an .xlsx workbook; the web
    addresses are links when `base_url` is given."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Portfolio"
    for col, (header, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=col, value=header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "B2"
    for row, values in enumerate(portfolio_rows(queries.portfolio(projects), base_url), start=2):
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col)
            if isinstance(value, str):
                set_text(cell, value)
                if col == len(COLUMNS) and base_url:
                    cell.hyperlink = value
            else:
                cell.value = value
                if hasattr(value, "year"):
                    cell.number_format = "yyyy-mm-dd"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def latest_reports_zip(projects) -> tuple[bytes, int, list]:
    """(zip bytes, number of projects with an issued report, names of those without): the PDF
    of each project's latest issued highlight report, the one the highlight_report command
    writes (HighlightReport.objects.latest_issued). A latest report whose PDF is still being
    made is named in a note, never replaced by an older report's PDF.

    Two queries: the projects with their latest issued report's id, then those reports' PDFs.
    """
    latest = HighlightReport.objects.filter(project=OuterRef("pk")).latest_issued().values("pk")[:1]
    rows = list(
        projects.order_by("name").annotate(latest_report=Subquery(latest)).values_list("slug", "name", "latest_report")
    )
    reports = HighlightReport.objects.filter(pk__in=[r for _, _, r in rows if r]).only("pk", "number", "pdf")
    by_id = {report.pk: report for report in reports}
    missing, not_ready = [], []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for slug, name, report_id in rows:
            report = by_id.get(report_id)
            if report is None:
                missing.append(name)
            elif report.pdf is None:
                not_ready.append(f"{name}: highlight report {report.number}")
            else:
                archive.writestr(f"{slug}-highlight-report-{report.number}.pdf", bytes(report.pdf))
        if missing:
            archive.writestr(
                "NO-ISSUED-REPORT.txt",
                "These projects have no issued highlight report yet:\n" + "\n".join(missing) + "\n",
            )
        if not_ready:
            archive.writestr(
                "PDF-NOT-READY.txt",
                "The PDF of these latest issued reports is still being made; download them again shortly:\n"
                + "\n".join(not_ready)
                + "\n",
            )
    return buffer.getvalue(), len(rows) - len(missing), missing
