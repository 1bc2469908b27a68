"""The per-user TinyDB cache of parsed meeting files: atomic, locked, incremental, disposable.

One cache per meetings folder (keyed by the folder's real path) in the user's cache directory
(folders 0700, files 0600). Its parts are TinyDB databases (and plain files beside them):

- the **index** (``meetings-<hash>.json``): the format version, the names of the other parts,
  the number of meetings in each shard, and the first page of the meeting list — all the
  browser reads before its first frame;
- the **catalog** (``meetings-<hash>.json.d/catalog-<token>.json``): each file's size, mtime,
  content hash and problems;
- the **shards** (``…d/YYYY-MM-H-<token>.json``): the parsed documents, one shard per half
  month of meeting dates (``H`` is 1 for days 1–15, 2 after; see :func:`base.shard_key`), every
  document of a meeting in one shard, with beside them the shard's rows of the meeting list
  (``.rows``), its words (``.words``) and its search segment: its text folded (``.txt``), as
  shown (``.show``), and where each record starts (``.idx``). (The code calls a shard's half
  month its "month".)

A refresh re-reads only new or changed files and rewrites only their shards. A cold index
shares the shards out to one process per core, each parsing its shard's files and writing
it, so documents never cross between processes. Every file is written to a temporary
file and moved into place with ``os.replace``, under a file lock; a rewritten part gets a new
name and the index, written last, names the parts it goes with, so a reader sees one whole
generation. A cache that cannot be read, or has another format version, is set aside and
rebuilt from the files.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import stat
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from platformdirs import user_cache_dir

from . import safefs
from .base import NAME_DATE, RESTRICTED, no_gc, shard_key
from .cacheown import OWN_NAME, TEMP_TAIL, check_shard_dir, close_if_ours, is_index, remove_own
from .listing import MeetingRow, meeting_row, newest_first
from .safeopen import UnsafeFile, read_regular

if TYPE_CHECKING:
    # The first frame reads the index alone: the model and the library are imported where
    # documents are read or written, after it.
    from .library import Library
    from .model import Document, Problem
    from .workers import Workers

# tuibrowser.records (the YAML and frontmatter parsers), TinyDB and multiprocessing
# are imported by the functions that need them: the browser's first frame, painted from the
# index, does not wait for them.

CACHE_VERSION = 10  # 10: the frontmatter key documents (linked documents) is read
APP_NAME = "tuibrowser"
LOCK_TIMEOUT = 120.0
RACY_NS = 2_000_000_000
STALE_TEMP_SECONDS = 60
FIRST_PAGE = 200  # rows of the meeting list kept in the index, for the first frame
MAX_FILE_BYTES = 20 * 1024 * 1024  # as records.MAX_FILE_BYTES (a test keeps them equal)
# Work is shared out to one process per core when at least this many files are to be read.
PARALLEL_FILES = 200
PARALLEL_CHUNK = 32

Progress = Callable[[int, int], None]
# What reading a cached entry of the wrong shape raises.
BAD_ENTRY = (TypeError, KeyError, ValueError, AttributeError)
# The month a file name says (the documented convention, 2018-05-24-…): where to parse it.
_NAME_DATE = NAME_DATE


def atomic_write(path: Path, payload: bytes, sync: bool = True) -> None:
    """Write ``payload`` to ``path`` so that readers see the old file or the new one, never half.

    ``sync=False`` leaves out the fsync: for a shard's parts, which a new index names only
    once written and which, cut short by a crash of the machine, fail their checks and are
    built again (the index itself is always synced).
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if hasattr(os, "fchmod"):  # on the descriptor: a name can be swapped, it cannot
                os.fchmod(fh.fileno(), 0o600)
            fh.write(payload)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        # Replace nothing but a file of this user's: never a link, a device, another's file.
        safefs.check_file(path)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class LockTimeout(TimeoutError):
    """The cache's lock was held by another process for longer than the timeout."""


class CacheLock:
    """The cache's writer lock: one process at a time brings a cache up to date.

    On POSIX it is ``flock`` on the lock file, taken without blocking and retried until the
    timeout (what filelock's Unix lock does, without the 40 ms its import costs every command);
    elsewhere it is filelock's.
    """

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        self._other = None

    def __enter__(self) -> CacheLock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            from filelock import FileLock, Timeout

            self._other = FileLock(str(self.path), timeout=self.timeout, mode=0o600)
            try:
                self._other.acquire()
            except Timeout as exc:
                raise LockTimeout(str(self.path)) from exc
            return self
        # Never through a link, never a device or another user's file.
        safefs.check_file(self.path)
        flags = os.O_RDWR | os.O_CREAT | safefs.NOFOLLOW | safefs.CLOEXEC | safefs.NONBLOCK
        try:
            fd = os.open(self.path, flags, 0o600)
        except OSError:
            safefs.check_file(self.path)  # a link planted meanwhile: say so
            raise
        why = safefs.file_problem(os.fstat(fd))
        if why:
            os.close(fd)
            raise safefs.Refused(self.path, why)
        deadline = time.monotonic() + self.timeout
        delay = 0.005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except (BlockingIOError, InterruptedError):
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockTimeout(str(self.path)) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
            except BaseException:
                os.close(fd)
                raise
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._other is not None:  # pragma: no cover - not POSIX
            self._other.release()
            self._other = None
        if self._fd is not None:
            import fcntl

            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def write_tables(path: Path, tables: dict[str, list[Any]], sync: bool = True) -> None:
    """Write a TinyDB database of ``tables`` in one atomic write.

    The database is handed to the storage whole, in TinyDB's own layout (table → document id
    → document), as ``insert_multiple`` would build it: going through TinyDB's tables would
    copy every document once more, and a catalog holds tens of thousands.
    """
    data = {name: {str(n): row for n, row in enumerate(rows, 1)} for name, rows in tables.items()}
    storage = _atomic_storage()(path, sync=sync)
    storage.write(data)
    storage.close()


