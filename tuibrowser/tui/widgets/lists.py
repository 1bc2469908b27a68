"""An OptionList with the browser's keys: j/k move like ↓/↑, g/G jump to the ends."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class BrowseList(OptionList):
    """A list to browse (search hits, decisions, a topic's meetings); Enter opens one."""

    HELP_NAME = "the list"

    BINDINGS = [
        Binding("j", "letter('cursor_down')", "Down", show=False, id="list.down"),
        Binding("k", "letter('cursor_up')", "Up", show=False, id="list.up"),
        Binding("g", "letter('first')", "First", show=False, id="list.first"),
        Binding("G", "last", "Last", show=False, id="list.last"),
    ]

    def __init__(self, *args, typing: bool = False, **kwargs) -> None:
        """``typing``: the list has a filter box its small letters type into, so j, k and g
        are not keys on it (see ``BrowseTable``)."""
        super().__init__(*args, **kwargs)
        self.typing = typing

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "letter":
            return not self.typing
        return super().check_action(action, parameters)

    def action_letter(self, action: str) -> None:
        """j, k or g: the action of the arrow or Home key they stand for."""
        getattr(self, f"action_{action}")()
