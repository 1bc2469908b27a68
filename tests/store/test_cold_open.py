"""The first open of a folder never indexed: the browser indexes it with a bar of the files done,
the list fills in, and a pool of processes that cannot be had (or breaks) is no failure.

The bug this holds: while Textual runs, ``sys.stderr.fileno()`` is -1, multiprocessing handed it
to the resource tracker it started ("bad value(s) in fds_to_keep") and the browser said "Could
not read the meetings" on every start until ``tuibrowser index`` was run from a shell.
"""

from __future__ import annotations

import concurrent.futures
import os
import shlex
import shutil
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from click.testing import CliRunner
from manyfiles import many_meetings
from tuihelp import ready, screen_text

from tuibrowser.cli import cli
from tuibrowser.export import to_data
from tuibrowser.store import Cache, indexer, open_library
from tuibrowser.store import workers as workers_module
from tuibrowser.tui import indexing

COMMAND = Path(sys.executable).parent / "tuibrowser"
TMUX = shutil.which("tmux")
FILES = 1000  # 100 copies of the 10 bundled files: 700 meetings
MEETINGS = 700


@pytest.fixture
def folder(tmp_path) -> Path:
    """40 files, and a pool from 8: the cold index shares its work out."""
    return many_meetings(tmp_path / "meetings", 40)


@pytest.fixture
def small_pool(monkeypatch):
    monkeypatch.setattr(indexer, "PARALLEL_FILES", 8)
    monkeypatch.setattr(indexer, "PARALLEL_CHUNK", 3)
    monkeypatch.setattr(workers_module.os, "cpu_count", lambda: 2)


# -- the pool falls back to one process, whatever breaks it ----------------------------------

FAILURES = [
    ValueError("bad value(s) in fds_to_keep"),
    OSError(24, "Too many open files"),
    PermissionError(13, "Permission denied"),
    RuntimeError("cannot start a process"),
    ImportError("No module named '_posixshmem'"),
    EOFError(),
    BrokenProcessPool("a worker died"),
]


class BrokenPool:
    """A pool that starts, then fails on the work it is given."""

    def __init__(self, exc: BaseException):
        self.exc = exc

    def submit(self, fn, item):
        future = concurrent.futures.Future()
        future.set_exception(self.exc)
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


@pytest.mark.parametrize("when", ["starting", "working"])
@pytest.mark.parametrize("exc", FAILURES, ids=lambda e: type(e).__name__)
def test_a_pool_that_fails_falls_back_to_one_process(
    tmp_path, folder, small_pool, monkeypatch, exc, when
):
    def start_pool(count):
        if when == "starting":
            raise exc
        return BrokenPool(exc)

    monkeypatch.setattr(workers_module, "start_pool", start_pool)
    lib, report = Cache(folder, tmp_path / "c.json").refresh()
    assert report.one_process == f"{type(exc).__name__}: {exc}"
    assert len(report.read) == 40 and not report.skipped
    assert to_data(lib) == to_data(open_library(folder, use_cache=False)[0])


def test_index_says_when_it_ran_in_one_process(folder, small_pool, monkeypatch):
    def start_pool(count):
        raise ValueError("bad value(s) in fds_to_keep")

    monkeypatch.setattr(workers_module, "start_pool", start_pool)
    out = CliRunner().invoke(cli, ["index", str(folder)])
    assert out.exit_code == 0, out.output
    assert "note: indexed in one process (ValueError: bad value(s) in fds_to_keep)" in out.output
    assert "40 files: 40 read" in out.output


def test_an_error_of_the_work_itself_is_not_hidden_by_the_fallback(monkeypatch):
    monkeypatch.setattr(workers_module, "start_pool", lambda count: BrokenPool(KeyError("x")))
    workers = workers_module.Workers()
    workers._broken = False

    def work(item):
        if item == 2:
            raise KeyError("item 2")
        return item * 10

    with pytest.raises(KeyError, match="item 2"), workers:
        assert list(workers.map(work, [0, 1, 2, 3], True)) == [0, 10]


