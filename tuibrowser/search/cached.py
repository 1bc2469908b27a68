"""Search straight from the cache's files, without the library: :class:`CachedIndex`.

What a query reads: the people of the folder (one small file), the titles of every month
(``.heads``), the word lists (``.words``, mapped), the blocks of the month segments they point
to (mapped), and what the records shown are (``.units``, of the months with a hit). The same
query as :class:`~.index.SearchIndex` over the library, with the same answer (a test holds
them equal); the command line's ``search`` takes it (see ``Cache.search_files``).
"""

from __future__ import annotations

import re
import threading
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable
from itertools import accumulate, repeat
from operator import add
from pathlib import Path
from typing import Any, cast

import orjson

from ..packed import unpack
from .folding import display_text
from .index import DEFAULT_LIMIT, SearchIndex
from .query import WordPlaces, parse_query
from .results import Hit, Results, record_hit
from .segments import _Segment, record_count
from .units import _Unit, person_unit


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
    """The people's segment as the cache keeps it: each record made when a query shows it."""

    __slots__ = ()

    def unit(self, uid: int) -> _Unit:
        row: Any = self.units[-1][uid]  # a person's row of the people part
        return person_unit(*row)

    def kind(self, uid: int) -> str:
        return "person"


class CachedIndex(SearchIndex):
    """:class:`SearchIndex` over the cache's parts: ``months`` (each month's shard key, the
    base path of its parts without suffix, and its number of meetings; newest first) and
    ``people`` (the ``people-….json`` part). The titles of a month are read only when a query
    can find something in it."""

    def __init__(self, months: list[tuple[str, Path, int]], people: bytes) -> None:
        found = orjson.loads(people)
        parts = (
            found["f"].encode("utf-8", "surrogatepass"),
            found["s"].encode("utf-8", "surrogatepass"),
            bytes.fromhex(found["o"]),
        )
        self._people = _PeopleSegment(parts, [], [], found["p"])
        self._people_heads = found["h"]
        # the people of the folder: [key, display name, names, authorities, roles, groups]
        self.people: list[list[Any]] = found["p"]
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
        self._word_places = WordPlaces(self.months, _Lists(list(self.months), self._bases))
        self._head_parts: dict[int, dict[str, Any]] = {}  # a month's titles, once read
        self._last_where: tuple[list[str], dict[str, dict[int, int]]] | None = None

    def query(self, query: str, limit: int | None = DEFAULT_LIMIT) -> Results:
        terms = parse_query(query)
        if terms:
            where = self._where(terms)
            months: set[int] | None = None
            for places in where.values():
                months = set(places) if months is None else months & set(places)
            self._read_heads(range(1, self.segments) if months is None else sorted(months))
        return super().query(query, limit)

    def _read_heads(self, months: Iterable[int]) -> None:
        """The titles of the people and of ``months`` (segment numbers), for the query to
        rank: a title of any other month cannot hold every word of the query."""
        units = len(self._people)
        segment = array("i", [0]) * units
        first = array("i", range(units))
        count = array("i", [1]) * units
        group = array("i", [-1]) * units
        heads = [self._people_heads]
        for n in months:
            part = self._head_part(n)
            size = len(part["f"])
            # (an array made of a list, then appended whole: twice as fast as extending an
            # array by the list's items one at a time)
            segment.extend(array("i", [n]) * size)
            first.extend(part["f"])
            count.extend(part["c"])
            place = self._month_places[n - 1]
            group.extend(array("i", [place + k for k in part["m"]]))
            heads.append(part["t"])
        self._heads = (segment, first, count, group)
        self._head_corpus = "".join(heads)
        parts = self._head_corpus.split("\0")
        parts.pop()  # after the last record's NUL
        self._head_starts = array("q", accumulate(map(add, map(len, parts), repeat(1)), initial=0))
        self._head_starts.pop()

    def _head_part(self, n: int) -> dict[str, Any]:
        part = self._head_parts.get(n)
        if part is None:
            part = orjson.loads(unpack(self._bases[n - 1].with_suffix(".heads").read_bytes()))
            for key in ("f", "c", "m"):  # 4 bytes a number, not an int object and a pointer
                part[key] = array("i", part[key])
            self._head_parts[n] = part
        return part

    def preload(self) -> None:
        """Read every month's titles and word list now, so that a first query is as quick as
        the next (the browser does it while its library loads)."""
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
            if seg is None:
                seg = _MonthSegment.of_month(self._bases[n - 1], self._month_places[n - 1])
                self._built[n] = seg
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
