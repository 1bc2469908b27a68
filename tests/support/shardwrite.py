"""A shard of the bundled meetings written whole or split (store/beside.py), for the tests of
the split write; importable by a fresh interpreter, which has no thread (so it may fork)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from tuibrowser.records import read_file
from tuibrowser.store import layout, shards

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"


def shard_docs() -> tuple[str, dict]:
    """The documents of the bundled shard with the most files (the key, label → document)."""
    by_key: dict[str, dict] = {}
    for path in sorted(MEETINGS.rglob("*.md")):
        doc = read_file(path, path.name).document
        if doc is not None:
            by_key.setdefault(layout.name_shard(path.name) or "", {})[path.name] = doc
    key = max(sorted(by_key), key=lambda k: len(by_key[k]))
    return key, by_key[key]


def written(folder: Path, split: bool) -> tuple[dict[str, bytes], list[dict]]:
    """Each part of a shard written in ``folder`` (by kind), and its rows."""
    folder.mkdir()
    key, docs = shard_docs()
    name, rows = shards.write_shard(folder, key, docs, split=split)
    stem = name.removesuffix(".json")
    parts = {p.removeprefix(stem): (folder / p).read_bytes() for p in layout.part_names(name)}
    assert sorted(os.listdir(folder)) == sorted(layout.part_names(name))  # no temporary left
    return parts, rows


def digest(found: tuple[dict[str, bytes], list[dict]]) -> tuple[dict[str, str], list[dict]]:
    """``written``'s parts by their sha256, to compare across processes."""
    parts, rows = found
    return {k: hashlib.sha256(v).hexdigest() for k, v in parts.items()}, rows
