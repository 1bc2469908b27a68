"""Topics and the dashboard from the first frame: T and D pressed before the library is loaded
show the real list and the real ratings, read from the cache's parts (the same as the
library's); the dashboard's other tabs say they wait for the library. When it arrives the
screens keep what the user is on (the topic under the cursor, the tab and where the ratings are
scrolled to). The loading is held back by a gate the test opens."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from earlyapp import MEETINGS, SAMPLE, hold_library, indexed_folder, make_app
from kpi_host import Host
from textual.containers import VerticalScroll
from textual.widgets import TabbedContent
from tuihelp import cursor_key, ready, screen_text, table_rows, wait_until

from tuibrowser.kpi.glance import DRAWN_AT_MOST
from tuibrowser.library import build
from tuibrowser.model import Document, Kpi
from tuibrowser.store import Cache
from tuibrowser.tui.screens.dashboard import DashboardScreen
from tuibrowser.tui.screens.dashboard.kpis_pane import KpisPane
from tuibrowser.tui.screens.dashboard.ratings_pane import FIRST_PERIODS, RatingsPane
from tuibrowser.tui.screens.dashboard.waiting_pane import WaitingPane
from tuibrowser.tui.screens.topics import TopicScreen, TopicsScreen
from tuibrowser.tui.widgets import BrowseTable

SIZE = (100, 40)


@pytest.fixture(params=[MEETINGS, SAMPLE], ids=["meetings", "sample"])
def folder(request, tmp_path: Path) -> tuple[Path, Path]:
    """A meetings folder and its cache, indexed: the first frame is painted from it."""
    return indexed_folder(request.param, tmp_path)


@pytest.fixture
def gate(monkeypatch) -> threading.Event:
    """The library is not loaded until the test sets this."""
    return hold_library(monkeypatch)


async def library_text(app, pilot) -> str:
    """What the dashboard made of the library shows first (opened, read, closed)."""
    await app.push_screen(DashboardScreen(app.library))
    await pilot.pause()
    await pilot.pause()
    text = screen_text(app)
    app.pop_screen()
    await pilot.pause()
    return text


async def test_topics_are_listed_before_the_library_as_the_library_lists_them(
    folder, gate, tmp_path
):
    root, cache = folder
    app = make_app(root, cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert await wait_until(pilot, lambda: app.loader.early.view("topics") is not None, 500)
        await pilot.press("T", "T")  # asked again: still the one screen
        early = app.screen
        assert isinstance(early, TopicsScreen) and app.library is None
        assert len(app.screen_stack) == 2
        assert await wait_until(pilot, lambda: app.loader.early._drawn.is_set())  # loading goes on
        table = early.query_one(BrowseTable)
        rows = table_rows(table)
        assert len(rows) > 1 and rows[0][0] in screen_text(app)
        await pilot.press("down")
        key = cursor_key(table)
        gate.set()
        await ready(app, pilot)
        assert early.library is app.library and app.library is not None
        assert table_rows(table) == rows and cursor_key(table) == key
        made = TopicsScreen(app.library)
        await app.push_screen(made)
        await pilot.pause()
        assert table_rows(made.query_one(BrowseTable)) == rows  # the library's list is the same
        app.pop_screen()
        await pilot.pause()
        await pilot.press("enter")  # the topic opens, of the library
        assert await wait_until(pilot, lambda: isinstance(app.screen, TopicScreen))
        topic = app.screen
        assert isinstance(topic, TopicScreen) and topic.key == key and topic.topic is not None


async def test_topics_listed_before_the_library_keep_the_cursor_when_it_differs(
    folder, gate, tmp_path, monkeypatch
):
    """The files changed between the cache's parts and the library (here: the parts say more
    meetings): the list is drawn again from the library, on the same topic."""
    root, cache = folder
    real = Cache.topics

    def stale(self):
        return [t._replace(meetings=t.meetings + 100) for t in real(self) or []]

    monkeypatch.setattr(Cache, "topics", stale)
    app = make_app(root, cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert await wait_until(pilot, lambda: app.loader.early.view("topics") is not None, 500)
        await pilot.press("T")
        screen = app.screen
        assert isinstance(screen, TopicsScreen)
        table = screen.query_one(BrowseTable)
        await pilot.press("down")
        key = cursor_key(table)
        before = table_rows(table)
        gate.set()
        await ready(app, pilot)
        assert await wait_until(pilot, lambda: table_rows(table) != before, tries=500)
        assert cursor_key(table) == key
        assert [row[1:] for row in table_rows(table)] != [row[1:] for row in before]


@pytest.mark.parametrize("folder", [MEETINGS], indirect=True, ids=["meetings"])  # KPIs
async def test_the_dashboard_shows_its_ratings_before_the_library(folder, gate, tmp_path):
    root, cache = folder
    app = make_app(root, cache, tmp_path)
    async with app.run_test(size=(100, 16)) as pilot:  # (the ratings scroll)
        await pilot.pause()
        assert await wait_until(pilot, lambda: app.loader.early.view("ratings") is not None, 500)
        await pilot.press("D", "D")
        early = app.screen
        assert isinstance(early, DashboardScreen) and app.library is None
        assert len(app.screen_stack) == 2
        assert await wait_until(pilot, lambda: app.loader.early._drawn.is_set())
        await pilot.pause()
        top = screen_text(app)
        assert "Rows:" in top and "Stated:" in top, top
        await pilot.press("right_square_bracket")  # the KPI table waits for the library: said
        tabs = early.query_one(TabbedContent)
        assert tabs.active == "tab-kpis"
        assert early.query(WaitingPane) and not early.query(KpisPane)
        assert "Loading the meetings… the KPIs tab" in screen_text(app)
        await pilot.press("left_square_bracket")  # back on the ratings, scrolled down
        overview = early.query_one("#dash-overview", VerticalScroll)
        overview.focus()
        await pilot.press("j", "j", "j")
        await pilot.pause()
        scrolled, seen = overview.scroll_y, screen_text(app)
        assert scrolled > 0
        gate.set()
        await ready(app, pilot)
        assert await wait_until(pilot, lambda: bool(early.query(KpisPane)), tries=500)
        assert early.library is app.library and not early.query(WaitingPane)
        now = early.query_one("#dash-overview", VerticalScroll)
        assert early.query_one(TabbedContent).active == "tab-ratings"
        assert await wait_until(pilot, lambda: now.scroll_y == scrolled)
        await pilot.pause()
        assert screen_text(app) == seen
        assert await library_text(app, pilot) == top  # the library's ratings: the same


@pytest.mark.parametrize("folder", [MEETINGS], indirect=True, ids=["meetings"])  # KPIs
async def test_a_dashboard_tab_waiting_for_the_library_is_filled_when_it_is_there(
    folder, gate, tmp_path
):
    root, cache = folder
    app = make_app(root, cache, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert await wait_until(pilot, lambda: app.loader.early.view("ratings") is not None, 500)
        await pilot.press("D", "right_square_bracket")
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.query_one(TabbedContent).active == "tab-kpis"
        gate.set()
        await ready(app, pilot)
        assert await wait_until(pilot, lambda: bool(screen.query(KpisPane)), tries=500)
        assert screen.query_one(TabbedContent).active == "tab-kpis"
        assert "Loading the meetings" not in screen_text(app)
        assert "rows" in screen_text(app)


@pytest.mark.parametrize("periods", [FIRST_PERIODS - 3, FIRST_PERIODS + 7, DRAWN_AT_MOST + 4])
async def test_the_ratings_draw_their_newest_periods_first_and_the_rest_right_after(
    monkeypatch, periods
):
    """The Ratings tab's first frame lays out its first page of periods (laying out 200 at once
    held the dashboard back seconds); the rest, up to those drawn at most, follow after it."""
    docs = [
        Document(
            path=f"m{n}.md",
            board="B",
            date=f"{2000 + n // 300}-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
            kpis=[Kpi(code=f"K{n}", rating="green", period=f"Period {n}")],
        )
        for n in range(periods)
    ]
    first: list[int] = []
    real = RatingsPane._draw_rest

    async def counted(self):
        first.append(len(self.query(".period")))
        await real(self)

    monkeypatch.setattr(RatingsPane, "_draw_rest", counted)
    app = Host(build(docs))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert first == [min(periods, FIRST_PERIODS)]
        assert len(app.screen.query(".period")) == min(periods, DRAWN_AT_MOST)
        ids = [w.id for w in app.screen.query(".period")]
        assert ids == [f"period-{i}" for i in range(len(ids))]  # newest first, in order
