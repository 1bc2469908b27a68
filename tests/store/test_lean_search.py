"""The command line's search from the cache's files (``Cache.search_files``: a lean index, for
one query) answers as the browser's index of the same files (kept between queries) and as the
library's index: the same hits, in the same order, with the same snippets, totals and
completeness, for queries of every kind at every limit — while it keeps no month's titles
once scanned and no more months open than it may."""

from __future__ import annotations

import pytest
from viewfolders import KINDS, folder_of, indexed

from tuibrowser.search import cached as cached_module
from tuibrowser.search import run
from tuibrowser.search.cached import CachedIndex

# words in nearly every record, in titles only, in texts only, people's names and roles,
# prefixes, short words no word list narrows, phrases, several words, and words nowhere
QUERIES = [
    "council", "budget", "report", "agreed", "noted", "action", "decision", "kpi",
    "cllr", "chair", "director", "member", "gov", "perf", "a", "q3", "2019",
    "members agreed", "performance report", '"budget monitoring"', '"the council"',
    "council budget report", "zyzzyva", "council zyzzyva",
]  # fmt: skip
LIMITS = [1, 3, 50, None]


@pytest.fixture(scope="module", params=KINDS)
def folder(request, tmp_path_factory):
    """A folder of each kind, its cache (indexed once) and its library."""
    tmp = tmp_path_factory.mktemp("lean")
    cache = indexed(folder_of(request.param, tmp), tmp, False)
    lib, _ = cache.refresh()
    return cache, lib


def test_one_query_answers_as_the_browser_and_the_library_do(folder, monkeypatch):
    """With one month open at a time (every month a query reads past the first is closed
    again, and opened again for its hits), the lean index's answer is the kept index's and
    the library's."""
    monkeypatch.setattr(cached_module, "LEAN_SEGMENTS", 1)
    cache, lib = folder
    kept = cache.files_index()
    assert kept is not None and len(kept.months) > 2
    differ = []
    found = 0
    for query in QUERIES:
        for limit in LIMITS:
            lean = cache.search_files(query, limit)
            want = run(lib, query, limit)
            found += len(want.hits)
            if lean != want or kept.query(query, limit) != want:
                differ.append((query, limit))
    assert differ == []
    assert found  # the queries find things


def test_a_lean_index_keeps_no_titles_and_few_months(folder, monkeypatch):
    """Whatever a query reads, a lean index holds at most LEAN_SEGMENTS months open and no
    month's titles afterwards; the browser's index keeps the titles it read for its next
    query."""
    monkeypatch.setattr(cached_module, "LEAN_SEGMENTS", 2)
    cache, _ = folder
    made: list[CachedIndex] = []
    real = CachedIndex.__init__

    def note(self, *args, **kwargs):
        real(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(CachedIndex, "__init__", note)
    for query in QUERIES:
        assert cache.search_files(query, None) is not None
    assert made and all(len(i._built) <= 2 and not i._head_parts for i in made)
    kept = cache.files_index()
    assert kept is not None
    kept.query("council", None)
    assert kept._head_parts
