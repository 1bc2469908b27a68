"""The folder's files against the officer's catalogue, compared by the server: an ingest
sends what one ``stat`` of each file says (size, mtime, ctime, inode, readable) in one
``COPY``, and reads back only the catalogue rows the server could not call unchanged, whole,
with the files it has no row of (new) and the rows of files gone (removed). The catalogue is
not read row by row into Python: a re-ingest of a large folder where one file changed reads a
row or two.

The server decides only the common case, as the cache's refresh does
(:func:`tuibrowser.store.indexer._compare`): an entry with no problem and a half month, of a
readable file with the same size, mtime, ctime and inode, modified more than
:data:`~tuibrowser.store.indexer.RACY_NS` before its indexing. Every other file is decided by
:func:`~tuibrowser.store.indexer._check` with its whole entry, as it always was.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import orjson

from .shardcopy import copy_field

if TYPE_CHECKING:
    import psycopg

    from ..report import IndexReport

_SEEN = (
    "CREATE TEMP TABLE IF NOT EXISTS ingest_seen ("
    ' path text COLLATE "C", size bigint, mtime_ns bigint, ctime_ns bigint, ino bigint,'
    " readable boolean) ON COMMIT DROP"
)
# the catalogue rows not unchanged (kind 'c'), of files gone ('r'), and the files with no
# row ('n'), in one join; an unchanged row is one the cache's refresh would keep as it is
_DIFF = """
SELECT coalesce(f.path, s.path), f.entry::text,
    CASE WHEN f.path IS NULL THEN 'n' WHEN s.path IS NULL THEN 'r' ELSE 'c' END
FROM (SELECT path, size, mtime_ns, shard, entry FROM files
      WHERE folder = %(folder)s AND NOT public) f
FULL JOIN ingest_seen s ON s.path = f.path
WHERE NOT coalesce(
    f.shard IS NOT NULL
    AND coalesce(f.entry->'problems', 'null'::jsonb) IN ('null'::jsonb, '[]'::jsonb)
    AND s.readable
    AND f.size = s.size
    AND f.mtime_ns = s.mtime_ns
    AND coalesce((f.entry->>'ctime_ns')::bigint, s.ctime_ns) = s.ctime_ns
    AND coalesce((f.entry->>'ino')::bigint, s.ino) = s.ino
    AND s.mtime_ns < (f.entry->>'indexed_ns')::bigint - %(racy)s,
    false)
"""


@dataclass
class Compared:
    """What the comparison found."""

    old: dict[str, dict] = field(default_factory=dict)  # whole entries of the rows returned
    new: dict[str, dict] = field(default_factory=dict)  # entries of the files decided, kept
    todo: list[tuple[str, str]] = field(default_factory=list)  # (path, label) to read
    removed: list[str] = field(default_factory=list)  # rows of files gone
    unchanged: int = 0  # files the server called unchanged (not in ``new``)
    known: int = 0  # rows the catalogue had


def compare(
    conn: psycopg.Connection,
    folder: int,
    files: list[tuple[str, str]],
    report: IndexReport,
) -> Compared:
    """The folder's ``files`` (path, label) against the catalogue of ``folder``."""
    from ..indexer import RACY_NS, _check

    with conn.cursor() as cur:
        cur.execute(_SEEN)
        with cur.copy(
            "COPY ingest_seen (path, size, mtime_ns, ctime_ns, ino, readable) FROM STDIN"
        ) as copy:
            copy.write(_seen_lines(files))
        found = cur.execute(_DIFF, {"folder": folder, "racy": RACY_NS}).fetchall()
        cur.execute("DROP TABLE ingest_seen")
    got = Compared()
    asked: dict[str, str] = {}  # label → its kind ('c' or 'n'), to be decided by _check
    for label, entry, kind in found:
        if entry is not None:
            got.old[label] = orjson.loads(entry)
        if kind == "r":
            got.removed.append(label)
        else:
            asked[label] = kind
    got.unchanged = len(files) - len(asked)
    got.known = got.unchanged + sum(kind != "n" for _, _, kind in found)
    report.unchanged += got.unchanged
    for path, label in files:
        if label not in asked:
            continue
        entry = _check(path, label, got.old.get(label), report)
        if entry is None:
            got.todo.append((path, label))
        elif entry is not False:
            got.new[label] = entry
    got.removed.sort()
    return got


def _seen_lines(files: list[tuple[str, str]]) -> bytes:
    """One COPY line per file: its label and what its ``stat`` says (NULLs when it cannot be
    had), and whether this user may read it (as :func:`~tuibrowser.store.indexer._readable`
    decides: the owner with the owner's read bit may, anyone else is asked of the system)."""
    from ..indexer import _UID

    mine = _UID is not None and _UID != 0
    stat_of, access, r_ok, owner_read = os.stat, os.access, os.R_OK, stat.S_IRUSR
    lines: list[str] = []
    add = lines.append
    for path, label in files:
        try:
            st = stat_of(path)
        except OSError:
            add(f"{copy_field(label)}\t\\N\t\\N\t\\N\t\\N\t\\N\n")
            continue
        readable = (mine and st.st_uid == _UID and st.st_mode & owner_read) or access(path, r_ok)
        add(
            f"{copy_field(label)}\t{st.st_size}\t{st.st_mtime_ns}\t{st.st_ctime_ns}\t"
            f"{st.st_ino}\t{'t' if readable else 'f'}\n"
        )
    return "".join(lines).encode()


def catalogue_shards(conn: psycopg.Connection, folder: int) -> set[str]:
    """Every half month the officer's catalogue of ``folder`` names."""
    found = conn.execute(
        "SELECT DISTINCT shard FROM files WHERE folder = %s AND NOT public AND shard IS NOT NULL",
        (folder,),
    )
    return {shard for (shard,) in found}
