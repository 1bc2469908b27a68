"""What a query gives: hits (ranked, with a snippet and the spans to highlight), grouped by
meeting."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from dataclasses import field as _field
from typing import Any

from .folding import fold
from .query import _first

SNIPPET_WIDTH = 100
HIT_KINDS = ("item", "decision", "action", "person", "kpi")

# ranking tiers, best first
_TIER_ALL_IN_TITLE = 0
_TIER_SOME_IN_TITLE = 1
_TIER_DECISION = 2
_TIER_ACTION = 3
_TIER_TEXT = 4


@dataclass(slots=True)
class Hit:
    """One search result. ``spans`` are ``(start, end)`` offsets of the matches in ``snippet``;
    ``title_spans`` the same in ``title``. ``field`` names the part of the record the snippet
    comes from (``title``, ``minute``, ``report``, ``decision``, ``action``, ``name``,
    ``authority``, ``target``, ``delivered``, …)."""

    kind: str
    meeting_id: str | None
    item_number: str | None
    person: str | None
    kpi: str | None
    title: str
    snippet: str
    spans: list[tuple[int, int]] = _field(default_factory=list)
    confidential: bool = False
    field: str = ""
    title_spans: list[tuple[int, int]] = _field(default_factory=list)
    date: str | None = None
    board: str | None = None
    rank: int = _TIER_TEXT

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["spans"] = [list(s) for s in self.spans]
        out["title_spans"] = [list(s) for s in self.title_spans]
        return out


@dataclass(slots=True)
class HitGroup:
    """Hits of one meeting (or of people, when ``meeting_id`` is None)."""

    meeting_id: str | None
    date: str | None
    board: str | None
    hits: list[Hit]

    @property
    def heading(self) -> str:
        if self.meeting_id is None:
            return "People"
        return f"{self.date} {self.board}"


@dataclass(slots=True)
class Results:
    """The hits of a query (at most ``limit``, best kept) and how many records matched:
    ``total`` is exact when ``complete``; otherwise the search stopped early and it is a
    lower bound."""

    query: str
    terms: list[str]
    hits: list[Hit]
    total: int
    complete: bool = True

    def groups(self) -> list[HitGroup]:
        return group_hits(self.hits)


def _spans(
    low: str, patterns: list[re.Pattern[str]], start: int, end: int
) -> list[tuple[int, int]]:
    """Match spans inside ``low[start:end]``, relative to ``start``, merged and sorted."""
    found: list[tuple[int, int]] = []
    for rx in patterns:
        for m in rx.finditer(low, start, end):
            found.append((m.start() - start, min(m.end(), end) - start))
    found.sort()
    merged: list[tuple[int, int]] = []
    for s, e in found:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _snippet(
    kind: str,
    names: list[str],
    shown: list[str],
    folded: list[str],
    terms: list[tuple[str, re.Pattern[str]]],
) -> tuple[str, str, list[tuple[int, int]]]:
    """The field to show and about 100 characters of it around its first match.

    The text beyond the title is preferred (the title is shown anyway); a decision or action
    always shows its own text. ``shown`` and ``folded`` are a record's fields as the segment
    holds them, ``names`` what they are.
    """
    head = min(1, len(names))
    best: tuple[int, int, int] | None = None  # (terms found, field index, first match)
    for i in range(head, len(names)):
        low = folded[i] if i < len(folded) else ""
        starts = [p for t, rx in terms if (p := _first(low, t, rx)) is not None]
        if starts and (best is None or len(starts) > best[0]):
            best = (len(starts), i, min(starts))
    if best is not None:
        index, first = best[1], best[2]
    elif kind in ("decision", "action") and len(names) > head:
        index, first = head, 0
    elif names:
        index, first = 0, 0
    else:
        return ("", "", [])
    text = shown[index]
    low = folded[index] if index < len(folded) and len(folded[index]) == len(text) else fold(text)
    return (names[index], *_window(text, low, first, [rx for _, rx in terms]))


def _window(
    text: str, low: str, first: int, patterns: list[re.Pattern[str]], width: int = SNIPPET_WIDTH
) -> tuple[str, list[tuple[int, int]]]:
    if len(text) <= width:
        return text, _spans(low, patterns, 0, len(text))
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    if start > 0:
        space = text.find(" ", start, first)
        if space != -1:
            start = space + 1
    if end < len(text):
        space = text.rfind(" ", first + 1, end)
        if space != -1:
            end = space
    spans = _spans(low, patterns, start, end)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix)
    return (
        prefix + text[start:end] + suffix,
        [(s + shift, e + shift) for s, e in spans],
    )


def group_hits(hits: Iterable[Hit]) -> list[HitGroup]:
    """Consecutive hits of one meeting as a group (``search`` returns them in group order)."""
    groups: list[HitGroup] = []
    for h in hits:
        if groups and groups[-1].meeting_id == h.meeting_id:
            groups[-1].hits.append(h)
        else:
            groups.append(HitGroup(h.meeting_id, h.date, h.board, [h]))
    return groups
