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
  shown (``.show``: what it adds to the folded text), and where each record starts (``.idx``).
  See :mod:`.layout`.

A refresh (:mod:`.indexer`) re-reads only new or changed files and rewrites only their shards.
A cold index shares the shards out to one process per core (:mod:`.workers`), each parsing
its shard's files and writing it (:mod:`.shards`), so documents never cross between
processes. Every file is written to a temporary file and moved into place with
``os.replace``, under a file lock (:mod:`.fs`); a rewritten part gets a new name and the
index, written last, names the parts it goes with, so a reader (:mod:`.reader`) sees one
whole generation. A cache that cannot be read, or has another format version, is set aside
and rebuilt from the files.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import orjson

from . import safefs
from .fs import STALE_TEMP_SECONDS, CacheLock, LockTimeout, ensure_private_dir
from .layout import BAD_ENTRY, MERGED_VIEWS
from .own import OWN_NAME, check_shard_dir, is_index, remove_own
from .reader import CacheReader
from .report import REFUSED, CacheUnavailable, IndexReport

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from ..kpi.glance import Ratings
    from ..library import Library
    from ..people_figures import PersonFigures
    from ..search import Results
    from ..search.cached import CachedIndex
    from ..search.peoplefile import PeopleParts
    from ..topic_parts import TopicLine
    from .indexer import Progress

# tuibrowser.records (the YAML and frontmatter parsers), TinyDB, the indexer and
# multiprocessing are imported by the functions that need them: the browser's first frame,
# painted from the index, does not wait for them.

LOCK_TIMEOUT = 120.0

_V = TypeVar("_V")  # a merged view: the People list's figures, Topics, the ratings
_R = TypeVar("_R")  # a line of a merged view that is a list: a person's figures, a topic


