"""What the browser leaves until its first frame is out still comes: the marks of the meetings
new since the last look (the seen-state file is read after the first frame, before the
library), and the collector the command line paused for the start."""

from __future__ import annotations

import gc

import pytest
from earlyapp import MEETINGS, SAMPLE, hold_library, indexed_folder, make_app
from tuihelp import ready, screen_text, wait_until

from tuibrowser.store import Cache
from tuibrowser.tui.widgets import BrowseTable

# which of the meetings, newest first, were not seen at the last look
UNSEEN = {
    "the newest": [0],
    "two, apart": [0, 2],
    "an older one": [1],
    "none": [],
}


@pytest.mark.parametrize("source", [MEETINGS, SAMPLE], ids=["meetings", "sample"])
@pytest.mark.parametrize("unseen", list(UNSEEN.values()), ids=list(UNSEEN))
async def test_new_meetings_are_marked_on_the_list_before_the_library_is_loaded(
    source, unseen, tmp_path, monkeypatch
):
    root, cache = indexed_folder(source, tmp_path)
    rows = Cache(root, cache).rows()
    assert rows is not None and len(rows) > max(unseen, default=0)
    new = {rows[n].id for n in unseen}
    app = make_app(root, cache, tmp_path)
    app.state.remember(root, [r for r in rows if r.id not in new])
    opened = hold_library(monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one("#meetings", BrowseTable)

        def marked() -> set[str]:
            return {k.value for k in table.rows if table.get_cell(k, "new").plain == "●"}

        assert await wait_until(pilot, lambda: marked() == new and app.new_meetings == new)
        if new:  # (a set that stays empty would be met at once: give the marks time to come)
            assert await wait_until(pilot, lambda: f"● {len(new)} new" in screen_text(app))
        assert app.library is None  # marked from the seen-state file, before the library
        assert {k.value for k in table.rows} >= {r.id for r in rows[:3]}
        opened.set()
        await ready(app, pilot)
        assert app.library is not None
        assert marked() == new and app.new_meetings == new
        said = f"● {len(new)} new or changed since you last looked"
        assert (said in screen_text(app)) is bool(new)


async def test_nothing_is_marked_at_the_first_look(tmp_path, monkeypatch):
    root, cache = indexed_folder(SAMPLE, tmp_path)
    app = make_app(root, cache, tmp_path)
    opened = hold_library(monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one("#meetings", BrowseTable)
        await pilot.pause(0.2)
        assert app.new_meetings == set()
        opened.set()
        await ready(app, pilot)
        assert all(table.get_cell(k, "new").plain == " " for k in table.rows)
        assert app.new_meetings == set()


@pytest.mark.parametrize("paused", [True, False], ids=["paused", "not paused"])
async def test_the_collector_paused_for_the_start_is_resumed_at_the_first_frame(
    paused, tmp_path, monkeypatch
):
    root, cache = indexed_folder(SAMPLE, tmp_path)
    app = make_app(root, cache, tmp_path)
    app.gc_paused = paused
    opened = hold_library(monkeypatch)  # (the library, once loaded, is frozen in any case)
    was, frozen = gc.isenabled(), gc.get_freeze_count()
    gc.disable() if paused else gc.enable()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            assert await wait_until(pilot, lambda: app.screen.query("#meetings") and gc.isenabled())
            assert app.gc_paused is False and app.library is None
            # what the start made is frozen when the collector is resumed, not otherwise
            assert (gc.get_freeze_count() > frozen) is paused
            opened.set()
            await ready(app, pilot)
            assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable() if was else gc.disable()
