"""A re-ingest where one file changed does work in proportion to what changed, not to the
folder: each statement it sends about the whole folder is planned by an index on what changed
(tested on a large catalogue, as the planner sees one), and the catalogue is compared with the
files by what each row keeps of its file's ``stat`` (``files.seen``), not read whole."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import psycopg
import pytest

from tuibrowser.people_figures import figures
from tuibrowser.store import FileStore
from tuibrowser.store.pg import catalogue, views
from tuibrowser.store.pg import ingest as pg_ingest
from tuibrowser.store.pg.store import PgStore
from tuibrowser.store.report import IndexReport

CORPUS = Path(__file__).resolve().parents[2] / "meetings"
NAME = "2018-03-22-improvement-innovation-board-minutes.md"
MIGRATION = Path(pg_ingest.__file__).parent / "migrations" / "0007_reingest.sql"


def ingest(url: str, root: Path) -> IndexReport:
    return PgStore(url, root, ingest=True).update()


@pytest.fixture
def large(pg_db, tmp_path):
    """A store of the seeds whose catalogue, meeting list and half months' views are made
    large (50,000 rows of each kind, analysed): the connection (its changes rolled back at
    the end) and the folder's id."""
    root = tmp_path / "meetings"
    shutil.copytree(CORPUS, root)
    ingest(pg_db, root)
    with psycopg.connect(pg_db) as conn:
        conn.execute("SET work_mem = '64kB'")
        (folder,) = conn.execute("SELECT id FROM folders").fetchone()
        conn.execute(
            "INSERT INTO files (folder, path, public, size, mtime_ns, sha256, entry)"
            " SELECT %s, 'x' || n || '.md', p, 1, 1, '', '{}'"
            " FROM generate_series(1, 50000) AS n, (VALUES (true), (false)) AS v(p)",
            (folder,),
        )
        conn.execute(
            "INSERT INTO meetings (folder, public, id, shard, date, time, board, row)"
            " SELECT %s, p, 'm' || n, (5000 + n / 24) || '-' || lpad((n %% 12 + 1)::text, 2, '0')"
            " || '-' || (n %% 2 + 1), '1000-01-01', '', 'b', '{}'"
            " FROM generate_series(1, 50000) AS n, (VALUES (true), (false)) AS v(p)",
            (folder,),
        )
        conn.execute(
            "INSERT INTO shard_views (folder, public, shard, views)"
            " SELECT folder, public, shard, '{}'::json FROM meetings"
            " WHERE folder = %s AND id LIKE 'm%%' GROUP BY folder, public, shard",
            (folder,),
        )
        conn.execute("ANALYZE")
        yield conn, folder
        conn.rollback()


def plan(conn: psycopg.Connection, sql: str, args: tuple) -> str:
    return "\n".join(r[0] for r in conn.execute("EXPLAIN " + sql, args))


def index_cond(found: str) -> str:
    """What the plan's indexes are searched by (not what their rows are filtered by)."""
    return "\n".join(line for line in found.splitlines() if "Index Cond" in line)


def test_the_public_rows_of_files_gone_are_found_by_their_paths(large):
    """Not by an anti-join of both catalogues (read whole at each re-ingest, and before it
    ``NOT IN (subquery)``, planned as a scan of the subquery for each row: minutes of the
    server at 120,000 files)."""
    conn, folder = large
    found = plan(conn, pg_ingest.UNSHARED_GONE, (folder, ["x7.md"]))
    assert "path = ANY" in index_cond(found), found
    assert "Anti Join" not in found and "Seq Scan" not in found and "SubPlan" not in found, found


def test_a_years_views_are_merged_from_that_years_half_months_alone(large):
    """By the index of the half months (a key begins with its year), not a filter over every
    half month of the folder."""
    conn, folder = large
    found = plan(conn, views.YEAR_PARTS, (folder, False, "6000%"))
    assert "shard >=" in index_cond(found) and "Seq Scan" not in found, found


