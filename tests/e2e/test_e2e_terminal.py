"""End to end: the installed ``tuibrowser`` command in a real terminal (tmux, 80x24).

Opens the bundled meetings with a temporary cache, opens the 24 May 2018 meeting and an item,
opens search, and quits — reading the screen after every step (polled, with a time limit).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from pathlib import Path

import pytest
from tmuxenv import COMMAND, TMUX, Terminal, pane_env

ROOT = Path(__file__).resolve().parents[2]

# CI sets TUIBROWSER_REQUIRE_TMUX: there these tests run (and fail without tmux), never skip.
pytestmark = pytest.mark.skipif(
    (TMUX is None or not COMMAND.exists()) and not os.environ.get("TUIBROWSER_REQUIRE_TMUX"),
    reason="needs tmux (installed by .ci/run) and the installed tuibrowser command",
)


@pytest.fixture
def terminal(tmp_path):
    session, env = pane_env(tmp_path)
    term = Terminal(session, env)
    term.exit_file = tmp_path / "exit-status"
    command = (
        f"{shlex.quote(str(COMMAND))} {shlex.quote(str(ROOT / 'meetings'))}; "
        f"echo $? > {shlex.quote(str(term.exit_file))}"
    )
    subprocess.run(
        [TMUX, "-L", session, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command],
        check=True,
        env=env,
    )
    term.tmux("set-option", "-t", session, "remain-on-exit", "on")
    try:
        yield term
    finally:
        subprocess.run([TMUX, "-L", session, "kill-server"], capture_output=True, env=env)


def test_open_meeting_item_search_and_quit(terminal):
    screen = terminal.wait_text("2018-05-24")
    assert "Meetings" in screen and "Date" in screen
    assert "2016-01-19" in screen

    # type to filter, then open the meeting
    terminal.keys("2", "0", "1", "8", "-", "0", "5")
    screen = terminal.wait_for(
        lambda s: "2018-05-24" in s and "2016-01-19" not in s, "the filtered list"
    )
    terminal.keys("Enter")  # one meeting matches: Enter opens it
    screen = terminal.wait_text("Items, in the order taken")
    assert "Thu 24 May 2018" in screen
    assert "Digital Declaration" in screen
    assert "CONFIDENTIAL" in screen

    # the second item taken is item 8
    terminal.keys("j", "Enter")
    screen = terminal.wait_text("Item 8.")
    assert "CONFIDENTIAL" in screen
    assert "taken 2nd of 8" in screen

    # search
    terminal.keys("/")
    terminal.wait_for(lambda s: not s.startswith(" Item 8."), "the search screen")
    terminal.keys(*"oflog")
    terminal.wait_text("Oflog")

    # quit
    # back out (Escape may first clear the search box) to the meeting list, then quit
    terminal.back_to("Items, in the order taken")
    terminal.back_to("Meetings — ")
    terminal.keys("C-q")
    deadline = time.monotonic() + 15
    status = ""
    while time.monotonic() < deadline:
        if terminal.exit_file.exists():
            status = terminal.exit_file.read_text().strip()
            if status:
                break
        time.sleep(0.1)
    assert status == "0", terminal.screen()
