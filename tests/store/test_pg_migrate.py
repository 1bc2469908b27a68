"""The PostgreSQL store's schema, versioned: numbered SQL files shipped with the package,
applied once each, in order, by however many ingesters start at once."""

from __future__ import annotations

import threading
import tomllib
from pathlib import Path

from tuibrowser.store.pg.migrate import NAME, current, latest, migrate, migrations

ROOT = Path(__file__).resolve().parents[2]


def test_the_migrations_are_numbered_from_one_without_a_gap():
    found = migrations()
    assert [n for n, _, _ in found] == list(range(1, len(found) + 1))
    assert all(NAME.match(name) for _, name, _ in found)


def test_the_migrations_are_package_data():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = project["tool"]["setuptools"]["package-data"]["tuibrowser.store.pg"]
    assert "migrations/*.sql" in data


def test_each_migration_is_applied_once_however_many_start_at_once(pg_db):
    import psycopg

    versions: list[int] = []

    def run() -> None:
        with psycopg.connect(pg_db) as conn:
            versions.append(migrate(conn))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert versions == [latest()] * 3
    with psycopg.connect(pg_db) as conn:
        assert current(conn) == latest()
        rows = conn.execute("SELECT version, name FROM schema_version ORDER BY 1").fetchall()
    assert rows == [(n, name) for n, name, _ in migrations()]
