"""The Gantt chart: items, geometry and the SVG, without the database where possible."""

import json
import re
from datetime import date, timedelta

import pytest

from projects.plan.gantt import (
    CHART_MAX_W,
    LABEL_W,
    GanttItem,
    gantt_layout,
    gantt_svg,
    gantt_table_rows,
)
from projects.plan.rules import EARLIEST, LATEST

TODAY = date(2026, 3, 15)


def item(id, start=date(2026, 1, 5), end=date(2026, 2, 20), **fields):
    return GanttItem(id=id, name=f"Milestone {id}", baseline_start=start, baseline_end=end, **fields)


def plan(n):
    """n milestones, a fortnight apart, each six weeks long, every third one a week late."""
    return [
        item(
            i,
            date(2026, 1, 5) + timedelta(days=14 * i),
            date(2026, 2, 16) + timedelta(days=14 * i),
            forecast_end=date(2026, 2, 16) + timedelta(days=14 * i + (7 if i % 3 == 0 else 0)),
            within_project=i % 5 != 0,
            depends_on=[i - 1] if i else [],
        )
        for i in range(n)
    ]


def numbers(svg, attribute):
    return [float(v) for v in re.findall(rf'\b{attribute}="(-?[\d.]+)"', svg)]


def test_an_item_survives_the_round_trip_through_json_as_a_frozen_report_stores_it():
    original = GanttItem(
        id=7,
        name="Roadmap «draft»",
        within_project=False,
        baseline_start=date(2007, 12, 1),
        baseline_end=date(2008, 4, 30),
        forecast_end=date(2008, 5, 31),
        actual_end=None,
        status="scheduled",
        depends_on=[3, 4],
        owner="Jim Burness",
        kind="approval",
    )
    stored = json.loads(json.dumps(original.to_dict()))
    assert stored["baseline_end"] == "2008-04-30"
    assert GanttItem.from_dict(stored) == original
    assert gantt_svg([GanttItem.from_dict(stored)], today=TODAY) == gantt_svg([original], today=TODAY)


def test_from_dict_tolerates_missing_keys_and_bad_dates_in_old_snapshots():
    restored = GanttItem.from_dict({"id": 3, "name": "Old", "baseline_end": "not a date", "depends_on": ["2", "x"]})
    assert restored.baseline_end is None
    assert restored.within_project is True
    assert restored.depends_on == [2]


def test_slip_is_the_milestone_rule_actual_end_first_then_forecast():
    assert item(1, forecast_end=date(2026, 3, 2)).slip_days == 10
    assert item(1, forecast_end=date(2026, 3, 2), actual_end=date(2026, 2, 21)).slip_days == 1
    assert item(1, forecast_end=date(2026, 2, 1)).slip_days == 0
    assert item(1, end=None, forecast_end=date(2026, 3, 2)).slip_days == 0


def test_an_empty_plan_draws_a_chart_that_says_so():
    svg = gantt_svg([], today=TODAY)
    assert "No milestones with dates yet" in svg
    assert 'role="img"' in svg


def test_milestones_without_any_dates_are_listed_not_drawn():
    svg = gantt_svg([item(1, start=None, end=None)], today=TODAY)
    assert "No milestones with dates yet" in svg
    svg = gantt_svg([item(1), item(2, start=None, end=None)], today=TODAY)
    assert "No dates yet" in svg


def test_bars_lie_inside_the_chart_and_the_forecast_bar_shows_the_slip_past_the_baseline_shadow():
    layout = gantt_layout([item(1, forecast_end=date(2026, 3, 20))], today=TODAY)
    bar = layout.bars[0]
    assert LABEL_W <= bar.baseline[0] == bar.current[0]
    assert bar.current[1] > bar.baseline[1]  # the forecast runs past the baseline end
    assert bar.rag == "amber" and bar.words == "28 days late"
    assert LABEL_W < layout.today_x < LABEL_W + layout.chart_w


def test_a_milestone_without_a_start_is_a_diamond_at_its_due_date():
    layout = gantt_layout([item(1, start=None, end=date(2026, 5, 1))], today=TODAY)
    assert layout.bars[0].point
    svg = gantt_svg([item(1, start=None, end=date(2026, 5, 1))], today=TODAY)
    assert svg.count("<polygon") >= 2  # the diamond and its baseline shadow (plus the legend's)


def test_the_chart_covers_only_the_months_of_the_plan_not_the_years_up_to_today():
    layout = gantt_layout([item(1, date(2007, 9, 1), date(2007, 11, 30))], today=TODAY)
    assert (layout.start, layout.end) == (date(2007, 9, 1), date(2007, 12, 1))
    assert layout.today_x is None  # today lies far after the plan: no line, no empty years
    assert [label for _, label in layout.ticks] == ["Sep", "Oct", "Nov"]


@pytest.mark.parametrize("edge", [date(1, 1, 1), date(9999, 12, 31)])
def test_year_0001_and_9999_are_clamped_not_drawn_as_a_ten_thousand_year_axis(edge):
    items = [item(1), item(2, start=edge, end=edge) if edge.year == 1 else item(2, end=edge, forecast_end=edge)]
    layout = gantt_layout(items, today=TODAY)
    assert EARLIEST <= layout.start and layout.end <= LATEST + timedelta(days=1)
    assert layout.clamped
    assert layout.chart_w <= CHART_MAX_W
    assert len(layout.ticks) <= 40  # years or decades, never 3,600 month labels
    svg = gantt_svg(items, today=TODAY)
    assert all(0 <= x <= layout.width for x in numbers(svg, "x"))
    assert "outside 1900–2199" in svg


