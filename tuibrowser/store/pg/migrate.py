"""The store's schema, versioned: the numbered SQL files of ``migrations/`` (``0001_….sql``,
``0002_….sql``…), applied in order, each once, in one transaction under an advisory lock, and
recorded in the table ``schema_version``. Readers only check the version."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from .connect import FULL_ROLE, PUBLIC_ROLE, StoreError

if TYPE_CHECKING:
    import psycopg

# pg_advisory_xact_lock's key for migrations (any fixed number: "tuibrowser" in hex, cut)
MIGRATION_LOCK = 0x747569627277
NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """Every migration shipped: (number, file name, SQL), in order."""
    from importlib import resources

    found = []
    for f in resources.files(__package__).joinpath("migrations").iterdir():
        m = NAME.match(f.name)
        if m:
            found.append((int(m.group(1)), f.name, f.read_text(encoding="utf-8")))
    found.sort()
    return found


def latest() -> int:
    """The number of the last migration shipped, from the files' names alone (a reader checks
    the store's version against it: no SQL to read, nor importlib.resources to import)."""
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "migrations")
    return max(int(m.group(1)) for name in os.listdir(folder) if (m := NAME.match(name)))


def migrate(conn: psycopg.Connection) -> int:
    """Apply the migrations this store lacks, in one transaction; the version it is at. A
    store already at the latest version is told by one query, without the lock."""
    import psycopg

    version = _version(conn)
    if version is not None and version >= latest():
        return version
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                " version integer PRIMARY KEY, name text NOT NULL,"
                " applied timestamptz NOT NULL DEFAULT now())"
            )
            done = current(conn) or 0
            for number, name, sql in migrations():
                if number > done:
                    conn.execute(sql.encode("utf-8"))
                    conn.execute(
                        "INSERT INTO schema_version (version, name) VALUES (%s, %s)",
                        (number, name),
                    )
                    done = number
            conn.execute(f"GRANT SELECT ON schema_version TO {PUBLIC_ROLE}, {FULL_ROLE}")
    except psycopg.Error as exc:
        raise StoreError(f"cannot set up the store's tables: {_first_line(exc)}") from exc
    return done


def _version(conn: psycopg.Connection) -> int | None:
    """The version the store is at, in one query (None: no schema yet, or it cannot be read);
    the transaction it took is ended."""
    import psycopg

    try:
        row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    except psycopg.Error:
        row = None
    if not conn.broken:
        conn.rollback()
    return int(row[0]) if row and row[0] is not None else None


def current(conn: psycopg.Connection) -> int | None:
    """The version the store is at, or None when it has no tables yet."""
    found = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not found or not found[0]:
        return None
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else None


def check(conn: psycopg.Connection) -> bool:
    """Whether a reader can use the store: False when it has no tables yet (nothing ingested);
    :class:`StoreError` when it was made by a newer tuibrowser."""
    version = current(conn)
    conn.rollback()
    if version is None:
        return False
    if version > latest():
        raise StoreError(f"the store is at schema {version}, newer than this tuibrowser knows")
    return True


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
