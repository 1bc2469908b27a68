"""The screens' parts (``shard_views``, migration ``0006_views.sql``) of the half months that
have meetings and no part: those of a store ingested before the parts were kept, which its
browsers could not tell the People list or the Topics of without reading every meeting.

The ingest makes them in its transaction from the documents the store holds (no file is read
again), a window of half months at a time, each kind of reader's of its own rows (the public
rows are what the one redaction gave), and then merges their years again
(:func:`.views.merge_years`).
"""

from __future__ import annotations

from typing import Any

import orjson

WINDOW = 16  # half months read and made into parts together

MISSING_SQL = """
SELECT public, shard FROM meetings WHERE folder = %(folder)s
EXCEPT
SELECT public, shard FROM shard_views WHERE folder = %(folder)s
ORDER BY 1, 2
"""
# the years of meetings that keep no merged part (their half months' parts are merged again)
YEARS_SQL = """
SELECT public, left(shard, 4) FROM meetings WHERE folder = %(folder)s
EXCEPT
SELECT public, year FROM year_views WHERE folder = %(folder)s
"""

DOCUMENTS_SQL = """
SELECT d.shard, t.whole::text FROM texts t JOIN documents d
    ON d.folder = t.folder AND d.public = t.public AND d.path = t.path
WHERE t.folder = %s AND t.public = %s AND d.shard = ANY(%s)
ORDER BY d.shard, t.path
"""


def fill_views(cur: Any, folder: int) -> tuple[set[str], set[str]]:
    """Make the parts of the half months of ``folder`` that have meetings and no part; the
    half months made and the years that keep no merged part, the officer's and the public's:
    the keys whose years :func:`.views.merge_years` is to merge again."""
    made: dict[bool, set[str]] = {False: set(), True: set()}
    for kind, year in cur.execute(YEARS_SQL, {"folder": folder}).fetchall():
        if year:
            made[bool(kind)].add(str(year))
    missing = cur.execute(MISSING_SQL, {"folder": folder}).fetchall()
    for public in (False, True):
        shards = [str(shard) for kind, shard in missing if bool(kind) == public and shard]
        for start in range(0, len(shards), WINDOW):
            window = shards[start : start + WINDOW]
            _fill_window(cur, folder, public, window)
            made[public].update(window)
    return made[False], made[True]


def _fill_window(cur: Any, folder: int, public: bool, shards: list[str]) -> None:
    from ...library import merge_all
    from ...model import Document
    from .shardcopy import shard_views

    by_shard: dict[str, list[Document]] = {}
    for shard, whole in cur.execute(DOCUMENTS_SQL, (folder, public, shards)).fetchall():
        by_shard.setdefault(str(shard), []).append(Document.from_dict(orjson.loads(whole)))
    for shard, docs in by_shard.items():
        meetings = merge_all(docs)
        if not meetings:
            continue
        cur.execute(
            "INSERT INTO shard_views (folder, public, shard, views) VALUES (%s, %s, %s, %s)",
            (folder, public, shard, shard_views(meetings).decode()),
        )
