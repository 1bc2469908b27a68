"""The same topic at other meetings, for the item screen and the command palette.

Topics come from ``tuibrowser.topics.find_topics`` (the topics module). If that module is not
part of this build, a small stand-in groups items whose titles start with the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..library import Library


@dataclass
class RelatedItem:
    """An item of a topic at one meeting."""

    meeting_id: str
    date: str
    number: str
    title: str


@dataclass
class TopicView:
    key: str | None
    title: str
    appearances: list[RelatedItem] = field(default_factory=list)


_STOP = {"the", "of", "and", "a", "an", "for", "to", "in", "on", "update", "lga", "s"}
_WORD = re.compile(r"[a-z]+")

_cache: dict[int, tuple[Library, list[TopicView]]] = {}


def _fallback_key(title: str) -> str:
    words = [w for w in _WORD.findall(title.lower()) if w not in _STOP]
    return " ".join(words[:2])


def _fallback(library: Library) -> list[TopicView]:
    groups: dict[str, TopicView] = {}
    for m in sorted(library.meetings, key=lambda m: m.date):
        for it in m.items:
            key = _fallback_key(it.title or "")
            if not key:
                continue
            topic = groups.setdefault(key, TopicView(None, it.title))
            topic.appearances.append(RelatedItem(m.id, m.date, it.number, it.title))
    return [t for t in groups.values() if len({a.meeting_id for a in t.appearances}) > 1]


def _field(obj, *names, index: int):
    if isinstance(obj, tuple | list):
        return obj[index]
    for name in names:
        if hasattr(obj, name):
            return getattr(obj, name)
    return None


def topics(library: Library) -> list[TopicView]:
    """All topics that appear at more than one meeting, cached per library."""
    hit = _cache.get(id(library))
    if hit is not None and hit[0] is library:
        return hit[1]
    try:
        from ..topics import find_topics
    except ImportError:
        found = _fallback(library)
    else:
        found = []
        for t in find_topics(library):
            apps = [
                RelatedItem(
                    str(_field(a, "meeting_id", "meeting", index=0)),
                    str(_field(a, "date", index=1)),
                    str(_field(a, "item_number", "number", index=2)),
                    str(_field(a, "item_title", "title", index=3) or ""),
                )
                for a in getattr(t, "appearances", [])
            ]
            found.append(TopicView(getattr(t, "key", None), getattr(t, "title", ""), apps))
    _cache.clear()
    _cache[id(library)] = (library, found)
    return found


def topic_of(library: Library, meeting_id: str, number: str) -> TopicView | None:
    """The topic an item belongs to (the one with most other meetings), or None."""
    best: TopicView | None = None
    for t in topics(library):
        if any(a.meeting_id == meeting_id and a.number == number for a in t.appearances):
            if best is None or len(t.appearances) > len(best.appearances):
                best = t
    return best


def elsewhere(library: Library, meeting_id: str, number: str) -> tuple[TopicView | None, list]:
    """The item's topic and its appearances at other meetings, oldest first."""
    topic = topic_of(library, meeting_id, number)
    if topic is None:
        return None, []
    others = [a for a in topic.appearances if a.meeting_id != meeting_id]
    others.sort(key=lambda a: (a.date, a.meeting_id))
    return topic, others
