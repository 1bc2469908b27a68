"""The search index of a library, and running a query on it.

The index is built once per :class:`~tuibrowser.library.Library` (:func:`index_for`, safe to call
from a worker thread) and kept while the library lives: the folded text of every record in one
string, which a query scans at C speed for its rarest term, stopping once it has enough hits.
:meth:`SearchIndex.build_words` adds, optionally, which blocks of records hold each word, so a
query on a big library reads only the blocks that can match.
"""

from __future__ import annotations

import re
import threading
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..base import no_gc, shard_key
from ..memo import per_library
from .folding import _WORD, fold_records
from .query import WordPlaces, _first, _term_pattern, parse_query
from .results import (
    _TIER_ACTION,
    _TIER_ALL_IN_TITLE,
    _TIER_DECISION,
    _TIER_SOME_IN_TITLE,
    _TIER_TEXT,
    Hit,
    Results,
    record_hit,
)
from .segments import (
    _block_words,
    _fold_segment,
    _Segment,
    _word_list,
    month_text,
    record_starts,
)
from .units import _meeting_heads, _people_units, _unit_records

if TYPE_CHECKING:  # the command line's search reads the cache, not the library
    from ..library import Library, Words
    from ..model import Meeting

DEFAULT_LIMIT = 200


def _scan_text(corpus: str, starts: Sequence[int], term: str) -> Iterator[int]:
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
            segment.append(0)
            first.append(local)
            count.append(1)
            group.append(-1)
        self._firsts: list[list[int]] = []  # each month's meetings' first records, and the end
        for n, meetings in enumerate(self._meetings, start=1):
            local = 0
            firsts = []
            for m in meetings:
                firsts.append(local)
                place = order[m.id]
                for head, records in _meeting_heads(m):
                    heads.append([head] if head else [])
                    segment.append(n)
                    first.append(local)
                    count.append(records)
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
        self._places = WordPlaces(self.months, words)
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

    def _fold_again(self, n: int) -> _Segment:
        """The segment of month ``n`` folded here, in place of its files (found damaged)."""
        with self._lock:
            meetings = self._meetings[n - 1]
            order = [self._order[m.id] for m in meetings]
            seg = _Segment(month_text(meetings), meetings, order, firsts=self._firsts[n - 1])
            old = self._built.get(n)
            self._built[n] = seg
            if old is not None:
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
        from ..library import Words

        self._use_words(Words(list(self.months), lists))

    def _where(self, terms: list[str]) -> dict[str, dict[int, int]] | None:
        """For each term, the month segments that can hold it with their blocks that can (a
        bit mask, -1: all); None when the months' words are not known."""
        if self._vocab is None:
            return None
        return self._places.where(terms)

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
        for n, first, count, group, title in self._titles(driver, months):
            if has_all(title, others):
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

    def _titles(
        self, driver: str, months: dict[int, int] | None
    ) -> Iterator[tuple[int, int, int, int, str]]:
        """(segment, first record, records, meeting's place, folded title) of every title
        with ``driver`` at a word start, best first (people, then newest first), of the people
        and of ``months`` (segment numbers; None: every month)."""
        corpus, starts = self._head_corpus, self._head_starts
        segments, firsts, counts, groups_of = self._heads
        for h in _scan_text(corpus, starts, driver):
            n = segments[h]
            if n and months is not None and n not in months:
                continue
            start = starts[h]
            title = corpus[start : corpus.index("\0", start)]
            yield n, firsts[h], counts[h], groups_of[h], title

    def _hit(self, uid: int, tier: int, terms: list[tuple[str, re.Pattern[str]]]) -> Hit:
        seg = self._segment(uid >> _SHIFT)
        local = uid & ((1 << _SHIFT) - 1)
        unit = seg.unit(local)
        m, it = unit.meeting, unit.item
        try:
            names, shown = seg.names(local), seg.shown_fields(local)
        except ValueError:  # a block of its text as shown, packed in the cache, is damaged
            seg = self._fold_again(uid >> _SHIFT)
            names, shown = seg.names(local), seg.shown_fields(local)
        folded = seg.folded_record(local)
        seg.release()  # reading a record maps half a MB around it: hand it back at once
        return record_hit(
            unit.kind,
            names,
            shown,
            folded,
            terms,
            tier,
            unit.title,
            meeting_id=m.id if m else None,
            item_number=(it.number if it else (unit.kpi.item if unit.kpi else None)),
            person=unit.person,
            kpi=unit.kpi.code if unit.kpi else None,
            confidential=bool(it and it.confidential),
            date=m.date if m else None,
            board=m.board if m else None,
        )


# --- one index per library ------------------------------------------------------


def index_for(library: Library) -> SearchIndex:
    """The search index of ``library``, built on first use (takes a while on a big library)."""
    return per_library(library, "search", SearchIndex)


def warm(library: Library) -> None:
    """Build the index of ``library`` and its word index before the first query (nothing when
    its store searches: :meth:`Library.answers`)."""
    if library.answers() is None:
        index_for(library).build_words()


def search(library: Library, query: str, limit: int | None = DEFAULT_LIMIT) -> list[Hit]:
    """Hits for ``query``, grouped by meeting (people first, then newest first), best first."""
    return run(library, query, limit).hits


def run(library: Library, query: str, limit: int | None = DEFAULT_LIMIT) -> Results:
    """Like :func:`search`, with the total number of matches (before ``limit``); the store's
    search answers for a library it answers on demand (:mod:`tuibrowser.ondemand`)."""
    answers = library.answers()
    if answers is not None:
        return answers.search(query, limit)
    return index_for(library).query(query, limit)
