"""Reading a cache: its index, its catalog, the meeting list, the library, a meeting's texts.

Nothing here writes. A reader sees one generation: a part a writer replaced since the index
was read is missing (``FileNotFoundError``), and the read starts again from the index.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, SupportsIndex

import orjson

from ..base import REDACTION, RESTRICTED, no_gc, record, shard_key
from ..listing import MeetingRow, newest_first
from ..packed import unpack
from . import safefs
from .layout import (
    BAD_ENTRY,
    NOT_REDACTED,
    SHARD_META,
    Index,
    IndexMeta,
    NotRedacted,
    part_names,
    rows_name,
    text_name,
    words_name,
)
from .memory import SHARDS_PER_TRIM, give_back_memory
from .paths import cache_file_for
from .report import REFUSED

if TYPE_CHECKING:
    from collections.abc import Callable

    from tinydb import TinyDB

    # The first frame reads the index alone: the model and the library are imported where
    # documents are read, after it.
    from ..library import Library
    from ..model import Document, Meeting
    from .leantexts import Lean, Streams


@record
class ListHead:
    """What the index says of the meeting list: its first page and how many meetings."""

    def __init__(self, rows: list[MeetingRow], total: int) -> None:
        self.rows = rows
        self.total = total


@record
class Listed:
    """What loading the library needs of the catalog: each file's label, with whether the
    user may read it (a file not read from a shard is counted skipped unless it is one the
    user may not read), and the files' problems in the order of their labels."""

    def __init__(self, files: dict[str, bool], problems: list[dict]) -> None:
        self.files = files
        self.problems = problems

    @classmethod
    def of(cls, catalog: dict[str, dict]) -> Listed:
        files: dict[str, bool] = {}
        problems: list[dict] = []
        for label in sorted(catalog):
            e = catalog[label]
            files[label] = not is_restricted(e)
            problems.extend(e.get("problems") or [])
        return cls(files, problems)


