"""Membership over time: each board's members per period, with role, group and authority;
type to filter (``Labour``), Enter opens the person. The rows are :mod:`tuibrowser.membership`'s.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...library import Library
from ...membership import MembershipRow, matches, membership
from ...text import one_line
from .. import safe
from ..host import host
from ..widgets import BrowseTable, TextBox, TitleBar, fit_widths, type_to_filter

LEGEND = (
    "Source: list = the period's membership list · n meetings = attendance records naming "
    "them · — not recorded"
)
COLUMNS = (
    ("name", "Name", 12),
    ("role", "Role", 8),
    ("group", "Group", 8),
    ("authority", "Authority", 10),
    ("source", "Source", 14),
)


class MembershipScreen(Screen):
    """Each board's membership per period; type to filter by name, role, group or authority."""

    SCREEN_NAME = "Membership"

    DEFAULT_CSS = """
    MembershipScreen #membership-filter { height: 1; border: none; padding: 0 1; background: $boost; }
    MembershipScreen #membership-filter:focus { background: $primary 30%; }
    MembershipScreen #membership-legend { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    MembershipScreen DataTable { height: 1fr; }
    """

    BINDINGS = [
        Binding("down", "focus_table", "List", show=False, id="membership.list"),
        Binding("ctrl+f", "focus_filter", "Filter", id="membership.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="membership.clear"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.rows = membership(library)
        self.boards = len({r.board for r in self.rows})
        self.shown: list[MembershipRow] = []
        self.widths: list[int] = []

    def compose(self) -> ComposeResult:
        periods = len({(r.board, r.period) for r in self.rows})
        yield TitleBar(
            f"Membership over time — {periods} period{'s' if periods != 1 else ''}", id="title"
        )
        yield TextBox(
            placeholder="Filter by name, role, group (Labour) or authority",
            id="membership-filter",
        )
        yield Static(Content(LEGEND), id="membership-legend")
        yield BrowseTable(id="membership-table", zebra_stripes=True, typing=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Membership"
        table = self.query_one(BrowseTable)
        natural = [
            max((len(one_line(r.name)) for r in self.rows), default=4),
            max((len(one_line(r.role)) for r in self.rows), default=4),
            max((len(one_line(r.group)) for r in self.rows), default=5),
            max((len(one_line(r.authority)) for r in self.rows), default=9),
            max((len(r.source()) for r in self.rows), default=6),
        ]
        natural = [max(n, len(label)) for n, (_, label, _) in zip(natural, COLUMNS, strict=True)]
        self.widths = fit_widths(natural, self.app.size.width, [m for *_, m in COLUMNS])
        for (key, label, _), w in zip(COLUMNS, self.widths, strict=True):
            table.add_column(Text(label), key=key, width=w)
        self._fill("")
        table.focus()

    def _fill(self, text: str) -> None:
        self.shown = [r for r in self.rows if matches(r, text)]
        table = self.query_one(BrowseTable)
        table.clear()
        w = self.widths
        counts: dict[tuple[str, str], int] = {}
        for r in self.shown:
            counts[(r.board, r.period)] = counts.get((r.board, r.period), 0) + 1
        last: tuple[str, str] | None = None
        for n, r in enumerate(self.shown):
            if (r.board, r.period) != last:
                last = (r.board, r.period)
                count = counts[last]
                table.add_row(
                    Text(r.period, style="bold underline"),
                    Text(f"{count} member{'s' if count != 1 else ''}", style="bold"),
                    safe.text(r.board if self.boards > 1 else "", "bold", w[2]),
                    *(Text("") for _ in COLUMNS[3:]),
                    key=f"period:{n}",
                )
            table.add_row(
                safe.text(r.name, width=w[0]),
                safe.text(r.role or "—", width=w[1]),
                safe.text(r.group or "—", width=w[2]),
                safe.text(r.authority or "—", width=w[3]),
                Text(r.source(), no_wrap=True, overflow="ellipsis"),
                key=f"row:{n}:{r.person}",
            )
        legend = self.query_one("#membership-legend", Static)
        if not self.rows:
            legend.update(Content("No membership lists or attendance records."))
        elif not self.shown:
            legend.update(Content("No one matches the filter."))
        elif text.strip():
            legend.update(Content(f"{len(self.shown)} of {len(self.rows)} rows match · {LEGEND}"))
        else:
            legend.update(Content(LEGEND))
        self.refresh_bindings()

    async def on_key(self, event) -> None:
        await type_to_filter(
            self,
            event,
            self.query_one(BrowseTable),
            self.query_one("#membership-filter", TextBox),
        )

    @on(TextBox.Changed, "#membership-filter")
    def _filter(self, event: TextBox.Changed) -> None:
        self._fill(event.value)

    @on(TextBox.Submitted, "#membership-filter")
    def _submitted(self) -> None:
        self.action_focus_table()

    @on(DataTable.RowSelected, "#membership-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value or ""
        if not key.startswith("row:"):
            return
        person = key.split(":", 2)[2]
        if person in self.library.people:
            host(self).open_person(person)
        else:  # named only in an attendance list set aside for the minutes'
            host(self).say("No meeting's counted attendance names this person.")

    def action_focus_table(self) -> None:
        self.query_one(BrowseTable).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#membership-filter", TextBox).value = ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return bool(self.query_one("#membership-filter", TextBox).value)
        return True

    def action_focus_filter(self) -> None:
        self.query_one("#membership-filter", TextBox).focus()