class SlowPool:
    """A pool that takes until ``started`` is set to start, then does its work as it is given."""

    def __init__(self, started: threading.Event):
        if not started.wait(30):
            raise AssertionError("nothing was done while the pool started")
        self.given: list[tuple[object, str]] = []  # (item, the thread that gave it)

    def submit(self, fn, item):
        self.given.append((item, threading.current_thread().name))
        future = concurrent.futures.Future()
        future.set_result(fn(item))
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


@pytest.mark.parametrize("items", [2, 3, 10, 50])
def test_the_command_line_works_while_its_pool_starts(monkeypatch, items):
    started = threading.Event()
    here: list[int] = []
    pools: list[SlowPool] = []

    def start_pool(count):
        pools.append(SlowPool(started))
        return pools[-1]

    def work(item):
        if threading.current_thread() is threading.main_thread():
            here.append(item)
            started.set()
        return item * 10

    monkeypatch.setattr(workers_module, "start_pool", start_pool)
    workers = workers_module.Workers()
    workers._broken = False
    with workers:
        assert list(workers.map(work, list(range(items)), True)) == [n * 10 for n in range(items)]
    # the last items done here, the first ones by the pool, each once
    assert here and here == sorted(here, reverse=True) and here[0] == items - 1
    assert sorted([*here, *(item for item, _ in pools[0].given)]) == list(range(items))
    assert workers.fallback is None


def test_a_pool_started_from_another_thread_is_given_all_the_work(monkeypatch):
    # (the browser indexes in a thread: its screen needs the interpreter while the pool starts)
    started = threading.Event()
    started.set()
    pools: list[SlowPool] = []
    monkeypatch.setattr(
        workers_module, "start_pool", lambda count: pools.append(SlowPool(started)) or pools[-1]
    )
    workers = workers_module.Workers()
    workers._broken = False
    out: list[int] = []
    with workers:
        thread = threading.Thread(
            target=lambda: out.extend(workers.map(str.__len__, ["ab"] * 9, True))
        )
        thread.start()
        thread.join(30)
    assert out == [2] * 9
    assert [item for item, _ in pools[0].given] == ["ab"] * 9
    assert {name for _, name in pools[0].given} == {thread.name}


# -- the root cause: a stderr without a file ----------------------------------------------------

