"""The browser's time to its first answers, as a user meets them right after start: the first
search typed once the first frame is out (against the same query again, warm), and the People,
Topics and KPI dashboard screens opened then. Run in its own process per figure::

    python bench/first_answer.py DIR CACHE QUERY

prints one JSON line of seconds: ``frame`` (start → first frame with meetings), ``search``
(a query entered right after the first frame → its answer shown, timed by the screen), ``warm`` (the same query again once the library is
loaded), ``people`` / ``topics`` / ``dashboard`` (first frame → the screen shown), ``library``
(first frame → library loaded).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path


async def _until(pilot, done, budget: float = 120.0) -> float:
    start = time.perf_counter()
    while not done():
        await pilot.pause(0.005)
        if time.perf_counter() - start > budget:
            raise TimeoutError("no answer")
    return time.perf_counter() - start


STAMPS: dict[str, float] = {}  # when the screen started the query, and showed its answer


def _stamp() -> None:
    """Time the search screen itself, from the query started to its answer shown (Pilot's own
    waits, slow on a busy machine, left out)."""
    from tuibrowser.tui.screens.search import SearchScreen

    start, show = SearchScreen._start, SearchScreen._show

    def started(self, query: str) -> None:
        STAMPS.setdefault("start", time.perf_counter())
        start(self, query)

    def shown(self, results) -> None:
        show(self, results)
        if results.terms:
            STAMPS.setdefault("shown", time.perf_counter())

    SearchScreen._start = started  # type: ignore[method-assign]
    SearchScreen._show = shown  # type: ignore[method-assign]


async def _search(app, pilot, query: str) -> float:
    from tuibrowser.tui.screens.search import SearchScreen
    from tuibrowser.tui.widgets import TextBox

    start = time.perf_counter()
    while not isinstance(app.screen, SearchScreen):  # "still loading": a user tries again
        await pilot.press("slash")
        await pilot.pause(0.05)
    screen = app.screen
    # the query as pasted (keys one by one wait on the app between them: slow under load)
    STAMPS.clear()
    start = time.perf_counter()
    screen.query_one(TextBox).value = query
    await pilot.press("enter")

    def answered() -> bool:
        return screen._last_query == query and bool(screen.hits) or _no_match(screen)

    await _until(pilot, answered)
    took = time.perf_counter() - start
    if "shown" in STAMPS and "start" in STAMPS:
        took = STAMPS["shown"] - STAMPS["start"]
    await pilot.press("escape", "escape")
    await _until(pilot, lambda: not isinstance(app.screen, SearchScreen))
    return took


def _no_match(screen) -> bool:
    return "No match" in str(screen.query_one("#search-status").render())


async def _screen(app, pilot, key: str, name: str) -> float:
    start = time.perf_counter()
    while type(app.screen).__name__ != name:  # "still loading": a user tries again
        await pilot.press(key)
        await pilot.pause(0.05)
    took = time.perf_counter() - start
    await pilot.press("escape")
    return took


async def main(directory: str, cache: str, query: str, what: str) -> dict:
    os.environ["TUIBROWSER_STATE_DIR"] = str(Path(cache).parent / "state")
    started = time.perf_counter()
    _stamp()
    from tuibrowser.tui.app import TuiBrowserApp
    from tuibrowser.tui.screens.meetings import MeetingsScreen

    app = TuiBrowserApp(Path(directory), cache_path=Path(cache))
    out: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, MeetingsScreen) and app.screen.rows)
        out["frame"] = time.perf_counter() - started
        t0 = time.perf_counter()
        if what == "search":
            out["search"] = await _search(app, pilot, query)
        else:
            out[what] = await _screen(app, pilot, *what.split(":"))
        await _until(pilot, lambda: app.library is not None)
        out["library"] = time.perf_counter() - t0
        await pilot.pause(0.2)
        if what == "search":
            out["warm"] = min([await _search(app, pilot, query) for _ in range(3)])
    return out


if __name__ == "__main__":
    directory, cache, query = sys.argv[1:4]
    what = sys.argv[4] if len(sys.argv) > 4 else "search"
    print(json.dumps(asyncio.run(main(directory, cache, query, what))))
