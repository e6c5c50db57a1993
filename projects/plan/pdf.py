"""plan.pdf: the Gantt chart alone, landscape A4 (A3 when the chart is wide).

An SVG cannot break across pages, so long plans are cut into page-sized charts that share
one date axis and keep their numbering; each page repeats the running header and the
chart's own month header. A dependency whose other end is on another page is a short dashed
line labelled "after 12" or "then 37" (the chart's numbers).
"""

from datetime import date

from django.utils import timezone

from mobilise.pdf import render_pdf

from . import gantt, rules

PX_PER_MM = 96 / 25.4
# Content boxes of the @page rules in static/css/pdf.css (page minus margins), in px.
PAPER = {
    "landscape": ((297 - 24) * PX_PER_MM, (210 - 34) * PX_PER_MM),
    "landscape-a3": ((420 - 24) * PX_PER_MM, (297 - 34) * PX_PER_MM),
}
TITLE_PX = 70  # the page's heading and subtitle above the chart
MIN_ROWS = 8


def paper_for(width: float) -> str:
    """A3 when the chart would have to shrink by more than a fifth to fit A4."""
    return "landscape" if width * 0.8 <= PAPER["landscape"][0] else "landscape-a3"


def rows_height(width: float, paper: str) -> float:
    """Room for rows on one page, in chart units (rows grow with wrapped names)."""
    page_w, page_h = PAPER[paper]
    scale = page_w / width  # the chart is drawn at the content width
    fixed = gantt.HEADER_H + gantt.TODAY_H + gantt.LEGEND_H + 6 + 2 * gantt.GROUP_H
    return max(MIN_ROWS * gantt.ROW_H, (page_h - TITLE_PX) / scale - fixed)


def _cut(items, room: float) -> list[list]:
    """Consecutive runs of items whose rows fit `room` (a page holds at least one)."""
    pages, page, used = [], [], 0.0
    for number, item in enumerate(items, start=1):
        height = gantt.row_height(item, number)
        if page and used + height > room:
            pages.append(page)
            page, used = [], 0.0
        page.append(item)
        used += height
    if page:
        pages.append(page)
    return pages


def chart_pages(items, *, today: date | None = None):
    """(paper, [svg, ...]): the chart cut into pages on one shared date axis."""
    items = gantt.ordered(items)
    whole = gantt.gantt_layout(items, today=today)
    if whole.empty:
        return "landscape", [gantt.gantt_svg(items, today=today)]
    paper = paper_for(whole.width)
    span = (whole.start, date.fromordinal(whole.end.toordinal() - 1))
    pages = []
    for page in _cut(items, rows_height(whole.width, paper)):
        pages.append(gantt.gantt_svg(page, today=today, span=span, whole=items))
    return paper, pages


def plan_pdf(project, milestones, *, baseline=None, entries=None, today: date | None = None) -> bytes:
    """`baseline` and its `entries` (baselines.with_entries): the baseline compared with."""
    items = gantt.items_for(milestones, entries if baseline else None)
    paper, pages = chart_pages(items, today=today)
    slipping = sum(1 for item in items if item.slip_days and item.is_open)
    return render_pdf(
        "plan/plan_pdf.html",
        {
            "project": project,
            "paper": paper,
            "pages": pages,
            "count": len(items),
            "baseline": baseline,
            "waiting": [item for item in items if item.waits_for],
            "slipping": slipping,
            "printed": timezone.localtime(),
            "clamped": any(item.out_of_range for item in items),
            "earliest": rules.EARLIEST,
            "latest": rules.LATEST,
        },
    )
