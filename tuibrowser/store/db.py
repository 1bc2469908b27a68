"""The cache's TinyDB databases: TinyDB's layout (table → document id → document) in orjson.

The index, the catalog and each shard are TinyDB databases that TinyDB opens through
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

from ..packed import pack, unpack
from . import fs, safefs

_ZLIB = b"\x78"  # the first byte of a zlib stream; JSON starts with "{"


class NotADatabase(ValueError):
    """The file is JSON, but not TinyDB's layout (an object of tables, each an object)."""


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
            if raw[:1] == _ZLIB:  # a shard's documents, packed (see tuibrowser.packed)
                raw = unpack(raw)
            data = orjson.loads(raw)
            if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
                raise NotADatabase(f"{self.path} is not a TinyDB database")
            self._data = data
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


def write_tables(
    path: Path, tables: dict[str, list[Any]], sync: bool = True, packed: bool = False
) -> None:
    """Write a TinyDB database of ``tables`` in one atomic write (``packed``: as one zlib
    stream, which :class:`OrjsonStorage` reads as it reads a packed shard).

    The database is handed to the storage whole, in TinyDB's own layout (table → document id
    → document), as ``insert_multiple`` would build it: going through TinyDB's tables would
    copy every document once more, and a catalog holds tens of thousands.
    """
    data = {name: {str(n): row for n, row in enumerate(rows, 1)} for name, rows in tables.items()}
    if packed:
        fs.atomic_write(path, pack(orjson.dumps(data)), sync)
        return
    storage = OrjsonStorage(path, create=True, sync=sync)
    storage.write(data)
    storage.close()
