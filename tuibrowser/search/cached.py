"""Search straight from the cache's files, without the library: :class:`CachedIndex`.

What a query reads: the people of the folder (one small file), the titles of every month
(``.heads``), the word lists (``.words``, packed: inflated at the first query), the blocks of
the month segments they point to (mapped), and what the records shown are (``.units``, of the
months with a hit). The same
query as :class:`~.index.SearchIndex` over the library, with the same answer (a test holds
them equal); the command line's ``search`` takes it (see ``Cache.search_files``).
"""

from __future__ import annotations

import re
import threading
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import orjson

from ..packed import unpack
from .folding import _WORD, display_text
from .index import SearchIndex
from .peoplefile import PeopleParts, person_row
from .query import WordPlaces
from .results import Hit, record_hit
from .segments import _Segment, record_count
from .units import _Unit, person_unit

# the months a lean index (one query) keeps open: a month's records, once read, are about 2 MB
# at 50,000 meetings. A query reads the months one after the other, and its hits come in the
# order of their months, so a month with hits is opened again at most once, whatever this is.
LEAN_SEGMENTS = 2


def _scan_titles(text: str, term: str) -> Iterator[tuple[int, int, int]]:
    """(record number, start, end) of every title in ``text`` (each ended by NUL) with
    ``term`` at a word start, in order: what :func:`~.index._scan_text` finds in the titles
    of every month joined, found in one month's."""
    find = text.find
    word_start = bool(_WORD.match(term))
    record = counted = 0
    pos = find(term)
    while pos != -1:
        if word_start and pos and (text[pos - 1].isalnum() or text[pos - 1] == "_"):
            pos = find(term, pos + 1)
            continue
        record += text.count("\0", counted, pos)
        counted = pos
        end = text.index("\0", pos)
        yield record, text.rfind("\0", 0, pos) + 1, end
        pos = find(term, end + 1)


class _MonthSegment(_Segment):
    """A month's segment from the cache, whose records are told by its ``.units`` part."""

    __slots__ = ("units_path", "info", "place")
    units_path: Path
    info: dict[str, Any] | None
    place: int

    @classmethod
    def of_month(cls, base: Path, place: int) -> _MonthSegment:
        offsets = base.with_suffix(".idx").read_bytes()
        records = record_count(offsets)
        seg = cast(_MonthSegment, cls.of_files(base, [], [], [0, records]))
        seg.units_path = base.with_suffix(".units")
        seg.info = None
        seg.place = place
        return seg

    def _info(self) -> dict[str, Any]:
        if self.info is None:
            info = orjson.loads(unpack(self.units_path.read_bytes()))
            if len(info["r"]) != len(self):
                raise ValueError("a month's records do not fit its segment")
            info["firsts"] = [row[3] for row in info["m"]]
            self.info = info
        return self.info

    def meeting_of(self, uid: int) -> int:
        return bisect_right(self._info()["firsts"], uid) - 1

    def kind(self, uid: int) -> str:
        return str(self._info()["r"][uid][0])

    def group(self, uid: int) -> int:
        return self.place + self.meeting_of(uid)


class _Lists:
    """The months' word lists: the ``.words`` beside each month's parts."""

    def __init__(self, months: list[str], bases: list[Path]) -> None:
        self.months = months
        self.lists: list[Path | bytes] = [b.with_suffix(".words") for b in bases]


class _PeopleSegment(_Segment):
    """The people's segment as the cache keeps it: each record made when a query shows it,
    of that person's row, parsed then (or of every row, once a screen asked for them)."""

    __slots__ = ("lines", "parsed")
    lines: list[bytes]
    parsed: list[list[Any]] | None

    @classmethod
    def of_parts(cls, people: PeopleParts) -> _PeopleSegment:
        parts = (people.folded, people.shown, people.offsets)
        seg = cls(parts, [], [], firsts=[0, people.total])
        seg.lines = people.rows.split(b"\n") if people.rows else []
        if len(seg.lines) != len(seg):  # (read_people checked them against the sizes)
            raise ValueError("the people's rows do not fit their segment")
        seg.parsed = None
        return seg

    def rows(self) -> list[list[Any]]:
        """Each person's row: [key, display name, names, authorities, roles, groups]."""
        if self.parsed is None:
            self.parsed = [person_row(line) for line in self.lines]
        return self.parsed

    def unit(self, uid: int) -> _Unit:
        rows = self.parsed
        return person_unit(*(rows[uid] if rows is not None else person_row(self.lines[uid])))

    def kind(self, uid: int) -> str:
        return "person"