class Cache(CacheReader):
    """The cache for one meetings folder."""

    def refresh(self, progress: Progress | None = None) -> tuple[Library, IndexReport]:
        """Bring the cache up to date with the files and return the library (see
        :func:`.loading.load_library`: the files are read when the cache cannot be used)."""
        from .loading import load_library

        return load_library(self, progress)

    def repair(self, progress: Progress | None = None) -> IndexReport | None:
        """After :meth:`load` gave None because a shard this version cannot read (damaged, or
        edited by hand): set the cache aside and build it again. None when the cache had
        nothing unreadable (set aside by another process meanwhile)."""
        why = self.unreadable
        if why is None:
            return None
        with self._lock():
            self._set_aside()
        report = self.update(progress)
        report.rebuilt = why
        return report

    def search(self, library: Library, query: str, limit: int | None = 200) -> Results:
        """The hits of ``query`` in ``library``, read from the shards' search text the word
        lists point to: see :func:`tuibrowser.search.run`."""
        from ..search import run

        return run(library, query, limit=limit)

    def search_files(self, query: str, limit: int | None = 200) -> Results | None:
        """The hits of ``query`` as :meth:`search` finds them in the library, read from the
        cache's files alone (heads, word lists, segments, people: no document, no library);
        None when the cache cannot answer (then load the library). Call :meth:`update` first.
        """
        for _ in range(3):  # a writer may replace the parts between the index and them
            try:
                index = self.files_index(lean=True)  # one query: no more in memory than it needs
                return index.query(query, limit) if index is not None else None
            except FileNotFoundError:
                continue
            except (OSError, ValueError, *BAD_ENTRY):
                return None
        return None

    def files_index(self, lean: bool = False) -> CachedIndex | None:
        """The search index of the cache's files as they are now (see :meth:`search_files`),
        to query again and again: the browser's search before its library is loaded (``lean``:
        for one query, keeping nothing for the next, see :class:`CachedIndex`). None when
        there is no index. Raises what reading the parts raises (``OSError``,
        ``ValueError``…): a writer may have replaced them (then open it again)."""
        from ..search.cached import CachedIndex

        index, _why = self._load_raw()
        if index is None:
            return None
        shards = index.meta.shards
        counts = index.meta.counts
        months = [
            (key, self.shard_dir / shards[key].removesuffix(".json"), int(counts[key]))
            for key in sorted(shards, reverse=True)
        ]
        return CachedIndex(months, self._people(shards), lean)

    def _people(self, shards: dict[str, str]) -> PeopleParts:
        """The people of the folder (see :func:`~tuibrowser.search.skeleton.merge_people`):
        merged from every shard's by the first query after a refresh that wrote shards, and
        kept for the next (a refresh does not pay for it; the name is of this generation of
        shards, so it is never stale, and the next refresh deletes it once superseded). A
        file an older version kept (one JSON object) is merged again and replaced."""
        from ..packed import unpack
        from ..search.peoplefile import read_people
        from .layout import people_name

        path = self.shard_dir / people_name(shards)
        try:
            return read_people(unpack(safefs.read_own(path)))
        except (FileNotFoundError, ValueError):
            pass
        # (imported only to merge them: the merge needs the library's people, and the model)
        from ..search.skeleton import people_file_of

        people = people_file_of(self._year_people(shards))
        self._keep_packed(path, people)
        return read_people(people)

    def _year_people(self, shards: dict[str, str]) -> Iterator[list]:
        """Each year's people (:func:`~tuibrowser.search.skeleton.merged_part` of its
        shards'), oldest first: the year's file, or merged by the first reader and kept. A
        refresh leaves the other years' as they are, so after a name is edited the people of
        one year's shards are merged again, and the years' (at 10,000 meetings, 16 years'
        parts where there were 384 shards')."""
        from ..packed import unpack
        from ..search.skeleton import merged_part
        from .layout import people_year_names, skeleton_names

        for y, name in people_year_names(shards).items():
            path = self.shard_dir / name
            try:
                found = orjson.loads(unpack(safefs.read_own(path)))
            except (FileNotFoundError, ValueError):  # (damaged: merged again, and replaced)
                found = None
            if isinstance(found, list):
                yield found
                continue
            keys = sorted(k for k in shards if k[:4] == y)
            year = merged_part(
                orjson.loads(unpack(safefs.read_own(self.shard_dir / skeleton_names(shards[k])[2])))
                for k in keys
            )
            self._keep_packed(path, orjson.dumps(year))
            yield year

    def people_figures(self) -> list[PersonFigures] | None:
        """The People list's figures (:mod:`tuibrowser.people_figures`) from the cache's
        parts, without the library. Each shard's part is written with it; the first reader
        of a generation merges them, a year at a time, and keeps each year's (a refresh
        leaves the other years' as they are) and the folder's (the names are of their
        shards' names, as the people's). None when there is no index. Raises what reading
        the parts raises (``OSError``, ``ValueError``…): a writer may have replaced them."""
        from ..people_figures import as_rows, from_rows, merge_figures
        from ..search.peoplefile import people_rows
        from .layout import views_name

        def merge(shards: dict[str, str]) -> list[PersonFigures]:
            people = people_rows(self._people(shards).rows)
            return merge_figures(people, self._years(shards, "a"))

        return self._merged(views_name, merge, *_listed(as_rows, from_rows))

    def topics(self) -> list[TopicLine] | None:
        """The Topics list (:mod:`tuibrowser.topic_parts`: each topic's title, meetings and
        years) from the cache's parts, without the library: merged by the first reader of a
        generation from each year's parts, and kept (as :meth:`people_figures`). None when
        there is no index; raises as it does."""
        from ..topic_parts import as_rows, from_rows, lines, topics_from_parts
        from .layout import view_name

        def merge(shards: dict[str, str]) -> list[TopicLine]:
            return lines(topics_from_parts(self._years(shards, "t")))

        return self._merged(partial(view_name, "topics"), merge, *_listed(as_rows, from_rows))

    def ratings(self) -> Ratings | None:
        """The dashboard's Ratings tab (:mod:`tuibrowser.kpi.glance`: the newest reporting
        periods, how many in all, their scale) from the cache's parts, without the library (as
        :meth:`topics`; what is kept is the tab's view, not every period). A view kept by an
        earlier version, of every period, is merged again."""
        from ..kpi.glance import at_a_glance, merge_glances, ratings_from_rows, ratings_rows
        from .layout import view_name

        def merge(shards: dict[str, str]) -> Ratings:
            return at_a_glance(merge_glances(self._years(shards, "k")))

        return self._merged(
            partial(view_name, "kpis"), merge, ratings_rows, ratings_from_rows, again=True
        )

    def _merged(
        self,
        name: Callable[[dict[str, str]], str],
        merge: Callable[[dict[str, str]], _V],
        as_table: Callable[[_V], dict],
        from_table: Callable[[dict], _V],
        again: bool = False,
    ) -> _V | None:
        """A view merged of every shard's part: read as the first reader of the index's
        generation kept it (``as_table`` of it, in the file ``name`` gives of its shards), else
        merged and kept. ``again``: a kept view ``from_table`` cannot read (``KeyError``,
        ``TypeError``, ``ValueError``: kept by an earlier version) is merged again. None when
        there is no index."""
        index, _why = self._load_raw()
        if index is None:
            return None
        shards = index.meta.shards
        path = self.shard_dir / name(shards)
        try:
            return from_table(self._read_views(path))
        except FileNotFoundError:
            pass
        except (KeyError, TypeError, ValueError):
            if not again:
                raise
        found = merge(shards)
        self._keep_packed(path, orjson.dumps(as_table(found)))
        return found

    def views_kept(self, views: Iterable[str] = MERGED_VIEWS) -> bool:
        """Whether the merged ``views`` of the index's generation are kept (Topics and
        ratings; ``views``: the People list's figures): their reading is then a few
        milliseconds, where the first reader of a generation merges every shard's (groups
        every title), seconds at 10,000 meetings."""
        views = list(views)
        return self.kept_views(views) == set(views)

    def kept_views(self, views: Iterable[str]) -> set[str]:
        """Which of the merged ``views`` of the index's generation are kept (see
        :meth:`views_kept`), told of one reading of the index."""
        from .layout import view_name

        index, _why = self._load_raw()
        if index is None:
            return set()
        kept = set()
        for v in views:
            try:
                if not safefs.file_problem(
                    os.lstat(self.shard_dir / view_name(v, index.meta.shards))
                ):
                    kept.add(v)
            except OSError:
                continue
        return kept

    def _years(self, shards: dict[str, str], view: str) -> Iterator[list]:
        """Each year's part of ``view`` (``a`` People, ``t`` Topics, ``k`` the dashboard),
        oldest first: the year's file of it, or merged from its shards' parts by the first
        reader and kept (with the other views', read from the same parts)."""
        from ..people_figures import merge_parts
        from ..topic_parts import merge_items
        from .layout import YEAR_VIEWS, shard_views_name, views_year_names

        names = {v: views_year_names(shards, v) for v in YEAR_VIEWS}
        for y, name in names[view].items():
            try:
                yield self._read_part(self.shard_dir / name, view)
                continue
            except FileNotFoundError:
                pass
            keys = sorted(k for k in shards if k[:4] == y)
            parts = [self._read_views(self.shard_dir / shard_views_name(shards[k])) for k in keys]
            year = {
                "a": merge_parts(p["a"] for p in parts),
                "t": merge_items(p["t"] for p in parts),
                "k": [row for p in parts for row in p["k"]],
            }
            for v in YEAR_VIEWS:  # (each in a file of its own, as a reader of it reads it)
                self._keep_packed(self.shard_dir / names[v][y], orjson.dumps({v: year[v]}))
            yield year[view]

    def carry_views(self, old: dict[str, str], new: dict[str, str]) -> None:
        """After a refresh wrote the shards ``new`` in place of ``old`` (under the lock): the
        merged People figures, people, Topics and ratings of the old generation are the new
        one's when the shards it rewrote keep the same parts of them (a minutes file edited,
        its attendance, titles and KPIs unchanged), so the next reader does not merge every
        shard's again. Nothing is carried when a part cannot be read."""
        from .layout import MERGED_VIEWS, people_name, view_name, views_name

        changed = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        same: dict[str, bool] = {}
        read: dict[Path, dict] = {}  # (a shard's views part holds three views: read once)

        def unchanged(part: str) -> bool:
            if part not in same:
                same[part] = all(
                    self._shard_view(old, k, part, read) == self._shard_view(new, k, part, read)
                    for k in changed
                )
            return same[part]

        # each merged file, and the shards' parts it is made of (``p``: the people)
        merged: list[tuple[str, str, tuple[str, ...]]] = [
            (view_name(v, old), view_name(v, new), (key,))
            for v, key in zip(MERGED_VIEWS, ("t", "k"), strict=True)
        ]
        merged.append((people_name(old), people_name(new), ("p",)))
        merged.append((views_name(old), views_name(new), ("p", "a")))
        for kept, now, parts in merged:
            try:
                if safefs.file_problem(os.lstat(self.shard_dir / kept)):
                    continue
                if all(unchanged(part) for part in parts):
                    os.replace(self.shard_dir / kept, self.shard_dir / now)
            except (OSError, ValueError, *BAD_ENTRY):
                continue

    def _shard_view(
        self, shards: dict[str, str], key: str, view: str, read: dict[Path, dict]
    ) -> list | bytes:
        """A shard's part of ``view`` (``p``: its people, the bytes unpacked; none when there is no
        such shard); ``read``: the views parts read so far, by path (each is read once)."""
        from ..packed import unpack
        from .layout import shard_views_name, skeleton_names

        name = shards.get(key)
        if name is None:
            return b"[]" if view == "p" else []
        if view == "p":
            return unpack(safefs.read_own(self.shard_dir / skeleton_names(name)[2]))
        path = self.shard_dir / shard_views_name(name)
        if path not in read:
            read[path] = self._read_views(path)
        found = read[path][view]
        if not isinstance(found, list):
            raise ValueError(f"{path.name} holds no list")
        return found

    def _read_part(self, path: Path, view: str = "a") -> list:
        """The list a packed part of the views holds (``{"a": [...]}``, ``view`` its key)."""
        found = self._read_views(path)[view]
        if not isinstance(found, list):
            raise ValueError(f"{path.name} holds no list")
        return found

    @staticmethod
    def _read_views(path: Path) -> dict:
        """A packed part of the views: each view's list by its key."""
        from ..packed import unpack

        found = orjson.loads(unpack(safefs.read_own(path)))
        if not isinstance(found, dict):
            raise ValueError(f"{path.name} holds no views")
        return found

    @staticmethod
    def _keep_packed(path: Path, data: bytes) -> None:
        """Keep what the first reader merged, packed, for the next (its name is of this
        generation of shards, so it is never stale)."""
        from ..packed import pack
        from . import fs

        try:
            fs.atomic_write(path, pack(data), sync=False)
        except OSError:
            pass  # a full disk: the next reader merges it again

    def _lock(self) -> CacheLock:
        return CacheLock(self.lock_path, LOCK_TIMEOUT)

    def update(self, progress: Progress | None = None) -> IndexReport:
        """Bring the cache up to date with the files, without building the library.

        Raises :class:`CacheUnavailable` when the cache cannot be used now.
        """
        from .indexer import update_or_rebuild

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
                    report = update_or_rebuild(self, progress)
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

    def _claim(self, chain: bool = True, listing: bool = True) -> None:
        """Raise :class:`safefs.Refused` unless every path of the cache is this user's own:
        its folders (:func:`safefs.check_chain`), the index (a regular file of this user's that
        no one else can write, and a tuibrowser cache: :func:`own.is_index`), the lock, and
        the shards' folder (:func:`check_shard_dir`). Nothing is renamed, chmodded or deleted
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
        remove_own(self.shard_dir, index.meta.parts() if index is not None else set())

    def _drop_unused(
        self, keep: set[str], superseded: list[str], listed: set[str] | None = None
    ) -> None:
        """Delete the parts no index names any more (readers of the old index retry);
        ``listed``: the names in the folder, when they were listed under this lock."""
        from .layout import part_names

        for name in superseded:
            for gone in part_names(name):
                if gone not in keep and OWN_NAME.fullmatch(gone):
                    try:
                        if not safefs.file_problem(os.lstat(self.shard_dir / gone)):
                            os.unlink(self.shard_dir / gone)
                    except OSError:
                        pass
        # left by a writer killed before it wrote the index, or its temporary files
        remove_own(self.shard_dir, keep, older_than=STALE_TEMP_SECONDS, names=listed)

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


def _listed(
    as_rows: Callable[[list[_R]], list], from_rows: Callable[[list], list[_R]]
) -> tuple[Callable[[list[_R]], dict], Callable[[dict], list[_R]]]:
    """A merged view that is a list, kept as a table's ``a`` (:meth:`Cache._merged`)."""

    def from_table(table: dict) -> list[_R]:
        rows = table["a"]
        if not isinstance(rows, list):
            raise ValueError("the view holds no list")
        return from_rows(rows)

    return lambda found: {"a": as_rows(found)}, from_table


def open_library(
    root: Path,
    cache_path: Path | None = None,
    use_cache: bool = True,
    public: bool = False,
    progress: Progress | None = None,
) -> tuple[Library, IndexReport]:
    """The up-to-date library for ``root``: through the cache, or straight from the files."""
    from .loading import load_library, open_store

    return load_library(open_store(root, cache_path, not use_cache, public), progress)
