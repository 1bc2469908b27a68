"""The cache's databases read and written without TinyDB: TinyDB's layout (table → document
id → document) in orjson, as :class:`.db.OrjsonStorage` reads and writes it.

A refresh reads the catalog and a shard's documents and writes the index, the catalog and its
journal through here: importing TinyDB was a tenth of the imports of a refresh that found
nothing changed, for a table looked up by name. A script opens the same files with TinyDB
(:mod:`.db`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from ..packed import pack, unpack
from . import fs, safefs

_ZLIB = b"\x78"  # the first byte of a zlib stream; JSON starts with "{"


class NotADatabase(ValueError):
    """The file is JSON, but not TinyDB's layout (an object of tables, each an object)."""


def read_tables(path: Path) -> dict[str, Any]:
    """The tables of the database at ``path``, read only from this user's own file (no link
    followed, see :func:`.safefs.read_own`), whole or packed; raises ``FileNotFoundError``,
    OSError, ``orjson.JSONDecodeError`` or :class:`NotADatabase`."""
    raw = safefs.read_own(path)
    return parse_tables(raw, path)


def parse_tables(raw: bytes, path: Path) -> dict[str, Any]:
    """The tables of ``raw``, a database's bytes (``path`` for the message of a bad one)."""
    if raw[:1] == _ZLIB:  # a shard's documents, packed (see tuibrowser.packed)
        raw = unpack(raw)
    data = orjson.loads(raw)
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise NotADatabase(f"{path} is not a TinyDB database")
    return data


def table(data: dict[str, Any], name: str) -> dict[str, Any]:
    """The table ``name`` of a database's tables (document id → document); ``KeyError`` when
    it has none (TinyDB would give an empty table: a part without its table is damaged, and
    built again)."""
    if name not in data:
        raise KeyError(name)
    return data[name]


def write_tables(
    path: Path, tables: dict[str, list[Any]], sync: bool = True, packed: bool = False
) -> None:
    """Write a TinyDB database of ``tables`` in one atomic write (``packed``: as one zlib
    stream, which :class:`.db.OrjsonStorage` reads as it reads a packed shard).

    The database is written whole, in TinyDB's own layout (table → document id → document),
    as ``insert_multiple`` would build it: going through TinyDB's tables would copy every
    document once more, and a catalog holds tens of thousands.
    """
    data = {name: {str(n): row for n, row in enumerate(rows, 1)} for name, rows in tables.items()}
    payload = orjson.dumps(data)  # (orjson writes the records, dataclasses, as dicts itself)
    fs.atomic_write(path, pack(payload) if packed else payload, sync)