class CachedIndex(SearchIndex):
    """:class:`SearchIndex` over the cache's parts: ``months`` (each month's shard key, the
    base path of its parts without suffix, and its number of meetings; newest first) and
    ``people`` (the parts of the ``people-….json`` file, :mod:`.peoplefile`; their rows are
    parsed only when a person is shown). The titles of a month are read only when a query
    can find something in it, and scanned a month at a time.

    ``lean``: for one query (the command line's), whose memory is the process's: no month's
    titles are kept once scanned, and at most :data:`LEAN_SEGMENTS` months are kept open
    (what the browser keeps between its queries, a lean index reads again), and the word
    lists are inflated a month at a time and not kept (:class:`.query.WordPlaces`)."""

    def __init__(
        self, months: list[tuple[str, Path, int]], people: PeopleParts, lean: bool = False
    ) -> None:
        self._people = self._person_rows = _PeopleSegment.of_parts(people)
        self._people_heads = people.heads
        self._lean = lean
        if lean:
            self.segment_budget = LEAN_SEGMENTS
        self._built: OrderedDict[int, _Segment] = OrderedDict()
        self._lock = threading.RLock()
        self.months = []
        self._bases: list[Path] = []
        self._month_places: list[int] = []
        place = 0
        for key, base, meetings in months:
            if meetings <= 0:
                continue
            self.months.append(key)
            self._bases.append(base)
            self._month_places.append(place)
            place += meetings
        lists = _Lists(list(self.months), self._bases)
        self._word_places = WordPlaces(self.months, lists, keep=not lean)
        self._head_parts: dict[int, dict[str, Any]] = {}  # a month's titles, once read
        self._last_where: tuple[list[str], dict[str, dict[int, int]]] | None = None

    @property
    def people(self) -> list[list[Any]]:
        """The people of the folder: [key, display name, names, authorities, roles, groups]."""
        return self._person_rows.rows()

    def _titles(
        self, driver: str, months: dict[int, int] | None
    ) -> Iterator[tuple[int, int, int, int, str]]:
        for h, start, end in _scan_titles(self._people_heads, driver):
            yield 0, h, 1, -1, self._people_heads[start:end]
        for n in range(1, self.segments) if months is None else sorted(months):
            part = self._head_part(n)
            text, firsts, counts, owners = part["t"], part["f"], part["c"], part["m"]
            place = self._month_places[n - 1]
            for h, start, end in _scan_titles(text, driver):
                yield n, firsts[h], counts[h], place + owners[h], text[start:end]

    def _head_part(self, n: int) -> dict[str, Any]:
        part = self._head_parts.get(n)
        if part is None:
            part = orjson.loads(unpack(self._bases[n - 1].with_suffix(".heads").read_bytes()))
            if self._lean:  # scanned once, then forgotten
                return part
            for key in ("f", "c", "m"):  # 4 bytes a number, not an int object and a pointer
                part[key] = array("i", part[key])
            self._head_parts[n] = part
        return part

    def preload(self) -> None:
        """Read every month's titles and word list now, so that a first query is as quick as
        the next (the browser does it while its library loads). The word lists are read into
        the page cache, packed: the first query inflates them (19 MB at 10,000 meetings, not
        added to the browser's peak while its library loads)."""
        for n in range(1, self.segments):
            self._head_part(n)
            self._bases[n - 1].with_suffix(".words").read_bytes()  # into the page cache

    def _where(self, terms: list[str]) -> dict[str, dict[int, int]]:
        if self._last_where is None or self._last_where[0] != terms:
            self._last_where = (terms, self._word_places.where(terms))
        return self._last_where[1]

    def _segment(self, n: int) -> _Segment:
        if n == 0:
            return self._people
        with self._lock:
            seg = self._built.get(n)
            if seg is not None:
                self._built.move_to_end(n)
                return seg
            seg = _MonthSegment.of_month(self._bases[n - 1], self._month_places[n - 1])
            self._built[n] = seg
            while len(self._built) > self.segment_budget:
                _, old = self._built.popitem(last=False)
                old.close()
            return seg

    def _hit(self, uid: int, tier: int, terms: list[tuple[str, re.Pattern[str]]]) -> Hit:
        n = uid >> 24
        if n == 0:
            return super()._hit(uid, tier, terms)
        seg = self._segment(n)
        assert isinstance(seg, _MonthSegment)
        local = uid & ((1 << 24) - 1)
        info = seg._info()
        kind, number, kpi, raw_title, confidential = info["r"][local]
        mid, date, board, _ = info["m"][seg.meeting_of(local)]
        names, shown, folded = seg.names(local), seg.shown_fields(local), seg.folded_record(local)
        seg.release()
        return record_hit(
            kind,
            names,
            shown,
            folded,
            terms,
            tier,
            display_text(raw_title),
            meeting_id=mid,
            item_number=number,
            kpi=kpi,
            confidential=bool(confidential),
            date=date,
            board=board,
        )
