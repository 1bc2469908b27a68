"""The catalog's seen part: what a refresh compares with the folder before it reads the catalog.

The catalog holds every file's entry (60,000 at 50,000 meetings): read whole, it is most of a
refresh that finds nothing changed, and its dicts most of its memory. Beside it the cache
keeps, written with it (``catalog-<token>.seen``, named by the index as
:attr:`.layout.IndexMeta.seen`):

- ``lines``: a line of each file the refresh may call unchanged by one ``stat`` alone (an
  entry with no problem, a half month, a ctime and inode, modified more than
  :data:`.indexer.RACY_NS` before its indexing: :func:`seen_line`), its label and what its
  ``stat`` said (``label<TAB>`` and its size, mtime, ctime and inode packed, in hexadecimal),
  as the PostgreSQL store keeps ``files.seen``;
- ``unclean``: the whole entry of every other file (with problems, restricted, without a
  document, or modified just before its indexing), which the refresh decides as it always did
  (:func:`.indexer._check`);
- ``shards``: how many entries name each half month; ``count``: how many entries the catalog
  holds.

A refresh builds each scanned file's line from one ``stat`` (:func:`stat_lines`) and looks it
up in the set of ``lines``: when every file is found so, or is an ``unclean`` entry found
unchanged, and none is gone, nothing changed and the catalog is not read. The part is read as
every part is (this user's own file, no link followed), and one that is missing, damaged or of
another shape is not used: the refresh compares the catalog's entries, as it did before.
"""

from __future__ import annotations

import os
import stat
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ..packed import pack, unpack
from . import fs, safefs

# what a line keeps of a ``stat``: size, mtime, ctime, inode, as 32 hexadecimal bytes (packing
# is half the cost of writing the four numbers out in decimal, a refresh's one call per file)
_STAT = struct.Struct("<QqqQ").pack


@dataclass
class Seen:
    """A seen part as read (see the module's text)."""

    lines: set[str]
    unclean: dict[str, dict]
    shards: dict[str, int]  # half month → how many entries name it
    count: int
    name: str | None = None  # its file's name, once compared
    stats: Scanned | None = None  # the folder's files' lines, once compared
    sound: bool = True  # False once an entry of it is found of another shape
    read: set[str] | None = None  # its lines as read, until the refresh finds what changed
    rest: list[tuple[str, str]] | None = None  # the files not found by their line, once compared


def seen_line(label: str, entry: dict, racy_ns: int) -> str | None:
    """The line of ``entry`` (of the file ``label``) when one ``stat`` alone may call it
    unchanged: no problem, a half month, its ctime and inode kept, and modified more than
    ``racy_ns`` before its indexing; else None (the entry is kept whole)."""
    if entry.get("problems") or not entry.get("shard") or "\n" in label:
        return None  # (a label with a line break: no line of the part can hold it)
    size, mtime, ctime, ino, indexed = (
        entry.get(k) for k in ("size", "mtime_ns", "ctime_ns", "ino", "indexed_ns")
    )
    if not (
        isinstance(size, int)
        and isinstance(mtime, int)
        and isinstance(ctime, int)
        and isinstance(ino, int)
        and isinstance(indexed, int)
        and mtime < indexed - racy_ns
    ):
        return None
    try:
        return f"{label}\t{_STAT(size, mtime, ctime, ino).hex()}"
    except struct.error:  # (a number no ``stat`` of this system gives)
        return None


@dataclass
class Scanned:
    """The folder's files as :func:`stat_lines` found them: each one's line, and those with
    none (a ``stat`` that failed, a file this user may not read)."""

    lines: dict[str, tuple[str, str]]  # line → (path, label), in the order of the files
    other: list[tuple[str, str]]

    def unseen(self, seen: set[str]) -> list[tuple[str, str]]:
        """The files (path, label) whose line is not in ``seen``, in the order of labels."""
        lines = self.lines
        found = [lines[line] for line in lines.keys() - seen]
        found.extend(self.other)
        found.sort(key=_label)
        return found


def _label(file: tuple[str, str]) -> str:
    return file[1]


