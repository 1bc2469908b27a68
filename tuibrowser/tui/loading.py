"""Loading the library for the browser: store → meeting list → library, in a thread.

:class:`Loader` is the work of the app's loading worker. It waits for the first frame, posts
the whole meeting list as cached (:class:`MeetingsListed`), brings the cache up to date with
the files — an :class:`~.indexing.IndexTicker` keeps the files done, which the app shows on the
meeting list with :func:`show_index_progress` — posts the list again if the index changed
it, and posts the library (:class:`LibraryLoaded`, with a :class:`LoadResult`) or why it
could not be read (:class:`LibraryFailed`). It talks to the app only through those messages;
what the app says about a result is :func:`what_to_say`.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from ..listing import MeetingRow
from ..state import SeenState
from ..store import IndexReport, MeetingStore, load_library
from ..store.layout import MERGED_VIEWS
from ..store.protocol import AnswersOnDemand
from .early import EarlySearch
from .indexing import IndexBar, IndexCancelled, IndexTicker

if TYPE_CHECKING:  # the first frame shows cached rows: the model comes with the library
    from ..change_log import Found
    from ..library import Library
    from ..model import Problem
    from ..people_figures import PersonFigures
    from ..search.cached import CachedIndex


@dataclass
class LoadResult:
    """What the loading worker found: the library, the files it skipped, what is new.

    ``restricted`` are the files and folders the user may not read: not errors (someone
    else's files), shown apart from them."""

    library: Library
    fresh: bool
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    new: set[str] = field(default_factory=set)
    note: str | None = None
    rows: list[MeetingRow] | None = None
    restricted: list[Problem] = field(default_factory=list)
    slow_yaml: str | None = None  # files were parsed without PyYAML's C loader: why it was slow
    changes_pending: bool = False  # what changed is sought after the library is posted
    one_process: str | None = None  # why the index could not share its work out to processes
    total: int | None = None  # meetings in all, when ``rows`` is the list's first page only

    @property
    def status_note(self) -> str:
        """The one-line note for a status bar: files skipped, files restricted."""
        parts = []
        skipped = len({p.path for p in self.skipped})
        if skipped:
            parts.append(f"{skipped} file{'s' if skipped != 1 else ''} skipped")
        restricted = len({p.path for p in self.restricted})
        if restricted:
            parts.append(f"{restricted} restricted (not readable by you)")
        if not parts:
            return ""
        return ", ".join(parts) + (" — press ! to see why" if skipped else " — press ! to see")


def sorted_problems(
    library: Library, *reported: list[Problem]
) -> tuple[list[Problem], list[Problem], list[Problem]]:
    """(errors, warnings, restricted) from what a refresh reported and what the library
    found. A refresh reports each file's problems and the folder scan's (links, depth); the
    library adds those of the merge (two minutes files for one meeting) — what ``check``
    prints. Each problem once."""
    seen: set[tuple] = set()
    out: dict[str, list[Problem]] = {"error": [], "warning": [], "restricted": []}
    for p in [q for group in reported for q in group] + list(library.problems):
        key = (p.path, p.line, p.message, p.severity)
        if key in seen:
            continue
        seen.add(key)
        out[p.severity if p.severity in out else "warning"].append(p)
    return out["error"], out["warning"], out["restricted"]


class MeetingsListed(Message):
    """Posted by the loading worker: the whole meeting list as cached (the first frame shows
    its first page), before any document is read."""

    def __init__(self, rows: list[MeetingRow], new: set[str]) -> None:
        super().__init__()
        self.rows = rows
        self.new = new


class NewFound(Message):
    """Posted by the loading worker right after the first frame: the meetings of the list
    shown then that are new or changed since the user last looked (the seen-state file is
    read here, not before the first frame: at 10,000 meetings it is half a megabyte)."""

    def __init__(self, new: set[str]) -> None:
        super().__init__()
        self.new = new


class LibraryLoaded(Message):
    """Posted by the loading worker once the library is up to date with the files."""

    def __init__(self, result: LoadResult) -> None:
        super().__init__()
        self.result = result


class ChangesFound(Message):
    """Posted by the loading worker after :class:`LibraryLoaded`: what changed in each meeting
    since the user last looked (sought after the library is shown, so that a big archive's
    first look at its changes never holds the library back), or why it could not be told."""

    def __init__(self, found: Found, problem: str | None) -> None:
        super().__init__()
        self.found = found
        self.problem = problem


class LibraryFailed(Message):
    """Posted by the loading worker when the meetings could not be read at all."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class Loader:
    """The loading worker's work for one meetings folder (``run`` is called in a thread).

    ``store`` opens the folder's store; ``post`` posts a message to the app; ``stop``, once
    set, stops an index that is running (the app is closing). ``remember``: mark the meetings
    new since the last look in ``state`` and find what changed in them."""

    def __init__(
        self,
        store: Callable[[], MeetingStore],
        post: Callable[[Message], object],
        stop: threading.Event,
        root: Path,
        public: bool,
        state: SeenState,
        remember: bool,
    ) -> None:
        self.store = store
        self.post = post
        self.stop = stop
        self.root = root
        self.public = public
        self.state = state
        self.remember = remember
        self.ticker: IndexTicker | None = None  # the progress of the index running
        # search before the library: the cache's files answer (see ``early``)
        self.early = EarlySearch()
        self._quiet = False  # no meeting new, changed or gone since the last look
        # a store's whole meeting list (the app holds a page of it), to seek what changed in
        self.every: list[MeetingRow] | None = None

    def run(
        self, painted: threading.Event, shown: Callable[[], tuple[list[MeetingRow] | None, int]]
    ) -> None:
        """Show the cached meeting list (instant), then bring the cache up to date with the
        files and load the library, once the first frame is ``painted``. ``shown``: the
        meeting rows the app has (the first frame's may be the first page only), and the
        number of meetings in all."""
        try:
            painted.wait(timeout=2.0)
            rows, total = shown()
            new = self.new(rows) if rows else set()
            if new:  # marked on the list shown before anything else is read
                self.post(NewFound(new))
            if rows:  # the list is the cache's: so is the search, until the library is read
                # Topics first: its list is read in milliseconds, the dashboard's a quarter
                # of a second at 50,000 meetings, which Topics asked for waited for
                views = {"topics": self._cached("topics"), "ratings": self._cached("ratings")}
                self.early.open(self._files_index, self._people_figures, views, *self._kept())
            else:
                self.early.close()
            result = self._load(rows, total)
            self.post(LibraryLoaded(result))
            if result.changes_pending and result.rows is not None:
                quiet = self._quiet
                every = self.every if self.every is not None else result.rows
                found, problem = self._look_for_changes(result.library, every, quiet)
                self.post(ChangesFound(found, problem))
        except IndexCancelled:
            pass  # the app is closing
        except Exception as exc:  # noqa: BLE001 - shown to the user, the app stays usable
            self.post(LibraryFailed(f"{type(exc).__name__}: {exc}"))

    def _files_index(self) -> CachedIndex | None:
        """The search index of the cache's files (None: the store keeps none)."""
        from ..store.cache import Cache

        store = self.store()
        return store.files_index() if isinstance(store, Cache) else None

    def _people_figures(self) -> list[PersonFigures] | None:
        """The People list's figures of the cache's parts (None: the store keeps none)."""
        from ..store.cache import Cache

        store = self.store()
        return store.people_figures() if isinstance(store, Cache) else None

    def _kept(self) -> tuple[bool, bool]:
        """Whether the cache keeps the merged Topics and ratings already, and the People
        list's figures (False on a store, or when they cannot be told)."""
        from ..store.cache import Cache

        store = self.store()
        try:
            if not isinstance(store, Cache):
                return False, False
            kept = store.kept_views([*MERGED_VIEWS, "views"])
        except Exception:  # noqa: BLE001 - read in a thread of their own, as when not kept
            return False, False
        return kept >= set(MERGED_VIEWS), "views" in kept

    def _cached(self, view: str) -> Callable[[], object]:
        """What reads a screen's view of the cache's parts (``ratings``: the dashboard's
        first tab, ``topics``); it gives None when the store keeps none."""

        def read() -> object:
            from ..store.cache import Cache

            store = self.store()
            if not isinstance(store, Cache):
                return None
            return store.ratings() if view == "ratings" else store.topics()

        return read

    def _load(self, rows: list[MeetingRow] | None, total: int) -> LoadResult:
        from ..store.reader import CacheReader

        store = self.store()
        if isinstance(store, AnswersOnDemand):
            return self._on_demand(store, store, rows, total)
        if isinstance(store, CacheReader):  # a query before the library goes first
            store.between_shards = self.early.hold
        if rows is not None and len(rows) < total:
            # the rest of the list, so the filter and the sort see every meeting
            rows = store.rows()
            if rows:
                self.post(MeetingsListed(rows, self.new(rows)))
        ticker = self.ticker = IndexTicker(self.stop)

        def listed(report: IndexReport) -> None:
            nonlocal rows
            ticker.finish()  # the index is written: the bar goes with the list it fills
            if report.written or rows is None:
                rows = store.rows()
                if rows:  # the list as indexed, before the library is loaded
                    self.post(MeetingsListed(rows, self.new(rows)))

        try:
            # without the long texts: an item's are read when it is opened
            lib, report = load_library(store, ticker, texts=False, listed=listed)
        finally:
            ticker.finish()
        if report.unused:  # the files were read: the list is the library's
            rows = None
        elif report.rebuilt:
            rows = store.rows()
        if rows is None:
            rows = lib.rows()
        # The library lives as long as the app: keep the collector from walking it again.
        gc.freeze()
        skipped, warnings, restricted = sorted_problems(
            lib, report.skipped, report.warnings, report.restricted
        )
        result = LoadResult(
            lib, True, skipped, warnings, self.new(rows), report.note, rows, restricted
        )
        if report.read:
            from ..yamlsafe import slow_loader_warning

            result.slow_yaml = slow_loader_warning()
        result.one_process = report.one_process
        if self.remember:
            self._remember(result, lib, rows)
        return result

    def _on_demand(
        self,
        store: AnswersOnDemand,
        listing: MeetingStore,
        rows: list[MeetingRow] | None,
        total: int,
    ) -> LoadResult:
        """The library of a store that answers on demand: no meeting read (the list pages
        in SQL, a meeting is read when it is opened), the folder's problems told. The meetings
        new since the last look are marked from the list's rows (an id and a fingerprint
        each, read in SQL), and remembered; what changed in them is told as on the cache,
        reading only the meetings that changed (:mod:`tuibrowser.change_log`)."""
        lib = store.on_demand()
        skipped, warnings, restricted = sorted_problems(lib)
        every: list[MeetingRow] = []
        if self.remember:
            every = listing.rows() or []
        result = LoadResult(lib, True, skipped, warnings, self.new(every), None, rows, restricted)
        result.total = max(total, len(rows or ()))
        if self.remember:
            self.every = every  # what changed is sought in the whole list, not the page shown
            self._remember(result, lib, every)
        return result

    def _remember(self, result: LoadResult, lib: Library, rows: list[MeetingRow]) -> None:
        """Mark ``rows`` as seen, and find what changed since the last look (``result``)."""
        # nothing new, changed or gone since the last look: the changes are not sought
        before = self._seen_before()
        quiet = not result.new and before == {r.id for r in rows}
        try:
            self.state.remember(self.root, rows, self.public)
        except OSError:
            pass  # marking new meetings is a convenience; never fail the app over it
        if self.state.problem is None:  # one feature: the marks and what changed
            self._quiet = quiet
            result.changes_pending = True  # sought once the library is posted (``run``)

    def new(self, rows: list[MeetingRow]) -> set[str]:
        """The meetings of ``rows`` new or changed since the user last looked."""
        if not self.remember:
            return set()
        try:
            return self.state.changed(self.root, rows, self.public)
        except OSError:
            return set()

    def _seen_before(self) -> set[str] | None:
        try:
            seen = self.state.seen(self.root, self.public)
        except OSError:
            return None
        return set(seen) if seen is not None else None

    def _look_for_changes(
        self, lib: Library, rows: list[MeetingRow], quiet: bool = False
    ) -> tuple[Found, str | None]:
        """What changed in each meeting since the user last looked, remembered as seen now
        (the changes files sit beside the seen-state file). ``quiet``: no meeting changed,
        so only the log of the changes found before is read."""
        from ..change_log import ChangeLog, Found

        log = ChangeLog(self.state.path.parent / "changes")
        try:
            if quiet:
                found = log.read(self.root, self.public)
                return found, log.problem
            return log.update(self.root, lib, rows, self.public), None
        except OSError as exc:
            return Found(), log.problem or f"cannot write the changes file: {exc.strerror or exc}"


def show_index_progress(home: Screen | None, ticker: IndexTicker | None) -> None:
    """Show the files done of a running index on the meeting list ``home``, or take the bar
    away."""
    if home is None:
        return
    figures = ticker.to_show() if ticker is not None else None
    bars = list(home.query(IndexBar))
    if figures is None:
        for bar in bars:
            bar.remove()
    elif bars:
        bars[0].show(*figures)
    else:
        bar = IndexBar(*figures, id="index-progress")
        home.mount(bar, before=home.query_one("#status-line"))


def what_to_say(
    result: LoadResult, first: bool, told: tuple[int, int], seen_problem: str | None
) -> list[tuple[str, SeverityLevel]]:
    """What the app says when a library is loaded: (text, severity), in order. ``first``: the
    first library of the app; ``told``: the files skipped and restricted it told of last time
    (told again only when their number changed); ``seen_problem``: why new meetings cannot
    be marked, if the app marks them."""
    if not result.fresh:
        return []
    out: list[tuple[str, SeverityLevel]] = []
    if result.note:
        out.append((f"Cache: {result.note}.", "information"))
    if seen_problem:
        out.append((f"{seen_problem}; new meetings are not marked.", "warning"))
    if result.slow_yaml:
        out.append((result.slow_yaml, "warning"))
    if result.one_process:
        out.append((f"Indexed in one process ({result.one_process}).", "warning"))
    if result.skipped and (first or told[0] != len(result.skipped)):
        n = len({p.path for p in result.skipped})
        out.append((f"{n} file{'s' if n != 1 else ''} skipped — press ! to see why", "warning"))
    if result.restricted and (first or told[1] != len(result.restricted)):
        n = len({p.path for p in result.restricted})
        files = f"{n} file{'s' if n != 1 else ''}"
        out.append((f"{files} restricted (not readable by you) — press ! to see", "information"))
    return out
