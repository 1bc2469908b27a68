"""Reading a file that someone else may swap: the one way every reader of untrusted files opens
and reads them (meeting files, the cache's content check, the exports ``import`` reads).

A ``stat`` before the read is only advice: between it and the ``open`` the file can become a
named pipe (the reader would wait for ever, holding the cache lock), a device that never ends,
or a file larger than the limit. So the file is opened without blocking and without becoming a
controlling terminal, the open descriptor is checked (``fstat``: a regular file), and never
more than the limit and one byte is read, whatever the size said.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_CHUNK = 1 << 20


class UnsafeFile(Exception):
    """The file is not one to read: a pipe, socket or device, or larger than the limit."""


class NotRegularFile(UnsafeFile):
    def __init__(self, mode: int):
        super().__init__("not a regular file")
        self.mode = mode


class FileTooLarge(UnsafeFile):
    def __init__(self, size: int | None, limit: int):
        super().__init__(f"larger than {limit} bytes")
        self.size = size  # None when the file grew past the limit while it was read
        self.limit = limit


def read_regular(path: Path | str, limit: int, follow_links: bool = True) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Raises :class:`NotRegularFile` (a pipe, socket, device or folder: checked on the open
    descriptor, never read), :class:`FileTooLarge`, or ``OSError`` (``PermissionError`` …).
    With ``follow_links=False`` a symbolic link is not opened (``O_NOFOLLOW``: ``ELOOP``).
    The walk of the meetings folder follows links inside it, so its readers follow them.
    """
    flags = _FLAGS if follow_links else _FLAGS | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(st.st_mode)
        if st.st_size > limit:
            raise FileTooLarge(st.st_size, limit)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > limit:
        raise FileTooLarge(None, limit)
    return raw
