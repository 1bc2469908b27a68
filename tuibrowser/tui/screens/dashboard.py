"""The KPI dashboard: ratings at a glance per reporting period, checked against what the report
states; the KPI table with filters; trends; programme outputs and finance; attendance.

Every rating is shown with a letter or word as well as a colour. Text from the records goes
into widgets as ``rich.text.Text`` objects, never as markup.

Each tab hands the keyboard to its main widget when it opens (the ratings and trends scroll,
the KPI, programme and attendance tables), so ↑ ↓ PageDown and Enter act on what is shown.
The tables' columns are sized to the terminal: at 80 columns the text a member reads (target
and delivery, the source of an output) is on screen and the rest follows to the right.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Footer,
    Input,
    Select,
    Sparkline,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.select import NoSelection

from ... import attendance_stats
from ... import kpi as k
from ...library import Library
from ...model import RATINGS, STATUS_LABELS, STATUS_MEANINGS, STATUSES, number_key
from ...text import one_line
from ..gone import row_at
from ..widgets import RecordTable
from ..widgets.ratings import (
    counts_text,
    faint,
    hanging,
    progress_bar,
    rating_style,
    rating_text,
    stacked_bar,
    value_bars,
)

RATING_KEYS = {"1": "green", "2": "amber", "3": "red", "4": "blue", "5": "not_stated"}
SORTS = ("listed", "code", "rating", "progress")
SORT_LABELS = {
    "listed": "as listed",
    "code": "by code",
    "rating": "red first",
    "progress": "lowest actual/target first",
}
RATING_ORDER = {"red": 0, "amber": 1, "not_stated": 2, "blue": 3, "green": 4}
STATUS_SHORT = {"present": "P", "apologies": "Ap", "in_attendance": "In", "absent": "Ab"}
ALL = "__all__"
NO_THEME = k.NO_THEME
# the marker on a row whose rating rests on more than its figures (E1: 115 of 110, amber)
DIFFERS = "*"
DIFFERS_TEXT = "rating rests on more than these figures"
DOUBLE = "*"
# the widget each tab hands the keyboard to when it opens
MAIN_WIDGET = {
    "tab-ratings": "#dash-overview",
    "tab-kpis": "#kpi-table",
    "tab-trends": "#dash-trends",
    "tab-programme": "#outputs-table",
    "tab-attendance": "#attendance-table",
}
TABS = Binding.Group("Tab", compact=True)
RATING = Binding.Group("Rating", compact=True)


def period_text(rep: k.PeriodReport, bar_width: int = 60) -> RenderableType:
    """One reporting period: the rows as a labelled bar and numbers, the stated summary, and
    the findings in words (each finding a bullet whose lines wrap under its own text)."""
    dim = faint()
    out = Text()
    out.append(f"{one_line(rep.period) or 'No period given'}", style="bold")
    out.append(f" — meeting {rep.date}", style=dim)
    items = sorted(
        {r.kpi.item for r in rep.rows if r.kpi.item} | {s.item for s in rep.summaries if s.item}
    )
    if items:
        out.append(f", item {', '.join(one_line(i) for i in items)}", style=dim)
    out.append("\n")
    s = rep.summary
    stated = {c: getattr(s, c) for c in k.COLOURS if getattr(s, c)} if s is not None else {}
    # one scale for the rows' bar and the stated bar, so their lengths compare
    biggest = max(rep.total, sum(stated.values()), 1)
    per_unit = max(0.1, (bar_width - 20) / biggest)
    if rep.rows:
        out.append("Rows:   ", style="bold")
        out.append_text(stacked_bar(rep.counts, bar_width, per_unit))
        out.append("\n        ")
        out.append_text(counts_text(rep.counts))
        out.append(f"  ({rep.total} rows)\n")
    else:
        out.append("Rows:   none recorded for this period\n", style=dim)
    label: Text | None = None
    if s is not None:
        out.append("Stated: ", style="bold")
        if stated:
            out.append_text(stacked_bar(stated, bar_width, per_unit))
            out.append("\n        ")
        out.append(f"total {'not stated' if s.total is None else s.total}")
        for c in k.COLOURS:
            value = getattr(s, c)
            if value is None and c == "blue":
                continue
            out.append(" · ", style=dim)
            out.append(f"{c} {'not stated' if value is None else value}", style=rating_style(c))
        if s.label:
            label = Text(f"({one_line(s.label)})", style=dim)
    else:
        out.append("Stated: no summary stated for this period", style=dim)
    parts: list[RenderableType] = [out.rstrip() or out]
    if label is not None:
        parts.append(Padding(label, (0, 0, 0, 8)))
    if rep.findings:
        verdict = "Findings" if not rep.agrees else "Findings (rows and statement agree)"
        parts.append(Text(verdict + ":", style="bold"))
        parts.append(hanging([(" • ", Text(one_line(f))) for f in rep.findings]))
    return Group(*parts)


def period_plain(rep: k.PeriodReport, width: int = 200) -> str:
    """The period as plain text (for tests and for reading it without a terminal)."""
    from rich.console import Console

    console = Console(width=width, no_color=True, record=True, file=_Null())
    console.print(period_text(rep, max(30, min(100, width - 14))))
    return console.export_text()


class _Null:
    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        pass


def _fit(width: int, fixed: list[int], flexible: int) -> int:
    """The width of each of ``flexible`` columns sharing what ``fixed`` columns leave of
    ``width`` (every column has one cell of padding either side; 2 more for a scrollbar)."""
    room = width - 2 - sum(w + 2 for w in fixed) - 2 * flexible
    return max(10, room // max(1, flexible))


class DashboardScreen(Screen):
    """KPI dashboard for a whole Library."""

    SCREEN_NAME = "KPIs"

    DEFAULT_CSS = """
    DashboardScreen TabbedContent { height: 1fr; }
    DashboardScreen TabPane { padding: 0; }
    DashboardScreen #dash-overview { padding: 0 1; }
    DashboardScreen .period { margin-bottom: 1; }
    DashboardScreen #kpi-filters { height: 3; }
    DashboardScreen #kpi-text { width: 1fr; }
    DashboardScreen #kpi-theme { width: 30; }
    DashboardScreen #kpi-period { width: 22; }
    DashboardScreen #kpi-status { height: auto; max-height: 2; padding: 0 1; }
    DashboardScreen #kpi-table { height: 1fr; }
    DashboardScreen #kpi-detail { height: auto; max-height: 3; padding: 0 1; }
    DashboardScreen #dash-trends { padding: 0 1; }
    DashboardScreen .series-spark { height: 2; margin: 0 0 0 5; }
    DashboardScreen .series-text { margin-bottom: 1; }
    DashboardScreen #outputs-table { height: auto; max-height: 70%; }
    DashboardScreen #figures-table { height: auto; }
    DashboardScreen .dash-title { padding: 0 1; text-style: bold; }
    DashboardScreen #attendance-legend { padding: 0 1; height: auto; }
    DashboardScreen #attendance-table { height: 1fr; }
    """

    # Order is the footer's: at 80 columns it shows the tabs, the ratings, the filter, the keys
    # and Back; the app's own keys (/ search, q quit) follow when there is room.
    BINDINGS = [
        Binding("left_square_bracket", "tab(-1)", "Prev tab", id="dashboard.prev_tab", group=TABS),
        Binding("right_square_bracket", "tab(1)", "Next tab", id="dashboard.next_tab", group=TABS),
        Binding("1", "rating('green')", "Green", id="dashboard.rating_green", group=RATING),
        Binding("2", "rating('amber')", "Amber", id="dashboard.rating_amber", group=RATING),
        Binding("3", "rating('red')", "Red", id="dashboard.rating_red", group=RATING),
        Binding("4", "rating('blue')", "Blue", id="dashboard.rating_blue", group=RATING),
        Binding(
            "5",
            "rating('not_stated')",
            "Not stated",
            id="dashboard.rating_not_stated",
            group=RATING,
        ),
        Binding("0", "rating('')", "All ratings", id="dashboard.rating_all", show=False),
        Binding("f", "focus_filter", "Filter", id="dashboard.filter"),
        Binding("s", "cycle_sort", "Sort", id="dashboard.sort", show=False),
        Binding("question_mark", "app.help", "Keys", id="dashboard.help"),
        Binding("escape", "app.back", "Back", id="dashboard.back"),
        Binding("j", "scroll(1)", "Down", id="dashboard.down", show=False),
        Binding("k", "scroll(-1)", "Up", id="dashboard.up", show=False),
    ]

    def __init__(self, library: Library | None) -> None:
        super().__init__()
        self._focus_next: dict[str, str] = {}
        self._use(library)

    def _use(self, library: Library | None) -> None:
        self.library = library if library is not None else Library()
        self.reports = k.periods(self.library)
        self.rows_all = k.all_rows(self.library)
        self.rating_filter: str = ""
        self.theme_filter: str | None = None
        self.period_filter: str | None = None
        self.text_filter: str = ""
        self.sort = "listed"
        self.shown: list[k.KpiRow] = []
        self.people = attendance_stats.attendance(self.library)
        self.outputs = k.outputs(self.library)
        self.figures = k.figures(self.library)
        self.series = k.series(self.library)
        self._laid_out_for = 0

    # --- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with TabbedContent(initial="tab-ratings", id="dash-tabs"):
            with TabPane("Ratings", id="tab-ratings"):
                with VerticalScroll(id="dash-overview"):
                    if not self.reports:
                        yield Static(
                            Text("No KPI rows or stated summaries in these records."),
                            id="no-periods",
                        )
                    for i, rep in enumerate(self.reports):
                        yield Static(
                            period_text(rep, self._bar_width()), classes="period", id=f"period-{i}"
                        )
            with TabPane("KPIs", id="tab-kpis"):
                with Vertical():
                    with Horizontal(id="kpi-filters"):
                        yield Input(placeholder="filter text (f)", id="kpi-text")
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
                    yield RecordTable(id="kpi-table", zebra_stripes=True)
                    yield Static(id="kpi-detail")
            with TabPane("Trends", id="tab-trends"):
                with VerticalScroll(id="dash-trends"):
                    if not self.series:
                        yield Static(Text("No series (such as survey results) in these records."))
                    for i, s in enumerate(self.series):
                        yield Static(self._series_title(s), id=f"series-title-{i}")
                        if len(s.trend.values) >= 2:
                            spark = Sparkline(s.trend.values, classes="series-spark")
                            spark.styles.width = min(60, 4 * len(s.trend.values))
                            yield spark
                        yield Static(self._series_body(s), classes="series-text")
            with TabPane("Programme", id="tab-programme"):
                with VerticalScroll(id="dash-programme"):
                    yield Static("Programme outputs (Enter opens the item)", classes="dash-title")
                    yield RecordTable(id="outputs-table", zebra_stripes=True)
                    yield Static("Finance and other stated figures", classes="dash-title")
                    yield RecordTable(id="figures-table", zebra_stripes=True)
            with TabPane("Attendance", id="tab-attendance"):
                with Vertical():
                    yield Static(self._legend(), id="attendance-legend")
                    yield RecordTable(id="attendance-table", zebra_stripes=True)
        yield Footer()

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def _bar_width(self) -> int:
        return max(30, min(100, self.app.size.width - 14))

    def on_resize(self) -> None:
        for i, rep in enumerate(self.reports):
            for w in self.query(f"#period-{i}"):
                if isinstance(w, Static):
                    w.update(period_text(rep, self._bar_width()))
        if self._laid_out_for and self._laid_out_for != self._width():
            self._lay_out_tables()

    def library_loaded(self, library: Library) -> None:
        """The app read the files again (after showing the cache): redraw from the new Library."""
        if library is self.library:
            return
        self._use(library)
        self.call_later(self._rebuild)

    async def _rebuild(self) -> None:
        active = self.query_one(TabbedContent).active
        await self.recompose()
        self.query_one(TabbedContent).active = active
        self.on_mount()

    def on_mount(self) -> None:
        self._lay_out_tables()
        self._focus_main(self.query_one(TabbedContent).active)

    def _lay_out_tables(self) -> None:
        """(Re)build the tables' columns for the current width, keeping each cursor."""
        self._laid_out_for = self._width()
        self.refresh_table()
        self._fill_programme()
        self._fill_attendance()

    # --- focus follows the tab ------------------------------------------------

    def _focus_main(self, pane_id: str) -> None:
        selector = self._focus_next.pop(pane_id, None) or MAIN_WIDGET.get(pane_id)
        if selector is None:
            return
        for widget in self.query(selector):
            # no scrolling: the programme's heading stays above its table
            widget.focus(scroll_visible=False)
            return

    @on(TabbedContent.TabActivated, "#dash-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # a late message for a tab no longer active (the first tab, after a rebuild) is
        # ignored: focusing into its pane would switch back to it
        if event.pane.id and event.pane.id == event.tabbed_content.active:
            self._focus_main(event.pane.id)

    def _show_tab(self, pane_id: str, focus: str | None = None) -> None:
        """Open a tab and put the keyboard on ``focus`` (else the tab's main widget)."""
        tabs = self.query_one(TabbedContent)
        if focus is not None:
            self._focus_next[pane_id] = focus
        if tabs.active == pane_id:
            self._focus_main(pane_id)
        else:
            tabs.active = pane_id

    def action_scroll(self, step: int) -> None:
        """j / k on a scrolling tab (the tables move their cursor with their own j / k)."""
        focused = self.focused
        if isinstance(focused, VerticalScroll):
            if step > 0:
                focused.scroll_down()
            else:
                focused.scroll_up()

    # --- KPI table ------------------------------------------------------------

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
        text = _fit(width, [*fixed, theme, period], 2)
        if text < 30:
            text = _fit(width, fixed, 2)
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
        for i, r in enumerate(self.shown):
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
        out = Text(f"{len(self.shown)} of {len(self.rows_all)} rows", style="bold")
        out.append(" · ")
        if self.rating_filter:
            out.append_text(rating_text(self.rating_filter))
        else:
            out.append("all ratings")
        if self.theme_filter == NO_THEME:
            out.append(f" · {NO_THEME}")
        out.append(f" · sorted {SORT_LABELS[self.sort]}")
        out.append("  1-5 0 rating, s sort, f filter", style=faint())
        if any(r.rating_differs for r in self.shown):
            out.append(f"\n{DIFFERS} {DIFFERS_TEXT} (see below)")
        return out

    def _current(self) -> k.KpiRow | None:
        table = self.query_one("#kpi-table", RecordTable)
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
        if kp.note:
            room = max(40, 3 * (self._width() - 2) - len(out.plain) - 20)
            out.append(" · Note: ", style="bold")
            out.append(one_line(kp.note, room))
        out.append("  (Enter: full text)", style=faint())
        detail.update(out)

    @on(DataTable.RowHighlighted, "#kpi-table")
    def _kpi_highlighted(self) -> None:
        self._show_detail()

    def action_rating(self, rating: str) -> None:
        self.rating_filter = rating
        self.refresh_table()
        self._show_tab("tab-kpis", "#kpi-table")

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.refresh_table()

    def action_focus_filter(self) -> None:
        self._show_tab("tab-kpis", "#kpi-text")

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        ids = [p.id for p in tabs.query(TabPane) if p.id]
        if tabs.active in ids:
            self._show_tab(ids[(ids.index(tabs.active) + step) % len(ids)])

    @on(Input.Changed, "#kpi-text")
    def _text_changed(self, event: Input.Changed) -> None:
        self.text_filter = event.value.strip()
        self.refresh_table()

    @on(Input.Submitted, "#kpi-text")
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
        opener = getattr(self.app, "open_kpi", None)
        if callable(opener):
            opener(r.meeting_id, r.code)
        else:
            from .kpi import KpiScreen

            self.app.push_screen(KpiScreen(self.library, r.meeting_id, r.code))

    # --- trends ---------------------------------------------------------------

    def _series_title(self, s: k.SourcedSeries) -> Text:
        out = Text(one_line(s.series.name), style="bold")
        src = f"meeting {s.date}" + (f", item {one_line(s.series.item)}" if s.series.item else "")
        out.append(f"  ({src})", style=faint())
        return out

    def _series_body(self, s: k.SourcedSeries) -> Text:
        t = s.trend
        out = Text()
        for line in value_bars([(p.period, p.value) for p in t.points], t.unit, width=30):
            out.append_text(line)
            out.append("\n")
        out.append("Last change: ", style="bold")
        out.append(t.change_text())
        if t.missing:
            out.append(f"  (N/A: {', '.join(one_line(m) for m in t.missing)})", style=faint())
        if s.series.note:
            out.append(f"\nNote: {one_line(s.series.note)}", style="italic")
        return out

    # --- programme ------------------------------------------------------------

    def _source(self, date: str, item: str | None) -> str:
        return date + (f" item {one_line(item, 8)}" if item else "")

    def _fill_programme(self) -> None:
        width = self._width()
        out_t = self.query_one("#outputs-table", RecordTable)
        keep = out_t.cursor_key
        out_t.clear(columns=True)
        source_w = max([6, *(len(self._source(o.date, o.output.item)) for o in self.outputs)])
        ref_w = max([3, *(len(one_line(o.output.reference, 12)) for o in self.outputs)])
        rating_w = max([6, *(len(rating_text(o.output.rating)) for o in self.outputs)])
        project_w = min(30, max([7, *(len(one_line(o.output.project)) for o in self.outputs)]))
        if width < 120:
            project_w = min(project_w, 18)
        output_w = max(20, _fit(width, [project_w, rating_w, source_w, ref_w], 1))
        # the output text is the long one: it goes last, so the source stays on screen
        for key, label, w in [
            ("project", "Project", project_w),
            ("rating", "Rating", rating_w),
            ("source", "Source", source_w),
            ("ref", "Ref", ref_w),
            ("output", "Output", output_w),
        ]:
            out_t.add_column(Text(label), key=key, width=w)
        if not self.outputs:
            out_t.add_row(Text("No programme outputs in these records.", style=faint()), *[""] * 4)
        for i, so in enumerate(self.outputs):
            o = so.output
            out_t.add_row(
                Text(one_line(o.project, project_w)),
                rating_text(o.rating),
                Text(self._source(so.date, o.item)),
                Text(one_line(o.reference, ref_w)),
                Text(one_line(o.output, output_w)),
                key=f"o{i}",
            )
        self._keep_cursor(out_t, keep)
        fig_t = self.query_one("#figures-table", RecordTable)
        keep = fig_t.cursor_key
        fig_t.clear(columns=True)
        source_w = max([6, *(len(self._source(f.date, f.figure.item)) for f in self.figures)])
        period_w = max([6, *(len(one_line(f.figure.period, 12)) for f in self.figures)])
        value_w = min(30, max([5, *(len(one_line(f.describe())) for f in self.figures)]))
        if width < 120:
            value_w = min(value_w, 20)
        name_w = max(16, _fit(width, [value_w, period_w, source_w], 1))
        for key, label, w in [
            ("figure", "Figure", min(name_w, 60)),
            ("value", "Value", value_w),
            ("period", "Period", period_w),
            ("source", "Source", source_w),
        ]:
            fig_t.add_column(Text(label), key=key, width=w)
        if not self.figures:
            fig_t.add_row(Text("No stated figures in these records.", style=faint()), "", "", "")
        for i, sf in enumerate(self.figures):
            f = sf.figure
            fig_t.add_row(
                Text(one_line(f.name, min(name_w, 60))),
                Text(one_line(sf.describe(), value_w)),
                Text(one_line(f.period, period_w)),
                Text(self._source(sf.date, f.item)),
                key=f"f{i}",
            )
        self._keep_cursor(fig_t, keep)

    @staticmethod
    def _keep_cursor(table: RecordTable, key: str | None) -> None:
        if key is None:
            return
        for n, row in enumerate(table.ordered_rows):
            if row.key.value == key:
                table.move_cursor(row=n, animate=False)
                return

    @on(DataTable.RowSelected, "#outputs-table, #figures-table")
    def _open_source(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value or ""
        if not key:
            return
        if key.startswith("o"):
            so = row_at(self.outputs, key)
            if so is None:
                return
            mid, item = so.meeting_id, so.output.item
        else:
            sf = row_at(self.figures, key)
            if sf is None:
                return
            mid, item = sf.meeting_id, sf.figure.item
        if item:
            opener = getattr(self.app, "open_item", None)
            if callable(opener):
                opener(mid, item)
        else:
            opener = getattr(self.app, "open_meeting", None)
            if callable(opener):
                opener(mid)

    # --- attendance -----------------------------------------------------------

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
        return Group(head, hanging(rows))

    def _fill_attendance(self) -> None:
        table = self.query_one("#attendance-table", RecordTable)
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
            for y in years:
                c = p.by_year.get(y)
                if not c:
                    cells.append(Text("–", style=faint()))
                    continue
                cell = Text(" ".join(f"{STATUS_SHORT[s]}{c[s]}" for s in STATUSES if c[s]))
                if y in doubled:
                    cell.append(DOUBLE, style="bold")
                cells.append(cell)
            table.add_row(*cells, key=str(i))
        self._keep_cursor(table, keep)

    @on(DataTable.RowSelected, "#attendance-table")
    def _open_person(self, event: DataTable.RowSelected) -> None:
        event.stop()
        p = row_at(self.people, event.row_key.value)
        if p is None:
            return
        opener = getattr(self.app, "open_person", None)
        if callable(opener):
            opener(p.key)


__all__ = ["DashboardScreen", "period_plain", "period_text", "RATINGS", "ALL"]
