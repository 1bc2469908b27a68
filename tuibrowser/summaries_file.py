"""The file of the summaries the user last saw (:mod:`.change_log`), as JSON lines, read and
written a line at a time so that a look at a big folder's changes never holds every summary.

The first line says the version (``{"version": 2}``); each other line is one meeting: its key
``[id, fingerprint]`` as JSON, a tab, and its summary (:func:`.changes.summarize`) as JSON.
JSON writes a tab inside a string as ``\\t``, so the first tab of a line ends its key. A
meeting that did not change is copied to the new file as the bytes it was read as, never
parsed; only the summaries of the meetings that changed or went are read. The file is read
through a descriptor of the user's own file (never through a link) and written to a temporary
file of mode 0600 beside it, moved into place with ``os.replace`` once whole, as
:func:`.store.fs.atomic_write` does. A file of another version, or damaged, is not read: the
look is then a first look, and the file is replaced.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO

import orjson

from .changes import Summary, is_summary
from .store import safefs

# 3: the fingerprints hash the meetings' documents (listing.documents_fingerprint): every one
# changed, and a file of version 2 would tell every meeting as changed ("text edited") once.
# A file of another version is set aside as at a first look: nothing told.
FILE_VERSION = 3
HEADER = orjson.dumps({"version": FILE_VERSION}) + b"\n"


def open_lines(path: Path) -> IO[bytes] | None:
    """The file at ``path`` opened after its header line, or None when it is missing or not
    of this version (an older, whole-JSON file is set aside unread: its first line is the
    whole file, of which no more than the header's length is read). Raises
    :class:`safefs.Refused` for a file or folder that is not the user's own."""
    safefs.check_chain(path.parent)
    try:
        fh = os.fdopen(safefs.open_own(path), "rb")
    except FileNotFoundError:
        return None
    try:
        if fh.readline(len(HEADER)) != HEADER:
            fh.close()
            return None
    except BaseException:
        fh.close()
        raise
    return fh


def lines(fh: IO[bytes]) -> Iterator[tuple[str, str, bytes]]:
    """(meeting id, fingerprint, the whole line) of each line after the header, from where
    the file is; a damaged line is passed over (its meeting is then as never seen)."""
    for line in fh:
        key, tab, _ = line.partition(b"\t")
        if not tab or not line.endswith(b"\n"):
            continue
        try:
            value = orjson.loads(key)
        except orjson.JSONDecodeError:
            continue
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
            yield value[0], value[1], line


def keys(fh: IO[bytes]) -> dict[str, str]:
    """Each meeting's fingerprint as last seen (the first line of a meeting counts), the file
    left at its first line again."""
    start = fh.tell()
    out: dict[str, str] = {}
    for mid, fp, _ in lines(fh):
        out.setdefault(mid, fp)
    fh.seek(start)
    return out


def summary_of(line: bytes) -> Summary | None:
    """The summary a line holds, or None when it is damaged or of another version."""
    try:
        value = orjson.loads(line.partition(b"\t")[2])
    except orjson.JSONDecodeError:
        return None
    return value if is_summary(value) else None


def line_of(meeting_id: str, fingerprint: str, summary: Summary) -> bytes:
    return orjson.dumps([meeting_id, fingerprint]) + b"\t" + orjson.dumps(summary) + b"\n"


class Writer:
    """A new file for ``path``, written a line at a time to a temporary file (mode 0600)
    beside it, and moved into place when the ``with`` block ends without an error (the old
    file is replaced only if it is a file of the user's own: see :func:`safefs.check_file`).
    On an error the temporary file is removed and the old file stays."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tmp = ""
        self._fh: IO[bytes] | None = None

    def __enter__(self) -> Writer:
        fd, self._tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        self._fh = os.fdopen(fd, "wb")
        try:
            if hasattr(os, "fchmod"):  # on the descriptor: a name can be swapped, it cannot
                os.fchmod(fd, 0o600)
            self._fh.write(HEADER)
        except BaseException:
            self._discard()
            raise
        return self

    def write(self, line: bytes) -> None:
        assert self._fh is not None
        self._fh.write(line)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is not None:
            self._discard()
            return
        try:
            assert self._fh is not None
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            safefs.check_file(self.path)
            os.replace(self._tmp, self.path)
        except BaseException:
            self._discard()
            raise

    def _discard(self) -> None:
        if self._fh is not None:
            self._fh.close()
        try:
            os.unlink(self._tmp)
        except OSError:
            pass
