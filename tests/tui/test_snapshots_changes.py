"""SVG snapshots of what changed: the changes view and a meeting's page with its changes, at
80x24 and 140x40 (the sample corpus; the changes found are fixed, so the pictures are too).

Update with ``pytest tests/tui/test_snapshots_changes.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tuihelp import ready

from tuibrowser.change_log import Entry, Found
from tuibrowser.changes import Change

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
SIZES = [(80, 24), (140, 40)]
MEETING = "2019-03-01-sample-board"

CHANGES = [
    Change("item added", "5. Any other business"),
    Change("item edited", "2. Budget (was titled 'Budget 2019')"),
    Change("decision", "added at item 2: Agreed the budget for 2019/20, with the changes set out"),
    Change("attendance", "Cllr Ann Example: apologies → present"),
    Change("attendance", "Bob Example removed (was present)"),
    Change("details", "venue: Room 1 → Council Chamber, Town Hall"),
]
FOUND = Found(
    changes={MEETING: CHANGES},
    since="2024-02-28",
    log=[
        Entry("2024-03-01", MEETING, "Sample Board", "2019-03-01", CHANGES, "2024-02-28"),
        Entry(
            "2024-02-20",
            "2018-11-05-sample-board",
            "Sample Board",
            "2018-11-05",
            [Change("meeting", "new meeting")],
            "2024-02-01",
        ),  # fmt: skip
    ],
)


def sample_app(tmp_path):
    from tuibrowser.state import SeenState
    from tuibrowser.tui.app import TuiBrowserApp

    return TuiBrowserApp(
        SAMPLE,
        cache_path=tmp_path / "cache.json",
        state=SeenState(tmp_path / "seen.json"),
        remember=False,
    )


async def settle(pilot) -> None:
    app = pilot.app
    await ready(app, pilot)
    app.changes = FOUND
    for widget in app.screen.query("Input"):
        widget.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_changes_view(snap_compare, tmp_path, size):
    async def run_before(pilot):
        from tuibrowser.tui.screens.changes import ChangesScreen

        await settle(pilot)
        pilot.app.push_screen(ChangesScreen(pilot.app.library, since="2024-01-01"))
        await pilot.pause()
        for widget in pilot.app.screen.query("Input"):
            widget.cursor_blink = False
        await pilot.pause()

    assert snap_compare(sample_app(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_meeting_page_with_its_changes(snap_compare, tmp_path, size):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_meeting(MEETING)
        await pilot.pause()

    assert snap_compare(sample_app(tmp_path), terminal_size=size, run_before=run_before)
