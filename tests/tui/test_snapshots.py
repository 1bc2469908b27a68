"""SVG snapshots of the meeting list, a meeting and an item at 80x24 and 120x40.

Deterministic: a fixed sample corpus in tests/data/sample, a fresh temporary cache and
seen-state (so nothing is marked "new"), the loading worker waited for, no cursor blink.
Update with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

import pytest
from tuihelp import SAMPLE, SIZES, settle


@pytest.fixture
def sample_app(make_app):
    return make_app(SAMPLE, remember=False)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_meeting_list(snap_compare, sample_app, size):
    assert snap_compare(sample_app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_meeting_screen(snap_compare, sample_app, size):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_meeting("2019-03-01-sample-board")
        await pilot.pause()

    assert snap_compare(sample_app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_item_screen(snap_compare, sample_app, size):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_item("2019-03-01-sample-board", "2")
        await pilot.pause()

    assert snap_compare(sample_app, terminal_size=size, run_before=run_before)
