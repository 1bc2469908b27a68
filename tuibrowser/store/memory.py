"""Handing freed memory back to the system while a library is read.

Python's own allocator gives the library's records their memory; the catalog's entries, a
shard's bytes and its parsed documents are blocks of the C allocator, which glibc keeps once
freed, between blocks still in use, where the records cannot reuse them.
:func:`give_back_memory` hands them back (``malloc_trim``): after an update that read files
and every few shards, about 5 MB of the browser's peak at 10,000 meetings with one file
changed (after every shard, 16 MB of a library read alone, at a millisecond or two a shard).
Elsewhere than on glibc, nothing is done.
"""

from __future__ import annotations

import sys

# shards read between two hand-backs: a hand-back takes a millisecond or two, a shard ten
SHARDS_PER_TRIM = 4


def give_back_memory() -> None:
    """Hand the memory the C allocator holds free back to the system (on glibc)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        pass
