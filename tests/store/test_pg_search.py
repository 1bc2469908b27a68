"""Search in the PostgreSQL store (tuibrowser/store/pg/search.py) answers exactly as the cache's
search does: the same hits, in the same order, with the same snippets, spans, match counts,
tiers, totals and completeness, for queries of every kind, at every limit, as an officer and
as ``--public`` — over the bundled meetings and the test sample, on a real server."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tuibrowser.search import parse_query
from tuibrowser.store.cache import Cache

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"

# single words of every rarity, prefixes, short words no index can narrow, phrases (quoted and
# not), hyphens, slashes and apostrophes folded, case and curly quotes, words of a title and
# of its text together, people, KPIs, numbers and punctuation, "is:" (a term like any other:
# search has no filters), and words that are nowhere
QUERIES = [
    "council", "oflog", "productivity", "budget", "resolved", "noted", "agreed", "action",
    "gov", "prod", "kp", "q3", "a", "ab", "2019", "5.2", "£", "#",
    "digital declaration", "members agreed", "improvement board", "peer challenge",
    '"local government"', '"budget monitoring"', '"the council"', '"council s"', '"members agreed',
    "sector-led", "sector–led", "sector/led", "council's", "council’s", "COUNCIL", "Oflog",
    "cllr", "chair", "conservative", "labour", "independent", "kpi", "confidential",
    "is:confidential", "is:public", "sample", "zyzzyva", "zyzzyva council", '"zyzzyva"',
    "", "   ", '""', "-", "'",
]  # fmt: skip
LIMITS = [1, 3, 50, None]


@pytest.fixture(scope="module", params=[MEETINGS, SAMPLE], ids=["meetings", "sample"])
def both(request, pg_cluster, tmp_path_factory):
    """A copy of the folder, its store (ingested once) and its cache (indexed once)."""
    from tuibrowser.store.pg.store import PgStore

    root = tmp_path_factory.mktemp("folder") / "m"
    shutil.copytree(request.param, root)
    url = pg_cluster.create_database(f"search_{request.param.name}")
    ingester = PgStore(url, root, ingest=True)
    ingester.update()
    ingester.close()
    caches = {p: tmp_path_factory.mktemp("cache") / "meetings.json" for p in (False, True)}
    for public, cache in caches.items():
        Cache(root, cache, public=public).update()
    return root, url, caches


@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
def test_the_store_answers_as_the_cache_does(both, public):
    from tuibrowser.store.pg.store import PgStore

    root, url, caches = both
    cache = Cache(root, caches[public], public=public)
    store = PgStore(url, root, public=public)
    try:
        differ = []
        for query in QUERIES:
            for limit in LIMITS:
                want = cache.search_files(query, limit)
                assert want is not None
                got = store.search_store(query, limit)
                if got != want:
                    differ.append((query, limit))
        assert differ == []
        # the queries are not all empty: they find things, and some stop at their limit
        found = store.search_store("council", 3)
        assert found is not None and len(found.hits) == 3 and not found.complete
    finally:
        store.close()


@pytest.mark.parametrize("page", [1, 2, 7], ids=lambda n: f"pages of {n}")
def test_the_store_answers_as_the_cache_does_a_page_at_a_time(both, page, monkeypatch):
    """The candidates and the people are read a page at a time (a LIMIT and a keyset on the
    library's order, or the people's keys): with pages of a row or a few, every page boundary
    (within a meeting's records, between meetings of one day) gives the same answer."""
    from tuibrowser.store.pg import search, searchpeople
    from tuibrowser.store.pg.store import PgStore

    monkeypatch.setattr(search, "BATCH", page)
    monkeypatch.setattr(searchpeople, "PAGE", page)
    root, url, caches = both
    store = PgStore(url, root)
    try:
        differ = []
        for query in ["council", "gov", "a", "members agreed", '"the council"', "cllr", "kpi"]:
            for limit in (1, 3, None):
                want = Cache(root, caches[False]).search_files(query, limit)
                if store.search_store(query, limit) != want:
                    differ.append((query, limit))
        assert differ == []
    finally:
        store.close()


def test_the_store_answers_without_a_library(both, monkeypatch):
    """The search reads the store alone: the library it is handed is not looked at."""
    from tuibrowser.store.pg.store import PgStore

    root, url, caches = both
    store = PgStore(url, root)
    try:
        want = Cache(root, caches[False]).search_files("council", 50)
        assert store.search(None, "council", 50) == want  # type: ignore[arg-type]
    finally:
        store.close()


def test_every_match_is_a_candidate_of_the_database(both):
    """The tsquery never leaves out a record the matcher finds (it may give more): for each
    query, the rows it selects are at least the records of the cache's answer."""
    import psycopg

    from tuibrowser.store.pg.search import tsquery_text

    root, url, caches = both
    found = 0
    with psycopg.connect(url) as conn:
        for query in QUERIES:
            terms = parse_query(query)
            if not terms:
                continue
            want = Cache(root, caches[False]).search_files(query, None)
            assert want is not None
            row = conn.execute(
                "SELECT count(*) FROM search_units WHERE NOT public AND words @@ %s::tsquery",
                (tsquery_text(terms),),
            ).fetchone()
            records = sum(1 for h in want.hits if h.kind != "person")
            assert row is not None and row[0] >= records, query
            found += records
    assert found > 0


_LONG = " ".join(f"w{n}" for n in range(20000))
_MANY = " ".join(["the council"] * 300)
# (record text as written, query): each one today's matcher finds
MATCHED = [
    ("The Council agreed", "council"),
    ("The Council agreed", "coun"),
    ("The Council agreed", '"the council"'),
    ("sector-led improvement", "sector led"),
    ("sector led improvement", "sector-led"),
    ("the council's view", '"council s"'),
    ("item 5.2 noted", "5.2"),
    ("cost £5m", "£5m"),
    ("see is:confidential", "is:confidential"),
    ("Ünïcödé wörds", "ünï"),
    (_LONG + " local government", '"local government"'),  # past the last place kept
    (_MANY + " local government", '"local government"'),  # a word with too many places
    (_MANY + " budget monitoring", '"council budget"'),
]


@pytest.mark.parametrize("text, query", MATCHED)
def test_a_record_the_matcher_finds_is_a_candidate(pg_url, text, query):
    import psycopg

    from tuibrowser.search.folding import display_text, fold
    from tuibrowser.search.query import _first, _term_pattern
    from tuibrowser.store.pg.search import tsquery_text, tsvector_text

    folded = fold(display_text(text))
    terms = parse_query(query)
    assert terms and all(_first(folded, t, _term_pattern(t)) is not None for t in terms)
    with psycopg.connect(pg_url) as conn:
        row = conn.execute(
            "SELECT %s::tsvector @@ %s::tsquery", (tsvector_text(folded), tsquery_text(terms))
        ).fetchone()
    assert row == (True,)


@pytest.mark.parametrize(
    "text, query",
    [("The Council agreed", "budget"), ("ungoverned", "gov"), ("sectorled", "sector-led")],
)
def test_the_database_narrows(pg_url, text, query):
    """Records without the words are not candidates (the index does narrow)."""
    import psycopg

    from tuibrowser.search.folding import display_text, fold
    from tuibrowser.store.pg.search import tsquery_text, tsvector_text

    with psycopg.connect(pg_url) as conn:
        row = conn.execute(
            "SELECT %s::tsvector @@ %s::tsquery",
            (tsvector_text(fold(display_text(text))), tsquery_text(parse_query(query))),
        ).fetchone()
    assert row == (False,)


SECRET = ["commercially sensitive", "contract award", "digital services"]


def test_the_public_role_reads_no_part_of_a_confidential_item(pg_cluster, tmp_path):
    """Hand-written SQL as the public role over the search tables: only public rows, and
    not a word of the sample's confidential item (its title, minute or decision) in any
    column, while the full rows (read as the store's owner) do hold it."""
    import psycopg

    from tuibrowser.store.pg.store import PgStore

    root = tmp_path / "m"
    shutil.copytree(SAMPLE, root)
    url = pg_cluster.create_database("search_rls")
    PgStore(url, root, ingest=True).update()

    def everything(conn) -> tuple[str, set]:
        rows = conn.execute("SELECT public, t::text FROM search_units t").fetchall()
        rows += conn.execute("SELECT public, t::text FROM search_people t").fetchall()
        rows += conn.execute("SELECT public, t::text FROM search_person_parts t").fetchall()
        return " ".join(text for _, text in rows).lower(), {public for public, _ in rows}

    with psycopg.connect(url) as conn:
        full, kinds = everything(conn)
        assert kinds == {False, True}
        assert all(secret in full for secret in SECRET)
        conn.execute("SET ROLE tuibrowser_public")
        shown, kinds = everything(conn)
        assert kinds == {True} and "productivity programme" in shown
        assert [secret for secret in SECRET if secret in shown] == []
        found = conn.execute(
            "SELECT count(*) FROM search_units WHERE words @@ 'commercially:*'::tsquery"
        ).fetchone()
        assert found == (0,)


@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
@pytest.mark.parametrize("query", ["council", '"local government"', "sector-led", "zyzzyva"])
def test_the_command_line_search_reads_the_store_alone(both, monkeypatch, public, query):
    """``tuibrowser search Q DIR --store URL`` prints what the cache's search prints (the same
    lines, the same exit status) without loading the library."""
    from click.testing import CliRunner

    from tuibrowser.cli import cli
    from tuibrowser.store.pg.store import PgStore

    root, url, caches = both
    extra = ["--public"] if public else []
    args = ["search", query, str(root), "--limit", "3", *extra]
    want = CliRunner().invoke(cli, [*args, "--cache", str(caches[public])])
    monkeypatch.setattr(PgStore, "load", lambda *a, **k: pytest.fail("the library was loaded"))
    got = CliRunner().invoke(cli, [*args, "--store", url])
    assert (got.exit_code, got.stdout) == (want.exit_code, want.stdout)
    assert got.stderr.splitlines()[-1] == want.stderr.splitlines()[-1]  # "N matches"


PEOPLE_QUERIES = ["cllr", "hopper", "grace", "chair", "council", "member", "a", "labour"]


def test_people_stay_merged_as_the_cache_merges_them_after_each_change(pg_cluster, tmp_path):
    """Each person is merged again only from the half months an ingest wrote: after a file is
    removed, another edited and one added, the people found are still the cache's."""
    from tuibrowser.store.pg.store import PgStore

    root = tmp_path / "m"
    shutil.copytree(MEETINGS, root)
    url = pg_cluster.create_database("search_people_changes")
    files = sorted(root.glob("*.md"))
    steps = [
        lambda: None,
        lambda: files[0].unlink(),
        lambda: files[-1].write_text(files[-1].read_text().replace("Cllr", "Councillor", 3)),
        lambda: shutil.copy(SAMPLE / "2019-06-01-sample-board-minutes.md", root),
    ]
    for n, step in enumerate(steps):
        step()
        PgStore(url, root, ingest=True).update()
        for public in (False, True):
            cache = Cache(root, tmp_path / f"cache-{public}" / "meetings.json", public=public)
            cache.update()
            store = PgStore(url, root, public=public)
            try:
                for query in PEOPLE_QUERIES:
                    want = cache.search_files(query, None)
                    assert store.search_store(query, None) == want, (n, public, query)
                    if query == "cllr":
                        assert want is not None and any(h.kind == "person" for h in want.hits)
            finally:
                store.close()


@pytest.mark.parametrize(
    "text",
    [
        "The Council agreed the budget; the council noted the budget.",
        "a b a c b a " * 40,  # places merged, many lexemes repeated
        "zeta alpha Ærø ærø ångström zoë 2019 5.2 £ apple ab abc a",  # orders of every kind
        "word " * 300 + "other",  # a word with more places than are kept: no places
        _LONG,  # past the last place kept: no places
        "x" * 250 + " y",  # a word longer than a lexeme is kept
        "",
    ],
)
def test_a_tsvector_is_the_one_of_its_words_as_they_come(pg_url, text):
    """The tsvector sent (each word once, with all its places, in lexeme order) is the one
    PostgreSQL makes of each word written with its place as it comes."""
    import psycopg

    from tuibrowser.search.folding import _WORD, display_text, fold
    from tuibrowser.store.pg.search import MAX_LEXEME, tsvector_text

    folded = fold(display_text(text))
    words = [w[:MAX_LEXEME] for w in _WORD.findall(folded)]
    sent = tsvector_text(folded)
    with psycopg.connect(pg_url) as conn:
        if sent and ":" in sent:
            as_they_come = " ".join(f"'{w}':{n}" for n, w in enumerate(words, start=1))
            row = conn.execute(
                "SELECT %s::tsvector = %s::tsvector, %s::tsvector::text = %s",
                (sent, as_they_come, sent, sent),
            ).fetchone()
            assert row == (True, True)  # the same, and sent as PostgreSQL writes it
        else:
            found = conn.execute("SELECT strip(%s::tsvector)::text", (sent,)).fetchone()
            assert found is not None
            assert set(found[0].split()) == {f"'{w}'" for w in words} | (
                {"'~long'"} if words else set()
            )
