"""Values worked out once per library: the search index, the topics, … kept while it lives.

They are kept on the library itself (``Library._memo``), so that they go when it goes: a
value that refers back to its library (the search index does) must not keep it alive, as a
table of its own here would (the browser replaces its library when the folder changes, and
every library it had searched stayed in memory, with its open search files).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    from .library import Library

T = TypeVar("T")
_LOCK = threading.Lock()
_BUILD_LOCK = threading.RLock()  # re-entrant: a build may use another per-library value


def per_library(library: Library, name: str, build: Callable[[Library], T]) -> T:
    """``build(library)``, computed once per library object and kept while it lives."""
    memo = library._memo
    with _LOCK:
        if name in memo:
            return cast(T, memo[name])
    with _BUILD_LOCK:  # one build at a time: a second caller waits and reuses the first's
        with _LOCK:
            if name in memo:
                return cast(T, memo[name])
        value = build(library)
        with _LOCK:
            return cast(T, memo.setdefault(name, value))


def kept(library: Library, name: str) -> bool:
    """Whether ``name`` is worked out of ``library`` already (:func:`per_library`)."""
    with _LOCK:
        return name in library._memo
