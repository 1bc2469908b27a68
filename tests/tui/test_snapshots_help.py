"""SVG snapshots of the keys (``?``) and the problems (``!``) at 80x24 and 120x40.

Deterministic like tests/tui/test_snapshots.py: the fixed sample corpus (plus one broken file for
the problems), a fresh cache and seen-state, a fixed config folder (the keys screen names the
keymap file), the loading worker waited for, notifications cleared, no cursor blink.
Update with ``pytest tests/tui/test_snapshots_help.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

import shutil

import pytest
from tuihelp import SAMPLE, SIZES, settle


@pytest.fixture
def fixed_config(monkeypatch):
    monkeypatch.setenv("TUIBROWSER_CONFIG_DIR", "/home/user/.config/tuibrowser")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_keys_screen(snap_compare, make_app, size, fixed_config):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(SAMPLE, remember=False), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_problems_screen(snap_compare, make_app, tmp_path, size, fixed_config):
    root = tmp_path / "meetings"
    shutil.copytree(SAMPLE, root)
    (root / "2019-01-01-broken-minutes.md").write_text("---\nboard: B\x01\n---\n")
    (root / "2019-02-02-no-date-minutes.md").write_text("---\nboard: B\n---\n")

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.press("exclamation_mark")
        await pilot.pause()

    assert snap_compare(make_app(root, remember=False), terminal_size=size, run_before=run_before)
