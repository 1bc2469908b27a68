"""Connecting to a PostgreSQL store: the URL, told without its password, and a connection
as the store's reader or, with ``public``, as the role ``tuibrowser_public`` (fail closed:
refused unless that role is in force and row-level security applies to it)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ...text import clean

if TYPE_CHECKING:
    import psycopg

SCHEMES = ("postgresql://", "postgres://")
PUBLIC_ROLE = "tuibrowser_public"
FULL_ROLE = "tuibrowser_full"
CONNECT_TIMEOUT = 10
# A reader's session: its queries are short and many readers ask at once, so no JIT compiling
# (a common word's whole sort cost past jit_above_cost, and compiling it took 56 ms: more
# than most searches take) and no parallel workers (with many readers at once, a query's
# extra processes only queue for the same cores). Set once when a reader connects
# (:func:`reader_settings`).
READER_SETTINGS = (
    "SELECT set_config('jit', 'off', false),"
    " set_config('max_parallel_workers_per_gather', '0', false)"
)


class StoreError(Exception):
    """The store cannot be used: a bad URL, a server that cannot be reached, a role refused.
    Its message is one line and never holds a password. Not a
    :class:`~tuibrowser.store.report.CacheUnavailable`: the files are not read instead (a
    reader of a store may not have them, and ``--public`` fails closed); the command stops."""


def is_store_url(text: str | None) -> bool:
    """Whether ``text`` names a PostgreSQL store (``postgresql://`` or ``postgres://``)."""
    return bool(text) and str(text).lower().startswith(SCHEMES)


def shown(url: str) -> str:
    """``url`` as it may be told: without its password (nor any ``password=`` parameter)."""
    text = clean(url, keep_newlines=False)
    text = re.sub(r"(?i)(password=)[^&\s]*", r"\1***", text)
    return re.sub(r"^([a-z]+://[^/@:]*):[^/@]*@", r"\1:***@", text, flags=re.I)


def _reason(exc: BaseException, url: str) -> str:
    """The first line of what went wrong, with any password of ``url`` left out."""
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    try:
        secret = urlsplit(url).password
    except ValueError:
        secret = None
    if secret:
        text = text.replace(secret, "***")
    return text


def connect(url: str, public: bool = False) -> psycopg.Connection:
    """A connection to the store ``url``; with ``public``, as the public role. Raises
    :class:`StoreError` (one line, no password) when that cannot be had."""
    try:
        import psycopg
    except ImportError as exc:
        raise StoreError(
            "a PostgreSQL store needs psycopg: pip install 'tuibrowser[postgres]'"
        ) from exc
    try:
        conn = psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT, application_name="tuibrowser")
    except psycopg.Error as exc:
        raise StoreError(f"cannot reach the store {shown(url)}: {_reason(exc, url)}") from exc
    except (ValueError, TypeError) as exc:
        raise StoreError(f"bad store URL {shown(url)}: {_reason(exc, url)}") from exc
    if public:
        try:
            become_public(conn)
        except BaseException:
            conn.close()
            raise
    return conn


def become_public(conn: psycopg.Connection) -> None:
    """``SET ROLE tuibrowser_public`` and make sure it holds: a role that is no superuser and
    does not bypass row-level security, with row security on. Otherwise :class:`StoreError`:
    ``--public`` never shows the full rows."""
    import psycopg

    try:
        with conn.transaction():
            conn.execute(f"SET ROLE {PUBLIC_ROLE}")
            conn.execute("SET row_security = on")
        row = conn.execute(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        conn.commit()
    except psycopg.Error as exc:
        raise StoreError(
            f"--public: cannot act as the role {PUBLIC_ROLE} ({_reason(exc, '')}); refusing"
        ) from exc
    if row is None or row[0] != PUBLIC_ROLE or row[1] or row[2]:
        raise StoreError(f"--public: the role {PUBLIC_ROLE} is not in force; refusing")


def reader_settings(conn: psycopg.Connection) -> None:
    """A reader's session settings (:data:`READER_SETTINGS`), kept for the connection's life."""
    conn.execute(READER_SETTINGS)
    conn.commit()
