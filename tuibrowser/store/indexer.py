"""Bringing a cache up to date with the files, under its lock: plan, build, commit.

- **plan**: compare the catalog's seen part (:mod:`.seenplan`), and when something changed
  the catalog, with ``os.stat`` of every file (same size, mtime, ctime and
  inode: unchanged, unless the file changed within :data:`RACY_NS` of its indexing), read the files
  whose name gives no shard (to know where they go), and find the shards to write again;
- **build**: write those shards again (:func:`.shards.build_shard`), one process per core
  when there is enough to read (:mod:`.workers`), and move a file whose date is another
  shard's than its name says to its own;
- **commit**: write the catalog, then the index naming the new generation, and delete the
  parts no index names any more.
"""

from __future__ import annotations

import os
import stat
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import compress, repeat
from operator import itemgetter, methodcaller
from typing import TYPE_CHECKING, Any

from ..base import REDACTION, no_gc, shard_key
from ..safeopen import UnsafeFile, read_regular
from . import layout
from .firstpage import first_page, kept_first_page
from .fs import ensure_shard_dir, make_private, sweep_temp_files
from .layout import BAD_ENTRY, Index, IndexMeta, name_shard, new_part_name, part_names, shard_parts
from .memory import held
from .parse import parse_chunk, restricted_entry, stat_fields
from .reader import is_restricted
from .redact import FAILED, unread_of, withhold_problems, withhold_unread
from .refreshplan import Built, Plan, Progress, Ticker
from .report import IndexReport, report_problem, sort_problems

if TYPE_CHECKING:
    from pathlib import Path

    from ..model import Problem
    from .cache import Cache
    from .halfplan import Part
    from .seen import Seen
    from .shards import ShardJob, ShardResult
    from .workers import Workers

RACY_NS = 2_000_000_000
# What a refresh that finds a file changed imports beyond what one that finds nothing does, in
# the order it needs them: imported while the folder's walk is waited for (.prescan).
WARM = (
    "tuibrowser.store.halfplan",
    "tuibrowser.store.journal",
    "tuibrowser.store.shards",
    "tuibrowser.search.keptwords",
    "tuibrowser.store.db",
    "tuibrowser.records",
    "tuibrowser.search.keptfold",
    "tuibrowser.library",
    "tuibrowser.store.keptglances",
    "tuibrowser.search.skeleton",
    "tuibrowser.topic_parts",
    # the codecs a file is read with (records.parse_bytes) and its shown text patched with
    # (search.casepatch), found at their first use otherwise
    "encodings.utf_8_sig",
    "encodings.utf_16_le",
    "encodings.utf_32_le",
)
MAX_FILE_BYTES = 20 * 1024 * 1024  # as records.MAX_FILE_BYTES (a test keeps them equal)
# Work is shared out to one process per core when at least this many files are to be read.
PARALLEL_FILES = 200
PARALLEL_CHUNK = 32


def update_or_rebuild(cache: Cache, progress: Progress | None) -> IndexReport:
    """Bring the cache up to date (its lock held); set it aside and build it again when its
    entries have a shape this version cannot read."""
    try:
        return update_locked(cache, progress)
    except BAD_ENTRY:
        # Entries of a shape this version cannot read (written by another version, or
        # edited by hand): set the cache aside and build it again from the files.
        cache._set_aside()
        report = update_locked(cache, progress)
        report.rebuilt = "cache had entries of an unexpected shape"
        return report


def update_locked(cache: Cache, progress: Progress | None) -> IndexReport:
    # the folder's files alone: the parsers (tuibrowser.records) are imported only when a
    # file is read, so a refresh that finds nothing changed does not pay for them
    from ..scan import scan
    from .prescan import take
    from .seenplan import seen_of, unchanged
    from .workers import Workers

    report = IndexReport()
    index, why = cache._load_raw()
    seen = seen_of(cache, index)
    # walked by a child while the command imported this (.prescan), or walked now
    taken = take(cache.root, WARM, seen if index is not None else None)
    scanned, made, by_child = taken if taken is not None else (scan(cache.root), None, None)
    part = None
    if seen is not None and index is not None:
        quick = unchanged(cache, index, seen, scanned, report, progress, made, by_child)
        if quick is not None:  # nothing changed: the catalog is not read
            commit(cache, quick, Built(), report)
            held(quick, scanned, made, seen, index)  # (not freed in a process that ends now)
            return report
        from .halfplan import by_halves

        part = by_halves(cache, index, seen, scanned[0])  # (what changed: by half month)
    with no_gc():  # an entry per file: the collector would walk them again and again
        catalog = None
        if part is not None:
            catalog = part.old
        elif index is not None:
            catalog, why = cache._load_catalog(index)
            if catalog is None and why is None:  # (gone: under the lock, no writer moved it)
                why = "cache is corrupt"
    if why or (index is None and cache.path.exists()):
        report.rebuilt = why or "cache is corrupt"
        cache._set_aside()
        index = catalog = seen = part = None
    if seen is not None and not seen.sound:
        seen = None
    with no_gc(), Workers() as workers:
        found = plan(cache, index, catalog or {}, report, workers, progress, scanned, seen, part)
        built = build(cache, found, report, workers)
        report.one_process = workers.fallback
    commit(cache, found, built, report)
    held(found, built, scanned, made, catalog, seen, part, index)
    return report


