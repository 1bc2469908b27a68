"""Handing freed memory back to the system while a library is read, and not freeing what a
command that is about to end no longer needs.

Python's own allocator gives the library's records their memory; the catalog's entries, a
shard's bytes and its parsed documents are blocks of the C allocator, which glibc keeps once
freed, between blocks still in use, where the records cannot reuse them.
:func:`give_back_memory` hands them back (``malloc_trim``): after an update that read files
and every few shards, about 5 MB of the browser's peak at 10,000 meetings with one file
changed (after every shard, 16 MB of a library read alone, at a millisecond or two a shard).
Elsewhere than on glibc, nothing is done.

A refresh's plan (an entry, a line and a path for each of the folder's files, the catalog read
by half month) is freed object by object when the refresh returns: 2 to 3 ms of a one-file
refresh at 10,000 meetings. In ``tuibrowser index``, whose process ends once it has said what
it did (:mod:`tuibrowser.cli.leave`), the system takes that memory back at once, so the plan is
held to the end instead (:func:`hold_to_exit`, :func:`held`). Not in ``search``, whose search
comes after its refresh: the plan's memory is wanted for it.
"""

from __future__ import annotations

import sys

# shards read between two hand-backs: a hand-back takes a millisecond or two, a shard ten
SHARDS_PER_TRIM = 4

# what is held to the end of the process (see hold_to_exit); None: freed as usual
_held: list[tuple[object, ...]] | None = None


def give_back_memory() -> None:
    """Hand the memory the C allocator holds free back to the system (on glibc)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        pass


def hold_to_exit() -> None:
    """Say that this process ends as soon as its command's work is done: what is given to
    :func:`held` from now on is kept to the end rather than freed."""
    global _held
    if _held is None:
        _held = []


def held(*objects: object) -> None:
    """Keep ``objects``, no longer needed, to the end of a process that ends as soon as its work
    is done (:func:`hold_to_exit`); in any other (the browser), nothing: they are freed."""
    if _held is not None:
        _held.append(objects)
