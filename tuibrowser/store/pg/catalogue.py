"""The folder's files against the officer's catalogue: an ingest reads, as one text, each
catalogue row's path and what a ``stat`` of its file said when it was last found unchanged
(``files.seen``: size, mtime, ctime, inode), and compares them with one ``stat`` of each file
as set lookups; it then reads whole only the rows of the files it could not call unchanged
and of those gone. Nothing is sent of the unchanged files, and the server compares nothing: a
re-ingest of a large folder where one file changed reads a row or two whole.

``seen`` is kept only of a row the cache's refresh would keep as it is without reading its
file again (:func:`tuibrowser.store.indexer._compare`): an entry with no problem and a half
month, modified more than :data:`~tuibrowser.store.indexer.RACY_NS` before its indexing
(:func:`seen_of`). Every other file is decided by :func:`~tuibrowser.store.indexer._check` with
its whole entry, as it always was.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import orjson

if TYPE_CHECKING:
    import psycopg

    from ..report import IndexReport

# every officer's row as a line: its path (with its backslashes, newlines and tabs escaped),
# a tab, its ``seen``; all of them one text, made by the server (a COPY out of them is read a
# row at a time), from the index ``files_seen`` alone
CATALOGUE = (
    "SELECT string_agg(replace(replace(replace(path, '\\', '\\\\'), E'\\n', '\\n'),"
    " E'\\t', '\\t') || E'\\t' || coalesce(seen, ''), E'\\n')"
    " FROM files WHERE folder = %s AND NOT public"
)
_WHOLE = "SELECT path, entry::text FROM files WHERE folder = %s AND NOT public AND path = ANY(%s)"
_UNESCAPE = {"n": "\n", "t": "\t"}
_ESCAPED = re.compile(r"\\(.)")


@dataclass
class Compared:
    """What the comparison found."""

    old: dict[str, dict] = field(default_factory=dict)  # whole entries of the rows returned
    new: dict[str, dict] = field(default_factory=dict)  # entries of the files decided, kept
    todo: list[tuple[str, str]] = field(default_factory=list)  # (path, label) to read
    removed: list[str] = field(default_factory=list)  # rows of files gone
    unchanged: int = 0  # files called unchanged by their ``seen`` (not in ``new``)
    known: int = 0  # rows the catalogue had


def seen_of(entry: dict) -> str | None:
    """What a catalogue row keeps as ``seen``: its file's size, mtime, ctime and inode when
    the entry may be called unchanged by them alone (no problem, a half month, not modified
    within :data:`~tuibrowser.store.indexer.RACY_NS` of its indexing), else None."""
    from ..indexer import RACY_NS

    if entry.get("problems") or not entry.get("shard"):
        return None
    size, mtime, ctime, ino, indexed = (
        entry.get(k) for k in ("size", "mtime_ns", "ctime_ns", "ino", "indexed_ns")
    )
    if size is None or ctime is None or ino is None:
        return None
    if not (isinstance(mtime, int) and isinstance(indexed, int) and mtime < indexed - RACY_NS):
        return None
    return f"{size} {mtime} {ctime} {ino}"


def compare(
    conn: psycopg.Connection,
    folder: int,
    files: list[tuple[str, str]],
    report: IndexReport,
) -> Compared:
    """The folder's ``files`` (path, label) against the catalogue of ``folder``."""
    from ..indexer import _check

    catalogue = _catalogue(conn, folder)
    lines = _stat_lines(files)
    asked = [f for f, line in zip(files, lines, strict=True) if line not in catalogue]
    got = Compared(known=len(catalogue), unchanged=len(files) - len(asked))
    report.unchanged += got.unchanged
    # the rows no file matched (each file matches one row at most): of files changed, or gone
    rows = (
        {_label(line) for line in catalogue.difference(lines)}
        if got.known > got.unchanged
        else set()
    )
    got.removed = sorted(rows.difference(label for _, label in asked))
    known = [label for _, label in asked if label in rows]
    if known or got.removed:
        found = conn.execute(_WHOLE, (folder, [*known, *got.removed])).fetchall()
        got.old = {label: orjson.loads(entry) for label, entry in found}
    for path, label in asked:
        entry = _check(path, label, got.old.get(label), report)
        if entry is None:
            got.todo.append((path, label))
        elif entry is not False:
            got.new[label] = entry
    return got


def _catalogue(conn: psycopg.Connection, folder: int) -> set[str]:
    """Each officer's row of ``folder`` as a line: its path, a tab, its ``seen`` (empty when
    it has none), read in one query."""
    found = conn.execute(CATALOGUE, (folder,)).fetchone()
    text = found[0] if found and found[0] else ""
    lines = text.split("\n") if text else []
    if "\\" in text:  # a path with a backslash, newline or tab (rare): each line as it is
        lines = [_ESCAPED.sub(_unescaped, line) for line in lines]
    return set(lines)


def _unescaped(match: re.Match[str]) -> str:
    char = match.group(1)
    return _UNESCAPE.get(char, char)


def _label(line: str) -> str:
    return line.rpartition("\t")[0]


def _stat_lines(files: list[tuple[str, str]]) -> list[str | None]:
    """Each file as a catalogue line would be if its row's ``seen`` were what one ``stat`` of
    it says now; None when it cannot be had, or this user may not read it (as
    :func:`~tuibrowser.store.indexer._readable` decides: the owner with the owner's read bit
    may, anyone else is asked of the system)."""
    from ..indexer import _UID

    mine = _UID is not None and _UID != 0
    stat_of, access, r_ok, owner_read = os.stat, os.access, os.R_OK, stat.S_IRUSR
    lines: list[str | None] = []
    add = lines.append
    for path, label in files:
        try:
            st = stat_of(path)
        except OSError:
            add(None)
            continue
        if (mine and st.st_uid == _UID and st.st_mode & owner_read) or access(path, r_ok):
            add(f"{label}\t{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}")
        else:
            add(None)
    return lines


def catalogue_shards(conn: psycopg.Connection, folder: int) -> set[str]:
    """Every half month the officer's catalogue of ``folder`` names."""
    found = conn.execute(
        "SELECT DISTINCT shard FROM files WHERE folder = %s AND NOT public AND shard IS NOT NULL",
        (folder,),
    )
    return {shard for (shard,) in found}
