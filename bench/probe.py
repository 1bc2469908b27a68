"""What the harness runs in a fresh interpreter, one measurement per process.

    python bench/probe.py bare                     a bare Textual app's first frame
    python bench/probe.py app DIR CACHE            tuibrowser's first frame with the list filled
    python bench/probe.py loaded DIR CACHE         ... and until the whole library is loaded
    python bench/probe.py parse DIR                python-frontmatter over every file
    python bench/probe.py search DIR CACHE Q...    in-app search latency, one line of JSON

The first-frame probes go through the real entry point (``tuibrowser.cli.main``) with the
app headless, and write ``ready`` on file descriptor 3 once the frame they wait for has been
painted; the harness times from starting the process to that line.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def signal_ready() -> None:
    os.write(3, b"ready\n")


def headless() -> None:
    """Make every App.run headless (no terminal here), keeping everything else as it is."""
    from textual.app import App

    run = App.run

    def run_headless(self, *args, **kwargs):
        kwargs["headless"] = True
        return run(self, *args, **kwargs)

    App.run = run_headless  # type: ignore[method-assign]


def bare() -> None:
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
            self.call_after_refresh(self.done)

        def done(self) -> None:
            signal_ready()
            self.exit()

    Bare().run(headless=True, size=(120, 40))


def app(directory: str, cache: str, until: str) -> None:
    """Open tuibrowser as a user would; stop at the first frame that shows meetings."""
    headless()
    from tuibrowser.tui import app as app_module
    from tuibrowser.tui.screens import meetings

    shown = meetings.MeetingsScreen.library_loaded

    def library_loaded(self, library):
        shown(self, library)
        if until == "list" and self.rows:
            self.app.call_after_refresh(finish, self.app)

    meetings.MeetingsScreen.library_loaded = library_loaded  # type: ignore[method-assign]

    loaded = app_module.TuiBrowserApp.on_library_loaded

    def on_library_loaded(self, message):
        loaded(self, message)
        if until == "loaded" and message.result.fresh:
            self.call_after_refresh(finish, self)

    app_module.TuiBrowserApp.on_library_loaded = on_library_loaded  # type: ignore[method-assign]

    os.environ["TUIBROWSER_STATE_DIR"] = str(Path(cache).parent / "state")
    from tuibrowser.cli import main

    main([directory, "--cache", cache])


_done = False


def finish(app) -> None:
    global _done
    if not _done:
        _done = True
        signal_ready()
        app.exit()


def parse(directory: str) -> None:
    import frontmatter

    n = 0
    for path in sorted(Path(directory).rglob("*.md")):
        frontmatter.load(path)
        n += 1
    print(n)


def search(directory: str, cache: str, queries: list[str]) -> None:
    from tuibrowser.cache import Cache
    from tuibrowser.search import index_for

    lib, _ = Cache(Path(directory), Path(cache)).refresh()
    started = time.perf_counter()
    index = index_for(lib)
    build = time.perf_counter() - started
    out = {"build_s": build, "queries": {}}
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
    elif what == "parse":
        parse(args[0])
    elif what == "search":
        search(args[0], args[1], args[2:])
    else:
        raise SystemExit(f"unknown probe {what!r}")


if __name__ == "__main__":
    main()
