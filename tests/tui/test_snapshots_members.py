"""Snapshots of the membership view and of the meeting list with its marks (confidential,
cancelled) at 80x24 and 140x40.

Deterministic: the bundled meetings (membership) in a host app, and the sample folder with a
cancelled meeting added, with a fresh cache and seen-state (so nothing is marked "new").
Update with ``pytest tests/tui/test_snapshots_members.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browse_support import HostApp, corpus_library
from tuihelp import ready

from tuibrowser.tui.screens.membership import MembershipScreen

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
SIZES = [(80, 24), (140, 40)]
CANCELLED = """---
board: Sample Board
date: "2019-12-01"
kind: minutes
cancelled: true
---

# Cancelled
"""


async def settle(pilot) -> None:
    app = pilot.app
    await ready(app, pilot)
    for widget in app.screen.query("Input"):
        widget.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_membership_view(snap_compare, size):
    app = HostApp(corpus_library(), MembershipScreen)
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_meeting_list_with_marks(snap_compare, tmp_path, size):
    from tuibrowser.state import SeenState
    from tuibrowser.tui.app import TuiBrowserApp

    root = tmp_path / "meetings"
    shutil.copytree(SAMPLE, root)
    (root / "2019-12-01-sample-board-minutes.md").write_text(CANCELLED, encoding="utf-8")
    app = TuiBrowserApp(
        root,
        cache_path=tmp_path / "cache.json",
        state=SeenState(tmp_path / "seen.json"),
        remember=False,
    )
    assert snap_compare(app, terminal_size=size, run_before=settle)
