"""Search over a library: items, decisions, actions, people and KPIs.

A query is words and "quoted phrases"; every one must match (AND), case-insensitively, at the
start of a word (``gov`` finds "government", not "ungoverned"). Hits come grouped by meeting,
newest first, people first; within a meeting the best come first: the title, then decisions,
then actions, then the rest of the text. Each hit carries a one-line snippet (about 100
characters around the first match) and the spans of the matches in it, for highlighting.

The index is built once per :class:`~tuibrowser.library.Library` (:func:`index_for`, safe to call
from a worker thread) and kept while the library lives: the folded text of every record in one
string, which a query scans at C speed for its rarest term, stopping once it has enough hits.
:meth:`SearchIndex.build_words` adds, optionally, which blocks of records hold each word, so a
query on a big library reads only the blocks that can match.
"""

from __future__ import annotations

import mmap
import os
import re
import threading
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from dataclasses import field as _field
from pathlib import Path
from typing import Any

from ..base import no_gc, shard_key
from ..library import Library, Words
from ..memo import per_library
from ..model import Meeting
from .folding import _WORD, fold, fold_records
from .segments import (
    _block_words,
    _fold_segment,
    _Segment,
    _word_list,
    month_text,
    record_starts,
)
from .units import (
    _meeting_heads,
    _people_units,
    _unit_records,
)

SNIPPET_WIDTH = 100
DEFAULT_LIMIT = 200
KINDS = ("item", "decision", "action", "person", "kpi")

# ranking tiers, best first
_TIER_ALL_IN_TITLE = 0
_TIER_SOME_IN_TITLE = 1
_TIER_DECISION = 2
_TIER_ACTION = 3
_TIER_TEXT = 4

_QUERY = re.compile(r'"([^"]*)"?|([^\s"]+)')


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


# --- queries --------------------------------------------------------------------------


def parse_query(query: str) -> list[str]:
    """Words and quoted phrases, folded; terms with no letters or digits are dropped."""
    terms: list[str] = []
    for m in _QUERY.finditer(fold(query)):
        raw = m.group(1) if m.group(1) is not None else m.group(2)
        term = fold(" ".join(raw.split()))
        if term and _WORD.search(term) and term not in terms:
            terms.append(term)
    return terms


def _term_pattern(term: str) -> re.Pattern[str]:
    lead = r"(?<!\w)" if _WORD.match(term) else ""
    return re.compile(lead + re.escape(term))


# --- the index -----------------------------------------------------------------------


_MANY_WORDS = 64  # a prefix matching more words than this in a month: read the whole month


def _scan_text(corpus: str, starts: list[int], term: str) -> Iterator[int]:
    """Record ids (ascending) whose text in ``corpus`` has ``term`` at a word start."""
    find = corpus.find
    word_start = bool(_WORD.match(term))
    pos = find(term)
    while pos != -1:
        if word_start and pos and (corpus[pos - 1].isalnum() or corpus[pos - 1] == "_"):
            pos = find(term, pos + 1)
            continue
        yield bisect_right(starts, pos) - 1
        end = corpus.find("\0", pos)
        pos = find(term, end + 1)


# Month segments are opened (or folded) when a query needs them and forgotten, least recently
# used first, beyond this many (the people are always kept). Opened from the cache they are
# memory maps, handed back after each query; folded here they are bytes of their own.
SEGMENT_BUDGET = 1024
_SHIFT = 24  # a record id: segment << _SHIFT | position in the segment


