"""The action tracker: every action with its owner, due date and status, overdue ones first.

Owner, due date and status are read from the text (``tuibrowser.actions``); the line under the
table shows the highlighted action whole, and the later meeting that refers back to it with
the sentence. Every cell is a ``Text`` of the file's words, never markup.
"""

from __future__ import annotations

import datetime as dt
import re

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Select, Static

from ...actions import STATUSES, Action, read_actions, sorted_actions
from ...library import Library
from ...text import one_line
from .. import safe
from ..host import host
from ..widgets import BrowseTable, TextBox, TitleBar, fit_widths, type_to_filter

_STATUS = re.compile(r"\bstatus:(\S+)", re.IGNORECASE)
STATUS_CHOICES = ("overdue", *STATUSES)
WIDE = 100  # from this many columns the table has the meeting's date
NARROW_OWNER = 14  # below it, the owner column's widest (the line under the table has it whole)
STATUS_STYLE = {
    "overdue": "bold white on red",
    "open": "bold",
    "mentioned": "cyan",
    "done": "green",
}


def status_of(a: Action, today: dt.date) -> str:
    return "overdue" if a.overdue(today) else a.status


def haystack(a: Action) -> str:
    return " ".join((a.text, a.owner or "", a.item_title, a.date)).casefold()


def matches(a: Action, words: list[str], status: str | None, today: dt.date) -> bool:
    if status and status_of(a, today) != status:
        return False
    hay = haystack(a)
    return all(w in hay for w in words)