def test_ticks_move_from_months_to_years_as_the_plan_lengthens():
    short = gantt_layout([item(1, date(2026, 1, 1), date(2026, 12, 31))], today=TODAY)
    long = gantt_layout([item(1, date(2026, 1, 1), date(2065, 12, 31))], today=TODAY)
    assert short.ticks[0][1] == "Jan" and len(short.ticks) == 12
    assert all(label.isdigit() for _, label in long.ticks)
    gaps = [b[0] - a[0] for a, b in zip(long.ticks, long.ticks[1:])]
    assert min(gaps) >= 30  # labels never collide


@pytest.mark.parametrize("count", [5, 60])
def test_five_and_sixty_milestones_stay_readable(count):
    layout = gantt_layout(plan(count), today=TODAY)
    assert len(layout.bars) == count
    rows = [bar.y for bar in layout.bars]
    assert all(b - a >= 24 for a, b in zip(rows, rows[1:]))  # one row each, none overlapping
    assert layout.width <= LABEL_W + CHART_MAX_W + 150
    assert len(layout.arrows) == count - 1
    svg = gantt_svg(plan(count), today=TODAY)
    assert svg.count("<title>") == count  # every name is there in full for hover


def test_groups_put_within_the_project_first_then_outside():
    layout = gantt_layout(plan(6), today=TODAY)
    assert [title for _, title in layout.groups] == ["Within the project", "Outside the project"]
    outside = [bar.item.within_project for bar in layout.bars]
    assert outside == sorted(outside, reverse=True)


def test_a_dependency_arrow_runs_from_the_end_of_one_bar_to_the_start_of_the_next():
    first, second = item(1), item(2, date(2026, 2, 21), date(2026, 3, 31), depends_on=[1])
    layout = gantt_layout([first, second], today=TODAY)
    (x1, y1), *_, (x2, y2) = layout.arrows[0]
    assert x1 == layout.bars[0].current[1]
    assert abs(x2 - layout.bars[1].current[0]) <= 1
    assert y2 > y1


def test_rag_is_written_in_words_beside_the_colour():
    svg = gantt_svg(
        [
            item(1),
            item(2, forecast_end=date(2026, 3, 2)),
            item(3, forecast_end=date(2026, 6, 1)),
            item(4, status="not_met"),
        ],
        today=TODAY,
    )
    for words in ("Green: On time", "Amber: 10 days late", "Red: 101 days late", "Red: Not met"):
        assert words in svg


def test_names_are_escaped_and_a_name_longer_than_any_form_allows_is_cut_with_the_full_name_in_the_title():
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(1)>' + "x" * 10_000
    svg = gantt_svg([GanttItem(id=1, name=hostile, baseline_start=TODAY, baseline_end=TODAY)], today=TODAY)
    assert "<script>" not in svg and "<img" not in svg
    assert "&lt;script&gt;" in svg
    lines = re.findall(r'<text x="(?:8|22)" y="[\d.]+" fill="#1f2933">([^<]*)</text>', svg)
    assert len(lines) == 6 and lines[-1].endswith("…")


def test_a_long_name_wraps_onto_lines_in_full_and_its_row_grows():
    name = " ".join(["Procurement roadmap and business case"] * 5)  # 194 characters
    short = gantt_layout([GanttItem(id=1, name="Short", baseline_start=TODAY, baseline_end=TODAY)], today=TODAY)
    long = gantt_layout([GanttItem(id=1, name=name, baseline_start=TODAY, baseline_end=TODAY)], today=TODAY)
    svg = gantt_svg([GanttItem(id=1, name=name, baseline_start=TODAY, baseline_end=TODAY)], today=TODAY)
    lines = re.findall(r'<text x="(?:8|22)" y="[\d.]+" fill="#1f2933">([^<]*)</text>', svg)
    assert " ".join(lines) == f"1. {name}"
    assert all(len(line) <= 44 for line in lines)
    assert long.bars[0].height == short.bars[0].height + (len(lines) - 1) * 14
    assert long.height > short.height


def test_the_table_alternative_says_in_words_what_the_chart_draws():
    rows = gantt_table_rows(plan(6), today=TODAY)
    assert [r["number"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0]["group"] == "Within the project" and rows[-1]["group"] == "Outside the project"
    late = next(r for r in rows if r["id"] == 3)
    assert (late["rag"], late["rag_words"], late["slip_days"]) == ("amber", "7 days late", 7)
    assert late["depends_on"] == ["2. Milestone 2"]


def test_a_page_of_a_long_plan_marks_dependencies_whose_other_end_is_on_another_page():
    whole = plan(6)  # each depends on the one before
    first, second = gantt_layout(whole[:3], today=TODAY, whole=whole), gantt_layout(whole[3:], today=TODAY, whole=whole)
    assert [b.number for b in second.bars] == [4, 5, 6]  # numbering continues
    assert [stub[4] for stub in first.stubs] == ["then 4"]
    assert [stub[4] for stub in second.stubs] == ["after 3"]
    assert len(first.arrows) == 2 and len(second.arrows) == 2  # 1→2, 2→3 and 4→5, 5→6
    (_, _), (tip_x, tip_y), *_ = second.stubs[0]
    bar = second.bars[0]
    assert tip_y == bar.y + 12 and tip_x <= bar.current[0]  # it points into the start of milestone 4
    assert gantt_layout(whole, today=TODAY).stubs == []  # one page: no stubs
