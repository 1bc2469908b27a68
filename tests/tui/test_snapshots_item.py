"""SVG snapshots of an item opened from search (its matches marked, the current one apart) at
80x24, stacked, and at 140x40, its report beside its minute; and at 80x24 toggled side by side.

Deterministic as tests/tui/test_snapshots.py: the fixed sample corpus, a fresh temporary cache and
seen-state, the loading worker waited for. Update with
``pytest tests/tui/test_snapshots_item.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tuihelp import ready

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
SIZES = [(80, 24), (140, 40)]


def sample_app(tmp_path):
    from tuibrowser.state import SeenState
    from tuibrowser.tui.app import TuiBrowserApp

    return TuiBrowserApp(
        SAMPLE,
        cache_path=tmp_path / "cache.json",
        state=SeenState(tmp_path / "seen.json"),
        remember=False,
    )


def opened(query: str | None, keys: tuple[str, ...] = ()):
    async def run_before(pilot) -> None:
        from tuibrowser.search import parse_query

        app = pilot.app
        await ready(app, pilot)
        app.open_item(
            "2019-03-01-sample-board", "2", highlight=parse_query(query) if query else None
        )
        await pilot.pause()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_item_with_a_highlighted_match(snap_compare, tmp_path, size):
    # the second match is the current one: n stepped to it
    run_before = opened("programme", ("n",))
    assert snap_compare(sample_app(tmp_path), terminal_size=size, run_before=run_before)


def test_item_side_by_side_toggled_at_80_columns(snap_compare, tmp_path):
    run_before = opened(None, ("s",))
    assert snap_compare(sample_app(tmp_path), terminal_size=(80, 24), run_before=run_before)