def plan(
    cache: Cache,
    index: Index | None,
    old: dict[str, dict],
    report: IndexReport,
    workers: Workers,
    progress: Progress | None,
    scanned: tuple[Sequence[tuple[str, str]], list[Problem]],
    seen: Seen | None = None,
    part: Part | None = None,
) -> Plan:
    """Which files to read and which shards to write again (``scanned``: the folder's files
    and problems; ``seen``: the index's seen part, its lines compared; ``part``: the catalog
    read by half month)."""
    files, scan_problems = scanned
    meta = index.meta if index is not None else None
    found = Plan(
        index=index,
        old=old,
        new=part.new if part is not None else {},
        todo={},
        shards=dict(meta.shards) if meta else {},
        counts=dict(meta.counts) if meta else {},
        scan_problems=scan_problems,
        ticker=Ticker(progress, len(files)),
        part=part,
    )
    rest = files
    if part is not None and seen is not None:
        from .halfplan import compare_part

        rest = compare_part(part, seen, found, report)
    elif seen is not None:
        from .seenplan import compare_seen

        rest = compare_seen(files, seen, found, report)
    known = _compare(rest, found, report, progress is not None, len(files) - len(rest))
    if part is not None:
        report.removed = sorted(part.removed)
    elif known + len(found.seen_kept) < len(old):
        report.removed = sorted(set(old).difference(map(_LABEL, files)))
    if found.seen is not None:
        from .seenplan import seen_stale

        if seen_stale(found):
            found.seen, found.seen_kept = None, set()  # (written again whole)
            if part is not None:
                part.load_all()  # (of every entry)
    found.ticker.done = len(files) - len(found.todo)
    if found.todo:
        found.ticker.at(found.ticker.done)  # the files to read are known: say how many
    found.extra = _read_unnamed(cache, found, report, workers)
    for label, path in found.todo.items():
        if key := name_shard(label):
            found.by_shard.setdefault(key, []).append((path, label))
    found.dirty = _dirty(cache, found, report)
    if part is not None:  # the entries of the half months to write again
        for key in sorted(found.dirty):
            part.load(key)
    return found


_LABEL = itemgetter(1)  # of a (path, label)


def _compare(
    files: Sequence[tuple[str, str]], found: Plan, report: IndexReport, tell: bool, done: int = 0
) -> int:
    """Sort the folder's files into those unchanged (kept as the catalog has them: ``new``)
    and those to read (``todo``); return how many the catalog had (``done``: how many files
    were called unchanged before, for the progress told).

    The common case, a file of this user's unchanged since its indexing, is decided here with
    one ``stat`` and its entry's fields, no call per file (a refresh of 12,000 files is mostly
    this loop); every other case goes to :func:`_check`, which decides it as it always has."""
    old, new, todo, at = found.old, found.new, found.todo, found.ticker.at
    uid, racy, stat_of, access, r_ok = _UID, RACY_NS, os.stat, os.access, os.R_OK
    mine = uid is not None and uid != 0  # (root is asked of the system: see _readable)
    known = unchanged = 0
    for n, (path, label) in enumerate(files, start=1 + done):
        o = old.get(label)
        if o is not None:
            known += 1
            try:
                st = stat_of(path)
            except OSError:
                st = None
            if (
                st is not None
                and not o.get("problems")  # (so not restricted)
                and o.get("size") == st.st_size
                and o.get("mtime_ns") == st.st_mtime_ns
                and o.get("ctime_ns", st.st_ctime_ns) == st.st_ctime_ns
                and o.get("ino", st.st_ino) == st.st_ino
                and st.st_mtime_ns < o.get("indexed_ns", 0) - racy
                and (
                    (mine and st.st_uid == uid and st.st_mode & stat.S_IRUSR)
                    # root, whom no mode bars: nothing about the file (its mode, owner or ACL,
                    # each of which moves its ctime) changed since it was read
                    or (uid == 0 and "ctime_ns" in o)
                    or access(path, r_ok)
                )
            ):
                unchanged += 1
                new[label] = o
                if tell:
                    at(n - len(todo))
                continue
        entry = _check(path, label, o, report)
        if entry is None:
            todo[label] = path
        elif entry is not False:
            new[label] = entry
        if entry is not None and tell:
            at(n - len(todo))
    report.unchanged += unchanged
    return known


