"""What the harness runs in a fresh interpreter, one measurement per process.

    python bench/probe.py bare                     a bare Textual app's first frame
    python bench/probe.py app DIR CACHE            tuibrowser's first frame with the list filled
    python bench/probe.py loaded DIR CACHE         ... until the library and what changed are loaded
    python bench/probe.py store-app DIR URL STATE  tuibrowser's first frame on a PostgreSQL store
    python bench/probe.py parse DIR                python-frontmatter over every file
    python bench/probe.py index DIR CACHE          bring the cache up to date (tuibrowser index)
    python bench/probe.py search DIR CACHE Q...    in-app search latency, one line of JSON
    python bench/probe.py cold DIR CACHE N         first open of a never-indexed folder: marks
                                                   frame, progress, full (N meetings listed)
    python bench/probe.py screen DIR CACHE KEY NAME   at the first frame, press KEY until the
                                                   screen NAME shows rows: mark usable
    python bench/probe.py first-search DIR CACHE Q    at the first frame, type / Q Enter: mark
                                                   answered; once loaded, the same again warm

The first-frame probes go through the real entry point (``tuibrowser.cli.main``) with the
app headless, and write ``ready`` on the file descriptor ``$BENCH_READY_FD`` once the frame
they wait for has been painted; the harness times from starting the process to that line. The
probes that act as a user (cold, screen, first-search) write more marks on the same file
descriptor, one line each, which the harness times as they come. The others print the
seconds the work took, timed inside the process, so interpreter start-up (the same for all)
does not blur the ratios between them.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def signal_ready() -> None:
    os.write(int(os.environ["BENCH_READY_FD"]), b"ready\n")


def headless(first_frame=None) -> None:
    """Make every App.run headless (no terminal here), keeping everything else as it is.

    ``first_frame(screen)`` is asked at each frame the app would write to the terminal (after
    the compositor has rendered it); once it says yes, the probe signals ready and exits.
    """
    from textual.app import App

    run = App.run
    display = App._display
    done = []

    def run_headless(self, *args, **kwargs):
        kwargs["headless"] = True
        kwargs.setdefault("size", (120, 40))
        return run(self, *args, **kwargs)

    def _display(self, screen, renderable):
        display(self, screen, renderable)
        if renderable is not None and not done and first_frame and first_frame(screen):
            done.append(True)
            signal_ready()
            self.exit()

    App.run = run_headless  # type: ignore[method-assign]
    App._display = _display  # type: ignore[method-assign]


def when_imported(name: str, then) -> None:
    """Call ``then()`` right after the module ``name`` is first imported."""
    import importlib.abc
    import importlib.machinery

    class Hook(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path, target=None):
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
            if spec is not None and spec.loader is not None:
                exec_module = spec.loader.exec_module

                def exec_then(module):
                    exec_module(module)
                    then()

                spec.loader.exec_module = exec_then  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, Hook())


def bare() -> None:
    headless(lambda screen: True)
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Date", "Board", "Venue")

    Bare().run()


def app(directory: str, cache: str, until: str) -> None:
    """Open tuibrowser as a user would; stop at the first frame that shows meetings (or, for
    ``loaded``, once the library is loaded and shown).

    Textual and the browser are imported by the program, when it imports them (as
    ``store_app``): importing them here first would move their import out of the program's
    start, from under what it does there (it pauses the collector, for one)."""

    def listed(screen) -> bool:
        from tuibrowser.tui.screens.meetings import MeetingsScreen

        return isinstance(screen, MeetingsScreen) and bool(screen.rows)

    def patch() -> None:
        from tuibrowser.tui import app as app_module

        loaded = app_module.TuiBrowserApp.on_library_loaded
        found = app_module.TuiBrowserApp.on_changes_found

        def on_library_loaded(self, message):
            loaded(self, message)
            # (the look at what changed follows the library: it is waited for too)
            if until == "loaded" and message.result.fresh and not message.result.changes_pending:
                self.call_after_refresh(finish, self)

        def on_changes_found(self, message):
            found(self, message)
            if until == "loaded":
                self.call_after_refresh(finish, self)

        app_module.TuiBrowserApp.on_library_loaded = on_library_loaded  # type: ignore[method-assign]
        app_module.TuiBrowserApp.on_changes_found = on_changes_found  # type: ignore[method-assign]

    when_imported("textual.app", lambda: headless(listed if until == "list" else None))
    when_imported("tuibrowser.tui.app", patch)
    os.environ["TUIBROWSER_STATE_DIR"] = str(Path(cache).parent / "state")
    from tuibrowser.cli import main

    main([directory, "--cache", cache])


def store_app(directory: str, url: str, state: str) -> None:
    """tuibrowser on a PostgreSQL store (``--store URL``): the first frame that shows meetings.

    Textual is made headless when the program imports it, not before (the browser reads the
    store's first page while Textual is imported: importing it first would hide that)."""

    def listed(screen) -> bool:
        from textual.widgets import DataTable

        from tuibrowser.tui.screens.meetings import MeetingsScreen

        # (on a store the list holds the pages it shows, not every row: its table is filled)
        if not isinstance(screen, MeetingsScreen):
            return False
        return any(t.row_count for t in screen.query(DataTable))

    when_imported("textual.app", lambda: headless(listed))
    os.environ["TUIBROWSER_STATE_DIR"] = state
    from tuibrowser.cli import main

    main([directory, "--store", url])


_done = False


def finish(app) -> None:
    global _done
    if not _done:
        _done = True
        signal_ready()
        app.exit()


def parse(directory: str) -> None:
    """What the app would do without a cache: read and parse every file."""
    import frontmatter

    started = time.perf_counter()
    n = 0
    for path in sorted(Path(directory).rglob("*.md")):
        frontmatter.load(path)
        n += 1
    print(json.dumps({"s": time.perf_counter() - started, "files": n}))


def index(directory: str, cache: str) -> None:
    from tuibrowser.store import Cache

    started = time.perf_counter()
    report = Cache(Path(directory), Path(cache)).update()
    seconds = time.perf_counter() - started
    print(json.dumps({"s": seconds, "read": len(report.read), "meetings": report.meetings}))


def search(directory: str, cache: str, queries: list[str]) -> None:
    """The browser's search: the library from the cache (as the browser loads it), the index,
    each query three times."""
    from tuibrowser.search import index_for
    from tuibrowser.store import Cache

    started = time.perf_counter()
    store = Cache(Path(directory), Path(cache))
    store.update()
    lib = store.load(texts=False)  # as the browser loads it
    loaded = time.perf_counter() - started
    import gc

    gc.freeze()  # as the browser does once its library is loaded (tui/loading.py)
    started = time.perf_counter()
    index = index_for(lib)
    build = time.perf_counter() - started
    out = {"load_s": loaded, "build_s": build, "queries": {}}
    for q in queries:
        times = []
        for _ in range(3):
            t = time.perf_counter()
            res = index.query(q, limit=100)
            times.append(time.perf_counter() - t)
        out["queries"][q] = {"s": sorted(times)[1], "total": res.total, "complete": res.complete}
    print(json.dumps(out))


def mark(name: str, _sent: set[str] = set()) -> None:  # noqa: B006 (marks sent, once each)
    if name not in _sent:
        _sent.add(name)
        os.write(int(os.environ["BENCH_READY_FD"]), f"{name}\n".encode())


def watch(at_frame) -> None:
    """Run tuibrowser headless; ``at_frame(app, screen)`` at every frame painted, until it
    returns True (then the app exits)."""
    from textual.app import App

    run = App.run
    display = App._display
    done: list[bool] = []

    def run_headless(self, *args, **kwargs):
        kwargs["headless"] = True
        kwargs.setdefault("size", (120, 40))
        return run(self, *args, **kwargs)

    def _display(self, screen, renderable):
        display(self, screen, renderable)
        if renderable is not None and not done and at_frame(self, screen):
            done.append(True)
            self.exit()

    App.run = run_headless  # type: ignore[method-assign]
    App._display = _display  # type: ignore[method-assign]


def start_browser(directory: str, cache: str) -> None:
    os.environ["TUIBROWSER_STATE_DIR"] = str(Path(cache).parent / "state")
    from tuibrowser.cli import main

    main([directory, "--cache", cache])


def name_of(screen) -> str:
    return type(screen).__name__


def rows_shown(screen) -> bool:
    """The screen shows something to browse: a table with rows, a list with options, or the
    dashboard's ratings of a reporting period."""
    from textual.widgets import DataTable, OptionList

    # (the dashboard opens on its Ratings tab: a block per reporting period, no table)
    return (
        any(t.row_count for t in screen.query(DataTable))
        or any(o.option_count for o in screen.query(OptionList))
        or bool(screen.query("#dash-overview .period"))
    )


def cold(directory: str, cache: str, meetings: int) -> None:
    """The first open of a folder never indexed: the first frame, the first frame showing
    the index's progress, and the first frame with all ``meetings`` listed."""

    def at_frame(app, screen) -> bool:
        if name_of(screen) != "MeetingsScreen":
            return False
        mark("frame")
        if screen.query("#index-progress"):
            mark("progress")
        rows = len(getattr(screen, "rows", ()))
        # all listed (or, should a file not parse, the whole library loaded and shown)
        if rows >= meetings or (rows and getattr(app, "library", None) is not None):
            mark("full")
            return True
        return False

    watch(at_frame)
    start_browser(directory, cache)


async def press(app, *keys: str) -> None:
    """Send ``keys`` as a terminal would (characters or key names), as fast as they come, then
    let the app handle them."""
    import asyncio

    from textual import events
    from textual.keys import _character_to_key

    for k in keys:
        char = k if len(k) == 1 else None
        name = _character_to_key(k) if char is not None and not k.isalnum() else k
        if name == "enter":
            char = "\r"
        elif name == "escape":
            char = "\x1b"
        event = events.Key(name, char)
        event.set_sender(app)
        app._driver.send_message(event)
    await asyncio.sleep(0)


# how often the key is pressed again while the browser says it is still loading: about as
# often as an impatient user would (each press it refuses is a notification on the screen)
RETRY = float(os.environ.get("BENCH_RETRY", "0.25"))


async def open_screen(app, key: str, name: str) -> None:
    """Press ``key`` until the screen ``name`` is up (a user pressing again while it says
    it is still loading)."""
    import asyncio

    while name_of(app.screen) != name:
        await press(app, key)
        await asyncio.sleep(RETRY)


def screen(directory: str, cache: str, key: str, name: str) -> None:
    """At the first frame with the list, open the screen ``name`` with ``key``: mark ready,
    then usable at the first frame it shows rows."""
    started: list[bool] = []

    def at_frame(app, screen) -> bool:
        if not started:
            if name_of(screen) == "MeetingsScreen" and getattr(screen, "rows", None):
                started.append(True)
                mark("ready")
                app.run_worker(open_screen(app, key, name))
            return False
        if name_of(screen) == name and rows_shown(screen):
            mark("usable")
            return True
        return False

    watch(at_frame)
    start_browser(directory, cache)


def status_text(screen) -> str:
    try:
        return str(screen.query_one("#search-status").render())
    except Exception:  # noqa: BLE001 (not the search screen as it was)
        return ""


def first_search(directory: str, cache: str, query: str) -> None:
    """At the first frame with the list, type ``/``, the query and Enter: mark answered at the
    first frame with its answer. Once the library is loaded and the index warm, go back to the
    list and do the same again: marks warm and warm-answered."""
    import asyncio

    state = {"phase": "wait"}

    async def search(app, warm: bool) -> None:
        if warm:
            for _ in range(6000):  # the library loaded (at most ten minutes)
                if getattr(app, "library", None) is not None:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)  # the search index built, as in a browser open a while
            while name_of(app.screen) != "MeetingsScreen":
                await press(app, "escape")
                await asyncio.sleep(0.1)
            mark("warm")
            state["phase"] = "warm"
        await open_screen(app, "slash", "SearchScreen")
        mark("warm-opened" if warm else "opened")
        await press(app, *query, "enter")
        mark("warm-typed" if warm else "typed")

    def at_frame(app, screen) -> bool:
        phase = state["phase"]
        if phase == "wait":
            if name_of(screen) == "MeetingsScreen" and getattr(screen, "rows", None):
                state["phase"] = "first"
                mark("ready")
                app.run_worker(search(app, False))
            return False
        answered = name_of(screen) == "SearchScreen" and "match" in status_text(screen)
        if phase == "first" and answered:
            mark("answered")
            state["phase"] = "between"
            app.run_worker(search(app, True))
        elif phase == "warm" and answered:
            mark("warm-answered")
            return True
        return False

    watch(at_frame)
    start_browser(directory, cache)


def main() -> None:
    import faulthandler

    # a probe that never reaches its mark ends (with where it was) instead of holding the run
    faulthandler.dump_traceback_later(float(os.environ.get("BENCH_TIMEOUT", "1800")), exit=True)
    what, *args = sys.argv[1:]
    if what == "bare":
        bare()
    elif what == "app":
        app(args[0], args[1], "list")
    elif what == "loaded":
        app(args[0], args[1], "loaded")
    elif what == "store-app":
        store_app(args[0], args[1], args[2])
    elif what == "parse":
        parse(args[0])
    elif what == "index":
        index(args[0], args[1])
    elif what == "search":
        search(args[0], args[1], args[2:])
    elif what == "cold":
        cold(args[0], args[1], int(args[2]))
    elif what == "screen":
        screen(args[0], args[1], args[2], args[3])
    elif what == "first-search":
        first_search(args[0], args[1], args[2])
    else:
        raise SystemExit(f"unknown probe {what!r}")


if __name__ == "__main__":
    main()
