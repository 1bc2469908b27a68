"""The meeting list's filter and sort in SQL (``PgStore.select``, tuibrowser.store.pg.select)
give the rows the cache's and the files' lists give through ``listing.select_rows``, in the
same order, a page at a time (keyset), private and public; lower case as Python's, whatever
the letters. On a real server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuibrowser.listing import DESCENDING, SORT_KEYS, newest_first, select_rows
from tuibrowser.store import FileStore, open_store

CORPUS = Path(__file__).resolve().parents[2] / "meetings"
QUERIES = ["", "board", "council budget", "2016", "BOARD 2018", "zzzznothing", "%", "_", "a\\b"]
CASES = [(c, r) for c in SORT_KEYS for r in (c in DESCENDING, c not in DESCENDING)]

# Boards and venues whose lower case is more than ASCII's: dotted I, final sigma, capital
# sharp s, a title-case digraph, the Kelvin sign, accents; and names alike but for case.
BOARDS = [
    ("İzmir Board", "Ünye Hall"),
    ("ΟΔΟΣ Board", "ΣΟΦΙΑΣ Room"),
    ("STRAẞE Board", "Großer Saal"),
    ("ǅemal Board", "K Room"),
    ("Zeta board", "alpha hall"),
    ("zeta Board", "Alpha Hall"),
    ("Émile Board", "éLAN Hall"),
    ("Board", ""),
]


@pytest.fixture(scope="module")
def stores(pg_cluster, tmp_path_factory):
    """The bundled meetings and a folder of letters beyond ASCII, each ingested."""
    from tuibrowser.store.pg.store import PgStore

    url = pg_cluster.create_database("select")
    letters = tmp_path_factory.mktemp("letters")
    for n, (board, venue) in enumerate(BOARDS):
        day = f"2021-0{1 + n % 3}-1{n % 2}"
        slug = f"b{n}"
        text = f'---\nboard: {board}\ndate: "{day}"\nkind: minutes\nvenue: "{venue}"\n---\n'
        text += f"## 1. Ärger über {board.upper()}\n\nText.\n"
        (letters / f"{day}-{slug}-minutes.md").write_text(text, encoding="utf-8")
    for root in (CORPUS, letters):
        PgStore(url, root, ingest=True).update()
    return url, {"corpus": CORPUS, "letters": letters}


def paged(store, query: str, column: str, reverse: bool, limit: int) -> list:
    out, after = [], None
    while page := store.select(query, column, reverse, after, limit=limit):
        assert len(page) <= limit
        out += page
        after = page[-1]
    return out


@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
@pytest.mark.parametrize("column, reverse", CASES)
def test_the_stores_filter_and_sort_are_the_lists(stores, tmp_path, public, column, reverse):
    from tuibrowser.store.pg.store import PgStore

    url, roots = stores
    cache = open_store(CORPUS, tmp_path / "cache.json", public=public)
    cache.update()
    cached = cache.rows()
    files = newest_first(FileStore(CORPUS, public).load().rows())
    assert cached == files
    store = PgStore(url, CORPUS, public=public)
    try:
        for query in QUERIES:
            want = select_rows(cached, query, column, reverse)
            assert paged(store, query, column, reverse, 2) == want, query
            assert store.select(query, column, reverse, limit=3) == want[:3], query
    finally:
        store.close()


@pytest.mark.parametrize("column, reverse", CASES)
def test_lower_case_in_the_store_is_pythons(stores, column, reverse):
    from tuibrowser.store.pg.store import PgStore

    url, roots = stores
    files = newest_first(FileStore(roots["letters"]).load().rows())
    assert len(files) == len(BOARDS)
    store = PgStore(url, roots["letters"])
    try:
        words = ["i̇zmir", "οδος", "σοφιας", "straße", "ǆemal", "k room", "zeta", "ärger", "élan"]
        for query in ["", *words, "ÜNYE", "Board"]:
            want = select_rows(files, query, column, reverse)
            assert query == "" or query == "Board" or want, query  # each word finds a row
            assert paged(store, query, column, reverse, 3) == want, query
    finally:
        store.close()


@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
def test_the_stores_counts_and_facts_are_the_lists(stores, tmp_path, public):
    """What the list's status line and title need of the whole list, read in SQL: how many
    rows a filter keeps, every board, and the marks the rows bear."""
    from tuibrowser.store.pg.store import PgStore
    from tuibrowser.tui.screens.meetings import (
        MARK_CANCELLED,
        MARK_CONFIDENTIAL,
        MARK_UNREAD,
        mark_of,
        row_from,
    )

    url, roots = stores
    cache = open_store(CORPUS, tmp_path / "cache.json", public=public)
    cache.update()
    cached = cache.rows()
    store = PgStore(url, CORPUS, public=public)
    try:
        for query in QUERIES:
            assert store.count(query) == len(select_rows(cached, query)), query
        facts = store.facts()
        assert facts.boards == {r.board for r in cached}
        marks = {mark_of(row_from(r)) for r in cached}
        told = (facts.cancelled, facts.unread, facts.confidential)
        assert told == tuple(m in marks for m in (MARK_CANCELLED, MARK_UNREAD, MARK_CONFIDENTIAL))
        assert facts.confidential  # the seeds' confidential items (withheld, in public)
    finally:
        store.close()


def test_a_query_of_the_list_is_stopped_and_the_next_runs(stores):
    """``interrupt`` stops the list's query running now (the user typed on: its answer is of
    no use), and only that one: an interrupt with nothing running stops nothing later."""
    import threading
    import time

    from tuibrowser.store.pg.store import PgStore
    from tuibrowser.store.protocol import Interrupted

    url, _ = stores
    store = PgStore(url, CORPUS)
    try:
        store.interrupt()  # nothing runs: the next query is not stopped
        assert store.select("board", limit=3)
        caught: list[BaseException] = []

        def slow() -> None:  # a query as long as a filter over millions of rows
            try:
                store._list_query("SELECT pg_sleep(60)", {})
            except BaseException as exc:  # noqa: BLE001 - what stopped it, asserted below
                caught.append(exc)

        thread = threading.Thread(target=slow)
        started = time.monotonic()
        thread.start()
        while not store._running and time.monotonic() - started < 10:
            time.sleep(0.01)
        time.sleep(0.2)  # the query is on the server
        store.interrupt()
        thread.join(30)
        assert not thread.is_alive() and time.monotonic() - started < 30
        assert len(caught) == 1 and isinstance(caught[0], Interrupted)
        assert store.count("board") == store.count("BOARD") > 0  # the next ones run
    finally:
        store.close()
