"""The meeting list's filter and sort in SQL (``PgStore.select``, tuibrowser.store.pg.select)
give the rows the cache's and the files' lists give through ``listing.select_rows``, in the
same order, a page at a time (keyset), private and public; lower case as Python's, whatever
the letters. On a real server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuibrowser.listing import DESCENDING, SORT_KEYS, meeting_row, newest_first, select_rows
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
    files = newest_first(meeting_row(m) for m in FileStore(CORPUS, public).load().meetings)
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
    files = newest_first(meeting_row(m) for m in FileStore(roots["letters"]).load().meetings)
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
