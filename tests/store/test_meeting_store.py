"""The MeetingStore seam: the TinyDB cache and the files read straight both implement it, and
give the same answers for the bundled meetings (the meetings, a meeting's texts, a search),
in public mode too."""

from __future__ import annotations

import inspect

import pytest

from tuibrowser.export import to_data
from tuibrowser.store import Cache, FileStore, MeetingStore, load_library, open_store

METHODS = ["head", "rows", "update", "load", "repair", "search"]
QUERIES = ["council", "budget", '"local government"', "gov", "minutes report", "zzzznothing"]


@pytest.fixture(params=[False, True], ids=["private", "public"])
def stores(request, corpus, cache_path) -> dict[str, MeetingStore]:
    public = request.param
    return {
        "cache": open_store(corpus, cache_path, no_cache=False, public=public),
        "files": open_store(corpus, no_cache=True, public=public),
    }


def test_open_store_gives_the_cache_or_the_files(corpus, cache_path):
    assert isinstance(open_store(corpus, cache_path), Cache)
    assert isinstance(open_store(corpus, cache_path, no_cache=True), FileStore)


@pytest.mark.parametrize("kind", [Cache, FileStore])
@pytest.mark.parametrize("method", METHODS)
def test_each_store_has_the_protocols_methods_with_its_parameters(kind, method):
    wanted = inspect.signature(getattr(MeetingStore, method)).parameters
    found = inspect.signature(getattr(kind, method)).parameters
    assert list(found) == list(wanted)
    for name, p in wanted.items():
        assert found[name].default == p.default, (kind, method, name)


def test_both_stores_satisfy_the_protocol(stores):
    for store in stores.values():
        assert isinstance(store, MeetingStore)


def test_both_stores_give_the_same_meetings(stores):
    libs = {}
    for name, store in stores.items():
        report = store.update()
        assert report.meetings > 0 and not report.skipped, name
        libs[name] = store.load()
    assert to_data(libs["cache"]) == to_data(libs["files"])
    assert libs["cache"].people.keys() == libs["files"].people.keys()


def test_the_meeting_list_is_the_librarys(stores):
    cache, files = stores["cache"], stores["files"]
    cache.update()
    lib = files.load()
    rows = lib.rows()
    assert cache.rows() == rows
    head = cache.head()
    assert head is not None and head.total == len(rows) and head.rows == rows[: len(head.rows)]
    # the files store keeps no list apart from its library: the list is made from it
    assert files.head() is None and files.rows() is None


def test_a_meetings_texts_are_the_same_read_later(stores):
    cache, files = stores["cache"], stores["files"]
    cache.update()
    lean = cache.load(texts=False)
    whole = files.load()
    assert lean.lean  # the texts are still to be read
    for m in whole.meetings:
        got = lean.full(m.id)
        assert got is not None, m.id
        assert [(it.number, it.minute, it.report, it.note) for it in got.items] == [
            (it.number, it.minute, it.report, it.note) for it in m.items
        ], m.id
        assert got.sections == m.sections, m.id
    assert not lean.lean


@pytest.mark.parametrize("query", QUERIES)
def test_both_stores_find_the_same_hits(stores, query):
    found = {}
    for name, store in stores.items():
        lib, _ = load_library(store)
        results = store.search(lib, query, limit=20)
        found[name] = (
            results.total,
            results.complete,
            [h.to_dict() for h in results.hits],
        )
    assert found["cache"] == found["files"]


def test_the_searches_find_something(corpus):
    # the queries above are worth comparing only if most of them find hits in the seeds
    from tuibrowser.search import run
    from tuibrowser.store import read_files

    lib, _ = read_files(corpus)
    assert sum(bool(run(lib, q, limit=5).hits) for q in QUERIES) >= 4


class Failing(FileStore):
    """A store that cannot be used now (``update`` raises), or cannot give its library."""

    def __init__(self, root, public=False, unusable=False, repaired=False):
        super().__init__(root, public)
        self.unusable, self.repaired, self.loads = unusable, repaired, 0

    def update(self, progress=None):
        from tuibrowser.store import CacheUnavailable

        if self.unusable:
            raise CacheUnavailable("cache is locked by another process")
        return super().update(progress)

    def load(self, texts=True):
        self.loads += 1
        return super().load(texts) if self.repaired and self.loads > 1 else None

    def repair(self, progress=None):
        if not self.repaired:
            return None
        report = self.update(progress)
        report.rebuilt = "cache is corrupt"
        return report


@pytest.mark.parametrize(
    "how, note",
    [
        ({"unusable": True}, "cache is locked by another process; reading the files directly"),
        ({}, None),  # the library cannot be read and nothing repairs it
        ({"repaired": True}, "cache is corrupt; rebuilt it from the files"),
    ],
)
def test_load_library_reads_the_files_when_the_store_cannot_give_them(corpus, how, note):
    listed = []
    lib, report = load_library(Failing(corpus, **how), listed=listed.append)
    assert to_data(lib) == to_data(FileStore(corpus).load())
    assert report.note == note
    # the list is announced once the store is up to date, never when it could not be used
    assert len(listed) == (0 if how.get("unusable") else 1)
