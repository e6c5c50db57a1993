from mobilise.pdf import html_to_pdf
from projects.reports import services
from projects.reports.models import HighlightReport
from projects.reports.pdf import report_html, report_pdf
from tests.bench.conftest import median_seconds, query_count, report


def latest(slug):
    return HighlightReport.objects.filter(project__slug=slug).order_by("-number").first()


def test_report_pdf(db):
    for slug, name in (("bucks-procurement", "bucks"), ("large-demo", "large")):
        issued = latest(slug)
        ours = median_seconds(lambda: report_pdf(issued), runs=5, warmup=1)
        report(f"report_pdf_s_{name}", ours)
        if name == "large":
            html = report_html(issued)
            alone = median_seconds(lambda: html_to_pdf(html), runs=5, warmup=1)
            report("report_pdf_overhead_ratio", ours / alone)
        # A draft is built from live data: its query count must be the same for both projects.
        draft = services.report_create(
            project=issued.project, period_start=issued.period_end, period_end=issued.period_end
        )
        report(
            f"report_draft_queries_{name}", query_count(lambda: report_html(HighlightReport.objects.get(pk=draft.pk)))
        )
