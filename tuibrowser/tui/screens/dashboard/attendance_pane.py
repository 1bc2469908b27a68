"""The dashboard's Attendance tab: each person's meetings by attendance status, overall and by
year, from :mod:`tuibrowser.attendance_stats`."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static, TabPane

from .... import attendance_stats
from ....library import Library
from ....model import STATUS_LABELS, STATUS_MEANINGS, STATUSES
from ....text import one_line
from ...gone import row_at
from ...host import host
from ...widgets import BrowseTable
from ...widgets.ratings import faint, hanging
from .common import keep_cursor

STATUS_SHORT = {"present": "P", "apologies": "Ap", "in_attendance": "In", "absent": "Ab"}
DOUBLE = "*"
DISAGREE = "≠"


class AttendancePane(TabPane):
    """A legend of the statuses above a table of people."""

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__("Attendance", id=id)
        self.people = attendance_stats.attendance(library)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._legend(), id="attendance-legend")
            yield BrowseTable(id="attendance-table", zebra_stripes=True)

    def _legend(self) -> RenderableType:
        head = Text("Meetings per person over the records, by status. ", style="bold")
        head.append("Enter opens the person.")
        rows = []
        for s in STATUSES:
            line = Text(STATUS_LABELS[s], style="bold")
            line.append(f": {STATUS_MEANINGS[s]}")
            rows.append((f"{STATUS_SHORT[s]:>2} ", line))
        doubles = [p for p in self.people if p.doubles]
        if doubles:
            names = ", ".join(one_line(p.name, 30) for p in doubles[:3])
            more = f" and {len(doubles) - 3} more" if len(doubles) > 3 else ""
            rows.append(
                (
                    f"{DOUBLE:>2} ",
                    Text(
                        f"listed twice at one meeting ({names}{more}): the meeting counts "
                        f"once, {attendance_stats.PRECEDENCE_TEXT}."
                    ),
                )
            )
        disagree = [p for p in self.people if p.conflicts]
        if disagree:
            names = ", ".join(one_line(p.name, 30) for p in disagree[:3])
            more = f" and {len(disagree) - 3} more" if len(disagree) > 3 else ""
            rows.append(
                (
                    f"{DISAGREE:>2} ",
                    Text(
                        f"a meeting's records disagree ({names}{more}): counted as the minutes "
                        "say; the person's page shows what each record says."
                    ),
                )
            )
        return Group(head, hanging(rows))

    def fill(self) -> None:
        table = self.query_one("#attendance-table", BrowseTable)
        keep = table.cursor_key
        table.clear(columns=True)
        years = attendance_stats.attendance_years(self.people)
        table.add_column(Text("Name"), key="name")
        for s in STATUSES:
            table.add_column(Text(STATUS_SHORT[s]), key=s)
        for y in years:
            table.add_column(Text(y), key=f"y{y}")
        if not self.people:
            table.add_row(
                Text("No attendance in these records.", style=faint()),
                *[""] * (len(STATUSES) + len(years)),
            )
        for i, p in enumerate(self.people):
            cells: list[Text] = [Text(one_line(p.name, 28))]
            cells += [Text(str(p.counts.get(s, 0)), justify="right") for s in STATUSES]
            doubled = p.doubled_years()
            disputed = {c.date[:4] for c in p.conflicts}
            for y in years:
                c = p.by_year.get(y)
                if not c:
                    cells.append(Text("–", style=faint()))
                    continue
                cell = Text(" ".join(f"{STATUS_SHORT[s]}{c[s]}" for s in STATUSES if c[s]))
                if y in doubled:
                    cell.append(DOUBLE, style="bold")
                if y in disputed:
                    cell.append(DISAGREE, style="bold")
                cells.append(cell)
            table.add_row(*cells, key=str(i))
        keep_cursor(table, keep)

    @on(DataTable.RowSelected, "#attendance-table")
    def _open_person(self, event: DataTable.RowSelected) -> None:
        event.stop()
        p = row_at(self.people, event.row_key.value)
        if p is None:
            return
        host(self).open_person(p.key)
