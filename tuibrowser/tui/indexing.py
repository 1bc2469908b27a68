"""The progress of an index the browser runs: files done of all, on a bar above the status line.

The loading worker (a thread) hands an :class:`IndexTicker` to ``Cache.update``, which calls
it with the files done and the files in all. The ticker only keeps the latest figures; the app
reads them four times a second while it loads and shows the bar once an index has run a moment
(a refresh of an indexed folder shows none). Once the app is closing the ticker raises
:class:`IndexCancelled`, so a cold index stops (its worker processes terminated) instead of
holding the exit of the app.
"""

from __future__ import annotations

import threading
import time

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

SHOW_AFTER = 0.2  # seconds an index runs before its bar shows
EVERY = 0.25  # seconds between two looks at the figures (each paints the bar)


class IndexCancelled(Exception):
    """The app is closing: stop the index (the cache keeps its last whole generation)."""


class IndexTicker:
    """The ``progress`` callback of ``Cache.update`` for the browser (called in a thread)."""

    def __init__(self, stop: threading.Event) -> None:
        self._stop = stop
        self._started = time.monotonic()
        self.latest: tuple[int, int] | None = None  # (done, total), None once over

    def __call__(self, done: int, total: int) -> None:
        if self._stop.is_set():
            raise IndexCancelled
        self.latest = (done, total)

    def finish(self) -> None:
        self.latest = None

    def to_show(self) -> tuple[int, int] | None:
        """(done, total) when the bar should show them, else None."""
        latest = self.latest
        if latest is None or time.monotonic() - self._started < SHOW_AFTER:
            return None
        return latest if latest[0] < latest[1] else None


class IndexBar(Horizontal):
    """One line: "Indexing 340 of 1,200 files" and a bar."""

    DEFAULT_CSS = """
    IndexBar {
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    IndexBar > #index-label {
        height: 1;
        padding: 0 1 0 0;
    }
    IndexBar > ProgressBar {
        width: 1fr;
        height: 1;
    }
    """

    def __init__(self, done: int, total: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.done = done
        self.total = total

    def compose(self) -> ComposeResult:
        # (imported when a bar shows: a refresh of an indexed folder shows none, and the first
        # frame does not wait for Textual's bar)
        from textual.widgets import ProgressBar

        label = Static(self._label(), id="index-label")
        label.styles.width = self._width()
        yield label
        bar = ProgressBar(total=self.total, show_eta=False, id="index-bar")
        bar.progress = self.done
        yield bar

    def _label(self) -> Content:
        return Content(f"Indexing {self.done:,} of {self.total:,} files")

    def _width(self) -> int:
        """The label's width: its longest, every file done (plus its padding), so that a new
        count is painted in place; laying the screen out again at each look took the
        browser's first index of 10,000 meetings about a second of the interpreter."""
        return len(f"Indexing {self.total:,} of {self.total:,} files") + 1

    def show(self, done: int, total: int) -> None:
        resized = total != self.total
        self.done, self.total = done, total
        if not self.is_mounted:
            return  # compose shows them
        from textual.widgets import ProgressBar

        label = self.query_one("#index-label", Static)
        if resized:
            label.styles.width = self._width()
        label.update(self._label(), layout=resized)
        self.query_one("#index-bar", ProgressBar).update(total=total, progress=done)
