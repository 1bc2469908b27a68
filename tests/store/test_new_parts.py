"""A shard's parts are written straight under their new names (``fs.write_new``), not through
a temporary file: created with ``O_EXCL`` (never through a link, never into a file someone
put there), mode 0600 whatever the umask, and removed when the write fails."""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

import pytest

from tuibrowser.store import fs, safefs

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="POSIX modes and links do not exist on Windows"
)


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o277, 0o000])
def test_a_new_part_is_the_users_alone_whatever_the_umask(tmp_path, umask):
    part = tmp_path / "2020-01a-0123abcd.txt"
    old = os.umask(umask)
    try:
        fs.write_new(part, b"folded text")
    finally:
        os.umask(old)
    assert part.read_bytes() == b"folded text"
    assert stat.S_IMODE(part.lstat().st_mode) == 0o600


def _planted(tmp_path: Path, what: str) -> tuple[Path, Path]:
    target = tmp_path / "users-file"
    target.write_bytes(b"the user's own")
    part = tmp_path / "2020-01a-0123abcd.json"
    if what == "a link to a file":
        part.symlink_to(target)
    elif what == "a dangling link":
        part.symlink_to(tmp_path / "nothing-here")
    return part, target


@pytest.mark.parametrize("what", ["a link to a file", "a dangling link"])
def test_a_link_at_a_new_parts_name_is_never_followed(tmp_path, what):
    part, target = _planted(tmp_path, what)
    with pytest.raises(safefs.Refused):
        fs.write_new(part, b"documents")
    assert part.is_symlink()
    assert target.read_bytes() == b"the user's own"
    assert not (tmp_path / "nothing-here").exists()


def test_a_file_of_the_users_at_the_name_is_replaced_whole(tmp_path):
    """A name taken after all (a shard's name is random) is written as every other file is:
    a temporary file moved into place."""
    part = tmp_path / "2020-01a-0123abcd.words"
    part.write_bytes(b"older")
    fs.write_new(part, b"newer")
    assert part.read_bytes() == b"newer"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_part_whose_write_fails_is_not_left_half_written(tmp_path, monkeypatch):
    part = tmp_path / "2020-01a-0123abcd.long"

    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError, match=os.strerror(errno.ENOSPC)):
        fs.write_new(part, b"x" * 100)
    monkeypatch.undo()
    assert not part.exists()
