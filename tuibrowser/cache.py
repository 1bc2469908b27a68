"""The per-user TinyDB cache of parsed meeting files: atomic, locked, incremental, disposable.

One cache per meetings folder (keyed by the folder's real path) in the user's cache directory
(folders 0700, files 0600), in two parts:

- the **index** (``meetings-<hash>.json``): a TinyDB database with each file's size, mtime,
  content hash and problems (table ``files``), and one small row per meeting for the meeting
  list (table ``meetings``) — all the browser reads before its first frame;
- the **shards** (``meetings-<hash>.json.d/YYYY-MM-<token>.json``): TinyDB databases holding
  the parsed documents, one shard per month of meeting dates, so every document of a meeting
  sits in one shard, and a refresh after one file changed rewrites one shard, not the cache.

A refresh re-reads only new or changed files (in parallel on a cold index) and drops deleted
ones. Every file is written to a temporary file and moved into place with ``os.replace``, under
a file lock, and a rewritten shard gets a new name, so a reader sees one whole generation:
the index names the shards it was written with. A cache that cannot be read, or has another
format version, is set aside and rebuilt from the files.
"""

from __future__ import annotations

import gc
import hashlib
import os
import secrets
import shutil
import stat
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout
from platformdirs import user_cache_dir
from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage

from .library import Library, build, merge_all, redact_document
from .listing import MeetingRow, meeting_row, newest_first
from .model import RESTRICTED, Document, Problem

# tuibrowser.records (the YAML and frontmatter parsers) is imported by the functions that read
# files: the browser's first frame, painted from the index, does not wait for it.

CACHE_VERSION = 2
APP_NAME = "tuibrowser"
LOCK_TIMEOUT = 120.0
RACY_NS = 2_000_000_000
STALE_TEMP_SECONDS = 60
# A cold index of at least this many files is parsed by one process per core.
PARALLEL_FILES = 200
PARALLEL_CHUNK = 32

Progress = Callable[[int, int], None]
# What reading a cached entry of the wrong shape raises.
BAD_ENTRY = (TypeError, KeyError, ValueError, AttributeError)


class AtomicJSONStorage(Storage):
    """TinyDB storage: orjson, written to a temp file and moved into place atomically."""

    def __init__(self, path: str | os.PathLike[str], initial: dict | None = None, **_: Any):
        self.path = Path(path)
        self._initial = initial

    def read(self) -> dict[str, Any] | None:
        if self._initial is not None:
            data, self._initial = self._initial, None
            return data
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        return orjson.loads(raw) if raw else None

    def write(self, data: dict[str, Any]) -> None:
        atomic_write(self.path, orjson.dumps(data))

    def close(self) -> None:
        pass


