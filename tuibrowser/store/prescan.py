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
from .statlines import LABEL_END, Made, changed_in_text, made_lines, whole_places

# (False, not typing's: this module is imported before the child is forked, and typing's
# import (4 ms), pathlib's (4 ms), signal's and select's would put off the fork by as much)
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Sequence
    from mmap import mmap
    from pathlib import Path
    from typing import Any

    from ..model import Problem
    from .seen import Seen

# the walk as :func:`tuibrowser.scan.scan` gives it (or :class:`.seen.PartFiles`)
Scanned = tuple["Sequence[tuple[str, str]]", list["Problem"]]
# the files (path, label); their lines, or the files the first child found not by their line
# in the seen part (:func:`.seen.by_place`, which set what else it found on the part)
Found = tuple["Sequence[tuple[str, str]]", Made | None, list[tuple[str, str]] | None]
Taken = tuple[Scanned, Made | None, list[tuple[str, str]] | None]

# the first child's status when its walk met a problem: the parent walks and tells it itself
PROBLEMS = 3
# A folder with fewer files is walked and its files' lines made by one child. A second child
# pays only once the first would still be at work when the parent has done its own start (its
# imports, the cache claimed and read: about 90 ms on a two-core machine, while the first child
# walks and makes about 15,000 files' lines): before then the three processes share two cores.
# At 12,000 files one child made the one-file refresh faster (median of 30 alternated pairs,
# 218 ms against 224), at 60,000 two did (605 ms against 711, 10 pairs).
SPLIT_AT = 15_000
# what the first child sends: every file's label and line, or what its comparison with the seen
# part found (one child only)
ALL, COMPARED = 0, 1
# The memory shared with the first child, through which the parent gives it the seen part's
# lines and the labels of the files it keeps whole (an anonymous mapping: only the pages
# written take memory). A larger part is not compared by the child.
SHARED_BYTES = 8 << 20


class Prescan:
    """The first child (its pid) walking ``root``, the read ends of the two pipes (the first
    child's: the files, and the lines of the first part or what it found comparing them;
    the second's: the rest), and the write end of the pipe and the memory through which the
    first child is given the seen part."""

    __slots__ = ("ask", "fds", "pid", "root", "shared", "warm")

    def __init__(
        self, pid: int, fds: tuple[int, int], ask: int, shared: mmap, root: str, warm: bool
    ):
        self.pid: int | None = pid
        self.fds: tuple[int, int] | None = fds
        self.ask: int | None = ask
        self.shared = shared
        self.root = root
        self.warm = warm  # (whether the command may import the rest of a refresh: see begin)

    def result(self, warm: tuple[str, ...] = (), seen: Seen | None = None) -> Found | None:
        """The files the children found (path, label) and their lines, or what the first found
        comparing them with the seen part ``seen``; None (the parent walks). ``warm``: modules
        to import while the first child is not done, one at a time (the rest of a refresh that
        finds something changed, imported in time otherwise spent waiting)."""
        fds, pid = self.fds, self.pid
        if fds is None or pid is None:
            return None
        import select

        given = False
        try:
            given = self._give(seen)
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
            # (which empties ``sent`` as it goes)
            return _decode(self.root, sent, seen if given else None)
        except (EOFError, ValueError, TypeError):
            return None

    def _give(self, seen: Seen | None) -> bool:
        """Give the first child the seen part to compare its lines with (its lines, how many
        files it holds, the labels of those it keeps whole), through the shared memory, and
        close the pipe it waits on; whether it was given (not when there is no part, or one
        too large)."""
        fd, self.ask = self.ask, None
        if fd is None:
            return False
        try:
            if seen is None or not seen.blob:
                return False
            data = marshal.dumps((seen.blob, seen.count, list(seen.unclean)))
            if len(data) > len(self.shared):
                return False
            self.shared[: len(data)] = data
            _write(fd, len(data).to_bytes(8, "little"))
            return True
        finally:
            os.close(fd)

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
        ask, self.ask = self.ask, None
        for fd in (*(fds or ()), *(() if ask is None else (ask,))):
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
    import mmap

    text = path_text(os.fspath(root))
    first, second, ask = os.pipe(), os.pipe(), os.pipe()
    try:
        shared = mmap.mmap(-1, SHARED_BYTES)  # (shared with the children: not copied)
        pid = os.fork()
    except OSError:
        for fd in (*first, *second, *ask):
            os.close(fd)
        return
    if pid == 0:
        os.close(first[0])
        os.close(second[0])
        os.close(ask[1])  # (so that the parent's end closed is the end of what it says)
        _child(text, first[1], second[1], ask[0], shared)
    os.close(first[1])
    os.close(second[1])
    os.close(ask[0])
    _pending = Prescan(pid, (first[0], second[0]), ask[1], shared, text, warm)
    atexit.register(_end)


