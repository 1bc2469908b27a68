"""The version of the records a folder was made into is kept with it (``folders.records``,
:mod:`tuibrowser.store.pg.stamp`): an ingest that finds another reads every file again and
says why; a store made before the stamp was kept is taken as made by this version."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tuibrowser.export import to_data
from tuibrowser.store import FileStore
from tuibrowser.store.pg import stamp
from tuibrowser.store.pg.store import PgStore

CORPUS = Path(__file__).resolve().parents[2] / "meetings"


def ingest(url: str, root: Path):
    return PgStore(url, root, ingest=True).update()


def stamped(url: str, value: int | None) -> None:
    with psycopg.connect(url) as conn:
        conn.execute("UPDATE folders SET records = %s", (value,))


def records(url: str) -> list:
    with psycopg.connect(url) as conn:
        return [r for (r,) in conn.execute("SELECT records FROM folders")]


@pytest.fixture
def root(tmp_path) -> Path:
    root = tmp_path / "meetings"
    shutil.copytree(CORPUS, root)
    return root


def test_an_ingest_stamps_the_folder_with_this_version(pg_db, root):
    ingest(pg_db, root)
    assert records(pg_db) == [stamp.RECORDS]


def test_a_store_made_before_the_stamp_is_not_read_again(pg_db, root):
    ingest(pg_db, root)
    stamped(pg_db, None)  # as migration 0007 leaves a folder ingested before it
    again = ingest(pg_db, root)
    assert again.read == [] and again.rebuilt is None and again.note is None
    assert records(pg_db) == [stamp.RECORDS]


@pytest.mark.parametrize("other", [stamp.RECORDS - 1, stamp.RECORDS + 1])
def test_records_of_another_version_are_made_again_from_every_file(pg_db, root, other):
    first = ingest(pg_db, root)
    stamped(pg_db, other)
    with psycopg.connect(pg_db) as conn:  # a row the old version made, no longer made
        conn.execute("UPDATE meetings SET row = row || '{\"old\": 1}'")
    again = ingest(pg_db, root)
    assert again.read == first.read and again.removed == [] and again.verified == []
    assert again.rebuilt and f"({other}, now {stamp.RECORDS})" in again.rebuilt
    assert records(pg_db) == [stamp.RECORDS]
    for public in (False, True):
        store = PgStore(pg_db, root, public=public)
        try:
            lib = FileStore(root, public).load()
            assert lib is not None and to_data(store.load()) == to_data(lib)
        finally:
            store.close()
    with psycopg.connect(pg_db) as conn:
        assert conn.execute("SELECT count(*) FROM meetings WHERE row ? 'old'").fetchone() == (0,)
    assert ingest(pg_db, root).read == []  # and once made again, never again


def test_the_index_command_says_why_it_reads_every_file(pg_db, root):
    ingest(pg_db, root)
    stamped(pg_db, stamp.RECORDS + 1)
    done = subprocess.run(
        [sys.executable, "-m", "tuibrowser.cli", "index", str(root), "--store", pg_db],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "another version of the reader" in done.stderr and "rebuilt it" in done.stderr
    assert " 0 unchanged" in done.stdout
