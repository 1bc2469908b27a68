"""The meeting list's answer to a keystroke in its filter: the time from the key to the list
shown again (the rows of the new filter in the table), on a store that pages the list in SQL
(``--store``), on the same store with the list held in memory as before (every row, filtered
in Python), and on the cache; and the browser's resident memory once loaded.

    python bench/listkeys.py FOLDER --store URL [--cache FILE] [--rounds N]
    python bench/listkeys.py FOLDER --rss {store,held,cache} --store URL --cache FILE

Each round types the same words, one key at a time, in each kind of browser in turn
(interleaved), and the medians and 95th percentiles per kind are printed. Wall-clock times
on a busy machine are noisy: compare the kinds of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ["council 2015", "board", "youth", "zzz", "2019 minutes"]
SIZE = (120, 40)


def make_app(kind: str, root: Path, url: str, cache: Path):
    from tuibrowser.state import SeenState
    from tuibrowser.tui.app import TuiBrowserApp

    state = SeenState(Path(tempfile.mkdtemp()) / "seen.json")
    if kind == "cache":
        return TuiBrowserApp(root, cache_path=cache, state=state)
    app = TuiBrowserApp(root, store_url=url, state=state)
    if kind == "held":  # as before: no pages asked, the list holds every row
        app._pages = lambda: None  # type: ignore[method-assign]
    return app


def answered(screen, text: str) -> bool:
    """The list shows the rows of the filter ``text``."""
    if screen.query_text != text:
        return False
    held = screen.held
    if screen.pages is None:
        return True  # the cache's list filters as the key is handled
    return held is not None and held.ask.query == text and held.ask.number == screen.asked


async def type_words(kind: str, root: Path, url: str, cache: Path) -> list[float]:
    app = make_app(kind, root, url, cache)
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        for word in WORDS:
            text = ""
            for key in word:
                text += key
                start = time.perf_counter()
                await pilot.press("space" if key == " " else key)
                while not answered(screen, text):
                    await asyncio.sleep(0.001)
                await pilot.pause()  # the repaint
                times.append(time.perf_counter() - start)
            await pilot.press("escape")
            await app.workers.wait_for_complete()
            await pilot.pause()
    return times


def rss(kind: str, root: Path, url: str, cache: Path) -> dict[str, float]:
    """The browser's resident memory once its library is loaded, and its peak so far (one
    process of its own: ``VmHWM``, as ``ru_maxrss`` would count its parent's too)."""

    async def run() -> dict[str, float]:
        app = make_app(kind, root, url, cache)
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.library is not None
            lines = Path("/proc/self/status").read_text().splitlines()
            kb = {x.split(":")[0]: int(x.split()[1]) for x in lines if x.startswith("Vm")}
            return {"rss_mb": kb["VmRSS"] / 1024, "peak_mb": kb["VmHWM"] / 1024}

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--store", required=True)
    parser.add_argument("--cache", type=Path, default=Path("bench/out/listkeys-cache.json"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rss", choices=["store", "held", "cache"])
    parser.add_argument("--kinds", default="store,held,cache")
    parser.add_argument("--memory-only", action="store_true")
    args = parser.parse_args()
    if args.rss:
        print(json.dumps(rss(args.rss, args.folder, args.store, args.cache)))
        return
    kinds = args.kinds.split(",")
    if args.memory_only:
        args.rounds = 0
    times: dict[str, list[float]] = {k: [] for k in kinds}
    for _ in range(args.rounds):
        for kind in kinds:
            times[kind] += asyncio.run(type_words(kind, args.folder, args.store, args.cache))
    for kind in kinds if args.rounds else ():
        t = sorted(times[kind])
        p95 = t[int(0.95 * (len(t) - 1))]
        print(
            f"{kind}: keys {len(t)}, median {statistics.median(t) * 1000:.1f} ms, "
            f"p95 {p95 * 1000:.1f} ms, max {t[-1] * 1000:.1f} ms"
        )
    for kind in kinds:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                str(args.folder),
                "--store",
                args.store,
                "--cache",
                str(args.cache),
                "--rss",
                kind,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        print(f"{kind}: {out.stdout.strip() or out.stderr.strip()[-300:]}")


if __name__ == "__main__":
    main()
