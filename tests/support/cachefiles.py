"""What a cache is made of on disk, for tests that look for text in it."""

from __future__ import annotations

from pathlib import Path

from tuibrowser.packed import BlockText, unpack
from tuibrowser.store.leantexts import each_text, segment_texts


def part_bytes(path: Path) -> bytes:
    """What a part of the cache holds: a packed part (see :mod:`tuibrowser.packed`) as it
    was before packing, any other file as it is."""
    raw = Path(path).read_bytes()
    if raw[:1] == b"\x78":  # a zlib stream (JSON starts with "{")
        return unpack(raw)
    if raw[:4] == b"TBK1":
        return BlockText(raw)[:]
    if raw[:4] == b"TBL1":  # a shard's long texts, packed against its search text
        shown = segment_texts(Path(path))
        return b"\n".join(data for _, _, data in each_text(raw, shown))
    return raw


def cache_bytes(index: Path) -> bytes:
    """The bytes of a cache's index and of every file in its shard folder (used or not),
    packed parts as they were before packing: text packed away is still looked for."""
    index = Path(index)
    shards = index.with_name(index.name + ".d")
    parts = [index, *sorted(shards.glob("*"))] if shards.is_dir() else [index]
    return b"".join(part_bytes(p) for p in parts if p.is_file())


def shard_parts(cache) -> dict[tuple[str, str], bytes]:
    """The bytes of every part of every shard of ``cache`` (a :class:`~tuibrowser.store.Cache`),
    by shard and kind of part (a shard's name is random: the same shard of two caches has two
    names)."""
    from tuibrowser.store import layout

    index, _ = cache._load_raw()
    assert index is not None
    found = {}
    for key, name in index.meta.shards.items():
        stem = name.removesuffix(".json")
        for part in layout.part_names(name):
            found[(key, part.removeprefix(stem))] = (cache.shard_dir / part).read_bytes()
    return found
