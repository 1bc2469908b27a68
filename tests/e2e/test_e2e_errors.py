"""End to end: an error in the browser, in a real terminal (tmux), shows no traceback and
none of the text a handler's variables held.

The browser runs from its entry point (``tuibrowser.cli.main``, what the installed command
runs) with one handler replaced by one that raises while a local variable holds a secret:
Textual's own handling would print a traceback with every frame's locals, secret and all.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tmuxenv import COMMAND, TMUX, Terminal, pane_env

ROOT = Path(__file__).resolve().parents[2]
SECRET = "SECRET-MINUTE-TEXT-4711"

pytestmark = pytest.mark.skipif(
    TMUX is None or not COMMAND.exists(),
    reason="needs tmux (installed by .ci/run) and the installed tuibrowser command",
)

SCRIPT = """
import sys
from tuibrowser.cli import main
from tuibrowser.tui.app import TuiBrowserApp


def failing(*args, **kwargs):
    minute_text = {secret!r}
    raise RuntimeError("opening failed")


setattr(TuiBrowserApp, {method!r}, failing)
sys.argv = ["tuibrowser", {root!r}]
main()
"""


def start(tmp_path: Path, method: str, debug: bool) -> Terminal:
    session, env = pane_env(tmp_path)
    env.pop("TUIBROWSER_DEBUG", None)
    if debug:
        env["TUIBROWSER_DEBUG"] = "1"
    script = tmp_path / "browse.py"
    script.write_text(SCRIPT.format(secret=SECRET, method=method, root=str(ROOT / "meetings")))
    term = Terminal(session, env)
    term.exit_file = tmp_path / "exit-status"
    command = (
        f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}; "
        f"echo $? > {shlex.quote(str(term.exit_file))}"
    )
    subprocess.run(
        [TMUX, "-L", session, "new-session", "-d", "-s", session, "-x", "120", "-y", "30"]
        + [command],
        check=True,
        env=env,
    )
    term.tmux("set-option", "-t", session, "remain-on-exit", "on")
    return term


def exit_status(term: Terminal, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if term.exit_file.exists():
            status = term.exit_file.read_text().strip()
            if status:
                return status
        time.sleep(0.1)
    raise AssertionError(f"the browser did not end; the screen was:\n{term.screen()}")


def history(term: Terminal) -> str:
    """The whole pane, scroll-back too: what the terminal kept."""
    return term.tmux("capture-pane", "-p", "-S", "-", "-t", term.session)


@pytest.fixture
def kill(request):
    terms: list[Terminal] = []
    yield terms.append
    for term in terms:
        subprocess.run([TMUX, "-L", term.session, "kill-server"], capture_output=True)


def test_an_error_in_a_screen_is_a_message_and_the_browser_goes_on(tmp_path, kill):
    term = start(tmp_path, "open_item", debug=False)
    kill(term)
    term.wait_text("2018-05-24")
    term.keys("2", "0", "1", "8", "-", "0", "5")
    term.wait_for(lambda s: "2016-01-19" not in s, "the filtered list")
    term.keys("Enter")
    term.wait_text("Items, in the order taken")
    term.keys("Enter")  # the meeting screen's handler raises
    screen = term.wait_text("Something went wrong")
    assert "RuntimeError: opening failed" in screen
    assert SECRET not in screen and "Traceback" not in screen
    term.keys("C-q")
    assert exit_status(term) == "0"
    after = history(term)
    assert SECRET not in after and "Traceback" not in after and "minute_text" not in after


@pytest.mark.parametrize("debug", [False, True])
def test_an_error_that_ends_the_browser_leaves_one_line(tmp_path, kill, debug):
    term = start(tmp_path, "open_meeting", debug=debug)
    kill(term)
    term.wait_text("2018-05-24")
    term.keys("Enter")  # the meeting list's handler raises: nothing to go back to
    assert exit_status(term) == "1"
    after = history(term)
    assert "tuibrowser: error: RuntimeError: opening failed" in after
    assert SECRET not in after and "Traceback" not in after and "minute_text" not in after
    logs = sorted((tmp_path / "state").glob("error-*.log"))
    if debug:
        [log] = logs
        assert "details in" in after and log.name in after.replace("\n", "")
        assert SECRET in log.read_text(encoding="utf-8")  # the locals, in the 0600 file only
        assert oct(log.stat().st_mode & 0o777) == "0o600"
    else:
        assert logs == [] and "TUIBROWSER_DEBUG=1" in after
