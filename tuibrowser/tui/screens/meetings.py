"""The meeting list (home): newest first, filter as you type, sort by any column, Enter opens.

Built for large folders: the table holds at most one page of rows at a time (more are added as
the cursor reaches the end), so 10,000 meetings never means 10,000 rows rendered up front. On
the cache the filter and the sort run over plain tuples in Python; on a store that pages the
list in SQL (``--store``) the list asks it for the pages it shows (:mod:`.meetingpages`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Footer, Static
from textual.widgets.data_table import ColumnKey

from ...listing import MeetingRow, meeting_row
from ...text import one_line
from .. import safe
from ..host import host
from ..widgets import BrowseTable, TextBox, TitleBar, type_to_filter
from .meetingpages import PAGE, PagedList, held_boards

if TYPE_CHECKING:  # the first frame shows cached rows: the model comes with the library
    from ...library import Library
    from ...model import Meeting


@dataclass(slots=True)
class Row:
    """One meeting as the list shows it, with a lower-case haystack for the filter."""

    id: str
    date: str
    board: str
    docs: str
    venue: str
    items: int
    present: int
    haystack: str
    cancelled: bool = False
    confidential: int = 0  # as MeetingRow.confidential: -1 every item withheld, file unread


# The mark column: a character each, told in the status line (legible without colour).
MARK_CONFIDENTIAL = "C"
MARK_UNREAD = "?"
MARK_CANCELLED = "X"
MARK_LEGENDS = {
    MARK_CONFIDENTIAL: ("C confidential items", "C confid."),
    MARK_UNREAD: ("? items withheld, a file unread", "? withheld"),
    MARK_CANCELLED: ("X cancelled", "X canc."),
}


def new_mark() -> Text:
    """The cell of a meeting new or changed since the user last looked."""
    return Text("●", style="bold")


def mark_of(row: Row) -> str:
    """The row's mark: cancelled, confidential items, or items withheld (a file unread)."""
    if row.cancelled:
        return MARK_CANCELLED
    if row.confidential < 0:
        return MARK_UNREAD
    return MARK_CONFIDENTIAL if row.confidential else " "


def row_from(r: MeetingRow) -> Row:
    haystack = " ".join([r.date, r.board, r.venue, r.titles]).lower()
    return Row(
        r.id, r.date, r.board, r.docs, r.venue, r.items, r.present, haystack, r.cancelled,
        r.confidential,
    )  # fmt: skip


def row_for(m: Meeting) -> Row:
    return row_from(meeting_row(m, ""))  # (a row shown has no use for the fingerprint)


def board_labels(boards: set[str], width: int) -> dict[str, str]:
    """Board names that tell the boards apart in a column ``width`` wide.

    Two boards called "Improvement & Innovation Board" and "Improvement & Resources Board"
    would both be cut to "Improvement…"; the words every name shares at its start and end
    are left out instead ("Innovation", "Resources"), and only then is a name cut.
    """
    if all(len(b) <= width for b in boards) or len(boards) < 2:
        return {b: one_line(b, width) for b in boards}
    words = {b: b.split() for b in boards}
    shortest = min(len(w) for w in words.values())
    lead = 0
    while lead < shortest - 1 and len({tuple(w[: lead + 1]) for w in words.values()}) == 1:
        lead += 1
    tail = 0
    while (
        lead + tail < shortest - 1
        and len({tuple(w[len(w) - tail - 1 :]) for w in words.values()}) == 1
    ):
        tail += 1
    cores = {b: " ".join(w[lead : len(w) - tail]) or b for b, w in words.items()}
    out = {b: one_line(core, width) for b, core in cores.items()}
    # names still alike once cut: tell those apart among themselves, the same way
    alike: dict[str, list[str]] = {}
    for board, label in out.items():
        alike.setdefault(label, []).append(board)
    for same in alike.values():
        if len(same) < 2 or (len(same) == len(boards) and not lead and not tail):
            continue  # nothing left to strip: cut with an ellipsis is the best there is
        by_core = {cores[b]: b for b in same}
        if len(by_core) == len(same):
            for core, label in board_labels(set(by_core), width).items():
                out[by_core[core]] = label
    return out


# column key → (label, sort key)
COLUMNS = {
    "date": ("Date", lambda r: r.date),
    "board": ("Board", lambda r: r.board.lower()),
    "docs": ("Docs", lambda r: r.docs),
    "venue": ("Venue", lambda r: r.venue.lower()),
    "items": ("Items", lambda r: r.items),
    "present": ("Present", lambda r: r.present),
}
SORT_CYCLE = list(COLUMNS)


