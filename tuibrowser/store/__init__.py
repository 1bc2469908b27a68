"""The per-user cache of parsed meeting files (see :mod:`.cache` for how it is made).

- :mod:`.fs`: atomic writes, the writer lock, private folders;
- :mod:`.safefs`, :mod:`.own`: whose files the cache (and the seen state, and the keymap) may
  trust and touch;
- :mod:`.paths`: the user's cache, state and config folders;
- :mod:`.layout`: the format on disk (the index's metadata, the names of the parts);
- :mod:`.reader`: the index, the meeting list, the library, a meeting's texts;
- :mod:`.indexer`: a refresh (plan, build, commit), with :mod:`.parse` (one file),
  :mod:`.shards` (one shard), :mod:`.redact` (a public cache) and :mod:`.workers` (the pool);
- :mod:`.db`: the TinyDB databases;
- :mod:`.protocol`: :class:`MeetingStore`, what the browser, the command line and the exports
  ask of a store; :mod:`.files`: the files read straight (``--no-cache``); :mod:`.loading`:
  :func:`open_store` and :func:`load_library`, the one way to a store and its library.

The package imports nothing at its top: each name here is imported from its module the first
time it is asked for, so a command that needs one module (a search on a store) does not
import them all.
"""

from __future__ import annotations

from ..lazy import lazy_names

# (False, not typing's: imported before the walk's child is forked (store.prescan), which
# typing's import, 4 ms, would delay)
TYPE_CHECKING = False

if TYPE_CHECKING:
    from .cache import LOCK_TIMEOUT, Cache, open_library
    from .files import FileStore, read_files
    from .fs import STALE_TEMP_SECONDS, CacheLock, LockTimeout, atomic_write, ensure_private_dir
    from .layout import CACHE_VERSION, FIRST_PAGE
    from .loading import load_library, open_store, update_store
    from .paths import APP_NAME, cache_file_for
    from .protocol import MeetingStore
    from .reader import ListHead
    from .report import REFUSED, CacheUnavailable, IndexReport

__all__ = [
    "APP_NAME",
    "CACHE_VERSION",
    "FIRST_PAGE",
    "LOCK_TIMEOUT",
    "REFUSED",
    "STALE_TEMP_SECONDS",
    "Cache",
    "FileStore",
    "CacheLock",
    "CacheUnavailable",
    "IndexReport",
    "ListHead",
    "LockTimeout",
    "MeetingStore",
    "atomic_write",
    "cache_file_for",
    "ensure_private_dir",
    "load_library",
    "open_library",
    "open_store",
    "read_files",
    "update_store",
]

# each name's module, imported the first time the name is asked for
_WHERE = {
    "LOCK_TIMEOUT": "cache",
    "Cache": "cache",
    "open_library": "cache",
    "FileStore": "files",
    "read_files": "files",
    "STALE_TEMP_SECONDS": "fs",
    "CacheLock": "fs",
    "LockTimeout": "fs",
    "atomic_write": "fs",
    "ensure_private_dir": "fs",
    "CACHE_VERSION": "layout",
    "FIRST_PAGE": "layout",
    "load_library": "loading",
    "open_store": "loading",
    "update_store": "loading",
    "APP_NAME": "paths",
    "cache_file_for": "paths",
    "MeetingStore": "protocol",
    "ListHead": "reader",
    "REFUSED": "report",
    "CacheUnavailable": "report",
    "IndexReport": "report",
}


__getattr__ = lazy_names(__name__, _WHERE, globals())
