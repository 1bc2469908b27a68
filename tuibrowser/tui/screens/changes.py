"""What changed in the meetings since a date: every change the browser found when it was
opened (items added, removed or edited, decisions, attendance, details), newest first; Enter
opens the meeting. The changes of one meeting are told on its page too (:func:`changes_note`).
"""

from __future__ import annotations

import datetime as _dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...change_log import Entry, Found
from ...changes import Change
from ...library import Library
from ...text import one_line
from .. import safe
from ..host import host
from ..widgets import BrowseTable, TextBox, TitleBar, fit_widths

DEFAULT_DAYS = 30  # the view opens on the changes found in the last 30 days
NOTE_LINES = 4  # a meeting's page lists this many changes, then says how many more


def default_since(today: _dt.date | None = None) -> str:
    return ((today or _dt.date.today()) - _dt.timedelta(days=DEFAULT_DAYS)).isoformat()


def parse_day(text: str) -> str | None:
    """``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``: its first day) as an ISO day, else None."""
    text = text.strip()
    for fmt, size in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        if len(text) == size:
            try:
                return _dt.datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                return None
    return None


def changes_note(changes: list[Change], width: int) -> Content:
    """The "what changed" lines of a meeting's page: a heading, the first changes, how many more."""
    lines = [Content.styled("What changed since you last looked", "bold")]
    for c in changes[:NOTE_LINES]:
        lines.append(safe.join(Content.styled(f"  {c.kind}: ", "bold"), safe.line(c.text)))
    more = len(changes) - NOTE_LINES
    if more > 0:
        lines.append(Content(f"  … and {more} more — press c for every change"))
    return Content("\n").join(line.truncate(max(10, width), ellipsis=True) for line in lines)


class ChangesScreen(Screen):
    """Every change found since a date (a box takes the date); Enter opens the meeting."""

    SCREEN_NAME = "Changes"

    DEFAULT_CSS = """
    ChangesScreen #changes-filters { height: auto; }
    ChangesScreen #changes-filters Static { width: auto; padding: 1 1 0 1; }
    ChangesScreen #changes-since { width: 20; }
    ChangesScreen #changes-status { height: auto; padding: 0 1; color: $text-muted; }
    ChangesScreen BrowseTable { height: 1fr; }
    """

    BINDINGS = [
        Binding("ctrl+f", "focus_since", "Since", id="changes.since"),
        Binding("down", "focus_list", "List", show=False, id="changes.list"),
    ]

    def __init__(self, library: Library, since: str | None = None) -> None:
        super().__init__()
        self.library = library
        self.since = since or default_since()
        self.shown: list[tuple[Entry, Change]] = []

    @property
    def found(self) -> Found | None:
        return host(self).changes

    def compose(self) -> ComposeResult:
        yield TitleBar("What changed", id="title")
        with Horizontal(id="changes-filters"):
            yield Static(Content("Found since"))
            yield TextBox(value=self.since, placeholder="YYYY-MM-DD", id="changes-since")
        yield Static(id="changes-status")
        yield BrowseTable(id="changes")
        yield Footer()

    def on_mount(self) -> None:
        host(self).updates.changes.subscribe(self, self.changes_found)
        self.fill()
        self.query_one("#changes", BrowseTable).focus()

    def changes_found(self, found: Found) -> None:
        self.fill()

    def library_loaded(self, library: Library) -> None:
        self.library = library
        self.fill()

    def fill(self) -> None:
        table = self.query_one("#changes", BrowseTable)
        table.clear(columns=True)
        found = self.found
        entries = found.since_day(self.since) if found is not None else []
        self.shown = [(e, c) for e in entries for c in e.changes]
        width = self.app.size.width
        natural = [10, 10, max([5, *(len(one_line(e.board)) for e, _ in self.shown)]), 12]
        natural.append(max([4, *(len(one_line(c.text)) for _, c in self.shown)]))
        widths = fit_widths(natural, width, [10, 10, 6, 12, 28])
        for (key, label), w in zip(
            [("on", "Found"), ("date", "Meeting"), ("board", "Board"), ("kind", "Change"),
             ("text", "What")], widths, strict=True,
        ):  # fmt: skip
            table.add_column(label, key=key, width=w)
        for i, (e, c) in enumerate(self.shown):
            table.add_row(
                Text(e.on), Text(one_line(e.date)), safe.text(one_line(e.board)),
                Text(c.kind), safe.text(one_line(c.text)), key=str(i),
            )  # fmt: skip
        self.query_one("#changes-status", Static).update(self._status(found, entries))

    def _status(self, found: Found | None, entries: list[Entry]) -> Content:
        if found is None:
            app = host(self)
            if app.library is None:
                return Content("Still loading the meetings…")
            if app.loaded is not None and app.loaded.changes_pending:
                return Content("Looking for what changed…")
            return Content("Changes are not kept in this session.")
        n, meetings = len(self.shown), len({e.meeting for e in entries})
        if not n:
            first = "" if found.since else " (nothing is told the first time a folder is opened)"
            return Content(f"No changes found since {self.since}{first}.")
        return Content(
            f"{n} change{'s' if n != 1 else ''} in {meetings} meeting{'s' if meetings != 1 else ''}"
            f" found since {self.since} — Enter opens the meeting"
        )

    @on(TextBox.Changed, "#changes-since")
    def _since_changed(self, event: TextBox.Changed) -> None:
        day = parse_day(event.value)
        if day is None:
            self.query_one("#changes-status", Static).update(
                Content("Type a date as YYYY-MM-DD (or YYYY-MM, or YYYY).")
            )
            return
        if day != self.since:
            self.since = day
            self.fill()

    @on(DataTable.RowSelected, "#changes")
    def _open(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key is None or not key.isdigit() or int(key) >= len(self.shown):
            return
        host(self).open_meeting(self.shown[int(key)][0].meeting)

    @on(TextBox.Submitted, "#changes-since")
    def _since_submitted(self) -> None:
        self.action_focus_list()

    def action_focus_since(self) -> None:
        self.query_one("#changes-since", TextBox).focus()

    def action_focus_list(self) -> None:
        self.query_one("#changes", BrowseTable).focus()
