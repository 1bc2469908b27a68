"""``tuibrowser search QUERY DIR --store URL`` on the command line's fast path: the search run
through libpq itself (tuibrowser/store/pg/quick.py, tuibrowser/cli/fastsearch.py), without
click nor psycopg. It prints what click's command prints, byte for byte, for queries of every
kind, as an officer and ``--public``; ``--public`` connects as the public role and fails
closed; whatever the shortcut cannot do, click's command does (and tells). On a real server."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuibrowser.cli import common, fast, main
from tuibrowser.cli.fastsearch import parse_search

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"

# single words of every rarity, prefixes, short words, phrases, folded punctuation, case and
# curly quotes, people, KPIs, numbers, words that are nowhere, and queries with no term
QUERIES = [
    "council", "oflog", "productivity", "budget", "resolved", "agreed", "action", "gov", "kp",
    "q3", "a", "2019", "5.2", "£", "digital declaration", "members agreed", "peer challenge",
    '"local government"', '"budget monitoring"', '"the council"', '"members agreed',
    "sector-led", "sector/led", "council’s", "COUNCIL", "cllr", "chair", "labour", "kpi",
    "confidential", "is:confidential", "sample", "zyzzyva", "zyzzyva council", '""', "'",
]  # fmt: skip


@pytest.fixture(scope="module")
def folders(pg_cluster, tmp_path_factory):
    """Copies of the bundled meetings and the test sample, both ingested into one store."""
    from tuibrowser.store.pg.store import PgStore

    url = pg_cluster.create_database("search_fast")
    roots = []
    for source in (MEETINGS, SAMPLE):
        root = tmp_path_factory.mktemp("folder") / source.name
        shutil.copytree(source, root)
        ingester = PgStore(url, root, ingest=True)
        ingester.update()
        ingester.close()
        roots.append(root)
    return url, roots


@pytest.fixture(autouse=True)
def no_environment(monkeypatch):
    for name in ("TUIBROWSER_STORE", "TUIBROWSER_PUBLIC", "TUIBROWSER_MEETINGS"):
        monkeypatch.delenv(name, raising=False)


def ended(call) -> int:
    with pytest.raises(SystemExit) as stop:
        call()
    return stop.value.code or 0


@pytest.mark.parametrize("public", [[], ["--public"]], ids=["private", "public"])
@pytest.mark.parametrize("form", [[], ["--json"], ["--limit", "3"]], ids=["lines", "json", "3"])
def test_the_fast_path_prints_what_click_prints(folders, public, form, capsys, monkeypatch):
    url, roots = folders
    differ, found = [], 0
    for root in roots:
        for query in QUERIES:
            argv = ["search", query, str(root), *form, *public]
            fast_argv = [*argv, "--store", url]
            assert parse_search(fast_argv[1:]) is not None
            status = ended(lambda a=fast_argv: fast.run(a))  # never False: it was answered
            fast_out = (status, *capsys.readouterr())
            with monkeypatch.context() as m:
                m.setenv("TUIBROWSER_STORE", url)
                assert fast.run(argv) is False  # click's form
                status = ended(lambda a=argv: common.main(a))
            click_out = (status, *capsys.readouterr())
            if fast_out != click_out:
                differ.append((root.name, query))
            found += fast_out[0] == 0
    assert differ == []
    assert found > len(QUERIES)  # the queries find things, in both folders


def test_the_quick_search_answers_as_the_store_does(folders):
    """The shortcut itself answered (not click's search after it): the same Results."""
    from tuibrowser.store.pg import quick
    from tuibrowser.store.pg.store import PgStore

    url, roots = folders
    for public in (False, True):
        for root in roots:
            store = PgStore(url, root, public=public)
            try:
                for query in QUERIES:
                    for limit in (1, 50, None):
                        want = store.search_store(query, limit)
                        assert want is not None
                        assert quick.search(url, root, public, query, limit) == want
            finally:
                store.close()


def test_the_fast_path_imports_neither_click_nor_psycopg_and_writes_the_same_bytes(folders):
    url, roots = folders
    code = (
        "import sys\n"
        "from tuibrowser.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "finally:\n"
        "    print('click' in sys.modules, 'psycopg' in sys.modules, file=sys.stderr)\n"
    )
    for query in ("council", '"local government"', "zyzzyva"):
        for form in ([], ["--json"], ["--public"]):
            argv = ["search", query, str(roots[0]), *form]
            fast_run = subprocess.run(
                [sys.executable, "-c", code, *argv, "--store", url], capture_output=True
            )
            click_run = subprocess.run(
                [sys.executable, "-c", code, *argv],
                capture_output=True,
                env={**_env(), "TUIBROWSER_STORE": url},
            )
            fast_err = fast_run.stderr.splitlines()
            assert fast_err[-1] == b"False False", fast_run.stderr
            assert click_run.stderr.splitlines()[-1] == b"True True"  # the other way
            assert fast_run.returncode == click_run.returncode
            assert fast_run.stdout == click_run.stdout
            assert fast_err[:-1] == click_run.stderr.splitlines()[:-1]


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("TUIBROWSER_")}


