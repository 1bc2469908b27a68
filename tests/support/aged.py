"""Writing a test's meeting file as a person's edit leaves it: modified a while ago, so a
refresh takes its size, mtime, ctime and inode as they are (not a "racy" mtime, re-hashed)."""

from __future__ import annotations

import os
import time
from pathlib import Path


def write_aged(path: Path, text: str, seconds: float = 60) -> None:
    """``text`` written to ``path``, its mtime set ``seconds`` back."""
    path.write_text(text, encoding="utf-8")
    t = time.time() - seconds
    os.utime(path, (t, t))
