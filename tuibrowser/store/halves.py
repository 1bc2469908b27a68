"""The catalog by half month: what a refresh reads of the catalog when something changed.

The catalog holds every file's entry (12,000 at 10,000 meetings): read whole (unpacked, parsed,
made into dicts), it was the largest share of a one-file refresh but the half month written
again. Beside it the cache keeps the same entries grouped by half month
(``catalog-<token>.halves``, named by the index as :attr:`.layout.IndexMeta.halves`): a
header, a line of JSON, then a block of each half month (key ``""``: the entries with none),
each the JSON list of its entries in the order of their labels, packed on its own. The
header gives each block's place, how many entries it holds, how many entries there are, and
the half month of every file whose name does not give its own (``elsewhere``: a file whose
date is not its name's, or that has no document), and the name and CRC-32 of the catalog and
of its journal it was written with (``of``): a catalog or journal not the one written, as one
edited by hand, is found and read as the reader reads it.

A refresh that finds files changed, added or gone by the seen part (:mod:`.seen`) reads the
header, and the blocks of the half months those files were in, of those it writes again, and
of the files it moves; not the catalog (:mod:`.halfplan`). It writes the part again with the
blocks of the half months whose entries changed made again, and the others' bytes as they
were: a block is a function of its entries alone, so the part is what writing it whole from
the catalog gives, which is what a cold index writes. A part that is missing, not this user's
own, damaged or not of the seen part's entries is not used: the refresh reads the catalog.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import orjson

from ..base import record
from ..packed import pack, unpack
from . import fs, safefs
from .layout import name_shard, new_part_name

NONE = ""  # the key of the entries of no half month

# CRC-32 as zlib's, by ISA-L where it is installed (as tuibrowser.packed packs): eighty times
# faster, and a refresh sums the catalog (1 MB at 10,000 meetings) each time it reads this part
try:
    from isal.isal_zlib import crc32
except ImportError:  # no wheel of isal for this machine: zlib itself
    from zlib import crc32


class Damaged(ValueError):
    """A part, or a block of it, that is not what was written."""


def key_of(entry: dict) -> str:
    return entry.get("shard") or NONE


def block_of(entries: Iterable[dict]) -> bytes:
    """A block of ``entries`` (of one half month), in the order of their labels."""
    return pack(orjson.dumps(sorted(entries, key=_path)))


def _path(entry: dict) -> str:
    return entry["path"]


@record
class Halves:
    """A part as read: its header, and its blocks' bytes."""

    def __init__(
        self,
        blocks: dict[str, list[int]],  # key → [offset, length, entries]
        count: int,
        elsewhere: dict[str, str],  # label → key, when its name gives another
        raw: memoryview,  # the blocks
        of: list,  # [[name, CRC-32] of the catalog, and of its journal or None]
    ) -> None:
        self.blocks = blocks
        self.count = count
        self.elsewhere = elsewhere
        self.raw = raw
        self.of = of

    def shard_of(self, label: str) -> str:
        """The key of the block the entry of ``label`` is in (if any is)."""
        found = self.elsewhere.get(label)
        if found is not None:
            return found
        return name_shard(label) or NONE

    def packed(self, key: str) -> bytes:
        return bytes(self.view(key))

    def view(self, key: str) -> memoryview:
        """The packed bytes of the block ``key``, in place."""
        at, length, _ = self.blocks[key]
        return self.raw[at : at + length]

    def entries(self, key: str) -> list[dict]:
        """The entries of the block ``key`` (none when it has none); :class:`Damaged` when it
        is not what was written (not JSON, not as many entries, an entry of another shape or
        of another half month)."""
        if key not in self.blocks:
            return []
        n = self.blocks[key][2]
        try:
            found = orjson.loads(unpack(self.packed(key)))
        except ValueError as exc:
            raise Damaged(str(exc)) from None
        if not isinstance(found, list) or len(found) != n:
            raise Damaged(f"block {key!r} does not hold its {n} entries")
        for entry in found:
            if not (
                isinstance(entry, dict)
                and isinstance(entry.get("path"), str)
                and isinstance(entry.get("shard"), (str, type(None)))
                and key_of(entry) == key
            ):
                raise Damaged(f"block {key!r} holds an entry of another shape")
        return found


def read_halves(path: Path) -> Halves | None:
    """The part at ``path``; None when it is missing, not this user's own, or its header is
    damaged (the refresh then reads the catalog)."""
    try:
        raw = safefs.read_own(path)
        head, sep, _ = raw.partition(b"\n")
        if not sep:
            return None
        data = orjson.loads(head)
        return _checked(data, memoryview(raw)[len(head) + 1 :])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _checked(data: Any, raw: memoryview) -> Halves | None:
    if not isinstance(data, dict):
        return None
    blocks, count, elsewhere, of = (data.get(k) for k in ("blocks", "count", "elsewhere", "of"))
    if not (isinstance(blocks, dict) and isinstance(count, int) and isinstance(elsewhere, dict)):
        return None
    end = 0
    total = 0
    for key in sorted(blocks):
        place = blocks[key]
        if not (
            isinstance(place, list)
            and len(place) == 3
            and all(type(n) is int and n >= 0 for n in place)
            and place[0] == end
        ):
            return None
        end += place[1]
        total += place[2]
    if end != len(raw) or total != count:
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in elsewhere.items()):
        return None
    if not (isinstance(of, list) and len(of) == 2 and all(map(_named, of))):
        return None
    return Halves(blocks, count, elsewhere, raw, of)


def _named(item: Any) -> bool:
    return item is None or (
        isinstance(item, list)
        and len(item) == 2
        and isinstance(item[0], str)
        and type(item[1]) is int
    )


def sum_of(folder: Path, name: str | None) -> list | None:
    """[``name``, the CRC-32 of its file] (``OSError`` when it cannot be read)."""
    if name is None:
        return None
    return [name, crc32(safefs.read_own(folder / name))]


def write_halves(
    path: Path,
    blocks: Mapping[str, tuple[bytes | memoryview, int]],
    elsewhere: dict[str, str],
    of: list,
) -> None:
    """Write the part of ``blocks`` (key → its packed bytes and how many entries it holds;
    none empty), ``elsewhere`` (label → key, of the files whose name gives another) and
    ``of`` (the catalog's and its journal's names and CRC-32s: :func:`sum_of`)."""
    places: dict[str, list[int]] = {}
    at = 0
    for key in sorted(blocks):
        data, n = blocks[key]
        places[key] = [at, len(data), n]
        at += len(data)
    head = {
        "count": sum(n for _, n in blocks.values()),
        "blocks": places,
        "elsewhere": dict(sorted(elsewhere.items())),
        "of": of,
    }
    payload = b"".join([orjson.dumps(head), b"\n", *(blocks[k][0] for k in sorted(blocks))])
    # not synced, as the seen part: a part cut short fails its checks, and is not used
    fs.atomic_write(path, payload, sync=False)


def whole(entries: Iterable[dict]) -> tuple[dict[str, tuple[bytes, int]], dict[str, str]]:
    """The blocks and the ``elsewhere`` of a part of every entry of ``entries``."""
    grouped: dict[str, list[dict]] = {}
    elsewhere: dict[str, str] = {}
    for entry in entries:
        key = key_of(entry)
        grouped.setdefault(key, []).append(entry)
        if (name_shard(entry["path"]) or NONE) != key:
            elsewhere[entry["path"]] = key
    return {k: (block_of(v), len(v)) for k, v in grouped.items()}, elsewhere


def new_name() -> str:
    return new_part_name("catalog", ".halves")
