"""What a cache holds, to compare a refreshed cache with a cold index of the same files."""

from __future__ import annotations

import time
from pathlib import Path

import orjson
from cachefiles import shard_parts
from hypothesis import strategies as st

from tuibrowser import export
from tuibrowser.store import Cache

VOLATILE = ("indexed_ns",)  # when a file was indexed: a cold index is later


def entries(cache: Cache) -> dict[str, dict]:
    """The catalog's entries, but for when each file was indexed."""
    return {
        label: {k: v for k, v in e.items() if k not in VOLATILE}
        for label, e in cache.entries().items()
    }


def by_half_month(cache: Cache) -> dict:
    """The catalog by half month (store/halves.py) as read, but for when each file was
    indexed: its blocks' entries, how many, and the files whose name gives another half month.
    Its entries are the catalog's."""
    from tuibrowser.store.halves import read_halves

    index, _ = cache._load_raw()
    assert index is not None and index.meta.halves is not None
    part = read_halves(cache.shard_dir / index.meta.halves)
    assert part is not None
    blocks = {
        key: [{k: v for k, v in e.items() if k not in VOLATILE} for e in part.entries(key)]
        for key in sorted(part.blocks)
    }
    found = {e["path"]: e for block in blocks.values() for e in block}
    assert found == entries(cache)
    return {"blocks": blocks, "count": part.count, "elsewhere": part.elsewhere}


def exported(cache: Cache) -> dict:
    """The library the cache holds, exported, its problems in an order of their own."""
    lib = cache.load()
    assert lib is not None
    data = export.to_data(lib)
    data["problems"] = sorted(orjson.dumps(p).decode() for p in data["problems"])
    return data


def edit_steps(actions: list[str]) -> st.SearchStrategy[list[tuple[str, int]]]:
    """One to six edits, each one of ``actions`` done to a file chosen by a number."""
    return st.lists(st.tuples(st.sampled_from(actions), st.integers(0, 99)), min_size=1, max_size=6)


def content(cache: Cache) -> tuple[dict, dict, dict, dict, dict]:
    """What the cache holds, but for when it was written: entries, meetings, meeting list,
    every shard's parts (documents, rows, search text, words, skeleton, views, long texts),
    and the catalog by half month."""
    data = exported(cache)
    index, _ = cache._load_raw()
    assert index is not None
    return (
        entries(cache),
        data,
        {"first": index.first, "counts": index.meta.counts},
        shard_parts(cache),
        by_half_month(cache),
    )


def cold(root: Path, tmp_path: Path) -> Cache:
    """A cold index of ``root``."""
    fresh = Cache(root, tmp_path / f"cold-{time.monotonic_ns()}" / "c.json")
    fresh.update()
    return fresh
