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
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from ..base import record
from ..packed import pack, unpack
from . import fs, safefs
from .keptlines import KeptLines
from .statlines import _STAT, LABEL_END, Made, changed_in_text, made_lines, whole_places


@record
class Seen:
    """A seen part as read (see the module's text)."""

    _unshown = ("_lines",)  # (never compared: a part is compared by its blob or its lines)

    def __init__(
        self,
        blob: bytes,  # its lines as read, one a line (UTF-8): :attr:`lines` once wanted
        unclean: dict[str, dict],
        shards: dict[str, int],  # half month → how many entries name it
        count: int,
        name: str | None = None,  # its file's name, once compared
        stats: Scanned | None = None,  # the folder's files' lines, once compared
        sound: bool = True,  # False once an entry of it is found of another shape
        read: set[str] | None = None,  # its lines as read, until the refresh finds what changed
        _lines: set[str] | None = None,
        rest: list[tuple[str, str]] | None = None,  # the files not found by their line
        kept: KeptLines | None = None,  # its lines found again, when compared by place
        missed: set[str] | None = None,  # the labels of its lines not found, so compared
    ) -> None:
        self.blob = blob
        self.unclean = unclean
        self.shards = shards
        self.count = count
        self.name = name
        self.stats = stats
        self.sound = sound
        self.read = read
        self._lines = _lines
        self.rest = rest
        self.kept = kept
        self.missed = missed

    @property
    def lines(self) -> set[str]:
        """Its lines, as a set: made of :attr:`blob` when first asked for (a refresh that
        finds the files' lines are the blob itself, in one comparison, never asks). A part
        whose lines and entries kept whole are not ``count`` is found unsound then (counting
        the lines as it is read cost as much as the comparison)."""
        if self._lines is None:
            lines = self.blob.decode().split("\n") if self.blob else []
            if len(lines) + len(self.unclean) != self.count:
                self.sound = False
            self._lines = set(lines)
            self.blob = b""  # (its memory goes: the set holds the lines now)
        return self._lines

    @lines.setter
    def lines(self, value: set[str]) -> None:
        self._lines = value


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


@record
class Scanned:
    """The folder's files as :func:`stat_lines` found them: each one's line, and those with
    none (a ``stat`` that failed, a file this user may not read)."""

    def __init__(
        self,
        lines: dict[str, tuple[str, str]],  # line → (path, label), in the order of the files
        other: list[tuple[str, str]],
    ) -> None:
        self.lines = lines
        self.other = other

    def unseen(self, seen: set[str]) -> list[tuple[str, str]]:
        """The files (path, label) whose line is not in ``seen``, in the order of labels."""
        lines = self.lines
        found = [lines[line] for line in lines.keys() - seen]
        found.extend(self.other)
        found.sort(key=_label)
        return found


def _label(file: tuple[str, str]) -> str:
    return file[1]


def _owner(st: os.stat_result) -> int:
    """Who may read the file of ``st`` by its owner's read bit: its owner's uid, or -1 when the
    owner's read bit is off."""
    return st.st_uid if st.st_mode & stat.S_IRUSR else -1


def stat_lines(
    files: Sequence[tuple[str, str]], seen: set[str], uid: int | None, made: Made | None = None
) -> Scanned:
    """Each of ``files`` (path, label) as its line would be if it were unchanged since the
    ``stat`` its line keeps; no line when the ``stat`` fails, or this user may not read the
    file (as :func:`.indexer._readable` decides: its owner with the owner's read bit may,
    anyone else is asked of the system; root, whom no mode bars, is not asked of a file whose
    line is ``seen``: the line holds its ctime, which any change of its mode, owner or ACL
    moves). ``made``: the files' :func:`made_lines`, when made already."""
    if made is None:
        made = made_lines(files)
    if made is None:
        stats, lines = _each(files)
        return _sort_out(files, stats, lines, seen, uid)
    owners, made_ = made
    table = dict(zip(made_, files, strict=True))
    if uid == 0:  # root: only the files whose line is not seen are asked of the system
        doubt = table.keys() - seen
    elif _all_mine(owners, uid):
        doubt = set()
    else:
        return _sort_out(files, owners, made_, seen, uid)
    access, r_ok = os.access, os.R_OK
    other = [table.pop(line) for line in doubt if not access(table[line][0], r_ok)]
    other.sort(key=_label)
    return Scanned(table, other)


