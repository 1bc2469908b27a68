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
from .folding import _FIELD, _RECORD, _WORD, _display, fold, fold_records
from .units import (
    _meeting_heads,
    _month_units,
    _people_units,
    _place,
    _Unit,
    _unit_at,
    _unit_count,
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


# A month's segment is cut into blocks of about this many bytes of folded text (at most
# MAX_BLOCKS), and the cache notes which blocks hold each word: a word in a few meetings
# sends a query to a few blocks, not through the whole month.
BLOCK_BYTES = 160 * 1024
MAX_BLOCKS = 8


def _fold_segment(
    records: list[tuple[list[str], list[str]]], words: bool
) -> tuple[bytes, bytes, bytes, dict[str, int]]:
    """A segment's three parts (see :class:`_Segment`) from (field names, raw field texts)
    records, and (with ``words``) each word of its folded text with the blocks that hold it."""
    display = _display([texts for _, texts in records])
    if display is None:
        return b"", b"", _offsets([], 0, [], 0, [0, 0]), {}
    folded = fold(display)
    folded_b = (folded.replace(_FIELD, "\n") + _RECORD).encode("utf-8", "surrogatepass")
    shown = [
        "\n".join(names) + "\x02" + text
        for (names, _), text in zip(
            records, display.replace(_FIELD, "\n").split(_RECORD), strict=True
        )
    ]
    shown_b = (_RECORD.join(shown) + _RECORD).encode("utf-8", "surrogatepass")
    f_starts = record_starts(folded_b)
    s_starts = record_starts(shown_b)
    bounds = _block_bounds(f_starts, len(folded_b))
    found = _block_words(folded.split(_RECORD), bounds) if words else {}
    offsets = _offsets(f_starts, len(folded_b), s_starts, len(shown_b), bounds)
    return folded_b, shown_b, offsets, found


def _block_bounds(f_starts: list[int], end: int) -> list[int]:
    """The first record of each block (and the number of records at the end)."""
    n = len(f_starts)
    blocks = max(1, min(MAX_BLOCKS, -(-end // BLOCK_BYTES)))
    bounds = [0]
    for k in range(1, blocks):
        first = bisect_right(f_starts, k * end // blocks) - 1
        if first > bounds[-1]:
            bounds.append(first)
    bounds.append(n)
    return bounds


# Every ASCII byte that is not a word character (letters, digits, "_") becomes a space.
_SEPARATE = bytes(b if (chr(b).isalnum() or b == 0x5F or b > 0x7F) else 0x20 for b in range(256))


def _block_words(records: list[str], bounds: list[int]) -> dict[str, int]:
    """Each word of folded ``records`` with the bits of the blocks it is in.

    Each block's distinct tokens are found at C speed (bytes.translate turns ASCII separators
    into blanks, a set takes the tokens); only tokens with other characters, which may hold
    separators of their own such as dashes, go through the pattern.
    """
    found: dict[bytes, int] = {}
    get = found.get
    for b in range(len(bounds) - 1):
        bit = 1 << b
        text = "\0".join(records[bounds[b] : bounds[b + 1]]).encode("utf-8", "surrogatepass")
        for token in set(text.translate(_SEPARATE).split()):
            found[token] = get(token, 0) | bit
    out: dict[str, int] = {}
    for token, bits in found.items():
        if token.isascii():
            word = token.decode("ascii")
            out[word] = out.get(word, 0) | bits
        else:
            for word in _WORD.findall(token.decode("utf-8", "surrogatepass")):
                out[word] = out.get(word, 0) | bits
    return out


def _offsets(
    f_starts: list[int], f_end: int, s_starts: list[int], s_end: int, bounds: list[int]
) -> bytes:
    """Where each record starts in a segment's folded part and in its shown part, and the
    first record of each of its blocks."""
    values = [len(f_starts), *f_starts, f_end, *s_starts, s_end, len(bounds), *bounds]
    return array("Q", values).tobytes()


def _read_offsets(raw: bytes) -> tuple[array, array, array]:
    values = array("Q")
    values.frombytes(raw)
    n = values[0]
    return values[1 : n + 2], values[n + 2 : 2 * n + 3], values[2 * n + 4 :]


def month_text(meetings: Iterable[Meeting]) -> tuple[bytes, bytes, bytes]:
    """The three parts of the segment of ``meetings`` (in that order): what the cache keeps
    for each month, so a query does not fold it again."""
    folded, shown, offsets, _ = _fold_segment(_unit_records(_month_units(meetings)), False)
    return folded, shown, offsets


def month_search_text(meetings: Iterable[Meeting]) -> tuple[bytes, bytes, bytes, str]:
    """:func:`month_text` and its words with their blocks, in one pass (what the cache
    writes)."""
    folded, shown, offsets, words = _fold_segment(_unit_records(_month_units(meetings)), words=True)
    return folded, shown, offsets, _word_list(words)


def _word_list(words: dict[str, int]) -> str:
    """Words, sorted, each after a space and followed by the blocks it is in (``:`` and hex
    bits): ``" " + word`` is in it when some word starts with ``word``."""
    hexes = {bits: f":{bits:x}" for bits in set(words.values())}  # few masks, many words
    return "".join([" " + w + hexes[words[w]] for w in sorted(words)])


def record_starts(corpus: str | bytes) -> list[int]:
    """Where each NUL-ended record of ``corpus`` starts."""
    nul = "\0" if isinstance(corpus, str) else b"\0"
    starts = [0]
    find = corpus.find
    pos = find(nul)
    while pos != -1:
        starts.append(pos + 1)
        pos = find(nul, pos + 1)
    starts.pop()  # where the text ends
    return starts


class _Segment:
    """The records of the people, or of the meetings of one month, in two parts of UTF-8:
    ``folded`` (each record's fields folded, joined by "\\n", ended by NUL), which a query
    scans with ``find`` at C speed, and ``shown`` (each record's field names, \\x02, and its
    fields as shown), read only for the records it shows; with the offsets of each record in
    both. From the cache the parts are memory maps of its files, so reading a month costs no
    copy, and :meth:`release` hands its pages back.

    The records of a month are made (:func:`_meeting_units`) only for the meetings a query
    hits; the people's are kept.
    """

    __slots__ = (
        "folded", "shown", "f_starts", "s_starts", "bounds", "meetings", "firsts", "order",
        "units", "maps", "size",
    )  # fmt: skip

    def __init__(
        self,
        parts: tuple[Any, Any, bytes],
        meetings: list[Meeting],
        order: list[int],
        units: list[_Unit] | None = None,
        maps: list[Any] | None = None,
        firsts: list[int] | None = None,
    ) -> None:
        self.folded, self.shown, offsets = parts
        self.f_starts, self.s_starts, self.bounds = _read_offsets(offsets)
        self.maps = maps or []
        self.meetings = meetings
        self.order = order  # each meeting's place in the library
        if firsts is None:  # each meeting's first record, and where the last one ends
            firsts = [0]
            for m in meetings:
                firsts.append(firsts[-1] + _unit_count(m))
        self.firsts = firsts[:-1]
        n = firsts[-1]
        self.units: dict[int, list[_Unit]] = {}
        if units is not None and not meetings:
            self.units[-1] = units
            n = len(units)
        if not (n == len(self.f_starts) - 1 == len(self.s_starts) - 1):
            raise ValueError(f"a segment of {n} records has text for others")
        if self.f_starts[-1] != len(self.folded) or self.s_starts[-1] != len(self.shown):
            raise ValueError("a segment's offsets do not fit its text")
        self.size = len(self.folded) + len(self.shown)

    @classmethod
    def of_files(
        cls, base: Path, meetings: list[Meeting], order: list[int], firsts: list[int]
    ) -> _Segment:
        """The segment the cache keeps in ``base.txt``, ``base.show`` and ``base.idx``."""
        offsets = base.with_suffix(".idx").read_bytes()
        maps = []
        parts = []
        for suffix in (".txt", ".show"):
            with open(base.with_suffix(suffix), "rb") as fh:
                if os.fstat(fh.fileno()).st_size:
                    mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
                    maps.append(mm)
                    parts.append(mm)
                else:
                    parts.append(b"")
        return cls((parts[0], parts[1], offsets), meetings, order, maps=maps, firsts=firsts)

    def release(self) -> None:
        """Hand back the pages of the memory maps read so far (they stay in the page cache)."""
        for mm in self.maps:
            try:
                mm.madvise(mmap.MADV_DONTNEED)
            except (AttributeError, OSError, ValueError):
                pass

    def close(self) -> None:
        for mm in self.maps:
            try:
                mm.close()
            except (BufferError, ValueError):
                pass  # still in use by a query in another thread: the collector closes it

    def __len__(self) -> int:
        return len(self.f_starts) - 1

    def _shown(self, uid: int) -> tuple[str, str]:
        raw = self.shown[self.s_starts[uid] : self.s_starts[uid + 1] - 1]
        names, _, text = bytes(raw).decode("utf-8", "surrogatepass").partition("\x02")
        return names, text

    def names(self, uid: int) -> list[str]:
        names = self._shown(uid)[0]
        return names.split("\n") if names else []

    def shown_fields(self, uid: int) -> list[str]:
        return self._shown(uid)[1].split("\n")

    def folded_record(self, uid: int) -> str:
        raw = self.folded[self.f_starts[uid] : self.f_starts[uid + 1] - 1]
        return bytes(raw).decode("utf-8", "surrogatepass")

    def folded_text(self) -> str:
        return bytes(self.folded[:]).decode("utf-8", "surrogatepass")

    def _meeting_of(self, uid: int) -> int:
        return bisect_right(self.firsts, uid) - 1

    def unit(self, uid: int) -> _Unit:
        if not self.meetings:
            return self.units[-1][uid]
        k = self._meeting_of(uid)
        return _unit_at(self.meetings[k], uid - self.firsts[k])

    def kind(self, uid: int) -> str:
        if not self.meetings:
            return self.units[-1][uid].kind
        k = self._meeting_of(uid)
        return _place(self.meetings[k], uid - self.firsts[k])[0]

    def group(self, uid: int) -> int:
        """The record's meeting's place in the library (-1: a person)."""
        return self.order[self._meeting_of(uid)] if self.meetings else -1

    def ranges(self, blocks: int) -> list[tuple[int, int]]:
        """The byte ranges of the folded part the blocks in the bit mask cover (-1: all)."""
        if blocks == -1 or len(self.bounds) < 2:
            return [(0, len(self.folded))]
        out: list[tuple[int, int]] = []
        starts, bounds = self.f_starts, self.bounds
        for b in range(len(bounds) - 1):
            if blocks >> b & 1:
                lo, hi = starts[bounds[b]], starts[bounds[b + 1]]
                if out and out[-1][1] == lo:
                    out[-1] = (out[-1][0], hi)
                else:
                    out.append((lo, hi))
        return out

    def scan(self, term: str, blocks: int = -1) -> Iterator[tuple[int, str]]:
        """(record id, folded record) of every record (ascending) with ``term`` at a word
        start, in the blocks of the bit mask ``blocks`` (-1: all)."""
        data = self.folded
        starts = self.f_starts
        needle = term.encode("utf-8", "surrogatepass")
        word_start = bool(_WORD.match(term))
        find = data.find
        for lo, hi in self.ranges(blocks):
            pos = find(needle, lo, hi)
            while pos != -1:
                if word_start and pos and _word_before(data, pos):
                    pos = find(needle, pos + 1, hi)
                    continue
                uid = bisect_right(starts, pos) - 1
                end = starts[uid + 1]
                yield uid, bytes(data[starts[uid] : end - 1]).decode("utf-8", "surrogatepass")
                pos = find(needle, end, hi)


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


def _word_before(data: Any, pos: int) -> bool:
    """Whether a word character ends just before ``pos`` in UTF-8 ``data``."""
    byte = data[pos - 1]
    if byte < 0x80:
        return chr(byte).isalnum() or byte == 0x5F
    start = pos - 1
    while start > 0 and 0x80 <= data[start] < 0xC0:  # back to the character's first byte
        start -= 1
    char = bytes(data[start:pos]).decode("utf-8", "replace")
    return char.isalnum() or char == "_"


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