class SearchIndex:
    """Search over one library, in segments: the people, then the meetings of each month,
    newest first.

    The titles (first fields) of every record sit in one folded string, so title matches are
    found, and ranked first, without reading any other text. A month's text is read from the
    cache (or folded) only when a query gets to it, and only months that hold every word of
    the query are read: the cache keeps each month's words (:attr:`Library.words`), or
    :meth:`build_words` finds them. A query scans a segment with ``str.find`` (C speed) for
    its rarest term, checks the other terms only in the records that have it, and stops once
    it has enough hits. Build it with :func:`index_for` (cached per library; safe in worker
    threads).
    """

    segment_budget = SEGMENT_BUDGET

    def __init__(self, library: Library) -> None:
        with no_gc():  # hundreds of thousands of small objects, none of them in a cycle
            self._build(library)

    def _build(self, library: Library) -> None:
        self.library = library
        order = {m.id: i for i, m in enumerate(library.meetings)}
        months: dict[str, list[Meeting]] = {}
        for m in library.meetings:
            months.setdefault(shard_key(m.date), []).append(m)
        self.months = list(months)  # segment n + 1 is month n
        self._meetings = list(months.values())
        self._order = order
        people = list(_people_units(library))
        parts = _fold_segment(_unit_records(people), False)[:3]
        self._people = _Segment(parts, [], [], people)
        self._built: OrderedDict[int, _Segment] = OrderedDict()
        self._lock = threading.RLock()
        # The title of every record, people first, and for each title: its segment, its first
        # record, how many records have it, and their meeting's place (-1: a person) — in
        # arrays, as there are hundreds of thousands.
        heads: list[list[str]] = []
        segment, first, count, group = array("i"), array("i"), array("i"), array("i")
        for local, unit in enumerate(people):
            heads.append([t for _, t in unit.fields[: unit.head]])
            segment.append(0), first.append(local), count.append(1), group.append(-1)
        self._firsts: list[list[int]] = []  # each month's meetings' first records, and the end
        for n, meetings in enumerate(self._meetings, start=1):
            local = 0
            firsts = []
            for m in meetings:
                firsts.append(local)
                place = order[m.id]
                for head, records in _meeting_heads(m):
                    heads.append([head] if head else [])
                    segment.append(n), first.append(local), count.append(records)
                    group.append(place)
                    local += records
            firsts.append(local)
            self._firsts.append(firsts)
        self._heads = (segment, first, count, group)
        self._head_corpus = fold_records(heads)
        self._head_starts = array("q", record_starts(self._head_corpus))
        words = library.words
        self._vocab: Words | None = None
        if words is not None and set(words.months) >= set(self.months):
            self._use_words(words)

    def _use_words(self, words: Words) -> None:
        index = {month: n for n, month in enumerate(self.months, start=1)}
        self._word_lists = [
            (index.get(m, -1), source) for m, source in zip(words.months, words.lists, strict=True)
        ]
        self._open_lists: dict[int, Any] = {}
        self._vocab = words  # last: a query in another thread sees all or nothing

    # -- segments ------------------------------------------------------------------------

    @property
    def segments(self) -> int:
        return len(self.months) + 1

    def _segment(self, n: int) -> _Segment:
        if n == 0:
            return self._people
        with self._lock:
            seg = self._built.get(n)
            if seg is not None:
                self._built.move_to_end(n)
                return seg
            meetings = self._meetings[n - 1]
            order = [self._order[m.id] for m in meetings]
            seg = None
            path = self.library.texts.get(self.months[n - 1])
            if path is not None:
                firsts = self._firsts[n - 1]
                try:
                    seg = _Segment.of_files(Path(path), meetings, order, firsts)
                except (OSError, ValueError):
                    seg = None  # gone or not of this library: fold it here instead
            if seg is None:
                seg = _Segment(month_text(meetings), meetings, order, firsts=self._firsts[n - 1])
            self._built[n] = seg
            while len(self._built) > self.segment_budget:
                _, old = self._built.popitem(last=False)
                old.close()
            return seg

    def release(self) -> None:
        """Hand back the pages a query read (the files stay in the page cache)."""
        with self._lock:
            for seg in self._built.values():
                seg.release()

    # -- which months hold a word ----------------------------------------------------------

    def build_words(self) -> None:
        """Note which months, and which blocks of them, hold each word, so a query reads only
        those.

        Optional: queries work without it, and a library from the cache comes with it. Without
        the cache this folds the text of every month once.
        """
        if self._vocab is not None:
            return
        lists: list[Path | bytes] = []
        for n in range(1, self.segments):
            seg = self._segment(n)
            records = seg.folded_text().split("\0")[:-1]
            words = _word_list(_block_words(records, list(seg.bounds)))
            lists.append(words.encode("utf-8", "surrogatepass"))
        self._use_words(Words(list(self.months), lists))

    def _where(self, terms: list[str]) -> dict[str, dict[int, int]] | None:
        """For each term, the month segments that can hold it with their blocks that can (a
        bit mask, -1: all); None when the months' words are not known."""
        if self._vocab is None:
            return None
        out = {}
        for term in terms:
            places: dict[int, int] | None = None
            for w in _WORD.findall(term):
                found = self._word_places(w)
                if found is None:
                    continue  # too short to tell: it does not narrow the search
                if places is None:
                    places = found
                else:
                    places = {n: b & found[n] for n, b in places.items() if n in found}
            if places is not None:
                out[term] = places
        self._release_lists()  # every month's words were read: their pages go back at once
        return out

    def _release_lists(self) -> None:
        for data in self._open_lists.values():
            if isinstance(data, mmap.mmap):
                try:
                    data.madvise(mmap.MADV_DONTNEED)
                except (AttributeError, OSError, ValueError):
                    pass

    def _word_places(self, word: str) -> dict[int, int] | None:
        """The month segments whose words include one starting with ``word``, each with the
        blocks that hold them."""
        if len(word) < 3:
            return None
        needle = (" " + word).encode("utf-8", "surrogatepass")
        places: dict[int, int] = {}
        for i, (n, _) in enumerate(self._word_lists):
            if n <= 0:
                continue
            data = self._word_list(i)
            if data is None:
                places[n] = -1  # its words are not known any more: the month is read whole
                continue
            find = data.find
            pos = find(needle)
            if pos == -1:
                continue
            blocks = 0
            for _ in range(_MANY_WORDS):
                colon = find(b":", pos + len(needle))
                end = find(b" ", colon)
                blocks |= int(data[colon + 1 : end if end != -1 else len(data)], 16)
                pos = find(needle, end) if end != -1 else -1
                if pos == -1:
                    break
            else:
                blocks = -1  # a prefix of many words in this month: read it whole
            places[n] = blocks
        return places

    def _word_list(self, i: int) -> Any:
        """The words of the ``i``-th month of the word lists: bytes, or a memory map of the
        cache's file (its pages handed back after each query, see :meth:`release`); None
        when that file is gone."""
        found = self._open_lists.get(i)
        if found is None:
            source = self._word_lists[i][1]
            if isinstance(source, bytes):
                found = source
            else:
                try:
                    with open(source, "rb") as fh:
                        size = os.fstat(fh.fileno()).st_size
                        found = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
                except OSError:
                    # the cache was brought up to date since the library was read (another
                    # process indexed the folder) and this month's list is gone: None
                    return None
            self._open_lists[i] = found
        return found

    # -- queries -------------------------------------------------------------------------

    def query(self, query: str, limit: int | None = DEFAULT_LIMIT) -> Results:
        terms = parse_query(query)
        if not terms:
            return Results(query, terms, [], 0)
        patterns = {t: _term_pattern(t) for t in terms}
        where = self._where(terms)
        months: dict[int, int] | None = None  # segment → blocks (None: every block of every one)
        for places in (where or {}).values():
            if months is None:
                months = dict(places)
            else:
                months = {n: b & places[n] for n, b in months.items() if n in places}
        # the driver is the term in the fewest months (or the longest): the scan finds only
        # the records that have it, and the other terms are checked in those
        if where and len(terms) > 1:
            driver = min(terms, key=lambda t: (len(where.get(t, self.months)), -len(t)))
        else:
            driver = max(terms, key=len)
        others = [(t, patterns[t]) for t in terms if t != driver]

        def has_all(text: str, checks: list[tuple[str, re.Pattern[str]]]) -> bool:
            return all(_first(text, t, rx) is not None for t, rx in checks)

        # 1. every record whose title has every term ranks first
        chosen: dict[int, int] = {}
        groups: dict[int, int] = {}
        corpus, starts = self._head_corpus, self._head_starts
        segments, firsts, counts, groups_of = self._heads
        for h in _scan_text(corpus, starts, driver):
            n, first, count, group = segments[h], firsts[h], counts[h], groups_of[h]
            if n and months is not None and n not in months:
                continue
            start = starts[h]
            if has_all(corpus[start : corpus.index("\0", start)], others):
                for local in range(first, first + count):
                    uid = n << _SHIFT | local
                    chosen[uid] = _TIER_ALL_IN_TITLE
                    groups[uid] = group
                if limit is not None and len(chosen) > limit:
                    # titles come best first (people, then newest first): these are the best
                    # hits, and there are more of them than are wanted
                    break
        # 2. then the rest, newest first, until there are enough
        total = len(chosen)
        complete = True
        if limit is not None and len(chosen) > limit:
            complete = False  # the titles alone fill the list: no need to read the text
        else:
            done = False
            for n in range(self.segments):
                blocks = -1 if n == 0 or months is None else months.get(n, 0)
                if not blocks:
                    continue
                seg = self._segment(n)
                try:
                    found = list(seg.scan(driver, blocks))
                finally:
                    seg.release()  # its pages go back at once: a query may read every month
                for local, text in found:
                    uid = n << _SHIFT | local
                    if uid in chosen:
                        continue
                    if others and not has_all(text, others):
                        continue
                    total += 1
                    if limit is not None and len(chosen) >= limit:
                        complete = False
                        done = True
                        break
                    head = text.split("\n", 1)[0]
                    kind = seg.kind(local)
                    if any(rx.search(head) for rx in patterns.values()):
                        tier = _TIER_SOME_IN_TITLE
                    elif kind == "decision":
                        tier = _TIER_DECISION
                    elif kind == "action":
                        tier = _TIER_ACTION
                    else:
                        tier = _TIER_TEXT
                    chosen[uid] = tier
                    groups[uid] = seg.group(local)
                if done:
                    break
        ranked = sorted(chosen.items(), key=lambda c: (c[1], c[0]))
        if limit is not None and len(ranked) > limit:
            ranked = ranked[:limit]
            complete = False
        ranked.sort(key=lambda c: (groups[c[0]], c[1], c[0]))
        pairs = list(patterns.items())
        hits = [self._hit(uid, tier, pairs) for uid, tier in ranked]
        self.release()
        return Results(query, terms, hits, total, complete)

    def _hit(self, uid: int, tier: int, terms: list[tuple[str, re.Pattern[str]]]) -> Hit:
        seg = self._segment(uid >> _SHIFT)
        local = uid & ((1 << _SHIFT) - 1)
        unit = seg.unit(local)
        m, it = unit.meeting, unit.item
        names, shown, folded = seg.names(local), seg.shown_fields(local), seg.folded_record(local)
        seg.release()  # reading a record maps half a MB around it: hand it back at once
        name, snippet, spans = _snippet(unit.kind, names, shown, folded.split("\n"), terms)
        patterns = [rx for _, rx in terms]
        title = unit.title
        return Hit(
            kind=unit.kind,
            meeting_id=m.id if m else None,
            item_number=(it.number if it else (unit.kpi.item if unit.kpi else None)),
            person=unit.person,
            kpi=unit.kpi.code if unit.kpi else None,
            title=title,
            snippet=snippet,
            spans=spans,
            confidential=bool(it and it.confidential),
            field=name,
            title_spans=_spans(fold(title), patterns, 0, len(title)),
            date=m.date if m else None,
            board=m.board if m else None,
            rank=tier,
        )


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


