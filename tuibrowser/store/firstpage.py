"""The index's first page of the meeting list (its newest :data:`.layout.FIRST_PAGE` rows, which
the browser shows before it reads a shard): kept from the old index when the shards it is made
of are the same files, or made again from the newest shards' rows."""

from __future__ import annotations

from collections.abc import Container
from typing import TYPE_CHECKING

from ..listing import meeting_order
from . import layout
from .layout import BAD_ENTRY, Index

if TYPE_CHECKING:
    from .cache import Cache


def page_shards(shards: dict[str, str], counts: dict) -> list[tuple[str, str, int]]:
    """The newest shards (key, file, meetings) whose rows :func:`first_page` reads."""
    used: list[tuple[str, str, int]] = []
    total = 0
    for key in sorted(shards, reverse=True):
        used.append((key, shards[key], int(counts.get(key, 0))))
        total += used[-1][2]
        if total >= layout.FIRST_PAGE:
            break
    return used


def kept_first_page(
    index: Index | None,
    before: dict[str, str],
    shards: dict[str, str],
    counts: dict,
    written: Container[str],
    interim: bool,
) -> list[dict] | None:
    """The old index's first page, when the new one would be the same: it is made of the rows
    of the newest shards, and those are the same files (none written again, as many meetings)
    as the old page was made of (a refresh of an older file reads no shard's rows for it).
    None when it has to be made again."""
    if index is None or interim:
        return None
    try:
        used = page_shards(shards, counts)
        if any(key in written for key, _, _ in used):
            return None
        if used != page_shards(before, index.meta.counts):
            return None
        return list(index.first.values())
    except BAD_ENTRY:
        return None


def first_page(cache: Cache, shards: dict[str, str], fresh: dict[str, list[dict]]) -> list[dict]:
    """The newest FIRST_PAGE rows of the meeting list: from the newest shards, their rows
    just made or as their files keep them."""
    rows: list[dict] = []
    for key in sorted(shards, reverse=True):
        rows.extend(fresh[key] if key in fresh else cache._shard_rows(shards[key]))
        if len(rows) >= layout.FIRST_PAGE:
            break
    rows.sort(key=lambda r: meeting_order(r["date"], r.get("time"), r["board"]), reverse=True)
    return rows[: layout.FIRST_PAGE]
