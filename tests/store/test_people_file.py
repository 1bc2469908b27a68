"""The file of the people of the whole folder (search/peoplefile.py): what the merge wrote is
what is read back, part by part; anything else (cut short, grown, another layout, a header
that lies) is refused as damaged, and the cache then merges the people again — as it does a
file kept in the older layout (one JSON object) — and answers as the library does."""

from __future__ import annotations

import orjson
import pytest
from viewfolders import folder_of, indexed

from tuibrowser.packed import pack, unpack
from tuibrowser.search import run
from tuibrowser.search.peoplefile import MAGIC, people_rows, read_people
from tuibrowser.search.skeleton import merge_people, merge_people_rows
from tuibrowser.store.layout import people_name, skeleton_names


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    """A cache of the bundled meetings, and every shard's people (oldest first)."""
    tmp = tmp_path_factory.mktemp("people")
    cache = indexed(folder_of("meetings", tmp), tmp, False)
    index = cache._load_raw()[0]
    assert index is not None
    shards = index.meta.shards
    months = [
        unpack((cache.shard_dir / skeleton_names(shards[k])[2]).read_bytes())
        for k in sorted(shards)
    ]
    return cache, months


def test_the_file_reads_back_what_the_merge_wrote(merged):
    _, months = merged
    parts = read_people(merge_people(months))
    rows = merge_people_rows(months)
    assert people_rows(parts.rows) == rows and parts.total == len(rows) > 10
    assert parts.heads.count("\0") == len(rows)
    assert parts.folded.count(b"\0") == len(rows)


def _header(data: bytes, sizes: object) -> bytes:
    """``data`` with its line of sizes replaced by ``sizes``."""
    end = data.index(b"\n", len(MAGIC))
    return MAGIC + orjson.dumps(sizes) + data[end:]


def _sizes(data: bytes) -> list[int]:
    return orjson.loads(data[len(MAGIC) : data.index(b"\n", len(MAGIC))])


DAMAGE = {
    "empty": lambda d: b"",
    "cut short": lambda d: d[:-1],
    "a byte more": lambda d: d + b"x",
    "no magic": lambda d: d[len(MAGIC) :],
    "the older layout": lambda d: orjson.dumps({"p": [], "f": "", "s": "", "o": "", "h": ""}),
    "no line of sizes": lambda d: MAGIC + b"[1, 2",
    "sizes not a list": lambda d: _header(d, {"a": 1}),
    "a size less than nothing": lambda d: _header(d, [1, -1, 1, 1, 1, 1]),
    "a size not a number": lambda d: _header(d, [1, "2", 1, 1, 1, 1]),
    "a part too few": lambda d: _header(d, [1, 2, 3, 4, 5]),
    "more people than rows": lambda d: _header(d, [10**6, *_sizes(d)[1:]]),
    "fewer people than rows": lambda d: _header(d, [1, *_sizes(d)[1:]]),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_anything_else_is_refused(merged, damage):
    _, months = merged
    with pytest.raises(ValueError):
        read_people(DAMAGE[damage](merge_people(months)))


@pytest.mark.parametrize("damage", ["the older layout", "cut short", "no magic"])
def test_a_file_not_of_this_layout_is_merged_again(merged, damage):
    """The file kept by an older version (or damaged) is merged again and replaced: the search
    from the cache's files answers as the library's, people and all."""
    cache, months = merged
    index = cache._load_raw()[0]
    assert index is not None
    path = cache.shard_dir / people_name(index.meta.shards)
    path.write_bytes(pack(DAMAGE[damage](merge_people(months))))
    lib = cache.load()
    assert lib is not None
    for query in ["cllr", "council", "chair", "zyzzyva"]:
        assert cache.search_files(query, 20) == run(lib, query, 20)
    assert read_people(unpack(path.read_bytes())) == read_people(merge_people(months))