def _first(low: str, term: str, rx: re.Pattern[str]) -> int | None:
    """Where ``term`` first matches at a word start: ``str.find`` first, the pattern from there."""
    pos = low.find(term)
    if pos == -1:
        return None
    m = rx.search(low, pos)
    return m.start() if m else None


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


# --- one index per library ------------------------------------------------------


def index_for(library: Library) -> SearchIndex:
    """The search index of ``library``, built on first use (takes a while on a big library)."""
    return per_library(library, "search", SearchIndex)


def search(library: Library, query: str, limit: int | None = DEFAULT_LIMIT) -> list[Hit]:
    """Hits for ``query``, grouped by meeting (people first, then newest first), best first."""
    return index_for(library).query(query, limit).hits


def run(library: Library, query: str, limit: int | None = DEFAULT_LIMIT) -> Results:
    """Like :func:`search`, with the total number of matches (before ``limit``)."""
    return index_for(library).query(query, limit)


def group_hits(hits: Iterable[Hit]) -> list[HitGroup]:
    """Consecutive hits of one meeting as a group (``search`` returns them in group order)."""
    groups: list[HitGroup] = []
    for h in hits:
        if groups and groups[-1].meeting_id == h.meeting_id:
            groups[-1].hits.append(h)
        else:
            groups.append(HitGroup(h.meeting_id, h.date, h.board, [h]))
    return groups
