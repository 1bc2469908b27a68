"""Put one meeting file in place for ``sync`` without ever losing a hand edit.

A file is overwritten only when what is there is a text sync itself wrote (its SHA-256 is in the
state). Anything else at that name, a hand-edited file, a file someone imported or wrote, a
symbolic link, is left exactly as it is, and the new version is written beside it as
``NAME.new``. Every write goes through :func:`tuibrowser.writer.write_file` (a temporary file,
flushed, published in one step; never through a link), and the state notes the new text's hash
*before* the write, so a run killed between the two still knows the file as its own.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..writer import NotWritten, write_file
from .state import SyncState, sha256

NEW = "new"
CHANGED = "changed"
UNCHANGED = "unchanged"
KEPT = "kept"  # hand-edited: the new version went beside it
FAILED = "failed"
MAX_READ = 64 * 2**20


@dataclass(slots=True)
class Published:
    name: str
    outcome: str
    beside: str | None = None  # the ``.new`` file when the outcome is KEPT
    reason: str | None = None  # why it failed


def _read_existing(path: Path) -> tuple[str, bytes | None]:
    """(``missing``|``link``|``other``|``file``, the bytes of a regular file)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "missing", None
    if stat.S_ISLNK(st.st_mode):
        return "link", None
    if not stat.S_ISREG(st.st_mode):
        return "other", None
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        return "file", fh.read(MAX_READ + 1)


def publish(
    folder: Path,
    name: str,
    text: str,
    state: SyncState,
    before_write: Callable[[], None],
    dry_run: bool = False,
) -> Published:
    path = folder / name
    new_hash = sha256(text)
    try:
        kind, existing = _read_existing(path)
    except OSError as exc:
        return Published(name, FAILED, reason=f"cannot read {name}: {exc.strerror or exc}")
    if kind == "other":
        return Published(name, FAILED, reason=f"{name}: something that is not a file is there")
    if kind == "file" and existing == text.encode("utf-8"):
        state.wrote(name, new_hash)
        return Published(name, UNCHANGED)
    ours = kind == "file" and existing is not None and state.is_ours(name, sha256(existing))
    if kind == "missing" or ours:
        if dry_run:
            return Published(name, NEW if kind == "missing" else CHANGED)
        state.wrote(name, new_hash)
        before_write()
        try:
            write_file(path, text, force=ours)
        except NotWritten:
            return _beside(folder, name, text, state, before_write)
        except OSError as exc:
            return Published(name, FAILED, reason=f"{name}: {exc.strerror or exc}")
        return Published(name, CHANGED if ours else NEW)
    if dry_run:
        return Published(name, KEPT, beside=f"{name}.new")
    return _beside(folder, name, text, state, before_write)


def _beside(
    folder: Path, name: str, text: str, state: SyncState, before_write: Callable[[], None]
) -> Published:
    beside = f"{name}.new"
    try:
        kind, existing = _read_existing(folder / beside)
        if kind == "file" and existing == text.encode("utf-8"):
            return Published(name, KEPT, beside=beside)
        if kind == "other":
            return Published(
                name, FAILED, reason=f"{beside}: something that is not a file is there"
            )
        before_write()
        write_file(folder / beside, text, force=True)  # a link there is replaced, not followed
    except (OSError, NotWritten) as exc:
        return Published(name, FAILED, reason=f"{beside}: {getattr(exc, 'strerror', None) or exc}")
    return Published(name, KEPT, beside=beside)
