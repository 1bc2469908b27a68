"""The browser's safety net: an error nobody expected becomes a message, never a traceback.

Textual's own handling of an uncaught exception ends the app and prints a Rich traceback
with the local variables of every frame: the text of the records open at the time, on a
terminal that may be a shared screen and keeps it in its scroll-back. ``SafetyNet``, mixed
into the app before Textual's ``App``, replaces it:

- an error in an action (what a key does) or in a handler of the app (a message to the app)
  is told in a notification and the app goes on where it was;
- an error in a screen (building it, or one of its handlers) takes that screen away, back to
  the one before it, and says so;
- an error in a worker is told, and the app goes on;
- anything else (the meeting list itself, drawing the screen) ends the app with one line on
  the terminal: the kind of error and its message, cleaned and cut short.

With ``TUIBROWSER_DEBUG=1`` the whole traceback, with each frame's local variables, goes to a
file only the user may read in the user's state folder, and the message gives its path (see
:mod:`tuibrowser.debuglog`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual._context import active_message_pump
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import WorkerFailed

from ..debuglog import debug_enabled, summary, write_log

HINT = "set TUIBROWSER_DEBUG=1 to keep the details in a log file"


def details(exc: BaseException, where: str) -> tuple[str, Path | None]:
    """The one line that tells ``exc``, and the debug log written for it (if asked for)."""
    path = write_log(exc, where) if debug_enabled() else None
    return summary(exc), path


if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

    class _App(App):  # what the net is mixed into, as far as it needs
        def say(
            self, message: str, severity: SeverityLevel = ..., timeout: float | None = ...
        ) -> None: ...
else:
    _App = object


class SafetyNet(_App):
    """Mixed into the app before Textual's ``App``: see the module."""

    # Under Pilot (headless) the first error is kept for ``run_test`` to raise when the test
    # ends, as Textual does, so that no test passes over an error the net caught. Tests of the
    # net itself turn this off.
    raise_after_test = True

    @property
    def errors_told(self) -> list[str]:
        """What the net told the user, in order."""
        return self.__dict__.setdefault("_errors_told", [])

    async def _dispatch_message(self, message: Message) -> None:
        # The app's own messages and events: keys and the actions they run, the messages
        # screens post to the app. An error in one must not end the app's message loop.
        try:
            await super()._dispatch_message(message)
        except Exception as exc:  # noqa: BLE001 - the net: told, and the app goes on
            self._caught(exc)
            self._tell(exc, "the app")

    async def _dispatch_action(self, namespace: DOMNode, action_name: str, params: Any) -> bool:
        # Every action, whichever loop runs it (the app's for a key, a screen's when it hands
        # a key to an action itself): an error in one is told, and the app goes on.
        try:
            return await super()._dispatch_action(namespace, action_name, params)
        except Exception as exc:  # noqa: BLE001 - the net: told, and the app goes on
            self._caught(exc)
            self._tell(exc, f"the action {action_name!r}")
            return True

    def _handle_exception(self, error: Exception) -> None:
        """Called by Textual with an exception nothing handled (it would end the app)."""
        self._caught(error)
        if isinstance(error, WorkerFailed):
            self._tell(error.error, "a background task")
            return
        screen = self._failed_screen()
        if screen is not None:
            self._tell(error, f"the {_screen_name(screen)} screen", went_back=True)
            self.call_later(self._drop_screen, screen)
            return
        self._end(error)

    def _fatal_error(self) -> None:
        """Textual's last resort prints a traceback with locals: one line instead."""
        self._exit_with("tuibrowser: error: the browser stopped unexpectedly")

    # -- the parts ---------------------------------------------------------------

    def _caught(self, error: BaseException) -> None:
        app = self
        if (
            self.raise_after_test
            and app.is_headless
            and app._exception is None
            and isinstance(error, Exception)
        ):
            app._exception = error

    def _tell(self, error: BaseException, where: str, went_back: bool = False) -> None:
        line, path = details(error, where)
        text = f"Something went wrong in {where} ({line})"
        text += "; went back." if went_back else "."
        text += f" Details in {path}" if path else f" ({HINT})"
        self.errors_told.append(text)
        try:
            self.say(text, "error", timeout=20)
        except Exception:  # noqa: BLE001 - telling must not raise in its turn
            pass

    def _failed_screen(self) -> Screen | None:
        """The screen, above the first, whose handler or widget raised; None if it was not a
        screen's (the app's own loop, or the first screen: nothing to go back to)."""
        try:
            pump = active_message_pump.get()
        except LookupError:
            return None
        screen: object = pump
        if isinstance(pump, Widget) and not isinstance(pump, Screen):
            try:
                screen = pump.screen
            except Exception:  # noqa: BLE001 - a widget not (or no longer) on a screen
                return None
        stack = self.screen_stack
        if isinstance(screen, Screen) and len(stack) > 1 and screen is stack[-1]:
            return screen
        return None

    def _drop_screen(self, screen: Screen) -> None:
        stack = self.screen_stack
        if len(stack) > 1 and stack[-1] is screen:
            self.pop_screen()

    def _end(self, error: BaseException) -> None:
        line, path = details(error, "the browser")
        where = f"details in {path}" if path else HINT
        self._exit_with(f"tuibrowser: error: {line}\n({where})")

    def _exit_with(self, text: str) -> None:
        """End the app; what is printed on the terminal is ``text``, as plain text."""
        app = self
        app._return_code = 1
        app._exit_renderables.clear()
        app._exit_renderables.append(Text(text))
        app._close_messages_no_wait()


def _screen_name(screen: Screen) -> str:
    return (getattr(screen, "SCREEN_NAME", None) or type(screen).__name__).lower()
