"""Which files are the cache's own: what tuibrowser may read, close, rename or delete.

A folder tuibrowser did not make, or a file it does not recognise, is never touched (see
docs/security.md, "A cache folder shared with others"). It recognises:

- the **index** by how every index it writes starts (:data:`INDEX_MARK`: a TinyDB database
  whose first table is ``meta``), whatever its version or damage; an empty file counts;
- the **shards' folder** by the names it may hold (:data:`OWN_NAME`: catalogs and their seen
  parts, the parts of shards, and their temporary files), each a regular file of this user's;
- the **cache's folder** by its names: the cache's own, the per-user caches
  (``meetings-<hash>.json``), with ``.d``, ``.lock`` or ``.bad-<time>`` after them, and their
  temporary files.
"""

from __future__ import annotations

import os
import re
import stat
import time
from pathlib import Path

from . import safefs

# What mkstemp adds to atomic_write's prefix: eight random characters and the suffix.
TEMP_TAIL = r"[a-z0-9_]{8}\.tmp"
_PART = (
    r"(?:(?:catalog|people|topics|kpis|views(?:-[0-9]{4})?)-[0-9a-f]{8}\.json"
    r"|catalog-[0-9a-f]{8}\.(?:seen|halves)"
    r"|[0-9-]{7}-[12]-[0-9a-f]{8}\.(?:json|rows|words|txt|show|idx|heads|units|people|views|long))"
)
# The names a shards' folder may hold, each ended by a newline: the folder's names are matched
# together (:func:`check_shard_dir`), and a name alone as one of them (:data:`OWN_NAME`)
_OWN_NAMES = re.compile(rf"(?:(?:{_PART}|\.{_PART}\.{TEMP_TAIL})\n)*")


class _OwnName:
    """Whether a name is one a shards' folder may hold (``fullmatch``, as a pattern's):
    anything else in it means it is not tuibrowser's. Matched by :data:`_OWN_NAMES`, which a
    refresh makes in any case: the pattern of the name alone was 0.75 ms more to compile."""

    @staticmethod
    def fullmatch(name: str) -> bool:
        return "\n" not in name and _OWN_NAMES.fullmatch(name + "\n") is not None


OWN_NAME = _OwnName()
# The start of every index tuibrowser writes: a file at the cache's path that starts
# otherwise is not a cache, and is never replaced.
INDEX_MARK = re.compile(rb'\{\s*"meta"\s*:\s*\{\s*"1"\s*:\s*\{')
_USER_CACHE = r"meetings-[0-9a-f]{20}(?:-public)?\.json"


def own_names(ours: tuple[str, ...]) -> re.Pattern[str]:
    """The names a cache's folder may hold to be all tuibrowser's, beside the names ``ours``."""
    names = "|".join([_USER_CACHE, *map(re.escape, ours)])
    name = rf"(?:{names})(?:\.d|\.lock|\.bad-[0-9]+)?"
    return re.compile(rf"{name}|\.{name}\.{TEMP_TAIL}")


def close_if_ours(path: Path, ours: tuple[str, ...]) -> None:
    """Close the folder ``path`` to 0700 when it is all tuibrowser's: this user's, not sticky,
    and holding only this user's files and folders (no link) under :func:`own_names`."""
    real = os.path.realpath(path)  # the user's cache folder may be a link to elsewhere
    try:
        st = os.lstat(real)
        if st.st_mode & stat.S_ISVTX or safefs.folder_problem(st) not in (
            None,
            "is writable by other users",
        ):
            return  # a folder meant to be shared (as /tmp), or not this user's
        if stat.S_IMODE(st.st_mode) == 0o700:
            return  # (closed already)
        with os.scandir(real) as entries:
            listed = list(entries)
        # (a name tuibrowser never gives, as the browser's state folder beside its cache, is
        # told by its start, before the pattern is made)
        if not all(entry.name.startswith((*ours, "meetings-", ".")) for entry in listed):
            return
        own = own_names(ours)
        for entry in listed:
            if not own.fullmatch(entry.name) or entry.is_symlink():
                return
            if entry.stat(follow_symlinks=False).st_uid != safefs.euid():
                return
        safefs.chmod_own(real, 0o700, folder=True)
    except OSError:
        pass


