"""Snapshots of the search, people, topics and decisions screens at 80x24 and 120x40.

A fixed small library and a host app keep them deterministic; the input cursor does not blink.
Update with ``pytest tests/tui/test_snapshots_browse.py --snapshot-update`` after a deliberate change.
"""

import pytest
from browse_support import HostApp, small_library
from textual.widgets import Input, Static

from tuibrowser.tui.screens.decisions import DecisionsScreen
from tuibrowser.tui.screens.people import PeopleScreen, PersonScreen
from tuibrowser.tui.screens.search import SearchScreen
from tuibrowser.tui.screens.topics import TopicScreen, TopicsScreen

SIZES = [(80, 24), (120, 40)]
SCREENS = {
    "search": lambda lib: SearchScreen(lib, "housing"),
    "people": PeopleScreen,
    "person": lambda lib: PersonScreen(lib, "bob-baker"),
    "topics": TopicsScreen,
    "topic": lambda lib: TopicScreen(lib, "housing-delivery-programme"),
    "decisions": DecisionsScreen,
}


async def settle(pilot):
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    screen = pilot.app.screen
    if isinstance(screen, SearchScreen):
        for _ in range(100):
            await pilot.pause(0.05)
            status = screen.query_one("#search-status", Static).content
            if "match" in str(status):
                break
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_browse_screen_snapshot(snap_compare, name, size):
    app = HostApp(small_library(), SCREENS[name])
    assert snap_compare(app, terminal_size=size, run_before=settle)