def _all_mine(owners: list[int], uid: int | None) -> bool:
    """Whether each file of ``owners`` (their :func:`_owner` marks) is this user's (not root)
    with the owner's read bit, which they may read whatever else says (as nearly all are)."""
    if not uid:
        return False
    return owners.count(uid) == len(owners)


def same_lines(
    seen: Seen, files: Sequence[tuple[str, str]], made: Made | None, uid: int | None
) -> list[tuple[str, str]] | None:
    """The files (path, label) kept whole in the seen part (its ``unclean`` entries), when
    every other file's line is one of its lines, and each of them one of the files' (the
    seen part of a folder in which nothing changed); None otherwise, or when this cannot tell
    (the lines are then compared one by one, as sets).

    One comparison of bytes: the part's lines are written in order (:func:`write_seen`),
    and the files' lines, made in the order of their labels, are nearly in that order. No
    line is hashed, and the part's are not cut apart."""
    if made is None:
        return None
    owners, lines = made
    # (their lines are in no seen part: whether they may be read, no matter)
    skip = _kept_whole(seen, files)
    if skip is None:
        return None  # (a file kept whole gone)
    rest = [files[at] for at in skip]
    if skip:  # (the few taken out by place, at C speed: a pass over every line cost a ms)
        lines, owners = list(lines), list(owners)
        for at in reversed(skip):
            del lines[at], owners[at]
    if len(lines) + len(rest) != seen.count:
        return None  # (a file added or gone)
    if uid != 0 and not _all_mine(owners, uid):
        return None  # (whether they may be read is asked one by one)
    return rest if _same_text(sorted(lines), seen.blob) else None


def few_changed(
    seen: Seen, files: Sequence[tuple[str, str]], made: Made | None, uid: int | None
) -> list[tuple[str, str]] | None:
    """The files (path, label) not found by their line in the seen part (with those kept whole
    there), when they are a few (:data:`.statlines.FEW`, or none) of the same files as the
    part's (none added nor gone) whose line changed: each of the files' lines compared with
    the part's line in the same place (:func:`.statlines.changed_in_text`), the part's lines
    never split nor hashed. Sets ``seen.rest``, ``seen.kept`` and ``seen.missed``
    (:func:`by_place`). None when this cannot tell (the lines are then compared as sets).
    At 10,000 meetings, a one-file refresh compared its lines in 15 ms as sets."""
    if made is None or not seen.blob or uid is None:
        return None
    owners, lines = made
    if len(lines) != len(files) or len(files) != seen.count:
        return None  # (a file added or gone, or lines not each file's)
    skip = _kept_whole(seen, files)
    if skip is None:
        return None
    whole = [files[at] for at in skip]
    if skip:  # (the few taken out by place, at C speed)
        lines, owners, files = list(lines), list(owners), list(files)
        for at in reversed(skip):
            del lines[at], owners[at], files[at]
    if uid != 0 and not _all_mine(owners, uid):
        return None  # (whether they may be read is asked one by one)
    # (root, whom no mode bars, is asked of no file whose line is found, as by stat_lines:
    # the others are not found by their line whatever the system says)
    changed = changed_in_text(lines, seen.blob)
    if changed is None:
        return None
    return by_place(seen, len(lines), [files[at] for at in changed], whole)


