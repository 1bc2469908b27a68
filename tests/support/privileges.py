"""Acting as a second, unprivileged user: permission checks mean nothing to root, and CI runs as
root, so each case runs in a forked child that drops to the user ``nobody`` (uid 65534 when
there is no such entry) before doing anything. The child has tuibrowser (and the lazily loaded
codecs) already imported, so it needs to read neither the project nor the Python installation."""

from __future__ import annotations

import encodings.utf_8_sig  # noqa: F401 - the child may not be able to read the standard library
import os
import pickle
import pwd
import shutil
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import tuibrowser.records  # noqa: F401 - imported before dropping privileges
import tuibrowser.store.indexer  # noqa: F401 - imported before dropping privileges
from tuibrowser.cli import cli

ROOT = os.getuid() == 0
SECRET = "Aurochs-settlement"
GOOD = '---\nboard: Open Board\ndate: "2021-01-01"\n---\n## 1. Welcome\n\nHello.\n'
HIDDEN = f'---\nboard: Open Board\ndate: "2021-02-02"\n---\n## 1. Private\n\n{SECRET}.\n'


def unprivileged() -> tuple[int, int]:
    """The user the child runs as: nobody when we are root, else ourselves."""
    if not ROOT:
        return os.getuid(), os.getgid()
    try:
        pw = pwd.getpwnam("nobody")
        return pw.pw_uid, pw.pw_gid
    except KeyError:
        return 65534, 65534


def as_user(fn: Callable[..., Any], *args: Any) -> Any:
    """Run ``fn(*args)`` in a forked child as the unprivileged user; return its result."""
    uid, gid = unprivileged()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 0
        try:
            os.close(read_fd)
            if ROOT:
                os.setgroups([])
                os.setgid(gid)
                os.setuid(uid)
            os.umask(0)  # the modes must not depend on a friendly umask
            payload = pickle.dumps(("ok", fn(*args)))
        except BaseException:  # noqa: BLE001 - sent to the parent
            payload = pickle.dumps(("error", traceback.format_exc()))
            code = 1
        with os.fdopen(write_fd, "wb") as fh:
            fh.write(payload)
        os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    status, value = pickle.loads(data)
    if status == "error":
        pytest.fail(f"the unprivileged child failed:\n{value}")
    return value


@pytest.fixture
def shared():
    """A temporary folder the unprivileged user may enter (pytest's own is private to us)."""
    uid, gid = unprivileged()
    base = Path(tempfile.mkdtemp(prefix="tuibrowser-perm-"))
    os.chmod(base, 0o755)
    home = base / "home"
    home.mkdir()
    os.chown(home, uid, gid)
    meetings = base / "meetings"
    meetings.mkdir()
    os.chmod(meetings, 0o755)
    (meetings / "good.md").write_text(GOOD, encoding="utf-8")
    os.chmod(meetings / "good.md", 0o644)
    yield base
    for p in base.rglob("*"):
        try:
            os.chmod(p, 0o700 if p.is_dir() and not p.is_symlink() else 0o600)
        except OSError:
            pass
    shutil.rmtree(base, ignore_errors=True)


def forbid(path: Path) -> None:
    """Make ``path`` unreadable to the unprivileged user (owned by root, or mode 000)."""
    if ROOT:
        os.chown(path, 0, 0)
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    else:
        os.chmod(path, 0)


def cli_as_user(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    os.environ.update(env)
    result = CliRunner().invoke(cli, args, catch_exceptions=True)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr
