"""The browser on a shared PostgreSQL store (``tuibrowser --store URL``): the meeting list
from the store's rows, a meeting's texts read when it is opened, and in public no
confidential item."""

from __future__ import annotations

from pathlib import Path

import orjson
from tuihelp import ready, screen_text

from tuibrowser.ondemand import OnDemandLibrary

CORPUS = Path(__file__).resolve().parents[2] / "meetings"
MEETING = "2018-05-24-improvement-innovation-board"


def ingested(url: str) -> str:
    from tuibrowser.store.pg.store import PgStore

    PgStore(url, CORPUS, ingest=True).update()
    return url


async def test_the_browser_opens_on_a_store_and_shows_the_meeting_list(pg_db, make_app):
    app = make_app(CORPUS, store_url=ingested(pg_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        text = screen_text(app)
        assert "7 meetings" in text and "2023-07-21" in text and "2016-01-19" in text
        lib = app.library
        assert isinstance(lib, OnDemandLibrary) and not lib.in_memory  # no meeting read
        m = lib.full(MEETING)  # its documents, then its texts, read when it is opened
        assert m is not None and any(it.minute for it in m.items)
        assert not lib.in_memory


async def test_the_public_browser_on_a_store_shows_no_confidential_item(pg_db, make_app):
    app = make_app(CORPUS, store_url=ingested(pg_db), public=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        assert "7 meetings" in screen_text(app)
        assert app.library is not None
        m = app.library.full(MEETING)
        assert m is not None and [it.number for it in m.items if it.number == "8"] == []
        # nor its text where the agenda's contents table and the minutes' notes repeat it
        shown = orjson.dumps(m.to_dict()).decode()
        assert "Digital Declaration" not in shown and "presentation by Paul" not in shown


async def test_the_browser_on_a_store_marks_and_remembers_the_meetings_new_since_the_last_look(
    pg_db, make_app
):
    """The marks come from the list's rows (an id and a fingerprint each, read in SQL), not
    from the meetings: no meeting is read for them, and the look is remembered."""
    from tuibrowser.store.pg.store import PgStore

    url = ingested(pg_db)
    rows = PgStore(url, CORPUS).rows()
    assert rows is not None and len(rows) == 7
    new = {rows[0].id, rows[3].id}
    app = make_app(CORPUS, store_url=url)
    app.state.remember(CORPUS, [r for r in rows if r.id not in new])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        assert app.new_meetings == new
        assert f"● {len(new)} new or changed since you last looked" in screen_text(app)
        lib = app.library
        assert isinstance(lib, OnDemandLibrary) and not lib.in_memory
    # the look was remembered: the next one marks nothing
    assert app.state.changed(CORPUS, rows) == set()
    again = make_app(CORPUS, store_url=url, state=app.state)
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(again, pilot)
        assert again.new_meetings == set()
