"""A hit's snippet shows the record's text as written (capitals, dashes, curly quotes, accents),
whether the cache's files answer or the library does, though the cache keeps that text only as
what it adds to the folded text (``search/casepatch.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuibrowser.search import run
from tuibrowser.store.cache import Cache

MINUTE = (
    "The Council’s SECTOR-LED plan  –  agreed by Cllr Ćirić / the Chair (ΣΟΦΟΣ); "
    "members' allowances — İstanbul ẞ Kelvin."
)
FILE = f"""---
board: Shown Board
date: "2021-04-01"
kind: minutes
---

## 1. Sector-Led Improvement

{MINUTE}
"""
# each query with what its snippet must show of the minute, as written
CASES = [
    ("sector led", "The Council’s SECTOR-LED plan – agreed by Cllr Ćirić / the Chair (ΣΟΦΟΣ)"),
    ('"members allowances"', "members' allowances — İstanbul ẞ Kelvin."),
    ("σοφοσ", "(ΣΟΦΟΣ)"),
    ("ćirić", "Cllr Ćirić"),
]


@pytest.mark.parametrize(("query", "shown"), CASES, ids=[q for q, _ in CASES])
def test_a_snippet_shows_the_text_as_written(tmp_path: Path, query: str, shown: str) -> None:
    root = tmp_path / "m"
    root.mkdir()
    (root / "2021-04-01-shown-board-minutes.md").write_text(FILE, encoding="utf-8")
    cache = Cache(root, tmp_path / "cache" / "meetings.json")
    lib, _ = cache.refresh()
    files = cache.files_index()
    assert files is not None
    from_files = files.query(query, 10).hits
    from_library = run(lib, query, 10).hits
    assert from_files == from_library
    snippets = [s.text for hit in from_files for s in hit.snippets if s.field == "minute"]
    assert any(shown in text for text in snippets), snippets
