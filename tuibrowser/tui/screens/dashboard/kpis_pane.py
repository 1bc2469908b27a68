"""The dashboard's KPIs tab: the KPI rows with filters (text, theme, period, rating), a sort,
actual against target as a bar, and the row under the cursor in words."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Select, Static, TabPane
from textual.widgets.select import NoSelection

from .... import kpi as k
from ....keys import number_key
from ....library import Library
from ....text import one_line
from ...gone import row_at
from ...host import host
from ...widgets import BrowseTable, TextBox
from ...widgets.ratings import faint, progress_bar, rating_text
from .common import fit, screen_width

SORTS = ("listed", "code", "rating", "progress")
SORT_LABELS = {
    "listed": "as listed",
    "code": "by code",
    "rating": "red first",
    "progress": "lowest actual/target first",
}
RATING_ORDER = {"red": 0, "amber": 1, "not_stated": 2, "blue": 3, "green": 4}
NO_THEME = k.NO_THEME
# the marker on a row whose rating rests on more than its figures (E1: 115 of 110, amber)
DIFFERS = "*"
# Rows put in the table at most: an archive of 10,000 meetings has about 100,000 KPI rows, and
# a table of them all took half a minute to fill; the filter box narrows to the rest.
SHOWN_AT_MOST = 1000
DIFFERS_TEXT = "rating rests on more than these figures"


def histories(rows: list[k.KpiRow]) -> dict[str, list[k.KpiRow]]:
    """Each KPI's rows across every period that has them, oldest first, by code (any case;
    a row printed under another code is in that code's history too, as :func:`kpi.history`)."""
    out: dict[str, list[k.KpiRow]] = {}
    for r in rows:
        codes = {r.code.lower(), (r.kpi.code_printed or "").lower()} - {""}
        for code in codes:
            out.setdefault(code, []).append(r)
    return out


def history_text(rows: list[k.KpiRow], current: k.KpiRow) -> Text:
    """``History, 3 periods: 2016/17 G 90/100 · 2017/18 Q4 A 115/110``: the KPI in every
    period that has a row (the one under the cursor in bold)."""
    n = len(rows)
    out = Text(f"\nHistory, {n} period{'s' if n != 1 else ''}: ", style="bold")
    for i, r in enumerate(rows):
        if i:
            out.append(" · ", style=faint())
        label = one_line(r.period, 16) or f"meeting {r.date}"
        out.append(label + " ", style="bold" if r is current else "")
        out.append_text(rating_text(r.rating)[:1])
        p = k.progress(r.kpi)
        if p is not None:
            out.append(f" {p.actual:g}/{p.target:g}")
    return out


