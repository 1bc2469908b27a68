"""What a screen may ask of the app it runs in, written down as a type.

The screens open pages through the app (``open_item``, ``open_person``, …), say things through
it and read the library it loaded. ``BrowserApp`` is that contract: ``TuiBrowserApp`` keeps it,
and so do the small apps the tests push one screen on. A screen reaches it with ``host(self)``
instead of calling untyped attributes of ``self.app``.

The app tells its screens when the meeting list or the library arrives through
``Updates``: Textual signals a screen subscribes to when it is mounted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from textual.signal import Signal

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

    from ..change_log import Found
    from ..library import Library
    from ..listing import MeetingRow
    from ..search import Results
    from ..store.protocol import MeetingPages
    from .loading import LoadResult


class Updates:
    """What the app publishes while it loads: the meeting list as cached (``rows``) and what is
    new in it (``marks``), the library once it is up to date with the files (``library``), or
    why it could not be read (``failed``); then what changed since the last look
    (``changes``)."""

    def __init__(self, app: App) -> None:
        self.rows: Signal[list[MeetingRow]] = Signal(app, "rows")
        self.library: Signal[Library] = Signal(app, "library")
        self.failed: Signal[str] = Signal(app, "failed")
        # the meetings new since the user last looked, found after the first frame
        self.marks: Signal[set[str]] = Signal(app, "marks")
        # what changed since the user last looked, found once the library is loaded
        self.changes: Signal[Found] = Signal(app, "changes")


class BrowserApp(Protocol):
    """The app as the screens use it."""

    library: Library | None
    public: bool  # confidential items withheld (``--public``)
    changes: Found | None  # what changed since the user last looked (``change_log``)
    updates: Updates
    # the meeting list before the library is loaded (the first frame), and what is new in it
    meeting_rows: list[MeetingRow] | None
    meeting_total: int
    new_meetings: set[str]
    loaded: LoadResult | None
    # a store that pages the meeting list in SQL (``--store``); None: the list holds its rows
    list_pages: MeetingPages | None

    def say(
        self, message: str, severity: str = "information", timeout: float | None = None
    ) -> None: ...

    def gone(self, what: str, name: str = "") -> None: ...

    def open_meeting(self, meeting_id: str) -> None: ...

    def open_item(
        self,
        meeting_id: str,
        number: str,
        replace: bool = False,
        highlight: list[str] | None = None,
    ) -> None: ...

    def open_person(self, key: str) -> None: ...

    def open_topic(self, key: str) -> None: ...

    def open_search(self, query: str = "") -> None: ...

    def open_kpi(self, meeting_id: str, code: str) -> None: ...

    def first_frame_out(self) -> None: ...

    def early_drawn(self) -> None:
        """A screen made of the cache's parts before the library is drawn (or gone): the
        library's loading, held meanwhile, goes on."""
        ...

    def search_early(self, query: str, limit: int | None) -> Results | None:
        """The hits of ``query`` before the library is loaded (the cache's files answer), or
        None when they cannot be had before it (called from a screen's thread worker)."""
        ...


def host(node: DOMNode) -> BrowserApp:
    """The app ``node`` runs in, as the browser its screens talk to."""
    return cast("BrowserApp", node.app)
