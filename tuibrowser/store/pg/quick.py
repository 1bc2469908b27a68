"""A search of the store through libpq itself (ctypes), without importing psycopg:
``tuibrowser search QUERY DIR --store URL`` in its plain form (:mod:`tuibrowser.cli.fast`).

A search is a short process: importing psycopg cost about as much as the search's own work.
:func:`search` connects with the libpq of psycopg's binary package (:mod:`.libpq`) and runs
the store's own search (:class:`.search.PgSearch`) over :class:`QuickConnection`, the one
call of a psycopg connection that search makes (``execute``, its rows fetched), each value
read by its type as psycopg reads it.

This is a shortcut, never a second way to decide, as the first frame's (:mod:`.libpq`): the
answer is given only when everything went as it should (connected; with ``public``, the role
``tuibrowser_public`` set and checked; a schema this tuibrowser knows; the folder found; every
query answered and every value one read here), and None otherwise — the command then searches
through psycopg as before, which tells any error as it always has.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import libpq
from .connect import READER_SETTINGS

if TYPE_CHECKING:
    from ...search.results import Results

_BOOL, _INT8, _INT2, _INT4, _TEXT, _VARCHAR, _TEXT_ARRAY = 16, 20, 21, 23, 25, 1043, 1009
_TEXTS = (_TEXT, _VARCHAR)
_INTS = (_INT2, _INT4, _INT8)
_PLACEHOLDER = re.compile(r"%[s%]")
_ELEMENT = re.compile(r'"((?:[^"\\]|\\.)*)"|([^,{}"\\]+)', re.S)
_ARRAY = re.compile(rf"(?:{_ELEMENT.pattern})(?:,(?:{_ELEMENT.pattern}))*", re.S)
_ESCAPED = re.compile(r"\\(.)", re.S)

# the folder (the one ingested from the real path, or the only one) and the schema's version,
# as :meth:`.store.PgStore.folder` finds them
FOLDER_SQL = (
    "SELECT (SELECT max(version) FROM schema_version), coalesce("
    "(SELECT id FROM folders WHERE path = %s), (SELECT min(id) FROM folders HAVING count(*) = 1))"
)


class QuickError(Exception):
    """A query failed, or gave a value not read here: psycopg searches instead."""


def search(url: str, root: Path, public: bool, query: str, limit: int | None) -> Results | None:
    """The hits of ``query`` in the store ``url`` of the folder ``root`` (``public``: as the
    role ``tuibrowser_public``, checked), as :meth:`.store.PgStore.search_store` finds them;
    None when that could not be had here (the caller then searches through psycopg)."""
    lib = libpq._library()
    if lib is None:
        return None
    conn = libpq._Conn(lib, url)
    try:
        if not conn.ok() or (public and not libpq._become_public(conn)):
            return None
        quick = QuickConnection(conn)
        quick.execute(READER_SETTINGS)
        found = quick.execute(FOLDER_SQL, (str(Path(root).resolve()),)).fetchone()
        if found is None or found[0] is None or found[1] is None:
            return None
        from .migrate import latest

        if found[0] > latest():
            return None
        from .search import PgSearch

        return PgSearch(quick, found[1], public).query(query, limit)
    except Exception:  # noqa: BLE001 - a shortcut only: psycopg searches otherwise, and tells
        return None
    finally:
        conn.close()


class QuickConnection:
    """What :class:`.search.PgSearch` asks of a psycopg connection (``execute``, then
    ``fetchall`` or ``fetchone``), on a libpq one: each statement its own transaction."""

    def __init__(self, conn: libpq._Conn) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> _Rows:
        return _Rows(self.rows(sql, params))

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of ``sql`` (its ``%s`` given ``params``), each value as psycopg reads it.
        Raises :class:`QuickError` when it failed or gave a value of another type."""
        lib, n = self._conn.lib, iter(range(1, len(params) + 1))
        text = _PLACEHOLDER.sub(lambda m: "%" if m.group() == "%%" else f"${next(n)}", sql)
        args = [_param(p) for p in params]
        res = lib.PQexecParams(
            self._conn.conn, text.encode(), len(args), None, _values(args), None, None, 0
        )
        if not res:
            raise QuickError("no result")
        try:
            status = lib.PQresultStatus(res)
            if status == libpq._COMMAND_OK:
                return []
            if status != libpq._TUPLES_OK:
                raise QuickError("the statement failed")
            readers = [_reader(lib.PQftype(res, c)) for c in range(lib.PQnfields(res))]
            value, isnull = _value_of(lib), lib.PQgetisnull
            return [
                tuple(
                    None if not v and isnull(res, r, c) else read(v)
                    for c, read in enumerate(readers)
                    for v in (value(res, r, c),)
                )
                for r in range(lib.PQntuples(res))
            ]
        finally:
            lib.PQclear(res)