class CacheReader:
    """The files of the cache for one meetings folder, and what reading them gives."""

    def __init__(self, root: Path, path: Path | None = None, public: bool = False):
        self.root = Path(root)
        self.public = public
        self.path = Path(path) if path is not None else cache_file_for(self.root, public=public)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.shard_dir = self.path.with_name(self.path.name + ".d")
        # why the last load() gave None, when the cache holds what this version cannot read
        self.unreadable: str | None = None
        # called between two shards of a load: the browser's early search holds it back
        self.between_shards: Callable[[], object] | None = None

    def _load_raw(self) -> tuple[Index | None, str | None]:
        """The index, or None and why it cannot be used.

        Read with orjson, not through TinyDB: this is all the first frame reads, and TinyDB
        would cost it ten times as much (at 3,600 files: importing TinyDB 1.9 ms, then reading
        the index through it 0.44 ms, where orjson takes 0.24 ms in all). The file is TinyDB's
        layout all the same (:func:`.db.write_tables`): a script opens it with TinyDB.
        """
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
        meta, why = IndexMeta.check(data, str(self.root.resolve()), self.public)
        if meta is None:
            return None, why
        first = data.get("first", {})
        if not isinstance(first, dict):
            return None, "cache is corrupt"
        return Index(meta, first), None

    def _load_catalog(self, index: Index) -> tuple[dict | None, str | None]:
        """The catalog the index names: every file's entry by label (None and why if
        unusable). Through TinyDB's storage: its table ``files`` as the storage holds it,
        since every entry is wanted as it is (a ``Query`` evaluated on each of 12,000 entries
        was a tenth of a one-file refresh, and the table's ``all()`` copies each into a
        ``Document``: 12,000 copies a refresh drops at once)."""
        from .db import NotADatabase, open_db, table_of
        from .journal import apply

        journal = None
        try:
            with open_db(self.shard_dir / index.meta.catalog) as db:
                table_of(db, "files")  # (KeyError when it has none)
                files = db.storage.read()["files"]
                # entries without a label (of another version, or edited by hand) are left out
                entries = [e for e in files.values() if isinstance(e, dict) and "path" in e]
            if index.meta.journal is not None:  # what changed since it was written whole
                with open_db(self.shard_dir / index.meta.journal) as db:
                    journal = db.storage.read()
        except FileNotFoundError:
            return None, None  # replaced by a writer since the index was read
        except (NotADatabase, KeyError):
            return None, "cache is corrupt"
        except (OSError, ValueError):
            return None, "cache is corrupt or truncated"
        try:
            catalog = {e["path"]: e for e in entries}
            if journal is not None:
                index.journaled = apply(catalog, journal)
            return catalog, None
        except BAD_ENTRY:
            return None, "cache had entries of an unexpected shape"

    def _read(self) -> tuple[Index | None, dict | None, str | None]:
        """The index and its catalog (file label → entry), read as one generation (a writer
        may replace them)."""
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
        """Every file the cache is made of: the index, its catalog (its journal and seen part),
        its shards and texts."""
        index, _ = self._load_raw()
        if index is None:
            return [self.path]
        meta = index.meta
        shards = sorted(meta.shards.values())
        return [
            self.path,
            self.shard_dir / meta.catalog,
            *([self.shard_dir / meta.journal] if meta.journal else []),
            *([self.shard_dir / meta.seen] if meta.seen else []),
            *([self.shard_dir / meta.halves] if meta.halves else []),
            *(self.shard_dir / name for name in shards),
            *(self.shard_dir / part for name in shards for part in part_names(name)[1:]),
        ]

    def entries(self) -> dict[str, dict]:
        """The cached entries by file label, without refreshing (empty if there is no usable cache)."""
        _, catalog, _ = self._read()
        return catalog if catalog is not None else {}

    def head(self) -> ListHead | None:
        """The first page of the meeting list and the number of meetings, from the index alone
        (no catalog, no document): what the first frame shows. None without a usable cache."""
        index, _ = self._load_raw()
        if index is None:
            return None
        try:
            rows = [MeetingRow.from_dict(r) for r in index.first.values()]
            return ListHead(newest_first(rows), int(index.meta.meetings))
        except BAD_ENTRY:
            return None

    def rows(self) -> list[MeetingRow] | None:
        """The meeting list as cached, newest first, without reading a document; None if there
        is no usable cache."""
        for _ in range(3):  # a writer may replace a shard between reading the index and it
            index, _ = self._load_raw()
            if index is None:
                return None
            try:
                with no_gc():
                    rows = [
                        MeetingRow.from_dict(r)
                        for name in index.meta.shards.values()
                        for r in self._shard_rows(name)
                    ]
                return newest_first(rows)
            except FileNotFoundError:
                continue
            except (OSError, orjson.JSONDecodeError, *BAD_ENTRY):
                return None
        return None

    def _shard_rows(self, shard: str) -> list[dict]:
        rows = orjson.loads(unpack(safefs.read_own(self.shard_dir / rows_name(shard))))
        if not isinstance(rows, list):
            raise ValueError("rows of a shard are not a list")
        intern = sys.intern
        for r in rows:  # one string for what thousands of rows repeat (kept with the library)
            for f in _ROW_SHARED:
                v = r.get(f) if isinstance(r, dict) else None
                if isinstance(v, str):
                    r[f] = intern(v)
        return rows

    def load(self, texts: bool = True) -> Library | None:
        """The library as cached, without looking at the files; None if there is no usable cache.

        Without ``texts`` the meetings come without their minutes, reports and sections (a
        third of an archive's memory), read from the cache when :meth:`Library.full` asks.
        """
        lib, self.unreadable = self._load(texts)
        return lib

    def _load(self, texts: bool = True) -> tuple[Library | None, str | None]:
        for _ in range(3):  # a writer may replace a shard between reading the index and it
            with no_gc():  # the catalog too: an entry per file (the browser paused it so)
                index, catalog, why = self._read()
            if index is None or catalog is None:
                return None, why
            try:
                # what the library needs of the catalog, kept; the catalog itself (17 MB at
                # 12,000 files) goes before the first shard is read, and its memory holds the
                # library's records instead of adding to the peak
                listed = Listed.of(catalog)
                del catalog
                with no_gc():
                    return self._library(index, listed, texts), None
            except FileNotFoundError:
                continue
            except NotRedacted:
                return None, NOT_REDACTED
            except (OSError, orjson.JSONDecodeError, *BAD_ENTRY):
                return None, "cache had entries of an unexpected shape"
        return None, None

    def _library(self, index: Index, listed: Listed, texts: bool = True) -> Library:
        from ..library import Library, Words, collect_people
        from ..listing import by_meeting_order
        from ..model import Problem

        # One shard at a time: its JSON is turned into records, and its documents merged into
        # meetings, before the next is read (a meeting's documents share its date, so its
        # shard): the whole cache is never in memory twice, nor are all the documents.
        meetings: list[Meeting] = []
        duplicates: list[tuple[str, list[Problem]]] = []
        read: set[str] = set()
        keys: list[str] = []
        lists: list[Path | bytes] = []
        segments: dict[str, Path] = {}
        for n, (key, name) in enumerate(index.meta.shards.items()):
            if self.between_shards is not None:
                self.between_shards()
            if n % SHARDS_PER_TRIM == SHARDS_PER_TRIM - 1:
                give_back_memory()  # the shards' blocks read so far
            self._merge_shard(self.shard_dir / name, listed, texts, meetings, duplicates, read)
            keys.append(key)
            lists.append(self.shard_dir / words_name(name))
            segments[key] = self.shard_dir / text_name(name)
        # the folders a public refresh could not read (their files may mark items)
        problems = [Problem.from_dict(p) for p in index.meta.unread]
        problems.extend(Problem.from_dict(p) for p in listed.problems)
        skipped = sum(1 for path, mine in listed.files.items() if mine and path not in read)
        # as library.build orders them: by each meeting's first file
        duplicates.sort(key=lambda d: d[0])
        problems.extend(p for _, found in duplicates for p in found)
        # Not redacted again (public=False): a public index and each of its shards were
        # written by the one redaction (library.withhold) under this version's rules, and
        # say so, or were not read (NotRedacted, layout.NOT_REDACTED).
        meetings.sort(key=by_meeting_order, reverse=True)
        lib = Library(meetings, collect_people(meetings), problems, skipped)
        lib.words = Words(keys, lists)
        lib.texts = segments
        if not texts:
            lib.lean = {m.id for m in lib.meetings}
            lib.texts_of = self._texts_of
        return lib

    def _merge_shard(
        self,
        path: Path,
        listed: Listed,
        texts: bool,
        meetings: list,
        duplicates: list,
        read: set[str],
    ) -> None:
        """Read one shard's documents (those the catalog ``listed``), merge them into
        ``meetings``, add the problems of two files for one meeting to ``duplicates`` (with
        the meeting's first file) and each file read to ``read``."""
        from ..library import duplicate_documents, group_documents, merge
        from ..model import Document

        # a public shard is read only when it says it was redacted under these rules
        shard = shard_documents(path, redacted=self.public, texts=texts)
        documents: dict[str, Document] = {}
        for e in shard:
            if e["path"] not in listed.files or e["path"] in read:
                continue
            doc = e["document"]
            if not texts:
                _without_texts(doc)
            _intern(doc)
            documents[e["path"]] = Document.from_dict(doc)
        del shard
        read.update(documents)
        kept = [documents[p] for p in sorted(documents)]
        documents.clear()
        for mid, docs in group_documents(kept).items():
            found = duplicate_documents(mid, docs)
            if found:
                duplicates.append((docs[0].path, found))
            meeting = merge(mid, docs, owned=True)
            if not texts:
                _share_empty(meeting)
            meetings.append(meeting)

    def _texts_of(self, meeting: str) -> list:
        """The documents of one meeting, texts and all (for :meth:`Library.full`)."""
        from ..library import group_documents
        from ..model import Document

        # Never raises: a cache it cannot read gives nothing, and the meeting is "gone".
        for _ in range(3):  # the shard may have been written anew since the library was read
            index, _ = self._load_raw()
            if index is None:
                return []
            try:
                name = index.meta.shards.get(shard_key(meeting))
                if name is None:
                    return []
                # the meeting's date starts its id: only that date's documents are read
                docs = shard_documents(self.shard_dir / name, meeting[:10], self.public)
                found = [Document.from_dict(e["document"]) for e in docs]
                return group_documents(found).get(meeting, [])
            except FileNotFoundError:
                continue
            except (OSError, ValueError, *BAD_ENTRY):
                return []
        return []