_ROLES = itertools.count()


def login(url: str, name: str, member_of: str | None) -> str:
    """The URL of ``url``'s database as a new login role, member of ``member_of`` (a name of
    its own: roles are the cluster's, and other tests make theirs)."""
    import psycopg

    name = f"fast_{name}_{next(_ROLES)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN" + (f" IN ROLE {member_of}" if member_of else ""))
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {name}")
    return url.replace("user=postgres", f"user={name}")


@pytest.mark.parametrize("how", ["not a member", "the role bypasses row security"])
def test_public_fails_closed_on_the_fast_path(folders, how, capsys):
    """Without the public role in force (a login that is not its member, or a role that
    bypasses row security), the shortcut gives nothing and the command refuses: no hit."""
    import psycopg

    from tuibrowser.store.pg import quick

    url, roots = folders
    reader = login(url, "outsider", None) if how == "not a member" else url
    with psycopg.connect(url, autocommit=True) as conn:
        if how != "not a member":
            conn.execute("ALTER ROLE tuibrowser_public BYPASSRLS")
    try:
        assert quick.search(reader, roots[0], True, "council", 50) is None
        argv = ["search", "council", str(roots[0]), "--public", "--store", reader]
        assert fast.run(argv) is False  # nothing said: click's command runs, and refuses
        assert capsys.readouterr() == ("", "")
        assert ended(lambda: main(argv)) == 2
        out, err = capsys.readouterr()
        assert out == "" and "--public" in err and "refusing" in err
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("ALTER ROLE tuibrowser_public NOBYPASSRLS")


def test_the_public_role_through_the_fast_path_reads_the_public_rows(folders):
    from tuibrowser.store.pg import quick
    from tuibrowser.store.pg.store import PgStore

    url, roots = folders
    kiosk = login(url, "kiosk", "tuibrowser_public")
    for query in QUERIES:
        store = PgStore(url, roots[0], public=True)
        try:
            assert quick.search(kiosk, roots[0], True, query, None) == store.search_store(
                query, None
            )
        finally:
            store.close()
    # the public role alone has no officer's row to show
    assert quick.search(kiosk, roots[0], False, "council", None) is not None
    assert quick.search(kiosk, roots[0], False, "council", None).hits == []


