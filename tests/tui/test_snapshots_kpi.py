"""Snapshots of the KPI dashboard and KPI screen at 80x24 and 120x40 (the real corpus).

Regenerate after a deliberate change with ``pytest tests/tui/test_snapshots_kpi.py --snapshot-update``
and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest
from kpi_host import Host, corpus

SIZES = [(80, 24), (120, 40)]
MAY_2018 = "2018-05-24-improvement-innovation-board"


@pytest.fixture(scope="module")
def library():
    return corpus()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard_ratings(snap_compare, library, size):
    assert snap_compare(Host(library), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard_amber_rows(snap_compare, library, size):
    press = ["greater_than_sign", "greater_than_sign"]  # green, then amber
    assert snap_compare(Host(library), press=press, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard_trends(snap_compare, library, size):
    press = ["right_square_bracket", "right_square_bracket"]
    assert snap_compare(Host(library), press=press, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_kpi_screen_lc20(snap_compare, library, size):
    app = Host(library, start="kpi", meeting_id=MAY_2018, code="LC20")
    assert snap_compare(app, terminal_size=size)


# The charts on a wide terminal: the ratings of every period on one scale from zero, and the
# survey series as zero-based bars and sparklines that say their scale.
@pytest.mark.parametrize(
    "press", [[], ["right_square_bracket", "right_square_bracket"]], ids=["ratings", "trends"]
)
def test_charts_at_140x40(snap_compare, library, press):
    assert snap_compare(Host(library), press=press, terminal_size=(140, 40))
