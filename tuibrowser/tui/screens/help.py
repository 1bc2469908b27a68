"""``?``: every key of the current screen, read from the active bindings (never hand-written)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Static

from ..widgets import RecordTable


@dataclass(frozen=True)
class KeyHelp:
    key: str
    description: str
    where: str
    enabled: bool


def describe_bindings(app: App) -> list[KeyHelp]:
    """The keys that work on the current screen: focused widget first, then screen, then app."""
    out: list[KeyHelp] = []
    for active in app.screen.active_bindings.values():
        b = active.binding
        description = b.description or b.tooltip or b.action.replace("_", " ")
        node = active.node
        if node is app:
            where = "everywhere"
        elif isinstance(node, Screen):
            where = "this screen"
        elif isinstance(node, Input):
            where = "the text box"
        else:
            where = getattr(node, "HELP_NAME", None) or type(node).__name__
        out.append(KeyHelp(app.get_key_display(b), description, where, active.enabled))
    # the chain runs from the focused widget up to the app; global keys go last
    out.sort(key=lambda k: k.where == "everywhere")
    return out


class HelpScreen(ModalScreen[None]):
    """The keys of the screen underneath."""

    SCREEN_NAME = "Keys"

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help.close"),
        Binding("question_mark", "dismiss", "Close", show=False, id="help.close_again"),
        Binding("q", "dismiss", "Close", show=False, id="help.close_q"),
    ]

    def __init__(self, keys: list[KeyHelp], screen_name: str) -> None:
        super().__init__()
        self.keys = keys
        self.screen_name = screen_name

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(
                Content(f"Keys — {self.screen_name}  (Escape closes; the mouse works too)"),
                classes="heading",
            )
            yield RecordTable(id="keys")
            yield Static(
                Content("Ctrl+P opens the command palette: jump to any meeting, person or topic.")
            )

    def on_mount(self) -> None:
        table = self.query_one("#keys", DataTable)
        table.add_column(Text("Key"), key="key")
        table.add_column(Text("Does"), key="does")
        table.add_column(Text("Where"), key="where")
        for n, k in enumerate(self.keys):
            style = "" if k.enabled else "dim"
            table.add_row(
                Text(k.key, style=f"bold {style}".strip()),
                Text(k.description + ("" if k.enabled else " (not here)"), style=style),
                Text(k.where, style="dim"),
                key=f"{n}",
            )
        table.focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