def _read_unnamed(
    cache: Cache, found: Plan, report: IndexReport, workers: Workers
) -> dict[str, dict[str, tuple[dict, dict]]]:
    """Read the files whose name gives no shard, to know where they go: their entries and
    documents by shard (a file with no document goes straight to the catalog)."""
    extra: dict[str, dict[str, tuple[dict, dict]]] = defaultdict(dict)
    unnamed = [(path, label) for label, path in found.todo.items() if not name_shard(label)]
    for label, entry, doc in parse_files(unnamed, workers):
        entry["shard"] = shard_key(doc["date"]) if doc else None
        report.read.append(label)
        found.ticker.tick(1)
        if doc is None:
            found.new[label] = withhold_problems(entry) if cache.public else entry
        else:
            extra[entry["shard"]][label] = (entry, doc)
    return extra


def _dirty(cache: Cache, found: Plan, report: IndexReport) -> set[str]:
    """The shards to write again: those of the files read, removed, moved, or gone from disk."""
    old, new, shards = found.old, found.new, found.shards
    dirty: set[str | None] = {*found.by_shard, *found.extra}
    for label in list(found.todo) + report.removed:
        if label in old and old[label].get("shard"):
            dirty.add(old[label]["shard"])
    for label, entry in new.items():
        was = old.get(label)
        if was is not None and was is not entry and entry.get("shard") != was.get("shard"):
            dirty |= {entry.get("shard"), was.get("shard")}
    try:
        present = found.present = set(os.listdir(cache.shard_dir))
    except OSError:
        present = set()
    if not present.issuperset(shard_parts(shards.values())):  # (a part deleted by hand)
        dirty |= {k for k, name in shards.items() if not present.issuperset(part_names(name))}
    dirty |= {e.get("shard") for e in new.values()}.difference(shards, (None, ""))
    if cache.public:  # a file or folder now (or no longer) unread withholds items
        failed = [p for p in found.scan_problems if p.severity in FAILED]
        found.unread = [p.to_dict() for p in withhold_unread(failed)]  # as public tells them
        before = found.index.meta.unread if found.index is not None else None
        now, then = unread_of(new, found.unread), unread_of(old, before)
        dirty |= {name_shard(x) for x in now ^ then}
        if None in dirty:  # a name without a date: it may be any meeting's
            dirty |= set(shards)
    return {key for key in dirty if key is not None}


def build(cache: Cache, found: Plan, report: IndexReport, workers: Workers) -> Built:
    """Write the dirty shards again: one process per core when there is enough to read."""
    built = Built()
    if not found.dirty:
        return built
    # (imported here: a refresh that finds nothing changed writes no shard)
    from .shards import ShardJob, build_shard

    ensure_shard_dir(cache.shard_dir)
    new, todo = found.new, found.todo

    def job(
        key: str, parse: list, more: dict, fresh: Iterable[str], held: dict | None = None
    ) -> ShardJob:
        # what the shard holds already (``held``, when known), but for the files it is given anew
        if held is None:
            if found.part is not None:
                found.part.load(key)
            held = {label: e for label, e in new.items() if e.get("shard") == key}
        keep = {label: e for label, e in held.items() if label not in fresh}
        return ShardJob(
            str(cache.root),
            str(cache.shard_dir),
            key,
            built.written.get(key, found.shards.get(key)),
            parse,
            keep,
            more,
            cache.public,
            # (only a public cache withholds the items of files that failed)
            [x for x in unread_of(new, found.unread) if name_shard(x) in (key, None)]
            if cache.public
            else [],
        )

    def take(result: ShardResult) -> list[tuple[str, dict, dict]]:
        if earlier := built.written.get(result.shard):  # written twice: the first is not kept
            built.interim.append(earlier)
        built.written[result.shard] = result.name
        built.rows[result.shard] = result.rows
        new.update(result.entries)
        report.read.extend(result.read)
        report.unchanged -= sum(1 for label in result.read if label not in todo)
        found.ticker.tick(sum(1 for label in result.read if label in todo))
        return result.misplaced

    held = _held(new, found.dirty)  # (one pass over the catalog, not one a shard)
    jobs = [
        job(k, found.by_shard.get(k, []), found.extra.get(k, {}), todo, held[k])
        for k in sorted(found.dirty)
    ]
    many = sum(len(j.parse) for j in jobs) >= PARALLEL_FILES and len(jobs) > 1
    misplaced: list[tuple[str, dict, dict]] = []
    for result in workers.map(build_shard, jobs, many):
        misplaced.extend(take(result))
    # A file whose name gives one shard and whose date another goes to its shard.
    while misplaced:
        moved: dict[str, dict[str, tuple[dict, dict]]] = defaultdict(dict)
        for label, entry, doc in misplaced:
            moved[entry["shard"]][label] = (entry, doc)
        misplaced = []
        for key, more in sorted(moved.items()):
            misplaced.extend(take(build_shard(job(key, [], more, more))))
    return built


