"""A screen asked for before the library is loaded: its title, what is known already (the people
the cache names, for People) and a clear "loading" line, never a blank; it becomes the screen
asked for as soon as the library is there (Escape goes back), or as soon as the cache's parts
give it (``early``: People, once its figures are read)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Static

from ...library import Library
from ...text import one_line
from .. import safe
from ..host import host
from ..widgets import BrowseTable, TitleBar


class WaitingScreen(Screen):
    """Stands for the screen ``make(library)`` (named ``name``) until the library is loaded."""

    SCREEN_NAME = "Loading"

    DEFAULT_CSS = """
    WaitingScreen #waiting { height: 1fr; padding: 1 1; color: $text-muted; }
    WaitingScreen #waiting.known { height: auto; padding: 0 1; }
    WaitingScreen BrowseTable { height: 1fr; }
    """

    def __init__(
        self,
        name: str,
        make: Callable[[Library], Screen],
        people: Callable[[], list[list[Any]] | None] | None = None,
        early: Callable[[], Screen | None] | None = None,
        ready: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__()
        self.wanted = name
        self.make = make
        # whether what the screen is made of is read (a store's every meeting, or its parts,
        # read in a thread): until then a library loaded does not make it
        self.ready = ready
        # the people known before the library ([key, display name, names, authorities, roles,
        # groups]), None until the cache's files are open
        self.people = people
        # the screen made of the cache's parts, None until they are read
        self.early = early
        self._poll: Timer | None = None
        self._listed = False  # the people are shown

    def compose(self) -> ComposeResult:
        yield TitleBar(self.wanted, id="title")
        line = f"Loading the meetings… {self.wanted} opens as soon as they are read."
        yield Static(Content(line), id="waiting")
        if self.people is not None:
            yield BrowseTable(id="waiting-people", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.wanted
        app = host(self)
        app.updates.library.subscribe(self, self.library_loaded)
        app.updates.failed.subscribe(self, self.library_failed)
        if not self._tick():
            self._poll = self.set_interval(0.1, self._tick)

    def _tick(self) -> bool:
        """Become the screen the cache's parts make, else show the people they name; whether
        nothing more is to come of them (then the poll stops)."""
        shown = self.early() if self.early is not None else None
        if shown is not None:
            if self.app.screen is self:
                self.app.switch_screen(shown)
            return self._stop()
        known = self._known() if self.people is not None else True
        return self._stop() if known and self.early is None else False

    def _stop(self) -> bool:
        if self._poll is not None:
            self._poll.stop()
            self._poll = None
        return True

    def _known(self) -> bool:
        """Show the people once the cache's files are open; whether they are shown."""
        if self._listed:
            return True
        people = self.people() if self.people is not None else None
        if people is None:
            return False
        self._listed = True
        line = self.query_one("#waiting", Static)
        line.update(Content("Loading the meetings… attendance shows as soon as they are read."))
        line.add_class("known")
        self._show_people(people)
        return True

    def _show_people(self, people: list[list[Any]]) -> None:
        """The people by name, with their roles and authorities (no attendance yet)."""
        table = self.query_one(BrowseTable)
        width = max(20, self.app.size.width - 4)
        name_width = min(30, width // 3)
        rest = max(10, (width - name_width) // 2)
        table.add_column("Name", width=name_width, key="name")
        table.add_column("Roles", width=rest, key="roles")
        table.add_column("Authorities", width=rest, key="authorities")
        by_name = sorted(people, key=lambda p: (str(p[1]).split()[-1:], str(p[1])))
        for key, display, _names, authorities, roles, _groups in by_name:
            table.add_row(
                safe.text(str(display), width=name_width),
                safe.text(", ".join(map(str, roles)) or "—", width=rest),
                safe.text(", ".join(map(str, authorities)) or "—", width=rest),
                key=str(key),
            )
        table.focus()

    @on(DataTable.RowSelected, "#waiting-people")
    def _open_person(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            host(self).open_person(event.row_key.value)  # opens once the library is loaded

    def library_loaded(self, library: Library) -> None:
        if self.app.screen is self and (self.ready is None or self.ready()):
            self.app.switch_screen(self.make(library))

    def library_failed(self, reason: str) -> None:
        self.query_one("#waiting", Static).update(
            Content(f"Could not read the meetings: {one_line(reason)}")
        )

    def on_screen_resume(self) -> None:
        library = host(self).library  # it came while a screen was over this one
        if library is not None:
            self.library_loaded(library)
