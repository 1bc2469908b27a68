"""Files on hostile ground: the rules tuibrowser keeps for its own files (cache, seen state,
keymap) in folders other users may share.

As ssh's StrictModes: a file is read, replaced or deleted only when this user owns it and no one
else can write it, and its folder and every folder above it are owned by this user or by root
and writable by no one else (a world-writable folder with the sticky bit, as ``/tmp``, is
allowed: no one can rename or delete another user's file in it). The files tuibrowser reads
and writes in its own paths are never reached through a symbolic link: they are opened with
``O_NOFOLLOW`` and checked on the open descriptor, and replaced only after ``lstat`` says the
name holds a regular file of this user's (or nothing).

"Writable by no one else" allows a group-writable file or folder whose group is the user's
own private group (named after the user, with no other member), as a umask of 002 makes them.

What breaks a rule raises :class:`Refused`, a ``PermissionError`` whose message names the path
and says why (``/x/y is writable by other users``).
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)
MAX_LINKS = 40  # symbolic links followed in a folder chain before giving up (as the kernel)


class Refused(PermissionError):
    """A path tuibrowser will not use; the message names it and says why."""

    def __init__(self, path: str | os.PathLike[str], why: str) -> None:
        self.path = str(path)
        self.why = why
        super().__init__(f"{self.path} {why}")

    def __str__(self) -> str:
        return f"{self.path} {self.why}"

    def __reduce__(self):  # as it was made (it crosses from a worker process)
        return (type(self), (self.path, self.why))


def euid() -> int | None:
    return os.geteuid() if hasattr(os, "geteuid") else None


@functools.cache
def _private_group(gid: int, uid: int) -> bool:
    """Whether ``gid`` is the user's own group (named after the user, no other member)."""
    try:
        import grp
        import pwd

        name = pwd.getpwuid(uid).pw_name
        group = grp.getgrgid(gid)
    except (ImportError, KeyError):
        return False
    return group.gr_name == name and set(group.gr_mem) <= {name}


def others_can_write(st: os.stat_result) -> bool:
    """Whether someone but the owner (and root) may write the file or folder ``st``."""
    if euid() is None:  # pragma: no cover - not POSIX: the mode bits say nothing of others
        return False
    if st.st_mode & stat.S_IWOTH:
        return True
    if st.st_mode & stat.S_IWGRP:
        uid = euid()
        return uid is None or not _private_group(st.st_gid, uid)
    return False


def file_problem(st: os.stat_result) -> str | None:
    """Why the file ``st`` may not be used as this user's own, or None."""
    if stat.S_ISLNK(st.st_mode):
        return "is a symbolic link"
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file"
    uid = euid()
    if uid is not None and st.st_uid != uid:
        return "is owned by another user"
    if others_can_write(st):
        return "is writable by other users"
    return None


def folder_problem(st: os.stat_result, shared: bool = False) -> str | None:
    """Why the folder ``st`` may not hold this user's files, or None.

    ``shared``: a folder above the user's own (it may be root's, and writable by all when it
    has the sticky bit).
    """
    if stat.S_ISLNK(st.st_mode):
        return "is a symbolic link"
    if not stat.S_ISDIR(st.st_mode):
        return "is not a folder"
    uid = euid()
    if uid is not None and st.st_uid != uid and not (shared and st.st_uid == 0):
        return "is owned by another user"
    if others_can_write(st) and not (shared and st.st_mode & stat.S_ISVTX):
        return "is writable by other users"
    return None


def check_file(path: str | os.PathLike[str]) -> os.stat_result | None:
    """The ``lstat`` of ``path`` when it is a file of this user's, None when nothing is there;
    raises :class:`Refused` for anything else (a link, a device, another user's file)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    why = file_problem(st)
    if why:
        raise Refused(path, why)
    return st


def check_own_folder(path: str | os.PathLike[str]) -> os.stat_result | None:
    """The ``lstat`` of ``path`` when it is a folder of this user's that no one else can write
    (not a link to one), None when nothing is there; raises :class:`Refused` otherwise."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    why = folder_problem(st)
    if why:
        raise Refused(path, why)
    return st


