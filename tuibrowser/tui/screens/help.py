"""``?``: every key of the current screen, read from the active bindings (never hand-written)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, OptionList, Select, Static

from .. import safe
from ..keymap import keymap_path
from ..widgets import BrowseTable, fit_widths

# where a key works, for the widgets that do not say (HELP_NAME) — never a class name
PLACES = (
    (Input, "the text box"),
    (DataTable, "the list"),
    (OptionList, "the list"),
    (Select, "the menu"),
    (ScrollableContainer, "the page"),
)


@dataclass(frozen=True)
class KeyHelp:
    key: str
    description: str
    where: str
    enabled: bool
    id: str = ""


def place(node) -> str:
    """Where a binding of ``node`` works, in words."""
    name = getattr(node, "HELP_NAME", None)
    if name:
        return name
    for cls, words in PLACES:
        if isinstance(node, cls):
            return words
    return "this part of the screen"


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
        else:
            where = place(node)
        out.append(KeyHelp(app.get_key_display(b), description, where, active.enabled, b.id or ""))
    # the chain runs from the focused widget up to the app: the browser's own keys of this
    # screen first, then the global ones, then the widgets' standard keys (arrows, pages)
    out.sort(key=lambda k: (not k.id, k.where == "everywhere"))
    return out


class HelpScreen(ModalScreen[None]):
    """The keys of the screen underneath."""

    SCREEN_NAME = "Keys"

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen #help-box {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen #help-box #keys {
        height: 1fr;
    }
    HelpScreen #help-box Static {
        height: auto;
    }
    """

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
            yield BrowseTable(id="keys")
            yield Static(
                safe.join(
                    "Ctrl+P opens the command palette: jump to any meeting, person or topic. "
                    'To move a key, put  id = "key"  in ',
                    safe.line(str(keymap_path())),
                ),
                id="help-notes",
            )

    def on_mount(self) -> None:
        table = self.query_one("#keys", DataTable)
        does = [k.description + ("" if k.enabled else " (not here)") for k in self.keys]
        natural = [
            max([len(k.key) for k in self.keys] + [3]),
            max([len(d) for d in does] + [4]),
            max([len(k.where) for k in self.keys] + [5]),
            max([len(k.id) for k in self.keys] + [2]),
        ]
        # the box is 90% of the screen, less its border and padding
        room = min(100, self.app.size.width * 9 // 10) - 4
        widths = fit_widths(natural, room, [3, 8, 6, 8])
        for key, label, width in zip(
            ("key", "does", "where", "id"), ("Key", "Does", "Where", "Id"), widths, strict=True
        ):
            table.add_column(Text(label), key=key, width=width)
        for n, (k, d) in enumerate(zip(self.keys, does, strict=True)):
            style = "" if k.enabled else "dim"
            table.add_row(
                Text(k.key, style=f"bold {style}".strip()),
                Text(d, style=style, no_wrap=True, overflow="ellipsis"),
                Text(k.where, style="dim", no_wrap=True, overflow="ellipsis"),
                Text(k.id, style="dim", no_wrap=True, overflow="ellipsis"),
                key=f"{n}",
            )
        table.focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
