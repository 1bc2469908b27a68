"""No process outlives a killed tuibrowser: a cold index's forkserver, workers and resource
tracker end within seconds of the process that started them, whatever signal ended it.

Each case runs tuibrowser in a session of its own, waits until the pool of the cold index is
running (the parent, the resource tracker, the forkserver and a worker), sends the signal to
the parent alone (the hard case: a dropped SSH session also signals the rest of the
foreground group), and counts the live processes left in the session.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from manyfiles import (
    catches,
    describe,
    many_meetings,
    parent_of,
    session_processes,
    wait_for_processes,
    wait_until_gone,
)

COMMAND = Path(sys.executable).parent / "tuibrowser"
FILES = 1000  # well over indexer.PARALLEL_FILES: the cold index shares its work out
POOL_RUNNING = 4  # tuibrowser, the resource tracker, the forkserver, a worker
GONE_WITHIN = 10.0  # seconds

pytestmark = [
    pytest.mark.skipif(not COMMAND.exists(), reason="needs the installed tuibrowser command"),
    pytest.mark.skipif(
        (os.cpu_count() or 1) < 2, reason="a cold index uses a pool only with two cores or more"
    ),
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counts processes in /proc"),
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return many_meetings(tmp_path_factory.mktemp("orphans") / "meetings", FILES)


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return {
        **os.environ,
        "TUIBROWSER_CACHE_DIR": str(tmp_path / "cache"),
        "TUIBROWSER_STATE_DIR": str(tmp_path / "state"),
        "TERM": "xterm-256color",
    }


def kill_when_the_pool_runs(
    sid: int, pid: int, sig: signal.Signals, running, more=0, handled=False
) -> None:
    """Send ``sig`` to ``pid`` once its session holds the pool (and ``more`` processes) and,
    when ``handled``, once ``pid`` has its handler for ``sig`` (else a signal sent in between
    would test Python's default, not the command's handling)."""
    found = wait_for_processes(sid, POOL_RUNNING + more, timeout=60)
    assert running(), "tuibrowser ended before its pool could be seen"
    assert len(found) >= POOL_RUNNING + more, f"the pool never ran:\n{describe(found)}"
    if handled:
        deadline = time.monotonic() + 30
        while not catches(pid, sig) and running() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert catches(pid, sig), f"tuibrowser never handled {sig.name}"
    os.kill(pid, sig)


def killed_index(folder: Path, env: dict[str, str], err_path: Path, sig: signal.Signals):
    """Run ``tuibrowser index`` on a cold cache, send ``sig`` while its pool runs, and wait
    until it has ended: (its exit status, what it wrote on stderr)."""
    with open(err_path, "wb") as err_file:
        proc = subprocess.Popen(
            [str(COMMAND), "index", str(folder)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err_file,
            start_new_session=True,
        )
    try:
        handled = sig != signal.SIGKILL
        kill_when_the_pool_runs(proc.pid, proc.pid, sig, lambda: proc.poll() is None, 0, handled)
        proc.wait(timeout=30)
        # Polled, not counted once: the workers, then the forkserver and the resource tracker
        # end one after another once tuibrowser is gone.
        left = wait_until_gone(proc.pid, GONE_WITHIN)
        err = err_path.read_text()
        assert not left, f"left running after {sig.name}:\n{describe(left)}\n{err}"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, err


@pytest.mark.parametrize(
    "sig", [signal.SIGHUP, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name
)
def test_a_killed_index_leaves_no_process(folder, env, tmp_path, sig):
    code, err = killed_index(folder, env, tmp_path / "stderr", sig)
    if sig != signal.SIGKILL:  # ended as an exception ends it: pool stopped, no traceback
        assert code == 128 + sig, f"exit status {code}:\n{err}"
        assert "Traceback" not in err, err
    # the cache the killed index left is used or rebuilt: the next index is whole
    again = subprocess.run(
        [str(COMMAND), "index", str(folder)], env=env, capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0, again.stderr
    assert f"{FILES} files:" in again.stdout and "0 skipped" in again.stdout, again.stdout


def test_a_browser_hung_up_during_its_first_index_leaves_no_process(folder, env):
    """The browser is not the session leader here (a shell is, as over SSH), so the kernel
    does not hang up its pool for it: only the browser gets SIGHUP."""
    pexpect = pytest.importorskip("pexpect", reason="drives the browser in a terminal")
    shell = pexpect.spawn(
        "/bin/sh",
        ["-c", '"$@"; exec sleep 120', "sh", str(COMMAND), str(folder)],
        env=env,
        dimensions=(24, 80),
        encoding="utf-8",
    )
    try:
        shell.expect("Indexing", timeout=60)  # the first open: a cold index, its bar
        (browser,) = [p for p in session_processes(shell.pid) if parent_of(p) == shell.pid]
        kill_when_the_pool_runs(shell.pid, browser, signal.SIGHUP, shell.isalive, 1)
        left = [p for p in wait_until_gone(shell.pid, GONE_WITHIN, 1) if p != shell.pid]
        assert not left, f"left running after SIGHUP:\n{describe(left)}"
    finally:
        shell.close(force=True)
