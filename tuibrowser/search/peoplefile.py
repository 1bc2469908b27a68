"""The file of the people of the whole folder that the cache keeps beside its shards (made by
:func:`~.skeleton.merge_people`): their rows, their titles and their search segment, each as
it is, so a query reads what it needs without parsing the rest.

The layout: :data:`MAGIC`, a line of sizes (JSON: the number of people, then the bytes of each
part), then the parts one after the other: the rows (a line of JSON each, parsed only when a
query shows that person or a screen lists them all), the titles (UTF-8, each ended by NUL), and the segment's
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
    rows: bytes  # a line of JSON each: [key, display name, names, authorities, roles, groups]
    heads: str  # their titles, each ended by NUL
    folded: bytes
    shown: bytes
    offsets: bytes


def people_file(
    rows: list[list[Any]], heads: str, folded: bytes, shown: bytes, offsets: bytes
) -> bytes:
    """The file of the people of ``rows``: their rows, titles and search segment."""
    lines = b"\n".join(map(orjson.dumps, rows))  # (JSON escapes every line break it holds)
    parts = [lines, heads.encode("utf-8", "surrogatepass"), folded, shown, offsets]
    sizes = orjson.dumps([len(rows), *map(len, parts)])
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
    if (rows.count(b"\n") + 1 if rows else 0) != sizes[0]:
        raise ValueError("the file of the people is damaged")
    text = heads.decode("utf-8", "surrogatepass")
    return PeopleParts(sizes[0], rows, text, folded, shown, offsets)


def people_rows(rows: bytes) -> list[list[Any]]:
    """Every person's row (:attr:`PeopleParts.rows`)."""
    return [person_row(line) for line in rows.split(b"\n")] if rows else []


def person_row(line: bytes) -> list[Any]:
    """A person's row: one line of :attr:`PeopleParts.rows`."""
    found = orjson.loads(line)
    if not isinstance(found, list):
        raise ValueError("the file of the people is damaged")
    return found