def stat_lines(files: list[tuple[str, str]], seen: set[str], uid: int | None) -> Scanned:
    """Each of ``files`` (path, label) as its line would be if it were unchanged since the
    ``stat`` its line keeps; no line when the ``stat`` fails, or this user may not read the
    file (as :func:`.indexer._readable` decides: its owner with the owner's read bit may,
    anyone else is asked of the system; root, whom no mode bars, is not asked of a file whose
    line is ``seen``: the line holds its ctime, which any change of its mode, owner or ACL
    moves)."""
    mine = uid is not None and uid != 0
    root = uid == 0
    stat_of, access, r_ok, owner_read, pack = os.stat, os.access, os.R_OK, stat.S_IRUSR, _STAT
    lines: dict[str, tuple[str, str]] = {}
    other: list[tuple[str, str]] = []
    for f in files:
        path, label = f
        try:
            st = stat_of(path)
        except OSError:
            other.append(f)
            continue
        try:
            line = f"{label}\t{pack(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino).hex()}"
        except struct.error:  # (a time past 2262: no line, its entry is compared)
            other.append(f)
            continue
        if (
            (mine and st.st_uid == uid and st.st_mode & owner_read)
            or (root and line in seen)
            or access(path, r_ok)
        ):
            lines[line] = f
        else:
            other.append(f)
    return Scanned(lines, other)


def read_seen(path: Path) -> Seen | None:
    """The seen part at ``path``; None when it is missing, not this user's own, damaged, or
    of another shape (the refresh then compares the catalog's entries)."""
    try:
        return _checked(decode_seen(safefs.read_own(path)))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def encode_seen(data: dict[str, Any]) -> bytes:
    """The bytes of a seen part: its ``count``, ``shards`` and ``unclean`` entries as one line
    of JSON, then its ``lines``, one a line, packed (:func:`..packed.pack`). The lines are not
    JSON: parsing 60,000 strings of JSON (8 MB at 50,000 meetings) took orjson over 100 MB for a
    moment, a split of the text a tenth of that. Packed, the part is a seventh of its size
    (1.6 MB at 10,000 meetings, 0.23 MB packed: the cache is held to 1.2 times the files) for
    about 4 ms of a refresh at 10,000 meetings to unpack it. The lines are sorted (each beside
    the lines of its folder): packed quick, they are a third smaller than in the order of a
    set packed tight, for half the work (the seen part is written again by every refresh that
    finds something changed), and the part is the same bytes for the same lines."""
    head = orjson.dumps({k: v for k, v in data.items() if k != "lines"})
    return pack(head + b"\n" + "\n".join(sorted(data["lines"])).encode(), quick=True)


def decode_seen(raw: bytes) -> dict[str, Any]:
    """What :func:`encode_seen` wrote (ValueError when it is not such bytes)."""
    head, newline, rest = unpack(raw).partition(b"\n")
    if not newline:
        raise ValueError("no lines")
    data = orjson.loads(head)
    if not isinstance(data, dict) or "lines" in data:
        raise ValueError("not a seen part")
    data["lines"] = rest.decode().split("\n") if rest else []
    return data


def _checked(data: Any) -> Seen | None:
    if not isinstance(data, dict):
        return None
    lines, unclean, shards, count = (data.get(k) for k in ("lines", "unclean", "shards", "count"))
    if not (
        isinstance(lines, list)
        and isinstance(unclean, list)
        and isinstance(shards, dict)
        and isinstance(count, int)
    ):
        return None
    if not all(isinstance(e, dict) and isinstance(e.get("path"), str) for e in unclean):
        return None
    if not all(isinstance(k, str) and isinstance(n, int) for k, n in shards.items()):
        return None
    # (a line not a string, or twice, is never found: a refresh finds fewer than ``count``)
    found = Seen(set(lines), {e["path"]: e for e in unclean}, shards, count)
    if len(found.unclean) != len(unclean) or len(lines) + len(unclean) != count:
        return None
    return found


def write_seen(
    path: Path, lines: Iterable[str], unclean: list[dict], shards: dict[str, int]
) -> None:
    """Write the seen part: ``lines`` of the files a ``stat`` may call unchanged, the
    ``unclean`` entries, and how many entries name each half month."""
    kept = list(lines)
    data = {
        "count": len(kept) + len(unclean),
        "shards": {key: n for key, n in sorted(shards.items()) if n > 0},
        "unclean": unclean,
        "lines": kept,
    }
    # Not synced: a part cut short by a crash of the machine fails its checks, and is not used
    fs.atomic_write(path, encode_seen(data), sync=False)