def _without_texts(doc: dict) -> None:
    """A document's dict without its long texts: minutes, reports (an empty one stays, so
    the item still says it has one) and sections."""
    for it in doc.get("items") or ():
        it["minute"] = ""
        if it.get("report") is not None:
            it["report"] = {}
    for section in doc.get("sections") or ():
        section["text"] = ""


class _Empty(list[Any]):
    """The one empty list the records of a lean library share for each list they leave
    empty (a list object is 56 bytes, and a meeting leaves a dozen empty, an item one or two:
    225,000 lists and 12 MB at 10,000 meetings). Appending, inserting or extending raises
    :class:`TypeError`: it would add to every record's."""

    __slots__ = ()

    def _refuse(self) -> NoReturn:
        raise TypeError("a shared empty list of the library's records cannot be added to")

    def append(self, value: Any, /) -> None:
        self._refuse()

    def insert(self, index: SupportsIndex, value: Any, /) -> None:
        self._refuse()

    def extend(self, values: Iterable[Any], /) -> None:
        if list(values):
            self._refuse()


EMPTY = _Empty()


@cache
def _meeting_lists() -> tuple[str, ...]:
    """The list fields of a meeting (the model is imported with the library, not before)."""
    from ..model import Meeting

    return tuple(f.name for f in fields(Meeting) if f.default_factory is list)