def atomic_write(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` so that readers see the old file or the new one, never half."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_tables(path: Path, tables: dict[str, list[dict]]) -> None:
    """Write a TinyDB database of ``tables`` in one atomic write (batched inserts)."""
    db = TinyDB(str(path), storage=CachingMiddleware(AtomicJSONStorage), initial={})
    try:
        for name, rows in tables.items():
            db.table(name).insert_multiple(rows)
    finally:
        db.close()


def sweep_temp_files(path: Path, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Delete temporary files a killed writer of ``path`` left behind; return how many."""
    removed = 0
    cutoff = time.time() - older_than
    prefix = f".{path.name}."  # atomic_write's mkstemp prefix
    try:
        candidates = [
            p for p in path.parent.iterdir() if p.name.startswith(prefix) and p.suffix == ".tmp"
        ]
    except OSError:
        return 0
    for tmp in candidates:
        try:
            if tmp.lstat().st_mtime < cutoff:
                tmp.unlink()
                removed += 1
        except OSError:
            pass
    return removed


def default_cache_dir() -> Path:
    return Path(os.environ.get("TUIBROWSER_CACHE_DIR") or user_cache_dir(APP_NAME, appauthor=False))


def cache_file_for(root: Path, cache_dir: Path | None = None, public: bool = False) -> Path:
    real = str(Path(root).resolve())
    digest = hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:20]
    suffix = "-public" if public else ""
    return (cache_dir or default_cache_dir()) / f"meetings-{digest}{suffix}.json"


def ensure_private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    _make_private(path, 0o700)


def _make_private(path: Path, mode: int) -> None:
    try:
        st = path.stat()
        if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) != mode:
            os.chmod(path, mode)
    except OSError:
        pass


def shard_key(date: str) -> str:
    """The shard of a meeting date: its month, ``YYYY-MM``."""
    return date[:7]


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of objects are made.

    Parsed records hold no reference cycles, so nothing is lost; without this the collector
    walks every object made so far, again and again, and loading takes three times as long.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class CacheUnavailable(Exception):
    """The cache cannot be used now (locked too long, or a folder this user may not write)."""


@dataclass
class IndexReport:
    """What a refresh did."""

    read: list[str] = field(default_factory=list)
    verified: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    restricted: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    rebuilt: str | None = None
    written: bool = False
    meetings: int = 0
    shards_written: int = 0

    @property
    def files(self) -> int:
        return len(self.read) + self.unchanged


class Cache:
    """The cache for one meetings folder."""

    def __init__(self, root: Path, path: Path | None = None, public: bool = False):
        self.root = Path(root)
        self.public = public
        self.path = Path(path) if path is not None else cache_file_for(self.root, public=public)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.shard_dir = self.path.with_name(self.path.name + ".d")

    # -- reading the cache -------------------------------------------------------

    def _load_raw(self) -> tuple[dict | None, str | None]:
        """The index's tables, or None and why it cannot be used."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None, None
        except OSError as exc:
            return None, f"cache unreadable ({exc.strerror or exc})"
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return None, "cache is corrupt or truncated"
        if not isinstance(data, dict):
            return None, "cache is corrupt"
        meta = (data.get("meta") or {}).get("1")
        if not isinstance(meta, dict) or meta.get("version") != CACHE_VERSION:
            return None, "cache has an older format"
        if meta.get("root") != str(self.root.resolve()) or meta.get("public") != self.public:
            return None, "cache belongs to another folder"
        if not isinstance(data.get("files"), dict) or not isinstance(meta.get("shards"), dict):
            return None, "cache is corrupt"
        if not isinstance(data.get("meetings", {}), dict):
            return None, "cache is corrupt"
        return data, None

    def paths(self) -> list[Path]:
        """Every file the cache is made of: the index, then its shards."""
        data, _ = self._load_raw()
        shards = sorted((data["meta"]["1"]["shards"] or {}).values()) if data else []
        return [
            self.path,
            *(self.shard_dir / name for name in shards),
            *(self.shard_dir / text_name(name) for name in shards),
        ]

    def entries(self) -> dict[str, dict]:
        """The cached entries by file label, without refreshing (empty if there is no usable cache)."""
        data, _ = self._load_raw()
        if data is None:
            return {}
        return _file_entries(data)

    def rows(self) -> list[MeetingRow] | None:
        """The meeting list as cached, newest first, without reading a document; None if there
        is no usable cache."""
        data, _ = self._load_raw()
        if data is None:
            return None
        try:
            with no_gc():
                return newest_first(MeetingRow.from_dict(r) for r in data["meetings"].values())
        except BAD_ENTRY:
            return None

    def _read_shard(self, name: str) -> dict[str, dict]:
        """A shard's documents by file label (raises OSError or ValueError when it is bad)."""
        data = orjson.loads((self.shard_dir / name).read_bytes())
        return {e["path"]: e["document"] for e in data["documents"].values()}

    def load(self) -> Library | None:
        """The library as cached, without looking at the files; None if there is no usable cache."""
        return self._load()[0]

    def _load(self) -> tuple[Library | None, str | None]:
        for _ in range(3):  # a writer may replace a shard between reading the index and it
            data, why = self._load_raw()
            if data is None:
                return None, why
            try:
                with no_gc():
                    return self._library(data), None
            except FileNotFoundError:
                continue
            except (OSError, orjson.JSONDecodeError, *BAD_ENTRY):
                return None, "cache had entries of an unexpected shape"
        return None, None

    def _library(self, data: dict) -> Library:
        # One shard at a time: its JSON is turned into records and dropped before the next
        # is read, so the whole cache is never in memory twice.
        documents: dict[str, Document] = {}
        words: dict[str, str] = {}
        texts: dict[str, Path] = {}
        for key, name in data["meta"]["1"]["shards"].items():
            shard = orjson.loads((self.shard_dir / name).read_bytes())
            for e in shard["documents"].values():
                documents[e["path"]] = Document.from_dict(e["document"])
            words[key] = " ".join(w["words"] for w in shard.get("words", {}).values())
            texts[key] = self.shard_dir / text_name(name)
            del shard
        problems: list[Problem] = []
        skipped = 0
        kept: list[Document] = []
        for e in sorted(_file_entries(data).values(), key=lambda e: e["path"]):
            problems.extend(Problem.from_dict(p) for p in e.get("problems") or [])
            doc = documents.get(e["path"])
            if doc is None:
                skipped += not _is_restricted(e)
            else:
                kept.append(doc)
        documents.clear()
        lib = build(kept, problems, skipped, public=self.public)
        lib.words = words
        lib.texts = texts
        return lib

    # -- refreshing ----------------------------------------------------------------

    def refresh(self, progress: Progress | None = None) -> tuple[Library, IndexReport]:
        """Bring the cache up to date with the files and return the library."""
        try:
            report = self.update(progress)
        except CacheUnavailable as exc:
            lib, report = open_library(self.root, use_cache=False, public=self.public)
            report.rebuilt = str(exc)
            return lib, report
        lib, why = self._load()
        if lib is None and why:
            # A shard this version cannot read (damaged, or edited by hand): build it again.
            try:
                with FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT, mode=0o600):
                    self._set_aside()
                report = self.update(progress)
                report.rebuilt = why
                lib, _ = self._load()
            except (Timeout, OSError, CacheUnavailable):
                lib = None
        if lib is None:  # set aside by another process meanwhile: go to the files
            lib, _ = open_library(self.root, use_cache=False, public=self.public)
        return lib, report

    def update(self, progress: Progress | None = None) -> IndexReport:
        """Bring the cache up to date with the files, without building the library.

        Raises :class:`CacheUnavailable` when the cache cannot be used now.
        """
        started = time.perf_counter()
        try:
            ensure_private_dir(self.path.parent)
            with FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT, mode=0o600):
                try:
                    report = self._update_locked(progress)
                except BAD_ENTRY:
                    # Entries of a shape this version cannot read (written by another version,
                    # or edited by hand): set the cache aside and build it again from the files.
                    self._set_aside()
                    report = self._update_locked(progress)
                    report.rebuilt = "cache had entries of an unexpected shape"
        except Timeout as exc:
            raise CacheUnavailable("cache is locked by another process; read the files") from exc
        except OSError as exc:
            # A cache folder this user may not write (someone else's, read-only, full disk).
            raise CacheUnavailable(f"cannot use the cache ({exc.strerror or exc})") from exc
        report.seconds = time.perf_counter() - started
        return report

    def _set_aside(self) -> None:
        if self.path.exists():
            aside = self.path.with_name(f"{self.path.name}.bad-{int(time.time())}")
            try:
                os.replace(self.path, aside)
            except OSError:
                pass
        shutil.rmtree(self.shard_dir, ignore_errors=True)

    def _update_locked(self, progress: Progress | None) -> IndexReport:
        report = IndexReport()
        data, why = self._load_raw()
        if why:
            report.rebuilt = why
            self._set_aside()
            data = None
        old = _file_entries(data) if data is not None else {}
        shards: dict[str, str] = dict(data["meta"]["1"]["shards"]) if data is not None else {}
        rows = [r for r in data["meetings"].values()] if data is not None else []

        with no_gc(), Workers() as workers:
            new, documents = self._scan(report, old, progress, workers)
            report.removed = sorted(set(old) - set(new))
            # A shard is rewritten when a file of it was read again, was removed, or left it
            # (for another month, or to be restricted).
            dirty: set[str | None] = set()
            for label in documents.keys() | set(report.removed):
                dirty |= {(old.get(label) or {}).get("shard"), (new.get(label) or {}).get("shard")}
            for label in new.keys() & old.keys():
                if new[label].get("shard") != old[label].get("shard"):
                    dirty |= {new[label].get("shard"), old[label].get("shard")}
            if self.public:
                dirty |= _marks_changed(old, new)
            dirty.discard(None)
            dirty |= {k for k in shards if not (self.shard_dir / shards[k]).is_file()}
            dirty |= {
                e["shard"] for e in new.values() if e.get("shard") and e["shard"] not in shards
            }

            written: dict[str, str | None] = {}
            fresh_rows: list[dict] = []
            if dirty:
                ensure_private_dir(self.shard_dir)
            jobs = []
            for key in sorted(dirty):
                docs = self._shard_documents(key, shards.get(key), new, documents, report)
                if docs:
                    jobs.append((str(self.shard_dir), key, docs))
                else:
                    written[key] = None
            documents.clear()  # each document now sits in one job only
            many = len(jobs) >= 8 and sum(len(j[2]) for j in jobs) >= PARALLEL_FILES
            for (_, key, _), (name, shard_rows) in zip(
                jobs, workers.map(write_shard, jobs, many), strict=True
            ):
                written[key] = name
                fresh_rows.extend(shard_rows)

        changed = bool(report.read or report.removed or report.verified or why or data is None)
        changed = changed or bool(dirty) or any(new[k] is not old[k] for k in new if k in old)
        if changed:
            superseded = [shards[k] for k in written if k in shards]
            for key, name in written.items():
                if name is None:
                    shards.pop(key, None)
                else:
                    shards[key] = name
            rows = [r for r in rows if r.get("shard") not in written] + fresh_rows
            sweep_temp_files(self.path)
            write_tables(
                self.path,
                {
                    "meta": [
                        {
                            "version": CACHE_VERSION,
                            "root": str(self.root.resolve()),
                            "public": self.public,
                            "shards": shards,
                        }
                    ],
                    "files": list(new.values()),
                    "meetings": rows,
                },
            )
            report.written = True
            report.shards_written = sum(1 for n in written.values() if n)
            self._drop_unused_shards(set(shards.values()), superseded)
        else:
            _make_private(self.path, 0o600)
        report.read.sort()
        report.meetings = len(rows)
        return report

    def _scan(
        self,
        report: IndexReport,
        old: dict[str, dict],
        progress: Progress | None,
        workers: Workers,
    ) -> tuple[dict[str, dict], dict[str, dict | None]]:
        """The new entries by label, and the documents of the files that were parsed."""
        from . import records

        files, scan_problems = records.scan(self.root)
        for p in scan_problems:
            _report_problem(p, report)
        new: dict[str, dict] = {}
        todo: list[tuple[str, str, dict | None]] = []
        total = len(files)
        done = 0
        for path, label in files:
            entry = self._check(path, label, old.get(label), report)
            if entry is None:
                todo.append((path, label, old.get(label)))
                continue
            if entry is not False:
                new[label] = entry
            done += 1
            if progress is not None:
                progress(done, total)
        documents: dict[str, dict | None] = {}
        for label, entry, document in parse_files(todo, workers):
            entry["shard"] = shard_key(document["date"]) if document else None
            new[label] = entry
            documents[label] = document
            report.read.append(label)
            _sort_problems(entry, report)
            done += 1
            if progress is not None:
                progress(done, total)
        return dict(sorted(new.items())), documents

    def _check(self, path: str, label: str, old: dict | None, report: IndexReport):
        """The file's entry when it need not be parsed, None when it must be, False to drop it."""
        from . import records

        try:
            st = os.stat(path)
        except OSError as exc:
            report.skipped.append(Problem(label, None, f"cannot read file: {exc.strerror or exc}"))
            return False
        if not os.access(path, os.R_OK):
            # Permission denied (or revoked since the last refresh): keep nothing of the file.
            if old is not None and _is_restricted(old) and old.get("size") == st.st_size:
                if old.get("mtime_ns") == st.st_mtime_ns:
                    _sort_problems(old, report)
                    return old
            return _restricted_entry(label, st, report)
        if old is None or _is_restricted(old):
            return None
        if (
            old.get("size") == st.st_size
            and old.get("mtime_ns") == st.st_mtime_ns
            # A file changed within the same clock tick as it was indexed can look unchanged:
            # trust size and mtime only when the file was older than its indexing by 2 s.
            and st.st_mtime_ns < old.get("indexed_ns", 0) - RACY_NS
        ):
            report.unchanged += 1
            _sort_problems(old, report)
            return old
        if old.get("sha256") and stat.S_ISREG(st.st_mode) and st.st_size <= records.MAX_FILE_BYTES:
            try:
                with open(path, "rb") as fh:
                    raw = fh.read()
            except OSError:
                return None
            if hashlib.sha256(raw).hexdigest() == old["sha256"]:
                report.unchanged += 1
                report.verified.append(label)
                entry = dict(
                    old, size=st.st_size, mtime_ns=st.st_mtime_ns, indexed_ns=time.time_ns()
                )
                _sort_problems(entry, report)
                return entry
        return None

    def _shard_documents(
        self,
        key: str,
        old_name: str | None,
        new: dict[str, dict],
        documents: dict[str, dict | None],
        report: IndexReport,
    ) -> dict[str, dict]:
        """The documents of shard ``key``: the unchanged ones from its old generation and the
        freshly parsed ones."""
        kept: dict[str, dict] = {}
        if old_name is not None:
            try:
                kept = self._read_shard(old_name)
            except (OSError, ValueError, *BAD_ENTRY):
                kept = {}
        docs: dict[str, dict] = {}
        for label, entry in list(new.items()):
            if entry.get("shard") != key:
                continue
            if label in documents:
                doc = documents[label]
            else:
                doc = kept.get(label)
                if doc is None:  # the shard lost it (deleted by hand): read the file again
                    ((_, entry, doc),) = parse_files([(str(self.root / label), label, None)])
                    entry["shard"] = shard_key(doc["date"]) if doc else None
                    new[label] = entry
                    report.read.append(label)
                    report.unchanged -= 1  # counted unchanged by the scan
                    if entry["shard"] != key:
                        continue
            if doc is not None:
                docs[label] = doc
        if self.public:
            docs = self._withhold_confidential(key, docs, new, report)
        return docs

    def _withhold_confidential(
        self, key: str, docs: dict[str, dict], new: dict[str, dict], report: IndexReport
    ) -> dict[str, dict]:
        """Public cache: no document keeps a confidential item, whichever file marks it."""
        marked: dict[str, set[str]] = defaultdict(set)
        for label in docs:
            if new[label].get("marks"):
                marked[new[label]["meeting"]].update(new[label]["marks"])
        out: dict[str, dict] = {}
        for label, doc in docs.items():
            entry = new[label]
            numbers = marked.get(entry["meeting"], set())
            if not set(entry.get("withheld") or ()) <= numbers:
                # An item withheld because another file marked it is no longer marked: the
                # stored document lacks it, so read the file again.
                ((_, entry, fresh),) = parse_files([(str(self.root / label), label, None)])
                entry["shard"] = shard_key(fresh["date"]) if fresh else None
                new[label] = entry
                report.read.append(label)
                if fresh is None or entry["shard"] != key:
                    continue
                doc = fresh
            if numbers:
                parsed = Document.from_dict(doc)
                red = redact_document(parsed, numbers)
                if red is not parsed:
                    removed = {it.number for it in parsed.items} - {it.number for it in red.items}
                    removed |= {
                        row.item
                        for name in ("kpis", "summaries", "series", "outputs", "figures")
                        for row in getattr(parsed, name)
                        if row.item in numbers
                    }
                    new[label] = dict(
                        entry, withheld=sorted(set(entry.get("withheld") or ()) | removed)
                    )
                    doc = red.to_dict()
            out[label] = doc
        return out

    def _drop_unused_shards(self, keep: set[str], superseded: Iterable[str]) -> None:
        """Delete shards no index names any more (readers of the old index retry)."""
        for name in superseded:
            for gone in (name, text_name(name)):
                try:
                    (self.shard_dir / gone).unlink()
                except OSError:
                    pass
        try:
            names = [p for p in self.shard_dir.iterdir() if p.suffix in (".json", ".txt")]
        except OSError:
            return
        keep = keep | {text_name(name) for name in keep}
        cutoff = time.time() - STALE_TEMP_SECONDS
        for p in names:
            try:
                if p.name not in keep and p.lstat().st_mtime < cutoff:
                    p.unlink()  # left by a writer killed before it wrote the index
            except OSError:
                pass
        for p in self.shard_dir.glob(".*.tmp"):
            try:
                if p.lstat().st_mtime < cutoff:
                    p.unlink()
            except OSError:
                pass

    def clear(self) -> bool:
        existed = self.shard_dir.exists()
        shutil.rmtree(self.shard_dir, ignore_errors=True)
        try:
            self.path.unlink()
            return True
        except FileNotFoundError:
            return existed


def _file_entries(data: dict) -> dict[str, dict]:
    return {e["path"]: e for e in data["files"].values() if isinstance(e, dict) and "path" in e}


def _marks_changed(old: dict[str, dict], new: dict[str, dict]) -> set[str | None]:
    """Shards of meetings whose confidential items (from any of their files) changed."""

    def marks(entries: dict[str, dict]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for e in entries.values():
            if e.get("meeting"):
                out[e["meeting"]].update(e.get("marks") or ())
        return out

    before, after = marks(old), marks(new)
    changed = {m for m in before.keys() | after.keys() if before.get(m) != after.get(m)}
    return {e.get("shard") for e in new.values() if e.get("meeting") in changed}


# -- parsing files (in this process, or one per core) ---------------------------------


class Workers:
    """Processes to share work out to (one per core), started the first time there is enough
    work; when processes cannot be had here, the work is done in this process."""

    def __init__(self) -> None:
        self.count = min(os.cpu_count() or 1, 8)
        self._pool: ProcessPoolExecutor | None = None
        self._broken = self.count < 2

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def map(self, fn: Callable, items: list, parallel: bool) -> Iterator:
        """``fn(item)`` for each item, in order: in the processes when ``parallel``."""
        done = 0
        if parallel and not self._broken:
            try:
                if self._pool is None:
                    import multiprocessing

                    # forkserver: the browser refreshes in a thread, and fork() with threads
                    # is unsafe
                    methods = multiprocessing.get_all_start_methods()
                    context = multiprocessing.get_context(
                        "forkserver" if "forkserver" in methods else None
                    )
                    self._pool = ProcessPoolExecutor(
                        self.count, mp_context=context, initializer=gc.disable
                    )
                for result in self._pool.map(fn, items):
                    done += 1
                    yield result
                return
            except (OSError, RuntimeError, ImportError, EOFError):
                # No processes here (a sandbox, an interpreter this user may not read): do
                # the rest in this one. (BrokenProcessPool is a RuntimeError.)
                self._broken = True
        for item in items[done:]:
            yield fn(item)


def parse_files(
    todo: list[tuple[str, str, dict | None]], workers: Workers | None = None
) -> Iterator[tuple[str, dict, dict | None]]:
    """(label, entry, document dict) for each (path, label, old entry) to read and parse."""
    workers = workers or Workers()
    chunks = [todo[i : i + PARALLEL_CHUNK] for i in range(0, len(todo), PARALLEL_CHUNK)]
    for part in workers.map(_parse_chunk, chunks, len(todo) >= PARALLEL_FILES):
        yield from part


def write_shard(job: tuple[str, str, dict[str, dict]]) -> tuple[str, list[dict]]:
    """Write a shard of ``docs`` (label → document) in ``shard_dir``: its name and the rows
    of its meetings for the meeting list. Runs in a worker process on a cold index."""
    shard_dir, key, docs = job
    from .search import month_text, vocabulary

    with no_gc():
        name = f"{key}-{secrets.token_hex(4)}.json"
        meetings = merge_all(Document.from_dict(d) for d in docs.values())
        meetings.sort(key=lambda m: (m.date, m.time or "", m.board), reverse=True)  # as build()
        # The month's text folded for search, and its words: a query reads them, not the
        # documents.
        text = month_text(meetings)
        atomic_write(Path(shard_dir) / text_name(name), text.encode("utf-8", "surrogatepass"))
        write_tables(
            Path(shard_dir) / name,
            {
                "documents": [{"path": p, "document": d} for p, d in sorted(docs.items())],
                "words": [{"words": vocabulary(text)}],
            },
        )
        return name, [dict(meeting_row(m).to_dict(), shard=key) for m in meetings]


def text_name(shard: str) -> str:
    """The file of a shard's folded search text: ``2018-05-1a2b3c4d.json`` → ``….txt``."""
    return shard.removesuffix(".json") + ".txt"


def _parse_chunk(chunk: list[tuple[str, str, dict | None]]) -> list[tuple[str, dict, dict | None]]:
    return [_parse_one(path, label) for path, label, _ in chunk]


def _parse_one(path_text: str, label: str) -> tuple[str, dict, dict | None]:
    """Read and parse one file: its entry (without the document) and its document."""
    from . import records

    path = Path(path_text)
    now = time.time_ns()
    raw_hash: str | None = None
    try:
        st = path.stat()
    except OSError as exc:
        problem = Problem(label, None, f"cannot read file: {exc.strerror or exc}")
        entry = {"path": label, "size": None, "mtime_ns": None, "sha256": None}
        entry.update(indexed_ns=now, problems=[problem.to_dict()], marks=[], meeting=None)
        return label, entry, None
    if st.st_size > records.MAX_FILE_BYTES or not stat.S_ISREG(st.st_mode):
        parsed = records.read_file(path, label)  # reports it without reading it
    else:
        try:
            raw = path.read_bytes()
        except OSError:
            parsed = records.read_file(path, label)  # turns the error into a problem
        else:
            raw_hash = hashlib.sha256(raw).hexdigest()
            parsed = records.parse_bytes(raw, label)
    doc = parsed.document
    entry = {
        "path": label,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "sha256": raw_hash,
        "indexed_ns": now,
        "problems": [p.to_dict() for p in parsed.problems],
        "marks": [it.number for it in doc.items if it.confidential] if doc else [],
        "meeting": doc.meeting_id if doc else None,
    }
    if _is_restricted(entry):
        entry["sha256"] = None
    return label, entry, doc.to_dict() if doc is not None else None


def _restricted_entry(label: str, st: os.stat_result, report: IndexReport) -> dict:
    from . import records

    entry = {
        "path": label,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "sha256": None,
        "indexed_ns": time.time_ns(),
        "problems": [records.restricted_problem(label).to_dict()],
        "marks": [],
        "meeting": None,
        "shard": None,
    }
    _sort_problems(entry, report)
    return entry


def _report_problem(prob: Problem, report: IndexReport) -> None:
    if prob.severity == "error":
        report.skipped.append(prob)
    elif prob.severity == RESTRICTED:
        report.restricted.append(prob)
    else:
        report.warnings.append(prob)


def _sort_problems(entry: dict, report: IndexReport) -> None:
    for p in entry.get("problems") or []:
        _report_problem(Problem.from_dict(p), report)


def _is_restricted(entry: dict) -> bool:
    return any(p.get("severity") == RESTRICTED for p in entry.get("problems") or [])


def library_from_entries(entries: list[dict], public: bool = False) -> Library:
    documents: list[Document] = []
    problems: list[Problem] = []
    skipped = 0
    for e in sorted(entries, key=lambda e: e.get("path", "")):
        probs = [Problem.from_dict(p) for p in e.get("problems") or []]
        problems.extend(probs)
        if e.get("document") is None:
            skipped += not _is_restricted(e)
            continue
        documents.append(Document.from_dict(e["document"]))
    return build(documents, problems, skipped, public=public)


def open_library(
    root: Path,
    cache_path: Path | None = None,
    use_cache: bool = True,
    public: bool = False,
    progress: Progress | None = None,
) -> tuple[Library, IndexReport]:
    """The up-to-date library for ``root``: through the cache, or straight from the files."""
    from . import records

    if use_cache:
        return Cache(root, cache_path, public=public).refresh(progress)
    started = time.perf_counter()
    report = IndexReport()
    parsed, scan_problems = records.read_folder(root)
    docs = [p.document for p in parsed if p.document is not None]
    problems = list(scan_problems)
    for prob in scan_problems:
        _report_problem(prob, report)
    skipped = 0
    for p in parsed:
        problems.extend(p.problems)
        for prob in p.problems:
            _report_problem(prob, report)
        # A file the user may not read is restricted, not skipped as an error.
        skipped += p.document is None and any(x.severity == "error" for x in p.problems)
        report.read.append(p.path)
    report.seconds = time.perf_counter() - started
    lib = build(docs, problems, skipped=skipped, public=public)
    report.meetings = len(lib.meetings)
    return lib, report
