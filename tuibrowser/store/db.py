"""The cache's TinyDB databases: TinyDB's layout (table → document id → document) in orjson.

TinyDB itself is imported only where a database is written: the first frame, painted from the
index, does not wait for it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson

from . import fs


def write_tables(path: Path, tables: dict[str, list[Any]], sync: bool = True) -> None:
    """Write a TinyDB database of ``tables`` in one atomic write.

    The database is handed to the storage whole, in TinyDB's own layout (table → document id
    → document), as ``insert_multiple`` would build it: going through TinyDB's tables would
    copy every document once more, and a catalog holds tens of thousands.
    """
    data = {name: {str(n): row for n, row in enumerate(rows, 1)} for name, rows in tables.items()}
    storage = _atomic_storage()(path, sync=sync)
    storage.write(data)
    storage.close()


def _atomic_storage():
    """TinyDB storage: orjson, written to a temp file and moved into place atomically."""
    from tinydb.storages import Storage

    class AtomicJSONStorage(Storage):
        def __init__(
            self,
            path: str | os.PathLike[str],
            initial: dict | None = None,
            sync: bool = True,
            **_: Any,
        ):
            self.path = Path(path)
            self._initial = initial
            self._sync = sync

        def read(self) -> dict[str, Any] | None:
            if self._initial is not None:
                data, self._initial = self._initial, None
                return data
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                return None
            return orjson.loads(raw) if raw else None

        def write(self, data: dict[str, Any]) -> None:
            # orjson writes the records (dataclasses) as dicts itself, at C speed
            fs.atomic_write(self.path, orjson.dumps(data), self._sync)

        def close(self) -> None:
            pass

    return AtomicJSONStorage
