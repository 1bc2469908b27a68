"""The one way to get a store and its library: :func:`open_store`, :func:`load_library`.

When the cache cannot be used now (locked by another process too long, or a folder this user
may not write), the files are read instead and the report says why (``IndexReport.unused``);
when what it holds cannot be read, it is set aside and built again (``rebuilt``). The browser,
the command line and the exports all go this way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .files import read_files
from .memory import give_back_memory
from .report import CacheUnavailable, IndexReport

if TYPE_CHECKING:
    from ..library import Library
    from .indexer import Progress
    from .protocol import MeetingStore


def open_store(
    root: Path,
    cache_path: Path | None = None,
    no_cache: bool = False,
    public: bool = False,
    store_url: str | None = None,
    ingest: bool = False,
) -> MeetingStore:
    """The store of the meetings folder ``root``: the per-user cache (or the cache file
    ``cache_path``), or with ``no_cache`` the files read straight, or with a ``store_url``
    (``postgresql://…``) the shared PostgreSQL store, which ``ingest`` brings up to date
    with the folder. Nothing is read yet."""
    if store_url:
        from .pg.store import PgStore  # psycopg is imported only here, when one is used

        return PgStore(store_url, root, public=public, ingest=ingest)
    if no_cache:
        from .files import FileStore

        return FileStore(root, public)
    from .cache import Cache

    return Cache(root, cache_path, public=public)


def update_store(store: MeetingStore, progress: Progress | None = None) -> IndexReport:
    """Bring ``store`` up to date with the files, or read the files when it cannot be used
    now (the report's ``unused`` says why)."""
    return _update(store, progress)[0]


def load_library(
    store: MeetingStore,
    progress: Progress | None = None,
    texts: bool = True,
    listed: Callable[[IndexReport], None] | None = None,
) -> tuple[Library, IndexReport]:
    """The library of ``store``, up to date with the files, and what the update did.

    ``listed`` is called once the store is up to date, before its library is read (the
    browser shows the meeting list then). Without ``texts``, see :meth:`MeetingStore.load`.
    When the store cannot be used now, or what it holds cannot be read even once built
    again, the library is read straight from the files.
    """
    report, lib = _update(store, progress)
    if lib is not None:
        return lib, report
    if report.read:
        give_back_memory()
    if listed is not None:
        listed(report)
    lib = store.load(texts)
    if lib is None:
        try:
            again = store.repair(progress)
        except (OSError, CacheUnavailable):
            again = None
        if again is not None:
            report = again
            lib = store.load(texts)
    if lib is None:  # set aside by another process meanwhile: go to the files
        lib, _ = read_files(store.root, store.public)
    return lib, report


def _update(store: MeetingStore, progress: Progress | None) -> tuple[IndexReport, Library | None]:
    """The store's update, or (the store cannot be used now) the files read: their report
    and library."""
    try:
        return store.update(progress), None
    except CacheUnavailable as exc:
        lib, report = read_files(store.root, store.public)
        report.unused = str(exc)
        return report, lib
