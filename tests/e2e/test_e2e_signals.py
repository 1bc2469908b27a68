"""SIGTERM and SIGHUP end the browser as ``q`` does, in a real terminal (tmux, 80x24).

A shell runs in the pane (as over SSH) and starts the installed ``tuibrowser``; once the
browser is on screen — idle, or during the first index of a big folder with its pool of
processes running — the signal is sent to the browser alone. The terminal must be the shell's
again (out of the alternate screen, no mouse reporting, the cursor shown, the typed line
echoed and run) and no process of the browser left in the session.
"""

from __future__ import annotations

import os
import shlex
import shutil
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
from tmuxenv import pane_env

ROOT = Path(__file__).resolve().parents[2]
COMMAND = Path(sys.executable).parent / "tuibrowser"
TMUX = shutil.which("tmux")
FILES = 1000  # a cold index of this many files shares its work out to a pool
POOL_RUNNING = 4  # the browser, the resource tracker, the forkserver, a worker
GONE_WITHIN = 10.0  # seconds

pytestmark = [
    pytest.mark.skipif(
        (TMUX is None or not COMMAND.exists()) and not os.environ.get("TUIBROWSER_REQUIRE_TMUX"),
        reason="needs tmux (installed by .ci/run) and the installed tuibrowser command",
    ),
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counts processes in /proc"),
]

# What a shell's terminal shows before the browser starts (and must show again after it).
RESTORED = {"alternate_on": "0", "mouse_any_flag": "0", "cursor_flag": "1"}


class Pane:
    def __init__(self, session: str, env: dict[str, str]) -> None:
        self.session = session
        self.env = env

    def tmux(self, *args: str) -> str:
        out = subprocess.run(
            [TMUX, "-L", self.session, *args], capture_output=True, text=True, env=self.env
        )
        return out.stdout

    def flag(self, name: str) -> str:
        return self.tmux("display", "-p", "-t", self.session, f"#{{{name}}}").strip()

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def type(self, line: str) -> None:
        self.tmux("send-keys", "-t", self.session, "-l", line)
        self.tmux("send-keys", "-t", self.session, "Enter")

    def wait_for(self, predicate, what: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{self.screen()}")


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory) -> Path:
    return many_meetings(tmp_path_factory.mktemp("signals") / "meetings", FILES)


@pytest.fixture
def pane(tmp_path):
    session, env = pane_env(tmp_path, "tbsig")
    subprocess.run(
        [TMUX, "-L", session, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", "sh"],
        check=True,
        env=env,
    )
    try:
        yield Pane(session, env)
    finally:
        subprocess.run([TMUX, "-L", session, "kill-server"], capture_output=True, env=env)


@pytest.mark.parametrize("indexing", [False, True], ids=["idle", "indexing"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_signal_gives_the_terminal_back(pane, big_folder, sig, indexing):
    if indexing and (os.cpu_count() or 1) < 2:
        pytest.skip("a cold index uses a pool only with two cores or more")
    shell = int(pane.flag("pane_pid"))  # the session's leader
    assert {k: pane.flag(k) for k in RESTORED} == RESTORED  # the control: a shell's terminal
    folder = big_folder if indexing else ROOT / "meetings"
    pane.type(f"{shlex.quote(str(COMMAND))} {shlex.quote(str(folder))}")
    pane.wait_for(lambda: pane.flag("alternate_on") == "1", "the browser's screen")
    if indexing:
        pane.wait_for(lambda: "Indexing" in pane.screen(), "the bar of the first index", 60)
        found = wait_for_processes(shell, 1 + POOL_RUNNING, timeout=60)
        assert len(found) >= 1 + POOL_RUNNING, f"the pool never ran:\n{describe(found)}"
    else:
        pane.wait_for(lambda: "2018" in pane.screen(), "the meeting list")
    (browser,) = [p for p in session_processes(shell) if parent_of(p) == shell]
    pane.wait_for(lambda: catches(browser, sig), f"the browser to handle {sig.name}")
    os.kill(browser, sig)

    pane.wait_for(lambda: pane.flag("alternate_on") == "0", "the shell's screen", 15)
    left = [p for p in wait_until_gone(shell, GONE_WITHIN, keep=1) if p != shell]
    assert not left, f"left running after {sig.name}:\n{describe(left)}"
    assert {k: pane.flag(k) for k in RESTORED} == RESTORED
    # The shell reads a line again: the keys typed are echoed, and Enter runs it.
    pane.type("echo ended-$?")
    pane.wait_for(lambda: f"ended-{128 + sig}" in pane.screen(), "the shell to run a line", 10)
    assert "echo ended-$?" in pane.screen()
    assert "Traceback" not in pane.screen()
