"""The cache's files on disk: atomic writes, the writer lock, private folders, stale temp files.

Every file is written to a temporary file and moved into place with ``os.replace`` (readers see
the old file or the new one, never half), replacing nothing but a file of this user's (see
:mod:`.safefs`); one process at a time writes a cache, under :class:`CacheLock`.
"""

from __future__ import annotations

import errno
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from . import safefs
from .own import TEMP_TAIL, check_shard_dir, close_if_ours

if TYPE_CHECKING:
    from filelock import BaseFileLock

STALE_TEMP_SECONDS = 60


def atomic_write(path: Path, payload: bytes, sync: bool = True) -> None:
    """Write ``payload`` to ``path`` so that readers see the old file or the new one, never half.

    ``sync=False`` leaves out the fsync: for a shard's parts, which a new index names only
    once written and which, cut short by a crash of the machine, fail their checks and are
    built again (the index itself is always synced).
    """
    fd, tmp = _make_temp(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            if hasattr(os, "fchmod"):  # on the descriptor: a name can be swapped, it cannot
                os.fchmod(fh.fileno(), 0o600)
            fh.write(payload)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        # Replace nothing but a file of this user's: never a link, a device, another's file.
        safefs.check_file(path)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# the characters of tempfile's random names (TEMP_TAIL's)
_TEMP_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"


def _temp_names() -> Iterator[str]:
    """Random names of eight of :data:`_TEMP_CHARS`, as tempfile's, from ``os.urandom``."""
    while True:
        yield "".join([_TEMP_CHARS[b % len(_TEMP_CHARS)] for b in os.urandom(8)])


def _make_temp(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path`` (``.NAME.XXXXXXXX.tmp``) and its descriptor, made
    as ``tempfile.mkstemp`` makes one: mode 0600, ``O_EXCL`` and ``O_NOFOLLOW`` (so never
    through a link nor into anyone's file), another name tried while one is taken. Not
    tempfile itself: importing it (with random, shutil, bz2 and lzma) was a tenth of the
    imports of a one-file refresh."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | safefs.NOFOLLOW | safefs.CLOEXEC
    names = _temp_names()
    for _ in range(10000):  # (tempfile.TMP_MAX)
        tmp = os.path.join(path.parent, f".{path.name}.{next(names)}.tmp")
        try:
            return os.open(tmp, flags, 0o600), os.path.abspath(tmp)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, f"no free temporary name beside {path}")


def write_new(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path``, a name no file has (a part of a shard under the shard's
    new name), straight into place: no index names it until it is written, so no reader opens
    it half written, and a writer killed half way leaves it to the sweep of parts no index
    names. Made with ``O_EXCL``, so never through a link nor into anyone's file; a name taken
    after all is written as :func:`atomic_write` does. (A temporary file, its random name, a
    check and a rename were most of the time of writing a shard's dozen small parts.)"""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | safefs.NOFOLLOW | safefs.CLOEXEC
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        atomic_write(path, payload, sync=False)
        return
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # whatever the umask
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:
        os.close(fd)
        try:
            os.unlink(path)
        except OSError:
            pass
        raise
    os.close(fd)


class LockTimeout(TimeoutError):
    """The cache's lock was held by another process for longer than the timeout."""


class CacheLock:
    """The cache's writer lock: one process at a time brings a cache up to date.

    On POSIX it is ``flock`` on the lock file, taken without blocking and retried until the
    timeout (what filelock's Unix lock does, without the 40 ms its import costs every command);
    elsewhere it is filelock's.
    """

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        self._other: BaseFileLock | None = None

    def __enter__(self) -> CacheLock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            from filelock import FileLock, Timeout

            self._other = FileLock(str(self.path), timeout=self.timeout, mode=0o600)
            try:
                self._other.acquire()
            except Timeout as exc:
                raise LockTimeout(str(self.path)) from exc
            return self
        # Never through a link, never a device or another user's file.
        safefs.check_file(self.path)
        flags = os.O_RDWR | os.O_CREAT | safefs.NOFOLLOW | safefs.CLOEXEC | safefs.NONBLOCK
        try:
            fd = os.open(self.path, flags, 0o600)
        except OSError:
            safefs.check_file(self.path)  # a link planted meanwhile: say so
            raise
        why = safefs.file_problem(os.fstat(fd))
        if why:
            os.close(fd)
            raise safefs.Refused(self.path, why)
        deadline = time.monotonic() + self.timeout
        delay = 0.005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except (BlockingIOError, InterruptedError):
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockTimeout(str(self.path)) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
            except BaseException:
                os.close(fd)
                raise
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._other is not None:  # pragma: no cover - not POSIX
            self._other.release()
            self._other = None
        if self._fd is not None:
            import fcntl

            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def sweep_temp_files(path: Path, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Delete temporary files a killed writer of ``path`` left behind; return how many.

    Only names atomic_write makes, and only regular files of this user's: the folder may be
    shared (``/tmp``), and what someone else put there is not ours to delete.
    """
    removed = 0
    cutoff = time.time() - older_than
    pattern = re.compile(re.escape(f".{path.name}.") + TEMP_TAIL)  # atomic_write's names
    try:
        candidates = [p for p in path.parent.iterdir() if pattern.fullmatch(p.name)]
    except OSError:
        return 0
    for tmp in candidates:
        try:
            st = tmp.lstat()
            if st.st_mtime < cutoff and not safefs.file_problem(st):
                tmp.unlink()
                removed += 1
        except OSError:
            pass
    return removed


def ensure_private_dir(path: Path, *ours: str) -> None:
    """Make the folder ``path`` (mode 0700, and the folders above it) if it is missing.

    A folder that exists is closed to 0700 as well when it is all tuibrowser's: when no
    ``ours`` are given (a shards' folder: see :func:`own.check_shard_dir`), or when it is
    this user's, not sticky, and holds only this user's files and folders (no link) under
    names tuibrowser gives (:func:`own.close_if_ours`). A folder the user named that
    holds other things (``--cache /tmp/c.json``, a shared project folder) keeps its mode:
    closing it would lock its other users out, and the cache's files in it are 0600 and its
    shards' folder 0700 all the same. Raises :class:`safefs.Refused` for a shards' folder that
    is not this user's own.
    """
    if path in safefs.make_folders(path):
        return
    if not ours:
        check_shard_dir(path)
    else:
        close_if_ours(path, ours)


def ensure_shard_dir(path: Path) -> None:
    """Make the shards' folder (0700) if it is missing. One that exists was claimed this
    refresh, its names listed (:func:`own.check_shard_dir`) before the lock was taken: no one
    else can have added to it since, so only the folder itself is checked, not listed again."""
    if path not in safefs.make_folders(path):
        safefs.check_own_folder(path)


def make_private(path: Path, mode: int) -> None:
    try:
        safefs.chmod_own(path, mode)
    except OSError:
        pass
