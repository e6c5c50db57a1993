"""Each risk's score across the project's issued highlight reports.

Issued reports are frozen, and each keeps a risk snapshot (`snapshot["risks"]`: a list of
rows carrying the risk's `reference` and `score`), so the trend reads those rather than
the history tables: it shows what the board was actually told. Until a report is issued
every trend is empty.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, PAD = 72, 22, 3


def trends_for(project) -> dict:
    """{reference: [(report number, score), ...]} oldest report first, in one query.

    Reports sit above risks in the layers: reached through the project's `reports` relation,
    not imported."""
    reports = (
        project.reports.filter(issued_at__isnull=False)
        .order_by("number")
        .values_list("number", "snapshot__risks")  # only the risk rows, not the whole snapshot
    )
    trends = {}
    for number, rows in reports:
        if not isinstance(rows, list):
            continue
        for row in rows:
            if not isinstance(row, dict):
                continue
            reference, score = row.get("reference"), row.get("score")
            if reference and isinstance(score, int):
                trends.setdefault(str(reference), []).append((number, score))
    return trends


def sparkline(points, *, max_score) -> str:
    """A small SVG line of (report number, score) with the scores in words beside it."""
    if not points:
        return ""
    words = "; ".join(f"report {n}: {s}" for n, s in points)
    if len(points) == 1:
        coords = [(WIDTH / 2, _y(points[0][1], max_score))]
    else:
        step = (WIDTH - 2 * PAD) / (len(points) - 1)
        coords = [(PAD + k * step, _y(s, max_score)) for k, (_, s) in enumerate(points)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="#1d3b5a"/>' for x, y in coords)
    first, last = points[0][1], points[-1][1]
    if len(points) == 1:
        direction = "one report so far"
    else:
        direction = "rising" if last > first else "falling" if last < first else "steady"
    return mark_safe(
        f'<span class="risk-trend"><svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-hidden="true" focusable="false">'
        f'<polyline points="{line}" fill="none" stroke="#1d3b5a" stroke-width="1.5"/>{dots}</svg>'
        f'<span class="visually-hidden">Score trend ({direction}): {escape(words)}</span>'
        f'<span class="risk-trend-text" aria-hidden="true">{direction}</span></span>'
    )


def _y(score, max_score):
    score = max(0, min(score, max_score))
    return HEIGHT - PAD - (HEIGHT - 2 * PAD) * score / max_score
