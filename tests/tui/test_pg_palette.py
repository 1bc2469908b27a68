"""The command palette (Ctrl+P) of a browser on a PostgreSQL store never reads the whole
library, nor asks the store on the app's thread: at each key the store finds the meetings,
people and KPI rows whose title can match, in SQL, in a thread; and the palette offers what
it offers on the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from storethreads import watch_threads
from tuihelp import ready, screen_text, wait_until

from tuibrowser.ondemand import OnDemandLibrary
from tuibrowser.state import SeenState
from tuibrowser.store.pg.palette import LIMIT, pattern

CORPUS = Path(__file__).resolve().parents[2] / "meetings"
SIZE = (120, 40)
SECRET = "Digital Declaration"  # the title of the seeds' confidential item

# what is typed: a meeting's date, a person, KPI rows, a topic, words of several kinds, one
# letter (more meetings than a page: the store's page of them), odd characters
TYPED = [
    "meeting 2018-05-24",
    "Bettison",
    "kpi e1",
    "topic budget",
    "digital",
    "person cllr",
    "e",
    "[.*?]",
    "ÉTÉ",
]


@pytest.fixture(scope="module")
def store_url(pg_cluster):
    from tuibrowser.store.pg.store import PgStore

    url = pg_cluster.create_database("pgpalette")
    PgStore(url, CORPUS, ingest=True).update()
    return url


async def test_typing_in_the_palette_on_a_store_reads_no_library_on_the_app_thread(
    store_url, make_app
):
    app = make_app(CORPUS, store_url=store_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        lib = app.library
        assert isinstance(lib, OnDemandLibrary) and not lib.in_memory
        on_app_thread = watch_threads(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"meeting 2018-05-24")
        assert await wait_until(pilot, lambda: "Meeting 2018-05-24" in screen_text(app))
        await ready(app, pilot)  # the search's last hits in (the KPI rows come after the rest)
        await pilot.press("enter")
        await pilot.pause()
        await ready(app, pilot)
        assert type(app.screen).__name__ == "MeetingScreen"
        assert app.screen.meeting_id == "2018-05-24-improvement-innovation-board"
        assert on_app_thread and not any(on_app_thread)  # asked, never on the app's thread
        assert not lib.in_memory  # and no meeting but those shown read


async def hits(app, typed: str) -> list[tuple[str, str]]:
    """The palette's hits for ``typed`` on the current screen: text and help, sorted."""
    from tuibrowser.tui.commands import BrowserCommands

    provider = BrowserCommands(app.screen)
    return sorted([(h.text or "", h.help or "") async for h in provider.search(typed)])


@pytest.mark.parametrize("public", [False, True])
async def test_the_palette_on_a_store_offers_what_it_offers_on_the_cache(
    store_url, make_app, tmp_path, public
):
    found = {}
    for name, kwargs in (("cache", {}), ("store", {"store_url": store_url})):
        app = make_app(CORPUS, public=public, state=SeenState(tmp_path / f"{name}.json"), **kwargs)
        async with app.run_test(size=SIZE) as pilot:
            await ready(app, pilot)
            found[name] = {typed: await hits(app, typed) for typed in TYPED}
            lib = app.library
            assert not isinstance(lib, OnDemandLibrary) or not lib.in_memory
    for typed in TYPED:
        for kind in ("Meeting ", "Person ", "KPI ", "Topic ", "Go to: ", "Show: "):
            cache = [h for h in found["cache"][typed] if h[0].startswith(kind)]
            store = [h for h in found["store"][typed] if h[0].startswith(kind)]
            if len(cache) > LIMIT:  # a page of them on the store
                assert len(store) == LIMIT and set(store) < set(cache), (typed, kind)
            else:
                assert store == cache, (typed, kind)
    kinds = {h[0].split()[0] for hs in found["store"].values() for h in hs}
    assert {"Meeting", "Person", "KPI", "Topic"} <= kinds
    if public:
        assert SECRET not in str(found["store"])


@pytest.mark.parametrize("typed", ["abc", "a.b", "x*y", "[q]", "é", "ǅ", "a\\b", "^$", "a b  c"])
def test_the_stores_pattern_keeps_every_title_the_palettes_matcher_keeps(pg_url, typed):
    """The store's pattern (a superset of the fuzzy matcher's) keeps each title the matcher
    keeps, as the server reads it."""
    import psycopg
    from textual.fuzzy import Matcher

    titles = ["ABC", "a.b", "x**y", "[Q]", "É", "ǆ", "a\\b", "^$", "AB C", "cab", "a-b", "ab"]
    matcher = Matcher(typed)
    with psycopg.connect(pg_url) as conn:
        for title in titles:
            (kept,) = conn.execute("SELECT %s ~ %s", (title, pattern(typed))).fetchone()
            if matcher.match(title) > 0:
                assert kept, (typed, title)
