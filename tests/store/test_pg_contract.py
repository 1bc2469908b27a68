"""The PostgreSQL store gives the answers the cache and the files give: the same library, the
same meeting list (paged by keyset), the same texts read later, the same hits, the same
export byte for byte — private and public. On a real server (tests/support/pgcluster.py)."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tuibrowser.cli import cli
from tuibrowser.export import to_data
from tuibrowser.store import FileStore, MeetingStore, load_library, open_store

METHODS = ["head", "rows", "update", "load", "repair", "search"]
QUERIES = ["council", "budget", '"local government"', "gov", "minutes report", "zzzznothing"]
CORPUS = Path(__file__).resolve().parents[2] / "meetings"


@pytest.fixture(params=[False, True], ids=["private", "public"])
def public(request) -> bool:
    return request.param


@pytest.fixture
def stored(pg_db, public):
    """The bundled meetings ingested into a new database; the store as a reader sees it."""
    from tuibrowser.store.pg.store import PgStore

    report = PgStore(pg_db, CORPUS, ingest=True).update()
    assert report.meetings > 0 and len(report.read) == report.files
    store = PgStore(pg_db, CORPUS, public=public)
    yield store
    store.close()


@pytest.mark.parametrize("method", METHODS)
def test_the_store_has_the_protocols_methods_with_its_parameters(method):
    from tuibrowser.store.pg.store import PgStore

    wanted = inspect.signature(getattr(MeetingStore, method)).parameters
    found = inspect.signature(getattr(PgStore, method)).parameters
    assert list(found) == list(wanted)
    for name, p in wanted.items():
        assert found[name].default == p.default, (method, name)


def test_open_store_gives_the_pg_store_by_the_urls_scheme(corpus, cache_path):
    from tuibrowser.store.pg.store import PgStore

    for url in ("postgresql://h/db", "postgres://h/db"):
        store = open_store(corpus, cache_path, store_url=url)
        assert isinstance(store, PgStore) and isinstance(store, MeetingStore)
    assert not isinstance(open_store(corpus, cache_path), PgStore)


def test_the_store_gives_the_librarys_meetings(stored, public):
    lib, report = load_library(stored)
    assert report.meetings == len(lib.meetings) > 0
    assert to_data(lib) == to_data(FileStore(CORPUS, public).load())
    assert lib.people.keys() == FileStore(CORPUS, public).load().people.keys()


def test_the_meeting_list_is_the_librarys_and_pages_by_keyset(stored, public):
    rows = FileStore(CORPUS, public).load().rows()
    assert stored.rows() == rows
    head = stored.head()
    assert head is not None and head.total == len(rows) and head.rows == rows[: len(head.rows)]
    paged, after = [], None
    while page := stored.page(after, limit=2):
        paged += page
        after = page[-1]
    assert paged == rows


def test_a_meetings_texts_are_read_when_it_is_opened(stored, public):
    lean = stored.load(texts=False)
    whole = FileStore(CORPUS, public).load()
    assert lean is not None and lean.lean
    assert all(not it.minute for m in lean.meetings for it in m.items)
    for m in whole.meetings:
        got = lean.full(m.id)
        assert got is not None, m.id
        assert [(it.number, it.minute, it.report, it.note) for it in got.items] == [
            (it.number, it.minute, it.report, it.note) for it in m.items
        ], m.id
        assert got.sections == m.sections, m.id
    assert not lean.lean


@pytest.mark.parametrize("query", QUERIES)
def test_the_store_finds_the_hits_the_cache_finds(stored, public, query, cache_path):
    cache = open_store(CORPUS, cache_path, public=public)
    found = []
    for store in (cache, stored):
        lib, _ = load_library(store)
        r = store.search(lib, query, limit=20)
        found.append((r.total, r.complete, [h.to_dict() for h in r.hits]))
    assert found[0] == found[1]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_is_byte_for_byte_the_caches(pg_db, public, fmt, monkeypatch):
    monkeypatch.delenv("TUIBROWSER_STORE", raising=False)
    runner = CliRunner()
    done = runner.invoke(cli, ["index", str(CORPUS), "--store", pg_db])
    assert done.exit_code == 0, done.output
    flags = ["--public"] if public else []
    args = ["export", str(CORPUS), "--format", fmt, *flags]
    from_cache = runner.invoke(cli, args)
    from_store = runner.invoke(cli, [*args, "--store", pg_db])
    monkeypatch.setenv("TUIBROWSER_STORE", pg_db)
    from_env = runner.invoke(cli, args)
    assert from_cache.exit_code == from_store.exit_code == from_env.exit_code == 0
    assert from_cache.stdout_bytes and from_store.stdout_bytes == from_cache.stdout_bytes
    assert from_env.stdout_bytes == from_cache.stdout_bytes


@pytest.mark.parametrize(
    "command",
    [["kpis", "{dir}"], ["actions", "{dir}", "--json"], ["search", "sector-led", "{dir}"]],
)
def test_the_other_commands_answer_from_the_store_as_from_the_cache(pg_db, command):
    runner = CliRunner()
    assert runner.invoke(cli, ["index", str(CORPUS), "--store", pg_db]).exit_code == 0
    args = [str(CORPUS) if a == "{dir}" else a for a in command]
    from_cache = runner.invoke(cli, args)
    from_store = runner.invoke(cli, [*args, "--store", pg_db])
    assert from_cache.exit_code == from_store.exit_code == 0, from_store.output
    assert from_store.stdout and from_store.stdout == from_cache.stdout


def test_the_default_path_never_imports_psycopg(corpus, cache_path):
    code = (
        "import sys\n"
        "import tuibrowser.cli, tuibrowser.tui.app, tuibrowser.store\n"
        "from tuibrowser.store import load_library, open_store\n"
        f"load_library(open_store({str(corpus)!r}, {str(cache_path)!r}))\n"
        "print('psycopg' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]
