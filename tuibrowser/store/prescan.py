"""The walk of the meetings folder and a ``stat`` of each file, made by child processes begun as
a command starts, while the command imports the rest of what a refresh needs.

At 10,000 meetings the walk (:func:`tuibrowser.scan.scan`) and each file's line
(:func:`.statlines.made_lines`: one ``stat`` a file) are about 90 ms of a 260 ms one-file
refresh, and the imports before them about 60 ms. On two cores or more :func:`begin` forks a
child that walks while the parent imports, claims the cache and takes its lock; once it has
walked a large folder (:data:`SPLIT_AT` files), the child forks a second that makes the lines of
the second half of the files while it makes those of the first. The refresh then takes what
they found (:func:`take`) instead of walking itself, and imports what a refresh that finds a
file changed needs while it waits.

What the children find is the folder as it was when the command started, a few tens of
milliseconds before the parent would have looked: the same as running the command that much
earlier. They only say which files there are and which lines to compare; a file read is read
by the parent, whose entry's ``stat`` comes from that read (:mod:`.parse`), as before.

The children run nothing but the walk and the ``stat`` calls, send what they found through a
pipe each (:mod:`marshal`: strings and numbers) and end with ``os._exit`` (none of the parent's
exit functions, no flush of its buffers). When anything is not as expected the parent walks
itself, as it always did: one core, a thread already running, a fork that fails, a problem met
on the walk (a link, a folder it may not read: told by the parent's own walk), a root that is
not the one the refresh walks, a child that failed. A child not taken (the command ended before
its refresh) is ended and reaped at exit; when the parent is killed its pipes close, and the
children, ending their walk, find them closed and end.
"""

from __future__ import annotations

import atexit
import marshal
import os
import sys
from importlib import import_module

from ..scan import scan
from .statlines import Made, made_lines

# (False, not typing's: this module is imported before the child is forked, and typing's
# import (4 ms), pathlib's (4 ms), signal's and select's would put off the fork by as much)
TYPE_CHECKING = False

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from ..model import Problem

# the walk as :func:`tuibrowser.scan.scan` gives it; the files (path, label) and their lines
Scanned = tuple[list[tuple[str, str]], list["Problem"]]
Found = tuple[list[tuple[str, str]], Made | None]

# the first child's status when its walk met a problem: the parent walks and tells it itself
PROBLEMS = 3
# A folder with fewer files is walked and its files' lines made by one child. A second child
# pays only once the first would still be at work when the parent has done its own start (its
# imports, the cache claimed and read: about 90 ms on a two-core machine, while the first child
# walks and makes about 15,000 files' lines): before then the three processes share two cores.
# At 12,000 files one child made the one-file refresh faster (median of 30 alternated pairs,
# 218 ms against 224), at 60,000 two did (605 ms against 711, 10 pairs).
SPLIT_AT = 15_000


class Prescan:
    """The first child (its pid) walking ``root``, and the read ends of the two pipes: the
    first child's (the files, and the lines of the first part), the second's (the rest)."""

    __slots__ = ("fds", "pid", "root", "warm")

    def __init__(self, pid: int, fds: tuple[int, int], root: str, warm: bool):
        self.pid: int | None = pid
        self.fds: tuple[int, int] | None = fds
        self.root = root
        self.warm = warm  # (whether the command may import the rest of a refresh: see begin)

    def result(self, warm: tuple[str, ...] = ()) -> Found | None:
        """The files the children found (path, label) and their lines, or None (the parent
        walks). ``warm``: modules to import while the first child is not done, one at a time
        (the rest of a refresh that finds something changed, imported in time otherwise spent
        waiting)."""
        fds, pid = self.fds, self.pid
        if fds is None or pid is None:
            return None
        import select

        try:
            for name in warm:
                if select.select([fds[0]], [], [], 0)[0]:
                    break  # (the first child is done, or has begun to say so)
                import_module(name)
            sent: list[bytes | bytearray] = [_read_all(fds[0]), _read_all(fds[1])]
        except OSError:
            sent = [b"", b""]
        finally:
            self._close()
        try:
            _, status = os.waitpid(pid, 0)  # (the first child reaps the second)
        except ChildProcessError:
            return None
        finally:
            self.pid = None  # reaped: its pid is no longer this command's to end
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0 or not sent[0]:
            return None
        try:
            return _decode(self.root, sent)  # (which empties ``sent`` as it goes)
        except (EOFError, ValueError, TypeError):
            return None

    def end(self) -> None:
        """End and reap the first child, unless it was reaped already (the second, its own,
        ends at its next write: the pipes are closed)."""
        self._close()
        pid, self.pid = self.pid, None
        if pid is None:
            return
        import signal

        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except OSError:
            pass

    def _close(self) -> None:
        fds, self.fds = self.fds, None
        for fd in fds or ():
            os.close(fd)


_pending: Prescan | None = None


def begin(root: str | Path, warm: bool = True) -> None:
    """Begin walking ``root`` in a child (:func:`take` has it), when that can help and is safe:
    two cores or more, a system that forks, and no thread running yet. ``warm``: whether the
    modules :func:`take` is given are imported while it waits (``index``: a file changed is
    what it is run for; not ``search``, whose refresh nearly always finds nothing changed, and
    whose memory they would grow). ``root`` may be the folder's name as the command line gave
    it: it is walked as ``Path(root)`` names it (:func:`path_text`), which is what the refresh
    walks; a command calls this before it imports :mod:`pathlib`."""
    global _pending
    if _pending is not None or not hasattr(os, "fork") or _cores() < 2 or _threads():
        return
    text = path_text(os.fspath(root))
    first, second = os.pipe(), os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for fd in (*first, *second):
            os.close(fd)
        return
    if pid == 0:
        os.close(first[0])
        os.close(second[0])
        _child(text, first[1], second[1])
    os.close(first[1])
    os.close(second[1])
    _pending = Prescan(pid, (first[0], second[0]), text, warm)
    atexit.register(_end)


