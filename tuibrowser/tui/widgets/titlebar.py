"""The one-line bar at the top of every screen: where you are, built from Content only."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class TitleBar(Static):
    """A title line. Give it ``Content`` (never a markup string) for anything from a file."""

    DEFAULT_CSS = """
    TitleBar {
        height: 1;
        width: 1fr;
        background: $primary;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    """

    def __init__(self, title: Content | str = "", **kwargs) -> None:
        super().__init__(title if isinstance(title, Content) else Content(title), **kwargs)

    def set_title(self, title: Content | str) -> None:
        self.update(title if isinstance(title, Content) else Content(title))
