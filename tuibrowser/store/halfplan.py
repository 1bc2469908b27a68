"""A refresh that reads of the catalog only the half months it needs (:mod:`.halves`).

When the seen part (:mod:`.seen`) finds files changed, added or gone, the refresh reads the
catalog by half month instead of whole (:func:`by_halves`): the entries of the files with
problems (kept whole in the seen part), of the journal, and of the half months the changed
and gone files were in; then, as the plan and the build find them, of each half month written
again (:meth:`Part.load`). The plan's ``old`` and ``new`` hold those entries only: every
other file was found unchanged by its line, and its entry is the one its half month's block
holds. The catalog is then written as a journal (or, when the journal would be too large,
whole, once every block is read: :meth:`Part.load_all`), and the part by half month with the
blocks of the half months whose entries changed made again (:func:`write_part`).

A public cache, and a cache whose part is missing or does not agree with the seen part, read
the catalog whole, as before.
"""

from __future__ import annotations

from operator import itemgetter
from typing import TYPE_CHECKING

import orjson

from ..base import NEW_DICT, NEW_SET, record
from ..packed import unpack
from . import safefs
from .halves import (
    NONE,
    Damaged,
    Halves,
    block_of,
    crc32,
    key_of,
    new_name,
    read_halves,
    sum_of,
    whole,
)
from .halves import write_halves as _write
from .layout import BAD_ENTRY, name_shard

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .cache import Cache
    from .indexer import Plan
    from .keptlines import KeptLines
    from .layout import Index
    from .report import IndexReport
    from .seen import Seen

_LABEL = itemgetter(1)  # of a (path, label)


@record
class Part:
    """The catalog as a refresh reads it by half month: the entries read so far (``old``), and
    those of them the files found unchanged keep (``new``)."""

    def __init__(
        self,
        halves: Halves,
        rest: list[tuple[str, str]],  # the files not found by their line (path, label)
        rest_labels: set[str],
        removed: set[str],  # the labels of the files gone
        old: dict[str, dict] = NEW_DICT,
        new: dict[str, dict] = NEW_DICT,
        loaded: set[str] = NEW_SET,
        catalog: list | None = None,  # the catalog's name and CRC-32 (:func:`.halves.sum_of`)
    ) -> None:
        self.halves = halves
        self.rest = rest
        self.rest_labels = rest_labels
        self.removed = removed
        self.old = {} if old is NEW_DICT else old
        self.new = {} if new is NEW_DICT else new
        self.loaded = set() if loaded is NEW_SET else loaded
        self.catalog = catalog

    def load(self, key: str | None) -> None:
        """Read the block of half month ``key`` into ``old``, and into ``new`` the entries of
        the files found unchanged by their line (not those to compare, nor those gone)."""
        key = key or NONE
        if key in self.loaded:
            return
        self.loaded.add(key)
        try:
            entries = self.halves.entries(key)
        except Damaged as exc:  # (read once the plan is made: the cache is built again)
            raise TypeError(str(exc)) from None
        self.add(entries)

    def add(self, entries: list[dict]) -> None:
        old, new, rest, removed = self.old, self.new, self.rest_labels, self.removed
        for entry in entries:
            label = entry["path"]
            if label in old:
                continue
            old[label] = entry
            if label not in rest and label not in removed:
                new[label] = entry

    def load_all(self) -> None:
        for key in sorted(self.halves.blocks):
            self.load(key)

    def total(self) -> int:
        """How many entries the catalog will hold: as many as it held, with those added and
        less those gone (``old`` holds the entry of every file gone, and of every file read)."""
        old, new = self.old, self.new
        return self.halves.count + len(new.keys() - old.keys()) - len(old.keys() - new.keys())


