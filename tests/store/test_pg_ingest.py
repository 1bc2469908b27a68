"""``tuibrowser index DIR --store URL``: incremental by content hash, safe with several
ingesters at once, and all or nothing (an ingest killed midway leaves the store as it was)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tuibrowser.export import to_data
from tuibrowser.store import FileStore

CORPUS = Path(__file__).resolve().parents[2] / "meetings"
TABLES = ["folders", "folder_state", "files", "documents", "texts", "meetings"]


@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "meetings"
    shutil.copytree(CORPUS, root)
    return root


def ingest(url: str, root: Path):
    from tuibrowser.store.pg.store import PgStore

    return PgStore(url, root, ingest=True).update()


def library(url: str, root: Path, public: bool = False):
    from tuibrowser.store.pg.store import PgStore

    store = PgStore(url, root, public=public)
    try:
        return store.load()
    finally:
        store.close()


def snapshot(url: str) -> dict[str, list]:
    """Every row of the store's tables, as the owner sees them."""
    import psycopg

    with psycopg.connect(url) as conn:
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3").fetchall()  # noqa: S608
            for t in TABLES
        }


def same_as_files(url: str, root: Path) -> None:
    for public in (False, True):
        assert to_data(library(url, root, public)) == to_data(FileStore(root, public).load())


def later(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


def test_a_second_ingest_reads_only_what_changed(pg_db, folder):
    first = ingest(pg_db, folder)
    assert len(first.read) == first.files == 10
    again = ingest(pg_db, folder)
    assert again.read == [] and again.unchanged == 10 and not again.written
    files = sorted(folder.glob("*.md"))
    changed, gone = files[0], files[1]
    later(changed, changed.read_text(encoding="utf-8").replace("welcomed", "greeted"))
    gone.unlink()
    touched = files[2]  # a new mtime, the same content: verified by its hash, not parsed
    st = touched.stat()
    os.utime(touched, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    third = ingest(pg_db, folder)
    assert third.read == [changed.name] and third.removed == [gone.name]
    assert third.verified == [touched.name]
    same_as_files(pg_db, folder)


def test_two_ingests_at_once_leave_the_store_whole(pg_db, folder):
    ingest(pg_db, folder)  # the schema first: both then ingest the changes
    for f in sorted(folder.glob("*.md"))[:4]:
        later(f, f.read_text(encoding="utf-8") + "\nA line added.\n")
    cmd = [sys.executable, "-m", "tuibrowser.cli", "index", str(folder), "--store", pg_db]
    runs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in "ab"]
    outs = [p.communicate(timeout=300) for p in runs]
    assert [p.returncode for p in runs] == [0, 0], outs
    reads = sorted(out.decode().split(" read,")[0].rsplit(" ", 1)[-1] for out, _ in outs)
    assert reads == ["0", "4"]  # one took its turn after the other: nothing left to read
    same_as_files(pg_db, folder)


CHILD = """
import sys, time
from pathlib import Path
import tuibrowser.store.pg.ingest as ingest

real = ingest._write_shards

def stopped(*args, **kwargs):
    real(*args, **kwargs)
    print("midway", flush=True)
    time.sleep(600)

ingest._write_shards = stopped
ingest.ingest(sys.argv[1], Path(sys.argv[2]))
"""


def test_an_ingest_killed_midway_leaves_the_store_as_it_was(pg_db, folder):
    ingest(pg_db, folder)
    before = snapshot(pg_db)
    seen = to_data(library(pg_db, folder))
    files = sorted(folder.glob("*.md"))
    later(files[0], files[0].read_text(encoding="utf-8").replace("welcomed", "greeted"))
    files[1].unlink()
    (folder / "2024-01-02-new-board-minutes.md").write_text(
        '---\nboard: New Board\ndate: "2024-01-02"\n---\n## 1. Hello\n\nHi.\n', encoding="utf-8"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, pg_db, str(folder)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "midway"
        # the rows are written but not committed: a reader sees the store as it was
        assert to_data(library(pg_db, folder)) == seen
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    deadline = time.monotonic() + 30
    while snapshot(pg_db) != before and time.monotonic() < deadline:
        time.sleep(0.2)  # the server notices the lost connection and rolls its work back
    assert snapshot(pg_db) == before
    report = ingest(pg_db, folder)  # the lock went with it: the next ingest does it all
    assert len(report.read) == 2 and report.removed == [files[1].name]
    same_as_files(pg_db, folder)


@pytest.mark.parametrize("slice_size", [1, 3, 1024])
def test_the_files_are_parsed_a_slice_at_a_time(pg_db, folder, monkeypatch, slice_size):
    """The workers are given one slice of the files at a time (the parsed documents waiting
    to be written are never the whole folder's), and the store holds the same whatever the
    slice."""
    import tuibrowser.store.indexer as indexer
    import tuibrowser.store.pg.ingest as pg_ingest

    given: list[int] = []
    real = indexer.parse_files

    def counted(todo, workers=None):
        given.append(len(todo))
        return real(todo, workers)

    monkeypatch.setattr(pg_ingest, "PARSE_SLICE", slice_size)
    monkeypatch.setattr(indexer, "parse_files", counted)
    report = ingest(pg_db, folder)
    assert len(report.read) == sum(given) == 10
    assert max(given) == min(slice_size, 10)
    same_as_files(pg_db, folder)


@pytest.mark.parametrize("documents, shards", [(1, 16), (2, 16), (10_000, 2), (10_000, 16)])
def test_the_half_months_are_written_a_bounded_window_at_a_time(
    pg_db, folder, monkeypatch, documents, shards
):
    """Each window of half months made into rows together holds at most ``WINDOW`` of them
    and ``WINDOW_DOCUMENTS`` documents (a bigger half month alone), every half month once, and
    the store holds the same whatever the windows."""
    import psycopg

    import tuibrowser.store.pg.ingest as pg_ingest

    windows: list[list[str]] = []
    real = pg_ingest._shard_jobs

    def seen(cur, folder_id, window, *args):
        windows.append(list(window))
        return real(cur, folder_id, window, *args)

    monkeypatch.setattr(pg_ingest, "WINDOW_DOCUMENTS", documents)
    monkeypatch.setattr(pg_ingest, "WINDOW", shards)
    monkeypatch.setattr(pg_ingest, "_shard_jobs", seen)
    ingest(pg_db, folder)
    with psycopg.connect(pg_db) as conn:
        sizes = dict(
            conn.execute(
                "SELECT shard, count(*) FROM documents WHERE NOT public GROUP BY shard"
            ).fetchall()
        )
    assert [s for w in windows for s in w] == sorted(sizes)
    for w in windows:
        assert len(w) <= shards
        assert len(w) == 1 or sum(sizes[s] for s in w) <= documents
    if documents == 10_000:
        assert len(windows) == -(-len(sizes) // shards)  # as few windows as the bound allows
    same_as_files(pg_db, folder)
