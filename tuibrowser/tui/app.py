"""The browser app: loads the library in a thread, owns navigation and the global keys.

Start-up never waits for the files: the first frame shows the first page of the meeting list
as the cache's index holds it (a few KB, no documents; "Loading…" when there is no cache yet).
A thread worker waits for that frame to be painted, reads the rest of the list
(``MeetingsListed``), then brings the cache up to date with the files — a bar shows the files
done when that takes a while, as a first open of a folder does (``indexing``) — posts the list
again if the index changed it, and loads the library (``LibraryLoaded``). Every screen but the
meeting list is imported inside the action that opens it, so the first frame does not wait for
them.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from ..listing import MeetingRow, meeting_row
from ..state import SeenState
from ..store import IndexReport, MeetingStore, load_library, open_store
from ..text import one_line
from .commands import BrowserCommands
from .ending import end_on_signals, restore
from .errors import SafetyNet
from .host import Updates
from .indexing import EVERY, IndexBar, IndexCancelled, IndexTicker

if TYPE_CHECKING:  # the first frame shows cached rows: the model comes with the library
    from ..change_log import Found
    from ..library import Library
    from ..model import Problem


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
    changes: Found | None = None  # what changed since the user last looked (``change_log``)
    changes_problem: str | None = None  # why the changes file could not be used
    one_process: str | None = None  # why the index could not share its work out to processes

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


class LibraryLoaded(Message):
    """Posted by the loading worker once the library is up to date with the files."""

    def __init__(self, result: LoadResult) -> None:
        super().__init__()
        self.result = result


class LibraryFailed(Message):
    """Posted by the loading worker when the meetings could not be read at all."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


# the screens of the keys P, T, A, D and C, by the name of their class (not imported before they
# are opened, so the first frame does not wait for them)
LIST_SCREENS = {
    "people": "PeopleScreen",
    "topics": "TopicsScreen",
    "decisions": "DecisionsScreen",
    "dashboard": "DashboardScreen",
    "changes": "ChangesScreen",
}


