"""Values worked out once per library: the search index, the topics, … kept while it lives."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .library import Library

T = TypeVar("T")
_CACHE: dict[tuple[int, str], tuple[weakref.ref[Library], Any]] = {}
_CACHE_LOCK = threading.Lock()
_BUILD_LOCK = threading.RLock()  # re-entrant: a build may use another per-library value


def per_library(library: Library, name: str, build: Callable[[Library], T]) -> T:
    """``build(library)``, computed once per library object and kept while it lives."""
    key = (id(library), name)
    with _CACHE_LOCK:
        entry = _CACHE.get(key)
        if entry is not None and entry[0]() is library:
            return entry[1]
    with _BUILD_LOCK:  # one build at a time: a second caller waits and reuses the first's
        with _CACHE_LOCK:
            entry = _CACHE.get(key)
            if entry is not None and entry[0]() is library:
                return entry[1]
        value = build(library)
    with _CACHE_LOCK:
        entry = _CACHE.get(key)
        if entry is not None and entry[0]() is library:
            return entry[1]

        def forget(
            _ref: weakref.ref[Library], key: tuple[int, str] = key, cache: dict = _CACHE
        ) -> None:
            # (the dict is bound here: at exit, module globals are gone before the libraries)
            cache.pop(key, None)

        _CACHE[key] = (weakref.ref(library, forget), value)
    return value
