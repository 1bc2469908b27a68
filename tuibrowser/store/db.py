"""The cache's TinyDB databases: TinyDB's layout (table → document id → document) in orjson.

The index, the catalog and each shard are TinyDB databases (written and read by a refresh
without TinyDB, :mod:`.tables`) that TinyDB opens through
:class:`OrjsonStorage`, its documented extension point::

    from tinydb import Query, TinyDB
    from tuibrowser.store.db import OrjsonStorage

    with TinyDB(shard_path, storage=OrjsonStorage) as db:
        db.table("documents").search(Query().document.date == "2018-05-24")

This module imports TinyDB: the first frame, painted from the index alone, does not import it
(see :meth:`.reader.CacheReader._load_raw`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage

from . import fs, safefs
from .tables import NotADatabase, parse_tables, write_tables

__all__ = ["NotADatabase", "OrjsonStorage", "open_db", "table_of", "write_tables"]


class OrjsonStorage(Storage):
    """TinyDB storage: orjson, read only from this user's own files (no link followed, see
    :func:`.safefs.read_own`) and written atomically (:func:`.fs.atomic_write`, mode 0600).

    The file is read once and kept: the cache never rewrites a part in place (a new part gets
    a new name, and a new index replaces the old one whole), so what TinyDB reads again is
    what it read first, and a reader holds one generation. A missing file raises
    ``FileNotFoundError`` (the cache's reader starts again from the index) unless ``create``
    is given, when it is an empty database. ``sync=False`` leaves out the fsync of a write.
    """

    def __init__(
        self, path: str | os.PathLike[str], create: bool = False, sync: bool = True, **_: Any
    ) -> None:
        self.path = Path(path)
        self._create = create
        self._sync = sync
        self._data: dict[str, Any] | None = None

    def read(self) -> dict[str, Any] | None:
        if self._data is None:
            try:
                raw = safefs.read_own(self.path)
            except FileNotFoundError:
                if self._create:
                    return None
                raise
            if not raw and self._create:
                return None
            self._data = parse_tables(raw, self.path)
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        # orjson writes the records (dataclasses) as dicts itself, at C speed
        fs.atomic_write(self.path, orjson.dumps(data), self._sync)
        self._data = data

    def close(self) -> None:
        self._data = None


def open_db(path: Path) -> TinyDB:
    """The TinyDB database of one of the cache's parts, to read (see :class:`OrjsonStorage`)."""
    return TinyDB(path, storage=OrjsonStorage)


def table_of(db: TinyDB, name: str):
    """The table ``name`` of ``db``; ``KeyError`` when the database has none (TinyDB would
    give an empty table: a part without its table is damaged, and built again)."""
    if name not in db.tables():
        raise KeyError(name)
    return db.table(name)
