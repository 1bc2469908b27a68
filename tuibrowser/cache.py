"""The per-user TinyDB cache of parsed meeting files: atomic, locked, incremental, disposable.

One cache file per meetings folder (keyed by the folder's real path) in the user's cache
directory (folder 0700, file 0600). Each file's size, mtime and content hash are kept with its
parsed document, so a refresh re-reads only new or changed files and drops deleted ones.
Every write goes to a temporary file that replaces the cache in one ``os.replace``, under a
file lock, so concurrent refreshes never corrupt it. A cache that cannot be read, or has
another format version, is set aside and rebuilt from the files.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout
from platformdirs import user_cache_dir
from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage

from . import records
from .library import Library, build, redact_document
from .model import Document, Problem, meeting_id

CACHE_VERSION = 1
APP_NAME = "tuibrowser"
LOCK_TIMEOUT = 120.0
RACY_NS = 2_000_000_000
STALE_TEMP_SECONDS = 60

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
    try:
        if path.stat().st_uid == os.getuid():
            os.chmod(path, 0o700)
    except OSError:
        pass


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

    # -- reading the cache file ------------------------------------------------

    def _load_raw(self) -> tuple[dict | None, str | None]:
        """The cache's tables, or None and why it cannot be used."""
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
        if not isinstance(data.get("files"), dict):
            return None, "cache is corrupt"
        return data, None

    def _set_aside(self, reason: str) -> None:
        if self.path.exists():
            aside = self.path.with_name(f"{self.path.name}.bad-{int(time.time())}")
            try:
                os.replace(self.path, aside)
            except OSError:
                pass

    def entries(self) -> dict[str, dict]:
        """The cached entries by file label, without refreshing (empty if there is no usable cache)."""
        data, _ = self._load_raw()
        if data is None:
            return {}
        return {e["path"]: e for e in data["files"].values() if isinstance(e, dict) and "path" in e}

    def load(self) -> Library | None:
        """The library as cached, without looking at the files; None if there is no usable cache."""
        data, _ = self._load_raw()
        if data is None:
            return None
        try:
            return library_from_entries(list(data["files"].values()), public=self.public)
        except BAD_ENTRY:
            return None

    # -- refreshing ------------------------------------------------------------

    def refresh(self, progress: Progress | None = None) -> tuple[Library, IndexReport]:
        """Bring the cache up to date with the files and return the library."""
        try:
            return self._refresh(progress)
        except BAD_ENTRY:
            # Entries of a shape this version cannot read (written by another version, or
            # edited by hand): set the cache aside and build it again from the files.
            self._set_aside("entries of an unexpected shape")
            lib, report = self._refresh(progress)
            report.rebuilt = "cache had entries of an unexpected shape"
            return lib, report

    def _refresh(self, progress: Progress | None) -> tuple[Library, IndexReport]:
        started = time.perf_counter()
        report = IndexReport()
        try:
            ensure_private_dir(self.path.parent)
            with FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT, mode=0o600):
                entries = self._refresh_locked(report, progress)
        except Timeout:
            # Someone else holds the lock for too long: serve the files without the cache.
            report = IndexReport(rebuilt="cache is locked by another process; read the files")
            entries = list(self._scan_all(report, {}, progress).values())
        except OSError as exc:
            # A cache folder this user may not write (someone else's, read-only, full disk):
            # serve the files without the cache rather than fail.
            report = IndexReport(rebuilt=f"cannot use the cache ({exc.strerror or exc})")
            entries = list(self._scan_all(report, {}, progress).values())
        report.seconds = time.perf_counter() - started
        lib = library_from_entries(entries, public=self.public)
        return lib, report

    def _refresh_locked(self, report: IndexReport, progress: Progress | None) -> list[dict]:
        data, why = self._load_raw()
        if why:
            report.rebuilt = why
            self._set_aside(why)
        old: dict[str, dict] = {}
        if data is not None:
            old = {
                e["path"]: e for e in data["files"].values() if isinstance(e, dict) and "path" in e
            }
        new = self._scan_all(report, old, progress)
        if self.public:
            new = self._withhold_confidential(new, report)
        report.removed = sorted(set(old) - set(new))
        changed = bool(report.read or report.removed or why or data is None)
        changed = changed or any(new[k] is not old[k] for k in new if k in old)
        if changed:
            self._write(list(new.values()))
            report.written = True
        return list(new.values())

    def _scan_all(
        self, report: IndexReport, old: dict[str, dict], progress: Progress | None
    ) -> dict[str, dict]:
        files, scan_problems = records.scan(self.root)
        for p in scan_problems:
            _report_problem(p, report)
        new: dict[str, dict] = {}
        total = len(files)
        for n, (path, label) in enumerate(files, start=1):
            entry = self._entry(path, label, old.get(label), report)
            if entry is not None:
                new[label] = entry
            if progress is not None:
                progress(n, total)
        return new

    def _withhold_confidential(self, new: dict[str, dict], report: IndexReport) -> dict[str, dict]:
        """Public cache: no entry keeps a confidential item, whichever file marks it."""
        marked: dict[str, set[str]] = {}
        for e in new.values():
            if e.get("document") is not None and e.get("marks"):
                d = e["document"]
                marked.setdefault(meeting_id(d["board"], d["date"]), set()).update(e["marks"])
        out: dict[str, dict] = {}
        for label, e in new.items():
            d = e.get("document")
            if d is None:
                out[label] = e
                continue
            numbers = marked.get(meeting_id(d["board"], d["date"]), set())
            if not set(e.get("withheld") or ()) <= numbers:
                # An item withheld because another file marked it is no longer marked: the
                # entry lacks it, so read the file again.
                fresh = self._entry(self.root / label, label, None, report)
                if fresh is None or fresh.get("document") is None:
                    if fresh is not None:
                        out[label] = fresh
                    continue
                e = fresh
            if numbers:
                doc = Document.from_dict(e["document"])
                red = redact_document(doc, numbers)
                if red is not doc:
                    removed = {it.number for it in doc.items} - {it.number for it in red.items}
                    removed |= {
                        row.item
                        for name in ("kpis", "summaries", "series", "outputs", "figures")
                        for row in getattr(doc, name)
                        if row.item in numbers
                    }
                    e = dict(
                        e,
                        document=red.to_dict(),
                        withheld=sorted(set(e.get("withheld") or ()) | removed),
                    )
            out[label] = e
        return out

    def _entry(self, path: Path, label: str, old: dict | None, report: IndexReport) -> dict | None:
        try:
            st = path.stat()
        except OSError as exc:
            report.skipped.append(Problem(label, None, f"cannot read file: {exc.strerror or exc}"))
            return None
        if not os.access(path, os.R_OK):
            # Permission denied (or revoked since the last refresh): keep nothing of the file.
            return self._restricted_entry(label, st, report)
        if (
            old is not None
            and not _is_restricted(old)
            and old.get("size") == st.st_size
            and old.get("mtime_ns") == st.st_mtime_ns
            # A file changed within the same clock tick as it was indexed can look unchanged:
            # trust size and mtime only when the file was older than its indexing by 2 s.
            and st.st_mtime_ns < old.get("indexed_ns", 0) - RACY_NS
        ):
            report.unchanged += 1
            _sort_problems(old, report)
            return old
        now = time.time_ns()
        raw_hash: str | None = None
        if st.st_size > records.MAX_FILE_BYTES or not stat.S_ISREG(st.st_mode):
            parsed = records.read_file(path, label)  # reports it without reading it
        else:
            try:
                raw = path.read_bytes()
            except OSError:
                parsed = records.read_file(path, label)  # turns the error into a problem
            else:
                raw_hash = hashlib.sha256(raw).hexdigest()
                if old is not None and old.get("sha256") == raw_hash:
                    report.unchanged += 1
                    report.verified.append(label)
                    entry = dict(old, size=st.st_size, mtime_ns=st.st_mtime_ns, indexed_ns=now)
                    _sort_problems(entry, report)
                    return entry
                parsed = records.parse_bytes(raw, label)
        report.read.append(label)
        doc = parsed.document
        entry = {
            "path": label,
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "sha256": raw_hash,
            "indexed_ns": now,
            "problems": [p.to_dict() for p in parsed.problems],
            "document": doc.to_dict() if doc is not None else None,
            "marks": [it.number for it in doc.items if it.confidential] if doc else [],
        }
        if _is_restricted(entry):
            entry["sha256"] = None
        _sort_problems(entry, report)
        return entry

    def _restricted_entry(self, label: str, st: os.stat_result, report: IndexReport) -> dict:
        entry = {
            "path": label,
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "sha256": None,
            "indexed_ns": time.time_ns(),
            "problems": [records.restricted_problem(label).to_dict()],
            "document": None,
        }
        _sort_problems(entry, report)
        return entry

    def _write(self, entries: list[dict]) -> None:
        sweep_temp_files(self.path)
        db = TinyDB(
            str(self.path),
            storage=CachingMiddleware(AtomicJSONStorage),
            initial={},
        )
        try:
            db.table("meta").insert(
                {"version": CACHE_VERSION, "root": str(self.root.resolve()), "public": self.public}
            )
            db.table("files").insert_multiple(entries)
        finally:
            db.close()

    def clear(self) -> bool:
        try:
            self.path.unlink()
            return True
        except FileNotFoundError:
            return False


def _report_problem(prob: Problem, report: IndexReport) -> None:
    if prob.severity == "error":
        report.skipped.append(prob)
    elif prob.severity == records.RESTRICTED:
        report.restricted.append(prob)
    else:
        report.warnings.append(prob)


def _sort_problems(entry: dict, report: IndexReport) -> None:
    for p in entry.get("problems") or []:
        _report_problem(Problem.from_dict(p), report)


def _is_restricted(entry: dict) -> bool:
    return any(p.get("severity") == records.RESTRICTED for p in entry.get("problems") or [])


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
    return build(docs, problems, skipped=skipped, public=public), report