def path_text(name: str) -> str:
    """``str(Path(name))`` on a system that forks (POSIX), without importing :mod:`pathlib`:
    the slashes of a run made one (two at the start kept, as POSIX allows them a meaning of
    their own), the ``.`` parts and a last slash dropped, ``"."`` for nothing left."""
    start = "//" if name[:2] == "//" and name[2:3] != "/" else "/" if name[:1] == "/" else ""
    return start + "/".join(p for p in name.split("/") if p and p != ".") or "."


def take(root: Path, warm: tuple[str, ...] = (), seen: Seen | None = None) -> Taken | None:
    """What the children begun for ``root`` found: the walk as :func:`tuibrowser.scan.scan`
    gives it, and either the files' lines (:func:`.statlines.made_lines`, None when a
    ``stat`` failed) or the files the first child found not by their line comparing them with
    the seen part ``seen`` by place (then the lines are not sent, and what else it found is
    set on ``seen``); None when there is no such child or it cannot tell (the caller walks). ``warm``: modules to import while
    waiting (:meth:`Prescan.result`)."""
    global _pending
    pending, _pending = _pending, None
    if pending is None:
        return None
    if os.fspath(root) != pending.root:
        pending.end()
        return None
    found = pending.result(warm if pending.warm else (), seen)
    if found is None:
        return None
    files, made, compared = found
    return (files, []), made, compared


def _end() -> None:
    """At exit: a child not taken is ended."""
    global _pending
    pending, _pending = _pending, None
    if pending is not None:
        pending.end()


def _child(root: str, first: int, second: int, ask: int, shared: mmap) -> None:
    """The first child's whole life: walk; fork the second for the lines of the second part
    of the files (when there are enough), make those of the first; alone, compare them with
    the seen part the parent gives it (:func:`_compared`); write what it has to ``first``, and
    end with the second's status too (never returns)."""
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
        made = made_lines(files[:half])
        compared = None
        if half == len(files) and made is not None:
            compared = _compared(files, made, _asked(ask, shared))
        _write(first, marshal.dumps(compared or _encode(files, made)))
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


def _asked(ask: int, shared: mmap) -> tuple[bytes, int, list[str]] | None:
    """The seen part the parent gives (:meth:`Prescan._give`), once it closes its end of
    ``ask``: its lines, how many files it holds, and the labels of those it keeps whole; None
    when it gives none, or its end closed without a word (the parent gone)."""
    said = _read_all(ask)
    os.close(ask)
    if len(said) != 8:
        return None
    size = int.from_bytes(said, "little")
    asked = marshal.loads(memoryview(shared)[:size])  # (read in place, not copied first)
    return asked if isinstance(asked, tuple) and len(asked) == 3 else None


def _compared(
    files: list[tuple[str, str]], made: Made, asked: tuple[bytes, int, list[str]] | None
) -> tuple[Any, ...] | None:
    """What the child sends when its lines, compared by place with the seen part ``asked``,
    are those of the same files with at most a few changed (:func:`.seen.few_changed`, whose
    conditions these are): how many files, how many bytes the part's lines are (which the
    parent checks are the ones it gave), the places and labels of the files it keeps whole,
    and the places and lines of the files changed. Else None (the lines are sent).

    At 12,000 files, sending every label and line was 20 ms of the child's work (then the
    parent's to read them: 12 ms, and 9 ms to compare them): the comparison is a few ms, and
    the parent takes the folder's files to be those the part names (:class:`.seen.PartFiles`)."""
    if asked is None:
        return None
    blob, count, whole = asked
    owners, lines = made
    if not blob or len(files) != count or len(lines) != count:
        return None  # (a file added or gone)
    skip = whole_places(files, whole)
    if skip is None:
        return None  # (a file kept whole gone)
    if skip:  # (the few taken out by place, at C speed)
        lines, owners = list(lines), list(owners)
        for at in reversed(skip):
            del lines[at], owners[at]
    uid = os.getuid()
    if uid != 0 and owners.count(uid) != len(owners):
        return None  # (whether they may be read is asked one by one: .seen.stat_lines)
    changed = changed_in_text(lines, blob)
    if changed is None:
        return None
    return (
        COMPARED,
        count,
        len(blob),
        [(at, files[at][1]) for at in skip],
        [(at, lines[at]) for at in changed],
    )


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