def test_the_catalogue_rows_of_a_half_month_are_found_by_their_half_month(large):
    conn, folder = large
    conn.execute("UPDATE files SET shard = '6000-01-1' WHERE path = 'x7.md'")
    conn.execute("ANALYZE files")
    found = plan(conn, pg_ingest.SHARD_ENTRIES, (folder, ["6000-01-1"]))
    assert "shard = ANY" in index_cond(found) and "Seq Scan" not in found, found


def test_the_meetings_are_counted_in_the_half_months_written_alone(large):
    conn, folder = large
    found = plan(conn, pg_ingest._COUNT, (folder, False, ["6000-01-1"]))
    assert "shard = ANY" in index_cond(found) and "Seq Scan" not in found, found


def test_a_reingest_counts_no_meeting_of_half_months_it_did_not_write(pg_db, tmp_path):
    """The meetings each list holds are its state's count, less those of the half months
    written again, plus what they hold now: the same as a count of the whole list."""
    root = tmp_path / "meetings"
    shutil.copytree(CORPUS, root)
    ingest(pg_db, root)
    (root / NAME).unlink()
    report = ingest(pg_db, root)
    with psycopg.connect(pg_db) as conn:
        kept = dict(conn.execute("SELECT public, meetings FROM folder_state").fetchall())
        counted = dict(conn.execute("SELECT public, count(*) FROM meetings GROUP BY public"))
    assert kept == counted and report.meetings == counted[False]


def test_the_comparison_reads_whole_only_the_rows_of_files_changed_or_gone(pg_db, tmp_path):
    root = tmp_path / "meetings"
    shutil.copytree(CORPUS, root)
    ingest(pg_db, root)
    text = (root / NAME).read_text(encoding="utf-8")
    (root / NAME).write_text(text + "\nEdited.\n", encoding="utf-8")
    gone = sorted(p.name for p in root.glob("*.md") if p.name != NAME)[0]
    (root / gone).unlink()
    from tuibrowser.scan import scan

    files, _ = scan(root)
    with psycopg.connect(pg_db) as conn:
        (folder,) = conn.execute("SELECT id FROM folders").fetchone()
        report = IndexReport()
        got = catalogue.compare(conn, folder, files, report)
    assert sorted(got.old) == sorted([NAME, gone])
    assert got.removed == [gone] and got.todo == [(str(root / NAME), NAME)]
    assert got.unchanged == len(files) - 1 == report.unchanged


def test_the_migration_keeps_what_an_ingest_keeps_of_each_files_stat(pg_db, tmp_path):
    """``seen`` as the migration makes it of a store ingested before it is what the ingest
    writes (:func:`catalogue.seen_of`): a store migrated re-reads no file for it."""
    root = tmp_path / "meetings"
    shutil.copytree(CORPUS, root)
    ingest(pg_db, root)
    update = MIGRATION.read_text(encoding="utf-8").split("ALTER TABLE files ADD COLUMN seen text;")
    update = update[1].split(";")[0]
    with psycopg.connect(pg_db) as conn:
        written = dict(conn.execute("SELECT path, seen FROM files WHERE NOT public"))
        entries = [
            (path, catalogue.seen_of(entry))
            for path, entry in conn.execute("SELECT path, entry FROM files WHERE NOT public")
        ]
        conn.execute("UPDATE files SET seen = NULL")
        conn.execute(update)
        migrated = dict(conn.execute("SELECT path, seen FROM files WHERE NOT public"))
        conn.rollback()
    assert written == migrated == dict(entries)
    assert sum(v is not None for v in written.values()) >= len(written) - 3  # (a few problems)


@pytest.mark.parametrize(
    "name", ["back\\slash.md", "tab\there.md", "new\nline.md", "bell\b\f\v.md", "2 é.md"]
)
def test_a_file_whose_name_copy_escapes_is_compared_as_any_other(pg_db, tmp_path, name):
    root = tmp_path / "meetings"
    shutil.copytree(CORPUS, root)
    shutil.copy(root / NAME, root / name)
    st = (root / name).stat()  # (modified before the racy window of its indexing)
    os.utime(root / name, ns=(st.st_atime_ns, st.st_mtime_ns - 5_000_000_000))
    assert ingest(pg_db, root).read  # (read once)
    again = ingest(pg_db, root)
    assert again.read == again.removed == again.verified == [] and not again.written
    (root / name).unlink()
    gone = ingest(pg_db, root)
    assert gone.removed == [name] and gone.read == []


