"""A series' known points and its change over the last period with a value (N/A skipped)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..library import Library
from ..model import Point, Series
from .programme import by_date
from .wording import number_text


@dataclass(slots=True)
class Trend:
    """A series' known points and its change over the last period with a value."""

    name: str
    unit: str | None
    points: list[Point]
    last_change: float | None
    last_from: str | None
    last_to: str | None
    missing: list[str]

    @property
    def values(self) -> list[float]:
        return [p.value for p in self.points if p.value is not None]

    @property
    def first(self) -> Point | None:
        known = [p for p in self.points if p.value is not None]
        return known[0] if known else None

    @property
    def last(self) -> Point | None:
        known = [p for p in self.points if p.value is not None]
        return known[-1] if known else None

    def change_text(self) -> str:
        """``+8 (2016→2017)``, or a plain reason when there is no change to give."""
        if self.last_change is None:
            return "no change to show (fewer than two known values)"
        sign = "+" if self.last_change > 0 else ("±" if self.last_change == 0 else "−")
        return f"{sign}{number_text(abs(self.last_change))} ({self.last_from}→{self.last_to})"

    def describe(self) -> str:
        unit = self.unit or ""
        vals = ", ".join(
            f"{p.period}: {'N/A' if p.value is None else number_text(p.value) + unit}"
            for p in self.points
        )
        return f"{vals}; last change {self.change_text()}"


def _finite(p: Point) -> Point:
    """A point whose value is not a finite number (``.inf``, ``.nan``) reads as N/A."""
    v = p.value
    if v is None or (isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)):
        return p
    return Point(period=p.period, value=None)


def trend(s: Series) -> Trend:
    points = [_finite(p) for p in s.points]
    known = [p for p in points if p.value is not None]
    change = frm = to = None
    if len(known) >= 2:
        a, b = known[-2], known[-1]
        assert a.value is not None and b.value is not None  # they are the known ones
        change = b.value - a.value
        frm, to = a.period, b.period
    return Trend(
        name=s.name,
        unit=s.unit,
        points=points,
        last_change=change,
        last_from=frm,
        last_to=to,
        missing=[p.period for p in points if p.value is None],
    )


@dataclass(slots=True)
class SourcedSeries:
    meeting_id: str
    date: str
    series: Series
    trend: Trend


def series(library: Library) -> list[SourcedSeries]:
    return [SourcedSeries(m.id, m.date, s, trend(s)) for m in by_date(library) for s in m.series]