def _held(new: dict[str, dict], keys: Iterable[str]) -> dict[str, dict[str, dict]]:
    """The entries of ``new`` (label → entry) of each shard of ``keys``, in ``new``'s order."""
    held: dict[str, dict[str, dict]] = {key: {} for key in keys}
    # (at C speed: a one-file refresh looks at every entry here, and keeps a few dozen)
    shard_of: list[str] = list(map(methodcaller("get", "shard"), new.values()))  # (or None)
    wanted = list(map(held.__contains__, shard_of))
    chosen = zip(compress(new.items(), wanted), compress(shard_of, wanted), strict=True)
    for (label, entry), key in chosen:
        held[key][label] = entry
    return held


def commit(cache: Cache, found: Plan, built: Built, report: IndexReport) -> None:
    """Write the catalog and then the index of the new generation, if anything changed."""
    from .seenplan import write_part

    for p in found.scan_problems:
        report_problem(p, report)
    entries = found.new.values()  # (nearly every entry has no problem: found at C speed)
    for entry in compress(entries, map(dict.get, entries, repeat("problems"))):
        sort_problems(entry, report)
    report.read = sorted(set(report.read))
    shards, counts, index = found.shards, found.counts, found.index
    if _changed(found, built, report):
        before = dict(shards)
        superseded = [
            shards[k] for k in built.written if k in shards and shards[k] != built.written[k]
        ]
        superseded += built.interim
        for key, name in built.written.items():
            if name is None:
                shards.pop(key, None)
            else:
                shards[key] = name
        for key in built.written:
            counts.pop(key, None)
            if built.rows.get(key):
                counts[key] = len(built.rows[key])
        first = kept_first_page(index, before, shards, counts, built.written, bool(built.interim))
        if first is None:
            first = first_page(cache, shards, built.rows)
        ensure_shard_dir(cache.shard_dir)
        catalog_name, journal_name = _write_catalog(cache, found)
        seen_name = write_part(cache, found, report)
        # (imported here: a refresh that finds nothing changed writes none)
        from .halfplan import write_part as halves_part

        halves_name = halves_part(cache, found, catalog_name, journal_name)
        sweep_temp_files(cache.path)
        meta = IndexMeta(
            root=str(cache.root.resolve()),
            public=cache.public,
            catalog=catalog_name,
            journal=journal_name,
            seen=seen_name,
            halves=halves_name,
            shards=shards,
            counts=counts,
            unread=found.unread,
            meetings=sum(counts.values()),
            redacted=REDACTION if cache.public else None,
        )
        write_tables(cache.path, {"meta": [meta.to_dict()], "first": first})
        report.written = True
        report.shards_written = sum(1 for n in built.written.values() if n)
        if index is not None:  # (the parts the new index names too are kept)
            cache.carry_views(before, shards)
            superseded.append(index.meta.catalog)
            if index.meta.journal:
                superseded.append(index.meta.journal)
            if index.meta.seen:
                superseded.append(index.meta.seen)
            if index.meta.halves:
                superseded.append(index.meta.halves)
            superseded.append(layout.people_name(index.meta.shards))
            superseded.append(layout.views_name(index.meta.shards))
            superseded.extend(layout.view_name(v, index.meta.shards) for v in layout.MERGED_VIEWS)
        # (the folder as the plan listed it: what this refresh wrote since is the index's)
        cache._drop_unused(meta.parts(), superseded, found.present)
    else:
        make_private(cache.path, 0o600)
    report.meetings = sum(counts.values())


def write_tables(
    path: Path, tables: dict[str, list[Any]], sync: bool = True, packed: bool = False
) -> None:
    """:func:`.db.write_tables`, imported when first written: a refresh that finds nothing
    changed writes nothing, and does not import TinyDB (nor :mod:`.db`)."""
    from .db import write_tables as write

    write(path, tables, sync, packed)


