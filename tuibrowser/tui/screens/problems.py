"""``!``: the files that were skipped (errors) and the warnings, each with file, line and reason."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.widgets.option_list import Option

from ...model import Problem
from ...text import one_line
from ..widgets import RecordList, TitleBar


def problem_prompt(p: Problem) -> Group:
    """``ERROR  file.md:3`` and, under it, the whole message, wrapped (the message is the point)."""
    where = p.path if p.line is None else f"{p.path}:{p.line}"
    head = Text(f"{p.severity.upper():<8}", style="bold" if p.severity == "error" else "")
    head.append(one_line(where))
    return Group(head, Padding(Text(one_line(p.message)), (0, 0, 0, 8)))


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
            n = len(self.warnings)
            summary = f"No file skipped; {n} warning{'s' if n != 1 else ''} — the files are used."
        else:
            summary = "No problems: every file was read."
        yield Static(Content(summary), id="summary")
        yield RecordList(id="problems")
        yield Footer()

    def on_mount(self) -> None:
        problems = self.query_one("#problems", RecordList)
        problems.add_options(
            Option(problem_prompt(p), id=str(n))
            for n, p in enumerate([*self.skipped, *self.warnings])
        )
        if problems.option_count:
            problems.highlighted = 0
        problems.focus()
