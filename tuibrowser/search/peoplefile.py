"""The file of the people of the whole folder that the cache keeps beside its shards (made by
:func:`~.skeleton.merge_people`): their rows, their titles and their search segment, each as
it is, so a query reads what it needs without parsing the rest.

The layout: :data:`MAGIC`, a line of sizes (JSON: the number of people, then the bytes of each
part), then the parts one after the other: the rows (JSON, parsed only when a query shows a
person or a screen lists them), the titles (UTF-8, each ended by NUL), and the segment's
folded text, text as shown and offsets (:class:`~.segments._Segment`). As one JSON object
its text as shown, mostly NUL, was six times its size, and a query parsed every row.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import orjson

MAGIC = b"TBPEOPLE1\n"


class PeopleParts(NamedTuple):
    """The parts of the file of the people."""

    total: int  # how many people
    rows: bytes  # JSON: [key, display name, names, authorities, roles, groups] of each
    heads: str  # their titles, each ended by NUL
    folded: bytes
    shown: bytes
    offsets: bytes


def people_file(
    total: int, rows: bytes, heads: str, folded: bytes, shown: bytes, offsets: bytes
) -> bytes:
    """The file of ``total`` people: their ``rows`` (JSON), titles and search segment."""
    parts = [rows, heads.encode("utf-8", "surrogatepass"), folded, shown, offsets]
    sizes = orjson.dumps([total, *map(len, parts)])
    return b"".join([MAGIC, sizes, b"\n", *parts])


def read_people(data: bytes) -> PeopleParts:
    """The parts of the file of the people; ``ValueError`` when ``data`` is not one (another
    format, cut short)."""
    if not data.startswith(MAGIC):
        raise ValueError("not a file of the people")
    start = len(MAGIC)
    end = data.find(b"\n", start)
    sizes = orjson.loads(data[start:end]) if end != -1 else None
    if not (
        isinstance(sizes, list)
        and len(sizes) == 6
        and all(type(n) is int and n >= 0 for n in sizes)
        and end + 1 + sum(sizes[1:]) == len(data)
    ):
        raise ValueError("the file of the people is damaged")
    view = memoryview(data)
    parts = []
    at = end + 1
    for size in sizes[1:]:
        parts.append(bytes(view[at : at + size]))
        at += size
    rows, heads, folded, shown, offsets = parts
    text = heads.decode("utf-8", "surrogatepass")
    return PeopleParts(sizes[0], rows, text, folded, shown, offsets)


def people_rows(rows: bytes) -> list[list[Any]]:
    """The people's rows (:attr:`PeopleParts.rows`)."""
    found = orjson.loads(rows)
    if not isinstance(found, list):
        raise ValueError("the file of the people is damaged")
    return found
