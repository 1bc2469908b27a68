"""What the harness runs in a fresh interpreter, one measurement per process.

    python bench/probe.py bare                     a bare Textual app's first frame
    python bench/probe.py app DIR CACHE            tuibrowser's first frame with the list filled
    python bench/probe.py loaded DIR CACHE         ... and until the whole library is loaded
    python bench/probe.py store-app DIR URL STATE  tuibrowser's first frame on a PostgreSQL store
    python bench/probe.py parse DIR                python-frontmatter over every file
    python bench/probe.py index DIR CACHE          bring the cache up to date (tuibrowser index)
    python bench/probe.py search DIR CACHE Q...    in-app search latency, one line of JSON

The first-frame probes go through the real entry point (``tuibrowser.cli.main``) with the
app headless, and write ``ready`` on the file descriptor ``$BENCH_READY_FD`` once the frame
they wait for has been painted; the harness times from starting the process to that line. The others print the
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
    ``loaded``, once the library is loaded and shown)."""
    from tuibrowser.tui import app as app_module
    from tuibrowser.tui.screens.meetings import MeetingsScreen

    def listed(screen) -> bool:
        return isinstance(screen, MeetingsScreen) and bool(screen.rows)

    headless(listed if until == "list" else None)
    loaded = app_module.TuiBrowserApp.on_library_loaded

    def on_library_loaded(self, message):
        loaded(self, message)
        if until == "loaded" and message.result.fresh:
            self.call_after_refresh(finish, self)

    app_module.TuiBrowserApp.on_library_loaded = on_library_loaded  # type: ignore[method-assign]

    os.environ["TUIBROWSER_STATE_DIR"] = str(Path(cache).parent / "state")
    from tuibrowser.cli import main

    main([directory, "--cache", cache])


def store_app(directory: str, url: str, state: str) -> None:
    """tuibrowser on a PostgreSQL store (``--store URL``): the first frame that shows meetings."""
    from tuibrowser.tui.screens.meetings import MeetingsScreen

    headless(lambda screen: isinstance(screen, MeetingsScreen) and bool(screen.rows))
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


def main() -> None:
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
    else:
        raise SystemExit(f"unknown probe {what!r}")


if __name__ == "__main__":
    main()
