"""A search of the store through libpq itself (ctypes), without importing psycopg:
``tuibrowser search QUERY DIR --store URL`` in its plain form (:mod:`tuibrowser.cli.fast`).

A search is a short process: importing psycopg cost about as much as the search's own work.
:func:`search` connects with the libpq of psycopg's binary package (:mod:`.libpq`) and runs
the store's own search (:class:`.search.PgSearch`) over :class:`QuickConnection`, the few
calls of a psycopg connection that search makes (``execute``, ``transaction``, a cursor, a
named cursor read a batch at a time), each value read by its type as psycopg reads it.

This is a shortcut, never a second way to decide, as the first frame's (:mod:`.libpq`): the
answer is given only when everything went as it should (connected; with ``public``, the role
``tuibrowser_public`` set and checked; a schema this tuibrowser knows; the folder found; every
query answered and every value one read here), and None otherwise — the command then searches
through psycopg as before, which tells any error as it always has.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import libpq

if TYPE_CHECKING:
    from ...search.results import Results

_BOOL, _INT8, _INT2, _INT4, _TEXT, _VARCHAR, _TEXT_ARRAY = 16, 20, 21, 23, 25, 1043, 1009
_TEXTS = (_TEXT, _VARCHAR)
_INTS = (_INT2, _INT4, _INT8)
_PLACEHOLDER = re.compile(r"%[s%]")
_ELEMENT = re.compile(r'"((?:[^"\\]|\\.)*)"|([^,{}"\\]+)', re.S)
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
    """What :class:`.search.PgSearch` asks of a psycopg connection, on a libpq one: each
    statement sent on its own (outside :meth:`transaction`, each is its own transaction)."""

    def __init__(self, conn: libpq._Conn) -> None:
        self._conn = conn
        self._depth = 0

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
            return [
                tuple(
                    None
                    if lib.PQgetisnull(res, r, c)
                    else read(
                        ctypes.string_at(lib.PQgetvalue(res, r, c), lib.PQgetlength(res, r, c))
                    )
                    for c, read in enumerate(readers)
                )
                for r in range(lib.PQntuples(res))
            ]
        finally:
            lib.PQclear(res)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A transaction (a savepoint within one), committed at the end, rolled back when
        left by an exception."""
        name = f"quick_{self._depth}"
        self.rows(f"SAVEPOINT {name}" if self._depth else "BEGIN")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            self.rows(f"ROLLBACK TO SAVEPOINT {name}" if self._depth else "ROLLBACK")
            raise
        self._depth -= 1
        self.rows(f"RELEASE SAVEPOINT {name}" if self._depth else "COMMIT")

    def cursor(self, name: str | None = None) -> _Cursor:
        return _Cursor(self, name)


class _Rows:
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None


class _Cursor:
    """A cursor: with a ``name``, a server-side one (``DECLARE``, in a transaction), read
    ``itersize`` rows at a time, as psycopg's named cursor reads them."""

    def __init__(self, conn: QuickConnection, name: str | None) -> None:
        if name is not None and not re.fullmatch(r"[a-z_]+", name):
            raise QuickError("a cursor's name")
        self.conn, self.name, self.itersize = conn, name, 100
        self._rows: list[tuple[Any, ...]] = []
        self._declared = False

    def __enter__(self) -> _Cursor:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._declared:
            self._declared = False
            self.conn.rows(f'CLOSE "{self.name}"')

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        if self.name is None:
            self._rows = self.conn.rows(sql, params)
            return
        self.conn.rows(f'DECLARE "{self.name}" NO SCROLL CURSOR FOR {sql}', params)
        self._declared = True

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        if self.name is None:
            yield from self._rows
            return
        while True:
            batch = self.conn.rows(f'FETCH FORWARD {int(self.itersize)} FROM "{self.name}"')
            yield from batch
            if len(batch) < self.itersize:
                return


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
    body, pos = text[1:-1], 0
    out: list[str | None] = []
    if not body:
        return []
    while True:
        m = _ELEMENT.match(body, pos)
        if m is None:
            raise QuickError("an array's element")
        if m.group(1) is not None:
            out.append(_ESCAPED.sub(r"\1", m.group(1)))
        elif m.group(2) == "NULL":
            out.append(None)
        else:
            out.append(m.group(2))
        pos = m.end()
        if pos == len(body):
            return out
        if body[pos] != ",":
            raise QuickError("an array's element")
        pos += 1