class ActionsScreen(Screen):
    """Every action by status, owner and due date; Enter opens its item, e the evidence."""

    SCREEN_NAME = "Action tracker"

    DEFAULT_CSS = """
    ActionsScreen #actions-filters { height: 1; }
    ActionsScreen #actions-words { width: 1fr; height: 1; border: none; padding: 0 1; background: $boost; }
    ActionsScreen #actions-words:focus { background: $primary 30%; }
    ActionsScreen #actions-filters Select { width: 18; }
    ActionsScreen #actions-status { height: 1; padding: 0 1; color: $text-muted; }
    ActionsScreen DataTable { height: 1fr; }
    ActionsScreen #actions-detail { height: auto; max-height: 9; padding: 0 1; border-top: solid $primary; }
    """

    BINDINGS = [
        Binding("ctrl+f", "focus_filter", "Filter", id="actions.filter"),
        Binding("down", "focus_table", "List", show=False, id="actions.list"),
        Binding("E", "open_evidence", "Evidence", id="actions.evidence"),
        Binding("escape", "clear_filter", "Clear filter", id="actions.clear"),
    ]

    def __init__(self, library: Library, today: dt.date | None = None) -> None:
        super().__init__()
        self.library = library
        self.today = today or dt.date.today()
        self.all: list[Action] = []
        self.read = False  # whether the actions are read (in a thread: later meetings' minutes)
        self.shown: list[Action] = []
        self.widths: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield TitleBar("Action tracker", id="title")
        with Horizontal(id="actions-filters"):
            yield TextBox(
                placeholder="Words, owner, status:open",
                id="actions-words",
            )
            yield Select(
                [(s.capitalize(), s) for s in STATUS_CHOICES],
                prompt="Any status",
                id="actions-state",
                compact=True,
            )
        yield Static(id="actions-status")
        yield BrowseTable(id="actions-table", typing=True)
        yield Static(id="actions-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Action tracker"
        self.query_one("#actions-status", Static).update(Text("Reading the actions…"))
        self.query_one(BrowseTable).focus()
        self._read_actions()

    class Read(Message):
        """Posted by the worker with every action, read and sorted."""

        def __init__(self, actions: list[Action]) -> None:
            super().__init__()
            self.actions = actions

    @work(thread=True, exclusive=True, group="actions")
    def _read_actions(self) -> None:
        # later meetings' minutes are read for the status: a big library takes a while
        self.post_message(self.Read(sorted_actions(read_actions(self.library), self.today)))

    def on_actions_screen_read(self, message: Read) -> None:
        self.all = message.actions
        self.read = True
        table = self.query_one(BrowseTable)
        wide = self.app.size.width >= WIDE
        owner = max((len(one_line(a.owner)) for a in self.all), default=5)
        columns = [
            ("status", "Status", 9, 7),
            ("due", "Due", 10, 10),
            ("owner", "Owner", owner if wide else min(owner, NARROW_OWNER), 8),
            ("meeting", "Meeting", 10, 10),
            ("item", "Item", max((len(one_line(a.item)) for a in self.all), default=4), 4),
            ("action", "Action", max((len(one_line(a.text)) for a in self.all), default=6), 12),
        ]
        if not wide:  # the meeting's date is in the line under the table
            columns = [c for c in columns if c[0] != "meeting"]
        natural = [max(n, len(label)) for _, label, n, _ in columns]
        widths = fit_widths(natural, self.app.size.width, [m for *_, m in columns])
        self.widths = {key: w for (key, *_), w in zip(columns, widths, strict=True)}
        for (key, label, *_), w in zip(columns, widths, strict=True):
            table.add_column(safe.text(label, width=w), key=key, width=w)
        self._fill()

    def _filters(self) -> tuple[list[str], str | None]:
        text = self.query_one("#actions-words", TextBox).value
        status: str | None = None
        if m := _STATUS.search(text):
            status = m.group(1).lower()
        chosen = self.query_one("#actions-state", Select).value
        if status is None and isinstance(chosen, str):
            status = chosen
        return _STATUS.sub(" ", text).casefold().split(), status

    def _fill(self) -> None:
        if not self.read:
            return
        words, status = self._filters()
        self.shown = [a for a in self.all if matches(a, words, status, self.today)]
        table = self.query_one(BrowseTable)
        table.clear()
        w = self.widths
        for n, a in enumerate(self.shown):
            state = status_of(a, self.today)
            cells = [
                Text(state, style=STATUS_STYLE[state], no_wrap=True),
                Text(a.due or "—", no_wrap=True),
                safe.text(a.owner or "—", width=w["owner"]),
                Text(a.date, no_wrap=True),
                safe.text(a.item, width=w["item"]),
                safe.text(a.text, width=w["action"]),
            ]
            if "meeting" not in w:
                del cells[3]
            table.add_row(*cells, key=str(n))
        self._status()
        self._detail()
        self.refresh_bindings()

    def _status(self) -> None:
        overdue = sum(1 for a in self.shown if a.overdue(self.today))
        n = len(self.shown)
        if not self.all:
            text = "No actions are recorded."
        elif not n:
            text = f"No action matches (of {len(self.all)})."
        else:
            text = f"{n} action{'s' if n != 1 else ''}" + (
                f", {overdue} overdue" if overdue else ""
            )
            text += " · Enter opens the item"
        self.query_one("#actions-status", Static).update(Text(text))

    def _current(self) -> Action | None:
        table = self.query_one(BrowseTable)
        if not self.shown or table.cursor_row is None or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def _detail(self) -> None:
        a = self._current()
        detail = self.query_one("#actions-detail", Static)
        if a is None:
            detail.update(Text(""))
            return
        out = Text()
        out.append(f"{a.date} item {one_line(a.item)}. ", style="bold")
        out.append(one_line(a.item_title), style="bold")
        if a.confidential:
            out.append(" ")
            out.append(" CONFIDENTIAL ", style="bold white on red")
        out.append("\n")
        out.append(one_line(a.text))
        out.append("\nOwner: ", style="dim")
        out.append(one_line(a.owner) or "not named")
        out.append("  Due: ", style="dim")
        out.append(a.due or "not given")
        e = a.evidence
        if e is None:
            out.append("\nNo later meeting refers back to it.", style="dim")
        else:
            out.append(f"\n{a.status.capitalize()} at {e.date} item {one_line(e.item)} ")
            out.append(one_line(e.title), style="italic")
            out.append(f" ({e.reason}, E opens it): ", style="dim")
            out.append(f"“{one_line(e.sentence)}”")
        detail.update(out)

    async def on_key(self, event) -> None:
        await type_to_filter(
            self, event, self.query_one(BrowseTable), self.query_one("#actions-words", TextBox)
        )

    @on(TextBox.Changed, "#actions-words")
    @on(Select.Changed, "#actions-state")
    def _changed(self) -> None:
        self._fill()

    @on(TextBox.Submitted, "#actions-words")
    def _submitted(self) -> None:
        self.action_focus_table()

    @on(DataTable.RowHighlighted, "#actions-table")
    def _highlighted(self) -> None:
        self._detail()
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#actions-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        a = self._current()
        if a is not None:
            host(self).open_item(a.meeting, a.item)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_evidence":
            a = self._current()
            return a is not None and a.evidence is not None
        if action == "clear_filter":
            return bool(self.query_one("#actions-words", TextBox).value)
        return True

    def action_clear_filter(self) -> None:
        self.query_one("#actions-words", TextBox).value = ""

    def action_open_evidence(self) -> None:
        a = self._current()
        if a is not None and a.evidence is not None:
            host(self).open_item(a.evidence.meeting, a.evidence.item)

    def action_focus_filter(self) -> None:
        self.query_one("#actions-words", TextBox).focus()

    def action_focus_table(self) -> None:
        self.query_one(BrowseTable).focus()