class _Rows:
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None


def _param(value: Any) -> bytes | None:
    """A parameter as text, as PostgreSQL reads it (its type inferred from the statement)."""
    if value is None:
        return None
    if isinstance(value, bool):
        text = "t" if value else "f"
    elif isinstance(value, int | str):
        text = str(value)
    elif isinstance(value, list | tuple):
        text = "{" + ",".join(_element(v) for v in value) + "}"
    else:
        raise QuickError(f"a parameter of type {type(value).__name__}")
    if "\x00" in text:
        raise QuickError("a NUL in a parameter")
    return text.encode()


def _element(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise QuickError("an array's element")
    if isinstance(value, int):
        return str(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_VALUE: dict[int, Any] = {}


def _value_of(lib: ctypes.CDLL) -> Any:
    """``PQgetvalue`` giving the value's bytes (a value as text holds no NUL): one call a
    value, where its address and length were three."""
    fn = _VALUE.get(id(lib))
    if fn is None:
        fn = lib["PQgetvalue"]  # a function object of its own: libpq.py's keeps its types
        fn.argtypes, fn.restype = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int], ctypes.c_char_p
        _VALUE[id(lib)] = fn
    return fn


def _values(args: list[bytes | None]) -> ctypes.Array[ctypes.c_char_p]:
    return (ctypes.c_char_p * max(1, len(args)))(*args)


def _reader(oid: int) -> Any:
    """How a value of the type ``oid`` is read; :class:`QuickError` for a type not read here."""
    if oid in _TEXTS:
        return _text
    if oid in _INTS:
        return int
    if oid == _BOOL:
        return _bool
    if oid == _TEXT_ARRAY:
        return text_array
    raise QuickError(f"a value of the type {oid}")


def _text(raw: bytes) -> str:
    return raw.decode()


def _bool(raw: bytes) -> bool:
    if raw not in (b"t", b"f"):
        raise QuickError("a boolean")
    return raw == b"t"


def text_array(raw: bytes) -> list[str | None]:
    """A one-dimensional ``text[]`` as PostgreSQL writes it (``{a,"b c",NULL}``)."""
    text = raw.decode()
    if len(text) < 2 or text[0] != "{" or text[-1] != "}":
        raise QuickError("an array")
    body = text[1:-1]
    if not body:
        return []
    if '"' not in body:  # no element quoted: none holds a comma, a brace, a space nor "\"
        items = body.split(",")
        if "{" in body or "}" in body or "\\" in body or "" in items:
            raise QuickError("an array's element")
        return [None if item == "NULL" else item for item in items]
    if not _ARRAY.fullmatch(body):
        raise QuickError("an array's element")
    # (an element bare is one character or more; a quoted one may be empty)
    return [
        (None if bare == "NULL" else bare)
        if bare
        else (_ESCAPED.sub(r"\1", quoted) if "\\" in quoted else quoted)
        for quoted, bare in _ELEMENT.findall(body)
    ]
