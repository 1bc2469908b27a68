"""The seam between the app and its screens (tui/host.py): the app keeps the BrowserApp
protocol, and a library read again reaches every screen of the stack that shows it through the
Updates signals (no screen is looked up by its hooks)."""

from __future__ import annotations

import inspect

from browse_support import small_library
from hostapp import HostApp
from tuihelp import ready

from tuibrowser.tui.host import BrowserApp
from tuibrowser.tui.screens.item import ItemScreen
from tuibrowser.tui.screens.meeting import MeetingScreen
from tuibrowser.tui.screens.meetings import MeetingsScreen

MAY = "2018-05-24-improvement-innovation-board"


def members() -> set[str]:
    names = set(BrowserApp.__annotations__)
    names |= {n for n, v in vars(BrowserApp).items() if inspect.isfunction(v)}
    return {n for n in names if not n.startswith("_")}


def test_the_protocol_names_what_the_screens_ask_for():
    assert {"library", "updates", "say", "gone", "open_item", "open_meeting"} <= members()


async def test_the_app_keeps_the_protocol(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        missing = [n for n in members() if not hasattr(app, n)]
        assert missing == []


def test_the_test_host_app_keeps_the_protocol():
    """The screens' tests run on HostApp: it answers all the browser does, so a screen tested
    there finds nothing missing in the browser, nor the other way round."""
    app = HostApp(small_library(), lambda lib: MeetingScreen(lib, MAY))
    missing = [n for n in members() if not hasattr(app, n)]
    assert missing == []


async def test_a_library_read_again_reaches_every_screen_of_the_stack(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        first = app.library
        app.open_meeting(MAY)
        await pilot.pause()
        app.open_item(MAY, "4")
        await pilot.pause()
        stack = app.screen_stack
        home, meeting, item = stack[-3], stack[-2], stack[-1]
        assert isinstance(home, MeetingsScreen) and isinstance(meeting, MeetingScreen)
        assert isinstance(item, ItemScreen) and meeting.library is first
        app.load_library()  # the files read again: a new library, published to the screens
        await ready(app, pilot)
        await pilot.pause()
        assert app.library is not first
        assert meeting.library is app.library  # below the item screen, it heard all the same
        assert len(home.rows) == len(app.library.meetings)