def test_the_catalogue_is_read_from_an_index_alone(pg_db, tmp_path):
    """Each row's path and ``seen``, not the table's pages (each row's entry makes them ten
    times as many): one index holds every column the catalogue's read needs, led by what it
    filters on, so a vacuumed table (as autovacuum keeps it) is read by that index alone.
    (Which plan the planner takes also depends on the visibility map and the cost settings, so
    what is held here is that the index covers the read.)"""
    import re

    root = tmp_path / "meetings"
    shutil.copytree(CORPUS, root)
    ingest(pg_db, root)
    used = set(re.findall(r"\b(folder|public|path|seen|entry|shard)\b", catalogue.CATALOGUE))
    assert used == {"folder", "public", "path", "seen"}
    with psycopg.connect(pg_db, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT i.relname, array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY"
            " AS k(n, o) JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n"
            " ORDER BY k.o), x.indnkeyatts FROM pg_index x JOIN pg_class i ON i.oid ="
            " x.indexrelid WHERE x.indrelid = 'files'::regclass"
        ).fetchall()
    covering = [
        name
        for name, columns, keys in rows
        if set(columns) >= used and set(columns[:2]) == {"folder", "public"}
    ]
    assert covering == ["files_seen"], rows


def year_rows(url: str) -> dict:
    """Each year's merged views row, by the transaction that wrote it."""
    with psycopg.connect(url) as conn:
        return {
            (public, year): xmin
            for public, year, xmin in conn.execute(
                "SELECT public, year, xmin::text FROM year_views"
            )
        }


@pytest.mark.parametrize(
    ("edit", "merged"),
    [
        (lambda text: text + "\nA sentence added to the minutes.\n", False),
        (lambda text: text.replace("status: present", "status: apologies", 1), True),
    ],
    ids=["text", "attendance"],
)
def test_a_year_is_merged_again_only_when_its_half_months_views_changed(
    pg_db, tmp_path, edit, merged
):
    """A year's merge reads each of its half months' views: an edit that leaves its half
    month's figures, topics and ratings as they were (most edits of a meeting's text) merges
    no year; one that changes them merges its year (and the screens show what the files
    say: test_pg_reingest.py's cases)."""
    root = tmp_path / "meetings"
    shutil.copytree(CORPUS, root)
    ingest(pg_db, root)
    before = year_rows(pg_db)
    f = root / NAME
    f.write_text(edit(f.read_text(encoding="utf-8")), encoding="utf-8")
    assert ingest(pg_db, root).read == [NAME]
    after = year_rows(pg_db)
    rewritten = {key for key in after if after[key] != before.get(key)}
    assert rewritten == ({(False, "2018"), (True, "2018")} if merged else set())
    for public in (False, True):
        store = PgStore(pg_db, root, public=public)
        try:
            lib = FileStore(root, public).load()
            assert lib is not None and views.people_figures(store.rows_of) == figures(lib)
        finally:
            store.close()


def test_a_reingest_of_unchanged_files_asks_the_system_nothing_per_file(
    pg_db, tmp_path, monkeypatch
):
    """A file whose ``stat`` is its row's ``seen`` (its ctime moves with its mode, owner and
    ACL) is still readable: neither its owner nor root asks ``access`` of it again, as the
    cache's refresh does not (120,000 calls in a re-ingest of 100,000 meetings)."""
    root = tmp_path / "meetings"
    shutil.copytree(CORPUS, root)
    ingest(pg_db, root)
    (root / NAME).write_text((root / NAME).read_text(encoding="utf-8") + "\nEdited.\n")
    asked: list[str] = []
    real = os.access
    monkeypatch.setattr(
        os, "access", lambda p, *a, **k: (asked.append(str(p)), real(p, *a, **k))[1]
    )
    report = ingest(pg_db, root)
    assert report.read == [NAME]
    assert report.unchanged == len(list(root.glob("*.md"))) - 1
    assert not [p for p in asked if p.endswith(".md") and not p.endswith(NAME)]
