"""``!``: the files that were skipped (errors), the warnings, and the files the user may not
read (restricted), each with file, line and reason."""

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
from ..widgets import BrowseList, TitleBar


def problem_prompt(p: Problem) -> Group:
    """``ERROR  file.md:3`` and, under it, the whole message, wrapped (the message is the point)."""
    where = p.path if p.line is None else f"{p.path}:{p.line}"
    head = Text(f"{p.severity.upper():<8}", style="bold" if p.severity == "error" else "")
    head.append(one_line(where))
    return Group(head, Padding(Text(one_line(p.message)), (0, 0, 0, 8)))


def restricted_prompt(p: Problem) -> Group:
    """The file or folder and, under it, why it is left out."""
    return Group(Text(one_line(p.path)), Padding(Text(one_line(p.message)), (0, 0, 0, 8)))


RESTRICTED_GROUP = "Restricted — not readable by you"


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


class ProblemsScreen(Screen):
    """Problems met while reading the meetings folder.

    Errors and warnings are in one list; files and folders the user has no permission to
    read are in a group of their own below it: they are someone else's, not mistakes in the
    records, and their content is never read.
    """

    SCREEN_NAME = "Problems"

    DEFAULT_CSS = """
    ProblemsScreen #summary {
        height: auto;
        padding: 0 1;
    }
    ProblemsScreen #problems {
        height: 1fr;
    }
    ProblemsScreen #restricted-title {
        height: auto;
        padding: 0 1;
        margin-top: 1;
        text-style: bold;
    }
    ProblemsScreen #restricted {
        height: 1fr;
    }
    """

    BINDINGS = [Binding("escape", "app.back", "Back", id="problems.back")]

    def __init__(
        self,
        skipped: list[Problem],
        warnings: list[Problem],
        restricted: list[Problem] | None = None,
    ) -> None:
        super().__init__()
        self.skipped = skipped
        self.warnings = warnings
        self.restricted = list(restricted or [])

    def compose(self) -> ComposeResult:
        files = len({p.path for p in self.skipped})
        hidden = len({p.path for p in self.restricted})
        yield TitleBar("Problems with the meeting files", id="title")
        if files:
            summary = (
                f"{_count(files, 'file')} skipped (errors) and "
                f"{_count(len(self.warnings), 'warning')}. "
                "A skipped file is left out until it is fixed; `tuibrowser check` lists the same."
            )
        elif self.warnings:
            summary = (
                f"No file skipped; {_count(len(self.warnings), 'warning')} — the files are used."
            )
        elif hidden:
            summary = "No file skipped and no warning."
        else:
            summary = "No problems: every file was read."
        if hidden:
            summary += (
                f" {_count(hidden, 'file or folder', 'files or folders')} restricted: you may "
                "not read them, so they are left out (not an error)."
            )
        yield Static(Content(summary), id="summary")
        yield BrowseList(id="problems")
        if self.restricted:
            yield Static(Content(RESTRICTED_GROUP), id="restricted-title")
            yield BrowseList(id="restricted")
        yield Footer()

    def on_mount(self) -> None:
        problems = self.query_one("#problems", BrowseList)
        problems.add_options(
            Option(problem_prompt(p), id=str(n))
            for n, p in enumerate([*self.skipped, *self.warnings])
        )
        focus = problems
        if problems.option_count:
            problems.highlighted = 0
        if self.restricted:
            group = self.query_one("#restricted", BrowseList)
            group.add_options(
                Option(restricted_prompt(p), id=f"r{n}") for n, p in enumerate(self.restricted)
            )
            group.highlighted = 0
            if not problems.option_count:
                focus = group
        focus.focus()
