"""Snapshots of the action tracker at 80x24 and 140x40, on the bundled meetings with a fixed
today (so the overdue ones stay the same).

Update with ``pytest tests/tui/test_snapshots_actions.py --snapshot-update`` after a deliberate
change.
"""

import datetime as dt

import pytest
from browse_support import HostApp, corpus_library
from textual.widgets import Input

from tuibrowser.tui.screens.actions import ActionsScreen

SIZES = [(80, 24), (140, 40)]


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


async def on_the_evidence(pilot):
    await settle(pilot)
    await pilot.press(*"brian", "enter")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("where", ["first", "evidence"])
def test_action_tracker_snapshot(snap_compare, where, size):
    app = HostApp(corpus_library(), lambda lib: ActionsScreen(lib, dt.date(2024, 1, 1)))
    run_before = settle if where == "first" else on_the_evidence
    assert snap_compare(app, terminal_size=size, run_before=run_before)
