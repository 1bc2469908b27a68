"""The browser app: owns navigation, the global keys and what the screens ask of it.

Start-up never waits for the files: the first frame shows the first page of the meeting list
as the cache's index holds it (a few KB, no documents; "Loading…" when there is no cache yet).
A thread worker then does the loading (``loading``: the rest of the list, the cache brought up
to date with the files — a bar shows the files done when that takes a while — and the
library), and the app takes what it posts (``MeetingsListed``, ``LibraryLoaded``) to the
screens. Every screen but the meeting list is imported inside the action that opens it, so
the first frame does not wait for them; one whose data is not all read yet (the library
loading, a store's parts) is opened by ``opening``'s ``ScreenOpener``, mixed in.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen

from ..listing import MeetingRow
from ..state import SeenState
from ..store import MeetingStore, open_store
from ..store.protocol import MeetingPages
from ..text import one_line
from .commands import BrowserCommands
from .ending import end_on_signals, restore
from .errors import SafetyNet
from .host import Updates
from .indexing import EVERY
from .loading import (
    ChangesFound,
    LibraryFailed,
    LibraryLoaded,
    Loader,
    LoadResult,
    MeetingsListed,
    NewFound,
    show_index_progress,
    sorted_problems,
    what_to_say,
)
from .opening import ScreenOpener

if TYPE_CHECKING:  # the first frame shows cached rows: the model comes with the library
    from ..change_log import Found
    from ..library import Library
    from ..search import Results
    from ..store.reader import ListHead

# the store of ``--store URL``, connected, and the first page of its meeting list
FirstFrame = tuple["MeetingStore", "ListHead | None"]

__all__ = ["LoadResult", "TuiBrowserApp", "run", "screen_name", "sorted_problems"]


# the screens of the keys P, T, A, D and C, by the name of their class (not imported before they
# are opened, so the first frame does not wait for them)
LIST_SCREENS = {
    "people": "PeopleScreen",
    "topics": "TopicsScreen",
    "decisions": "DecisionsScreen",
    "dashboard": "DashboardScreen",
    "changes": "ChangesScreen",
}


class TuiBrowserApp(SafetyNet, ScreenOpener, App):
    """Browse meetings, items, people, topics, decisions and KPIs."""

    # Where CSS lives: a screen's rules in its DEFAULT_CSS, each selector starting with the
    # screen's class (``MeetingsScreen #filter``), so its ids reach nothing else and it looks
    # the same on any app; a widget's in the widget's. Here only the classes screens share.
    DEFAULT_CSS = """
    Screen {
        layout: vertical;
    }
    .heading {
        height: 1;
        text-style: bold;
        color: $accent;
        padding: 0 1;
    }
    """
    TITLE = "tuibrowser"
    COMMANDS = App.COMMANDS | {BrowserCommands}

    BINDINGS = [
        # Capitals, symbols and Ctrl: on a list, small letters type into its filter (see
        # ``widgets.textbox``), so no key that leaves a screen is one a word is made of.
        Binding("M", "meetings", "Meetings", show=False, id="app.meetings"),
        Binding("slash", "search", "Search", id="app.search"),
        Binding("P", "people", "People", show=False, id="app.people"),
        Binding("T", "topics", "Topics", show=False, id="app.topics"),
        Binding("A", "decisions", "Decisions", show=False, id="app.decisions"),
        Binding("D", "dashboard", "KPIs", show=False, id="app.dashboard"),
        Binding("C", "changes", "Changes", show=False, id="app.changes"),
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("exclamation_mark", "problems", "Problems", show=False, id="app.problems"),
        Binding("escape", "back", "Back", id="app.back"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(
        self,
        root: Path,
        cache_path: Path | None = None,
        use_cache: bool = True,
        public: bool = False,
        state: SeenState | None = None,
        remember: bool = True,
        store_url: str | None = None,
    ) -> None:
        super().__init__()
        self.root = Path(root)
        self.cache_path = cache_path
        self.use_cache = use_cache
        self.public = public
        self.store_url = store_url  # a shared PostgreSQL store instead of the cache
        self._shared: MeetingStore | None = None
        # the meeting list's pages, asked of the store in SQL (a store that pages the list
        # itself), on a connection of their own so the library's loading never holds them up;
        # None: the list filters and sorts the rows it holds (the cache, the files)
        self.list_pages: MeetingPages | None = None
        # the first page when it was read before the app started (``run``), else False
        self.first_page: ListHead | None | Literal[False] = False
        self.state = state if state is not None else SeenState()
        self.remember = remember
        self.library: Library | None = None
        self.meeting_rows: list[MeetingRow] | None = None
        self.meeting_total = 0  # meetings in all (meeting_rows may be the first page only)
        self._painted = threading.Event()
        # the collector, paused by the command line until the first frame: resumed then
        self.gc_paused = False
        self._stop_index = threading.Event()  # the loading worker stops an index when set
        self._signals: list[int] = []  # SIGTERM and SIGHUP, while they end the app (ending)
        self.loaded: LoadResult | None = None
        self.load_error: str | None = None
        self.new_meetings: set[str] = set()
        self.updates = Updates(self)  # the list and the library, to the screens that show them
        self.user_keymap: dict[str, str] = {}  # binding id → keys, as the user's keymap set them
        self._clashes_told: set[tuple[str, str]] = set()  # Textual's keys the keymap took, told
        self.changes: Found | None = None  # what changed since the user last looked
        # what the user opened before the library was loaded, on the screen it was asked from
        self._pending: tuple[Screen, Callable[[], None]] | None = None
        self.loader = Loader(
            self._store,
            self.post_message,
            self._stop_index,
            self.root,
            public,
            self.state,
            remember,
        )

    # -- start-up ----------------------------------------------------------------

    def on_mount(self) -> None:
        self._signals = end_on_signals(self._ended_by_signal, self._stop_index)
        # The meeting list as cached (a small table, no documents) is what the first
        # frame shows: read it here, so that frame is painted once, with the list in it.
        # Only the first page and the number of meetings: the index alone, a few KB.
        head = self._store().head() if self.first_page is False else self.first_page
        self.list_pages = self._pages()
        self.first_page = False
        if head is not None and head.rows:
            self.meeting_rows = head.rows
            self.meeting_total = head.total
            # what is new in it is marked once the first frame is out (``on_new_found``)
        self.apply_user_keymap()
        self._progress_timer = self.set_interval(EVERY, self._show_index_progress)
        self.load_library()

    def _store(self) -> MeetingStore:
        if self.store_url:  # one store, one connection, for the app's life
            if self._shared is None:
                self._shared = open_store(self.root, public=self.public, store_url=self.store_url)
            return self._shared
        return open_store(self.root, self.cache_path, not self.use_cache, self.public)

    def _pages(self) -> MeetingPages | None:
        """A store of its own for the meeting list's queries, when the store pages the list
        (it connects on its first query, in the list's worker)."""
        if not self.store_url or not isinstance(self._store(), MeetingPages):
            return None
        pages = open_store(self.root, public=self.public, store_url=self.store_url)
        return pages if isinstance(pages, MeetingPages) else None

    def get_default_screen(self) -> Screen:
        # The meeting list is the first screen itself (not pushed over an empty one), so the
        # first frame is painted once.
        from .screens.meetings import MeetingsScreen

        return MeetingsScreen()

    def first_frame_out(self) -> None:
        """Called by the meeting list once its first frame is painted: the loading worker
        waits for it before the work that holds the interpreter."""
        self.resume_gc()
        self._painted.set()

    def resume_gc(self) -> None:
        """Resume the collector the command line paused until the first frame (``run``).

        What was made until then (the modules, the first screen: about 80,000 objects, a few
        hundred KB of them garbage cycles) lives as long as the app: it is frozen, so that
        no later pass walks it again (as the library is once loaded)."""
        if self.gc_paused:
            self.gc_paused = False
            gc.freeze()
            gc.enable()

    # -- the user's keymap (see ``keymap``) ---------------------------------------------

    def apply_user_keymap(self) -> None:
        from .keymap import apply_user_keymap

        self.user_keymap = apply_user_keymap(self)

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: DOMNode) -> None:
        from .keymap import tell_clashes

        tell_clashes(self, self.user_keymap, clashed_bindings, node, self._clashes_told)

    @work(thread=True, exclusive=True, group="library")
    def load_library(self) -> None:
        """Show the cached meeting list (instant), then bring the cache up to date with the
        files and load the library (see ``loading``)."""
        self.loader.run(self._painted, lambda: (self.meeting_rows, self.meeting_total))

    def on_unmount(self) -> None:
        self._stop_index.set()  # an index still running stops, so the app's exit does not wait
        if self.list_pages is not None:  # the list's query still running stops, then its link
            self.list_pages.interrupt()
            self.list_pages.close()
        restore(self._signals)

    def _ended_by_signal(self, status: int) -> None:
        """Exit with ``status``: SIGTERM or SIGHUP came (see ``ending``)."""
        self.exit(return_code=status)

    def _show_index_progress(self) -> None:
        """Show the files done of a running index on the meeting list, or take the bar away."""
        show_index_progress(self._home(), self.loader.ticker)

    def _loading_over(self) -> None:
        self._progress_timer.stop()
        self.loader.ticker = None
        self._show_index_progress()

    def on_new_found(self, message: NewFound) -> None:
        """The meetings of the first frame's list new since the last look: marked on it."""
        if self.library is not None:
            return  # the library came first: it has them
        self.new_meetings = message.new
        self.updates.marks.publish(message.new)

    def on_meetings_listed(self, message: MeetingsListed) -> None:
        if self.library is not None:
            return  # the library came first: it has the list
        self.meeting_rows = message.rows
        self.meeting_total = len(message.rows)
        self.new_meetings = message.new
        self._show_index_progress()  # an index that has written the list has no bar left
        self.updates.rows.publish(message.rows)

    def early_drawn(self) -> None:
        """A screen made of the cache's parts is drawn: the library's loading goes on."""
        self.loader.early.drawn()

    def search_early(self, query: str, limit: int | None) -> Results | None:
        """The hits of ``query`` read from the cache's files while the library loads (see
        ``early``); None once it is loaded, or when the cache cannot answer."""
        if self.library is not None:
            return None
        return self.loader.early.query(query, limit)

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        self._loading_over()
        self.loader.early.close()
        result = message.result
        first = self.library is None
        self.library = result.library
        self.loaded = result
        self.meeting_rows = result.rows
        self.meeting_total = result.total if result.total is not None else len(result.rows or ())
        self.new_meetings = result.new
        self.load_error = None
        self.updates.library.publish(result.library)
        problem = self.state.problem if self.remember else None
        told = (self._announced, self._restricted)
        for text, severity in what_to_say(result, first, told, problem):
            self.say(text, severity)
        self._announced = len(result.skipped) if result.fresh else 0
        self._restricted = len(result.restricted) if result.fresh else 0
        pending, self._pending = self._pending, None
        if pending is not None and self.screen is pending[0]:
            pending[1]()  # what the user opened meanwhile, unless they left that screen

    def on_changes_found(self, message: ChangesFound) -> None:
        self.changes = message.found
        if self.loaded is not None:
            self.loaded.changes_pending = False
        if message.problem:
            self.say(f"{message.problem}; changes are not told.", "warning")
        self.updates.changes.publish(message.found)

    _announced = 0
    _restricted = 0

    def on_library_failed(self, message: LibraryFailed) -> None:
        self._loading_over()
        self.loader.early.close()
        self._pending = None
        self.load_error = message.reason
        self.updates.failed.publish(message.reason)
        self.say(f"Could not read the meetings: {message.reason}", "error")

    # -- helpers -------------------------------------------------------------------

    def say(
        self, message: str, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> None:
        """A notification whose text is shown literally (no markup, no control characters)."""
        self.notify(one_line(message), severity=severity, timeout=timeout, markup=False)

    def _need_library(self, again: Callable[[], None] | None = None) -> Library | None:
        """The library, or None while it loads (said). ``again``: what to do once it is
        loaded, if the user is still on this screen then (the latest such wish only)."""
        if self.library is None:
            if self.load_error:
                self.say(self.load_error)
            elif again is not None:
                self._pending = (self.screen, again)
                self.say("Loading the meetings… it opens as soon as they are read.")
            else:
                self.say("Still loading the meetings…")
        return self.library

    def _home(self) -> Screen | None:
        from .screens.meetings import MeetingsScreen

        for screen in self.screen_stack:
            if isinstance(screen, MeetingsScreen):
                return screen
        return None

    # -- navigation (the contract every screen calls) ------------------------------

    # A screen asks for what it shows, which may be gone since: the files changed and the
    # library was read again (a new library), or the cache was brought up to date by another
    # process (an item's texts are read from it). "Gone" is said, never raised.

    def gone(self, what: str, name: str = "") -> None:
        """Say that ``what`` (meeting, item, person), ``name``, is no longer in the folder."""
        self.say(
            f"This {what}{f' ({name})' if name else ''} is no longer in the folder.", "warning"
        )

    def open_meeting(self, meeting_id: str) -> None:
        lib = self._need_library(lambda: self.open_meeting(meeting_id))
        if lib is None:
            return
        if lib.meeting(meeting_id) is None:
            self.gone("meeting", meeting_id)
            return
        from .screens.meeting import MeetingScreen

        self.push_screen(MeetingScreen(lib, meeting_id))

    def open_item(
        self,
        meeting_id: str,
        number: str,
        replace: bool = False,
        highlight: list[str] | None = None,
    ) -> None:
        """Open an item (with ``replace``, instead of the item screen on top: ``,`` and ``.``;
        with ``highlight``, the search terms to mark in it, ``n`` / ``N`` stepping through)."""
        lib = self._need_library(lambda: self.open_item(meeting_id, number, replace, highlight))
        if lib is None:
            return
        if lib.full(meeting_id) is None:
            self.gone("meeting", meeting_id)
            return
        if lib.item(meeting_id, number) is None:
            self.gone("item", f"{number} at {meeting_id}")
            return
        from .screens.item import ItemScreen

        if replace and len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(ItemScreen(lib, meeting_id, number, highlight=highlight))

    def open_person(self, key: str) -> None:
        lib = self._need_library(lambda: self.open_person(key))
        if lib is None:
            return
        if key not in lib.people:
            self.gone("person", key)
            return
        from .screens.people import PersonScreen

        self._open_screen(PersonScreen, key)

    def open_topic(self, key: str) -> None:
        from .screens.topics import TopicScreen

        self._open_screen(TopicScreen, key)

    def open_search(self, query: str = "") -> None:
        """Search; before the library is loaded too (the cache's files answer: ``early``)."""
        if self.library is None and self.load_error:
            self.say(self.load_error)
            return
        from .screens.search import SearchScreen

        self.push_screen(SearchScreen(self.library, query))

    def open_kpi(self, meeting_id: str, code: str) -> None:
        lib = self._need_library(lambda: self.open_kpi(meeting_id, code))
        if lib is None:
            return
        if lib.meeting(meeting_id) is None:
            self.gone("meeting", meeting_id)
            return
        from .screens.kpi import KpiScreen

        self._open_screen(KpiScreen, meeting_id, code)

    # -- actions (global keys) -----------------------------------------------------

    def action_meetings(self) -> None:
        home = self._home()
        if home is None:
            return
        while self.screen is not home and len(self.screen_stack) > 1:
            self.pop_screen()

    def action_search(self) -> None:
        self.open_search("")

    def action_people(self) -> None:
        from .screens.people import PeopleScreen

        self._open_screen(PeopleScreen)

    def action_topics(self) -> None:
        from .screens.topics import TopicsScreen

        self._open_screen(TopicsScreen)

    def action_decisions(self) -> None:
        from .screens.decisions import DecisionsScreen

        self._open_screen(DecisionsScreen)

    def action_actions(self) -> None:
        from .screens.actions import ActionsScreen

        self._open_screen(ActionsScreen)

    def action_dashboard(self) -> None:
        from .screens.dashboard import DashboardScreen

        self._open_screen(DashboardScreen)

    def action_membership(self) -> None:
        from .screens.membership import MembershipScreen

        self._open_screen(MembershipScreen)

    def action_confidential(self) -> None:
        from .screens.confidential import ConfidentialScreen

        self._open_screen(ConfidentialScreen)

    def action_changes(self) -> None:
        from .screens.changes import ChangesScreen

        self._open_screen(ChangesScreen)

    def action_help(self) -> None:
        from .screens.help import HelpScreen, describe_bindings

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(describe_bindings(self), screen_name(self.screen)))

    def action_problems(self) -> None:
        from .screens.problems import ProblemsScreen

        if isinstance(self.screen, ProblemsScreen):
            return
        loaded = self.loaded
        self.push_screen(
            ProblemsScreen(
                loaded.skipped if loaded else [],
                loaded.warnings if loaded else [],
                loaded.restricted if loaded else [],
            )
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            # nothing to go back to from the meeting list: keep Escape out of its footer
            return len(self.screen_stack) > 1 and self.screen is not self._home()
        if action == "meetings":
            return self.screen is not self._home()
        if action in LIST_SCREENS and type(self.screen).__name__ == LIST_SCREENS[action]:
            return None  # already there: the key does nothing (never types into a filter)
        return True

    async def action_back(self) -> None:
        home = self._home()
        if len(self.screen_stack) > 1 and self.screen is not home:
            self.pop_screen()


def screen_name(screen: Screen) -> str:
    """A short, trusted name of a screen for titles ("Meeting", "Item", "Meetings")."""
    return getattr(screen, "SCREEN_NAME", None) or type(screen).__name__.removesuffix("Screen")


def run(
    root: Path,
    cache_path: Path | None = None,
    use_cache: bool = True,
    public: bool = False,
    store_url: str | None = None,
    first_page: Callable[[], FirstFrame] | None = None,
    gc_paused: bool = False,
) -> None:
    """Open the browser on the meetings folder ``root`` (in the shared store ``store_url``,
    if given); exit 1 if it had to stop on an error (said on one line: see ``errors``).
    ``first_page``: the store, and its first page, being read since before Textual was
    imported (asked once the app is built, before it starts). ``gc_paused``: the caller
    paused the collector, to be resumed at the first frame (:meth:`TuiBrowserApp.resume_gc`;
    at the latest when the app ends)."""
    app = TuiBrowserApp(
        root, cache_path=cache_path, use_cache=use_cache, public=public, store_url=store_url
    )
    app.gc_paused = gc_paused
    if first_page is not None:
        app._shared, app.first_page = first_page()
    try:
        app.run()
    finally:
        app.resume_gc()
    if app.return_code:
        raise SystemExit(app.return_code)
