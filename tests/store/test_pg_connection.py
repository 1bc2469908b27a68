"""The store's one connection: shared by the browser's threads, made again when the server
drops it, and every connection made — the first or a later one — is checked as the first was
(``--public``: the public role in force and row-level security on it, or refused). On a real
server."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "meetings"


@pytest.fixture(scope="module")
def ingested(pg_cluster) -> str:
    from tuibrowser.store.pg.store import PgStore

    url = pg_cluster.create_database("connection")
    PgStore(url, CORPUS, ingest=True).update()
    return url


def drop_connection(url: str, pid: int) -> None:
    """End the server's side of a connection, as a restart or a fail-over does."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
def test_a_dropped_connection_is_made_again_as_the_first_was(ingested, public):
    from tuibrowser.store.pg.store import PgStore

    store = PgStore(ingested, CORPUS, public=public)
    try:
        rows = store.rows()
        assert rows and store._conn is not None
        pid = store._conn.info.backend_pid
        drop_connection(ingested, pid)
        assert store.rows() == rows  # the same list, on a new connection
        conn = store._conn
        assert conn is not None and conn.info.backend_pid != pid
        user = conn.execute("SELECT current_user").fetchone()
        conn.rollback()
        assert user is not None and (user[0] == "tuibrowser_public") == public
    finally:
        store.close()


def test_a_public_connection_made_again_is_refused_when_the_role_no_longer_holds(ingested):
    import psycopg

    from tuibrowser.store.pg.connect import StoreError
    from tuibrowser.store.pg.store import PgStore

    store = PgStore(ingested, CORPUS, public=True)
    try:
        assert store.rows()
        assert store._conn is not None
        with psycopg.connect(ingested, autocommit=True) as conn:
            conn.execute("ALTER ROLE tuibrowser_public BYPASSRLS")
        try:
            drop_connection(ingested, store._conn.info.backend_pid)
            with pytest.raises(StoreError, match="refusing"):
                store.rows()
        finally:
            with psycopg.connect(ingested, autocommit=True) as conn:
                conn.execute("ALTER ROLE tuibrowser_public NOBYPASSRLS")
    finally:
        store.close()
