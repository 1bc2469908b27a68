"""``!``: the files that were skipped (errors) and the warnings, each with file, line and reason."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...model import Problem
from .. import safe
from ..widgets import RecordTable, TitleBar


class ProblemsScreen(Screen):
    """Problems met while reading the meetings folder."""

    SCREEN_NAME = "Problems"

    BINDINGS = [Binding("escape", "app.back", "Back", id="problems.back")]

    def __init__(self, skipped: list[Problem], warnings: list[Problem]) -> None:
        super().__init__()
        self.skipped = skipped
        self.warnings = warnings

    def compose(self) -> ComposeResult:
        files = len({p.path for p in self.skipped})
        yield TitleBar("Problems with the meeting files", id="title")
        if files:
            summary = (
                f"{files} file{'s' if files != 1 else ''} skipped (errors) and "
                f"{len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}. "
                "A skipped file is left out until it is fixed; `tuibrowser check` lists the same."
            )
        elif self.warnings:
            summary = f"No file skipped; {len(self.warnings)} warning(s) — the files are used."
        else:
            summary = "No problems: every file was read."
        yield Static(Content(summary), id="summary")
        yield RecordTable(id="problems")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#problems", RecordTable)
        table.add_column(Text("Severity"), key="severity")
        table.add_column(Text("File"), key="file")
        table.add_column(Text("Problem"), key="message")
        for n, p in enumerate([*self.skipped, *self.warnings]):
            where = p.path if p.line is None else f"{p.path}:{p.line}"
            table.add_row(
                Text(p.severity.upper(), style="bold" if p.severity == "error" else ""),
                safe.text(where),
                safe.text(p.message),
                key=str(n),
            )
        table.focus()
