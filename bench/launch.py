"""Start the harness's measured processes from a small process of their own, so that the peak
memory reported for each (``ru_maxrss``) is its own.

Linux counts in a process's ``ru_maxrss`` the memory it was started from: a child made by
``fork`` has its parent's pages until it execs, and one made by ``vfork`` (as ``subprocess``
makes them) is given its parent's high-water mark at ``exec``. Started from the harness itself,
whose own peak grows with the corpus (its list of 60,000 files, the probes' answers), the
processes it measured were given its peak: at 50,000 meetings ``tuibrowser search`` was reported
at 72 to 110 MB while its own peak (``VmHWM``, read inside it) was 64 MB, and that of the
children that walk the folder for it 45 MB.

:class:`Launcher` starts one small Python process (``-S -I``, nothing imported beyond what the
interpreter starts with, ``socket`` and ``marshal``: about 10 MB) before anything is measured.
Each command is sent to it with the descriptors to give the command (its stdin, stdout, stderr
and any other, at the numbers it is to have them); it forks and execs the command, says its
pid, waits for it and says its exit status and ``ru_maxrss``. The command's own start, and
what it starts, are timed as before; the floor of a peak so measured is the launcher's size.
"""

from __future__ import annotations

import marshal
import os
import signal
import socket
import subprocess
import sys

# The launcher's whole program (run with -S -I: no site, no user paths). It serves requests on
# the socket it is given (descriptor in argv[1]) until the harness closes it.
_SERVE = r"""
import marshal, os, socket, sys
sock = socket.socket(fileno=int(sys.argv[1]))
while True:
    try:
        msg, fds, _, _ = socket.recv_fds(sock, 1 << 20, 16)
    except OSError:
        break
    if not msg:
        break
    cmd, env, targets = marshal.loads(msg)
    pid = os.fork()
    if pid == 0:
        try:
            high = [os.dup(fd) for fd in fds]  # out of the way of the numbers wanted
            for fd, target in zip(high, targets):
                os.dup2(fd, target, inheritable=True)
            keep = set(targets)
            for fd in os.listdir("/proc/self/fd"):
                if int(fd) not in keep and int(fd) > 2:
                    try:
                        os.close(int(fd))
                    except OSError:
                        pass
            os.execvpe(cmd[0], cmd, env)
        finally:
            os._exit(127)
    for fd in fds:
        os.close(fd)
    sock.sendall(pid.to_bytes(8, "little"))
    _, status, usage = os.wait4(pid, 0)
    sock.sendall(status.to_bytes(8, "little") + usage.ru_maxrss.to_bytes(8, "little"))
"""


class Launched:
    """A process the launcher started: its pid, and (once :meth:`wait` returned) its exit
    status and peak RSS in bytes."""

    def __init__(self, launcher: Launcher, pid: int) -> None:
        self.launcher, self.pid = launcher, pid
        self.status: int | None = None
        self.rss = 0

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def wait(self) -> int:
        """The raw wait status (as ``os.wait4`` gives it), once the process has ended."""
        if self.status is None:
            reply = self.launcher._reply(16)
            self.status = int.from_bytes(reply[:8], "little")
            self.rss = int.from_bytes(reply[8:], "little") * 1024  # (kB)
        return self.status


class Launcher:
    """The small process the measured ones are started from (one at a time)."""

    def __init__(self) -> None:
        mine, theirs = socket.socketpair()
        self.proc = subprocess.Popen(
            [sys.executable, "-S", "-I", "-c", _SERVE, str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.sock = mine

    def start(self, cmd: list[str], env: dict[str, str], fds: dict[int, int]) -> Launched:
        """Start ``cmd`` with environment ``env`` and the descriptors ``fds`` (the number it
        is to have each at → this process's descriptor: 0, 1 and 2 at least)."""
        targets = list(fds)
        msg = marshal.dumps((cmd, env, targets))
        socket.send_fds(self.sock, [msg], [fds[t] for t in targets])
        return Launched(self, int.from_bytes(self._reply(8), "little"))

    def _reply(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            more = self.sock.recv(size - len(data))
            if not more:
                raise RuntimeError("the launcher of measured processes ended")
            data += more
        return data

    def close(self) -> None:
        self.sock.close()
        self.proc.wait()
