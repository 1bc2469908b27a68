"""The people search finds in the PostgreSQL store: each person's record, merged from every
half month that names them, kept as a row with its words, so a query reads only the people
whose words can match (not every half month's people, merged again at each query).

The ingest writes each half month's part of each person (:func:`write_person_parts`, the
month people the cache keeps beside a shard) and, once its half months are written, merges
again only the people they name (:func:`merge_touched`), as the cache merges them
(:func:`~tuibrowser.search.skeleton.merge_people`): the same name shown, names, authorities,
roles and groups, so the same hits.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...model import Meeting

PAGE = 256  # people read at a time (after the first page)
_TOUCHED = (
    "CREATE TEMP TABLE IF NOT EXISTS search_people_touched ("
    ' folder integer, public boolean, key text COLLATE "C",'
    " PRIMARY KEY (folder, public, key)) ON COMMIT DROP"
)


class Person:
    """A person's record as a query reads it: key, name shown, fields and folded text."""

    __slots__ = ("key", "display", "names", "shown", "folded")

    def __init__(self, key: str, display: str, names: list[str], shown: list[str], folded: str):
        self.key, self.display, self.names, self.shown, self.folded = (
            key,
            display,
            names,
            shown,
            folded,
        )


def write_person_parts(
    cur: Any, folder: int, public: bool, shard: str, meetings: Sequence[Meeting]
) -> None:
    """Each person's part of one half month (``shard``), in place of the ones it had; the
    people named before or now are noted, for :func:`merge_touched`."""
    import orjson  # (the ingest's: a query reads no JSON)

    from ...search.skeleton import _month_people

    cur.execute(_TOUCHED)
    cur.execute(
        "INSERT INTO search_people_touched SELECT folder, public, key FROM search_person_parts"
        " WHERE folder = %s AND public = %s AND shard = %s ON CONFLICT DO NOTHING",
        (folder, public, shard),
    )
    cur.execute(
        "DELETE FROM search_person_parts WHERE folder = %s AND public = %s AND shard = %s",
        (folder, public, shard),
    )
    parts = _month_people(list(meetings))
    with cur.copy("COPY search_person_parts (folder, public, shard, key, part) FROM STDIN") as copy:
        for part in parts:
            copy.write_row((folder, public, shard, part[0], orjson.dumps(part).decode()))
    cur.execute(
        "INSERT INTO search_people_touched SELECT folder, public, key FROM search_person_parts"
        " WHERE folder = %s AND public = %s AND shard = %s ON CONFLICT DO NOTHING",
        (folder, public, shard),
    )


def merge_touched(cur: Any, folder: int) -> None:
    """Merge again the people whose parts the ingest wrote (full and public), and drop those
    no half month names any more."""
    import orjson

    from ...search.segments import _fold_segment, _Segment
    from ...search.skeleton import merge_people_rows
    from ...search.units import _unit_records, person_unit
    from .search import tsvector_text

    cur.execute(_TOUCHED)
    for public in (False, True):
        keys = [
            k
            for (k,) in cur.execute(
                "SELECT key FROM search_people_touched WHERE folder = %s AND public = %s",
                (folder, public),
            ).fetchall()
        ]
        if not keys:
            continue
        cur.execute(
            "DELETE FROM search_people WHERE folder = %s AND public = %s AND key = ANY(%s)",
            (folder, public, keys),
        )
        months: dict[str, list[bytes]] = {}
        for shard, part in cur.execute(
            "SELECT shard, part::text FROM search_person_parts"
            " WHERE folder = %s AND public = %s AND key = ANY(%s) ORDER BY shard",
            (folder, public, keys),
        ).fetchall():
            months.setdefault(shard, []).append(part.encode("utf-8", "surrogatepass"))
        rows = merge_people_rows(b"[" + b",".join(p) + b"]" for p in months.values())
        units = [person_unit(*p) for p in rows]
        seg = _Segment(_fold_segment(_unit_records(units), False)[:3], [], [], units)
        with cur.copy(
            "COPY search_people (folder, public, key, row, names, shown, folded, head_words,"
            " words) FROM STDIN"
        ) as copy:
            for n, p in enumerate(rows):
                folded = seg.folded_record(n)
                copy.write_row(
                    (folder, public, p[0], orjson.dumps(p).decode(), seg.names(n),
                     seg.shown_fields(n), folded, tsvector_text(folded.split("\n", 1)[0]),
                     tsvector_text(folded))
                )  # fmt: skip
        cur.execute(
            "DELETE FROM search_people_touched WHERE folder = %s AND public = %s",
            (folder, public),
        )


def people(
    conn: Any, folder: int, public: bool, column: str, query: str, first: int = PAGE
) -> Iterator[Person]:
    """The people whose ``column`` (``words`` or ``head_words``) can match ``query`` (a
    tsquery's text), in the order of their keys (the order search lists them in): ``first``
    people, then pages of :data:`PAGE` after the last key read (a search stops once it has
    enough: a word every member's role holds need not read them all)."""
    sql = (
        "SELECT key, row->>1, names, shown, folded FROM search_people"
        f" WHERE folder = %s AND {kind_of(public)}"
        f" AND ({column} @@ %s::tsquery OR {column} IS NULL)"
    )
    size, after = max(1, min(first, PAGE)), None
    while True:
        if after is None:
            found = conn.execute(f"{sql} ORDER BY key LIMIT %s", (folder, query, size))
        else:
            found = conn.execute(
                f"{sql} AND key > %s ORDER BY key LIMIT %s", (folder, query, after, size)
            )
        page = found.fetchall()
        yield from (Person(*row) for row in page)
        if len(page) < size:
            return
        size, after = PAGE, page[-1][0]


def kind_of(public: bool) -> str:
    """The condition on the rows' kind, written out (``public`` or ``NOT public``), not a
    parameter: each kind's words have their own index (migration ``0005_read.sql``), which a
    plan made for any value of a parameter could not use."""
    return "public" if public else "NOT public"
