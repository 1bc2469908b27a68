"""The one host app of the screen tests: the smallest app a screen can be pushed on. It has
``.library`` and records each navigation call, as the UI contract says any host app does."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.screen import Screen

from tuibrowser.library import Library
from tuibrowser.tui.host import Updates


class HostApp(App):
    """Pushes ``make(library)`` when mounted; every ``open_*`` call is recorded in ``calls``."""

    def __init__(self, library: Library, make: Callable[[Library], Screen]) -> None:
        super().__init__()
        self.library = library
        self.updates = Updates(self)
        self.public = False
        self.changes = None  # what changed since the last look: nothing, here
        self.make = make
        self.calls: list[tuple] = []

    def on_mount(self) -> None:
        self.push_screen(self.make(self.library))

    def open_meeting(self, meeting_id: str) -> None:
        self.calls.append(("meeting", meeting_id))

    def open_item(self, meeting_id: str, number: str, highlight: list[str] | None = None) -> None:
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
