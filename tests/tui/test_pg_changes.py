"""What changed since the user last looked, told by a browser on a PostgreSQL store as the
cache's browser tells it — the changes of each meeting, the log, a meeting's page and the
changes view — reading only the meetings that changed (the whole list's fingerprints are
read in SQL), never every meeting."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from manyfiles import many_meetings
from textual.widgets import DataTable
from tuihelp import ready, screen_text, table_rows

from tuibrowser.ondemand import OnDemandLibrary
from tuibrowser.state import SeenState
from tuibrowser.store.pg.store import PgStore
from tuibrowser.store.pg.views import StoreAnswers

CORPUS = Path(__file__).resolve().parents[2] / "meetings"
SIZE = (120, 40)
MAY_MINUTES = "2018-05-24-improvement-innovation-board-minutes.md"


def edit_may(root: Path) -> None:
    """An attendee sends apologies, the venue moves, an item is added."""
    path = root / MAY_MINUTES
    text = path.read_text()
    text = text.replace("status: present", "status: apologies", 1)
    text = text.replace("venue: Smith Square 3&4", "venue: Room 9, Smith Square 3&4", 1)
    path.write_text(text + "\n## 9. Any other business\n\nNothing was raised.\n")


def edit_many(root: Path) -> None:
    """More meetings than are summarized with their texts: an item added to each of 150
    files, and one file removed."""
    files = sorted(root.glob("*.md"))
    for path in files[:150]:
        path.write_text(path.read_text() + "\n## 99. Any other business\n\nNothing was raised.\n")
    files[-1].unlink()


def generated(root: Path) -> Path:
    return many_meetings(root, 300)


def seeds(root: Path) -> Path:
    shutil.copytree(CORPUS, root)
    return root


CASES = {
    "one meeting": (seeds, edit_may, False),
    "one meeting, public": (seeds, edit_may, True),
    "many meetings": (generated, edit_many, False),
}


class Reads:
    """The dates whose documents the store's library reads, and whether it read them all."""

    def __init__(self, monkeypatch) -> None:
        self.dates: list[str] = []
        self.whole = 0
        of_date, of_dates, whole = (
            StoreAnswers.documents_of_date,
            StoreAnswers.documents_of_dates,
            StoreAnswers.whole,
        )

        def one(answers, date):
            self.dates.append(date)
            return of_date(answers, date)

        def many(answers, dates):
            self.dates.extend(dates)
            return of_dates(answers, dates)

        def every(answers):
            self.whole += 1
            return whole(answers)

        monkeypatch.setattr(StoreAnswers, "documents_of_date", one)
        monkeypatch.setattr(StoreAnswers, "documents_of_dates", many)
        monkeypatch.setattr(StoreAnswers, "whole", every)


async def look(app, changed: bool) -> dict[str, object]:
    """What the browser tells of the changes: found, logged, and shown (the changes view,
    then the page of the first meeting that changed)."""
    told: dict[str, object] = {}
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        found = app.changes
        assert found is not None
        told["changes"] = found.changes
        told["log"] = found.log
        told["new"] = app.new_meetings
        await pilot.press("C")
        await ready(app, pilot)
        told["view"] = [
            type(app.screen).__name__,
            [table_rows(t) for t in app.screen.query(DataTable)],
        ]
        if changed:
            mid = next(
                m for m, c in found.changes.items() if c[0].text != "no longer in the folder"
            )
            app.open_meeting(mid)
            await ready(app, pilot)
            await pilot.pause(0.05)
            told["meeting"] = screen_text(app)
        lib = app.library
        if isinstance(lib, OnDemandLibrary):
            assert not lib.in_memory
    return told


@pytest.mark.parametrize("case", sorted(CASES))
async def test_a_store_tells_what_changed_as_the_cache_does_reading_only_those_meetings(
    pg_db, make_app, tmp_path, monkeypatch, case
):
    make, edit, public = CASES[case]
    root = make(tmp_path / "meetings")
    PgStore(pg_db, root, ingest=True).update()

    def app(kind: str):
        state = SeenState(tmp_path / kind / "seen.json")
        url = {"store_url": pg_db} if kind == "store" else {}
        return make_app(root, public=public, state=state, **url)

    first = {kind: await look(app(kind), False) for kind in ("cache", "store")}
    assert first["cache"] == first["store"]
    assert first["store"]["changes"] == {}  # the first look tells none
    edit(root)
    PgStore(pg_db, root, ingest=True).update()
    reads = Reads(monkeypatch)
    cache = await look(app("cache"), True)
    read_by_cache = list(reads.dates)
    store = await look(app("store"), True)
    changes = store["changes"]
    assert changes and changes == cache["changes"] and list(changes) == list(cache["changes"])
    assert store == cache
    assert not read_by_cache
    # the store read the dates of the meetings that changed, no other, and never every meeting
    assert reads.whole == 0
    assert reads.dates and set(reads.dates) <= {mid[:10] for mid in changes}
    assert "What changed since you last looked" in str(store["meeting"])