def check_shard_dir(path: Path) -> None:
    """Raise :class:`safefs.Refused` unless the shards' folder ``path`` is tuibrowser's: a
    folder (not a link) of this user's that holds only :data:`OWN_NAME` names, each a regular
    file of this user's that no one else can write. Such a folder opened up (by hand, or by a
    umask) is closed to 0700 again; a missing one is fine.

    A refresh checks every file (3,800 at 10,000 meetings) before it reads any, so the
    folder is listed through a descriptor (each file's ``lstat`` then looks up its name alone,
    not the whole path: a sixth less) and its names are matched in one pass of the pattern
    (half the time of a match a name)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    why = safefs.folder_problem(st)
    if why and why != "is writable by other users":
        raise safefs.Refused(path, why)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    try:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (st.st_dev, st.st_ino):
            raise safefs.Refused(path, "was replaced while it was checked")
        names: list[str] = []
        uid, others = safefs.euid(), stat.S_IWGRP | stat.S_IWOTH
        with os.scandir(fd) as listed:
            for entry in listed:  # (one at a time: 3,800 entries and their stat kept were 5 MB)
                names.append(entry.name)
                try:
                    est = entry.stat(follow_symlinks=False)  # (fstatat, by the descriptor)
                except FileNotFoundError:
                    continue  # gone since it was listed (a temporary file moved into place)
                # a regular file of this user's that no one else may write, as nearly all
                # are, passes here; any other is asked of safefs.file_problem, which says why
                if stat.S_ISREG(est.st_mode) and est.st_uid == uid and not est.st_mode & others:
                    continue
                if not OWN_NAME.fullmatch(entry.name):
                    raise safefs.Refused(path / entry.name, "is not a file of tuibrowser's cache")
                why = safefs.file_problem(est)
                if why:
                    raise safefs.Refused(path / entry.name, why)
        joined = "\n".join(names) + "\n"
        # (a name holding a newline would pass as two: counted, and then told by name)
        if joined.count("\n") != len(names) or not _OWN_NAMES.fullmatch(joined):
            for name in names:
                if not OWN_NAME.fullmatch(name):
                    raise safefs.Refused(path / name, "is not a file of tuibrowser's cache")
    finally:
        os.close(fd)
    if stat.S_IMODE(st.st_mode) != 0o700:
        safefs.chmod_own(path, 0o700, folder=True)


def is_index(path: Path) -> bool:
    """Whether the file at ``path`` is a tuibrowser index (or empty, or missing)."""
    try:
        head = safefs.read_own(path, 64)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return not head or INDEX_MARK.match(head) is not None


def remove_own(
    folder: Path,
    keep: set[str],
    older_than: float | None = None,
    names: set[str] | None = None,
) -> None:
    """Delete the files of the shards' folder that are tuibrowser's (:data:`OWN_NAME`, regular
    files of this user's), but for ``keep`` and those newer than ``older_than`` seconds.
    ``names``: the folder's names as listed already (under the cache's lock): only those not
    kept are looked at, not every file (a refresh keeps nearly all of 4,000 at 10,000
    meetings); a file written since is newer, and kept (``older_than`` is then given)."""
    cutoff = None if older_than is None else time.time() - older_than
    if names is not None and cutoff is not None:
        for name in sorted(names.difference(keep)):
            if not OWN_NAME.fullmatch(name):
                continue
            try:
                st = os.lstat(folder / name)
                if safefs.file_problem(st) or st.st_mtime >= cutoff:
                    continue
                os.unlink(folder / name)
            except OSError:
                pass
        return
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name in keep or not OWN_NAME.fullmatch(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if safefs.file_problem(st) or (cutoff is not None and st.st_mtime >= cutoff):
                continue
            os.unlink(entry.path)
        except OSError:
            pass