class TuiBrowserApp(SafetyNet, App):
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
    ) -> None:
        super().__init__()
        self.root = Path(root)
        self.cache_path = cache_path
        self.use_cache = use_cache
        self.public = public
        self.state = state if state is not None else SeenState()
        self.remember = remember
        self.library: Library | None = None
        self.meeting_rows: list[MeetingRow] | None = None
        self.meeting_total = 0  # meetings in all (meeting_rows may be the first page only)
        self._painted = threading.Event()
        self._stop_index = threading.Event()  # the loading worker stops an index when set
        self._ticker: IndexTicker | None = None  # the progress of the index running
        self._signals: list[int] = []  # SIGTERM and SIGHUP, while they end the app (ending)
        self.loaded: LoadResult | None = None
        self.load_error: str | None = None
        self.new_meetings: set[str] = set()
        self.updates = Updates(self)  # the list and the library, to the screens that show them
        self.user_keymap: dict[str, str] = {}  # binding id → keys, as the user's keymap set them
        self._clashes_told: set[tuple[str, str]] = set()  # Textual's keys the keymap took, told
        self.changes: Found | None = None  # what changed since the user last looked

    # -- start-up ----------------------------------------------------------------

    def on_mount(self) -> None:
        self._signals = end_on_signals(self._ended_by_signal, self._stop_index)
        # The meeting list as cached (a small table, no documents) is what the first
        # frame shows: read it here, so that frame is painted once, with the list in it.
        # Only the first page and the number of meetings: the index alone, a few KB.
        head = self._store().head()
        if head is not None and head.rows:
            self.meeting_rows = head.rows
            self.meeting_total = head.total
            self.new_meetings = self._new(head.rows)
        self.apply_user_keymap()
        self._progress_timer = self.set_interval(EVERY, self._show_index_progress)
        self.load_library()

    def _store(self) -> MeetingStore:
        return open_store(self.root, self.cache_path, not self.use_cache, self.public)

    def get_default_screen(self) -> Screen:
        # The meeting list is the first screen itself (not pushed over an empty one), so the
        # first frame is painted once.
        from .screens.meetings import MeetingsScreen

        return MeetingsScreen()

    def first_frame_out(self) -> None:
        """Called by the meeting list once its first frame is painted: the loading worker
        waits for it before the work that holds the interpreter."""
        self._painted.set()

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
        files and load the library."""
        try:
            self._painted.wait(timeout=2.0)
            store = self._store()
            rows = self.meeting_rows
            if rows is not None and len(rows) < self.meeting_total:
                # the rest of the list, so the filter and the sort see every meeting
                rows = store.rows()
                if rows:
                    self.post_message(MeetingsListed(rows, self._new(rows)))
            ticker = self._ticker = IndexTicker(self._stop_index)

            def listed(report: IndexReport) -> None:
                nonlocal rows
                ticker.finish()  # the index is written: the bar goes with the list it fills
                if report.written or rows is None:
                    rows = store.rows()
                    if rows:  # the list as indexed, before the library is loaded
                        self.post_message(MeetingsListed(rows, self._new(rows)))

            try:
                # without the long texts: an item's are read when it is opened
                lib, report = load_library(store, ticker, texts=False, listed=listed)
            finally:
                ticker.finish()
            if report.unused:  # the files were read: the list is the library's
                rows = None
            elif report.rebuilt:
                rows = store.rows()
            note = report.note
            if rows is None:
                rows = [meeting_row(m) for m in lib.meetings]
            # The library lives as long as the app: keep the collector from walking it again.
            gc.freeze()
            skipped, warnings, restricted = sorted_problems(
                lib, report.skipped, report.warnings, report.restricted
            )
            result = LoadResult(
                lib,
                True,
                skipped,
                warnings,
                self._new(rows),
                note,
                rows,
                restricted,
            )
            if report.read:
                from ..yamlsafe import slow_loader_warning

                result.slow_yaml = slow_loader_warning()
            result.one_process = report.one_process
            if self.remember:
                # nothing new, changed or gone since the last look: the changes are not sought
                before = self._seen_before()
                quiet = not result.new and before == {r.id for r in rows}
                try:
                    self.state.remember(self.root, rows, self.public)
                except OSError:
                    pass  # marking new meetings is a convenience; never fail the app over it
                if self.state.problem is None:  # one feature: the marks and what changed
                    result.changes, result.changes_problem = self._look_for_changes(
                        lib, rows, quiet
                    )
            self.post_message(LibraryLoaded(result))
        except IndexCancelled:
            pass  # the app is closing
        except Exception as exc:  # noqa: BLE001 - shown to the user, the app stays usable
            self.post_message(LibraryFailed(f"{type(exc).__name__}: {exc}"))

    def on_unmount(self) -> None:
        self._stop_index.set()  # an index still running stops, so the app's exit does not wait
        restore(self._signals)

    def _ended_by_signal(self, status: int) -> None:
        """Exit with ``status``: SIGTERM or SIGHUP came (see ``ending``)."""
        self.exit(return_code=status)

    def _show_index_progress(self) -> None:
        """Show the files done of a running index on the meeting list, or take the bar away."""
        home = self._home()
        if home is None:
            return
        figures = self._ticker.to_show() if self._ticker is not None else None
        bars = list(home.query(IndexBar))
        if figures is None:
            for bar in bars:
                bar.remove()
        elif bars:
            bars[0].show(*figures)
        else:
            bar = IndexBar(*figures, id="index-progress")
            home.mount(bar, before=home.query_one("#status-line"))

    def _loading_over(self) -> None:
        self._progress_timer.stop()
        self._ticker = None
        self._show_index_progress()

    def _new(self, rows: list[MeetingRow]) -> set[str]:
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

    def on_meetings_listed(self, message: MeetingsListed) -> None:
        if self.library is not None:
            return  # the library came first: it has the list
        self.meeting_rows = message.rows
        self.meeting_total = len(message.rows)
        self.new_meetings = message.new
        self._show_index_progress()  # an index that has written the list has no bar left
        self.updates.rows.publish(message.rows)

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        self._loading_over()
        result = message.result
        first = self.library is None
        self.library = result.library
        self.loaded = result
        self.meeting_rows = result.rows
        self.meeting_total = len(result.rows or ())
        self.new_meetings = result.new
        self.changes = result.changes if result.changes is not None else self.changes
        self.load_error = None
        self.updates.library.publish(result.library)
        if result.fresh and result.note:
            self.say(f"Cache: {result.note}.")
        if result.fresh and self.remember and self.state.problem:
            self.say(f"{self.state.problem}; new meetings are not marked.", "warning")
        if result.fresh and result.changes_problem:
            self.say(f"{result.changes_problem}; changes are not told.", "warning")
        if result.fresh and result.slow_yaml:
            self.say(result.slow_yaml, "warning")
        if result.fresh and result.one_process:
            self.say(f"Indexed in one process ({result.one_process}).", "warning")
        if result.fresh and result.skipped and (first or self._announced != len(result.skipped)):
            n = len({p.path for p in result.skipped})
            self.say(f"{n} file{'s' if n != 1 else ''} skipped — press ! to see why", "warning")
        self._announced = len(result.skipped) if result.fresh else 0
        if (
            result.fresh
            and result.restricted
            and (first or self._restricted != len(result.restricted))
        ):
            n = len({p.path for p in result.restricted})
            self.say(
                f"{n} file{'s' if n != 1 else ''} restricted (not readable by you) — press ! to see"
            )
        self._restricted = len(result.restricted) if result.fresh else 0

    _announced = 0
    _restricted = 0

    def on_library_failed(self, message: LibraryFailed) -> None:
        self._loading_over()
        self.load_error = message.reason
        self.updates.failed.publish(message.reason)
        self.say(f"Could not read the meetings: {message.reason}", "error")

    # -- helpers -------------------------------------------------------------------

    def say(
        self, message: str, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> None:
        """A notification whose text is shown literally (no markup, no control characters)."""
        self.notify(one_line(message), severity=severity, timeout=timeout, markup=False)

    def _need_library(self) -> Library | None:
        if self.library is None:
            self.say("Still loading the meetings…" if not self.load_error else self.load_error)
        return self.library

    def _open_screen(self, cls: type[Screen], *args: str) -> None:
        """Push ``cls(library, *args)``, unless the library is still loading or the screen is
        already the one shown (a list screen opened again)."""
        lib = self._need_library()
        if lib is None:
            return
        if isinstance(self.screen, cls) and not args:
            return  # already there
        make: Callable[..., Screen] = cls  # the browser's screens take (library, *args)
        self.push_screen(make(lib, *args))

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
        lib = self._need_library()
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
        lib = self._need_library()
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
        lib = self._need_library()
        if lib is not None and key not in lib.people:
            self.gone("person", key)
            return
        from .screens.people import PersonScreen

        self._open_screen(PersonScreen, key)

    def open_topic(self, key: str) -> None:
        from .screens.topics import TopicScreen

        self._open_screen(TopicScreen, key)

    def open_search(self, query: str = "") -> None:
        lib = self._need_library()
        if lib is None:
            return
        from .screens.search import SearchScreen

        self.push_screen(SearchScreen(lib, query))

    def open_kpi(self, meeting_id: str, code: str) -> None:
        lib = self._need_library()
        if lib is not None and lib.meeting(meeting_id) is None:
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
    root: Path, cache_path: Path | None = None, use_cache: bool = True, public: bool = False
) -> None:
    """Open the browser on the meetings folder ``root``; exit 1 if it had to stop on an error
    (said on one line: see ``errors``)."""
    app = TuiBrowserApp(root, cache_path=cache_path, use_cache=use_cache, public=public)
    app.run()
    if app.return_code:
        raise SystemExit(app.return_code)
