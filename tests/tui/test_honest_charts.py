"""Honest pictures: the KPI and survey charts start at zero and share one scale within a
chart, and the dashboard shows a KPI's history across every period that has rows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kpi_host import Host
from tuihelp import screen_text

from tuibrowser import kpi as k
from tuibrowser.kpi.glance import scale_of
from tuibrowser.library import build
from tuibrowser.records import parse_text
from tuibrowser.tui.screens.dashboard.ratings_pane import period_text
from tuibrowser.tui.widgets.ratings import SPARK, scale_note, value_bars, zero_spark

values = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=2, max_size=12)


def bar_cells(line: str) -> float:
    """The length of a bar in cells (a partial block counts its eighths)."""
    eighths = {c: (i + 1) / 8 for i, c in enumerate("▏▎▍▌▋▊▉")}
    return sum(1 if c == "█" else eighths.get(c, 0) for c in line)


@given(values)
def test_value_bars_start_at_zero_and_share_one_scale(vals):
    points = [(f"p{i}", v) for i, v in enumerate(vals)]
    lines = [t.plain for t in value_bars(points, "%", width=40)]
    top = max(vals)
    for v, line in zip(vals, lines, strict=True):
        expected = 40 * v / top if top > 0 else 0
        assert abs(bar_cells(line) - expected) <= 1 / 8 + 1e-9, (v, line)


@given(values)
def test_the_sparkline_starts_at_zero(vals):
    spark = zero_spark(vals).plain
    top = max(vals)
    assert len(spark) == len(vals)
    for v, ch in zip(vals, spark, strict=True):
        level = 0 if top <= 0 or v <= 0 else round(7 * v / top)
        assert SPARK.index(ch) == level


def test_a_small_change_looks_small():
    # 78 → 80 is nearly level from zero (a sparkline from the minimum draws it floor to ceiling)
    assert zero_spark([78, 80]).plain == "██"
    assert zero_spark([0, 80]).plain == "▁█"
    assert scale_note([62, 75], "%") == "scale 0 to 75%"


def period(text: str):
    parsed = parse_text(text, "m.md")
    assert parsed.document is not None, parsed.problems
    return parsed.document


def kpi_file(date: str, period_name: str, ratings: list[str], extra: str = "") -> str:
    rows = "".join(
        f"  - code: K{i}\n    period: '{period_name}'\n    rating: {r}\n{extra}"
        for i, r in enumerate(ratings, start=1)
    )
    return f"---\nboard: B\ndate: '{date}'\nkpis:\n{rows}---\n## 1. KPIs\n"


@pytest.mark.parametrize(("small", "big"), [(5, 20), (1, 60), (10, 11)])
def test_every_period_is_drawn_to_one_scale(small, big):
    lib = build(
        [
            period(kpi_file("2020-01-01", "2019/20", ["green"] * small)),
            period(kpi_file("2021-01-01", "2020/21", ["green"] * big)),
        ]
    )
    reports = k.periods(lib)
    scale = scale_of(reports)
    assert scale == big
    bars = {}
    for rep in reports:
        text = period_plain_scaled(rep, scale)
        row = next(line for line in text.splitlines() if line.startswith("Rows:"))
        bars[rep.total] = row.count("█")
    assert bars[big] > 0
    # the lengths compare as the counts do (each bar has at least one cell)
    assert abs(bars[small] / bars[big] - small / big) <= 1 / bars[big] + 1e-9


def period_plain_scaled(rep, scale: int) -> str:
    from rich.console import Console

    console = Console(width=120, no_color=True)
    with console.capture() as cap:
        console.print(period_text(rep, 100, scale))
    return cap.get()


def period_plain(rep) -> str:
    """The period as the pane draws it on its own (its own scale), as plain text."""
    from rich.console import Console

    console = Console(width=120, no_color=True)
    with console.capture() as cap:
        console.print(period_text(rep, 100))
    return cap.get()


def test_without_a_shared_scale_a_period_fills_its_own_bar():
    rep = k.periods(build([period(kpi_file("2020-01-01", "2019/20", ["green"] * 5))]))[0]
    assert "█" in period_plain(rep)


async def test_the_dashboard_shows_a_kpis_history_across_every_period_with_rows():
    lib = build(
        [
            period(kpi_file("2019-01-01", "2018/19", ["green", "red"])),
            period(kpi_file("2020-01-01", "2019/20", ["amber", "red"])),
            period(kpi_file("2021-01-01", "2020/21", ["red", "green"])),
        ]
    )
    app = Host(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("right_square_bracket")  # the KPIs tab
        await pilot.pause()
        text = screen_text(app)
    assert "History, 3 periods: 2018/19 G · 2019/20 A · 2020/21 R" in text
