"""The browser answers from its first frame: a search typed while the library is still loading
is answered from the cache's files, with the hits the library's search gives once it is
loaded; a hit opened meanwhile opens once it is; a list screen asked for meanwhile says it is
loading, then becomes that screen. The loading is held back by a gate the test opens."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from earlyapp import MEETINGS, SAMPLE, hold_library, indexed_folder, make_app
from tuihelp import cursor_key, option_rows, ready, screen_text, table_rows, wait_until

from tuibrowser.store import Cache
from tuibrowser.tui import app as app_module
from tuibrowser.tui.screens.item import ItemScreen
from tuibrowser.tui.screens.people import PeopleScreen, PersonScreen
from tuibrowser.tui.screens.search import SearchScreen
from tuibrowser.tui.screens.waiting import WaitingScreen
from tuibrowser.tui.widgets import BrowseList, BrowseTable, TextBox

SIZE = (100, 40)
# every kind of record, phrases, prefixes, and words that are nowhere
QUERIES = ["council", "budget monitoring", '"local government"', "cllr", "kpi", "gov", "zyzzyva"]


@pytest.fixture(params=[MEETINGS, SAMPLE], ids=["meetings", "sample"])
def folder(request, tmp_path: Path) -> tuple[Path, Path]:
    """A meetings folder and its cache, indexed: the first frame is painted from it."""
    return indexed_folder(request.param, tmp_path)


@pytest.fixture
def gate(monkeypatch) -> threading.Event:
    """The library is not loaded until the test sets this."""
    return hold_library(monkeypatch)


async def answer(pilot, query: str) -> list[list[str]]:
    """Type ``query`` on the search screen; the hits it shows."""
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    box = screen.query_one(TextBox)
    box.focus()
    box.value = query
    await pilot.press("enter")

    def status() -> str:
        return str(screen.query_one("#search-status").render())

    assert await wait_until(pilot, lambda: "Searching" not in status(), tries=500)
    assert screen._last_query == query
    assert "match" in status(), status()  # answered: "… matches" or "No match for …"
    return option_rows(screen.query_one(BrowseList))


async def test_a_search_before_the_library_answers_as_the_library_does(folder, gate, tmp_path):
    root, cache = folder
    app = make_app(root, cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        early = {q: await answer(pilot, q) for q in QUERIES}
        assert app.library is None  # every answer came before the library
        assert any(early.values())
        gate.set()
        await ready(app, pilot)
        assert app.library is not None
        late = {q: await answer(pilot, q) for q in QUERIES}
    assert early == late


async def test_a_query_waiting_for_the_library_is_answered_once_it_is_loaded(
    folder, gate, tmp_path, monkeypatch
):
    root, cache = folder
    monkeypatch.setattr(Cache, "files_index", lambda self: None)  # the cache cannot answer
    app = make_app(root, cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.query_one(TextBox).value = "council"
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: "Loading the meetings" in screen_text(app))
        gate.set()
        await ready(app, pilot)
        assert await wait_until(pilot, lambda: bool(screen.hits))
        assert "match" in str(screen.query_one("#search-status").render())


async def test_a_hit_opened_before_the_library_opens_once_it_is_loaded(folder, gate, tmp_path):
    root, cache = folder
    app = make_app(root, cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await answer(pilot, "the")
        oid, first = next(
            (k, h) for k, h in screen.hits.items() if h.item_number and h.kind != "kpi"
        )
        hits = screen.query_one(BrowseList)
        hits.focus()
        hits.highlighted = hits.get_option_index(oid)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen  # said: it opens once the meetings are read
        gate.set()
        await ready(app, pilot)
        assert await wait_until(pilot, lambda: isinstance(app.screen, ItemScreen))
        item = app.screen
        assert isinstance(item, ItemScreen)
        assert (item.meeting_id, item.number) == (first.meeting_id, first.item_number)


# (People is listed from the cache's parts before the library: see the tests below; Topics and
# the dashboard too, see test_early_views.py: here their parts are not read)
@pytest.mark.parametrize("key, name", [("T", "Topics"), ("D", "KPIs"), ("A", "Decisions")])
async def test_a_list_asked_for_before_the_library_says_it_is_loading(
    folder, gate, tmp_path, key, name, monkeypatch
):
    monkeypatch.setattr(Cache, "topics", lambda self: None)
    monkeypatch.setattr(Cache, "ratings", lambda self: None)
    root, cache = folder
    app = make_app(root, cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(key)
        assert isinstance(app.screen, WaitingScreen)
        assert "Loading the meetings…" in screen_text(app)
        await pilot.press(key)  # asked again: still the one screen
        assert len(app.screen_stack) == 2
        gate.set()
        await ready(app, pilot)
        assert await wait_until(pilot, lambda: not isinstance(app.screen, WaitingScreen))
        assert app.screen.__class__.__name__ == app_module.LIST_SCREENS[_action(key)]
        assert len(app.screen_stack) == 2


def _action(key: str) -> str:
    return {"P": "people", "T": "topics", "D": "dashboard", "A": "decisions"}[key]


async def library_people(app, pilot) -> list[list[str]]:
    """The rows of the People list as the library gives them (a list opened once it is
    loaded, then closed)."""
    screen = PeopleScreen(app.library)
    await app.push_screen(screen)
    await pilot.pause()
    rows = table_rows(screen.query_one(BrowseTable))
    app.pop_screen()
    await pilot.pause()
    return rows


async def test_people_are_listed_with_their_attendance_before_the_library(folder, gate, tmp_path):
    root, cache = folder
    app = make_app(root, cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert await wait_until(pilot, lambda: app.loader.early.figures() is not None, tries=500)
        await pilot.press("P", "P")  # asked again: still the one screen
        early = app.screen
        assert isinstance(early, PeopleScreen) and app.library is None
        assert len(app.screen_stack) == 2
        assert await wait_until(pilot, lambda: app.loader.early._drawn.is_set())  # loading goes on
        rows = table_rows(early.query_one(BrowseTable))
        assert rows and "Present" in screen_text(app)
        keys = [row.value for row in early.query_one(BrowseTable).rows]
        await pilot.press("down", "enter")  # a person opened now opens once it is loaded
        gate.set()
        await ready(app, pilot)
        assert await wait_until(pilot, lambda: isinstance(app.screen, PersonScreen))
        person = app.screen
        assert isinstance(person, PersonScreen) and person.key == keys[1]
        await pilot.press("escape")
        assert app.screen is early and early.library is app.library
        assert table_rows(early.query_one(BrowseTable)) == rows
        assert await library_people(app, pilot) == rows  # the library's list is the same


async def test_people_listed_before_the_library_keep_the_filter_and_cursor_when_it_differs(
    folder, gate, tmp_path, monkeypatch
):
    """The files changed between the cache's parts and the library (here: the parts say less):
    the list is drawn again from the library, on the same filter and person."""
    root, cache = folder
    real = Cache.people_figures

    def stale(self):
        found = real(self)
        for f in found or []:
            f.counts["present"] = f.counts.get("present", 0) + 100
        return found

    monkeypatch.setattr(Cache, "people_figures", stale)
    app = make_app(root, cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert await wait_until(pilot, lambda: app.loader.early.figures() is not None, tries=500)
        await pilot.press("P")
        screen = app.screen
        assert isinstance(screen, PeopleScreen)
        table = screen.query_one(BrowseTable)
        await pilot.press(*"an")  # typed into the filter
        box = screen.query_one("#people-filter", TextBox)
        assert box.value == "an" and table.row_count > 1
        table.focus()
        await pilot.press("down")
        key = cursor_key(table)
        before = table_rows(table)
        gate.set()
        await ready(app, pilot)
        assert await wait_until(pilot, lambda: table_rows(table) != before, tries=500)
        assert box.value == "an" and cursor_key(table) == key
        await pilot.press("escape")  # the filter emptied: everyone, as the library counts
        assert box.value == ""
        assert table_rows(table) == await library_people(app, pilot)


async def test_people_asked_for_before_the_cache_is_open_are_listed_once_it_is(
    folder, gate, tmp_path, monkeypatch
):
    root, cache = folder
    opened = threading.Event()
    figured = threading.Event()
    real = Cache.files_index
    real_figures = Cache.people_figures

    def held(self):
        assert opened.wait(60), "the test never let the cache's files open"
        return real(self)

    def held_figures(self):
        assert figured.wait(60), "the test never let the figures be read"
        return real_figures(self)

    monkeypatch.setattr(Cache, "files_index", held)
    monkeypatch.setattr(Cache, "people_figures", held_figures)
    app = make_app(root, cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("P")
        waiting = app.screen
        assert isinstance(waiting, WaitingScreen)
        assert "People opens as soon as they are read" in screen_text(app)
        opened.set()
        table = waiting.query_one(BrowseTable)
        assert await wait_until(pilot, lambda: table.row_count > 0, tries=500)
        assert "attendance shows as soon as they are read" in screen_text(app)
        figured.set()  # the figures read: the list with attendance, before the library
        assert await wait_until(pilot, lambda: isinstance(app.screen, PeopleScreen), tries=500)
        assert app.library is None and len(app.screen_stack) == 2
        gate.set()
        await ready(app, pilot)
        assert isinstance(app.screen, PeopleScreen)


async def test_people_asked_for_at_the_first_frame_wait_for_no_index_when_merged(
    folder, gate, tmp_path, monkeypatch
):
    """The People figures merged by an earlier reader: People asked for at the first frame is
    listed from them while the search index is still being opened (read first, they are a
    moment away), the library's list."""
    root, cache = folder
    assert Cache(root, cache).people_figures()  # merged and kept by a reader before
    asked = threading.Event()
    opened = threading.Event()
    real_kept, real_index = Cache.kept_views, Cache.files_index

    def kept(self, views):
        assert asked.wait(60), "the test never asked for People"
        return real_kept(self, views)

    def held(self):
        assert opened.wait(60), "the test never let the cache's files open"
        return real_index(self)

    monkeypatch.setattr(Cache, "kept_views", kept)
    monkeypatch.setattr(Cache, "files_index", held)
    app = make_app(root, cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("P")
        assert isinstance(app.screen, WaitingScreen)
        asked.set()  # the loading worker opens what the first frame's screens read

        def people_mounted() -> bool:  # the screen is pushed a moment before its table mounts
            return isinstance(app.screen, PeopleScreen) and bool(app.screen.query(BrowseTable))

        assert await wait_until(pilot, people_mounted, tries=500)
        assert not opened.is_set() and app.library is None
        early = app.screen
        table = early.query_one(BrowseTable)
        assert await wait_until(pilot, lambda: table.row_count > 0, tries=500)
        rows = table_rows(table)
        # (the rows are in the table a frame before they are painted)
        assert await wait_until(pilot, lambda: "Present" in screen_text(app), tries=500)
        opened.set()
        gate.set()
        await ready(app, pilot)
        assert app.screen is early and early.library is app.library
        assert await library_people(app, pilot) == rows
