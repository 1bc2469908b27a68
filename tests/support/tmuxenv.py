"""Support for the tests that run the installed command in a real terminal (tmux): a private
session name, the environment of its pane, and the terminal read and typed into."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

COMMAND = Path(sys.executable).parent / "tuibrowser"  # the installed command
TMUX = shutil.which("tmux")


def pane_env(tmp_path: Path, prefix: str = "tb") -> tuple[str, dict[str, str]]:
    """A new tmux session name, and an environment with a 256-colour terminal, colours on, no
    enclosing tmux, and the cache and state in ``tmp_path``."""
    env = {
        **os.environ,
        "TERM": "screen-256color",
        "TUIBROWSER_CACHE_DIR": str(tmp_path / "cache"),
        "TUIBROWSER_STATE_DIR": str(tmp_path / "state"),
    }
    env.pop("NO_COLOR", None)
    env.pop("TMUX", None)
    return f"{prefix}{uuid.uuid4().hex[:8]}", env


class Terminal:
    def __init__(self, session: str, env: dict[str, str]):
        self.session = session
        self.env = env
        self.exit_file: Path | None = None

    def tmux(self, *args: str) -> str:
        out = subprocess.run(
            [TMUX, "-L", self.session, *args], capture_output=True, text=True, env=self.env
        )
        return out.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.session, *keys)

    def wait_for(self, predicate, what: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")

    def back_to(self, text: str, presses: int = 4) -> str:
        """Press Escape (at most ``presses`` times) until ``text`` is on the screen."""
        for _ in range(presses):
            self.keys("Escape")
            try:
                return self.wait_text(text, timeout=3)
            except AssertionError:
                continue
        return self.wait_text(text, timeout=1)

    def wait_text(self, text: str, timeout: float = 20.0) -> str:
        return self.wait_for(lambda s: text in s, repr(text), timeout)
