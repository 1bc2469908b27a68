"""The Topics list from the cache's parts: the same topics as the library's, before it is loaded.

Topics group titles across every meeting, so no shard can group its own: each shard keeps what
the grouping reads of its meetings (:func:`shard_items`: each meeting's place in the meeting
order, its id and date, and its items' numbers and titles), and the first reader puts the
parts together in the library's order and groups them with the library's own function
(:func:`tuibrowser.topics.topics_of`). A test holds the two equal. The cache keeps the list as
the Topics screen shows it (:class:`TopicLine`: a topic opened waits for the library).

Headless: no Textual, no Rich.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from .model import Meeting
    from .topics import Topic, TopicAppearance

__all__ = [
    "TopicLine",
    "as_rows",
    "from_rows",
    "lines",
    "merge_items",
    "shard_items",
    "topics_from_parts",
]


def shard_items(meetings: list[Meeting]) -> list[list[Any]]:
    """A shard's part: per meeting with items, in the shard's order, ``[date, time, board,
    id, [[number, title]…]]`` (the title on one line, as topics read it)."""
    out: list[list[Any]] = []
    for m in meetings:
        # (what appearances() gives of each item, without a TopicAppearance made of it)
        items = [[it.number, " ".join((it.title or "").split())] for it in m.items]
        if items:
            out.append([m.date, m.time or "", m.board, m.id, items])
    return out


def merge_items(parts: Iterable[list[list[Any]]]) -> list[list[Any]]:
    """Parts of the items (:func:`shard_items`) as one part of the same shape."""
    return [row for part in parts for row in part]


def _ordered(parts: Iterable[list[list[Any]]]) -> Iterator[TopicAppearance]:
    """Every item of the parts, its meetings in the library's order (newest first: date, time,
    board, as :func:`~tuibrowser.listing.by_meeting_order`)."""
    made = _topics().TopicAppearance
    rows = merge_items(parts)
    rows.sort(key=lambda r: (str(r[0]), str(r[1]), str(r[2])), reverse=True)
    for date, _time, _board, mid, items in rows:
        for number, title in items:
            yield made(str(mid), str(date), str(number), str(title))


def topics_from_parts(parts: Iterable[list[list[Any]]]) -> list[Topic]:
    """The topics of the whole folder from its parts (:func:`shard_items`, or
    :func:`merge_items` of them), as :func:`~tuibrowser.topics.find_topics` lists them of the
    library."""
    return _topics().topics_of(_ordered(parts))


@cache
def _topics() -> ModuleType:
    """:mod:`tuibrowser.topics`, imported when the parts are put together: a refresh writes a
    shard's part (:func:`shard_items`) without the grouping."""
    from . import topics

    return topics


class TopicLine(NamedTuple):
    """A topic as the Topics list shows it (its appearances are read with the library)."""

    key: str
    title: str
    meetings: int
    first: str
    last: str
    procedural: bool

    @property
    def years(self) -> str:
        return _topics().years_text(self.first, self.last)


def lines(topics: list[Topic]) -> list[TopicLine]:
    """The Topics list of ``topics`` (:func:`~tuibrowser.topics.find_topics`), in its order."""
    return [TopicLine(t.key, t.title, t.meetings, t.first, t.last, t.procedural) for t in topics]


def as_rows(found: list[TopicLine]) -> list[list[Any]]:
    """``found`` as JSON arrays (the cache keeps the merged list so)."""
    return [list(line) for line in found]


def from_rows(rows: list[list[Any]]) -> list[TopicLine]:
    """What :func:`as_rows` gave, read back (a row of the wrong shape raises ``TypeError`` or
    ``ValueError``)."""
    return [
        TopicLine(str(key), str(title), int(n), str(first), str(last), bool(procedural))
        for key, title, n, first, last, procedural in rows
    ]
