"""The text boxes of the browser (filters, the search query) and the type-to-filter rule.

The rule, the same on every list that has a box above it: small letters, digits and space
type into the box, from the list as from the box — ``p`` and ``q`` included, so a word typed
on a list is never a command. Commands are the keys no word is made of: capitals (``P``
people, ``S`` sort), symbols (``/`` search, ``?`` keys), Enter, Escape, the arrows and Ctrl
keys. In the box every printable key types, except ``?`` while the box is empty (the keys).
Escape empties the box first, and goes back only when it is empty.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input


class TextBox(Input):
    """A text box: Escape empties it (when it is empty, Escape is the screen's: back)."""

    HELP_NAME = "the text box"

    BINDINGS = [Binding("escape", "clear", "Clear", id="box.clear")]

    def __init__(self, *args, **kwargs) -> None:
        # the first key typed on a list moves here: selecting it would let the next replace it
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if character == "?" and not self.value:
            return False  # left to the bindings: the keys of the screen
        return super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        if event.character == "?" and not self.value:
            event.prevent_default()  # not typed; it goes on to the "? Keys" binding

    def watch_value(self, old: str, new: str) -> None:
        if bool(old) != bool(new):
            self.refresh_bindings()  # "? Keys" and "esc Clear" come and go

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear":
            return bool(self.value)  # an empty box leaves Escape to the screen: back
        return super().check_action(action, parameters)

    def action_clear(self) -> None:
        self.value = ""


def types(character: str) -> bool:
    """Does ``character``, typed on a list with a box, go into the box whatever is bound to it:
    a small letter, a digit or a space."""
    return character == " " or (character.isalnum() and not character.isupper())


async def type_to_filter(screen: Screen, event: events.Key, rows: Widget, box: Input) -> None:
    """The type-to-filter rule (see the module) for the ``on_key`` of a list's screen.

    - On the list, a small letter, digit or space starts the filter with that character.
    - Any other key bound to a command there does it (``S`` sorts, ``P`` opens People). It runs
      here, at once, so keys typed straight after it see what it did; an unbound one types.
    - In the box every printable key types. A key that reaches the screen while the box has the
      focus was on its way to the list when the box took the focus: it goes into the box too.
    """
    if screen.app.screen is not screen or not event.is_printable or not event.character:
        return
    focused = screen.focused
    if focused is rows or focused is None:
        if not types(event.character):
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