NO_FILE_STDERR = """
import io, sys
from pathlib import Path
from tuibrowser.store import Cache, indexer
from multiprocessing import forkserver

class Captured(io.TextIOBase):  # what Textual puts in sys.stderr while it runs
    def write(self, text):
        return len(text)
    def fileno(self):
        return -1

if __name__ == "__main__":
    indexer.PARALLEL_FILES, indexer.PARALLEL_CHUNK = 8, 3
    sys.stderr = Captured()
    report = Cache(Path(sys.argv[1]), Path(sys.argv[2])).update()
    pool = forkserver._forkserver._forkserver_pid is not None
    print(len(report.read), report.one_process, pool, file=sys.__stdout__)
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="a pool starts only with two cores")
def test_the_pool_starts_where_stderr_has_no_file(tmp_path, folder):
    script = tmp_path / "cold.py"
    script.write_text(NO_FILE_STDERR)
    out = subprocess.run(
        [sys.executable, str(script), str(folder), str(tmp_path / "c.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["40", "None", "True"], out.stdout + out.stderr


# -- the browser --------------------------------------------------------------------------


def test_the_ticker_shows_an_index_that_runs_a_while_and_stops_it_when_asked(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(indexing.time, "monotonic", lambda: now[0])
    stop = threading.Event()
    ticker = indexing.IndexTicker(stop)
    ticker(0, 500)
    assert ticker.to_show() is None  # just started: a quick refresh shows no bar
    now[0] += indexing.SHOW_AFTER
    assert ticker.to_show() == (0, 500)
    ticker(120, 500)
    assert ticker.to_show() == (120, 500)
    ticker(500, 500)
    assert ticker.to_show() is None  # all done
    ticker(10, 500)
    ticker.finish()
    assert ticker.to_show() is None
    stop.set()
    with pytest.raises(indexing.IndexCancelled):
        ticker(11, 500)


async def test_the_browser_shows_the_files_indexed_then_the_list(make_app, monkeypatch):
    """While the index runs, the bar says how many files are done; once it is over the bar
    is gone and the list is there."""
    go_on = threading.Event()
    seen = threading.Event()
    real_update = Cache.update

    def update(self, progress=None):
        progress(0, 10)
        progress(4, 10)
        seen.set()
        go_on.wait(20)
        return real_update(self, progress)

    monkeypatch.setattr(Cache, "update", update)
    monkeypatch.setattr(indexing, "SHOW_AFTER", 0.0)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert seen.wait(20)
        for _ in range(100):
            await pilot.pause(0.05)
            if app.screen.query("IndexBar"):
                break
        await pilot.pause(0.1)
        text = screen_text(app)
        assert "Indexing 4 of 10 files" in text and "40%" in text, text
        go_on.set()
        await ready(app, pilot)
        assert not app.screen.query("IndexBar")
        assert "2018-05-24" in screen_text(app)


async def test_the_bars_count_is_painted_in_place_whole(make_app, monkeypatch):
    """A new count of files done is painted where the last was, the screen not laid out again
    (ten times a second, that took the interpreter from the index), and never cut: the label
    is as wide as its longest count; a new number of files in all lays it out again."""
    from textual.widgets import Static

    go_on = threading.Event()
    steps = [threading.Event() for _ in range(3)]
    real_update = Cache.update

    def update(self, progress=None):
        progress(1, 12000)
        steps[0].wait(20)
        progress(11999, 12000)
        steps[1].wait(20)
        progress(5, 120000)
        steps[2].wait(20)
        go_on.wait(20)
        return real_update(self, progress)

    layouts: list[bool] = []
    real_static = Static.update

    def static_update(self, content="", *, layout=True):
        if self.id == "index-label":
            layouts.append(layout)
        real_static(self, content, layout=layout)

    monkeypatch.setattr(Cache, "update", update)
    monkeypatch.setattr(Static, "update", static_update)
    monkeypatch.setattr(indexing, "SHOW_AFTER", 0.0)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for step, shown in zip(
            steps,
            ["Indexing 1 of 12,000 files", "Indexing 11,999 of 12,000 files",
             "Indexing 5 of 120,000 files"],
            strict=True,
        ):  # fmt: skip
            for _ in range(200):
                await pilot.pause(0.05)
                if shown in screen_text(app):
                    break
            assert shown in screen_text(app), screen_text(app)
            step.set()
        go_on.set()
        await ready(app, pilot)
    assert layouts and layouts[0] is False  # 11,999: painted in place
    assert True in layouts  # 120,000 in all: laid out again


async def test_closing_the_browser_stops_its_index(make_app, monkeypatch):
    cancelled = threading.Event()

    def endless_update(self, progress=None):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                progress(1, 10)
            except indexing.IndexCancelled:
                cancelled.set()
                raise
            time.sleep(0.01)
        raise AssertionError("never cancelled")

    monkeypatch.setattr(Cache, "update", endless_update)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        await app.action_quit()
    assert cancelled.wait(10)
    assert app.load_error is None  # a cancelled index is no error to show


async def test_a_pool_that_fails_in_the_browser_is_a_warning_not_a_failure(
    make_app, folder, small_pool, monkeypatch
):
    def start_pool(count):
        raise ValueError("bad value(s) in fds_to_keep")

    monkeypatch.setattr(workers_module, "start_pool", start_pool)
    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        assert app.load_error is None and app.library is not None
        assert len(app.meeting_rows) == 28  # 4 copies of 7 meetings
        notes = [n.message for n in app._notifications]
        assert any(n.startswith("Indexed in one process (ValueError: bad value") for n in notes)


# -- end to end: a real terminal, 1,000 files never indexed -----------------------------------


class Browser:
    """The installed tuibrowser in a tmux session of 80x24."""

    def __init__(self, root: Path, tmp_path: Path):
        self.session = f"co{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "TERM": "screen-256color",
            "TUIBROWSER_CACHE_DIR": str(tmp_path / "cache"),
            "TUIBROWSER_STATE_DIR": str(tmp_path / "state"),
        }
        self.env.pop("TMUX", None)
        self.root = root
        self.status = tmp_path / "exit-status"

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            [TMUX, "-L", self.session, *args], capture_output=True, text=True, env=self.env
        ).stdout

    def open(self) -> None:
        self.status.unlink(missing_ok=True)
        command = (
            f"{shlex.quote(str(COMMAND))} {shlex.quote(str(self.root))}; "
            f"echo $? > {shlex.quote(str(self.status))}"
        )
        size = ["-x", "80", "-y", "24"]
        subprocess.run(
            [TMUX, "-L", self.session, "new-session", "-d", "-s", self.session, *size, command],
            check=True,
            env=self.env,
        )
        self.tmux("set-option", "-t", self.session, "remain-on-exit", "on")

    def wait_for(self, what: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.tmux("capture-pane", "-p", "-t", self.session)
            assert "Could not read the meetings" not in screen, screen
            if what in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what!r}; the screen was:\n{screen}")

    def quit(self) -> str:
        self.tmux("send-keys", "-t", self.session, "C-q")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not (
            self.status.exists() and self.status.read_text()
        ):
            time.sleep(0.1)
        status = self.status.read_text().strip() if self.status.exists() else ""
        self.close()
        return status

    def close(self) -> None:
        subprocess.run([TMUX, "-L", self.session, "kill-server"], capture_output=True, env=self.env)


@pytest.mark.skipif(
    TMUX is None or not COMMAND.exists(),
    reason="needs tmux (installed by .ci/run) and the installed tuibrowser command",
)
def test_the_first_open_of_a_thousand_files_shows_progress_then_the_list(tmp_path):
    browser = Browser(many_meetings(tmp_path / "meetings", FILES), tmp_path)
    try:
        browser.open()
        screen = browser.wait_for(f"of {FILES:,} files", timeout=60)  # the bar, while it indexes
        assert "Indexing" in screen and "Date" in screen, screen
        screen = browser.wait_for(f"{MEETINGS} meetings", timeout=300)  # the list, filled in
        assert "Indexing" not in screen, screen
        assert "Meetings" in screen and "Improvement" in screen, screen
        assert browser.quit() == "0"

        # a refresh that finds hundreds of changed files: the list at once, the bar over it
        for path in sorted(browser.root.glob("*.md"))[:400]:
            with path.open("a", encoding="utf-8") as fh:
                fh.write("\nAmended.\n")
        browser.open()
        screen = browser.wait_for(f"of {FILES:,} files", timeout=60)
        assert f"{MEETINGS} meetings" in screen, screen  # the cached list, while it indexes
        deadline = time.monotonic() + 120
        while "Indexing" in screen and time.monotonic() < deadline:
            time.sleep(0.2)
            screen = browser.wait_for(f"{MEETINGS} meetings", timeout=10)
        assert "Indexing" not in screen, screen
        assert browser.quit() == "0"
    finally:
        browser.close()


def _slow_square(n: int) -> int:
    import time

    time.sleep(0.2)
    return n * n


def test_a_stopped_pool_is_not_woken_by_the_exit_hook():
    # concurrent.futures' exit hook writes to the wake-up pipe of every pool it knows; a pool
    # stopped on a signal may still be closing that pipe on a loaded machine, and the hook's
    # write then prints a traceback ("Bad file descriptor") as the process ends
    from concurrent.futures import process as futures_process

    pool = workers_module.start_pool(2)
    try:
        futures = [pool.submit(_slow_square, n) for n in range(6)]
        assert futures[0].result(timeout=60) == 0
        thread = pool._executor_manager_thread
        assert thread in futures_process._threads_wakeups
    finally:
        workers_module.stop(pool)
    assert thread not in futures_process._threads_wakeups
