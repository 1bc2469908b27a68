"""The one host app of the screen tests: the smallest app a screen can be pushed on. It keeps
the ``BrowserApp`` protocol (tuibrowser/tui/host.py) as the browser does: it has ``.library``,
records each navigation call and keeps what it says."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.screen import Screen

from tuibrowser.change_log import Found
from tuibrowser.library import Library
from tuibrowser.listing import MeetingRow
from tuibrowser.tui.host import Updates


class HostApp(App):
    """Pushes ``make(library)`` when mounted; every ``open_*`` call is recorded in ``calls``,
    every notification the screen asks for in ``said``."""

    def __init__(self, library: Library, make: Callable[[Library], Screen]) -> None:
        super().__init__()
        self.library = library
        self.updates = Updates(self)
        self.public = False
        self.changes: Found | None = None  # what changed since the last look: nothing, here
        self.meeting_rows: list[MeetingRow] | None = None  # the library is there from the start
        self.meeting_total = 0
        self.new_meetings: set[str] = set()
        self.loaded = None
        self.list_pages = None  # the list holds its rows, as on the cache
        self.make = make
        self.calls: list[tuple] = []
        self.said: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(self.make(self.library))

    def say(
        self, message: str, severity: str = "information", timeout: float | None = None
    ) -> None:
        self.said.append(message)

    def gone(self, what: str, name: str = "") -> None:
        self.said.append(f"gone: {what} {name}".rstrip())

    def first_frame_out(self) -> None:
        pass

    def early_drawn(self) -> None:
        pass

    def search_early(self, query: str, limit: int | None) -> None:
        return None  # the library is there from the start

    def open_meeting(self, meeting_id: str) -> None:
        self.calls.append(("meeting", meeting_id))

    def open_item(
        self,
        meeting_id: str,
        number: str,
        replace: bool = False,
        highlight: list[str] | None = None,
    ) -> None:
        self.calls.append(("item", meeting_id, number))
        self.highlight = highlight

    def open_person(self, key: str) -> None:
        self.calls.append(("person", key))

    def open_topic(self, key: str) -> None:
        self.calls.append(("topic", key))

    def open_search(self, query: str = "") -> None:
        self.calls.append(("search", query))

    def open_kpi(self, meeting_id: str, code: str) -> None:
        self.calls.append(("kpi", meeting_id, code))
