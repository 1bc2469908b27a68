"""A pop-up that shows a piece of markdown from a record (e.g. a meeting's editor's notes)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from .. import longtext, safe
from ..host import host


class TextScreen(ModalScreen[None]):
    """Markdown in a box; Escape closes it."""

    SCREEN_NAME = "Text"

    DEFAULT_CSS = """
    TextScreen {
        align: center middle;
    }
    TextScreen #text-box {
        width: 90%;
        max-width: 100;
        height: 80%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="text.close"),
        Binding("q", "close", "Close", show=False, id="text.close_q"),
        Binding("j", "scroll_down", "Down", show=False, id="text.down"),
        Binding("k", "scroll_up", "Up", show=False, id="text.up"),
    ]

    def __init__(self, title: str, markdown: str) -> None:
        super().__init__()
        self.heading = title
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="text-box"):
            yield Static(safe.join(safe.line(self.heading), "  (Escape closes)"), classes="heading")
            yield from longtext.views(self.markdown)

    def on_mount(self) -> None:
        self.query_one("#text-box").focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll_down(self) -> None:
        self.query_one("#text-box", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#text-box", VerticalScroll).scroll_up()

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        host(self).say(f"Link: {event.href}")


__all__ = ["TextScreen"]
