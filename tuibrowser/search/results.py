"""What a query gives: hits (ranked, with a snippet and the spans to highlight), grouped by
meeting."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from dataclasses import field as _field
from typing import Any

from .folding import fold_keep
from .query import _term_pattern

SNIPPET_WIDTH = 100
MAX_SNIPPETS = 3  # snippets of one hit; its match count says how many matches it holds
HIT_KINDS = ("item", "decision", "action", "person", "kpi")

# ranking tiers, best first
_TIER_ALL_IN_TITLE = 0
_TIER_SOME_IN_TITLE = 1
_TIER_DECISION = 2
_TIER_ACTION = 3
_TIER_TEXT = 4


@dataclass(slots=True)
class Snippet:
    """A part of a record around a match: the field it is from, the text as shown (one line,
    safe for a terminal) and the ``(start, end)`` spans of the matches in it."""

    field: str
    text: str
    spans: list[tuple[int, int]] = _field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "text": self.text, "spans": [list(s) for s in self.spans]}


@dataclass(slots=True)
class Hit:
    """One search result. ``spans`` are ``(start, end)`` offsets of the matches in ``snippet``;
    ``title_spans`` the same in ``title``. ``field`` names the part of the record the snippet
    comes from (``title``, ``minute``, ``report``, ``decision``, ``action``, ``name``,
    ``authority``, ``target``, ``delivered``, …). ``snippets`` are up to
    :data:`MAX_SNIPPETS` parts around matches, the first one the snippet above; ``matches``
    how many matches the record holds beyond its title (in the title when nothing else
    matches)."""

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
    snippets: list[Snippet] = _field(default_factory=list)
    matches: int = 0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["spans"] = [list(s) for s in self.spans]
        out["title_spans"] = [list(s) for s in self.title_spans]
        out["snippets"] = [s.to_dict() for s in self.snippets]
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
    return _merged(found)


def _all_matches(low: str, term: str, rx: re.Pattern[str]) -> list[tuple[int, int]]:
    """Every match of ``term`` in ``low``: ``str.find`` (C speed) for where one can start,
    the pattern (word start, runs of spaces) only there. A pattern that starts with a
    look-behind has no literal prefix, and ``finditer`` would try it at every character."""
    needle = term if " " not in term else term[: term.index(" ") + 1]
    if len(needle) < 3:  # found nearly everywhere: one pass of the pattern is quicker
        return [m.span() for m in rx.finditer(low)]
    find, match = low.find, rx.match
    out = []
    pos = find(needle)
    while pos != -1:
        m = match(low, pos)
        if m:
            out.append(m.span())
            pos = find(needle, m.end())
        else:
            pos = find(needle, pos + 1)
    return out


def _merged(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted, the overlapping ones merged."""
    found.sort()
    merged: list[tuple[int, int]] = []
    for s, e in found:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """The spans of the matches of ``terms`` (folded, as :func:`~.query.parse_query` gives
    them) in ``text``, a text of many lines: a line break is a blank between words, so a
    phrase is found across one. What the item screen highlights."""
    low = fold_keep(text).replace("\n", " ").replace("\t", " ").replace("\r", " ")
    return _spans(low, [_term_pattern(t) for t in terms if t], 0, len(low))


def _snippets(
    kind: str,
    names: list[str],
    shown: list[str],
    terms: list[tuple[str, re.Pattern[str]]],
    folded: list[str] | None = None,
    most: int = MAX_SNIPPETS,
) -> tuple[list[Snippet], int]:
    """Up to ``most`` snippets of a record (about 100 characters each around a match, none
    overlapping another), and how many matches the record holds beyond its title (in its
    title when nothing else matches).

    The first snippet is from the field beyond the title with the most terms, around its first
    match (the title is shown anyway); the others come after it, then from the other fields in
    order. A decision or action with no match beyond its title shows its own text.
    ``shown`` are a record's fields as the segment holds them, ``names`` what they are,
    ``folded`` the same folded (:func:`~.folding.fold`), when at hand.
    """
    patterns = [rx for _, rx in terms]
    if folded is None or len(folded) < len(names):
        folded = [fold_keep(text) for text in shown[: len(names)]]
    # a field's folded text is its fold_keep() when no run of spaces was squeezed
    lows = [
        f if len(f) == len(text) else fold_keep(text)
        for f, text in zip(folded, shown[: len(names)], strict=False)
    ]
    head = min(1, len(names))
    found: list[list[tuple[int, int]]] = []
    best: tuple[int, int] | None = None  # (terms found, field index)
    for i, low in enumerate(lows):
        per_term = [_all_matches(low, t, rx) for t, rx in terms]
        found.append(_merged([span for spans in per_term for span in spans]))
        count = sum(1 for spans in per_term if spans)
        if i >= head and count and (best is None or count > best[0]):
            best = (count, i)
    # the matches of the text; of the title only when nothing else matches (a decision's
    # title is its item's, repeated by every record of the item)
    matches = sum(len(f) for f in found[head:]) or sum(len(f) for f in found[:head])
    if best is None:
        if kind in ("decision", "action") and len(lows) > head:
            index = head
        elif lows:
            index = 0
        else:
            return [], 0
        return [Snippet(names[index], *_window(shown[index], lows[index], 0, patterns))], matches
    order = [best[1]] + [i for i in range(head, len(lows)) if i != best[1] and found[i]]
    out: list[Snippet] = []
    for i in order:
        covered = -1  # where the last snippet of this field ends
        for start, _ in found[i]:
            if len(out) >= most:
                return out, matches
            if start < covered:
                continue
            text, spans, covered = _window_at(shown[i], lows[i], start, patterns, found=found[i])
            out.append(Snippet(names[i], text, spans))
    return out, matches


