"""The browser on a PostgreSQL store reads no meeting at start (``tuibrowser --store URL``):
each screen is answered on demand — a meeting and its items when opened, the People list and
the Topics as the store keeps them, a person's page of the meetings that name them, search in
SQL — and shows what the cache's browser shows, row by row, as the same keys are pressed; a
screen that needs every meeting (the dashboard) reads them once, when it is first opened. In
public nothing confidential reaches a screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from manyfiles import many_meetings
from textual.widgets import DataTable
from tuihelp import ready, screen_text, table_rows

from tuibrowser.ondemand import OnDemandLibrary
from tuibrowser.state import SeenState

CORPUS = Path(__file__).resolve().parents[2] / "meetings"
SIZE = (120, 40)
SECRET = "Digital Declaration"  # the title of the seeds' confidential item

# What the user does: keys pressed (on a list, small letters type into its filter), or a
# meeting opened by the app (as Enter on the list does); after each step the screen is read.
# Before "dashboard" no step may need every meeting.
SCRIPT: list[tuple[str, str]] = [
    ("keys", "P"),  # the People list
    ("keys", "enter"),  # the first person's page
    ("keys", "escape down down enter"),  # the third's
    ("keys", "escape escape T"),  # the Topics
    ("keys", "enter"),  # the first topic
    ("keys", "escape down enter"),  # the second
    ("keys", "escape escape"),
    ("meeting", "2"),  # the list's third meeting
    ("keys", "enter"),  # its first item, its texts read from the store
    ("keys", "escape escape slash"),
    ("type", "board"),  # search
    ("keys", "escape escape"),
    ("meeting", "40"),  # the 41st (or the last)
    ("keys", "escape"),
    ("dashboard", "D"),  # every meeting read, in a thread, then the dashboard
]


@pytest.fixture(scope="module")
def folders(pg_cluster, tmp_path_factory):
    """The bundled meetings and a generated folder of some hundreds, ingested into one store."""
    from tuibrowser.store.pg.store import PgStore

    url = pg_cluster.create_database("pgscreens")
    generated = many_meetings(tmp_path_factory.mktemp("generated"), 300)
    for root in (CORPUS, generated):
        PgStore(url, root, ingest=True).update()
    return url, {"seeds": CORPUS, "generated": generated}


def shown(app) -> list[object]:
    """What the screen shows: its name, every row of its tables, then its text."""
    screen = app.screen
    tables = [table_rows(t) for t in screen.query(DataTable)]
    return [type(screen).__name__, tables, screen_text(app)]


async def walk(app) -> list[list[object]]:
    """What the screens show after each step of :data:`SCRIPT`; on a store, whether every
    meeting was read before the dashboard."""
    seen = []
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        for kind, what in SCRIPT:
            if kind == "meeting":
                rows = app.meeting_rows
                app.open_meeting(rows[min(int(what), len(rows) - 1)].id)
            elif kind == "type":
                for key in what:
                    await pilot.press(key)
            else:
                for key in what.split():
                    await pilot.press(key)
            await ready(app, pilot)
            await pilot.pause(0.05)
            await ready(app, pilot)
            lib = app.library
            if kind != "dashboard" and isinstance(lib, OnDemandLibrary):
                assert not lib.in_memory, (kind, what)  # no step read every meeting
            seen.append(shown(app))
    return seen


@pytest.mark.parametrize(
    "folder, public", [("seeds", False), ("seeds", True), ("generated", False)]
)
async def test_each_screen_on_a_store_shows_what_the_cache_shows(
    folders, make_app, tmp_path, folder, public
):
    url, roots = folders
    root = roots[folder]
    cache = make_app(root, public=public, state=SeenState(tmp_path / "cache-seen.json"))
    on_cache = await walk(cache)
    store = make_app(
        root, public=public, store_url=url, state=SeenState(tmp_path / "store-seen.json")
    )
    on_store = await walk(store)
    assert isinstance(store.library, OnDemandLibrary) and store.library.in_memory
    assert not isinstance(cache.library, OnDemandLibrary)
    names = [step[0] for step in on_store]
    assert names[:6] == [
        "PeopleScreen",
        "PersonScreen",
        "PersonScreen",
        "TopicsScreen",
        "TopicScreen",
        "TopicScreen",
    ]
    assert {"MeetingScreen", "ItemScreen", "SearchScreen", "DashboardScreen"} <= set(names)
    for step, (want, got) in enumerate(zip(on_cache, on_store, strict=True)):
        assert got == want, (step, SCRIPT[step])
    if public:
        assert not any(SECRET in str(step) for step in on_store)
    elif folder == "seeds":
        assert any(SECRET in str(step) for step in on_store)  # the officer sees it


async def test_a_person_and_a_meeting_on_a_store_read_only_what_they_show(folders, make_app):
    """A meeting opened reads its date's documents, a person's page the half months that
    name them: never every meeting."""
    url, roots = folders
    app = make_app(roots["seeds"], store_url=url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        lib = app.library
        assert isinstance(lib, OnDemandLibrary)
        first = app.meeting_rows[0].id
        m = lib.meeting(first)
        assert m is not None and m.id == first and m.attendance
        assert lib.meeting(first[:10] + "-no-such-board") is None
        keys = sorted({a.person for a in m.attendance if a.person})
        assert all(key in lib.people for key in keys) and not lib.in_memory
        read = {key: lib.of_person(key) for key in keys}
        for key, of_person in read.items():  # every meeting they are at, and their page's
            assert first in {a.meeting for a in of_person.people[key].meetings}
        assert min(len(of.meetings) for of in read.values()) < app.meeting_total
        assert not lib.in_memory
