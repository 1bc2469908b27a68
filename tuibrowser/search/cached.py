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
from pathlib import Path
from typing import Any

import orjson

from ..library import Words
from .folding import display_text, fold_keep, fold_records
from .index import SearchIndex
from .query import WordPlaces
from .results import Hit, Snippet, _snippets, _spans
from .segments import _fold_segment, _Segment, record_starts
from .units import _unit_records, person_unit


class _MonthSegment(_Segment):
    """A month's segment from the cache, whose records are told by its ``.units`` part."""

    __slots__ = ("units_path", "info", "place")

    @classmethod
    def of_month(cls, base: Path, records: int, place: int) -> _MonthSegment:
        seg = cls.of_files(base, [], [], [0, records])
        seg.units_path = base.with_suffix(".units")
        seg.info = None
        seg.place = place
        return seg

    def _info(self) -> dict[str, Any]:
        if self.info is None:
            info = orjson.loads(self.units_path.read_bytes())
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


class CachedIndex(SearchIndex):
    """:class:`SearchIndex` over the cache's parts: ``months`` (shard key, its base path
    without suffix, newest first) and ``people`` (the ``people-….json`` part)."""

    def __init__(self, months: list[tuple[str, Path]], people: bytes) -> None:
        units = [person_unit(*p) for p in orjson.loads(people)]
        parts = _fold_segment(_unit_records(units), False)[:3]
        self._people = _Segment(parts, [], [], units)
        self._built: OrderedDict[int, _Segment] = OrderedDict()
        self._lock = threading.RLock()
        heads: list[str] = []
        segment, first, count, group = array("i"), array("i"), array("i"), array("i")
        for local in range(len(units)):
            segment.append(0)
            first.append(local)
            count.append(1)
            group.append(-1)
        self.months = []
        self._bases: list[Path] = []
        self._records: list[int] = []
        self._month_places: list[int] = []
        place = 0
        for key, base in months:
            part = orjson.loads(base.with_suffix(".heads").read_bytes())
            if not part["n"]:
                continue
            self.months.append(key)
            self._bases.append(base)
            self._month_places.append(place)
            n = len(self.months)
            segment.extend([n] * len(part["f"]))
            first.extend(part["f"])
            count.extend(part["c"])
            group.extend(place + k for k in part["m"])
            self._records.append(part["f"][-1] + part["c"][-1] if part["f"] else 0)
            heads.append(part["t"])
            place += part["n"]
        self._heads = (segment, first, count, group)
        people_heads = fold_records([[t for _, t in u.fields[: u.head]] for u in units])
        self._head_corpus = people_heads + "".join(heads)
        self._head_starts = array("q", record_starts(self._head_corpus))
        lists: list[Path | bytes] = [b.with_suffix(".words") for b in self._bases]
        self._vocab = Words(list(self.months), lists)
        self._word_places = WordPlaces(self.months, self._vocab)

    def _where(self, terms: list[str]) -> dict[str, dict[int, int]] | None:
        return self._word_places.where(terms)

    def _segment(self, n: int) -> _Segment:
        if n == 0:
            return self._people
        with self._lock:
            seg = self._built.get(n)
            if seg is None:
                seg = _MonthSegment.of_month(
                    self._bases[n - 1], self._records[n - 1], self._month_places[n - 1]
                )
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
        snippets, matches = _snippets(kind, names, shown, terms, folded.split("\n"))
        first = snippets[0] if snippets else Snippet("", "")
        title = display_text(raw_title)
        return Hit(
            kind=kind,
            meeting_id=mid,
            item_number=number,
            person=None,
            kpi=kpi,
            title=title,
            snippet=first.text,
            spans=first.spans,
            confidential=bool(confidential),
            field=first.field,
            title_spans=_spans(fold_keep(title), [rx for _, rx in terms], 0, len(title)),
            date=date,
            board=board,
            rank=tier,
            snippets=snippets,
            matches=matches,
        )
