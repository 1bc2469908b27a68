"""A re-ingest decides each file as the cache's refresh does, though the server compares the
folder with the catalogue (:mod:`tuibrowser.store.pg.catalogue`): every kind of change is
found (and nothing else read), and the store then answers as the files do."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from tuibrowser.export import to_data
from tuibrowser.store import FileStore

CORPUS = Path(__file__).resolve().parents[2] / "meetings"
NAME = "2018-03-22-improvement-innovation-board-minutes.md"
NEW = "2019-04-04-improvement-innovation-board-minutes.md"


def ingest(url: str, root: Path):
    from tuibrowser.store.pg.store import PgStore

    return PgStore(url, root, ingest=True).update()


def same_as_files(url: str, root: Path) -> None:
    from tuibrowser.people_figures import figures
    from tuibrowser.store.pg import views
    from tuibrowser.store.pg.store import PgStore
    from tuibrowser.topics import find_topics

    for public in (False, True):
        store = PgStore(url, root, public=public)
        try:
            lib = FileStore(root, public).load()
            assert lib is not None
            assert to_data(store.load()) == to_data(lib)
            # what the screens show of the whole folder, as the ingest keeps it
            assert views.people_figures(store.rows_of) == figures(lib)
            assert views.topics(store.rows_of) == find_topics(lib)
        finally:
            store.close()


def later(path: Path, text: str) -> None:
    """``text`` written to ``path``, its mtime set back beyond the racy window (a file changed
    within a clock tick of its indexing is read again whatever its stat says)."""
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 5_000_000_000))


def edited(root: Path) -> dict:
    f = root / NAME
    later(f, f.read_text(encoding="utf-8").replace("the", "a", 1))
    return {"read": [NAME]}


def touched(root: Path) -> dict:
    f = root / NAME
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    return {"verified": [NAME]}


def removed(root: Path) -> dict:
    (root / NAME).unlink()
    return {"removed": [NAME]}


def added(root: Path) -> dict:
    text = (root / NAME).read_text(encoding="utf-8").replace("2018-03-22", "2019-04-04")
    later(root / NEW, text)
    return {"read": [NEW]}


def swapped(root: Path) -> dict:
    """Another file moved in its place: the same size and mtime, another inode and content."""
    f = root / NAME
    st = f.stat()
    text = f.read_text(encoding="utf-8")
    other = text.replace("Board", "BOARD", 1)
    assert other != text and len(other.encode()) == len(text.encode())
    tmp = root / ".swap"
    tmp.write_text(other, encoding="utf-8")
    os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(tmp, f)
    return {"read": [NAME]}


def broken(root: Path) -> dict:
    """A file that can no longer be parsed: its problem told, its meeting withheld."""
    later(root / NAME, "---\ntitle: [unclosed\n---\nNo front matter to read.\n")
    return {"read": [NAME]}


def unchanged(root: Path) -> dict:
    return {}


CHANGES: list[Callable[[Path], dict]] = [
    edited, touched, removed, added, swapped, broken, unchanged
]  # fmt: skip


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.__name__)
def test_a_reingest_finds_each_kind_of_change(pg_db, tmp_path, change):
    root = tmp_path / "meetings"
    shutil.copytree(CORPUS, root)
    ingest(pg_db, root)
    expected = change(root)
    report = ingest(pg_db, root)
    assert report.read == expected.get("read", [])
    assert report.removed == expected.get("removed", [])
    assert report.verified == expected.get("verified", [])
    assert report.written == bool(expected)
    same_as_files(pg_db, root)
    with psycopg.connect(pg_db) as conn:  # the lists' counts, kept without counting them
        kept = dict(conn.execute("SELECT public, meetings FROM folder_state").fetchall())
        counted = dict(conn.execute("SELECT public, count(*) FROM meetings GROUP BY public"))
    assert kept == counted and report.meetings == counted[False]
    again = ingest(pg_db, root)  # and then nothing is left to do
    assert again.read == again.removed == again.verified == [] and not again.written
    assert again.unchanged == again.files
