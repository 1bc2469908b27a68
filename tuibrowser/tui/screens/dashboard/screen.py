"""The KPI dashboard: ratings at a glance per reporting period, checked against what the report
states; the KPI table with filters; trends; programme outputs and finance; attendance.

Every rating is shown with a letter or word as well as a colour. Text from the records goes
into widgets as ``rich.text.Text`` objects, never as markup. Each tab is a pane widget of its
own (ratings, KPIs, trends, programme, attendance); the screen holds the keys and the tabs.

Each tab hands the keyboard to its main widget when it opens (the ratings and trends scroll,
the KPI, programme and attendance tables), so ↑ ↓ PageDown and Enter act on what is shown.
The tables' columns are sized to the terminal: at 80 columns the text a member reads (target
and delivery, the source of an output) is on screen and the rest follows to the right.

The keys hold the browser's rule (``type_to_filter``): on the KPI table, which has a filter
box, small letters, digits and space type into the box; the commands are symbols (``[`` ``]``
the tabs, ``<`` ``>`` the rating), capitals (``S`` sort) and Ctrl keys (Ctrl+F the box).
Escape empties the box first and goes back only when it is empty. The other tabs have no box:
j / k scroll the ratings and trends and move the programme and attendance tables.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, TabbedContent, TabPane

from .... import kpi as k
from ....kpi.glance import Ratings, at_a_glance, glances
from ....library import Library
from ...host import host
from ...widgets import BrowseTable, TextBox, type_to_filter
from .attendance_pane import AttendancePane
from .kpis_pane import KpisPane
from .programme_pane import ProgrammePane
from .ratings_pane import RatingsPane
from .trends_pane import TrendsPane
from .waiting_pane import WAITING_TABS, WaitingPane

# the rating filter's steps (< and >): every rating, then all of them again
RATING_STEPS = ("", "green", "amber", "red", "blue", "not_stated")
ALL = "__all__"
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
    DashboardScreen #kpi-detail { height: auto; max-height: 4; padding: 0 1; }
    DashboardScreen #dash-trends { padding: 0 1; }
    DashboardScreen .series-spark { height: 1; margin: 0 0 0 5; }
    DashboardScreen .series-text { margin-bottom: 1; }
    DashboardScreen #outputs-table { height: auto; max-height: 70%; }
    DashboardScreen #figures-table { height: auto; }
    DashboardScreen .dash-title { padding: 0 1; text-style: bold; }
    DashboardScreen #attendance-legend { padding: 0 1; height: auto; }
    DashboardScreen #attendance-table { height: 1fr; }
    """

    # The KPI table has a filter box, so the dashboard holds the browser's rule: small letters,
    # digits and space type into it; commands are symbols, capitals and Ctrl keys. Order is the
    # footer's: at 80 columns it shows the tabs, the rating, the filter, the keys and Back; the
    # app's own keys (/ search, Ctrl+Q quit) follow when there is room.
    BINDINGS = [
        Binding("left_square_bracket", "tab(-1)", "Prev tab", id="dashboard.prev_tab", group=TABS),
        Binding("right_square_bracket", "tab(1)", "Next tab", id="dashboard.next_tab", group=TABS),
        Binding(
            "less_than_sign",
            "step_rating(-1)",
            "Prev rating",
            id="dashboard.prev_rating",
            group=RATING,
        ),
        Binding(
            "greater_than_sign",
            "step_rating(1)",
            "Next rating",
            id="dashboard.next_rating",
            group=RATING,
        ),
        Binding("ctrl+f", "focus_filter", "Filter", id="dashboard.filter"),
        Binding("down", "focus_table", "List", show=False, id="dashboard.list"),
        Binding("S", "cycle_sort", "Sort", id="dashboard.sort", show=False),
        Binding("question_mark", "app.help", "Keys", id="dashboard.help"),
        Binding("escape", "clear_filter", "Clear filter", id="dashboard.clear"),
        Binding("escape", "app.back", "Back", id="dashboard.back"),
        Binding("j", "scroll(1)", "Down", id="dashboard.down", show=False),
        Binding("k", "scroll(-1)", "Up", id="dashboard.up", show=False),
    ]

    def __init__(self, library: Library | None, ratings: Ratings | None = None) -> None:
        """The dashboard of ``library``; before it is loaded (None), its first tab of the
        cache's ``ratings`` (:meth:`~tuibrowser.store.cache.Cache.ratings`: the same), the
        others saying they wait for the library."""
        super().__init__()
        self._focus_next: dict[str, str] = {}
        self._scrolled: tuple[float, float] | None = None
        self.early = library is None and ratings is not None
        self._use(library, ratings)

    def _use(self, library: Library | None, ratings: Ratings | None = None) -> None:
        self.library = library if library is not None else Library()
        self.waiting = library is None and ratings is not None  # the other tabs wait for it
        if ratings is None:
            ratings = at_a_glance(glances(k.periods(self.library)))
        self.ratings = ratings
        self._laid_out_for = 0

    # --- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with TabbedContent(initial="tab-ratings", id="dash-tabs"):
            yield RatingsPane(self.ratings, id="tab-ratings", scrolled=self._scrolled)
            if self.waiting:
                for title, pane_id in WAITING_TABS:
                    yield WaitingPane(title, id=pane_id)
            else:
                yield KpisPane(self.library, id="tab-kpis")
                yield TrendsPane(self.library, id="tab-trends")
                yield ProgrammePane(self.library, id="tab-programme")
                yield AttendancePane(self.library, id="tab-attendance")
        yield Footer()

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def on_resize(self) -> None:
        for pane in self.query(RatingsPane):
            pane.redraw()
        if self._laid_out_for and self._laid_out_for != self._width():
            self._lay_out_tables()

    def library_loaded(self, library: Library) -> None:
        """The app read the files again (after showing the cache): redraw from the new Library
        (the tab shown and where the ratings are scrolled to are kept)."""
        if library is self.library:
            return
        self._use(library)
        self.call_later(self._rebuild)

    async def _rebuild(self) -> None:
        active = self.query_one(TabbedContent).active
        scrolled = self.query_one("#dash-overview", VerticalScroll).scroll_offset
        self._scrolled = (scrolled.x, scrolled.y)  # the ratings go back there once drawn
        await self.recompose()
        self.query_one(TabbedContent).active = active
        self.on_mount()

    def on_mount(self) -> None:
        host(self).updates.library.subscribe(self, self.library_loaded)
        self._lay_out_tables()
        self._focus_main(self.query_one(TabbedContent).active)
        if self.early:  # drawn: the library's loading, held meanwhile, goes on
            self.early = False
            self.call_after_refresh(host(self).early_drawn)

    def on_unmount(self) -> None:
        if self.waiting:
            host(self).early_drawn()

    def _lay_out_tables(self) -> None:
        """(Re)build the tables' columns for the current width, keeping each cursor."""
        self._laid_out_for = self._width()
        for kpis in self.query(KpisPane):
            kpis.refresh_table()
        for programme in self.query(ProgrammePane):
            programme.fill()
        for attendance in self.query(AttendancePane):
            attendance.fill()

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

    # --- keys for the KPI table ------------------------------------------------

    def action_step_rating(self, step: int) -> None:
        """< / >: the previous / next rating in the KPI table's filter (after the last, all)."""
        if self.waiting:
            self._show_tab("tab-kpis")
            return
        pane = self.query_one(KpisPane)
        at = RATING_STEPS.index(pane.rating_filter) if pane.rating_filter in RATING_STEPS else 0
        pane.set_rating(RATING_STEPS[(at + step) % len(RATING_STEPS)])
        self._show_tab("tab-kpis", "#kpi-table")

    def action_cycle_sort(self) -> None:
        for pane in self.query(KpisPane):
            pane.cycle_sort()

    def action_focus_filter(self) -> None:
        self._show_tab("tab-kpis", "#kpi-text")

    def _box(self) -> TextBox | None:
        """The KPI filter box, when the KPI tab is the one shown."""
        if self.waiting or self.query_one(TabbedContent).active != "tab-kpis":
            return None
        return self.query_one("#kpi-text", TextBox)

    async def on_key(self, event: events.Key) -> None:
        """On the KPI table, small letters, digits and space type into its filter box (the
        browser's rule, ``type_to_filter``); the other tabs have no box."""
        box = self._box()
        if box is not None:
            await type_to_filter(self, event, self.query_one("#kpi-table", BrowseTable), box)

    def action_focus_table(self) -> None:
        """↓ in the KPI filter box: back to the table (Enter does the same)."""
        for table in self.query("#kpi-table").results(BrowseTable):
            table.focus()

    def action_clear_filter(self) -> None:
        box = self._box()
        if box is not None:
            box.value = ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            box = self._box()
            return box is not None and bool(box.value)
        if action == "focus_table":
            box = self._box()
            return box is not None and self.focused is box
        if action == "scroll":  # j / k: on the scrolling tabs (on the KPI table they type)
            return isinstance(self.focused, VerticalScroll)
        return True

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        ids = [p.id for p in tabs.query(TabPane) if p.id]
        if tabs.active in ids:
            self._show_tab(ids[(ids.index(tabs.active) + step) % len(ids)])


__all__ = ["DashboardScreen", "ALL"]
