"""A refresh against the catalog's seen part (:mod:`.seen`): the plan of a refresh that finds
nothing changed, made without reading the catalog (:func:`unchanged`); the files found by their
line called unchanged with set operations once the catalog is read (:func:`compare_seen`); and
the next seen part, written with the catalog (:func:`write_part`).

The rest of a refresh is :mod:`.indexer`'s, which calls these (and whose plan they make).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import orjson

from ..packed import unpack
from . import safefs
from .indexer import _LABEL, _UID, RACY_NS, Plan, Ticker, _check, _dirty
from .keptlines import KeptLines
from .layout import BAD_ENTRY, Index, IndexMeta, new_part_name
from .report import IndexReport
from .seen import (
    Made,
    Seen,
    few_changed,
    made_lines,
    read_seen,
    same_lines,
    seen_line,
    stat_lines,
    write_seen,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ..model import Problem
    from .cache import Cache
    from .indexer import Progress


def seen_of(cache: Cache, index: Index | None) -> Seen | None:
    """The seen part the index names (:mod:`.seen`), or None when there is none to use."""
    if index is None or index.meta.seen is None:
        return None
    seen = read_seen(cache.shard_dir / index.meta.seen)
    if seen is not None:
        seen.name = index.meta.seen
    return seen


def unchanged(
    cache: Cache,
    index: Index,
    seen: Seen,
    scanned: tuple[Sequence[tuple[str, str]], list[Problem]],
    report: IndexReport,
    progress: Progress | None,
    made: Made | None = None,
    by_child: list[tuple[str, str]] | None = None,
) -> Plan | None:
    """The plan of a refresh that finds nothing changed, decided by the index's seen part
    (:mod:`.seen`) without reading the catalog: every file's line found in it, or its entry
    kept whole there and found unchanged as :func:`.indexer._check` decides, no file gone, no shard
    to write again. None when something changed (or may have: the catalog is read). ``made``:
    the files' lines, made already; ``by_child``: the files not found by their line, as the
    walk's child found comparing their lines with the part's by place (:mod:`.prescan`, which
    set on ``seen`` what else it found, as :func:`.seen.few_changed` does)."""
    files = scanned[0]
    rest = by_child
    if rest is None:
        if made is None:
            made = made_lines(files)
        rest = same_lines(seen, files, made, _UID)  # (the files' lines are the part's, at once)
    if rest is None:
        rest = few_changed(seen, files, made, _UID)  # (a few lines changed: by place)
    if rest is None:
        rest = _compare_lines(seen, files, made)
        if not seen.sound:
            return None  # (its lines not as many as it says: damaged, not used)
    found = _unchanged(cache, index, seen, scanned, rest, report, progress)
    if found is None and seen.stats is None and seen.kept is None:
        # (as :func:`.halfplan.by_halves` wants it: an entry kept whole changed)
        if few_changed(seen, files, made, _UID) is None:
            _compare_lines(seen, files, made)
    return found


def _compare_lines(seen: Seen, files: Sequence[tuple[str, str]], made: Made | None) -> list:
    """Compare the files' lines with the seen part's, as sets (``seen.stats``, ``seen.read``
    and ``seen.lines`` set for what follows); the files not found by their line."""
    seen.stats = stat_lines(files, seen.lines, _UID, made)
    # the lines found (the others are not looked up again: their memory goes now, before a
    # catalog is read)
    seen.read = seen.lines  # (:func:`.halfplan.by_halves` finds the lines not found)
    seen.lines = seen.lines.intersection(seen.stats.lines)
    seen.rest = seen.stats.unseen(seen.lines)  # (:func:`.halfplan.by_halves` too)
    return seen.rest


def _unchanged(
    cache: Cache,
    index: Index,
    seen: Seen,
    scanned: tuple[Sequence[tuple[str, str]], list[Problem]],
    rest: list[tuple[str, str]],
    report: IndexReport,
    progress: Progress | None,
) -> Plan | None:
    """:func:`unchanged`, the files not found by their line in the seen part (``rest``)
    known."""
    files, scan_problems = scanned
    if len(files) != seen.count or any(label not in seen.unclean for _, label in rest):
        return None  # a file added, changed or gone
    told = IndexReport()  # (told to ``report`` only if nothing changed)
    for path, label in rest:
        entry = seen.unclean[label]
        try:
            if _check(path, label, entry, told) is not entry:
                return None
        except BAD_ENTRY:  # an entry of another shape: not used, and written again
            seen.sound = False
            return None
    if not _catalog_sound(cache, index.meta):
        return None
    meta = index.meta
    found = Plan(
        index=index,
        old=dict(seen.unclean),
        new=dict(seen.unclean),
        todo={},
        shards=dict(meta.shards),
        counts=dict(meta.counts),
        scan_problems=scan_problems,
        ticker=Ticker(progress, len(files)),
    )
    found.seen = seen
    if not meta.shards.keys() >= seen.shards.keys():  # not of this index: written again
        seen.sound = False
        return None
    found.dirty = _dirty(cache, found, report)
    if found.dirty or found.unread != meta.unread:
        return None
    report.unchanged += len(files) - len(rest) + told.unchanged
    found.ticker.at(len(files))
    return found


def _catalog_sound(cache: Cache, meta: IndexMeta) -> bool:
    """Whether the catalog the index names is there (a file of this user's own) and its
    journal, if any, is sound (read whole: it is small). A refresh that finds nothing changed
    by the seen part does not read the catalog, but a damaged journal or a catalog gone is
    found as the reader finds it, and the cache built again."""
    from .journal import apply

    try:
        if safefs.file_problem(os.lstat(cache.shard_dir / meta.catalog)):
            return False
        if meta.journal is not None:
            raw = safefs.read_own(cache.shard_dir / meta.journal)
            apply({}, orjson.loads(unpack(raw) if raw[:1] == b"\x78" else raw))
    except (OSError, ValueError, *BAD_ENTRY):
        return False
    return True


def compare_seen(
    files: Sequence[tuple[str, str]], seen: Seen, found: Plan, report: IndexReport
) -> Sequence[tuple[str, str]]:
    """Call unchanged the files whose line the seen part has (their entries as the catalog
    has them: ``new``); return the others, for :func:`.indexer._compare`. A line of a file the
    catalog has no entry of (a seen part not of this catalog) and nothing is called so.

    Set operations, no call per file: the catalog copied whole, less the others' entries
    and those of the files gone."""
    if seen.stats is None:
        seen.stats = stat_lines(files, seen.lines, _UID)
    old, new = found.old, found.new
    kept = seen.lines.intersection(seen.stats.lines)
    rest = seen.stats.unseen(kept)
    new.update(old)
    for label in old.keys() - set(map(_LABEL, files)) | set(map(_LABEL, rest)):
        new.pop(label, None)
    if len(new) != len(kept):  # (each of the files kept has an entry)
        new.clear()
        return files
    found.seen, found.seen_kept = seen, kept
    found.seen_rest = set(map(_LABEL, rest))
    report.unchanged += len(new)
    if found.ticker.progress is not None:
        found.ticker.at(len(new))
    return rest


def seen_stale(found: Plan) -> bool:
    """Whether a file not found by its line in the seen part was called unchanged by its
    entry, which has a line: the seen part is not of these entries (and is written again)."""
    old, new = found.old, found.new
    return any(
        (entry := old.get(label)) is not None
        and new.get(label) is entry
        and seen_line(label, entry, RACY_NS) is not None
        for label in found.seen_rest
    )


def write_part(cache: Cache, found: Plan, report: IndexReport) -> str:
    """Write the catalog's seen part (:mod:`.seen`) of the entries as they will be (``new``);
    its name. The lines found again by the refresh are kept as they were; the other files'
    (those not found by their line, read, or gone) are made of their entries: no entry but
    theirs is looked at, for a file read by no one keeps its ``stat``, and so its line."""
    old, new, seen = found.old, found.new, found.seen
    lines = found.seen_kept  # (the plan's own: no longer wanted once its catalog is written)
    by_place = isinstance(lines, KeptLines)  # (the part's lines found by place)
    if seen is None or (seen.stats is None and not by_place):  # every entry's line is made
        others: set[str] = set(new)
        shards: dict[str, int] = {}
    else:
        read = set(report.read)
        if not read.issubset(found.seen_rest):  # found unchanged, then read again
            if isinstance(lines, KeptLines):
                lines.drop(read - found.seen_rest)
            else:
                assert seen.stats is not None
                line_of = {label: line for line, (_, label) in seen.stats.lines.items()}
                lines.difference_update(line_of.get(label) for label in read)
        others = read | found.seen_rest
        others.update(report.removed)
        shards = dict(seen.shards)
        for label in others:  # (the entries of the others are counted again below)
            if (was := old.get(label)) is not None and (key := was.get("shard")):
                shards[key] = shards.get(key, 0) - 1
    unclean: list[dict] = []
    for label in sorted(others):
        entry = new.get(label)
        if entry is None:
            continue
        if key := entry.get("shard"):
            shards[key] = shards.get(key, 0) + 1
        line = seen_line(label, entry, RACY_NS)
        if line is None:
            unclean.append(entry)
        elif isinstance(lines, KeptLines):
            lines.append(line)  # (put in its place when the part is written)
        else:
            lines.add(line)
    name = new_part_name("catalog", ".seen")
    write_seen(cache.shard_dir / name, _in_order(lines, seen), unclean, shards)
    return name


def _in_order(lines: set[str] | KeptLines, seen: Seen | None) -> Iterable[str] | KeptLines:
    """``lines`` in the order of the folder's files, when the refresh has their lines: nearly
    the sorted order the part is written in, which a sort then finds in one pass (a sort of
    the set compares each line a dozen times). The part's lines found by place are written
    as they are (:class:`.keptlines.KeptLines`)."""
    if isinstance(lines, KeptLines) or seen is None or seen.stats is None:
        return lines
    ordered = list(filter(lines.__contains__, seen.stats.lines))
    if len(ordered) != len(lines):
        ordered.extend(lines.difference(ordered))
    return ordered