def _window(
    text: str, low: str, first: int, patterns: list[re.Pattern[str]], width: int = SNIPPET_WIDTH
) -> tuple[str, list[tuple[int, int]]]:
    return _window_at(text, low, first, patterns, width)[:2]


def _window_at(
    text: str,
    low: str,
    first: int,
    patterns: list[re.Pattern[str]],
    width: int = SNIPPET_WIDTH,
    found: list[tuple[int, int]] | None = None,
) -> tuple[str, list[tuple[int, int]], int]:
    """About ``width`` characters of ``text`` around ``first`` (cut at spaces, "…" where
    cut), the spans of the matches in it (from ``found``, the text's, when given), and where
    in ``text`` it ends."""
    if len(text) <= width:
        spans = found if found is not None else _spans(low, patterns, 0, len(text))
        return text, spans, len(text)
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
    if found is not None:
        spans = [(s - start, min(e, end) - start) for s, e in found if start <= s < end]
    else:
        spans = _spans(low, patterns, start, end)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix)
    return (
        prefix + text[start:end] + suffix,
        [(s + shift, e + shift) for s, e in spans],
        end,
    )


_NO_CONTEXT = ("title", "name", "code")  # a snippet of these says what the title says


def context_snippets(hit: Hit) -> list[Snippet]:
    """The snippets to show under a hit's title (none that only repeats its title)."""
    return [s for s in hit.snippets if s.text and s.field not in _NO_CONTEXT]


def count_label(hit: Hit) -> str:
    """``3 matches`` for a hit with more than one match, else ``""``."""
    return f"{hit.matches} matches" if hit.matches > 1 else ""


def hit_lines(hit: Hit) -> list[str]:
    """A hit as plain lines (``tuibrowser search``): the title, the first snippet, the match
    count and the confidential mark on the first line; each further snippet on a line of its
    own, indented under it."""
    snippets = context_snippets(hit)
    line = f"  {hit.title}"
    if snippets:
        line += f" — {snippets[0].field}: {snippets[0].text}"
    if count_label(hit):
        line += f" ({count_label(hit)})"
    if hit.confidential:
        line += " [confidential]"
    return [line] + [f"      {s.field}: {s.text}" for s in snippets[1:]]


def group_hits(hits: Iterable[Hit]) -> list[HitGroup]:
    """Consecutive hits of one meeting as a group (``search`` returns them in group order)."""
    groups: list[HitGroup] = []
    for h in hits:
        if groups and groups[-1].meeting_id == h.meeting_id:
            groups[-1].hits.append(h)
        else:
            groups.append(HitGroup(h.meeting_id, h.date, h.board, [h]))
    return groups


def record_hit(
    kind: str,
    names: list[str],
    shown: list[str],
    folded: str,
    terms: list[tuple[str, re.Pattern[str]]],
    tier: int,
    title: str,
    *,
    meeting_id: str | None = None,
    item_number: str | None = None,
    person: str | None = None,
    kpi: str | None = None,
    confidential: bool = False,
    date: str | None = None,
    board: str | None = None,
) -> Hit:
    """The hit on one record of ``kind`` (its fields' ``names``, their text as ``shown`` and
    ``folded``, one field a line) for the query's ``terms``: its snippets, matches and the
    marks in its ``title`` (as shown). The one way a hit is made, whether the record was
    found in the library, in the cache's files or in a store."""
    snippets, matches = _snippets(kind, names, shown, terms, folded.split("\n"))
    first = snippets[0] if snippets else Snippet("", "")
    return Hit(
        kind=kind,
        meeting_id=meeting_id,
        item_number=item_number,
        person=person,
        kpi=kpi,
        title=title,
        snippet=first.text,
        spans=first.spans,
        confidential=confidential,
        field=first.field,
        title_spans=_spans(fold_keep(title), [rx for _, rx in terms], 0, len(title)),
        date=date,
        board=board,
        rank=tier,
        snippets=snippets,
        matches=matches,
    )
