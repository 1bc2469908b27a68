"""Support for the tests that run the installed command in a real terminal (tmux): a private
session name and the environment of its pane."""

from __future__ import annotations

import os
import uuid
from pathlib import Path


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