def _atomic_storage():
    """TinyDB storage: orjson, written to a temp file and moved into place atomically."""
    from tinydb.storages import Storage

    class AtomicJSONStorage(Storage):
        def __init__(
            self,
            path: str | os.PathLike[str],
            initial: dict | None = None,
            sync: bool = True,
            **_: Any,
        ):
            self.path = Path(path)
            self._initial = initial
            self._sync = sync

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
            # orjson writes the records (dataclasses) as dicts itself, at C speed
            atomic_write(self.path, orjson.dumps(data), self._sync)

        def close(self) -> None:
            pass

    return AtomicJSONStorage


def sweep_temp_files(path: Path, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Delete temporary files a killed writer of ``path`` left behind; return how many.

    Only names atomic_write makes, and only regular files of this user's: the folder may be
    shared (``/tmp``), and what someone else put there is not ours to delete.
    """
    removed = 0
    cutoff = time.time() - older_than
    pattern = re.compile(re.escape(f".{path.name}.") + TEMP_TAIL)  # atomic_write's names
    try:
        candidates = [p for p in path.parent.iterdir() if pattern.fullmatch(p.name)]
    except OSError:
        return 0
    for tmp in candidates:
        try:
            st = tmp.lstat()
            if st.st_mtime < cutoff and not safefs.file_problem(st):
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


def ensure_private_dir(path: Path, *ours: str) -> None:
    """Make the folder ``path`` (mode 0700, and the folders above it) if it is missing.

    A folder that exists is closed to 0700 as well when it is all tuibrowser's: when no
    ``ours`` are given (a shards' folder: see :func:`cacheown.check_shard_dir`), or when it is
    this user's, not sticky, and holds only this user's files and folders (no link) under
    names tuibrowser gives (:func:`cacheown.close_if_ours`). A folder the user named that
    holds other things (``--cache /tmp/c.json``, a shared project folder) keeps its mode:
    closing it would lock its other users out, and the cache's files in it are 0600 and its
    shards' folder 0700 all the same. Raises :class:`safefs.Refused` for a shards' folder that
    is not this user's own.
    """
    if path in safefs.make_folders(path):
        return
    if not ours:
        check_shard_dir(path)
    else:
        close_if_ours(path, ours)


def _make_private(path: Path, mode: int) -> None:
    try:
        safefs.chmod_own(path, mode)
    except OSError:
        pass


def name_month(label: str) -> str | None:
    """The shard a file's name gives (``…/2018-05-24-board-minutes.md`` → ``2018-05-2``)."""
    m = _NAME_DATE.search(label.rsplit("/", 1)[-1])
    return shard_key(m.group()) if m else None


SEARCH_PARTS = (".txt", ".show", ".idx")  # a shard's search segment: folded, shown, offsets


def _part(shard: str, suffix: str) -> str:
    """A file beside a shard: ``2018-05-2-1a2b3c4d.json`` and ``.rows`` → ``….rows``."""
    return shard.removesuffix(".json") + suffix


def text_name(shard: str) -> str:
    """The file of a shard's folded search text."""
    return _part(shard, ".txt")


def rows_name(shard: str) -> str:
    return _part(shard, ".rows")


def words_name(shard: str) -> str:
    return _part(shard, ".words")


def part_names(shard: str) -> list[str]:
    """Every file of a shard: its documents, its rows of the meeting list, its search segment."""
    return [shard, rows_name(shard), words_name(shard), *(_part(shard, s) for s in SEARCH_PARTS)]


REFUSED = "cannot use the cache"


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
    rebuilt: str | None = None  # why the cache was set aside and built again
    unused: str | None = None  # why the cache could not be used: the files were read directly
    written: bool = False
    meetings: int = 0
    shards_written: int = 0
    one_process: str | None = None  # why a cold index ran in one process, not one per core

    @property
    def files(self) -> int:
        return len(self.read) + self.unchanged

    @property
    def note(self) -> str | None:
        """What to tell of the cache: why it was not used, or why it was built again."""
        if self.unused:
            return f"{self.unused}; reading the files directly"
        if self.rebuilt:
            return f"{self.rebuilt}; rebuilt it from the files"
        return None


@dataclass
class ListHead:
    """What the index says of the meeting list: its first page and how many meetings."""

    rows: list[MeetingRow]
    total: int


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
            safefs.check_chain(self.path.parent)
            raw = safefs.read_own(self.path)
            safefs.check_own_folder(self.shard_dir)
        except FileNotFoundError:
            return None, None
        except safefs.Refused as exc:
            return None, f"{REFUSED}: {exc}"
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
        if not isinstance(meta.get("shards"), dict) or not isinstance(meta.get("catalog"), str):
            return None, "cache is corrupt"
        if not isinstance(data.get("first", {}), dict):
            return None, "cache is corrupt"
        return data, None

    def _load_catalog(self, index: dict) -> tuple[dict | None, str | None]:
        """The catalog the index names: every file's entry (None and why if unusable)."""
        try:
            raw = safefs.read_own(self.shard_dir / index["meta"]["1"]["catalog"])
            data = orjson.loads(raw)
        except FileNotFoundError:
            return None, None  # replaced by a writer since the index was read
        except (OSError, orjson.JSONDecodeError):
            return None, "cache is corrupt or truncated"
        if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
            return None, "cache is corrupt"
        return data, None

    def _read(self) -> tuple[dict | None, dict | None, str | None]:
        """The index and its catalog, read as one generation (a writer may replace them)."""
        why = None
        for _ in range(3):
            index, why = self._load_raw()
            if index is None:
                return None, None, why
            catalog, why = self._load_catalog(index)
            if catalog is not None:
                return index, catalog, None
            if why:
                return None, None, why
        return None, None, why

    def paths(self) -> list[Path]:
        """Every file the cache is made of: the index, its catalog, its shards and texts."""
        data, _ = self._load_raw()
        if data is None:
            return [self.path]
        meta = data["meta"]["1"]
        shards = sorted(meta["shards"].values())
        return [
            self.path,
            self.shard_dir / meta["catalog"],
            *(self.shard_dir / name for name in shards),
            *(self.shard_dir / part for name in shards for part in part_names(name)[1:]),
        ]

    def entries(self) -> dict[str, dict]:
        """The cached entries by file label, without refreshing (empty if there is no usable cache)."""
        _, catalog, _ = self._read()
        return _file_entries(catalog) if catalog is not None else {}

    def head(self) -> ListHead | None:
        """The first page of the meeting list and the number of meetings, from the index alone
        (no catalog, no document): what the first frame shows. None without a usable cache."""
        data, _ = self._load_raw()
        if data is None:
            return None
        try:
            rows = [MeetingRow.from_dict(r) for r in data.get("first", {}).values()]
            return ListHead(newest_first(rows), int(data["meta"]["1"].get("meetings", 0)))
        except BAD_ENTRY:
            return None

    def rows(self) -> list[MeetingRow] | None:
        """The meeting list as cached, newest first, without reading a document; None if there
        is no usable cache."""
        for _ in range(3):  # a writer may replace a month between reading the index and it
            index, _ = self._load_raw()
            if index is None:
                return None
            try:
                with no_gc():
                    rows = [
                        MeetingRow.from_dict(r)
                        for name in index["meta"]["1"]["shards"].values()
                        for r in self._month_rows(name)
                    ]
                return newest_first(rows)
            except FileNotFoundError:
                continue
            except (OSError, orjson.JSONDecodeError, *BAD_ENTRY):
                return None
        return None

    def _month_rows(self, shard: str) -> list[dict]:
        rows = orjson.loads(safefs.read_own(self.shard_dir / rows_name(shard)))
        if not isinstance(rows, list):
            raise ValueError("rows of a month are not a list")
        return rows

    def _read_shard(self, name: str) -> dict[str, dict]:
        """A shard's documents by file label (raises OSError or ValueError when it is bad)."""
        return read_shard(self.shard_dir / name)

    def load(self, texts: bool = True) -> Library | None:
        """The library as cached, without looking at the files; None if there is no usable cache.

        Without ``texts`` the meetings come without their minutes, reports and sections (a
        third of an archive's memory), read from the cache when :meth:`Library.full` asks.
        """
        return self._load(texts)[0]

    def _load(self, texts: bool = True) -> tuple[Library | None, str | None]:
        for _ in range(3):  # a writer may replace a shard between reading the index and it
            index, catalog, why = self._read()
            if index is None or catalog is None:
                return None, why
            try:
                with no_gc():
                    return self._library(index, catalog, texts), None
            except FileNotFoundError:
                continue
            except (OSError, orjson.JSONDecodeError, *BAD_ENTRY):
                return None, "cache had entries of an unexpected shape"
        return None, None

    def _library(self, index: dict, catalog: dict, texts: bool = True) -> Library:
        from .library import Words, build
        from .model import Document, Problem

        # One shard at a time: its JSON is turned into records and dropped before the next
        # is read, so the whole cache is never in memory twice.
        documents: dict[str, Document] = {}
        months: list[str] = []
        lists: list[Path] = []
        segments: dict[str, Path] = {}
        for key, name in index["meta"]["1"]["shards"].items():
            shard = orjson.loads(safefs.read_own(self.shard_dir / name))
            for e in shard["documents"].values():
                doc = e["document"]
                if not texts:
                    _without_texts(doc)
                _intern(doc)
                documents[e["path"]] = Document.from_dict(doc)
            months.append(key)
            lists.append(self.shard_dir / words_name(name))
            segments[key] = self.shard_dir / text_name(name)
            del shard
        # the folders a public refresh could not read (their files may mark items)
        problems = [Problem.from_dict(p) for p in index["meta"]["1"].get("unread") or []]
        skipped = 0
        kept: list[Document] = []
        for e in sorted(_file_entries(catalog).values(), key=lambda e: e["path"]):
            problems.extend(Problem.from_dict(p) for p in e.get("problems") or [])
            doc = documents.get(e["path"])
            if doc is None:
                skipped += not _is_restricted(e)
            else:
                kept.append(doc)
        documents.clear()
        lib = build(kept, problems, skipped, public=self.public, owned=True)
        lib.words = Words(months, lists)
        lib.texts = segments
        if not texts:
            lib.lean = {m.id for m in lib.meetings}
            lib.texts_of = self._texts_of
        return lib

    def _texts_of(self, meeting: str) -> list:
        """The documents of one meeting, texts and all (for :meth:`Library.full`)."""
        from .library import group_documents
        from .model import Document

        # Never raises: a cache it cannot read gives nothing, and the meeting is "gone".
        for _ in range(3):  # the shard may have been written anew since the library was read
            index, _ = self._load_raw()
            if index is None:
                return []
            try:
                name = index["meta"]["1"]["shards"].get(shard_key(meeting))
                if name is None:
                    return []
                docs = read_shard(self.shard_dir / name)
                found = [Document.from_dict(doc) for doc in docs.values()]
                return group_documents(found).get(meeting, [])
            except FileNotFoundError:
                continue
            except (OSError, ValueError, *BAD_ENTRY):
                return []
        return []

    # -- refreshing ----------------------------------------------------------------

    def refresh(self, progress: Progress | None = None) -> tuple[Library, IndexReport]:
        """Bring the cache up to date with the files and return the library."""
        try:
            report = self.update(progress)
        except CacheUnavailable as exc:
            lib, report = open_library(self.root, use_cache=False, public=self.public)
            report.unused = str(exc)
            return lib, report
        lib, why = self._load()
        if lib is None and why:
            # A shard this version cannot read (damaged, or edited by hand): build it again.
            try:
                with self._lock():
                    self._set_aside()
                report = self.update(progress)
                report.rebuilt = why
                lib, _ = self._load()
            except (OSError, CacheUnavailable):
                lib = None
        if lib is None:  # set aside by another process meanwhile: go to the files
            lib, _ = open_library(self.root, use_cache=False, public=self.public)
        return lib, report

    def _lock(self):
        return CacheLock(self.lock_path, LOCK_TIMEOUT)

    def update(self, progress: Progress | None = None) -> IndexReport:
        """Bring the cache up to date with the files, without building the library.

        Raises :class:`CacheUnavailable` when the cache cannot be used now.
        """
        started = time.perf_counter()
        try:
            # The cache's own paths first: what is not tuibrowser's is refused before its
            # folder is closed (a user's todo.txt and todo.txt.d/ make no cache folder).
            self._claim(chain=False)
            ensure_private_dir(self.path.parent, self.path.name)
            safefs.check_chain(self.path.parent)
            with self._lock():
                # again under the lock (the shards' folder, found this user's and closed to
                # others, is not listed again: no one else can have added to it)
                self._claim(listing=False)
                try:
                    report = self._update_or_rebuild(progress)
                except OSError:
                    self._drop_orphans()  # a full disk: nothing this refresh wrote is kept
                    raise
        except LockTimeout as exc:
            raise CacheUnavailable("cache is locked by another process") from exc
        except safefs.Refused as exc:
            raise CacheUnavailable(f"{REFUSED}: {exc}") from exc
        except OSError as exc:
            # A cache folder this user may not write (someone else's, read-only, full disk).
            raise CacheUnavailable(f"cannot use the cache ({exc.strerror or exc})") from exc
        report.seconds = time.perf_counter() - started
        return report

    def _update_or_rebuild(self, progress: Progress | None) -> IndexReport:
        try:
            return self._update_locked(progress)
        except BAD_ENTRY:
            # Entries of a shape this version cannot read (written by another version, or
            # edited by hand): set the cache aside and build it again from the files.
            self._set_aside()
            report = self._update_locked(progress)
            report.rebuilt = "cache had entries of an unexpected shape"
            return report

    def _claim(self, chain: bool = True, listing: bool = True) -> None:
        """Raise :class:`safefs.Refused` unless every path of the cache is this user's own:
        its folders (:func:`safefs.check_chain`), the index (a regular file of this user's that
        no one else can write, and a tuibrowser cache: :func:`cacheown.is_index`), the lock, and the
        shards' folder (:func:`check_shard_dir`). Nothing is renamed, chmodded or deleted
        before this passes. (``chain=False`` leaves out the folders above; ``listing=False``
        checks the shards' folder itself, not what it holds.)"""
        if chain:
            safefs.check_chain(self.path.parent)
        if safefs.check_file(self.path) is not None and not is_index(self.path):
            raise safefs.Refused(self.path, "is not a tuibrowser cache")
        safefs.check_file(self.lock_path)
        if listing:
            check_shard_dir(self.shard_dir)
        else:
            safefs.check_own_folder(self.shard_dir)

    def _set_aside(self) -> None:
        """Rename a damaged index ``….bad-<time>`` and delete its shards: only when they are
        tuibrowser's (what is not is left alone, and the refresh refused)."""
        try:
            self._claim()
        except FileNotFoundError:
            pass
        if safefs.check_file(self.path) is not None:
            aside = self.path.with_name(f"{self.path.name}.bad-{int(time.time())}")
            try:
                os.replace(self.path, aside)
            except OSError:
                pass
        remove_own(self.shard_dir, set())
        try:
            os.rmdir(self.shard_dir)
        except OSError:
            pass

    def _drop_orphans(self) -> None:
        """After a refresh failed (a full disk), delete at once what it wrote: every part no
        index names (the lock is held, so no other writer is at work)."""
        index, _ = self._load_raw()
        keep: set[str] = set()
        if index is not None:
            meta = index["meta"]["1"]
            keep.add(meta["catalog"])
            keep.update(part for name in meta["shards"].values() for part in part_names(name))
        remove_own(self.shard_dir, keep)

    def _update_locked(self, progress: Progress | None) -> IndexReport:
        from . import records
        from .workers import Workers

        report = IndexReport()
        index, catalog, why = self._read()
        if why or (index is None and self.path.exists()):
            report.rebuilt = why or "cache is corrupt"
            self._set_aside()
            index = catalog = None
        old = _file_entries(catalog) if catalog is not None else {}
        shards: dict[str, str] = dict(index["meta"]["1"]["shards"]) if index is not None else {}
        counts: dict[str, int] = dict(index["meta"]["1"].get("counts") or {}) if index else {}

        with no_gc(), Workers() as workers:
            files, scan_problems = records.scan(self.root)
            new: dict[str, dict] = {}
            todo: dict[str, str] = {}  # label → path of the files to read
            for n, (path, label) in enumerate(files, start=1):
                entry = self._check(path, label, old.get(label), report)
                if entry is None:
                    todo[label] = path
                elif entry is not False:
                    new[label] = entry
                if progress is not None and entry is not None:
                    progress(n - len(todo), len(files))
            seen = {label for _, label in files}
            report.removed = sorted(set(old) - seen)
            done = len(files) - len(todo)
            if progress is not None and todo:
                progress(done, len(files))  # the files to read are known: say how many

            def tick(count: int) -> None:
                nonlocal done
                done += count
                if progress is not None:
                    progress(done, len(files))

            # Files whose name gives no month are read first, to know where they go.
            extra: dict[str, dict[str, tuple[dict, dict]]] = defaultdict(dict)
            unnamed = [(path, label) for label, path in todo.items() if not name_month(label)]
            for label, entry, doc in parse_files(unnamed, workers):
                entry["shard"] = shard_key(doc["date"]) if doc else None
                report.read.append(label)
                tick(1)
                if doc is None:
                    new[label] = _withhold_problems(entry, None) if self.public else entry
                else:
                    extra[entry["shard"]][label] = (entry, doc)
            # The months to write again: those of the files read, removed, or gone from disk.
            by_month: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for label, path in todo.items():
                if month := name_month(label):
                    by_month[month].append((path, label))
            dirty = set(by_month) | set(extra)
            for label in list(todo) + report.removed:
                if label in old and old[label].get("shard"):
                    dirty.add(old[label]["shard"])
            for label, entry in new.items():
                if label in old and entry.get("shard") != old[label].get("shard"):
                    dirty |= {entry.get("shard"), old[label].get("shard")}
            try:
                present = set(os.listdir(self.shard_dir))
            except OSError:
                present = set()
            dirty |= {k for k, name in shards.items() if not present.issuperset(part_names(name))}
            dirty |= {
                e["shard"] for e in new.values() if e.get("shard") and e["shard"] not in shards
            }
            unread: list[dict] = []
            if self.public:  # a file or folder now (or no longer) unread withholds items
                unread = [p.to_dict() for p in scan_problems if p.severity in FAILED]
                now, before = _unread(new, unread), _unread(old, _meta(index).get("unread"))
                dirty |= {name_month(x) for x in now ^ before}
                if None in dirty:  # a name without a date: it may be any meeting's
                    dirty |= set(shards)
            dirty.discard(None)

            if dirty:
                ensure_private_dir(self.shard_dir)
            written: dict[str, str | None] = {}
            interim: list[str] = []
            fresh_rows: dict[str, list[dict]] = {}

            def job(month: str, parse: list, more: dict, fresh: Iterable[str]) -> MonthJob:
                # what the month holds already, but for the files it is given anew
                keep = {
                    label: e
                    for label, e in new.items()
                    if e.get("shard") == month and label not in fresh
                }
                return MonthJob(
                    str(self.root),
                    str(self.shard_dir),
                    month,
                    written.get(month, shards.get(month)),
                    parse,
                    keep,
                    more,
                    self.public,
                    [x for x in _unread(new, unread) if name_month(x) in (month, None)],
                )

            def take(result: MonthResult) -> list[tuple[str, dict, dict]]:
                if written.get(result.month):  # written twice: the first one is not kept
                    interim.append(written[result.month])
                written[result.month] = result.name
                fresh_rows[result.month] = result.rows
                new.update(result.entries)
                report.read.extend(result.read)
                report.unchanged -= sum(1 for label in result.read if label not in todo)
                tick(sum(1 for label in result.read if label in todo))
                return result.misplaced

            jobs = [job(m, by_month.get(m, []), extra.get(m, {}), todo) for m in sorted(dirty)]
            many = sum(len(j.parse) for j in jobs) >= PARALLEL_FILES and len(jobs) > 1
            misplaced: list[tuple[str, dict, dict]] = []
            for result in workers.map(build_month, jobs, many):
                misplaced.extend(take(result))
            # A file whose name gives one month and whose date another goes to its month.
            while misplaced:
                moved: dict[str, dict[str, tuple[dict, dict]]] = defaultdict(dict)
                for label, entry, doc in misplaced:
                    moved[entry["shard"]][label] = (entry, doc)
                misplaced = []
                for month, more in sorted(moved.items()):
                    misplaced.extend(take(build_month(job(month, [], more, more))))
            report.one_process = workers.fallback

        for p in scan_problems:
            _report_problem(p, report)
        for entry in new.values():
            _sort_problems(entry, report)
        report.read = sorted(set(report.read))
        changed = bool(written or report.removed or report.verified or why or index is None)
        changed = changed or unread != (_meta(index).get("unread") or [])
        changed = changed or any(new[k] is not old[k] for k in new if k in old)
        if changed:
            superseded = [shards[k] for k in written if k in shards and shards[k] != written[k]]
            superseded += interim
            for key, name in written.items():
                if name is None:
                    shards.pop(key, None)
                else:
                    shards[key] = name
            for key in written:
                counts.pop(key, None)
                if fresh_rows.get(key):
                    counts[key] = len(fresh_rows[key])
            first = self._first_page(shards, fresh_rows)
            ensure_private_dir(self.shard_dir)
            catalog_name = f"catalog-{secrets.token_hex(4)}.json"
            write_tables(self.shard_dir / catalog_name, {"files": [new[k] for k in sorted(new)]})
            sweep_temp_files(self.path)
            write_tables(
                self.path,
                {
                    "meta": [
                        {
                            "version": CACHE_VERSION,
                            "root": str(self.root.resolve()),
                            "public": self.public,
                            "unread": unread,
                            "catalog": catalog_name,
                            "shards": shards,
                            "counts": counts,
                            "meetings": sum(counts.values()),
                        }
                    ],
                    "first": first,
                },
            )
            report.written = True
            report.shards_written = sum(1 for n in written.values() if n)
            if index is not None:
                superseded.append(index["meta"]["1"]["catalog"])
            self._drop_unused(
                {catalog_name, *(part for n in shards.values() for part in part_names(n))},
                superseded,
            )
        else:
            _make_private(self.path, 0o600)
        report.meetings = sum(counts.values())
        return report

    def _first_page(self, shards: dict[str, str], fresh: dict[str, list[dict]]) -> list[dict]:
        """The newest FIRST_PAGE rows of the meeting list: from the newest months, their rows
        just made or as their shards keep them."""
        rows: list[dict] = []
        for month in sorted(shards, reverse=True):
            rows.extend(fresh[month] if month in fresh else self._month_rows(shards[month]))
            if len(rows) >= FIRST_PAGE:
                break
        rows.sort(key=lambda r: (r["date"], r.get("time") or "", r["board"]), reverse=True)
        return rows[:FIRST_PAGE]

    def _check(self, path: str, label: str, old: dict | None, report: IndexReport):
        """The file's entry when it need not be parsed, None when it must be, False to drop it."""
        try:
            st = os.stat(path)
        except OSError as exc:
            from .model import Problem

            report.skipped.append(Problem(label, None, f"cannot read file: {exc.strerror or exc}"))
            return False
        if not _readable(path, st):
            # Permission denied (or revoked since the last refresh): keep nothing of the file.
            if old is not None and _is_restricted(old) and old.get("size") == st.st_size:
                if old.get("mtime_ns") == st.st_mtime_ns:
                    return old
            return _restricted_entry(label, st)
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
            return old
        if old.get("sha256") and stat.S_ISREG(st.st_mode) and st.st_size <= MAX_FILE_BYTES:
            try:
                raw = read_regular(path, MAX_FILE_BYTES)  # a pipe swapped in is not waited on
            except (OSError, UnsafeFile):
                return None
            if hashlib.sha256(raw).hexdigest() == old["sha256"]:
                report.unchanged += 1
                report.verified.append(label)
                return dict(
                    old, size=st.st_size, mtime_ns=st.st_mtime_ns, indexed_ns=time.time_ns()
                )
        return None

    def _drop_unused(self, keep: set[str], superseded: list[str]) -> None:
        """Delete the parts no index names any more (readers of the old index retry)."""
        for name in superseded:
            for gone in part_names(name):
                if gone not in keep and OWN_NAME.fullmatch(gone):
                    try:
                        if not safefs.file_problem(os.lstat(self.shard_dir / gone)):
                            os.unlink(self.shard_dir / gone)
                    except OSError:
                        pass
        # left by a writer killed before it wrote the index, or its temporary files
        remove_own(self.shard_dir, keep, older_than=STALE_TEMP_SECONDS)

    def clear(self) -> bool:
        """Delete the cache, if it is tuibrowser's (else leave it: the refresh says why)."""
        try:
            self._claim()
        except OSError:
            return False
        existed = os.path.lexists(self.shard_dir)
        remove_own(self.shard_dir, set())
        try:
            os.rmdir(self.shard_dir)
        except OSError:
            pass
        try:
            self.path.unlink()
            return True
        except FileNotFoundError:
            return existed


def _without_texts(doc: dict) -> None:
    """A document's dict without its long texts: minutes, reports (an empty one stays, so
    the item still says it has one) and sections."""
    for it in doc.get("items") or ():
        it["minute"] = ""
        if it.get("report") is not None:
            it["report"] = {}
    for section in doc.get("sections") or ():
        section["text"] = ""


_SHARED = ("name", "role", "authority", "group", "status", "person")


def _intern(doc: dict) -> None:
    """One string for the values an archive repeats thousands of times (names, roles, boards,
    statuses, KPI themes): JSON gives each occurrence a string of its own."""
    intern = sys.intern
    doc["board"] = intern(doc["board"])
    for key in ("attendance", "membership"):
        for a in doc.get(key) or ():
            for f in _SHARED:
                v = a.get(f)
                if v:
                    a[f] = intern(v)
    for k in doc.get("kpis") or ():
        for f in ("theme", "period", "rating", "item"):
            v = k.get(f)
            if v:
                k[f] = intern(v)
    path = doc["path"] = intern(doc["path"])
    for it in doc.get("items") or ():
        for f in ("title", "number"):
            if it.get(f):
                it[f] = intern(it[f])
        if it.get("path") == path:
            it["path"] = path
    for k in doc.get("kpis") or ():
        k["code"] = intern(k["code"])


def _file_entries(data: dict) -> dict[str, dict]:
    return {e["path"]: e for e in data["files"].values() if isinstance(e, dict) and "path" in e}


def read_shard(path: Path) -> dict[str, dict]:
    """A shard's documents by file label (raises OSError or ValueError when it is bad)."""
    data = orjson.loads(safefs.read_own(path))
    return {e["path"]: e["document"] for e in data["documents"].values()}


# -- the work on one month (in this process, or in one of a process per core) ------------------


@dataclass
class MonthJob:
    """Write a month's shard again: its unchanged documents (``keep``, label → entry, from the
    shard ``old``), the files to ``parse``, and documents already parsed (``more``)."""

    root: str
    shard_dir: str
    month: str
    old: str | None
    parse: list[tuple[str, str]]
    keep: dict[str, dict]
    more: dict[str, tuple[dict, dict]]
    public: bool
    unread: list[str] = field(default_factory=list)  # files and folders that failed (public)


@dataclass
class MonthResult:
    month: str
    name: str | None  # the new shard, or None when the month has no document left
    rows: list[dict]
    entries: dict[str, dict]
    read: list[str]
    misplaced: list[tuple[str, dict, dict]]  # (label, entry, document) of another month


def build_month(job: MonthJob) -> MonthResult:
    """Parse what is new in a month, write its shard and text, and say what it holds."""
    with no_gc():
        kept: dict[str, dict] = {}
        if job.old is not None:
            try:
                kept = read_shard(Path(job.shard_dir) / job.old)
            except (OSError, ValueError, *BAD_ENTRY):
                kept = {}
        root = Path(job.root)
        docs: dict[str, dict] = {}
        entries: dict[str, dict] = {}
        read: list[str] = []
        misplaced: list[tuple[str, dict, dict]] = []

        def place(label: str, entry: dict, doc: dict | Document | None) -> None:
            entry["shard"] = shard_key(_date(doc)) if doc else None
            if doc is not None and entry["shard"] != job.month:
                misplaced.append((label, entry, _as_dict(doc)))
                return
            entries[label] = entry
            if doc is not None:
                docs[label] = doc

        for label, entry in job.keep.items():
            doc = kept.get(label)
            if doc is None:  # the shard lost it (deleted by hand): read the file again
                read.append(label)
                place(*_parse_one(str(root / label), label, as_record=True))
            else:
                entries[label] = entry
                docs[label] = doc
        for path, label in job.parse:
            read.append(label)
            place(*_parse_one(path, label, as_record=True))
        for label, (entry, doc) in job.more.items():
            place(label, entry, doc)
        if job.public:
            docs = _withhold_confidential(job, docs, entries, read, misplaced)
        if not docs:
            return MonthResult(job.month, None, [], entries, read, misplaced)
        name, rows = write_shard(Path(job.shard_dir), job.month, docs)
        return MonthResult(job.month, name, rows, entries, read, misplaced)


def _withhold_confidential(
    job: MonthJob,
    docs: dict[str, dict],
    entries: dict[str, dict],
    read: list[str],
    misplaced: list[tuple[str, dict, dict]],
) -> dict[str, dict]:
    """Public cache: no document keeps a withheld item (see :mod:`.public`: marked by any file
    of its meeting, or any item of a meeting whose files could not all be read), and no
    problem the text of one (every file of a meeting is in the same month)."""
    from . import public
    from .model import board_name

    def key(label: str) -> str:
        # Boards whose slugs are equal hold meetings of their own (library.meeting_ids): the
        # board's name joins the id (which still starts with the date, as public needs).
        meeting = entries[label].get("meeting") or ""
        doc = docs.get(label)
        return meeting if doc is None else f"{meeting}\x00{board_name(_board(doc))}"

    keyed = [label for label, e in entries.items() if e.get("meeting")]
    marks = [(key(label), n) for label in keyed for n in entries[label]["marks"]]
    failed = [label for label, e in entries.items() if _failed(e)] + job.unread
    marked = public.withheld_numbers(marks, {key(label) for label in keyed}, failed)
    out: dict[str, dict] = {}
    for label, doc in docs.items():
        entry = entries[label]
        numbers = marked.get(key(label), set())
        if not _still_withheld(entry, numbers):
            # An item withheld because another file marked it is no longer marked: the
            # stored document lacks it, so read the file again.
            _, entry, fresh = _parse_one(str(Path(job.root) / label), label)
            entry["shard"] = shard_key(fresh["date"]) if fresh else None
            read.append(label)
            entries[label] = entry
            if fresh is None:
                continue
            if entry["shard"] != job.month:
                del entries[label]
                misplaced.append((label, entry, fresh))
                continue
            doc = fresh
        if numbers:
            from .library import redact_document
            from .model import Document

            parsed = Document.from_dict(doc) if isinstance(doc, dict) else doc
            red = redact_document(parsed, numbers)
            if red is not parsed:
                removed = {it.number for it in parsed.items} - {it.number for it in red.items}
                removed |= {
                    row.item
                    for name in ("kpis", "summaries", "series", "outputs", "figures")
                    for row in getattr(parsed, name)
                    if public.is_withheld(numbers, row.item)
                }
                entries[label] = dict(
                    entry, withheld=sorted(set(entry.get("withheld") or ()) | removed)
                )
                doc = red.to_dict()
        out[label] = doc
    for label, entry in entries.items():
        entries[label] = _withhold_problems(entry, marked.get(key(label)))
    return out


FAILED = ("error", RESTRICTED)


def _failed(entry: dict) -> bool:
    """Whether the file of ``entry`` could not be read or parsed."""
    return any(p.get("severity") in FAILED for p in entry.get("problems") or ())


def _meta(index: dict | None) -> dict:
    return index["meta"]["1"] if index is not None else {}


def _unread(entries: dict[str, dict], scanned: list[dict] | None) -> set[str]:
    """The files (of ``entries``) and folders (``scanned`` problems) that failed."""
    return {label for label, e in entries.items() if _failed(e)} | {
        p["path"] for p in scanned or () if isinstance(p, dict) and "path" in p
    }


def _still_withheld(entry: dict, numbers: set[str]) -> bool:
    """Whether every item the stored document (and problems) of ``entry`` lack is still
    withheld: else the file must be read again."""
    from . import public

    return all(public.is_withheld(numbers, n) for n in entry.get("withheld") or ())


def _withhold_problems(entry: dict, numbers: set[str] | None) -> dict:
    """``entry`` with the problems met in withheld items told without their text (every item
    of a file that could not be parsed: its items are not known)."""
    from . import public
    from .model import Problem

    problems = entry.get("problems")
    if not problems:
        return entry
    numbers = {public.ALL} if entry.get("meeting") is None else numbers or set()
    found = [Problem.from_dict(p) for p in problems]
    told = public.redact_problems(found, lambda _: numbers)
    if all(p is q for p, q in zip(found, told, strict=True)):
        return entry
    hidden = {p.item for p, q in zip(found, told, strict=True) if p is not q and p.item}
    withheld = sorted(set(entry.get("withheld") or ()) | hidden)
    return dict(entry, problems=[p.to_dict() for p in told], withheld=withheld)


def write_shard(
    shard_dir: Path, key: str, docs: dict[str, dict | Document]
) -> tuple[str, list[dict]]:
    """Write a shard of ``docs`` (label → document, as a record or as its dict) in
    ``shard_dir``, with its folded text: its name, and the rows of its meetings."""
    from .library import merge_all
    from .model import Document
    from .search import month_search_text

    name = f"{key}-{secrets.token_hex(4)}.json"
    records = {p: d if isinstance(d, Document) else Document.from_dict(d) for p, d in docs.items()}
    # the documents as they are now (orjson writes records as dicts): merging changes them
    payload = orjson.dumps(
        {
            "documents": {
                str(n): {"path": p, "document": docs[p]} for n, p in enumerate(sorted(docs), 1)
            }
        }
    )
    meetings = merge_all(records.values())
    meetings.sort(key=lambda m: (m.date, m.time or "", m.board), reverse=True)  # as build()
    # The month's text folded for search, and its words: a query reads them, not the documents.
    folded, shown, offsets, words = month_search_text(meetings)
    base = name.removesuffix(".json")
    for suffix, part in zip(SEARCH_PARTS, (folded, shown, offsets), strict=True):
        atomic_write(shard_dir / (base + suffix), part, sync=False)
    atomic_write(shard_dir / words_name(name), words.encode("utf-8", "surrogatepass"), False)
    atomic_write(shard_dir / name, payload, sync=False)  # a TinyDB database of documents
    rows = [dict(meeting_row(m).to_dict(), shard=key) for m in meetings]
    atomic_write(shard_dir / rows_name(name), orjson.dumps(rows), sync=False)
    return name, rows


def parse_files(
    todo: list[tuple[str, str]], workers: Workers | None = None
) -> Iterator[tuple[str, dict, dict | None]]:
    """(label, entry, document dict) for each (path, label) to read and parse."""
    if workers is None:
        from .workers import Workers

        workers = Workers()
    chunks = [todo[i : i + PARALLEL_CHUNK] for i in range(0, len(todo), PARALLEL_CHUNK)]
    for part in workers.map(_parse_chunk, chunks, len(todo) >= PARALLEL_FILES):
        yield from part


def _parse_chunk(chunk: list[tuple[str, str]]) -> list[tuple[str, dict, dict | None]]:
    return [_parse_one(path, label) for path, label in chunk]


def _date(doc: dict | Document) -> str:
    return doc["date"] if isinstance(doc, dict) else doc.date


def _board(doc: dict | Document) -> str:
    return doc["board"] if isinstance(doc, dict) else doc.board


def _as_dict(doc: dict | Document) -> dict:
    return doc if isinstance(doc, dict) else doc.to_dict()


def _parse_one(path_text: str, label: str, as_record: bool = False) -> tuple[str, dict, Any]:
    """Read and parse one file: its entry (without the document) and its document (a dict,
    or with ``as_record`` the :class:`Document` itself, when it stays in this process)."""
    from . import records
    from .model import Problem

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
            raw = read_regular(path, records.MAX_FILE_BYTES)  # not a pipe swapped in since
        except (OSError, UnsafeFile):
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
    if doc is None or as_record:
        return label, entry, doc
    return label, entry, doc.to_dict()


def _restricted_entry(label: str, st: os.stat_result) -> dict:
    from . import records

    return {
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


def _report_problem(prob: Problem, report: IndexReport) -> None:
    if prob.severity == "error":
        report.skipped.append(prob)
    elif prob.severity == RESTRICTED:
        report.restricted.append(prob)
    else:
        report.warnings.append(prob)


def _sort_problems(entry: dict, report: IndexReport) -> None:
    problems = entry.get("problems")
    if problems:
        from .model import Problem

        for p in problems:
            _report_problem(Problem.from_dict(p), report)


_UID = os.getuid() if hasattr(os, "getuid") else None


def _readable(path: str, st: os.stat_result) -> bool:
    """Whether this user may read the file: its owner with the owner's read bit may (an ACL
    cannot take that away); anyone else is asked of the system (groups, ACLs)."""
    if _UID is not None and st.st_uid == _UID and st.st_mode & stat.S_IRUSR and _UID != 0:
        return True
    return os.access(path, os.R_OK)


def _is_restricted(entry: dict) -> bool:
    problems = entry.get("problems")
    return bool(problems) and any(p.get("severity") == RESTRICTED for p in problems)


def open_library(
    root: Path,
    cache_path: Path | None = None,
    use_cache: bool = True,
    public: bool = False,
    progress: Progress | None = None,
) -> tuple[Library, IndexReport]:
    """The up-to-date library for ``root``: through the cache, or straight from the files."""
    from . import records
    from .library import build

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
    if public:  # as the library tells them: none with the text of a withheld item
        report.skipped, report.warnings, report.restricted = [], [], []
        for prob in lib.problems:
            _report_problem(prob, report)
    report.meetings = len(lib.meetings)
    return lib, report