class MeetingsScreen(PagedList):
    """Every meeting, newest first."""

    SCREEN_NAME = "Meetings"

    DEFAULT_CSS = """
    MeetingsScreen #filter {
        height: 1;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    MeetingsScreen #filter:focus {
        background: $primary 30%;
    }
    MeetingsScreen #meetings {
        height: 1fr;
    }
    MeetingsScreen #status-line {
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    MeetingsScreen #status {
        width: 1fr;
        height: 1;
        color: $text-muted;
    }
    MeetingsScreen #problems-note {
        width: auto;
        height: 1;
        color: $warning;
        text-style: bold;
    }
    """

    BINDINGS = [
        Binding("ctrl+f", "focus_filter", "Filter", id="meetings.filter"),
        Binding("S", "sort_next", "Sort", id="meetings.sort"),
        Binding("R", "sort_reverse", "Reverse", show=False, id="meetings.reverse"),
        Binding("escape", "clear_filter", "Clear filter", id="meetings.clear"),
        # the meeting list is home, with nothing to go back to: Escape in an empty box leaves it
        Binding("escape", "to_table", "To the list", id="meetings.clear"),
        Binding("down", "to_table", "To the list", show=False, id="meetings.to_table"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self.matching: list[Row] = []
        self.shown = 0
        self.sort_column = "date"
        self.sort_reverse = True
        self.query_text = ""
        self.show_board = True
        self._columns_for: tuple[int, bool] | None = None
        self._labels: dict[str, str] = {}
        self._labels_for: int | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar("Meetings", id="title")
        yield TextBox(
            placeholder="Type to filter by date, board, venue or item title",
            id="filter",
            select_on_focus=False,
        )
        table = BrowseTable(id="meetings", typing=True)
        yield table
        with Horizontal(id="status-line"):
            yield Static(Content("Loading the meetings…"), id="status")
            yield Static(Content(""), id="problems-note")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#meetings", BrowseTable)
        self._add_columns(table)
        table.focus()
        app = host(self)
        self.pages = app.list_pages
        app.updates.failed.subscribe(self, self.library_failed)
        app.updates.marks.subscribe(self, self.marks_found)
        if self.pages is not None:
            self._mount_pages(app.meeting_rows)
            self.call_after_refresh(app.first_frame_out)
            return
        app.updates.rows.subscribe(self, self.rows_loaded)
        app.updates.library.subscribe(self, self.library_loaded)
        if app.library is not None:
            self.library_loaded(app.library)
        elif app.meeting_rows:
            self.rows_loaded(app.meeting_rows)
        self.call_after_refresh(app.first_frame_out)

    def _add_columns(self, table: BrowseTable) -> None:
        """(Re)create the columns with fixed widths that fit the terminal."""
        widths = self._widths()
        self._columns_for = (self.app.size.width, self.show_board)
        table.clear(columns=True)
        table.add_column(Text(" "), key="new", width=1)
        table.add_column(Text(" "), key="mark", width=1)
        for key, (label, _) in COLUMNS.items():
            if key == "board" and not self.show_board:
                continue
            table.add_column(Text(label), key=key, width=widths[key])

    # -- data --------------------------------------------------------------------

    def library_loaded(self, library: Library) -> None:
        rows = host(self).meeting_rows
        if rows is not None and len(rows) == len(library.meetings):
            self.rows_loaded(rows)
        else:
            self._show_rows([row_for(m) for m in library.meetings])

    def rows_loaded(self, rows: list[MeetingRow]) -> None:
        """The meeting list as cached (or its first page): shown before the library is loaded."""
        self._show_rows([row_from(r) for r in rows])

    def _show_rows(self, rows: list[Row]) -> None:
        self.rows = rows
        self._set_boards({r.board for r in self.rows})
        self.apply(keep_cursor=True)

    def _set_boards(self, boards: set[str]) -> None:
        self._labels_for = None
        # One board: its name goes in the title and the column makes room for the venue.
        show_board = len(boards) != 1
        title = "Meetings" if show_board else f"Meetings — {next(iter(boards))}"
        self.query_one("#title", TitleBar).set_title(Content(title))
        self.show_board = show_board

    def _boards(self) -> set[str]:
        """Every board of the list (the labels that tell them apart are made of them all)."""
        if self.pages is not None:
            return held_boards(self.held, self.facts)
        return {r.board for r in self.rows}

    def _marks(self) -> set[str]:
        """The marks the list's rows bear (told in the status line)."""
        facts = self.facts
        if self.pages is None or facts is None:
            return {mark_of(r) for r in self.rows or self.matching}
        told = (MARK_CANCELLED, MARK_UNREAD, MARK_CONFIDENTIAL)
        bear = (facts.cancelled, facts.unread, facts.confidential)
        return {mark for mark, has in zip(told, bear, strict=True) if has}

    def _row(self, r: MeetingRow) -> Row:
        return row_from(r)

    def _matching_count(self) -> int:
        """How many rows the filter keeps (on a store, while they are counted: those held)."""
        if self.pages is not None:
            held = self.held
            return 0 if held is None else len(held.rows) if held.count is None else held.count
        return len(self.matching)

    def marks_found(self, new: set[str]) -> None:
        """What is new since the last look, found after the first frame: the rows shown
        are marked (the rows added later are marked as they are added)."""
        table = self.query_one("#meetings", BrowseTable)
        for key in list(table.rows):
            if key.value in new:
                table.update_cell(key, "new", new_mark())
        self._update_status()

    def library_failed(self, reason: str) -> None:
        self.query_one("#status", Static).update(
            safe.line(f"Could not read the meetings: {reason}")
        )

    def apply(self, keep_cursor: bool = False) -> None:
        """Filter, sort and show the first page (on a store that pages the list: ask it)."""
        table = self.query_one("#meetings", BrowseTable)
        current = table.cursor_key if keep_cursor else None
        if self.pages is not None:
            self._ask(current)
            return
        words = self.query_text.lower().split()
        rows = [r for r in self.rows if all(w in r.haystack for w in words)]
        key = COLUMNS[self.sort_column][1]
        # ties always newest first, so equal boards/venues keep a useful order
        rows.sort(key=lambda r: r.date, reverse=True)
        rows.sort(key=key, reverse=self.sort_reverse)
        self.matching = rows
        self._show_first(table, current)

    def _show_first(self, table: BrowseTable, current: str | None) -> None:
        """Show the first page of ``matching``, the cursor on the row ``current`` if there."""
        self.shown = 0
        if self._columns_for != (self.app.size.width, self.show_board):
            self._add_columns(table)
        else:
            table.clear()
        self._update_headers(table)
        self._show_more(table)
        if current is not None:
            for n, r in enumerate(self.matching[: self.shown]):
                if r.id == current:
                    table.move_cursor(row=n, animate=False)
                    break
        self._update_status()

    def _update_headers(self, table: BrowseTable) -> None:
        for key, (label, _) in COLUMNS.items():
            column = table.columns.get(ColumnKey(key))
            if column is None:
                continue
            arrow = (" ▼" if self.sort_reverse else " ▲") if key == self.sort_column else ""
            column.label = Text(label + arrow)
        table.refresh()

    def _show_more(self, table: DataTable) -> None:
        new = host(self).new_meetings
        chunk = self.matching[self.shown : self.shown + PAGE]
        widths = self._widths()
        if self._labels_for != widths["board"]:
            self._labels = board_labels(self._boards(), widths["board"])
            self._labels_for = widths["board"]
        added: list[tuple[str, list[Text]]] = []
        for r in chunk:
            style = "dim" if r.cancelled else ""
            cells = [
                new_mark() if r.id in new else Text(" "),
                Text(mark_of(r), style="bold"),
                Text(r.date, style=style),
                Text(self._labels.get(r.board, r.board), style=style, no_wrap=True),
                Text(r.docs, style=style),
                safe.text(r.venue, style, widths["venue"]),
                Text(str(r.items), style=style, justify="right"),
                Text(str(r.present) if r.present else "–", style=style, justify="right"),
            ]
            if not self.show_board:
                del cells[3]
            added.append((r.id, cells))
        if isinstance(table, BrowseTable):
            table.add_keyed_rows(added)
        else:
            for key, cells in added:
                table.add_row(*cells, key=key)
        self.shown += len(chunk)
        self._read_ahead()

    def _widths(self) -> dict[str, int]:
        """Board and venue share what the fixed columns leave, so a row fits the terminal."""
        width = max(self.app.size.width, 60)
        fixed = 1 + 1 + 10 + 6 + 7 + 9 + 2 * 8 + 2  # columns, cell padding, scrollbar
        rest = max(width - fixed, 20)
        fixed_widths = {"new": 1, "mark": 1, "date": 10, "docs": 6, "items": 7, "present": 9}
        if not self.show_board:
            return {**fixed_widths, "board": 0, "venue": rest + 2}
        board = max(8, rest * 2 // 5)
        return {**fixed_widths, "board": board, "venue": max(8, rest - board)}

    def _update_status(self) -> None:
        # while only the first page is here, the index says how many there are
        total = max(len(self.rows), host(self).meeting_total)
        matching = self._matching_count()
        parts: list[str] = []
        if self.query_text:
            # the filter stays when you come back to the list: say so, and how to clear it
            more = "+" if self.held is not None and self.held.count is None else ""
            parts.append(f"{matching}{more} of {total} meetings match the filter (esc clears)")
        else:
            parts.append(f"{total} meeting{'s' if total != 1 else ''}")
        if self.shown < matching:
            parts.append(f"showing {self.shown} (more as you scroll)")
        new = host(self).new_meetings
        if new:
            parts.append(f"● {len(new)} new or changed since you last looked")
        loaded = host(self).loaded
        note = loaded.status_note if loaded is not None else ""
        # the legends of the Docs and mark columns go first when the line is short of room
        room = self.app.size.width - 2 - (len(note) + 2 if note else 0)
        marks = [MARK_LEGENDS[c] for c in MARK_LEGENDS if c in self._marks()]
        long_marks = ", ".join(m[0] for m in marks)
        short_marks = ", ".join(m[1] for m in marks)
        docs = ("Docs: A agenda, M minutes, R attendance", "A agenda, M minutes, R att.")
        choices = [
            [docs[0], long_marks],
            [docs[1], long_marks],
            [docs[1], short_marks],
            [long_marks],
            [short_marks],
            [docs[1]],
        ]
        for legend in choices:
            legend = [x for x in legend if x]
            if len(" · ".join([*parts, *legend])) <= room:
                parts.extend(legend)
                break
        status = Content(" · ".join(parts)).truncate(max(room, 1), ellipsis=True)
        self.query_one("#status", Static).update(status)
        self.query_one("#problems-note", Static).update(Content(note))

    # -- events ------------------------------------------------------------------

    @on(TextBox.Changed, "#filter")
    def _filter_changed(self, event: TextBox.Changed) -> None:
        self.query_text = event.value
        self.apply()

    @on(TextBox.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        """Enter in the filter: open the meeting if only one matches, else go to the list."""
        self.action_to_table()
        if self._matching_count() == 1 and self.matching:
            host(self).open_meeting(self.matching[0].id)

    @on(DataTable.RowSelected, "#meetings")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            host(self).open_meeting(event.row_key.value)

    @on(DataTable.RowHighlighted, "#meetings")
    def _more(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.shown - 1 and self.shown < len(self.matching):
            self._show_more(event.data_table)
            self._update_status()

    @on(DataTable.HeaderSelected, "#meetings")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key in COLUMNS:
            self.sort_by(key)

    def on_resize(self) -> None:
        # What the list shows depends on the width alone (the columns, the status line): a
        # resize that keeps it (the screen's first layouts, a change of height) keeps the
        # table, so the first frame fills it once, not once per layout.
        if self._columns_for == (self.app.size.width, self.show_board):
            return
        if self.pages is not None:  # the rows held are shown again, not asked again
            if self.held is not None:
                table = self.query_one("#meetings", BrowseTable)
                self._show_first(table, table.cursor_key)
        elif self.rows:
            self.apply(keep_cursor=True)

    async def on_key(self, event) -> None:
        """Type to filter (the rule is ``type_to_filter``'s): on the list a small letter or digit
        starts the filter and a capital or symbol does its command; in the box every key types."""
        await type_to_filter(
            self,
            event,
            self.query_one("#meetings", BrowseTable),
            self.query_one("#filter", TextBox),
        )

    # -- actions -----------------------------------------------------------------

    def sort_by(self, key: str) -> None:
        if key == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column = key
            self.sort_reverse = key in ("date", "items", "present")
        self.apply(keep_cursor=True)

    def action_sort_next(self) -> None:
        cycle = [c for c in SORT_CYCLE if c != "board" or self.show_board]
        n = cycle.index(self.sort_column) if self.sort_column in cycle else -1
        self.sort_column = cycle[(n + 1) % len(cycle)]
        self.sort_reverse = self.sort_column in ("date", "items", "present")
        self.apply(keep_cursor=True)
        host(self).say(f"Sorted by {COLUMNS[self.sort_column][0].lower()}")

    def action_sort_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.apply(keep_cursor=True)

    def action_focus_filter(self) -> None:
        self.set_focus(self.query_one("#filter", TextBox))

    def action_to_table(self) -> None:
        self.set_focus(self.query_one("#meetings", BrowseTable))

    def action_clear_filter(self) -> None:
        self.query_one("#filter", TextBox).value = ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_table":
            return self.focused is self.query_one("#filter", TextBox)
        if action == "clear_filter":
            return bool(self.query_one("#filter", TextBox).value)
        return True