@pytest.mark.parametrize(
    "case", ["nothing ingested", "not reached", "another folder of two", "newer schema"]
)
def test_what_the_shortcut_cannot_do_click_does_and_tells(folders, pg_db, case, capsys):
    """Each: the shortcut gives None, and the command says what click's says (one line,
    exit status 2) or answers as it does."""
    import psycopg

    from tuibrowser.store.pg import quick

    url, roots = folders
    target, root = pg_db, roots[0]
    if case == "not reached":
        target = "postgresql:///db?host=/nonexistent-socket-dir"
    elif case == "another folder of two":
        target, root = url, MEETINGS  # the store holds two folders, neither this one
    elif case == "newer schema":
        from tuibrowser.store.pg.store import PgStore

        PgStore(pg_db, roots[1], ingest=True).update()
        with psycopg.connect(pg_db, autocommit=True) as conn:
            conn.execute("INSERT INTO schema_version (version, name) VALUES (999, 'later')")
    assert quick.search(target, root, False, "council", 50) is None
    argv = ["search", "council", str(root), "--store", target]
    assert fast.run(argv) is False  # nothing said: click's command runs
    assert capsys.readouterr() == ("", "")
    fast_out = (ended(lambda: main(argv)), *capsys.readouterr())
    click_out = (ended(lambda: common.main(argv)), *capsys.readouterr())
    assert fast_out == click_out
    assert fast_out[0] == 2 and fast_out[1] == "" and len(fast_out[2].splitlines()) == 1


@pytest.mark.parametrize(
    "words",
    [
        ["q", "DIR", "--store", "http://example.org/db"],
        ["q", "--store", "URL"],  # no folder
        ["q", "DIR", "other", "--store", "URL"],
        ["q", "DIR", "--store", "URL", "--store", "URL"],
        ["q", "DIR", "--store", "URL", "--limit", "0"],
        ["q", "DIR", "--store", "URL", "--limit", "-1"],
        ["q", "DIR", "--store", "URL", "--limit", "+2"],
        ["q", "DIR", "--store", "URL", "--limit", "two"],
        ["q", "DIR", "--store", "URL", "--limit"],
        ["q", "DIR", "--store", "URL", "--json", "--json"],
        ["q", "DIR", "--store", "URL", "--cache", "x"],
        ["q", "DIR", "--store", "URL", "--no-cache"],
        ["q", "DIR", "--store", "URL", "--help"],
        ["-q", "DIR", "--store", "URL"],
        ["", "DIR", "--store", "URL"],
        ["q", "NOFOLDER", "--store", "URL"],
        ["q", "DIR", "--store", "URL", "--"],
    ],
)
def test_a_form_with_anything_for_click_to_say_is_left_to_click(words, tmp_path):
    url = "postgresql:///db?host=/nowhere"
    words = [
        str(tmp_path) if w == "DIR" else url if w == "URL" else str(tmp_path / "no") if w == "NOFOLDER" else w
        for w in words
    ]  # fmt: skip
    assert parse_search(words) is None


@pytest.mark.parametrize(
    "words, limit, public, as_json",
    [
        (["q", "DIR", "--store", "URL"], 50, False, False),
        (["--store=URL", "q", "DIR", "--limit=7", "--json"], 7, False, True),
        (["q", "--public", "DIR", "--store", "URL", "--limit", "200"], 200, True, False),
    ],
)
def test_the_plain_forms_are_read_as_click_reads_them(words, limit, public, as_json, tmp_path):
    url = "postgresql:///db?host=/nowhere"
    words = [str(tmp_path) if w == "DIR" else w.replace("URL", url) for w in words]
    form = parse_search(words)
    assert form is not None
    assert (form.query, form.directory, form.url) == ("q", str(tmp_path), url)
    assert (form.limit, form.public, form.as_json) == (limit, public, as_json)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")),
        )
    )
)
def test_a_text_array_goes_and_comes_back_as_psycopg_reads_it(pg_url, values):
    """Any list of texts (quotes, backslashes, braces, commas, spaces, "NULL", nothing) given
    as a parameter and read back as ``text[]`` is the list psycopg reads."""
    from tuibrowser.store.pg import libpq, quick

    lib = libpq._library()
    assert lib is not None
    conn = libpq._Conn(lib, pg_url)
    try:
        assert conn.ok()
        got = quick.QuickConnection(conn).execute("SELECT %s::text[]", (values,)).fetchone()
    finally:
        conn.close()
    assert got == (values,)