def check_chain(folder: str | os.PathLike[str]) -> None:
    """Raise :class:`Refused` unless ``folder`` and every folder above it are owned by this
    user or root and writable by no one else (sticky folders allowed).

    A symbolic link on the way is as safe as the folder holding it (checked before it is
    reached); where it leads is checked as well.
    """
    if euid() is None:  # pragma: no cover - not POSIX
        return
    _check_chain(os.path.abspath(folder), {}, 0)


def _check_chain(folder: str, checked: dict[str, None], links: int) -> None:
    parts = Path(folder).parts
    for n in range(1, len(parts) + 1):
        prefix = os.path.join(*parts[:n])
        if prefix in checked:
            continue
        try:
            st = os.lstat(prefix)
        except FileNotFoundError:
            return  # made by this user, below a folder that passed
        if stat.S_ISLNK(st.st_mode):
            if links >= MAX_LINKS:
                raise Refused(prefix, "leads through too many symbolic links")
            _check_chain(os.path.realpath(prefix), checked, links + 1)
        else:
            why = folder_problem(st, shared=True)
            if why:
                raise Refused(prefix, why)
        checked[prefix] = None


def open_own(path: str | os.PathLike[str]) -> int:
    """A read-only descriptor of ``path``, a file of this user's that no one else can write,
    never reached through a symbolic link (``FileNotFoundError`` when it is missing)."""
    try:
        fd = os.open(path, os.O_RDONLY | NOFOLLOW | CLOEXEC | NONBLOCK)
    except FileNotFoundError:
        raise
    except OSError:
        if os.path.islink(path):  # ELOOP (EMLINK on some systems) from O_NOFOLLOW
            raise Refused(path, "is a symbolic link") from None
        raise
    try:
        why = file_problem(os.fstat(fd))
    except BaseException:
        os.close(fd)
        raise
    if why:
        os.close(fd)
        raise Refused(path, why)
    return fd


def read_own(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of ``path`` (see :func:`open_own`); at most ``limit`` of them."""
    with os.fdopen(open_own(path), "rb") as fh:
        return fh.read() if limit is None else fh.read(limit)


def read_trusted(path: str | os.PathLike[str], limit: int) -> bytes:
    """The first ``limit`` bytes of a file the user keeps (a keymap): a link to it is followed
    (dotfile managers link them), but the folders of the link and of the file it leads to
    must pass :func:`check_chain`, and the file :func:`file_problem`, on the open descriptor."""
    check_chain(os.path.dirname(os.path.abspath(path)))
    real = os.path.realpath(path)
    check_chain(os.path.dirname(real))
    # (not blocking: a pipe planted there must not hang the reader; fstat refuses it)
    with os.fdopen(os.open(real, os.O_RDONLY | NOFOLLOW | CLOEXEC | NONBLOCK), "rb") as fh:
        why = file_problem(os.fstat(fh.fileno()))
        if why:
            raise Refused(real, why)
        return fh.read(limit)


def make_folders(path: str | os.PathLike[str]) -> list[Path]:
    """Make ``path`` and the folders missing above it, each mode 0700 whatever the umask;
    return those made (so only they are chmodded)."""
    missing: list[Path] = []
    p = Path(path)
    while not os.path.lexists(p):
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    made: list[Path] = []
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            continue  # made by someone else meanwhile: checked like any folder found
        made.append(folder)
        chmod_own(folder, 0o700, folder=True)  # mkdir's mode is masked by the umask
    return made


def chmod_own(path: str | os.PathLike[str], mode: int, folder: bool = False) -> None:
    """Set the mode of ``path``, a file (or ``folder``) of this user's, never through a link."""
    if not hasattr(os, "fchmod"):  # pragma: no cover - not POSIX
        os.chmod(path, mode)
        return
    flags = os.O_RDONLY | NOFOLLOW | CLOEXEC | NONBLOCK | (getattr(os, "O_DIRECTORY", 0) * folder)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        uid = euid()
        if uid is not None and st.st_uid != uid:
            raise Refused(path, "is owned by another user")
        if stat.S_IMODE(st.st_mode) != mode:
            os.fchmod(fd, mode)
    finally:
        os.close(fd)
