"""Opening a screen whose data is not all read yet: the app's ``ScreenOpener``.

A key or a link asks the app for a screen (``_open_screen``); what it is made of may not be
there yet, and the first frame never waits for it:

- while the library loads, a screen that says so stands for the one asked for
  (``WaitingScreen``) and becomes it once the library is loaded — or, for People, Topics and
  the dashboard, the screen is made at once of the cache's parts (``early``), a part the user
  asked for read before the rest;
- on a library a store answers on demand (``answered``), the People list and Topics have
  their parts read first and the screens that need every meeting wait for every meeting,
  each read in a thread worker (every meeting once); an error there is said and the app
  stays usable.

``ScreenOpener`` is mixed into the app (``TuiBrowserApp``), before Textual's ``App``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen

from .answered import answered, maker, warming

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel

    from ..library import Library
    from .host import Updates
    from .loading import Loader

    class _App(App):  # what the opener is mixed into, as far as it needs
        library: Library | None
        load_error: str | None
        loader: Loader
        updates: Updates

        def say(
            self, message: str, severity: SeverityLevel = ..., timeout: float | None = ...
        ) -> None: ...

        def _need_library(self, again: Callable[[], None] | None = ...) -> Library | None: ...
else:
    _App = object

# the screens made of a part of the cache before the library is loaded, beside People (whose
# figures are read apart): their part's name (:class:`.early.EarlySearch`'s views)
EARLY_PARTS = {"TopicsScreen": "topics", "DashboardScreen": "ratings"}


class ScreenOpener(_App):
    """Mixed into the app before Textual's ``App``: see the module."""

    def _open_screen(self, cls: type[Screen], *args: str) -> None:
        """Push ``cls(library, *args)``, unless the screen is already the one shown (a list
        screen opened again). While the library loads, a screen that says so stands for it
        (``WaitingScreen``) and becomes it once the library is loaded."""
        if isinstance(self.screen, cls) and not args:
            return  # already there
        make = maker(cls)  # the browser's screens take (library, *args)
        if self.library is None and not self.load_error:
            from .screens.waiting import WaitingScreen

            name = getattr(cls, "SCREEN_NAME", None) or cls.__name__.removesuffix("Screen")
            early = self._early_screen(cls, args)
            shown = early() if early is not None else None
            if shown is not None:  # what the cache's parts give: the library's answer
                self.push_screen(shown)
            elif not isinstance(self.screen, WaitingScreen) or self.screen.wanted != name:
                # the people the cache names are known already: listed while the rest loads
                # (not when their figures come in a moment: thousands of names held them back)
                people = None
                if name == "People" and not args:
                    self.loader.early.want_people()
                    if not self.loader.early.people_kept:
                        people = self.loader.early.people
                elif early is not None:  # Topics, the dashboard: their part is read next
                    self.loader.early.want(EARLY_PARTS[cls.__name__])
                self.push_screen(
                    WaitingScreen(name, lambda lib: make(lib, *args), people, early=early)
                )
            return
        lib = self._need_library()
        if lib is None:
            return
        if not answered(lib, cls):  # a store's library: a screen that needs every meeting
            self._read_every_meeting(lib, cls, lambda whole: make(whole, *args))
            return
        read = warming(lib, cls)
        if read is not None:  # a store's People list or Topics: their parts read in a thread
            self._read_then_open(cls, read, lambda: make(lib, *args))
            return
        self.push_screen(make(lib, *args))

    def _read_then_open(
        self, cls: type[Screen], read: Callable[[], object], make: Callable[[], Screen]
    ) -> None:
        """Open ``make()`` once ``read()`` is done, in a thread; meanwhile a screen says it is
        loading (the screen is not opened if the user left that one)."""
        from .screens.waiting import WaitingScreen

        name = getattr(cls, "SCREEN_NAME", None) or cls.__name__.removesuffix("Screen")
        done = threading.Event()
        waiting = WaitingScreen(name, lambda _lib: make(), ready=done.is_set)
        self.push_screen(waiting)
        self._read_parts(read, waiting, done)

    @work(thread=True, group="screen-parts")
    def _read_parts(
        self, read: Callable[[], object], waiting: Screen, done: threading.Event
    ) -> None:
        try:
            read()
        except Exception as exc:  # noqa: BLE001 - said, the app stays usable
            self.call_from_thread(self._parts_failed, waiting, f"Could not read the store: {exc}")
            return
        done.set()
        self.call_from_thread(self._parts_read, waiting)

    def _parts_read(self, waiting: Screen) -> None:
        from .screens.waiting import WaitingScreen

        if isinstance(waiting, WaitingScreen) and self.library is not None:
            waiting.library_loaded(self.library)  # made now, if it is still the one shown

    def _parts_failed(self, waiting: Screen, message: str) -> None:
        if self.screen is waiting:
            self.pop_screen()
        self.say(message, "error")

    def _read_every_meeting(
        self, lib: Library, cls: type[Screen], make: Callable[[Library], Screen]
    ) -> None:
        """Open ``make(lib)`` once every meeting of ``lib`` (a library a store answers on
        demand) is read, in a thread; meanwhile a screen says it is loading."""
        from .screens.waiting import WaitingScreen

        name = getattr(cls, "SCREEN_NAME", None) or cls.__name__.removesuffix("Screen")
        if not isinstance(self.screen, WaitingScreen) or self.screen.wanted != name:
            # made once they are read, not by the app's thread as the screen shows
            self.push_screen(WaitingScreen(name, make, ready=lambda: answered(lib, cls)))
        self._read_meetings(lib)

    @work(thread=True, exclusive=True, group="every-meeting")
    def _read_meetings(self, lib: Library) -> None:
        try:
            lib.meetings  # noqa: B018 - read from the store the first time
        except Exception as exc:  # noqa: BLE001 - said, the app stays usable
            self.call_from_thread(self.say, f"Could not read the meetings: {exc}", "error")
            return
        self.call_from_thread(self._every_meeting_read, lib)

    def _every_meeting_read(self, lib: Library) -> None:
        if lib is self.library:  # the screens waiting for it open
            self.updates.library.publish(lib)

    def _early_screen(
        self, cls: type[Screen], args: tuple[str, ...]
    ) -> Callable[[], Screen | None] | None:
        """What makes ``cls`` before the library is loaded, from the cache's parts (People:
        everyone with their attendance; Topics; the dashboard's ratings), None for a screen
        that waits for the library. It gives None until the parts are read."""
        # by the class's name: the other screens are not imported for one (the dashboard's
        # modules took a quarter of a second of People asked for at the first frame)
        early = self.loader.early
        readers: dict[str, Callable[[], Any]] = {
            "PeopleScreen": early.figures,
            **{cls: partial(early.view, part) for cls, part in EARLY_PARTS.items()},
        }
        read = readers.get(cls.__name__)
        if read is None or args:
            return None
        screen: Callable[..., Screen] = cls  # these take (None, what the parts give)

        def make() -> Screen | None:
            return _made(read(), lambda found: screen(None, found))

        def made() -> Screen | None:
            shown = make()
            if shown is not None:
                early.drawing()  # the library's loading waits until it is drawn
            return shown

        return made


def _made(found: Any, make: Callable[[Any], Screen]) -> Screen | None:
    """``make(found)``, when the cache's parts have given ``found``."""
    return make(found) if found is not None else None
