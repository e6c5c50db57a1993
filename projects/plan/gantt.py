"""The Gantt chart: one server-side SVG shared by the plan page, plan.pdf and highlight reports.

`GanttItem` is the chart's view of a milestone. It round-trips through plain JSON
(`to_dict` / `from_dict`) so an issued highlight report can redraw its frozen Gantt from
its snapshot. `gantt_layout` does the geometry (tested on its own), `gantt_svg` draws it
with simple elements and presentation attributes only: WeasyPrint renders the same markup
in PDFs, and the page's CSP forbids style attributes. `gantt_table_rows` gives the table
alternative for screen readers.
"""

from __future__ import annotations

import textwrap
from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from projects.plan.models import Milestone

from . import rules

STATUS_LABELS = dict(Milestone.Status.choices)
KIND_LABELS = dict(Milestone.Kind.choices)

# Geometry, in SVG user units (px at 96 dpi).
LABEL_W = 300  # milestone names
STATUS_W = 150  # RAG words to the right of the chart
HEADER_H = 44  # year row + tick row
GROUP_H = 24
ROW_H = 24
TODAY_H = 16  # under the rows: the today line's label, clear of the month labels
LEGEND_H = 30
MONTH_W = 36  # preferred width of a month
CHART_MIN_W, CHART_MAX_W = 520, 1300
STATUS_CHARS = 20  # the status column's words per line (font size 10)
NAME_CHARS = 44  # per line; longer names wrap onto more lines and the row grows
NAME_LINES = 6  # 264 characters: every name the form allows, in full
LINE_H = 14  # each further line of a row's label
TICK_STEPS = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600]  # months between grid lines

