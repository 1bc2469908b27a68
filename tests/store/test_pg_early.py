"""The browser's first page from a PostgreSQL store, read in one round trip while Textual is
imported (tuibrowser.store.pg.early): the same page and count as the store's list, and a store
that cannot be read stops the browser with one line before it starts. On a real server."""

from __future__ import annotations

import subprocess
import sys
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
def test_the_early_page_is_the_first_page_and_its_store_goes_on(ingested, public):
    from tuibrowser.store.pg.early import EarlyHead
    from tuibrowser.store.pg.store import PgStore

    early = EarlyHead(ingested, CORPUS, public).start()
    head = early.result()
    store = PgStore(ingested, CORPUS, public=public)
    try:
        assert head == store.head()
        # the browser goes on with the early store: connected once when next used
        assert early.store.rows() == store.rows()
        conn = early.store._conn
        assert early.store.rows() == store.rows() and early.store._conn is conn
    finally:
        early.store.close()
        store.close()


@pytest.mark.parametrize("limit", [1, 3, 200])
@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
def test_the_page_read_through_libpq_is_the_page_psycopg_reads(ingested, public, limit):
    from tuibrowser.store.pg.store import PgStore

    store = PgStore(ingested, CORPUS, public=public)
    try:
        quick = store.first_quick(limit)
        assert quick is not None and quick == store.first(limit)
    finally:
        store.close()


def test_the_early_page_is_read_without_importing_psycopg(ingested):
    """So it does not hold up Textual's import (one interpreter lock)."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tuibrowser.store.pg.early import EarlyHead\n"
        f"head = EarlyHead({ingested!r}, Path({str(CORPUS)!r}), False).start().result()\n"
        "assert head is not None and head.rows, head\n"
        "print('psycopg' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("role", ["BYPASSRLS", "SUPERUSER"])
def test_the_page_read_through_libpq_fails_closed_for_a_public_role_that_sees_everything(
    ingested, role
):
    """A public role that bypasses row security (or is a superuser) gives no page through
    libpq: psycopg's path then refuses, as it always has."""
    import psycopg

    from tuibrowser.store.pg.store import PgStore

    with psycopg.connect(ingested, autocommit=True) as conn:
        conn.execute(f"ALTER ROLE tuibrowser_public {role}")
    try:
        quick = PgStore(ingested, CORPUS, public=True).first_quick()
    finally:
        with psycopg.connect(ingested, autocommit=True) as conn:
            conn.execute(f"ALTER ROLE tuibrowser_public NO{role}")
    assert quick is None


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
