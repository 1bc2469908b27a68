"""Confidential items: marked everywhere by default, and gone — text included — with --public."""

from __future__ import annotations

import csv
import io
import os
import time
from pathlib import Path

import orjson
import pytest
from cachefiles import cache_bytes
from click.testing import CliRunner

from tuibrowser import export
from tuibrowser.cli import cli
from tuibrowser.library import build, redact
from tuibrowser.records import read_folder
from tuibrowser.store import Cache, cache_file_for, open_library

SECRET = "Zanzibar-procurement"

AGENDA = f"""---
board: Audit Board
date: "2022-03-01"
kind: agenda
kpis:
  - code: K1
    rating: green
    item: "2"
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

### Purpose

Everyone may read this.

## 8. Contract award {{confidential}}

### Purpose

The {SECRET} bid.
"""

# The minutes do not mark item 8: the agenda's mark must still withhold the minute.
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


@pytest.fixture
def root(tmp_path) -> Path:
    r = tmp_path / "meetings"
    r.mkdir()
    (r / "2022-03-01-audit-board-agenda.md").write_text(AGENDA, encoding="utf-8")
    (r / "2022-03-01-audit-board-minutes.md").write_text(MINUTES, encoding="utf-8")
    return r


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("TUIBROWSER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TUIBROWSER_PUBLIC", raising=False)
    return tmp_path / "cache"


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_confidential_item_is_marked_in_every_export(root, env):
    data = orjson.loads(invoke("export", str(root)))
    (m,) = data["meetings"]
    marks = {it["number"]: it["confidential"] for it in m["items"]}
    assert marks == {"2": False, "8": True}  # marked by the agenda, merged into the meeting
    rows = list(
        csv.DictReader(
            io.StringIO(invoke("export", str(root), "--format", "csv", "--table", "items"))
        )
    )
    assert {r["number"]: r["confidential"] for r in rows} == {"2": "False", "8": "True"}
    ics = invoke("export", str(root), "--format", "ics")
    assert "8. Contract award (confidential)" in ics.replace("\r\n ", "")
    assert "2. Open report\\n" in ics.replace("\r\n ", "")


def assert_public(lib) -> None:
    (m,) = lib.meetings
    assert [it.number for it in m.items] == ["2"]
    assert [k.code for k in m.kpis] == ["K1"]
    assert m.figures == []
    text = export.to_json(lib) + export.to_csv(lib, "items") + export.to_csv(lib, "kpis")
    text += export.to_ics(lib)
    assert SECRET not in text
    assert "Contract award" not in text


def test_public_library_from_files(root):
    parsed, problems = read_folder(root)
    docs = [p.document for p in parsed if p.document]
    assert_public(build(docs, problems, public=True))
    lib, _ = open_library(root, use_cache=False, public=True)
    assert_public(lib)
    # Not public: the same call keeps the item, marked.
    lib, _ = open_library(root, use_cache=False, public=False)
    assert [(it.number, it.confidential) for it in lib.meetings[0].items] == [
        ("2", False),
        ("8", True),
    ]


def test_redact_leaves_documents_without_confidential_items_untouched(root):
    parsed, _ = read_folder(root)
    docs = [p.document for p in parsed if p.document]
    out = redact(docs)
    assert all(d.items for d in docs), "redact changed its input"
    assert [[it.number for it in d.items] for d in out] == [["2"], ["2"]]


def test_public_cache_holds_no_confidential_text(root, env):
    cache = Cache(root, public=True)
    assert cache.path == cache_file_for(root, public=True)
    assert cache.path != cache_file_for(root, public=False)
    lib, _ = cache.refresh()
    assert_public(lib)
    raw = cache_bytes(cache.path)
    assert SECRET.encode() not in raw
    assert b"Contract award" not in raw
    # A second refresh serves the cache: still public, nothing rewritten.
    lib, report = cache.refresh()
    assert_public(lib)
    assert report.read == []
    assert_public(cache.load())


def test_private_cache_is_not_used_for_public(root, env):
    Cache(root).refresh()
    private = cache_file_for(root)
    assert SECRET.encode() in cache_bytes(private)
    lib, _ = Cache(root, public=True).refresh()
    assert_public(lib)


def test_public_flag_and_environment_on_the_command_line(root, env, monkeypatch):
    for args in (["--public"], []):
        if not args:
            monkeypatch.setenv("TUIBROWSER_PUBLIC", "1")
        for fmt in ("json", "csv", "ics"):
            out = invoke("export", str(root), "--format", fmt, *args)
            assert SECRET not in out and "Contract award" not in out, (args, fmt)
        out = invoke("export", str(root), "--no-cache", *args)
        assert SECRET not in out
        invoke("index", str(root), *args)
    assert SECRET.encode() not in cache_bytes(cache_file_for(root, public=True))
    # --public off again: the private export has the item.
    monkeypatch.setenv("TUIBROWSER_PUBLIC", "0")
    assert SECRET in invoke("export", str(root))


def touch_later(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    later = time.time_ns() + 5_000_000_000
    os.utime(path, ns=(later, later))


def test_public_cache_follows_marks_added_and_removed(root, env):
    cache = Cache(root, public=True)
    agenda = root / "2022-03-01-audit-board-agenda.md"
    minutes = root / "2022-03-01-audit-board-minutes.md"
    lib, _ = cache.refresh()
    assert [it.number for it in lib.meetings[0].items] == ["2"]

    # The mark is removed from the agenda: the minute of item 8, withheld from the
    # (unchanged) minutes entry, comes back.
    touch_later(agenda, AGENDA.replace(" {confidential}", ""))
    lib, _ = cache.refresh()
    item8 = lib.meetings[0].item("8")
    assert item8 is not None and SECRET in item8.minute and not item8.confidential
    assert SECRET.encode() in cache_bytes(cache.path)

    # Marked again, this time only in the minutes: gone from every entry of the cache.
    touch_later(agenda, AGENDA.replace(" {confidential}", ""))
    touch_later(
        minutes, MINUTES.replace("## 8. Contract award", "## 8. Contract award {confidential}")
    )
    lib, _ = cache.refresh()
    assert [it.number for it in lib.meetings[0].items] == ["2"]
    assert SECRET.encode() not in cache_bytes(cache.path)
