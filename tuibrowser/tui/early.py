"""Search before the library is loaded: the cache's files answer, as ``tuibrowser search`` does.

When the first frame is painted from the cache's index, the loading worker opens the search
index of the cache's files (:meth:`~tuibrowser.store.cache.Cache.files_index`: word lists,
titles, segments and people, no document) before it loads the library, and hands it to an
:class:`EarlySearch`. Every month's titles and word list are then read in a
thread of its own (mostly waiting on the disk, beside the library's loading), so the first
query is as quick as the next. The search screen asks it while the app has no library: the same answer
as the library's search (a test holds them equal), seconds before the library is read. Once
the library is there, the screen asks the library.

The People list's figures are read from the cache's parts the same way, right after the index
is opened (:meth:`EarlySearch.open_people`): the People screen lists everyone with their
attendance before the library is loaded. Then Topics' list and the dashboard's ratings
(:meth:`EarlySearch.open_view`): those screens too show what the library would, before it is.
A screen asked for before its part is read (:meth:`EarlySearch.want`) has it read next, before
the index or the other parts, when the part is merged already (milliseconds).

While a query runs, the library's loading waits between two shards (``hold``): the user
is waiting for that answer, and the two would share the interpreter.

Queries run in the screen's thread workers: one at a time (a query fills the index's titles
before it ranks them). A part of the cache replaced meanwhile (another process refreshed it)
opens the index again, once; when it still cannot answer, :meth:`EarlySearch.query` gives None
and the screen waits for the library.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..people_figures import PersonFigures
    from ..search import Results
    from ..search.cached import CachedIndex

WAIT = 30.0  # seconds a query waits for the index to be opened before it waits for the library
HOLD = 5.0  # seconds the library's loading waits at most for a query to be answered


class EarlySearch:
    """The search index of the cache's files, opened in the loading worker (``open``), queried
    from the search screen's workers (``query``) until the library is loaded."""

    def __init__(self) -> None:
        self._index: CachedIndex | None = None
        self._opener: Callable[[], CachedIndex | None] | None = None
        self._done = threading.Event()  # opened, failed, or no longer wanted
        self._lock = threading.Lock()  # one query at a time (the titles' preload is one)
        # the parts read (figures, views) and whether the library is here: apart from the
        # queries', so that a part read waits for no query or preload (a third of a second at
        # 50,000 meetings)
        self._state = threading.Lock()
        self._wanted: list[str] = []  # the parts asked for by the user, first first
        self._idle = threading.Event()  # no query running: the library's loading goes on
        self._idle.set()
        self._figures: list[PersonFigures] | None = None
        self._views: dict[str, Any] = {}  # the other screens' (open_view), by name
        self._closed = False  # the library is loaded (or could not be)
        self._drawn = threading.Event()  # no screen of the cache's parts being drawn
        self._drawn.set()
        self._drawn_by = 0.0  # when the library's loading goes on regardless
        self._people_wanted = False  # People asked for before its figures are read
        self.people_kept = False  # its figures are merged already: read in a moment

    def open(
        self,
        opener: Callable[[], CachedIndex | None],
        people: Callable[[], list[PersonFigures] | None] | None = None,
        views: dict[str, Callable[[], Any]] | None = None,
        views_kept: bool = False,
        people_kept: bool = False,
    ) -> bool:
        """Open the index with ``opener`` (in the loading worker), then read the People
        list's figures with ``people`` (:meth:`open_people`, before the titles and word lists
        are read beside them: a fifth of a second, that would take seconds sharing the
        interpreter), then the other screens' ``views`` (:meth:`open_view`, by name): here
        when they are ``views_kept`` (merged already, milliseconds: a thread of their own
        cost the browser about 6 MB at its peak, the allocator's arena of a thread), else in
        a thread of their own, so that the library's loading does not wait for the first
        reader's grouping of every title; False when the index cannot be opened. The People
        list's figures are read first, before the index is opened, when they are
        ``people_kept`` (merged already, a fifth of a second) and People is asked for
        (:meth:`want_people`): it waits for nothing else (the index's people, listed meanwhile
        by the screen that waits, took the interpreter a second at 10,000 meetings); else
        after it (read first, they cost the browser 3 MB at its peak). While a screen of the
        parts is drawn (:meth:`drawing`), the rest waits for it, as the library's loading
        does."""
        self.people_kept = people_kept
        views = dict(views or {})
        if people is not None and people_kept and self._people_wanted:
            self.open_people(people)
            people = None
        if views_kept:
            self._open_wanted(views)
        try:
            index = opener()
        except Exception:  # noqa: BLE001 - the library's search answers instead
            index = None
        with self._lock:
            self._opener = opener
            self._index = index
        self._done.set()
        if index is not None and views_kept:
            self._open_wanted(views)  # (asked for while the index was opened)
        if index is not None and people is not None:
            self.open_people(people)
        self._wait_drawn()  # a screen of the parts (People, read first) before the rest
        if index is not None and views and views_kept:
            self._open_views(views)  # milliseconds: before the preload shares the interpreter
        if index is not None:  # the titles and word lists read beside the library's loading
            threading.Thread(target=self._preload, name="early-search", daemon=True).start()
        if index is not None and views and not views_kept:  # beside the library's loading:
            # the first reader of a generation groups every title for Topics (seconds at
            # 10,000 meetings)
            threading.Thread(
                target=self._open_views, args=(views,), name="early-views", daemon=True
            ).start()
        return index is not None

    def _open_wanted(self, views: dict[str, Callable[[], Any]]) -> None:
        """Read the parts of ``views`` the user asked for (taken out of ``views``)."""
        for name in list(self._wanted):
            reader = views.pop(name, None)
            if reader is not None:
                self.open_view(name, reader)

    def _open_views(self, views: dict[str, Callable[[], Any]]) -> None:
        """Read the parts of ``views``, those asked for first."""
        self._open_wanted(views)
        for name, reader in views.items():
            self.open_view(name, reader)

    def _preload(self) -> None:
        with self._lock:  # a query typed meanwhile waits for it: it would read them anyway
            index = self._index
            if index is None:
                return
            try:
                index.preload()
            except Exception:  # noqa: BLE001 - a part replaced: the query opens it again
                pass

    def close(self) -> None:
        """The library is loaded (or could not be): no query waits for the index any more."""
        with self._state:
            self._figures = None
            self._views = {}
            self._closed = True
        with self._lock:
            self._index = None
            self._opener = None
        self._done.set()

    def open_people(self, reader: Callable[[], list[PersonFigures] | None]) -> bool:
        """Read the People list's figures with ``reader`` (in the loading worker, once the
        index is open); False when they cannot be (the People screen waits for the library)."""
        try:
            found = reader()
        except Exception:  # noqa: BLE001 - the library's figures answer instead
            found = None
        with self._state:
            if self._closed:
                return False  # the library is here
            self._figures = found
        return found is not None

    def want_people(self) -> None:
        """People is asked for before its figures are read: they are read first (``open``)."""
        self._people_wanted = True

    def want(self, name: str) -> None:
        """The screen of the part ``name`` (``topics``, ``ratings``) is asked for before the
        part is read: it is read next (``open``), when it is merged already."""
        if name not in self._wanted:
            self._wanted.append(name)

    def open_view(self, name: str, reader: Callable[[], Any]) -> bool:
        """Read what the screen ``name`` shows with ``reader`` (in the loading worker, as
        :meth:`open_people`); False when it cannot be (the screen waits for the library)."""
        try:
            found = reader()
        except Exception:  # noqa: BLE001 - the library answers instead
            found = None
        with self._state:
            if self._closed:
                return False  # the library is here
            if found is not None:
                self._views[name] = found
        return found is not None

    def view(self, name: str) -> Any:
        """What the screen ``name`` shows as the cache's parts give it (:meth:`open_view`),
        None when it is not read (yet, or the library is here)."""
        return self._views.get(name)

    def figures(self) -> list[PersonFigures] | None:
        """The People list's figures as the cache's parts give them, None when they are not
        read (yet, or the library is here)."""
        return self._figures

    def people(self) -> list[list[Any]] | None:
        """The people of the folder as the cache's files name them ([key, display name,
        names, authorities, roles, groups], sorted by key), None when the index is not open."""
        index = self._index
        return index.people if index is not None else None

    @property
    def waiting(self) -> bool:
        """The index is still being opened."""
        return not self._done.is_set()

    def hold(self) -> None:
        """Called by the library's loading between two shards: wait while a query runs (the
        two would share the interpreter, and the user is waiting for the answer), but never
        longer than a query may take. Wait too while a screen made of the cache's parts is
        drawn (:meth:`drawing`), but no longer than :data:`HOLD` in all."""
        self._idle.wait(HOLD)
        self._wait_drawn()

    def _wait_drawn(self) -> None:
        """Wait while a screen of the cache's parts is drawn (:meth:`drawing`), but no longer
        than :data:`HOLD` since it began."""
        if not self._drawn.is_set():
            self._drawn.wait(max(0.0, self._drawn_by - time.monotonic()))

    def drawing(self) -> None:
        """A screen made of the cache's parts is being drawn (People): the library's loading
        waits until it is (:meth:`drawn`), or :data:`HOLD` seconds at most; the user is
        waiting for that screen, and the two would share the interpreter."""
        self._drawn_by = time.monotonic() + HOLD
        self._drawn.clear()

    def drawn(self) -> None:
        """The screen of :meth:`drawing` is on the terminal (or gone)."""
        self._drawn.set()

    def query(self, query: str, limit: int | None) -> Results | None:
        """The hits of ``query`` read from the cache's files, or None when they cannot be
        (no index, or the library is here: ask it)."""
        self._done.wait(WAIT)
        self._idle.clear()
        try:
            return self._query(query, limit)
        finally:
            self._idle.set()

    def _query(self, query: str, limit: int | None) -> Results | None:
        with self._lock:
            for attempt in range(2):
                index = self._index
                if index is None:
                    return None
                try:
                    return index.query(query, limit)
                except Exception:  # noqa: BLE001 - a part replaced by a refresh: open again
                    if attempt or self._opener is None:
                        self._index = None
                        return None
                    try:
                        self._index = self._opener()
                    except Exception:  # noqa: BLE001
                        self._index = None
        return None
