"""The text boxes of the browser (filters, the search query) and the type-to-filter rule.

In a text box every printable key types — a query may well contain ``p``, ``q`` or ``/`` — so
the single-letter keys of the browser do not fire there. Two keys still work from a box:
``?`` while the box is empty shows the keys (in a box with text it types a ``?``), and Escape
leaves the box for the list it filters (or, when that list is empty, goes back as elsewhere).
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList


class TextBox(Input):
    """A text box; ``leave_to`` is the selector of the list Escape moves to."""

    HELP_NAME = "the text box"

    BINDINGS = [Binding("escape", "leave", "To the list", id="box.leave")]

    def __init__(self, *args, leave_to: str | None = None, **kwargs) -> None:
        # the first key typed on a list moves here: selecting it would let the next replace it
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)
        self.leave_to = leave_to

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if character == "?" and not self.value:
            return False  # left to the bindings: the keys of the screen
        return super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        if event.character == "?" and not self.value:
            event.prevent_default()  # not typed; it goes on to the "? Keys" binding

    def watch_value(self, old: str, new: str) -> None:
        if bool(old) != bool(new):
            self.refresh_bindings()  # "? Keys" comes and goes from the footer

    def _target(self) -> Widget | None:
        """The list Escape moves to, when it is shown and has something in it."""
        target = self.screen.query(self.leave_to).first() if self.leave_to else None
        if target is None or not target.display:
            return None
        size = getattr(target, "option_count", None) or getattr(target, "row_count", 0)
        return target if size else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave":
            # an empty list is nothing to leave for: Escape is then the screen's (Back)
            return self._target() is not None
        return super().check_action(action, parameters)

    def action_leave(self) -> None:
        """To the list below (its first entry if none is highlighted)."""
        target = self._target()
        if target is None:
            return
        target.focus()
        if isinstance(target, OptionList) and target.highlighted is None:
            target.action_first()


async def type_to_filter(screen: Screen, event: events.Key, rows: Widget, box: Input) -> None:
    """The type-to-filter rule of a list with a filter box, for the screen's ``on_key``.

    - On the list, a key bound to a command does it (j/k move, ``s`` sorts, ``p`` opens
      People, ``q`` quits). It runs here, at once, so keys typed straight after it see what it
      did: ``f`` then a word puts the whole word in the box.
    - Any other printable key on the list starts the filter with that character.
    - In the box every printable key types. A key that reaches the screen while the box has the
      focus was on its way to the list when the box took the focus: it goes into the box too.
    """
    if screen.app.screen is not screen or not event.is_printable or not event.character:
        return
    focused = screen.focused
    if focused is rows:
        active = screen.active_bindings.get(event.key)
        if active is not None:
            if active.enabled:
                event.stop()
                event.prevent_default()
                await screen.app.run_action(active.binding.action, active.node)
            return
        if event.character in "[]":
            return  # the item screen's earlier/later keys: not the start of a filter
    elif focused is not box or not box.check_consume_key(event.key, event.character):
        return  # not ours, or a key the box leaves to the bindings (? in an empty box)
    screen.set_focus(box)
    box.insert_text_at_cursor(event.character)
    event.stop()
    event.prevent_default()