FILL = {"green": "#2e7d46", "amber": "#c77800", "red": "#b3261e"}
RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red"}
BASELINE_FILL = "#9aa5b1"
GRID = "#e1e5ea"
INK = "#1f2933"
MUTED = "#52606d"
TODAY = "#6a1b9a"
WARN = "#8a4b00"  # the dependency flag's words: dark enough for text on white
ARROW = "#3e4c59"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _parse(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


@dataclass
class GanttItem:
    """A milestone as the chart sees it: plain values, no database."""

    id: int
    name: str
    within_project: bool = True
    baseline_start: date | None = None
    baseline_end: date | None = None
    forecast_end: date | None = None
    actual_end: date | None = None
    status: str = Milestone.Status.SCHEDULED
    depends_on: list[int] = field(default_factory=list)
    owner: str = ""
    kind: str = ""
    # Predecessors that end after this starts ({"name", "due"}), computed when the item is
    # made and frozen with it: an issued report keeps the flags it was issued with.
    waits_for: list[dict] = field(default_factory=list)
    # False: the milestone is not in the baseline compared with (added after it), so its
    # grey bar is its planned dates.
    in_baseline: bool = True

    @classmethod
    def from_milestone(cls, m: Milestone) -> GanttItem:
        """Prefetch `depends_on` and select `owner` when building many."""
        return cls(
            id=m.pk,
            name=m.name,
            within_project=m.within_project,
            baseline_start=m.baseline_start,
            baseline_end=m.baseline_end,
            forecast_end=m.forecast_end,
            actual_end=m.actual_end,
            status=m.status,
            depends_on=sorted(d.pk for d in m.depends_on.all()),
            owner=m.owner.name if m.owner_id else "",
            kind=m.kind,
            waits_for=[{"name": d.name, "due": _iso(d.current_end)} for d in m.starts_before_dependencies_end],
        )

    def to_dict(self) -> dict:
        data = asdict(self)
        for name in ("baseline_start", "baseline_end", "forecast_end", "actual_end"):
            data[name] = _iso(data[name])
        return data

    @classmethod
    def from_dict(cls, data: dict) -> GanttItem:
        """Tolerant of snapshots written by older code: missing keys take defaults, bad dates are blank."""
        return cls(
            id=int(data.get("id") or 0),
            name=str(data.get("name") or ""),
            within_project=bool(data.get("within_project", True)),
            baseline_start=_parse(data.get("baseline_start")),
            baseline_end=_parse(data.get("baseline_end")),
            forecast_end=_parse(data.get("forecast_end")),
            actual_end=_parse(data.get("actual_end")),
            status=str(data.get("status") or Milestone.Status.SCHEDULED),
            depends_on=[int(x) for x in data.get("depends_on") or [] if str(x).isdigit()],
            owner=str(data.get("owner") or ""),
            kind=str(data.get("kind") or ""),
            waits_for=[
                {"name": str(w.get("name") or ""), "due": w.get("due")}
                for w in data.get("waits_for") or []
                if isinstance(w, dict)
            ],
            in_baseline=bool(data.get("in_baseline", True)),
        )

    @property
    def slip_days(self) -> int:
        return Milestone.slip_between(self.baseline_end, self.forecast_end, self.actual_end)

    @property
    def is_open(self) -> bool:
        """Not met yet (MilestoneQuerySet.open): a met milestone's lateness is history, not slip."""
        return self.status != Milestone.Status.MET

    @property
    def rag(self) -> tuple[str, str]:
        return rules.rag_for(slip_days=self.slip_days, status=self.status)

    @property
    def dates(self) -> list[date]:
        return [d for d in (self.baseline_start, self.baseline_end, self.forecast_end, self.actual_end) if d]

    @property
    def out_of_range(self) -> bool:
        return not all(rules.in_range(d) for d in self.dates)

    @property
    def waits_words(self) -> list[str]:
        """The dependency flags in words: a marker and a sentence, never colour alone."""
        words = []
        for w in self.waits_for:
            due = _parse(w.get("due"))
            when = f", due {due.day} {due:%b %Y}" if due else ""
            words.append(f"⚠ waits for “{w['name']}”{when}, after this starts")
        return words


def ordered(items) -> list[GanttItem]:
    """Within the project first, then outside it; each group keeps the plan's order."""
    items = list(items)
    return [i for i in items if i.within_project] + [i for i in items if not i.within_project]


# Geometry ---------------------------------------------------------------------------------


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def label_lines(item: GanttItem, number: int) -> list[tuple[str, bool]]:
    """The label column's lines of a row: the numbered name wrapped, then each dependency
    flag wrapped; (text, is_flag)."""
    name = _wrap(f"{number}. {item.name}", NAME_CHARS)
    if len(name) > NAME_LINES:  # longer than any name the form takes: cut, in full in the title
        name = [*name[: NAME_LINES - 1], name[NAME_LINES - 1][: NAME_CHARS - 1].rstrip() + "…"]
    lines = [(line, False) for line in name]
    for words in item.waits_words:
        lines += [(line, True) for line in _wrap(words, NAME_CHARS + 4)]
    return lines


def _wrap(text: str, width: int) -> list[str]:
    # break_long_words: a 200-character word still fits the column.
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def row_height(item: GanttItem, number: int = 1) -> float:
    """A row grows by LINE_H for each line beyond the first, in the label or the status column."""
    rag, words = item.rag
    lines = max(len(label_lines(item, number)), len(status_lines(rag, words)))
    return ROW_H + (lines - 1) * LINE_H


def status_lines(rag: str, words: str) -> list[str]:
    return _wrap(f"{RAG_WORDS[rag]}: {words}", STATUS_CHARS)


@dataclass
class Bar:
    item: GanttItem
    number: int
    y: float
    rag: str
    words: str
    height: float = ROW_H
    point: bool = False
    baseline: tuple[float, float] | None = None  # x from, x to
    current: tuple[float, float] | None = None


@dataclass
class Layout:
    width: float
    height: float
    start: date | None = None
    end: date | None = None  # exclusive
    ticks: list[tuple[float, str]] = field(default_factory=list)
    years: list[tuple[float, str]] = field(default_factory=list)
    groups: list[tuple[float, str]] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    arrows: list[list[tuple[float, float]]] = field(default_factory=list)
    # Dependencies with the other end on another page: (line from, line to, label x, label y,
    # label, anchor); the arrowhead sits at `line to` for "after", none for "then".
    stubs: list[tuple] = field(default_factory=list)
    today_x: float | None = None
    today: date | None = None
    clamped: bool = False
    chart_w: float = 0

    @property
    def empty(self) -> bool:
        return self.start is None


def gantt_layout(
    items, *, today: date | None = None, span: tuple[date, date] | None = None, whole: list | None = None
) -> Layout:
    """Where everything goes. The PDF cuts a long plan into pages that share one axis: `span`
    forces that axis, and `whole` (the entire plan, in chart order) continues the numbering
    and marks dependencies whose other end is on another page."""
    items = ordered(items)
    numbers = {item.id: n for n, item in enumerate(whole or items, start=1)}
    number_from = numbers[items[0].id] if items else 1
    today = today or timezone.localdate()
    dates = [rules.clamp(d) for item in items for d in item.dates]
    if span:
        low, high = rules.clamp(span[0]), rules.clamp(span[1])
    elif dates:
        low, high = min(dates), max(dates)
    else:
        return Layout(width=LABEL_W + CHART_MIN_W + STATUS_W, height=60, today=today)
    first_month, last_month = _month_index(low), _month_index(high)
    months = last_month - first_month + 1
    chart_w = min(max(months * MONTH_W, CHART_MIN_W), CHART_MAX_W)
    start, end = _month_start(first_month), _month_start(last_month + 1)
    total_days = (end - start).days

    def x(d: date) -> float:
        d = min(max(rules.clamp(d), start), end)
        return round(LABEL_W + (d - start).days / total_days * chart_w, 1)

    layout = Layout(width=LABEL_W + chart_w + STATUS_W, height=0, start=start, end=end, today=today, chart_w=chart_w)
    # Grid: the smallest step whose labels do not collide.
    per_month = chart_w / months
    step = next((s for s in TICK_STEPS if s * per_month >= 30), TICK_STEPS[-1])
    for index in range(first_month, last_month + 1):
        if step < 12 and (index - first_month) % step == 0:
            layout.ticks.append((x(_month_start(index)), MONTHS[index % 12]))
        elif step >= 12 and index % 12 == 0 and (index // 12) % (step // 12) == 0:
            layout.ticks.append((x(_month_start(index)), str(index // 12)))
        if step < 12 and (index % 12 == 0 or (index == first_month and index % 12 <= 9)):
            layout.years.append((x(_month_start(index)), str(index // 12)))
    if start <= today < end:
        layout.today_x = x(today)

    y = HEADER_H
    positions: dict[int, Bar] = {}
    group = None
    for number, item in enumerate(items, start=number_from):
        if item.within_project != group:
            group = item.within_project
            layout.groups.append((y, "Within the project" if group else "Outside the project"))
            y += GROUP_H
        rag, words = item.rag
        bar = Bar(item=item, number=number, y=y, rag=rag, words=words, height=row_height(item, number))
        layout.clamped = layout.clamped or item.out_of_range
        begin = item.baseline_start
        planned_end = item.baseline_end or item.baseline_start
        current_end = item.actual_end or item.forecast_end or planned_end
        if current_end:
            bar.point = begin is None or begin == planned_end
            if bar.point:
                bar.baseline = (x(planned_end), x(planned_end)) if planned_end else None
                bar.current = (x(current_end), x(current_end))
            else:
                bar.baseline = (x(begin), x(planned_end))
                bar.current = (x(begin), max(x(current_end), x(begin)))
        positions[item.id] = bar
        layout.bars.append(bar)
        y += bar.height
    # Finish-to-start arrows: from the end of what must finish to the start of what waits.
    for bar in layout.bars:
        for dep in bar.item.depends_on:
            before = positions.get(dep)
            if not (before and before.current and bar.current):
                continue
            x1, y1 = before.current[1], before.y + ROW_H / 2
            x2, y2 = bar.current[0], bar.y + ROW_H / 2
            elbow, tip = round(x1 + 6, 1), round(x2 - (6 if bar.point else 1), 1)
            layout.arrows.append([(x1, y1), (elbow, y1), (elbow, y2), (tip, y2)])
    if whole:
        _stubs(layout, positions, whole, numbers)
    layout.height = y + 6 + TODAY_H + LEGEND_H
    return layout


STUB_W = 18  # the short line of a dependency that continues on another page
STUB_LABEL_W = 60  # room its label needs beside it


def _stubs(layout, positions, whole, numbers):
    """Short labelled lines for dependencies that cross a page break: "after 12" into the
    start of a bar whose predecessor is elsewhere, "then 37" out of the end of a bar that
    something elsewhere waits for. The numbers are the chart's own, shown beside each name."""
    chart_right = LABEL_W + layout.chart_w
    for bar in layout.bars:
        if not bar.current:
            continue
        mid = bar.y + ROW_H / 2
        before = [numbers[d] for d in bar.item.depends_on if d in numbers and d not in positions]
        if before:
            tip = round(bar.current[0] - (6 if bar.point else 1), 1)
            start = max(LABEL_W, round(tip - STUB_W, 1))
            label = "after " + ", ".join(map(str, sorted(before)))
            if start - STUB_LABEL_W >= LABEL_W:
                layout.stubs.append(((start, mid), (tip, mid), start - 3, mid + 3, label, "end"))
            else:  # no room on the left: the label goes after the bar
                layout.stubs.append(((start, mid), (tip, mid), bar.current[1] + 8, mid + 3, label, "start"))
        after = sorted(numbers[i.id] for i in whole if bar.item.id in i.depends_on and i.id not in positions)
        if after:
            end = bar.current[1] + (6 if bar.point else 0)
            label = "then " + ", ".join(map(str, after))
            stop = min(chart_right, round(end + STUB_W, 1))
            if stop + STUB_LABEL_W <= chart_right:
                layout.stubs.append(((end, mid), (stop, mid), stop + 3, mid + 3, label, "start"))
            else:  # no room on the right: the label goes before the bar
                layout.stubs.append(((end, mid), (stop, mid), bar.current[0] - 8, mid + 3, label, "end"))


# Drawing ----------------------------------------------------------------------------------


def _text(x, y, content, **attrs) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{x}" y="{y}"{extra}>{escape(content)}</text>'


def _diamond(cx, cy, r, fill, stroke="none") -> str:
    points = f"{cx},{cy - r} {cx + r},{cy} {cx},{cy + r} {cx - r},{cy}"
    return f'<polygon points="{points}" fill="{fill}" stroke="{stroke}" stroke-width="1"/>'


def _empty_svg(width) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt gantt-empty" viewBox="0 0 {width} 60" width="{width}" '
        f'height="60" role="img" aria-label="Gantt chart: no milestones with dates yet" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="13">'
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="59" fill="#f8f9fa" stroke="#ced4da" stroke-dasharray="4 3"/>'
        + _text(
            16, 35, "No milestones with dates yet: the chart appears when the first milestone has a date.", fill=INK
        )
        + "</svg>"
    )


def gantt_svg(
    items, *, today: date | None = None, span: tuple[date, date] | None = None, whole: list | None = None
) -> SafeString:
    """The chart as inline SVG markup, safe to put in a page or a PDF template."""
    layout = gantt_layout(items, today=today, span=span, whole=whole)
    if layout.empty:
        return _empty_svg(layout.width)
    w, h = layout.width, layout.height
    chart_right = LABEL_W + layout.chart_w
    rows_bottom = h - LEGEND_H - TODAY_H - 6
    label = (
        f"Gantt chart of {len(layout.bars)} milestones from {layout.start:%B %Y} to "
        f"{date.fromordinal(layout.end.toordinal() - 1):%B %Y}. The table of milestones gives the same information."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        f'role="img" aria-label="{escape(label)}" font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
        f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>',
    ]
    # Month grid and the axis labels.
    for x, year in layout.years:
        out.append(_text(x + 3, 14, year, fill=INK, font_weight="bold"))
    for x, tick in layout.ticks:
        out.append(
            f'<line x1="{x}" y1="{18 if layout.years else 4}" x2="{x}" y2="{rows_bottom}" stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(_text(x + 3, 34, tick, fill=MUTED, font_size="10"))
    out.append(
        f'<line x1="{LABEL_W}" y1="{HEADER_H - 2}" x2="{chart_right}" y2="{HEADER_H - 2}" stroke="{MUTED}" stroke-width="1"/>'
    )
    out.append(_text(8, 34, "Milestone", fill=INK, font_weight="bold"))
    out.append(_text(chart_right + 8, 34, "Status", fill=INK, font_weight="bold"))
    for y, title in layout.groups:
        out.append(f'<rect x="0" y="{y}" width="{w}" height="{GROUP_H}" fill="#eef2f6"/>')
        out.append(_text(8, y + 16, title, fill=INK, font_weight="bold"))
    for bar in layout.bars:
        mid = bar.y + ROW_H / 2
        label = []
        for n, (line, flag) in enumerate(label_lines(bar.item, bar.number)):
            attrs = {"fill": WARN, "font_size": "10"} if flag else {"fill": INK}
            label.append(_text(8 if n == 0 or flag else 22, mid + 4 + n * LINE_H, line, **attrs))
        out.append(f"<g><title>{escape(bar.item.name)}</title>" + "".join(label) + "</g>")
        bottom = bar.y + bar.height
        out.append(f'<line x1="0" y1="{bottom}" x2="{w}" y2="{bottom}" stroke="#f0f2f5" stroke-width="1"/>')
        fill = FILL[bar.rag]
        if bar.current is None:
            out.append(_text(LABEL_W + 6, mid + 4, "No dates yet", fill=MUTED, font_style="italic"))
        elif bar.point:
            # Baseline diamond first, offset down: the shadow behind the forecast diamond.
            if bar.baseline:
                out.append(_diamond(bar.baseline[0], mid + 2, 7, BASELINE_FILL))
            out.append(_diamond(bar.current[0], mid - 1, 7, fill, stroke="#ffffff"))
        else:
            bx1, bx2 = bar.baseline
            cx1, cx2 = bar.current
            out.append(
                f'<rect x="{bx1}" y="{bar.y + 9}" width="{round(max(bx2 - bx1, 2), 1)}" height="11" fill="{BASELINE_FILL}"/>'
            )
            out.append(
                f'<rect x="{cx1}" y="{bar.y + 4}" width="{round(max(cx2 - cx1, 2), 1)}" height="11" fill="{fill}" '
                f'stroke="#ffffff" stroke-width="0.5"/>'
            )
        out.append(f'<rect x="{chart_right + 8}" y="{mid - 5}" width="10" height="10" fill="{fill}"/>')
        for n, line in enumerate(status_lines(bar.rag, bar.words)):
            out.append(_text(chart_right + 22, mid + 4 + n * LINE_H, line, fill=INK, font_size="10"))
    for points in layout.arrows:
        path = " ".join(f"{px},{py}" for px, py in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{ARROW}" stroke-width="1.2"/>')
        (ax, ay), (bx, _) = points[-1], points[-2]
        tip = 1 if ax >= bx else -1
        out.append(
            f'<polygon points="{ax},{ay} {round(ax - 5 * tip, 1)},{ay - 3.5} {round(ax - 5 * tip, 1)},{ay + 3.5}" fill="{ARROW}"/>'
        )
    for (x1, y1), (x2, y2), lx, ly, words, anchor in layout.stubs:
        out.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{ARROW}" stroke-width="1.2" stroke-dasharray="3 2"/>'
        )
        if words.startswith("after"):
            out.append(
                f'<polygon points="{x2},{y2} {round(x2 - 5, 1)},{y2 - 3.5} {round(x2 - 5, 1)},{y2 + 3.5}" fill="{ARROW}"/>'
            )
        out.append(_text(lx, ly, words, fill=ARROW, font_size="9", text_anchor=anchor))
    if layout.today_x is not None:
        out.append(
            f'<line x1="{layout.today_x}" y1="{HEADER_H - 6}" x2="{layout.today_x}" y2="{rows_bottom + 6}" '
            f'stroke="{TODAY}" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        words = f"Today, {layout.today.day} {layout.today:%b %Y}"
        # Right of the line, or left of it when the line is near the chart's right edge.
        anchor = "end" if layout.today_x > chart_right - 110 else "start"
        label_x = layout.today_x - 3 if anchor == "end" else layout.today_x + 3
        out.append(_text(label_x, rows_bottom + 16, words, fill=TODAY, font_size="10", text_anchor=anchor))
    out.append(_legend(rows_bottom + 6 + TODAY_H, layout.clamped))
    out.append("</svg>")
    return mark_safe("".join(out))


def _legend(y, clamped) -> str:
    parts = [
        f'<rect x="8" y="{y + 8}" width="26" height="9" fill="{BASELINE_FILL}"/>',
        _text(40, y + 17, "Baseline (plan)", fill=INK, font_size="10"),
        f'<rect x="140" y="{y + 6}" width="26" height="9" fill="{FILL["green"]}"/>',
        _text(172, y + 17, "Forecast or actual, coloured by slip", fill=INK, font_size="10"),
        _diamond(395, y + 12, 6, FILL["green"]),
        _text(406, y + 17, "Point milestone", fill=INK, font_size="10"),
        f'<polyline points="505,{y + 12} 525,{y + 12}" fill="none" stroke="{ARROW}" stroke-width="1.2"/>',
        f'<polygon points="530,{y + 12} 525,{y + 8.5} 525,{y + 15.5}" fill="{ARROW}"/>',
        _text(536, y + 17, "Depends on (finish to start)", fill=INK, font_size="10"),
        f'<line x1="715" y1="{y + 4}" x2="715" y2="{y + 20}" stroke="{TODAY}" stroke-width="1.5" stroke-dasharray="4 3"/>',
        _text(721, y + 17, "Today", fill=INK, font_size="10"),
    ]
    if clamped:
        parts.append(
            _text(
                770, y + 17, "Some dates lie outside 1900–2199 and are drawn at the edge.", fill=MUTED, font_size="10"
            )
        )
    return "".join(parts)


# The table alternative ------------------------------------------------------------------------


def gantt_table_rows(items, *, today: date | None = None) -> list[dict]:
    """One row per milestone in chart order: what the chart shows, in words."""
    items = ordered(items)
    numbers = {item.id: n for n, item in enumerate(items, start=1)}
    names = {item.id: item.name for item in items}
    rows = []
    for n, item in enumerate(items, start=1):
        rag, words = item.rag
        rows.append(
            {
                "number": n,
                "id": item.id,
                "name": item.name,
                "group": "Within the project" if item.within_project else "Outside the project",
                "kind": KIND_LABELS.get(item.kind, ""),
                "owner": item.owner,
                "baseline_start": item.baseline_start,
                "baseline_end": item.baseline_end,
                "forecast_end": item.forecast_end,
                "actual_end": item.actual_end,
                "status": STATUS_LABELS.get(item.status, item.status),
                "slip_days": item.slip_days,
                "rag": rag,
                "rag_words": words,
                "depends_on": [f"{numbers[d]}. {names[d]}" for d in item.depends_on if d in numbers],
                "waits_for": item.waits_words,
                "in_baseline": item.in_baseline,
                "out_of_range": item.out_of_range,
            }
        )
    return rows


def items_for(milestones, entries: dict | None = None) -> list[GanttItem]:
    """The chart's items. With `entries` ({milestone id: BaselineEntry} of one baseline) the
    grey bars and the slip are that baseline's; a milestone not in it keeps its planned dates
    and is marked `in_baseline=False`."""
    items = []
    for m in milestones:
        item = GanttItem.from_milestone(m)
        if entries is not None:
            entry = entries.get(m.pk)
            if entry is None:
                item.in_baseline = False
            else:
                item.baseline_start, item.baseline_end = entry.start, entry.end
        items.append(item)
    return items
