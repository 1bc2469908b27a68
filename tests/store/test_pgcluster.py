"""The throwaway PostgreSQL cluster the store tests run on (tests/support/pgcluster.py)."""

from __future__ import annotations

import os

import pytest


def test_the_cluster_answers_on_its_socket_only(pg_url):
    import psycopg

    with psycopg.connect(pg_url) as conn:
        listen = conn.execute("SHOW listen_addresses").fetchone()
        sockets = conn.execute("SHOW unix_socket_directories").fetchone()
        assert listen == ("",)
        assert sockets is not None and os.path.isabs(sockets[0])


def test_the_server_does_not_run_as_root(pg_cluster):
    folder = pg_cluster.base
    assert folder.stat().st_uid != 0 or os.getuid() != 0
    assert folder.stat().st_mode & 0o077 == 0


def test_each_test_gets_its_own_database(pg_db, pg_url):
    assert pg_db != pg_url


@pytest.mark.parametrize(
    "env, outcome",
    [({}, pytest.skip.Exception), ({"TUIBROWSER_REQUIRE_POSTGRES": "1"}, pytest.fail.Exception)],
)
def test_without_the_binaries_the_tests_skip_saying_why_or_fail_in_ci(monkeypatch, env, outcome):
    import pgcluster

    monkeypatch.delenv(pgcluster.REQUIRED, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(pgcluster, "find_bindir", lambda: None)
    with pytest.raises(outcome, match="PostgreSQL server binaries not found: install postgresql"):
        pgcluster.need_bindir()


def test_the_url_reaches_the_cluster_through_its_socket_folder(pg_cluster):
    url = pg_cluster.url("x", "someone")
    assert url == f"postgresql:///x?host={pg_cluster.base}&user=someone"
