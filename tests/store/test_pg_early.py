"""The browser's first page from a PostgreSQL store, read in one round trip while Textual is
imported (tuibrowser.store.pg.early): the same page and count as the store's list, and a store
that cannot be read stops the browser with one line before it starts. On a real server."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tuibrowser.cli import cli

CORPUS = Path(__file__).resolve().parents[2] / "meetings"


@pytest.fixture(scope="module")
def ingested(pg_cluster) -> str:
    from tuibrowser.store.pg.store import PgStore

    url = pg_cluster.create_database("early")
    PgStore(url, CORPUS, ingest=True).update()
    return url


@pytest.mark.parametrize("limit", [1, 3, 200])
@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
def test_the_first_page_is_the_head_of_the_stores_list(ingested, public, limit):
    from tuibrowser.store.pg.store import PgStore, head_of

    store = PgStore(ingested, CORPUS, public=public)
    try:
        every = store.rows()
        first = store.first(limit)
    finally:
        store.close()
    assert every
    head = head_of(first)
    assert head is not None and head.total == len(every)
    assert head.rows == every[:limit]


@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
def test_the_early_page_is_the_first_page_and_its_store_stays_connected(ingested, public):
    from tuibrowser.store.pg.early import EarlyHead
    from tuibrowser.store.pg.store import PgStore

    early = EarlyHead(ingested, CORPUS, public).start()
    head = early.result()
    store = PgStore(ingested, CORPUS, public=public)
    try:
        assert head == store.head()
        # the browser goes on with the early store's connection: no second connect
        conn = early.store._conn
        assert early.store.rows() == store.rows() and early.store._conn is conn
    finally:
        early.store.close()
        store.close()


def test_the_browser_on_a_store_with_nothing_ingested_stops_before_it_starts(pg_db):
    result = CliRunner().invoke(cli, ["open", str(CORPUS), "--store", pg_db])
    assert result.exit_code == 2
    assert "run tuibrowser index DIR --store URL" in result.stderr
    assert "Traceback" not in result.output


def test_the_public_browser_stops_before_it_starts_when_the_role_bypasses_row_security(
    ingested,
):
    import psycopg

    with psycopg.connect(ingested, autocommit=True) as conn:
        conn.execute("ALTER ROLE tuibrowser_public BYPASSRLS")
    try:
        result = CliRunner().invoke(cli, ["open", str(CORPUS), "--public", "--store", ingested])
    finally:
        with psycopg.connect(ingested, autocommit=True) as conn:
            conn.execute("ALTER ROLE tuibrowser_public NOBYPASSRLS")
    assert result.exit_code == 2
    assert "--public" in result.stderr and "refusing" in result.stderr
    assert result.stdout == ""