class KpisPane(TabPane):
    """The KPI table, its filters and the detail of the row under the cursor."""

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__("KPIs", id=id)
        self.library = library
        self.rows_all = k.all_rows(library)
        self.histories = histories(self.rows_all)
        self.rating_filter: str = ""
        self.theme_filter: str | None = None
        self.period_filter: str | None = None
        self.text_filter: str = ""
        self.sort = "listed"
        self.shown: list[k.KpiRow] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            with Horizontal(id="kpi-filters"):
                yield TextBox(placeholder="Type to filter", id="kpi-text")
                themes = [(Text(one_line(t, 40)), t) for t in k.themes(self.rows_all)]
                no_theme = sum(1 for r in self.rows_all if not r.kpi.theme)
                if no_theme:
                    themes.append((Text(f"{NO_THEME} ({no_theme} rows)"), NO_THEME))
                yield Select(themes, prompt="All themes", id="kpi-theme")
                periods = list(dict.fromkeys(r.period for r in self.rows_all if r.period))
                yield Select(
                    [(Text(one_line(p, 30)), p) for p in periods],
                    prompt="All periods",
                    id="kpi-period",
                )
            yield Static(id="kpi-status")
            yield BrowseTable(id="kpi-table", zebra_stripes=True, typing=True)
            yield Static(id="kpi-detail")

    def _width(self) -> int:
        return screen_width(self)

    def filtered(self) -> list[k.KpiRow]:
        rows = k.filter_rows(
            self.rows_all,
            rating=self.rating_filter or None,
            theme=None,
            period=None,
            text=self.text_filter or None,
        )
        if self.theme_filter == NO_THEME:
            rows = [r for r in rows if not r.kpi.theme]
        elif self.theme_filter is not None:
            rows = [r for r in rows if r.kpi.theme == self.theme_filter]
        if self.period_filter is not None:
            rows = [r for r in rows if r.period == self.period_filter]
        if self.sort == "code":
            rows.sort(key=lambda r: number_key(r.code))
        elif self.sort == "rating":
            rows.sort(key=lambda r: RATING_ORDER.get(r.rating, 9))
        elif self.sort == "progress":

            def ratio(r: k.KpiRow) -> float:
                p = k.progress(r.kpi)
                return p.ratio if p is not None and p.ratio is not None else float("inf")

            rows.sort(key=ratio)
        return rows

    def _kpi_columns(self) -> list[tuple[str, str, int]]:
        """(key, label, width) of the KPI table at this width: code, rating and actual against
        target, then target and delivered sharing what is left; theme and period after them,
        on screen only when target and delivered still get 30 columns each."""
        width = self._width()
        bar = 4 if width < 100 else 8
        code = max([4, *(len(one_line(r.code, 12)) for r in self.rows_all)])
        progress = 8 + bar + 1 + 5 + 2  # "115/110 ████+ 105% *"
        fixed = [code, 12, progress]
        theme, period = 16, max([6, *(len(one_line(r.period, 16)) for r in self.rows_all)])
        text = fit(width, [*fixed, theme, period], 2)
        if text < 30:
            text = fit(width, fixed, 2)
        self._bar = bar
        return [
            ("code", "Code", code),
            ("rating", "Rating", 12),
            ("progress", "Actual / target", progress),
            ("target", "Target", text),
            ("delivered", "Delivered", text),
            ("theme", "Theme", theme),
            ("period", "Period", period),
        ]

    def refresh_table(self) -> None:
        table = self.query_one("#kpi-table", DataTable)
        keep = getattr(table, "cursor_key", None)
        table.clear(columns=True)
        columns = self._kpi_columns()
        widths = {key: w for key, _, w in columns}
        for key, label, w in columns:
            table.add_column(Text(label), key=key, width=w)
        self.shown = self.filtered()
        for i, r in enumerate(self.shown[:SHOWN_AT_MOST]):
            kp = r.kpi
            progress = progress_bar(k.progress(kp), width=self._bar)
            if r.rating_differs:
                progress.append(f" {DIFFERS}", style="bold")
            table.add_row(
                Text(one_line(kp.code, widths["code"])),
                rating_text(r.rating),
                progress,
                Text(one_line(kp.target, widths["target"])),
                Text(one_line(kp.delivered, widths["delivered"])),
                Text(one_line(kp.theme, widths["theme"]) or "–"),
                Text(one_line(r.period, widths["period"])),
                key=str(i),
            )
        if keep is not None and keep.isdigit() and int(keep) < table.row_count:
            table.move_cursor(row=int(keep), animate=False)
        self.query_one("#kpi-status", Static).update(self._status())
        self._show_detail()

    def _status(self) -> Text:
        out = Text(f"{len(self.shown):,} of {len(self.rows_all):,} rows", style="bold")
        if len(self.shown) > SHOWN_AT_MOST:
            out.append(f" (the first {SHOWN_AT_MOST:,} listed: type to narrow)")
        out.append(" · ")
        if self.rating_filter:
            out.append_text(rating_text(self.rating_filter))
        else:
            out.append("all ratings")
        if self.theme_filter == NO_THEME:
            out.append(f" · {NO_THEME}")
        out.append(f" · sorted {SORT_LABELS[self.sort]}")
        out.append("  < > rating, S sort", style=faint())
        if any(r.rating_differs for r in self.shown):
            out.append(f"\n{DIFFERS} {DIFFERS_TEXT} (see below)")
        return out

    def _current(self) -> k.KpiRow | None:
        table = self.query_one("#kpi-table", BrowseTable)
        key = table.cursor_key
        if key is None or not key.isdigit() or int(key) >= len(self.shown):
            return None
        return self.shown[int(key)]

    def _show_detail(self) -> None:
        """The row under the cursor in words: actual against target, why it is rated as it is
        when the figures do not show it, and the note (Enter shows everything)."""
        detail = self.query_one("#kpi-detail", Static)
        r = self._current()
        if r is None:
            detail.update(Text(""))
            return
        kp = r.kpi
        out = Text(f"{one_line(kp.code, 12)}: ", style="bold")
        p = k.progress(kp)
        out.append(p.describe() if p is not None else "no two figures to compare")
        if r.rating_differs:
            out.append(f" {DIFFERS} rated {k.rating_word(r.rating)}", style="bold")
            out.append(
                " although the figures meet the target"
                if p is not None and p.met
                else " although the figures fall short"
            )
        out.append_text(history_text(self.histories.get(kp.code.lower(), [r]), r))
        if kp.note:
            room = max(40, 3 * (self._width() - 2) - len(out.plain) - 20)
            out.append(" · Note: ", style="bold")
            out.append(one_line(kp.note, room))
        out.append("  (Enter: full text)", style=faint())
        detail.update(out)

    @on(DataTable.RowHighlighted, "#kpi-table")
    def _kpi_highlighted(self) -> None:
        self._show_detail()

    def set_rating(self, rating: str) -> None:
        """Show the rows rated ``rating`` ('' for all)."""
        self.rating_filter = rating
        self.refresh_table()

    def cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.refresh_table()

    @on(TextBox.Changed, "#kpi-text")
    def _text_changed(self, event: TextBox.Changed) -> None:
        self.text_filter = event.value.strip()
        self.refresh_table()

    @on(TextBox.Submitted, "#kpi-text")
    def _text_submitted(self) -> None:
        self.query_one("#kpi-table", DataTable).focus()

    @on(Select.Changed, "#kpi-theme")
    def _theme_changed(self, event: Select.Changed) -> None:
        self.theme_filter = None if isinstance(event.value, NoSelection) else str(event.value)
        self.refresh_table()

    @on(Select.Changed, "#kpi-period")
    def _period_changed(self, event: Select.Changed) -> None:
        self.period_filter = None if isinstance(event.value, NoSelection) else str(event.value)
        self.refresh_table()

    @on(DataTable.RowSelected, "#kpi-table")
    def _open_kpi(self, event: DataTable.RowSelected) -> None:
        event.stop()
        r = row_at(self.shown, event.row_key.value)
        if r is None:
            return  # the table is being redrawn from a new library
        host(self).open_kpi(r.meeting_id, r.code)
