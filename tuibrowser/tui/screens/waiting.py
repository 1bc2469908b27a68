"""A screen asked for before the library is loaded: its title and a clear "loading" line, never
a blank; it becomes the screen asked for as soon as the library is there (Escape goes back)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...library import Library
from ...text import one_line
from ..host import host
from ..widgets import TitleBar


class WaitingScreen(Screen):
    """Stands for the screen ``make(library)`` (named ``name``) until the library is loaded."""

    SCREEN_NAME = "Loading"

    DEFAULT_CSS = """
    WaitingScreen #waiting { height: 1fr; padding: 1 1; color: $text-muted; }
    """

    def __init__(self, name: str, make: Callable[[Library], Screen]) -> None:
        super().__init__()
        self.wanted = name
        self.make = make

    def compose(self) -> ComposeResult:
        yield TitleBar(self.wanted, id="title")
        yield Static(
            Content(f"Loading the meetings… {self.wanted} opens as soon as they are read."),
            id="waiting",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.wanted
        app = host(self)
        app.updates.library.subscribe(self, self.library_loaded)
        app.updates.failed.subscribe(self, self.library_failed)

    def library_loaded(self, library: Library) -> None:
        if self.app.screen is self:
            self.app.switch_screen(self.make(library))

    def library_failed(self, reason: str) -> None:
        self.query_one("#waiting", Static).update(
            Content(f"Could not read the meetings: {one_line(reason)}")
        )

    def on_screen_resume(self) -> None:
        library = host(self).library  # it came while a screen was over this one
        if library is not None:
            self.library_loaded(library)
