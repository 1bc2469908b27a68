"""A tiny host App for the KPI screens: it has ``.library`` and records navigation calls,
as the UI contract says any host app does."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from tuibrowser.library import Library, build
from tuibrowser.records import read_folder
from tuibrowser.tui.host import Updates
from tuibrowser.tui.screens.dashboard import DashboardScreen
from tuibrowser.tui.screens.kpi import KpiScreen

MEETINGS = Path(__file__).resolve().parent.parent / "meetings"


def corpus() -> Library:
    parsed, problems = read_folder(MEETINGS)
    return build([p.document for p in parsed if p.document is not None], problems)


class Host(App):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="host.back")]

    def __init__(self, library: Library, start: str = "dashboard", **start_args) -> None:
        super().__init__()
        self.library = library
        self.updates = Updates(self)
        self.calls: list[tuple] = []
        self.start = start
        self.start_args = start_args

    def on_mount(self) -> None:
        if self.start == "kpi":
            self.push_screen(KpiScreen(self.library, **self.start_args))
        else:
            self.push_screen(DashboardScreen(self.library))

    def open_kpi(self, meeting_id: str, code: str) -> None:
        self.calls.append(("kpi", meeting_id, code))
        self.push_screen(KpiScreen(self.library, meeting_id, code))

    def open_item(self, meeting_id: str, number: str) -> None:
        self.calls.append(("item", meeting_id, number))

    def open_meeting(self, meeting_id: str) -> None:
        self.calls.append(("meeting", meeting_id))

    def open_person(self, key: str) -> None:
        self.calls.append(("person", key))