def by_place(
    seen: Seen, count: int, changed: list[tuple[str, str]], whole: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Set what a comparison by place found (:func:`few_changed`, or the walk's child:
    :mod:`.prescan`) of the part's ``count`` lines: ``seen.kept``, its lines less those of
    the files ``changed`` (:class:`.keptlines.KeptLines`); ``seen.missed``, their labels;
    ``seen.rest``, those files and the files kept ``whole``, in the order of labels. Returns
    ``seen.rest``."""
    seen.missed = {label for _, label in changed}
    seen.kept = KeptLines(seen.blob, count, seen.missed)
    seen.rest = sorted(changed + whole, key=_label)
    return seen.rest


class PartFiles(Sequence[tuple[str, str]]):
    """The folder's files (path, label), in the order of their labels, as the seen part names
    them when the first child found each in its place (:func:`.prescan._by_place`): the labels of the
    part's lines (``blob``, as read), with those of the files it keeps whole (``whole``: their
    places and labels) in their places. How many there are is known at once; the files
    themselves are made when first wanted. A one-file refresh that reads the catalog by half
    month, and one that finds nothing changed, never want them: at 12,000 files, making them
    (each label cut from its line, each path of the root's and the label's) was 5 to 8 ms."""

    __slots__ = ("_blob", "_count", "_files", "_prefix", "_whole")

    def __init__(self, prefix: str, blob: bytes, whole: list[tuple[int, str]], count: int):
        self._prefix = prefix
        self._blob: bytes | None = blob
        self._whole = whole
        self._count = count
        self._files: list[tuple[str, str]] | None = None

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, at: Any) -> Any:
        return self.files()[at]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.files())

    def files(self) -> list[tuple[str, str]]:
        """The files, made once."""
        if self._files is None:
            assert self._blob is not None
            end = LABEL_END
            labels = [line[:end] for line in self._blob.decode().split("\n")]
            for at, label in self._whole:  # (in order: each in its place)
                labels.insert(at, label)
            prefix, self._blob = self._prefix, None
            self._files = list(zip(map(prefix.__add__, labels), labels, strict=True))
        return self._files


def _kept_whole(seen: Seen, files: Sequence[tuple[str, str]]) -> list[int] | None:
    """The places among ``files`` (in the order of their labels) of the files kept whole in
    the seen part (its ``unclean`` entries), in order; None when one of them is gone."""
    return whole_places(files, seen.unclean)


# the lines joined and compared at a time: the whole text of 60,000 files, joined and then
# encoded, was two copies of 6 to 7 MB each, the peak of a refresh that finds nothing changed
_STEP = 2048


def _same_text(lines: list[str], blob: bytes) -> bool:
    """Whether ``lines`` joined by newlines, encoded, are ``blob`` (False when one cannot be
    encoded): compared :data:`_STEP` lines at a time, never holding the whole text."""
    pos, count = 0, len(lines)
    for at in range(0, count, _STEP):
        text = "\n".join(lines[at : at + _STEP])
        if at + _STEP < count:
            text += "\n"
        try:
            piece = text.encode()
        except UnicodeEncodeError:
            return False
        if not blob.startswith(piece, pos):
            return False
        pos += len(piece)
    return pos == len(blob)


def _each(files: Sequence[tuple[str, str]]) -> tuple[list[int | None], list[str | None]]:
    """Each file's owner mark (:func:`_owner`) and line, one by one: None for both when its
    ``stat`` fails, a line of None when a number does not fit it."""
    stats: list[int | None] = []
    made: list[str | None] = []
    for path, label in files:
        try:
            st = os.stat(path)
        except OSError:
            stats.append(None)
            made.append(None)
            continue
        stats.append(_owner(st))
        try:
            made.append(
                f"{label}\t{_STAT(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino).hex()}"
            )
        except struct.error:
            made.append(None)
    return stats, made


def _sort_out(
    files: Sequence[tuple[str, str]],
    owners: Sequence[int | None],
    made: Sequence[str | None],
    seen: set[str],
    uid: int | None,
) -> Scanned:
    """The files with a line this user may read (see :func:`stat_lines`), and the others."""
    mine = uid is not None and uid != 0
    root = uid == 0
    access, r_ok = os.access, os.R_OK
    lines: dict[str, tuple[str, str]] = {}
    other: list[tuple[str, str]] = []
    for f, owner, line in zip(files, owners, made, strict=True):
        if owner is None or line is None:
            other.append(f)
        elif (mine and owner == uid) or (root and line in seen) or access(f[0], r_ok):
            lines[line] = f
        else:
            other.append(f)
    return Scanned(lines, other)


def read_seen(path: Path) -> Seen | None:
    """The seen part at ``path``; None when it is missing, not this user's own, damaged, or
    of another shape (the refresh then compares the catalog's entries)."""
    try:
        head, blob = _split(safefs.read_own(path))
        if not blob.isascii():
            blob.decode()  # (not UTF-8: damaged)
        return _checked(orjson.loads(head), blob)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def encode_seen(data: dict[str, Any], text: bytes | None = None) -> bytes:
    """The bytes of a seen part: its ``count``, ``shards`` and ``unclean`` entries as one line
    of JSON, then its ``lines``, one a line, packed (:func:`..packed.pack`). The lines are not
    JSON: parsing 60,000 strings of JSON (8 MB at 50,000 meetings) took orjson over 100 MB for a
    moment, a split of the text a tenth of that. Packed, the part is a seventh of its size
    (1.6 MB at 10,000 meetings, 0.23 MB packed: the cache is held to 1.2 times the files) for
    about 4 ms of a refresh at 10,000 meetings to unpack it. The lines are sorted (each beside
    the lines of its folder): packed quick, they are a third smaller than in the order of a
    set packed tight, for half the work (the seen part is written again by every refresh that
    finds something changed), and the part is the same bytes for the same lines. ``text``:
    the lines sorted, joined and encoded already (then ``data`` has no ``lines``)."""
    head = orjson.dumps({k: v for k, v in data.items() if k != "lines"})
    if text is None:
        text = "\n".join(sorted(data["lines"])).encode()
    return pack(head + b"\n" + text, quick=True)


def decode_seen(raw: bytes) -> dict[str, Any]:
    """What :func:`encode_seen` wrote (ValueError when it is not such bytes)."""
    head, rest = _split(raw)
    data = orjson.loads(head)
    if not isinstance(data, dict) or "lines" in data:
        raise ValueError("not a seen part")
    data["lines"] = rest.decode().split("\n") if rest else []
    return data


def _split(raw: bytes) -> tuple[bytes, bytes]:
    """The line of JSON and the lines of the seen part ``raw`` (its file's bytes)."""
    head, newline, rest = unpack(raw).partition(b"\n")
    if not newline:
        raise ValueError("no lines")
    return head, rest


def _checked(data: Any, blob: bytes) -> Seen | None:
    if not isinstance(data, dict) or "lines" in data:
        return None
    unclean, shards, count = (data.get(k) for k in ("unclean", "shards", "count"))
    if not (isinstance(unclean, list) and isinstance(shards, dict) and isinstance(count, int)):
        return None
    if not all(isinstance(e, dict) and isinstance(e.get("path"), str) for e in unclean):
        return None
    if not all(isinstance(k, str) and isinstance(n, int) for k, n in shards.items()):
        return None
    # (a line twice is never found: a refresh finds fewer than ``count``; the lines are
    # counted when compared: :func:`same_lines`, :attr:`Seen.lines`)
    found = Seen(blob, {e["path"]: e for e in unclean}, shards, count)
    if len(found.unclean) != len(unclean) or len(unclean) > count:
        return None
    return found


def write_seen(
    path: Path, lines: Iterable[str] | KeptLines, unclean: list[dict], shards: dict[str, int]
) -> None:
    """Write the seen part: ``lines`` of the files a ``stat`` may call unchanged, the
    ``unclean`` entries, and how many entries name each half month. The lines are written
    in order (sorted: given nearly so, a pass; or the part's text as it was, with a few
    lines cut out and put in: :class:`.keptlines.KeptLines`), so that the next refresh
    compares them with the files' in one piece (:func:`same_lines`)."""
    if isinstance(lines, KeptLines):
        count, text = len(lines), lines.text()
    else:
        kept = sorted(lines)
        count, text = len(kept), "\n".join(kept).encode()
    data = {
        "count": count + len(unclean),
        "shards": {key: n for key, n in sorted(shards.items()) if n > 0},
        "unclean": unclean,
    }
    # Not synced: a part cut short by a crash of the machine fails its checks, and is not used
    fs.atomic_write(path, encode_seen(data, text), sync=False)
