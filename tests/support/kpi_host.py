"""The host of the KPI screen tests: the one host app (``hostapp``) on the dashboard or a KPI."""

from __future__ import annotations

from pathlib import Path

from hostapp import HostApp
from textual.binding import Binding

from tuibrowser.library import Library, build
from tuibrowser.records import read_folder
from tuibrowser.tui.screens.dashboard import DashboardScreen
from tuibrowser.tui.screens.kpi import KpiScreen

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"


def corpus() -> Library:
    parsed, problems = read_folder(MEETINGS)
    return build([p.document for p in parsed if p.document is not None], problems)


class Host(HostApp):
    """The KPI screens on the one host app: it starts on the dashboard (or on one KPI), Escape
    goes back, and opening a KPI pushes its screen as the browser does."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="host.back")]

    def __init__(self, library: Library, start: str = "dashboard", **start_args) -> None:
        if start == "kpi":
            super().__init__(library, lambda lib: KpiScreen(lib, **start_args))
        else:
            super().__init__(library, DashboardScreen)

    def open_kpi(self, meeting_id: str, code: str) -> None:
        super().open_kpi(meeting_id, code)
        self.push_screen(KpiScreen(self.library, meeting_id, code))
