"""The browser's first page read through libpq itself (ctypes), without importing psycopg.

Importing psycopg costs about a third of what a bare Textual app's first frame does, and it
ran under the same interpreter lock as Textual's import. The first frame needs one query
(:data:`.store.FIRST_SQL`): this module makes the connection and runs it with the libpq that
psycopg's binary package ships (found beside it, not imported), and every libpq call lets the
interpreter lock go, so the connection's round trips and the server's work overlap Textual's
import. psycopg is imported after the first frame, when the store is next used.

This is a shortcut, never a second way to decide: :func:`first_row` gives the row only when
everything went as it should (connected; with ``public``, the role ``tuibrowser_public`` set
and checked as :func:`.connect.become_public` checks it; the query answered), and None
otherwise — the caller then reads the page through psycopg as before, which tells any error
(a server not reached, a role refused, a store of a newer schema) as it always has.
"""

from __future__ import annotations

import ctypes
import glob
import os
from collections.abc import Sequence
from importlib.util import find_spec

from .connect import CONNECT_TIMEOUT, PUBLIC_ROLE

_OK = 0  # CONNECTION_OK
_COMMAND_OK, _TUPLES_OK = 1, 2  # PGRES_COMMAND_OK, PGRES_TUPLES_OK
_lib: ctypes.CDLL | None = None


def _library() -> ctypes.CDLL | None:
    """psycopg's binary package's libpq, loaded (None when there is none to load)."""
    global _lib
    if _lib is not None:
        return _lib
    try:
        spec = find_spec("psycopg_binary")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    package = list(spec.submodule_search_locations)[0]
    found = sorted(
        glob.glob(os.path.join(os.path.dirname(package), "psycopg_binary.libs", "libpq*"))
    )
    if len(found) != 1:
        return None
    try:
        lib = ctypes.CDLL(found[0])
    except OSError:
        return None
    p, s, i, pp = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)
    for name, args, result in (
        ("PQconnectdbParams", [pp, pp, i], p),
        ("PQstatus", [p], i),
        ("PQfinish", [p], None),
        ("PQexec", [p, s], p),
        ("PQexecParams", [p, s, i, p, pp, p, p, i], p),
        ("PQresultStatus", [p], i),
        ("PQntuples", [p], i),
        ("PQnfields", [p], i),
        ("PQgetisnull", [p, i, i], i),
        ("PQgetvalue", [p, i, i], p),
        ("PQgetlength", [p, i, i], i),
        ("PQftype", [p, i], ctypes.c_uint),
        ("PQclear", [p], None),
    ):
        fn = getattr(lib, name)
        fn.argtypes, fn.restype = args, result
    _lib = lib
    return lib


def _strings(values: Sequence[bytes | None]) -> ctypes.Array[ctypes.c_char_p]:
    return (ctypes.c_char_p * len(values))(*values)


class _Conn:
    """One libpq connection, used by one thread, then finished."""

    def __init__(self, lib: ctypes.CDLL, url: str) -> None:
        self.lib = lib
        keys = [b"dbname", b"connect_timeout", b"application_name", b"client_encoding"]
        values = [url.encode(), str(CONNECT_TIMEOUT).encode(), b"tuibrowser", b"UTF8"]
        self._keys, self._values = _strings([*keys, None]), _strings([*values, None])
        self.conn = lib.PQconnectdbParams(self._keys, self._values, 1)

    def ok(self) -> bool:
        return bool(self.conn) and self.lib.PQstatus(self.conn) == _OK

    def rows(self, sql: str, params: list[str] | None = None) -> list[list[str | None]] | None:
        """The rows of ``sql`` (each value as text, None for NULL); None when it failed."""
        lib = self.lib
        args = [p.encode() for p in params or []]
        res = lib.PQexecParams(self.conn, sql.encode(), len(args), None, _strings(args), None, None, 0)  # fmt: skip
        if not res:
            return None
        try:
            status = lib.PQresultStatus(res)
            if status == _COMMAND_OK:
                return []
            if status != _TUPLES_OK:
                return None
            return [
                [
                    None
                    if lib.PQgetisnull(res, r, c)
                    else ctypes.string_at(
                        lib.PQgetvalue(res, r, c), lib.PQgetlength(res, r, c)
                    ).decode()
                    for c in range(lib.PQnfields(res))
                ]
                for r in range(lib.PQntuples(res))
            ]
        finally:
            lib.PQclear(res)

    def close(self) -> None:
        if self.conn:
            self.lib.PQfinish(self.conn)
            self.conn = None


def first_row(url: str, sql: str, params: list[str], public: bool) -> list[str | None] | None:
    """The one row of ``sql`` (with ``params`` as ``$1``, ``$2``…), read on a new connection
    that is then closed; with ``public``, as the role ``tuibrowser_public`` with row security
    on, checked. None when any of that could not be had (the caller then goes through
    psycopg, which tells why)."""
    lib = _library()
    if lib is None:
        return None
    conn = _Conn(lib, url)
    try:
        if not conn.ok():
            return None
        if public and not _become_public(conn):
            return None
        found = conn.rows(sql, params)
        return found[0] if found and len(found) == 1 else None
    finally:
        conn.close()


def _become_public(conn: _Conn) -> bool:
    """``SET ROLE tuibrowser_public`` and row security on, then checked as
    :func:`.connect.become_public` checks them: the role in force, no superuser, no bypass of
    row-level security."""
    if conn.rows(f"SET ROLE {PUBLIC_ROLE}") != [] or conn.rows("SET row_security = on") != []:
        return False
    found = conn.rows(
        "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    )
    return found == [[PUBLIC_ROLE, "f", "f"]]