def by_halves(
    cache: Cache, index: Index, seen: Seen, files: Sequence[tuple[str, str]]
) -> Part | None:
    """The catalog's entries a refresh needs, read by half month, once the seen part compared
    found something changed (``seen.stats`` made, ``seen.read`` its lines as read);
    None when the catalog is to be read whole (a public cache, no sound part, or one not of
    the seen part's entries)."""
    meta, read, seen.read = index.meta, seen.read, None  # (its memory goes, once used)
    if cache.public or meta.halves is None or not seen.sound:
        return None
    if seen.kept is None and (seen.stats is None or read is None):
        return None  # (neither compared by place nor as sets)
    halves = read_halves(cache.shard_dir / meta.halves)
    if halves is None or halves.count != seen.count:
        return None
    for key, place in halves.blocks.items():
        if key != NONE and seen.shards.get(key, 0) != place[2]:
            return None
    folder = cache.shard_dir
    try:  # the catalog and journal it was written with (as the reader reads them: own files)
        raw = safefs.read_own(folder / meta.journal) if meta.journal is not None else None
        sums = [sum_of(folder, meta.catalog), None if raw is None else [meta.journal, crc32(raw)]]
    except OSError:
        return None
    if halves.of != sums:
        return None
    if seen.missed is not None:  # (compared by place: .seen.few_changed)
        missed = seen.missed
    else:
        assert read is not None and seen.stats is not None
        missed = {line.rpartition("\t")[0] for line in read.difference(seen.lines)}
    rest = seen.rest
    if rest is None:
        assert seen.stats is not None
        rest = seen.stats.unseen(seen.lines)
    rest_labels = set(map(_LABEL, rest))
    # the files gone: of those missed or unclean, the ones not in the folder. A file there
    # whose line was not found is one of ``rest``, so only the few others are looked for
    # among every file's label (none, when a file was edited)
    removed = (missed | seen.unclean.keys()) - rest_labels
    if removed:
        removed -= set(map(_LABEL, files))
    part = Part(halves, rest, rest_labels, removed, catalog=sums[0])
    part.add(list(seen.unclean.values()))
    try:
        for key in sorted({halves.shard_of(label) for label in missed}):
            part.load(key)
        if raw is not None:
            index.journaled = _journal(raw, part)
    except (TypeError, ValueError, *BAD_ENTRY):
        return None
    return part


def _journal(raw: bytes, part: Part) -> set[str]:
    """Add the journal's entries (``raw``: its file's bytes) to ``part`` (as its blocks hold
    them too); its labels. Read as the reader reads it: one of another shape fails."""
    from .journal import FILES, apply

    tables = orjson.loads(unpack(raw) if raw[:1] == b"\x78" else raw)
    labels = apply({}, tables)
    part.add([e for e in tables[FILES].values() if isinstance(e, dict)])
    return labels


def compare_part(part: Part, seen: Seen, found: Plan, report: IndexReport) -> list:
    """Call unchanged the files found by their line (their entries, as read, in ``new``);
    return the others, for :func:`.indexer._compare`."""
    kept: set[str] | KeptLines
    if seen.kept is not None:  # (found by place: .seen.few_changed)
        kept = seen.kept
    else:
        assert seen.stats is not None
        kept = seen.lines.intersection(seen.stats.lines)
    found.seen, found.seen_kept = seen, kept
    found.seen_rest = part.rest_labels
    report.unchanged += len(kept)
    if found.ticker.progress is not None:
        found.ticker.at(len(kept))
    return part.rest


def write_part(cache: Cache, found: Plan, catalog: str, journal: str | None) -> str:
    """Write the catalog by half month of the entries as they will be (``new``); its name.
    Read by half month: the blocks of the half months whose entries changed made again, the
    others' bytes as they were; else made whole."""
    part, name, folder = found.part, new_name(), cache.shard_dir
    # (the catalog kept, as a journal is written: summed once, as the plan read it; parts
    # are never written again in place)
    kept = part.catalog if part is not None and part.catalog is not None else None
    of = [kept if kept and kept[0] == catalog else sum_of(folder, catalog), sum_of(folder, journal)]
    if part is None:
        _write(folder / name, *whole(found.new.values()), of)
        return name
    old, new, halves = part.old, part.new, part.halves
    changed = {label for label, entry in new.items() if old.get(label) is not entry}
    changed.update(old.keys() - new.keys())
    keys = {key_of(e) for label in changed for e in (old.get(label), new.get(label)) if e}
    for key in keys:
        part.load(key)  # (its block whole, before it is made again)
    # (the others' bytes as they were, not copied: written from the part as read)
    blocks: dict[str, tuple[bytes | memoryview, int]] = {
        k: (halves.view(k), place[2]) for k, place in halves.blocks.items()
    }
    for key in keys:
        entries = [e for e in new.values() if key_of(e) == key]
        blocks.pop(key, None)
        if entries:
            blocks[key] = (block_of(entries), len(entries))
    elsewhere = dict(halves.elsewhere)
    for label in changed:
        elsewhere.pop(label, None)
        entry = new.get(label)
        if entry is not None and (name_shard(label) or NONE) != key_of(entry):
            elsewhere[label] = key_of(entry)
    _write(folder / name, blocks, elsewhere, of)
    return name
