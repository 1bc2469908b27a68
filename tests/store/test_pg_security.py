"""Confidential rows by role: the public reader's role cannot select any part of a
confidential item, even by hand-written SQL; ``--public`` fails closed; a store that cannot
be used is told in one line, never with its password."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tuibrowser.cli import cli
from tuibrowser.export import to_data
from tuibrowser.store import FileStore

CORPUS = Path(__file__).resolve().parents[2] / "meetings"
SECRET = "Zanzibar-procurement"
# An agenda marks item 8 confidential; the minutes do not: the agenda's mark must withhold
# the minute too (and a KPI and a figure reported under the item).
AGENDA = f"""---
board: Audit Board
date: "2022-03-01"
kind: agenda
kpis:
  - code: K8
    delivered: {SECRET} savings
    rating: red
    item: "8"
figures:
  - name: {SECRET} grant
    value: 5
    item: "8"
---
## 2. Open report

Everyone may read this.

## 8. Contract award {{confidential}}

The {SECRET} bid.
"""
MINUTES = f"""---
board: Audit Board
date: "2022-03-01"
kind: minutes
---
## 2. Open report

Noted.

## 8. Contract award

Members discussed {SECRET} in private.

### Decisions

- Award the {SECRET} contract.
"""


def leaves(value: object) -> list[str]:
    """Every string in ``value`` (rows, dicts, lists), as written: no quoting to hide one."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [s for v in value for s in leaves(v)]
    return [str(value)] if value is not None else []


def confidential_texts() -> list[str]:
    """Sentences of the bundled meetings' confidential items (every one: public mode withholds
    them where the meeting repeats them too, an agenda's table of contents, a note)."""
    whole = FileStore(CORPUS).load()
    found = set()
    for m in whole.meetings:
        for it in m.items:
            if not it.confidential:
                continue
            texts = [t for t in leaves(it.to_dict()) if " " in t]  # prose, not paths or codes
            for part in (p.strip() for t in texts for p in t.replace("\n", ". ").split(". ")):
                if len(part) >= 30:
                    found.add(part[:60])
    return sorted(found)


@pytest.fixture(scope="module")
def secrets() -> list[str]:
    found = confidential_texts() + [SECRET]
    assert len(found) > 3  # the test below means something only with texts to look for
    return found


@pytest.fixture
def store(pg_db, tmp_path) -> str:
    """The bundled meetings and a folder whose agenda marks an item, both ingested."""
    from tuibrowser.store.pg.store import PgStore

    audit = tmp_path / "audit"
    audit.mkdir()
    (audit / "2022-03-01-audit-board-agenda.md").write_text(AGENDA, encoding="utf-8")
    (audit / "2022-03-01-audit-board-minutes.md").write_text(MINUTES, encoding="utf-8")
    for root in (CORPUS, audit):
        PgStore(pg_db, root, ingest=True).update()
    return pg_db


def login(url: str, name: str, member_of: str | None) -> str:
    """The URL of ``url``'s database as a new login role, member of ``member_of``."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP ROLE IF EXISTS {name}")
        conn.execute(f"CREATE ROLE {name} LOGIN" + (f" IN ROLE {member_of}" if member_of else ""))
    return url.replace("user=postgres", f"user={name}")


def everything(url: str) -> str:
    """``SELECT * FROM`` every table of the store, by hand, as the URL's user: the text."""
    import psycopg

    with psycopg.connect(url) as conn:
        tables = [
            t
            for (t,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        # search's tables too: a record's text and words, a person's parts; the screens' parts
        searched = {"search_units", "search_people", "search_person_parts", "shard_views"}
        searched |= {"year_views"}
        assert {"files", "documents", "texts", "meetings", *searched} <= set(tables)
        rows = [conn.execute(f"SELECT * FROM {t}").fetchall() for t in tables]  # noqa: S608
        return "\n".join(leaves(rows))


def test_the_public_role_can_select_no_part_of_a_confidential_item(store, secrets):
    public_text = everything(login(store, "kiosk", "tuibrowser_public"))
    full_text = everything(login(store, "officer", "tuibrowser_full"))
    assert "Everyone may read this" in public_text  # the public rows are there
    assert [s for s in secrets if s in public_text] == []
    assert [s for s in secrets if s not in full_text] == []  # an officer reads them all


def test_public_through_the_store_shows_what_the_files_show_in_public(store, tmp_path):
    from tuibrowser.store.pg.store import PgStore

    url = login(store, "kiosk", "tuibrowser_public")
    lib = PgStore(url, CORPUS, public=True).load()
    assert lib is not None
    assert to_data(lib) == to_data(FileStore(CORPUS, public=True).load())
    # an officer's view is not the public role's to read: it gets no row of it
    assert PgStore(url, CORPUS, public=False).rows() is None


@pytest.mark.parametrize("how", ["not a member", "the role bypasses row security"])
def test_public_fails_closed_when_the_public_role_cannot_be_used(store, secrets, how):
    import psycopg

    from tuibrowser.store.pg.connect import StoreError
    from tuibrowser.store.pg.store import PgStore

    url = login(store, "outsider", None) if how == "not a member" else store
    with psycopg.connect(store, autocommit=True) as conn:
        conn.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO outsider")
        if how != "not a member":
            conn.execute("ALTER ROLE tuibrowser_public BYPASSRLS")
    try:
        with pytest.raises(StoreError, match="refusing"):
            PgStore(url, CORPUS, public=True).update()
        result = CliRunner().invoke(cli, ["export", str(CORPUS), "--public", "--store", url])
        assert result.exit_code == 2
        assert "--public" in result.stderr and "refusing" in result.stderr
        assert result.stdout == "" and not any(s in result.output for s in secrets)
    finally:
        with psycopg.connect(store, autocommit=True) as conn:
            conn.execute("ALTER ROLE tuibrowser_public NOBYPASSRLS")


PASSWORD = "hunter2-Sesame"


@pytest.mark.parametrize(
    "url, says",
    [
        (f"postgresql://bob:{PASSWORD}@/db?host=/nonexistent-socket-dir", "cannot reach"),
        (f"postgresql:///db?host=/nonexistent-socket-dir&password={PASSWORD}", "cannot reach"),
        (f"postgresql://bob:{PASSWORD}@localhost:notaport/db", "store"),
        ("http://example.org/db", "not a PostgreSQL URL"),
    ],
)
@pytest.mark.parametrize(
    "command", [["export"], ["kpis"], ["actions"], ["search", "council"], ["index"], ["open"]]
)
def test_a_store_that_cannot_be_used_is_one_line_without_the_password(url, says, command):
    result = CliRunner().invoke(cli, [*command, str(CORPUS), "--store", url])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert says in lines[0] and "Traceback" not in result.output
    assert len(lines) <= 2 and PASSWORD not in result.output


def test_a_store_with_nothing_ingested_says_what_to_do(pg_db):
    result = CliRunner().invoke(cli, ["export", str(CORPUS), "--store", pg_db])
    assert result.exit_code == 2
    assert "run tuibrowser index DIR --store URL" in result.stderr
