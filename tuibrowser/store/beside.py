"""Work done beside this process, on the other core: a one-file refresh's shard in two halves.

A refresh that finds one file changed writes its shard again in this process (the pool of a
cold index would cost more to start than the shard takes to write), on one core. The shard's
search text (folded, its words, its long texts) is half of that and needs nothing the rest
makes: :func:`beside` runs it in a child forked from this process, whose memory it shares, while
this process writes the documents, the rows, the skeleton and the views; :meth:`Beside.done`
waits for it. The child writes its parts under the names this process gave them, as this
process would, and ends with ``os._exit`` (no handler of this process's runs in it, no buffer
of its output is written twice). On Linux it is killed with this process
(``PR_SET_PDEATHSIG``), so a ``SIGKILL`` leaves no process behind.

A fork is taken only where it is safe and worth it: on POSIX, in the main thread of a process
that has no other thread (the browser refreshes in a thread: fork() with threads is unsafe),
and never in a worker of the pool. Anything that fails in the child, or prevents starting it,
is no failure: :meth:`Beside.done` says False, and the caller does that work itself. A parent
that stops while waiting (SIGTERM, Ctrl-C) kills the child first; what the child wrote is named
by no index and swept as any part of an interrupted refresh.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable

# Set in the workers of a cold index (:func:`.workers.worker_started`): no fork there.
IN_WORKER = False


def can_fork() -> bool:
    """Whether work may be forked beside this process now (see the module's doc)."""
    return (
        hasattr(os, "fork")
        and not IN_WORKER
        and threading.current_thread() is threading.main_thread()
        and threading.active_count() == 1
        and (os.cpu_count() or 1) > 1
    )


class Beside:
    """A child process doing ``work`` (or none, when it could not be started)."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid

    def done(self) -> bool:
        """Wait for the child; whether it did its work (False: do it here)."""
        if self.pid is None:
            return False
        pid, self.pid = self.pid, None
        try:
            _, status = os.waitpid(pid, 0)
        except BaseException:
            _kill(pid)
            raise
        return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0

    def stop(self) -> None:
        """End the child now, if it is still at work (this process stops)."""
        if self.pid is not None:
            pid, self.pid = self.pid, None
            _kill(pid)


def beside(work: Callable[[], object]) -> Beside:
    """Start ``work`` in a child forked from this process (see :func:`can_fork`)."""
    if not can_fork():
        return Beside(None)
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        return Beside(None)
    if pid == 0:  # the child: the work, and out without running anything of the parent's
        status = 1
        try:
            _die_with(parent)
            work()
            status = 0
        except BaseException:  # noqa: BLE001 - any failure: the parent does the work
            pass
        finally:
            os._exit(status)
    return Beside(pid)


def _die_with(parent: int) -> None:
    """In the child: be killed with the parent, however it dies (Linux), and end now if it
    is gone already."""
    from .workers import _die_with_parent_process

    _die_with_parent_process()
    if os.getppid() != parent:
        os._exit(1)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
