"""What the browser's screens show of a whole folder, read from the PostgreSQL store without
the library: the People list's figures, the Topics and the dashboard's ratings, merged from
each half month's part the ingest keeps (``shard_views``, :func:`.shardcopy.shard_views`) as
the cache merges its shards' (:meth:`tuibrowser.store.cache.Cache.people_figures`): a year's
shards together, then the years, oldest first.

And what one meeting or one person needs, read alone: the documents of a meeting's date,
and those of the half months that name a person.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from ...kpi.glance import PeriodGlance
    from ...library import Library
    from ...model import Document
    from ...ondemand import PaletteFinds
    from ...people_figures import PersonFigures
    from ...search import Results
    from ...topics import Topic
    from .store import PgStore

Query = Callable[..., list[tuple]]  # (sql, *args) → rows; the folder and kind come first

# one view's part of each year (the server takes it out: the others are not sent)
VIEWS_SQL = {
    view: f"SELECT (views -> '{view}')::text FROM year_views"
    " WHERE folder = %s AND public = %s ORDER BY year"
    for view in ("a", "t", "k")
}
# a year of the meeting list that keeps no merged part of the views (ingested before they
# were kept): the views cannot be told without the library then
MISSING_SQL = (
    "SELECT EXISTS (SELECT FROM meetings m WHERE m.folder = %s AND m.public = %s"
    " AND NOT EXISTS (SELECT FROM year_views v WHERE v.folder = m.folder"
    " AND v.public = m.public AND v.year = left(m.shard, 4)))"
)


def years(query: Query, view: str) -> list[list[Any]] | None:
    """Each year's part of ``view`` (``a``, ``t``, ``k``), oldest first, as the ingest merged
    it (:func:`merge_years`); None when a year keeps none (the library must tell it)."""
    found = query(MISSING_SQL)
    if not found or found[0][0]:
        return None
    out: list[list[Any]] = []
    for (raw,) in query(VIEWS_SQL[view]):
        part = orjson.loads(raw) if raw is not None else None
        if not isinstance(part, list):
            raise ValueError("a year's views hold no list")
        out.append(part)
    return out


# a year's half months' parts, by the index of their half months (a half month's key begins
# with its year: ``2018-05-2``), not each of the folder's read to take its year
YEAR_PARTS = (
    "SELECT views::text FROM shard_views WHERE folder = %s AND public = %s AND shard LIKE %s"
    " ORDER BY shard"
)


def merge_years(cur: Any, folder: int, full: set[str], public: set[str]) -> None:
    """Merge again each year of the half months ``full`` (the officer's) and ``public`` the
    ingest wrote, from all its half months' parts, in the ingest's transaction."""
    for is_public, shards in ((False, full), (True, public)):
        years = sorted({s[:4] for s in shards})
        if not years:
            continue
        cur.execute(
            "DELETE FROM year_views WHERE folder = %s AND public = %s AND year = ANY(%s)",
            (folder, is_public, years),
        )
        for y in years:
            rows = cur.execute(
                YEAR_PARTS,
                (folder, is_public, f"{y}%"),
            ).fetchall()
            if not rows:
                continue  # no meeting left that year
            parts = [orjson.loads(raw) for (raw,) in rows]
            merged = {v: _merged(v, [p[v] for p in parts]) for v in ("a", "t", "k")}
            cur.execute(
                "INSERT INTO year_views (folder, public, year, views) VALUES (%s, %s, %s, %s)",
                (folder, is_public, y, orjson.dumps(merged).decode()),
            )


def _merged(view: str, parts: list[list[Any]]) -> list[Any]:
    """A year's part of ``view``, of its half months' (as the cache merges a year's)."""
    from ...people_figures import merge_parts
    from ...topic_parts import merge_items

    if view == "a":
        return merge_parts(parts)
    if view == "t":
        return merge_items(parts)
    return [row for p in parts for row in p]


def people_figures(query: Query) -> list[PersonFigures] | None:
    """The People list's figures, as :func:`tuibrowser.people_figures.figures` makes them of
    the library; None when the store cannot tell them without it."""
    from ...people_figures import merge_figures

    parts = years(query, "a")
    if parts is None:
        return None
    people = [
        orjson.loads(row)
        for (row,) in query(
            "SELECT row::text FROM search_people WHERE folder = %s AND public = %s ORDER BY key"
        )
    ]
    return merge_figures(people, parts)


def topics(query: Query) -> list[Topic] | None:
    """The recurring topics with their appearances, as :func:`tuibrowser.topics.find_topics`
    finds them in the library; None when the store cannot tell them without it."""
    from ...topic_parts import topics_from_parts

    parts = years(query, "t")
    return None if parts is None else topics_from_parts(parts)


def glances(query: Query) -> list[PeriodGlance] | None:
    """The dashboard's reporting periods (:mod:`tuibrowser.kpi.glance`); None when the store
    cannot tell them without the library."""
    from ...kpi.glance import merge_glances

    parts = years(query, "k")
    return None if parts is None else merge_glances(parts)


def documents_of_date(query: Query, date: str) -> list[Document]:
    """The documents (without their long texts) of the meetings of one date."""
    from ...model import Document

    found = query(
        "SELECT lean::text FROM documents WHERE folder = %s AND public = %s AND date = %s"
        " ORDER BY path",
        date,
    )
    return [Document.from_dict(orjson.loads(d)) for (d,) in found]


def documents_of_dates(query: Query, dates: list[str]) -> list[Document]:
    """The documents (without their long texts) of the meetings of ``dates``, in one query."""
    from ...model import Document

    found = query(
        "SELECT lean::text FROM documents WHERE folder = %s AND public = %s AND date = ANY(%s)"
        " ORDER BY path",
        dates,
    )
    return [Document.from_dict(orjson.loads(d)) for (d,) in found]


def documents_naming(query: Query, key: str) -> list[Document]:
    """The documents (without their long texts) of the half months that name the person
    ``key``: every meeting they appear at, and the others of those half months."""
    from ...model import Document

    found = query(
        "SELECT lean::text FROM documents WHERE folder = %s AND public = %s AND shard IN"
        " (SELECT p.shard FROM search_person_parts p WHERE p.folder = documents.folder"
        " AND p.public = documents.public AND p.key = %s)"
        " ORDER BY path",
        key,
    )
    return [Document.from_dict(orjson.loads(d)) for (d,) in found]


class StoreAnswers:
    """What a :class:`~.store.PgStore` answers on demand, for its
    :class:`~tuibrowser.ondemand.OnDemandLibrary` (the :class:`~tuibrowser.ondemand.Answers`
    of the store)."""

    def __init__(self, store: PgStore) -> None:
        self.store = store

    def documents_of_date(self, date: str) -> list[Document]:
        return documents_of_date(self.store.rows_of, date)

    def documents_of_dates(self, dates: list[str]) -> list[Document]:
        return documents_of_dates(self.store.rows_of, dates)

    def documents_naming(self, key: str) -> list[Document]:
        return documents_naming(self.store.rows_of, key)

    def texts_of(self, meeting: str) -> list[Document]:
        return self.store.texts_of(meeting)

    def whole(self) -> Library | None:
        return self.store.load(texts=False)

    def search(self, query: str, limit: int | None) -> Results:
        return self.store.search_store(query, limit) or _no_hits(query)

    def people_figures(self) -> list[PersonFigures] | None:
        return people_figures(self.store.rows_of)

    def topics(self) -> list[Topic] | None:
        return topics(self.store.rows_of)

    def palette(self, typed: str) -> PaletteFinds:
        from .palette import palette

        return palette(self.store.rows_of, typed)

    def palette_kpis(self, typed: str) -> list[tuple[str, str]]:
        from .palette import palette_kpis

        return palette_kpis(self.store.rows_of, typed)


def _no_hits(query: str) -> Results:
    from ...search import Results, parse_query

    return Results(query, parse_query(query), [], 0)
