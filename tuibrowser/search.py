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

import re
import threading
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from dataclasses import field as _field
from typing import Any, TypeVar

from .library import Library
from .model import Item, Kpi, Meeting, Person
from .text import clean

SNIPPET_WIDTH = 100
_SAMPLE = 2_000_000  # characters of text used to guess which term is rarest ...
_MAX_EXPANSION = 5000  # a prefix matching more words than this does not narrow the search
_SLICES = 32  # ... taken in slices from all over the library
DEFAULT_LIMIT = 200
KINDS = ("item", "decision", "action", "person", "kpi")

# ranking tiers, best first
_TIER_ALL_IN_TITLE = 0
_TIER_SOME_IN_TITLE = 1
_TIER_DECISION = 2
_TIER_ACTION = 3
_TIER_TEXT = 4

_WORD = re.compile(r"\w+")
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


# --- text normalisation --------------------------------------------------------------


def display_text(text: str | None) -> str:
    """The text as a snippet shows it: one line, safe for a terminal, no ``**`` markers."""
    if not text:
        return ""
    text = text.replace("**", "").replace("__", "").replace("`", "")
    return clean(" ".join(text.split()), keep_newlines=False)


def fold(text: str) -> str:
    """Lower-case ``text`` keeping its length, so offsets in the folded text fit the original."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    # str.replace runs at C speed; str.translate with a mapping does not
    return low.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


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


class _Unit:
    """One searchable record: an item, a decision, an action, a person or a KPI row.

    ``fields`` are ``(name, raw text)``; the first ``head`` of them are its title (what ranks
    first). Its folded display text sits in the index's corpus at ``start``.
    """

    __slots__ = ("kind", "meeting", "item", "person", "kpi", "title", "fields", "head", "start")

    def __init__(
        self,
        kind: str,
        title: str,
        fields: list[tuple[str, str]],
        head: int,
        meeting: Meeting | None = None,
        item: Item | None = None,
        person: str | None = None,
        kpi: Kpi | None = None,
    ) -> None:
        self.kind = kind
        self.title = display_text(title)
        self.fields = [(name, text) for name, text in fields if text]
        self.head = min(head, len(self.fields))
        self.meeting = meeting
        self.item = item
        self.person = person
        self.kpi = kpi
        self.start = 0


class SearchIndex:
    """The folded text of every record of one library, in one string, newest first.

    A query scans it with ``str.find`` (C speed) for its rarest term and checks the other terms
    only in the records that term is in; it stops once it has enough hits. Titles have a corpus
    of their own, so title matches are found (and ranked first) across the whole library.
    Build it with :func:`index_for` (cached per library; safe in a worker thread).
    """

    def __init__(self, library: Library) -> None:
        self.units: list[_Unit] = list(_units(library))
        texts: list[str] = []
        heads: list[str] = []
        self.starts: list[int] = []
        self.head_starts: list[int] = []
        pos = hpos = 0
        for unit in self.units:
            shown = [fold(display_text(text)) for _, text in unit.fields]
            body = "\n".join(shown)
            head = "\n".join(shown[: unit.head])
            unit.start = pos
            self.starts.append(pos)
            self.head_starts.append(hpos)
            texts.append(body)
            heads.append(head)
            pos += len(body) + 1
            hpos += len(head) + 1
        # records are separated by NUL, which no folded text holds (clean() escapes it)
        self.corpus = "\0".join(texts) + "\0"
        self.titles = "\0".join(heads) + "\0"
        self.kinds = [u.kind for u in self.units]
        self._chunk_bits: dict[str, int] | None = None
        self._chunk_vocab: list[str] = []
        self._chunk_bounds: list[tuple[int, int]] = []
        step = max(1, len(self.corpus) // _SLICES)
        width = _SAMPLE // _SLICES
        self.sample = "\0".join(
            self.corpus[i : i + width] for i in range(0, len(self.corpus), step)
        )
        # hits group by meeting: people (-1) first, then meetings in library order (newest first)
        order = {m.id: i for i, m in enumerate(library.meetings)}
        self.group = [order[u.meeting.id] if u.meeting else -1 for u in self.units]

    def _text(self, uid: int) -> str:
        start = self.starts[uid]
        return self.corpus[start : self.corpus.index("\0", start)]

    def _head(self, uid: int) -> str:
        start = self.head_starts[uid]
        return self.titles[start : self.titles.index("\0", start)]

    def _scan(
        self,
        corpus: str,
        starts: list[int],
        term: str,
        rx: re.Pattern[str],
        ranges: list[tuple[int, int]] | None = None,
    ):
        """Record ids (ascending) whose text in ``corpus`` has ``term`` at a word start,
        looking only inside ``ranges`` when given."""
        find = corpus.find
        word_start = bool(_WORD.match(term))
        for lo, hi in ranges if ranges is not None else [(0, len(corpus))]:
            pos = find(term, lo, hi)
            while pos != -1:
                if word_start and pos and (corpus[pos - 1].isalnum() or corpus[pos - 1] == "_"):
                    pos = find(term, pos + 1, hi)
                    continue
                yield bisect_right(starts, pos) - 1
                end = corpus.find("\0", pos)
                pos = find(term, end + 1, hi)

    # -- an optional word index: which blocks of records hold a word -------------------

    chunk_size = 256  # records per block

    def build_words(self) -> None:
        """Note which blocks of records hold each word, so a query reads only those blocks.

        Optional (queries work without it) and slower to build than the index itself, so the
        browser builds it in a worker after the first search is possible.
        """
        if self._chunk_bits is not None:
            return
        n = len(self.units)
        bounds: list[tuple[int, int]] = []
        bits: dict[str, int] = {}
        findall = _WORD.findall
        for c, a in enumerate(range(0, n, self.chunk_size)):
            b = min(a + self.chunk_size, n)
            lo = self.starts[a]
            hi = self.starts[b] if b < n else len(self.corpus)
            bounds.append((lo, hi))
            bit = 1 << c
            get = bits.get
            for w in set(findall(self.corpus, lo, hi)):
                bits[w] = get(w, 0) | bit
        self._chunk_bounds = bounds
        self._chunk_vocab = sorted(bits)
        self._chunk_bits = bits  # last: a query in another thread sees all or nothing

    def _ranges(self, terms: list[str]) -> list[tuple[int, int]] | None:
        """The parts of the corpus that can hold every term; None: all of it."""
        bits, vocab = self._chunk_bits, self._chunk_vocab
        if bits is None:
            return None
        acc = -1
        for term in terms:
            for w in _WORD.findall(term):
                i = bisect_left(vocab, w)
                mask = 0
                for k in range(i, len(vocab)):
                    word = vocab[k]
                    if not word.startswith(w):
                        break
                    if k - i > _MAX_EXPANSION:
                        mask = -1
                        break
                    mask |= bits[word]
                acc &= mask
                if not acc:
                    return []
        if acc == -1:
            return None
        ranges: list[tuple[int, int]] = []
        for c, (lo, hi) in enumerate(self._chunk_bounds):
            if acc >> c & 1:
                if ranges and ranges[-1][1] == lo:
                    ranges[-1] = (ranges[-1][0], hi)
                else:
                    ranges.append((lo, hi))
        return ranges

    def query(self, query: str, limit: int | None = DEFAULT_LIMIT) -> Results:
        terms = parse_query(query)
        if not terms:
            return Results(query, terms, [], 0)
        ranges = self._ranges(terms)
        if ranges == []:
            return Results(query, terms, [], 0)
        patterns = {t: _term_pattern(t) for t in terms}
        # the driver is the term that looks rarest in a sample of the text (counting it all
        # would cost a scan per term); the scan then finds only the records that have it.
        # Terms the sample lacks are rare: the records holding all of them are found first.
        counts = {t: self.sample.count(t) for t in terms} if len(terms) > 1 else {terms[0]: 1}
        driver = min(terms, key=lambda t: (counts[t], -len(t)))
        others = [(t, patterns[t]) for t in terms if t != driver]
        rare = [t for t in terms if counts[t] == 0]
        allowed: set[int] | None = None
        if len(rare) > 1:
            for t in rare:
                ids = set(self._scan(self.corpus, self.starts, t, patterns[t], ranges))
                allowed = ids if allowed is None else allowed & ids
                if not allowed:
                    return Results(query, terms, [], 0)

        def has_all(text: str, checks: list[tuple[str, re.Pattern[str]]]) -> bool:
            return all(_first(text, t, rx) is not None for t, rx in checks)

        # 1. every record whose title has every term ranks first
        chosen: dict[int, int] = {}
        for uid in self._scan(self.titles, self.head_starts, driver, patterns[driver]):
            if has_all(self._head(uid), others):
                chosen[uid] = _TIER_ALL_IN_TITLE
        # 2. then the rest, newest first, until there are enough
        total = len(chosen)
        complete = True
        candidates: Iterable[int]
        if limit is not None and len(chosen) > limit:
            candidates = ()  # the titles alone fill the list: no need to read the text
            complete = False
        elif allowed is not None:
            candidates = sorted(allowed)
        else:
            candidates = self._scan(self.corpus, self.starts, driver, patterns[driver], ranges)
        for uid in candidates:
            if uid in chosen:
                continue
            text = self._text(uid)
            if others and not has_all(text, others):
                continue
            total += 1
            if limit is not None and len(chosen) >= limit:
                complete = False
                break
            head = self._head(uid)
            kind = self.kinds[uid]
            if any(rx.search(head) for rx in patterns.values()):
                tier = _TIER_SOME_IN_TITLE
            elif kind == "decision":
                tier = _TIER_DECISION
            elif kind == "action":
                tier = _TIER_ACTION
            else:
                tier = _TIER_TEXT
            chosen[uid] = tier
        ranked = sorted(chosen.items(), key=lambda c: (c[1], c[0]))
        if limit is not None and len(ranked) > limit:
            ranked = ranked[:limit]
            complete = False
        ranked.sort(key=lambda c: (self.group[c[0]], c[1], c[0]))
        pairs = list(patterns.items())
        hits = [self._hit(uid, tier, pairs) for uid, tier in ranked]
        return Results(query, terms, hits, total, complete)

    def _hit(self, uid: int, tier: int, terms: list[tuple[str, re.Pattern[str]]]) -> Hit:
        unit = self.units[uid]
        m, it = unit.meeting, unit.item
        name, snippet, spans = _snippet(unit, self._text(uid).split("\n"), terms)
        patterns = [rx for _, rx in terms]
        return Hit(
            kind=unit.kind,
            meeting_id=m.id if m else None,
            item_number=(it.number if it else (unit.kpi.item if unit.kpi else None)),
            person=unit.person,
            kpi=unit.kpi.code if unit.kpi else None,
            title=unit.title,
            snippet=snippet,
            spans=spans,
            confidential=bool(it and it.confidential),
            field=name,
            title_spans=_spans(fold(unit.title), patterns, 0, len(unit.title)),
            date=m.date if m else None,
            board=m.board if m else None,
            rank=tier,
        )


def _units(library: Library) -> Iterable[_Unit]:
    """People first, then each meeting (newest first): its items, decisions, actions, KPIs."""
    for key, person in library.people.items():
        yield _person_unit(key, person)
    for m in library.meetings:
        titles = {it.number: it for it in m.items}
        for it in m.items:
            label = f"{it.number}. {it.title}" if it.title else it.number
            report = it.report
            report_text = (
                "\n".join(
                    t
                    for t in (
                        report.purpose,
                        report.summary,
                        report.recommendation,
                        report.proposed_action,
                        report.text,
                    )
                    if t
                )
                if report
                else ""
            )
            yield _Unit(
                "item",
                label,
                [("title", it.title), ("minute", it.minute), ("report", report_text)],
                1,
                meeting=m,
                item=it,
            )
            for text in it.decisions:
                yield _Unit("decision", label, [("title", it.title), ("decision", text)], 1, m, it)
            for text in it.actions:
                yield _Unit("action", label, [("title", it.title), ("action", text)], 1, m, it)
        for k in m.kpis:
            code = k.code if not k.code_printed else f"{k.code} {k.code_printed}"
            title = f"KPI {k.code}" + (f" ({k.period})" if k.period else "")
            yield _Unit(
                "kpi",
                title,
                [
                    ("code", code),
                    ("target", k.target or ""),
                    ("delivered", k.delivered or ""),
                    ("theme", k.theme or ""),
                    ("note", k.note or ""),
                ],
                1,
                meeting=m,
                item=titles.get(k.item or ""),
                kpi=k,
            )


def _person_unit(key: str, person: Person) -> _Unit:
    names = list(dict.fromkeys([person.display_name, *person.names]))
    return _Unit(
        "person",
        person.display_name,
        [
            ("name", "; ".join(names)),
            ("authority", "; ".join(person.authorities)),
            ("role", "; ".join(person.roles)),
            ("group", "; ".join(person.groups)),
        ],
        1,
        person=key,
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
    unit: _Unit, folded: list[str], terms: list[tuple[str, re.Pattern[str]]]
) -> tuple[str, str, list[tuple[int, int]]]:
    """The field to show and about 100 characters of it around its first match.

    The text beyond the title is preferred (the title is shown anyway); a decision or action
    always shows its own text. ``folded`` are the fields as the index holds them.
    """
    best: tuple[int, int, int] | None = None  # (terms found, field index, first match)
    for i in range(unit.head, len(unit.fields)):
        low = folded[i] if i < len(folded) else ""
        starts = [p for t, rx in terms if (p := _first(low, t, rx)) is not None]
        if starts and (best is None or len(starts) > best[0]):
            best = (len(starts), i, min(starts))
    if best is not None:
        index, first = best[1], best[2]
    elif unit.kind in ("decision", "action") and len(unit.fields) > unit.head:
        index, first = unit.head, 0
    elif unit.fields:
        index, first = 0, 0
    else:
        return ("", "", [])
    name, raw = unit.fields[index]
    text = display_text(raw)
    low = folded[index] if index < len(folded) and len(folded[index]) == len(text) else fold(text)
    return (name, *_window(text, low, first, [rx for _, rx in terms]))


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


# --- caching per library -------------------------------------------------------------

T = TypeVar("T")
_CACHE: dict[tuple[int, str], tuple[weakref.ref[Library], Any]] = {}
_CACHE_LOCK = threading.Lock()
_BUILD_LOCK = threading.RLock()  # re-entrant: a build may use another per-library value


def per_library(library: Library, name: str, build: Callable[[Library], T]) -> T:
    """``build(library)``, computed once per library object and kept while it lives."""
    key = (id(library), name)
    with _CACHE_LOCK:
        entry = _CACHE.get(key)
        if entry is not None and entry[0]() is library:
            return entry[1]
    with _BUILD_LOCK:  # one build at a time: a second caller waits and reuses the first's
        with _CACHE_LOCK:
            entry = _CACHE.get(key)
            if entry is not None and entry[0]() is library:
                return entry[1]
        value = build(library)
    with _CACHE_LOCK:
        entry = _CACHE.get(key)
        if entry is not None and entry[0]() is library:
            return entry[1]

        def forget(_ref: weakref.ref[Library], key: tuple[int, str] = key) -> None:
            _CACHE.pop(key, None)

        _CACHE[key] = (weakref.ref(library, forget), value)
    return value


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
