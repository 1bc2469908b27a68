"""A store ingested before the screens' parts were kept (migration 0006 finds ``shard_views``
and ``year_views`` empty, or a part gone) has them made again by the next ingest, from the
documents the store holds — no file read again — the same as an ingest of the files makes
them; until then its browsers read every meeting for the People list and the Topics."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from manyfiles import many_meetings

from tuibrowser.store.pg import views
from tuibrowser.store.pg.store import PgStore

CORPUS = Path(__file__).resolve().parents[2] / "meetings"

# what is removed: the rows of shard_views, then of year_views, that a condition keeps (None:
# none of that table)
FIRST_YEAR = "(SELECT min(left(shard, 4)) FROM shard_views)"
GONE = {
    "all (as 0006 finds a store)": ("true", "true"),
    "the public's": ("public", "public"),
    "some half months": ("right(shard, 1) = '1'", None),
    "the years alone": (None, "true"),
    "one year's": (f"left(shard, 4) = {FIRST_YEAR}", f"year = {FIRST_YEAR}"),
}


@pytest.fixture(scope="module")
def ingested(pg_cluster, tmp_path_factory):
    """A folder of the seeds and some generated meetings (several years), ingested."""
    import shutil

    root = tmp_path_factory.mktemp("viewfill") / "meetings"
    many_meetings(root, 120)
    for p in CORPUS.glob("*.md"):
        shutil.copy(p, root / p.name)
    url = pg_cluster.create_database("pgviewfill")
    PgStore(url, root, ingest=True).update()
    return url, root


def parts(url: str) -> dict[str, list[tuple]]:
    import psycopg

    with psycopg.connect(url) as conn:
        return {
            table: [
                (*key, orjson.loads(v))
                for *key, v in conn.execute(
                    f"SELECT public, {column}, views::text FROM {table} ORDER BY 1, 2"
                ).fetchall()
            ]
            for table, column in (("shard_views", "shard"), ("year_views", "year"))
        }


def remove(url: str, shards: str | None, years: str | None) -> None:
    import psycopg

    with psycopg.connect(url) as conn:
        if years is not None:  # first: its condition may read shard_views
            conn.execute(f"DELETE FROM year_views WHERE {years}")
        if shards is not None:
            conn.execute(f"DELETE FROM shard_views WHERE {shards}")
        # as a store last ingested before the records' stamp (0007), so before 0006 could be
        conn.execute("UPDATE folders SET records = NULL")


@pytest.mark.parametrize("gone", sorted(GONE))
def test_the_next_ingest_makes_the_parts_a_store_lacks_of_what_it_holds(ingested, gone):
    url, root = ingested
    before = parts(url)
    assert before["shard_views"] and len({y for _, y, _ in before["year_views"]}) > 2
    officer, public = PgStore(url, root), PgStore(url, root, public=True)
    figures = {kind: views.people_figures(s.rows_of) for kind, s in (("o", officer), ("p", public))}
    topics = {kind: views.topics(s.rows_of) for kind, s in (("o", officer), ("p", public))}
    remove(url, *GONE[gone])
    after_removal = parts(url)
    assert after_removal != before
    if after_removal["year_views"] != before["year_views"]:  # the browser reads every meeting
        assert None in (views.people_figures(officer.rows_of), views.people_figures(public.rows_of))
    report = PgStore(url, root, ingest=True).update()
    assert report.read == []  # no file read again
    assert parts(url) == before
    for kind, s in (("o", officer), ("p", public)):
        assert views.people_figures(s.rows_of) == figures[kind]
        assert views.topics(s.rows_of) == topics[kind]
    officer.close()
    public.close()
