"""What a cache holds, to compare a refreshed cache with a cold index of the same files."""

from __future__ import annotations

import time
from pathlib import Path

import orjson
from cachefiles import shard_parts

from tuibrowser import export
from tuibrowser.store import Cache

VOLATILE = ("indexed_ns",)  # when a file was indexed: a cold index is later


def entries(cache: Cache) -> dict[str, dict]:
    """The catalog's entries, but for when each file was indexed."""
    return {
        label: {k: v for k, v in e.items() if k not in VOLATILE}
        for label, e in cache.entries().items()
    }


def content(cache: Cache) -> tuple[dict, dict, dict, dict]:
    """What the cache holds, but for when it was written: entries, meetings, meeting list, and
    every shard's parts (documents, rows, search text, words, skeleton, views, long texts)."""
    lib = cache.load()
    assert lib is not None
    data = export.to_data(lib)
    data["problems"] = sorted(orjson.dumps(p).decode() for p in data["problems"])
    index, _ = cache._load_raw()
    assert index is not None
    return (
        entries(cache),
        data,
        {"first": index.first, "counts": index.meta.counts},
        shard_parts(cache),
    )


def cold(root: Path, tmp_path: Path) -> Cache:
    """A cold index of ``root``."""
    fresh = Cache(root, tmp_path / f"cold-{time.monotonic_ns()}" / "c.json")
    fresh.update()
    return fresh