def _share_empty(meeting: Meeting) -> None:
    """Give the empty lists of a lean meeting, and of its items, the one :data:`EMPTY`."""
    for name in _meeting_lists():
        if not getattr(meeting, name):
            setattr(meeting, name, EMPTY)
    for it in meeting.items:
        if not it.decisions:
            it.decisions = EMPTY
        if not it.actions:
            it.actions = EMPTY


_SHARED = ("name", "role", "authority", "group", "status", "person")
_ROW_SHARED = ("board", "time", "docs", "venue")  # of a row of the meeting list


def _intern(doc: dict) -> None:
    """One string for the values an archive repeats thousands of times (names, roles, boards,
    statuses, KPI themes): JSON gives each occurrence a string of its own."""
    intern = sys.intern
    doc["board"] = intern(doc["board"])
    for f in ("kind", "title", "venue", "time", "status", "date"):  # "minutes", "Council Chamber" …
        v = doc.get(f)
        if isinstance(v, str):
            doc[f] = intern(v)
    upcoming = doc.get("next_meeting")
    if isinstance(upcoming, dict) and isinstance(upcoming.get("date"), str):
        upcoming["date"] = intern(upcoming["date"])
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


def shard_documents(
    path: Path,
    date: str | None = None,
    redacted: bool = False,
    texts: bool = True,
    streams: Streams | None = None,
    lean: Lean | None = None,
) -> list[dict]:
    """A shard's table of documents (``{"path": label, "document": …}``), or those of the
    meetings of ``date``, through TinyDB (raises OSError, ValueError or KeyError when it is
    bad). Read whole or queried, TinyDB costs what orjson alone does (3,600 documents in 269
    shards: 165 ms, 195 ms; one date of the largest shard: 1.7 ms, 1.5 ms).

    With ``redacted`` (a public cache), raises :class:`.layout.NotRedacted` unless the shard
    says it was redacted under this version's rules (:data:`.base.REDACTION`). With
    ``texts``, the items' minutes and reports are put back (:mod:`.leantexts`); without, they
    are ``""`` and ``{}``. ``streams`` and ``lean``, if given, are added the streams of the
    long texts read and the documents as read (:data:`.leantexts.Streams`, ``Lean``)."""
    from tinydb import Query

    from .db import open_db, table_of
    from .leantexts import read_long_texts

    with open_db(path) as db:
        if redacted:
            check_redacted(db, path)
        documents = table_of(db, "documents")
        found = documents.all() if date is None else documents.search(Query().document.date == date)
    if texts:
        read_long_texts(path, found, streams, lean)
    return found


def read_shard(
    path: Path,
    redacted: bool = False,
    streams: Streams | None = None,
    lean: Lean | None = None,
    texts: bool = True,
) -> dict[str, dict]:
    """A shard's documents by file label (raises OSError, ValueError or KeyError when it is
    bad, :class:`.layout.NotRedacted` as :func:`shard_documents` says); its long texts'
    streams and its documents as read added to ``streams`` and ``lean`` if given. Without
    ``texts``, the items' minutes and reports are not put back (:func:`shard_documents`)."""
    docs = shard_documents(path, redacted=redacted, texts=texts, streams=streams, lean=lean)
    return {e["path"]: e["document"] for e in docs}


def check_redacted(db: TinyDB, path: Path) -> None:
    """Raise :class:`.layout.NotRedacted` unless the shard ``db`` says it was redacted under
    this version's rules: written by :func:`.shards.write_shard` after the one redaction."""
    stamp = db.table(SHARD_META).get(doc_id=1) if SHARD_META in db.tables() else None
    if not isinstance(stamp, dict) or stamp.get("redacted") != REDACTION:
        raise NotRedacted(f"{path.name} was not redacted under this version's rules")


def is_restricted(entry: dict) -> bool:
    """Whether the file of a catalog entry is one this user may not read."""
    problems = entry.get("problems") or []
    return any(p.get("severity") == RESTRICTED for p in problems)
