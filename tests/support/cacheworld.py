"""A victim's world on a shared server: their meetings, their own files and a sticky folder
anyone may write into; and what a test needs to look at it, give a file away or run the CLI."""

from __future__ import annotations

import hashlib
import os
import pwd
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from tuibrowser.cli import cli

NEEDS_ROOT = "needs root to make a file another user owns (chown)"
FORGED = "Forged minute"
REAL = "Real minutes!"  # as long as FORGED: the file's size and time do not change
HOUR = 3600


def other_user() -> tuple[int, int]:
    try:
        pw = pwd.getpwnam("nobody")
        return pw.pw_uid, pw.pw_gid
    except KeyError:
        return 65534, 65534


def give_away(path: Path) -> None:
    """Make ``path`` (not what a link leads to) another user's."""
    os.chown(path, *other_user(), follow_symlinks=False)


def meeting(title: str) -> str:
    return f"---\nboard: Test Board\ndate: '2020-01-01'\n---\n## 1. Welcome\n\n{title}\n"


def aged(path: Path, seconds: float = HOUR) -> None:
    t = time.time() - seconds
    os.utime(path, (t, t), follow_symlinks=False)


@dataclass
class World:
    base: Path
    root: Path  # the meetings
    home: Path  # the victim's own files
    shared: Path  # a folder anyone may write into (sticky, as /tmp)

    @property
    def cache(self) -> Path:
        return self.shared / "c.json"

    @property
    def shards(self) -> Path:
        return self.shared / "c.json.d"

    @property
    def todo(self) -> Path:
        return self.home / "todo.txt"


def make_world(tmp_path: Path) -> World:
    root = tmp_path / "meetings"
    root.mkdir()
    (root / "2020-01-01-board.md").write_text(meeting(REAL), encoding="utf-8")
    (root / "2021-03-04-board.md").write_text(
        meeting("Other").replace("2020-01-01", "2021-03-04"), encoding="utf-8"
    )
    for f in root.iterdir():
        aged(f)
    home = tmp_path / "home"
    (home / "notes").mkdir(parents=True)
    os.chmod(home / "notes", 0o755)
    (home / "todo.txt").write_text("buy milk\n", encoding="utf-8")
    (home / "notes" / "old.txt").write_text("keep me\n", encoding="utf-8")
    aged(home / "notes" / "old.txt")
    aged(home / "todo.txt")
    sticky = tmp_path / "shared"
    sticky.mkdir()
    os.chmod(sticky, 0o1777)
    return World(tmp_path, root, home, sticky)


def snapshot(base: Path) -> dict[str, tuple]:
    """Every path under ``base`` (links not followed): its type, mode, owner, and its content,
    link target or (for a file) time."""
    out: dict[str, tuple] = {}
    for folder, dirs, files in os.walk(base):
        for name in dirs + files:
            p = os.path.join(folder, name)
            st = os.lstat(p)
            extra: object = None
            if stat.S_ISLNK(st.st_mode):
                extra = os.readlink(p)
            elif stat.S_ISREG(st.st_mode):
                extra = (hashlib.sha256(Path(p).read_bytes()).hexdigest(), st.st_mtime_ns)
            out[p] = (st.st_mode, st.st_uid, st.st_gid, extra)
    return out


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result
