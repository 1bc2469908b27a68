"""Every confidential item: the items marked confidential, newest meeting first; Enter opens
the item. With ``--public`` only that items were withheld, and how many, per meeting (the
rows are :func:`tuibrowser.confidential.entries`'); Enter opens the meeting."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...confidential import ConfidentialEntry, entries, withheld_text
from ...library import Library
from ...text import one_line
from .. import safe
from ..host import host
from ..widgets import BrowseTable, TitleBar, fit_widths

HELP = "Items marked confidential (Part 2, restricted, exempt) · Enter opens the item"
PUBLIC_HELP = "Public mode: confidential items are withheld; only how many is shown"


def notes(e: ConfidentialEntry) -> str:
    """``2 decisions, 1 action``: what the item holds (never its text)."""
    if e.item is None:
        return ""
    parts = []
    for n, word in ((len(e.item.decisions), "decision"), (len(e.item.actions), "action")):
        if n:
            parts.append(f"{n} {word}{'s' if n != 1 else ''}")
    return ", ".join(parts)


class ConfidentialScreen(Screen):
    """Every confidential item at every meeting."""

    SCREEN_NAME = "Confidential items"

    DEFAULT_CSS = """
    ConfidentialScreen #confidential-help { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    ConfidentialScreen DataTable { height: 1fr; }
    """

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.entries = entries(library.meetings)

    def compose(self) -> ComposeResult:
        items = sum(1 for e in self.entries if e.item is not None)
        withheld = sum(e.withheld for e in self.entries)
        title = f"Confidential items — {items + withheld}"
        if any(e.unread for e in self.entries):
            title += " and more withheld"
        yield TitleBar(title, id="title")
        yield Static(id="confidential-help")
        yield BrowseTable(id="confidential-table", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Confidential items"
        public = host(self).public
        table = self.query_one(BrowseTable)
        width = self.app.size.width
        boards = len({e.meeting.board for e in self.entries}) > 1
        cells = [self._cells(e, boards) for e in self.entries]
        natural = [
            10,
            max((len(c[1]) for c in cells), default=4),
            max((len(c[2]) for c in cells), default=5),
        ]
        natural = [max(n, len(h)) for n, h in zip(natural, ("Date", "No.", "Item"), strict=True)]
        natural.append(max((len(c[3]) for c in cells), default=0))
        widths = fit_widths(natural, width, [10, 3, 16, 0])
        for key, label, w in zip(
            ("date", "number", "item", "notes"), ("Date", "No.", "Item", ""), widths, strict=True
        ):
            table.add_column(Text(label), key=key, width=w)
        for n, (e, c) in enumerate(zip(self.entries, cells, strict=True)):
            item = safe.text(c[2], width=widths[2])
            if e.item is None:
                item.stylize("italic")
            table.add_row(
                Text(c[0]),
                Text(c[1], justify="right"),
                item,
                Text(c[3], style="dim", no_wrap=True, overflow="ellipsis"),
                key=f"e{n}",
            )
        help_ = PUBLIC_HELP if public else HELP
        if not self.entries:
            help_ = "No item is marked confidential." + ("" if not public else " " + PUBLIC_HELP)
        self.query_one("#confidential-help", Static).update(Content(help_))
        table.focus()

    def _cells(self, e: ConfidentialEntry, boards: bool) -> tuple[str, str, str, str]:
        where = f"{one_line(e.meeting.board)}: " if boards else ""
        if e.item is None:
            return (e.meeting.date, "", where + withheld_text(e.withheld, e.unread), "")
        return (e.meeting.date, one_line(e.item.number), where + one_line(e.item.title), notes(e))

    @on(DataTable.RowSelected, "#confidential-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value or ""
        if not key.startswith("e"):
            return
        e = self.entries[int(key[1:])]
        if e.item is None:
            host(self).open_meeting(e.meeting.id)
        else:
            host(self).open_item(e.meeting.id, e.item.number)
