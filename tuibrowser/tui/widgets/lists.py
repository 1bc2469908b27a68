"""An OptionList with the browser's keys: j/k move like ↓/↑, g/G jump to the ends."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class BrowseList(OptionList):
    """A list to browse (search hits, decisions, a topic's meetings); Enter opens one."""

    HELP_NAME = "the list"

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("g", "first", "First", show=False, id="list.first"),
        Binding("G", "last", "Last", show=False, id="list.last"),
    ]
