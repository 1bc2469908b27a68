"""One KPI row: its full target and delivery text, the note, its history across periods,
and a key to the meeting item it was reported under.

j / k scroll the page; in the history table they move the cursor (and ``g`` still opens the
meeting there)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...kpi import KpiRow, find_row, history, progress, rating_word
from ...library import Library
from ...text import clean, one_line
from ..gone import row_at
from ..host import host
from ..widgets import BrowseTable
from ..widgets.ratings import faint, progress_bar, rating_text


def _section(title: str, body: str | None) -> Text:
    out = Text(title + "\n", style="bold underline")
    if body:
        out.append(clean(body.strip()))
    else:
        out.append("not given", style=f"{faint()} italic".strip())
    return out


class HistoryTable(BrowseTable):
    """The periods a KPI code was reported in; ``g`` opens the meeting, as on the screen."""

    HELP_NAME = "the history"

    BINDINGS = [
        Binding("g", "screen.open_meeting", "Meeting", show=False, id="kpi.history_meeting"),
    ]


class KpiScreen(Screen):
    """The full record of one KPI row (``meeting_id`` + ``code``)."""

    DEFAULT_CSS = """
    KpiScreen #kpi-body { padding: 0 1; }
    KpiScreen .kpi-block { margin-bottom: 1; }
    KpiScreen #kpi-history { height: auto; max-height: 10; margin-bottom: 1; }
    """

    SCREEN_NAME = "KPI"

    BINDINGS = [
        Binding("o", "open_item", "Open item", id="kpi.open_item"),
        Binding("g", "open_meeting", "Meeting", id="kpi.open_meeting"),
        Binding("j", "scroll(1)", "Down", show=False, id="kpi.down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="kpi.up"),
    ]

    def __init__(self, library: Library, meeting_id: str, code: str) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.code = code
        self._use(library)

    def _use(self, library: Library) -> None:
        self.library = library
        self.row: KpiRow | None = find_row(library, self.meeting_id, self.code)
        self.history: list[KpiRow] = history(library, self.code) if self.row else []

    def library_loaded(self, library: Library) -> None:
        """The app read the files again: show the row as the new Library has it."""
        if library is self.library:
            return
        self._use(library)
        self.call_later(self._rebuild)

    async def _rebuild(self) -> None:
        await self.recompose()
        self.on_mount()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="kpi-body"):
            yield Static(self._heading(), id="kpi-heading", classes="kpi-block")
            if self.row is not None:
                k = self.row.kpi
                p = progress(k)
                if p is not None:
                    line = Text("Actual against target: ", style="bold")
                    line.append_text(progress_bar(p, width=20))
                    line.append("  " + p.describe())
                    if self.row.rating_differs:
                        line.append(
                            f"\n* rated {rating_word(k.rating)} on more than these figures"
                            + (": see the note" if k.note else ""),
                            style="bold",
                        )
                    yield Static(line, id="kpi-progress", classes="kpi-block")
                yield Static(_section("Target", k.target), id="kpi-target", classes="kpi-block")
                yield Static(
                    _section("Delivered", k.delivered), id="kpi-delivered", classes="kpi-block"
                )
                if k.note:
                    yield Static(_section("Note", k.note), id="kpi-note", classes="kpi-block")
                yield Static(
                    Text(
                        f"History of {one_line(k.code)}: reported in "
                        f"{len(self.history)} period{'s' if len(self.history) != 1 else ''}",
                        style="bold underline",
                    ),
                    id="kpi-history-title",
                )
                yield HistoryTable(id="kpi-history", zebra_stripes=True)
                yield Static(self._source(), id="kpi-source", classes="kpi-block")
        yield Footer()

    def _heading(self) -> Text:
        if self.row is None:
            return Text(
                f"No KPI {one_line(self.code)} in meeting {one_line(self.meeting_id)}: "
                "it is no longer in the folder. Press Escape to go back.",
                style="bold",
            )
        k = self.row.kpi
        out = Text(f"KPI {one_line(k.code)}  ", style="bold")
        out.append_text(rating_text(k.rating))
        if k.code_printed and k.code_printed != k.code:
            out.append(f"  (printed as {one_line(k.code_printed)})", style="italic")
        out.append(f"\nPeriod: {one_line(k.period) or 'not given'}")
        out.append(f"\nTheme: {one_line(k.theme) or 'no theme printed'}")
        return out

    def _source(self) -> Text:
        assert self.row is not None
        k = self.row.kpi
        out = Text("Source: ", style="bold")
        out.append(f"meeting {self.row.date}")
        if k.item:
            out.append(f", item {one_line(k.item)}")
            out.append("  — press o to open the item, g for the meeting", style=faint())
        else:
            out.append("  — press g to open the meeting", style=faint())
        return out

    def on_mount(self) -> None:
        host(self).updates.library.subscribe(self, self.library_loaded)
        if self.row is None:
            return
        table = self.query_one("#kpi-history", DataTable)
        table.add_columns("Meeting", "Period", "Rating", "Target", "Actual")
        for i, r in enumerate(self.history):
            k = r.kpi
            mark = "▶ " if r.meeting_id == self.meeting_id and k is self.row.kpi else "  "
            table.add_row(
                Text(mark + r.date),
                Text(one_line(k.period)),
                rating_text(k.rating),
                Text("" if k.target_value is None else f"{k.target_value:g}"),
                Text("" if k.actual_value is None else f"{k.actual_value:g}"),
                key=str(i),
            )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        r = row_at(self.history, event.row_key.value)
        if r is None or (self.row is not None and r.kpi is self.row.kpi):
            return  # the history is being redrawn from a new library, or this is the row
        host(self).open_kpi(r.meeting_id, r.code)

    def action_scroll(self, step: int) -> None:
        body = self.query_one("#kpi-body", VerticalScroll)
        if step > 0:
            body.scroll_down()
        else:
            body.scroll_up()

    def action_open_item(self) -> None:
        if self.row is None:
            return
        if not self.row.kpi.item:
            self.notify("This row does not name the item it was reported under.")
            return
        host(self).open_item(self.meeting_id, self.row.kpi.item)

    def action_open_meeting(self) -> None:
        host(self).open_meeting(self.meeting_id)
