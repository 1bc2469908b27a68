"""What a cache is made of on disk, for tests that look for text in it."""

from __future__ import annotations

from pathlib import Path


def cache_bytes(index: Path) -> bytes:
    """The bytes of a cache's index and of every file in its shard folder (used or not)."""
    index = Path(index)
    shards = index.with_name(index.name + ".d")
    parts = [index, *sorted(shards.glob("*"))] if shards.is_dir() else [index]
    return b"".join(p.read_bytes() for p in parts if p.is_file())