def path_text(name: str) -> str:
    """``str(Path(name))`` on a system that forks (POSIX), without importing :mod:`pathlib`:
    the slashes of a run made one (two at the start kept, as POSIX allows them a meaning of
    their own), the ``.`` parts and a last slash dropped, ``"."`` for nothing left."""
    start = "//" if name[:2] == "//" and name[2:3] != "/" else "/" if name[:1] == "/" else ""
    return start + "/".join(p for p in name.split("/") if p and p != ".") or "."


def take(root: Path, warm: tuple[str, ...] = ()) -> tuple[Scanned, Made | None] | None:
    """What the children begun for ``root`` found: the walk as :func:`tuibrowser.scan.scan`
    gives it and the files' lines (:func:`.statlines.made_lines`, None when a ``stat``
    failed); None when there is no such child or it cannot tell (the caller walks). ``warm``:
    modules to import while waiting (:meth:`Prescan.result`)."""
    global _pending
    pending, _pending = _pending, None
    if pending is None:
        return None
    if os.fspath(root) != pending.root:
        pending.end()
        return None
    found = pending.result(warm if pending.warm else ())
    if found is None:
        return None
    files, made = found
    return (files, []), made


def _end() -> None:
    """At exit: a child not taken is ended."""
    global _pending
    pending, _pending = _pending, None
    if pending is not None:
        pending.end()


def _child(root: str, first: int, second: int) -> None:
    """The first child's whole life: walk; fork the second for the lines of the second part
    of the files (when there are enough), make those of the first, write what it has to
    ``first``, and end with the second's status too (never returns)."""
    status = 1
    try:
        files, problems = scan(root)  # (a text as Path gives it: no pathlib in the child)
        if problems:
            status = PROBLEMS
            return
        half = len(files) // 2 if len(files) >= SPLIT_AT else len(files)
        other = os.fork() if half < len(files) else 0
        if half < len(files) and other == 0:
            os.close(first)
            _write(second, marshal.dumps(made_lines(files[half:])))
            status = 0
            return
        os.close(second)
        _write(first, marshal.dumps(_encode(root, files, made_lines(files[:half]))))
        os.close(first)  # (the parent reads to its end now, not at this one's)
        if other:
            _, done = os.waitpid(other, 0)
            if not os.WIFEXITED(done) or os.WEXITSTATUS(done) != 0:
                return
        status = 0
    except BaseException:  # noqa: BLE001 - the parent walks itself (a closed pipe, Ctrl-C)
        pass
    finally:
        os._exit(status)


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_all(fd: int) -> bytearray:
    """What is written to ``fd`` until it is closed, grown in place (chunks joined at the end
    were held twice for a moment: 11 MB at 60,000 files)."""
    data = bytearray()
    while chunk := os.read(fd, 1 << 20):
        data += chunk
    return data


def _encode(root: str, files: list[tuple[str, str]], made: Made | None) -> tuple[Any, ...]:
    """What the first child sends: the labels (and the paths, unless each is the root's and
    the label's), and the lines of the first part of the files. Lists of strings, which
    :mod:`marshal` reads back at C speed: at 12,000 files 6 ms of the parent's work after the
    walk, against 10 ms for the same strings joined a line each and split again (the
    collector paused, as the commands that walk this way run)."""
    prefix = os.path.join(root, "")
    labels = [label for _, label in files]
    same = list(map(prefix.__add__, labels)) == [path for path, _ in files]
    return len(files), labels, None if same else [path for path, _ in files], made


def _decode(root: str, sent: list[bytes | bytearray]) -> Found | None:
    """The files and their lines as the children sent them (None when they do not fit):
    ``sent`` holds what each child wrote (:mod:`marshal`; the second's may be empty). Each
    buffer is let go as soon as it is read: at 60,000 files they are 11 MB, beside the 30 MB
    of strings and tuples made of them (the peak of ``tuibrowser search`` at 50,000
    meetings)."""
    first = marshal.loads(sent[0])
    sent[0] = b""
    second = marshal.loads(sent[1]) if sent[1] else None
    sent[1] = b""
    count, names, paths, made = first
    del first
    lines: list[str] | None = None
    owners: list[int] = []
    if made is not None:  # (None: a ``stat`` failed, the refresh makes the lines itself)
        owners, lines = made
        made = None
        if second is not None:  # (None: no second child, or its ``stat`` failed)
            owners += second[0]
            lines += second[1]
            second = None
    prefix = os.path.join(root, "")
    where = list(map(prefix.__add__, names)) if paths is None else paths
    paths = None
    if len(names) != count or len(where) != count:
        return None
    files = list(zip(where, names, strict=True))
    if lines is None or len(owners) != count or len(lines) != count:
        return files, None
    return files, (owners, lines)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _threads() -> bool:
    """Whether a thread other than this one may be running (a fork would copy it half-way)."""
    threading = sys.modules.get("threading")
    return threading is not None and threading.active_count() > 1
