"""A dashboard tab that needs the library, while it loads: it says so, and what it will show.

Before the library is loaded the dashboard's first tab (ratings) is drawn from the cache's
parts; the other tabs read every KPI row, series and output of the library, so they say that
they open as soon as it is loaded (no figure is shown that is not the records')."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static, TabPane

# (title, pane id) of each tab that waits for the library, in the dashboard's order
WAITING_TABS = (
    ("KPIs", "tab-kpis"),
    ("Trends", "tab-trends"),
    ("Programme", "tab-programme"),
    ("Attendance", "tab-attendance"),
)


class WaitingPane(TabPane):
    """A tab standing for one that needs the library: its title and a loading line."""

    DEFAULT_CSS = """
    WaitingPane .waiting-tab { padding: 1 1; color: $text-muted; }
    """

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(title, id=id)
        self.wanted = title

    def compose(self) -> ComposeResult:
        line = (
            f"Loading the meetings… the {self.wanted} tab reads every meeting's records: it is"
            " shown here as soon as they are read. The Ratings tab is ready now."
        )
        yield Static(Content(line), classes="waiting-tab")
