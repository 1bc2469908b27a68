"""The meeting list on a PostgreSQL store (``tuibrowser --store URL``) asks the store for the
page it shows (filter, sort and keyset pages in SQL) and shows what the cache's list shows:
the same rows in the same order and the same counts, key by key, as the user types a filter,
changes the sort and scrolls; the store's text only as literal text; in public nothing the
public role may not select."""

from __future__ import annotations

from pathlib import Path

import pytest
from manyfiles import many_meetings
from tuihelp import ready, table_rows

from tuibrowser.state import SeenState

CORPUS = Path(__file__).resolve().parents[2] / "meetings"
SIZE = (120, 40)

# What the user does, step by step: typed words (small letters, digits and space type into
# the filter), commands (capitals, arrows, Escape), and "end" on the list to scroll to its last
# row (the next page is shown, and the one after it read).
SCRIPT: list[tuple[str, str]] = [
    ("keys", "end"),
    ("keys", "end"),
    ("type", "board"),
    ("keys", "down end"),
    ("keys", "S"),
    ("keys", "R"),
    ("type", " 2"),
    ("keys", "S S"),
    ("keys", "escape escape"),
    ("keys", "S R end"),
    ("type", "counc"),
    ("keys", "S"),
    ("type", "il 199"),
    ("keys", "S R"),
    ("type", "zzz"),
    ("keys", "backspace backspace backspace backspace escape S"),
    ("type", "innov"),
    ("keys", "S end"),
]


@pytest.fixture(scope="module")
def folders(pg_cluster, tmp_path_factory):
    """The bundled meetings and a generated folder of some hundreds (pages beyond the first
    two), both ingested into one store."""
    from tuibrowser.store.pg.store import PgStore

    url = pg_cluster.create_database("pglist")
    generated = many_meetings(tmp_path_factory.mktemp("generated"), 600)
    for root in (CORPUS, generated):
        PgStore(url, root, ingest=True).update()
    return url, {"seeds": CORPUS, "generated": generated}


def shown(app) -> list[list[str]]:
    """The list as the user sees it: every row in the table, then the status line."""
    screen = app.screen
    rows = table_rows(screen.query_one("#meetings"))
    status = str(screen.query_one("#status").render())
    return [*rows, [status, screen.query_one("#filter").value, screen.sort_column]]


async def walk(app) -> list[list[list[str]]]:
    """What the list shows after each step of :data:`SCRIPT`."""
    seen = []
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        seen.append(shown(app))
        for kind, what in SCRIPT:
            keys = list(what.replace(" ", "\0")) if kind == "type" else what.split()
            for key in keys:
                await pilot.press("space" if key == "\0" else key)
                await ready(app, pilot)
            seen.append(shown(app))
    return seen


@pytest.mark.parametrize(
    "folder, public", [("seeds", False), ("seeds", True), ("generated", False)]
)
async def test_the_list_on_a_store_shows_what_the_cache_shows(
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
    assert store.list_pages is not None and cache.list_pages is None
    assert len(on_store) == len(on_cache) == len(SCRIPT) + 1
    for step, (want, got) in enumerate(zip(on_cache, on_store, strict=True)):
        assert got == want, (step, SCRIPT[step - 1] if step else "first frame")
    if folder == "generated":  # pages beyond the first two were read as the list scrolled
        assert max(len(s) for s in on_store) > 300


async def test_the_store_list_holds_pages_not_every_meeting(folders, make_app):
    url, roots = folders
    app = make_app(roots["generated"], store_url=url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        screen = app.screen
        total = app.meeting_total
        assert total > 300 and screen.rows == []
        assert len(screen.matching) == 200 and screen.shown == 100  # one page ahead
        assert f"{total} meetings" in str(screen.query_one("#status").render())
        for key in "boa":
            await pilot.press(key)
        await ready(app, pilot)
        assert len(screen.matching) <= 200 < screen.held.count  # counted in SQL


@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
async def test_the_public_list_on_a_store_finds_no_confidential_title(folders, make_app, public):
    url, roots = folders
    app = make_app(roots["seeds"], store_url=url, public=public)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        for key in "digital declaration":
            await pilot.press("space" if key == " " else key)
        await ready(app, pilot)
        status = str(app.screen.query_one("#status").render())
        if public:
            assert app.screen.held.count == 0 and status.startswith("0 of 7")
        else:
            assert app.screen.held.count == 1 and status.startswith("1 of 7")


HOSTILE = "[bold red]loud[/] \x1b[2J\x07\u202egone\r\nnext"


@pytest.mark.parametrize("field", ["board", "venue", "docs", "date"])
async def test_the_store_list_shows_its_text_literally(pg_db, make_app, tmp_path, field):
    """A store is written by others: a row's text with markup, escapes and line breaks
    reaches the screen as literal text on one line, with no control character."""
    import psycopg

    from tuibrowser.store.pg.store import PgStore

    PgStore(pg_db, CORPUS, ingest=True).update()
    with psycopg.connect(pg_db, autocommit=True) as conn:
        conn.execute(
            "UPDATE meetings SET row = jsonb_set(row, %s, to_jsonb(%s::text))",
            ([field], HOSTILE),
        )
    app = make_app(CORPUS, store_url=pg_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        cells = [c for row in table_rows(app.screen.query_one("#meetings")) for c in row]
        title = str(app.screen.query_one("#title").render())
        shown_text = "".join(cells) + title
        assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in shown_text)
        assert "\u202e" not in shown_text
        if field in ("venue", "docs", "date"):  # cut to its column: its start, literally
            assert any(c.startswith("[bold red]") for c in cells)


async def test_enter_in_the_store_lists_filter_opens_its_one_meeting_with_its_texts(
    folders, make_app
):
    """A filter that keeps one meeting (counted in SQL): Enter opens it, its long texts read
    from the store when it is opened."""
    url, roots = folders
    app = make_app(roots["seeds"], store_url=url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        for key in "2018-05-24":
            await pilot.press(key)
        await ready(app, pilot)
        assert app.screen.held.count == 1
        await pilot.press("enter")
        await ready(app, pilot)
        assert type(app.screen).__name__ == "MeetingScreen"
        meeting = app.library.full("2018-05-24-improvement-innovation-board")
        assert meeting is not None and any(it.minute for it in meeting.items)