def _encode(files: list[tuple[str, str]], made: Made | None) -> tuple[Any, ...]:
    """What the first child sends when it did not compare its lines: how many files, the
    labels its lines do not give (each line starts with its file's label:
    :data:`.statlines.LABEL_END`), and the lines of the first part of the files. Each path is
    the root's and its label's, as the walk makes it (:func:`tuibrowser.scan.scan`): the
    parent makes it again. Lists of strings, which :mod:`marshal` reads back at C speed. At
    12,000 files, sending each label again beside its line, and each path, was 10 ms of the
    child's work against 1 ms."""
    given = 0 if made is None else len(made[1])
    return ALL, len(files), [label for _, label in files[given:]], made


def _decode(root: str, sent: list[bytes | bytearray], seen: Seen | None = None) -> Found | None:
    """The files and their lines as the children sent them, or what the first found comparing
    them with the seen part ``seen`` it was given (:func:`_compared`); None when they do not
    fit. ``sent`` holds what each child wrote (:mod:`marshal`; the second's may be empty).
    Each buffer is let go as soon as it is read: at 60,000 files they are 11 MB, beside the
    30 MB of strings and tuples made of them (the peak of ``tuibrowser search`` at 50,000
    meetings)."""
    first = marshal.loads(sent[0])
    sent[0] = b""
    if first[0] == COMPARED:
        return _by_place(root, first, seen)
    second = marshal.loads(sent[1]) if sent[1] else None
    sent[1] = b""
    _, count, names, made = first
    del first
    lines: list[str] | None = None
    owners: list[int] = []
    if made is not None:  # (None: a ``stat`` failed, the refresh makes the lines itself)
        owners, lines = made
        made = None
        end = LABEL_END
        names = [line[:end] for line in lines] + names  # (the labels the lines give first)
        if second is not None:  # (None: no second child, or its ``stat`` failed)
            owners += second[0]
            lines += second[1]
            second = None
    if len(names) != count:
        return None
    prefix = os.path.join(root, "")
    files = list(zip(map(prefix.__add__, names), names, strict=True))
    if lines is None or len(owners) != count or len(lines) != count:
        return files, None, None
    return files, (owners, lines), None


def _by_place(root: str, sent: tuple[Any, ...], seen: Seen | None) -> Found | None:
    """The files, and those not found by their line in the seen part ``seen``, as the first
    child found comparing their lines with the part's by place (:func:`_compared`): the files
    the part names (:class:`.seen.PartFiles`: those changed are in the same places, with the
    same labels). What it found is set on ``seen`` (:func:`.seen.by_place`)."""
    from .seen import PartFiles, by_place

    _, count, size, whole, changed = sent
    if seen is None or size != len(seen.blob):
        return None  # (not the part given)
    lines = seen.blob.count(b"\n") + 1  # (the child found none empty: each a file's)
    if lines + len(whole) != count:
        return None
    prefix = os.path.join(root, "")
    files = PartFiles(prefix, seen.blob, whole, count)
    end = LABEL_END
    found = [(prefix + line[:end], line[:end]) for _, line in changed]
    kept = [(prefix + label, label) for _, label in whole]
    return files, None, by_place(seen, lines, found, kept)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _threads() -> bool:
    """Whether a thread other than this one may be running (a fork would copy it half-way)."""
    threading = sys.modules.get("threading")
    return threading is not None and threading.active_count() > 1