def _write_catalog(cache: Cache, found: Plan) -> tuple[str, str | None]:
    """Write the catalog's journal, or the catalog whole when it is due (:mod:`.journal`);
    the names of the catalog and of the journal the new index is to name."""
    from .journal import journal_labels, journal_tables

    index, new, part = found.index, found.new, found.part
    total = part.total() if part is not None else None
    labels = journal_labels(index.journaled if index is not None else None, found.old, new, total)
    if labels is None and part is not None:
        part.load_all()  # (written whole: every entry read)
    if index is not None and labels == []:
        return index.meta.catalog, None  # no entry changed, and no journal to keep
    name = new_part_name("catalog", ".json")
    if index is None or labels is None:
        # packed: a catalog is JSON of many alike entries (4.5 MB at 10,000 meetings, 0.9 packed)
        files = {"files": [new[k] for k in sorted(new)]}
        write_tables(cache.shard_dir / name, files, packed=True)
        return name, None
    write_tables(cache.shard_dir / name, journal_tables(labels, new))
    return index.meta.catalog, name


def _changed(found: Plan, built: Built, report: IndexReport) -> bool:
    """Whether the index is to be written again."""
    old, new, index = found.old, found.new, found.index
    if built.written or report.removed or report.verified or index is None:
        return True
    if found.seen is None:  # its seen part missing or damaged: written again
        return True
    if found.unread != index.meta.unread:
        return True
    return any(new[k] is not old[k] for k in new if k in old)


def _check(path: str, label: str, old: dict | None, report: IndexReport):
    """The file's entry when it need not be parsed, None when it must be, False to drop it."""
    try:
        st = os.stat(path)
    except OSError as exc:
        from ..model import Problem

        report.skipped.append(Problem(label, None, f"cannot read file: {exc.strerror or exc}"))
        return False
    if not _readable(path, st):
        # Permission denied (or revoked since the last refresh): keep nothing of the file.
        if old is not None and is_restricted(old) and old.get("size") == st.st_size:
            if old.get("mtime_ns") == st.st_mtime_ns:
                return old
        return restricted_entry(label, st)
    if old is None:
        return None
    if (
        not old.get("problems")  # (a file with none is not restricted: the common case first)
        or not is_restricted(old)
    ) and _same(old, st):
        report.unchanged += 1
        return old
    if is_restricted(old):
        return None
    if old.get("sha256") and stat.S_ISREG(st.st_mode) and st.st_size <= MAX_FILE_BYTES:
        from ..digest import hexdigest  # (a refresh that finds nothing changed hashes nothing)

        try:
            raw = read_regular(path, MAX_FILE_BYTES)  # a pipe swapped in is not waited on
        except (OSError, UnsafeFile):
            return None
        if hexdigest(raw) == old["sha256"]:
            report.unchanged += 1
            report.verified.append(label)
            return dict(old, **stat_fields(st), indexed_ns=time.time_ns())
    return None


def _same(old: dict, st: os.stat_result) -> bool:
    """Whether the file ``st`` is the one the entry ``old`` was made of, unchanged: the same
    size, mtime, ctime and inode (the last two when the entry has them: see
    :func:`.parse.stat_fields`), and modified more than :data:`RACY_NS` before its indexing
    (a file changed within the same clock tick as it was indexed can look unchanged)."""
    return (
        old.get("size") == st.st_size
        and old.get("mtime_ns") == st.st_mtime_ns
        and old.get("ctime_ns", st.st_ctime_ns) == st.st_ctime_ns
        and old.get("ino", st.st_ino) == st.st_ino
        and st.st_mtime_ns < old.get("indexed_ns", 0) - RACY_NS
    )


def parse_files(
    todo: list[tuple[str, str]], workers: Workers | None = None
) -> Iterator[tuple[str, dict, dict | None]]:
    """(label, entry, document dict) for each (path, label) to read and parse."""
    if workers is None:
        from .workers import Workers

        workers = Workers()
    chunks = [todo[i : i + PARALLEL_CHUNK] for i in range(0, len(todo), PARALLEL_CHUNK)]
    for part in workers.map(parse_chunk, chunks, len(todo) >= PARALLEL_FILES):
        yield from part


_UID = os.getuid() if hasattr(os, "getuid") else None


def _readable(path: str, st: os.stat_result) -> bool:
    """Whether this user may read the file: its owner with the owner's read bit may (an ACL
    cannot take that away); anyone else is asked of the system (groups, ACLs)."""
    if _UID is not None and st.st_uid == _UID and st.st_mode & stat.S_IRUSR and _UID != 0:
        return True
    return os.access(path, os.R_OK)
