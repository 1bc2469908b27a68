"""Decisions and actions of every meeting in one list, filtered by year, meeting and words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Select, Static
from textual.widgets.option_list import Option

from ...library import Library
from ...model import Item, Meeting
from ...search import display_text
from ...text import one_line
from ..gone import row_at
from ..host import host
from ..widgets import BrowseList, TextBox, TitleBar, type_to_filter

_FILTER = re.compile(r"\b(year|meeting|kind|is):(\S+)", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    kind: str  # "decision" or "action"
    meeting: Meeting
    item: Item
    text: str

    @property
    def haystack(self) -> str:
        return f"{self.text} {self.item.title}".lower()


def entries(library: Library) -> list[Entry]:
    """Every decision and action, newest meeting first, in the order the items were taken."""
    out: list[Entry] = []
    for m in library.meetings:
        for it in m.items:
            out.extend(Entry("decision", m, it, d) for d in it.decisions)
            out.extend(Entry("action", m, it, a) for a in it.actions)
    return out


@dataclass
class Filters:
    words: list[str]
    year: str | None = None
    meeting: str | None = None
    kind: str | None = None
    confidential: bool = False  # is:confidential: only the items marked confidential


def parse_filters(text: str) -> Filters:
    """Words plus ``year:2023``, ``meeting:2023-07-21`` (a date or an id), ``kind:action``
    and ``is:confidential`` (the items marked so, not those whose words say it)."""
    f = Filters(words=[])
    for name, value in _FILTER.findall(text):
        name = name.lower()
        if name == "year":
            f.year = value
        elif name == "meeting":
            f.meeting = value
        elif name == "is":
            f.confidential = f.confidential or "confidential".startswith(value.lower())
        else:
            f.kind = value.lower().rstrip("s")
    f.words = _FILTER.sub(" ", text).lower().split()
    return f


def select(all_entries: list[Entry], f: Filters) -> list[Entry]:
    out = []
    for e in all_entries:
        if f.year and not e.meeting.date.startswith(f.year):
            continue
        if f.meeting and not (e.meeting.id == f.meeting or e.meeting.date.startswith(f.meeting)):
            continue
        if f.kind and e.kind != f.kind:
            continue
        if f.confidential and not e.item.confidential:
            continue
        if f.words and not all(w in e.haystack for w in f.words):
            continue
        out.append(e)
    return out


class DecisionsScreen(Screen):
    """Every decision and action; Enter opens the item it belongs to."""

    SCREEN_NAME = "Decisions"

    DEFAULT_CSS = """
    DecisionsScreen #decisions-filters { height: auto; }
    DecisionsScreen #decisions-filters TextBox { width: 1fr; }
    DecisionsScreen #decisions-filters Select { width: 16; }
    DecisionsScreen #decisions-filters #decisions-meeting { width: 18; }
    DecisionsScreen #decisions-status { height: 1; padding: 0 1; color: $text-muted; }
    DecisionsScreen OptionList { height: 1fr; }
    """

    BINDINGS = [
        Binding("ctrl+f", "focus_filter", "Filter", id="decisions.filter"),
        Binding("down", "focus_list", "List", show=False, id="decisions.list"),
        Binding("escape", "clear_filter", "Clear filter", id="decisions.clear"),
        Binding("ctrl+t", "app.actions", "Action tracker", id="decisions.tracker"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.all = entries(library)
        self.shown: list[Entry] = []

    def compose(self) -> ComposeResult:
        years = sorted({m.date[:4] for m in self.library.meetings}, reverse=True)
        yield TitleBar("Decisions and actions", id="title")
        with Horizontal(id="decisions-filters"):
            yield TextBox(
                placeholder="Words, year:2023, kind:action",
                id="decisions-words",
            )
            yield Select(
                [(y, y) for y in years], prompt="Any year", id="decisions-year", compact=True
            )
            yield Select(
                [(m.date, m.id) for m in self.library.meetings],
                prompt="Any meeting",
                id="decisions-meeting",
                compact=True,
            )
        yield Static(id="decisions-status")
        yield BrowseList(id="decisions-list", typing=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Decisions and actions"
        self._refresh()
        self.query_one(OptionList).focus()

    def filters(self) -> Filters:
        f = parse_filters(self.query_one("#decisions-words", TextBox).value)
        year = self.query_one("#decisions-year", Select).value
        meeting = self.query_one("#decisions-meeting", Select).value
        if f.year is None and isinstance(year, str):
            f.year = year
        if f.meeting is None and isinstance(meeting, str):
            f.meeting = meeting
        return f

    @on(TextBox.Changed, "#decisions-words")
    @on(Select.Changed)
    def _changed(self) -> None:
        self._refresh()

    @on(TextBox.Submitted, "#decisions-words")
    def _submitted(self) -> None:
        self.action_focus_list()

    def _refresh(self) -> None:
        self.shown = select(self.all, self.filters())
        options: list[Option] = []
        last: str | None = None
        for n, e in enumerate(self.shown):
            if e.meeting.id != last:
                last = e.meeting.id
                options.append(
                    Option(
                        Text(
                            f"{e.meeting.date} {one_line(e.meeting.board)}", style="bold underline"
                        ),
                        disabled=True,
                    )
                )
            line = Text("  ")
            line.append(f"{e.item.number}. {one_line(e.item.title)}", style="bold")
            if e.item.confidential:
                line.append(" ")
                line.append(" CONFIDENTIAL ", style="bold white on red")
            what = Text(
                "Decision: " if e.kind == "decision" else "Action: ",
                style="bold green" if e.kind == "decision" else "bold cyan",
            )
            what.append(display_text(e.text))
            prompt = Group(line, Padding(what, (0, 0, 0, 4)))
            options.append(Option(prompt, id=f"e{n}"))
        self.query_one(OptionList).set_options(options)
        self.refresh_bindings()  # Escape: clears the words, or goes back when there are none
        decisions = sum(1 for e in self.shown if e.kind == "decision")
        actions = len(self.shown) - decisions
        meetings = len({e.meeting.id for e in self.shown})
        status = (
            f"{decisions} decision{'s' if decisions != 1 else ''}, "
            f"{actions} action{'s' if actions != 1 else ''} at {meetings} "
            f"meeting{'s' if meetings != 1 else ''} · Enter opens the item"
        )
        if not self.all:
            status = "No decisions or actions are recorded."
        self.query_one("#decisions-status", Static).update(Text(status))

    @on(OptionList.OptionSelected, "#decisions-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        oid = event.option.id or ""
        e = row_at(self.shown, oid) if oid.startswith("e") else None
        if e is not None:
            host(self).open_item(e.meeting.id, e.item.number)

    async def on_key(self, event: events.Key) -> None:
        await type_to_filter(
            self, event, self.query_one(BrowseList), self.query_one("#decisions-words", TextBox)
        )

    def action_focus_filter(self) -> None:
        self.query_one("#decisions-words", TextBox).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#decisions-words", TextBox).value = ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return bool(self.query_one("#decisions-words", TextBox).value)
        return True

    def action_focus_list(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if options.highlighted is None and options.option_count:
            options.action_first()
