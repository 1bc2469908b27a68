"""KPI rows: each KPI with the meeting it was reported to, and counts of them by rating."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..library import Library
from ..model import RATINGS, Kpi
from .targets import progress, rating_differs, shortfall


@dataclass(slots=True)
class KpiRow:
    """One KPI row with the meeting it was reported to."""

    meeting_id: str
    date: str
    kpi: Kpi

    @property
    def code(self) -> str:
        return self.kpi.code

    @property
    def rating(self) -> str:
        return (self.kpi.rating or "not_stated").lower()

    @property
    def period(self) -> str:
        return self.kpi.period or ""

    @property
    def rating_differs(self) -> bool | None:
        return rating_differs(self.kpi)

    def to_dict(self) -> dict[str, Any]:
        """The row for scripts. ``shortfall`` is target minus actual (0 when met; an int when
        both numbers are ints), or null when the numbers cannot say: one is missing, or they
        meet the target while the rating is amber or red (what fell short is not in them).
        ``rating_differs`` is true when the rating says otherwise than the numbers."""
        out = {"meeting": self.meeting_id, "date": self.date, **self.kpi.to_dict()}
        p = progress(self.kpi)
        out["ratio"] = round(p.ratio, 4) if p and p.ratio is not None else None
        out["shortfall"] = shortfall(self.kpi)
        out["rating_differs"] = rating_differs(self.kpi)
        return out


def all_rows(library: Library) -> list[KpiRow]:
    """Every KPI row, oldest meeting first, in the order the record lists them."""
    out: list[KpiRow] = []
    for m in sorted(library.meetings, key=lambda m: m.date):
        out.extend(KpiRow(m.id, m.date, k) for k in m.kpis)
    return out


def find_row(library: Library, meeting_id: str, code: str) -> KpiRow | None:
    m = library.meeting(meeting_id)
    if m is None:
        return None
    for k in m.kpis:
        if k.code == code:
            return KpiRow(m.id, m.date, k)
    return None


def themes(rows: Iterable[KpiRow]) -> list[str]:
    """The themes rows stand under, in first-seen order (rows with no theme are left out)."""
    seen: dict[str, None] = {}
    for r in rows:
        if r.kpi.theme:
            seen.setdefault(r.kpi.theme, None)
    return list(seen)


def count_ratings(rows: Iterable[KpiRow | Kpi]) -> dict[str, int]:
    """Rows per rating, every rating present (0 when none)."""
    out = {r: 0 for r in RATINGS}
    for row in rows:
        rating = (row.rating or "not_stated").lower()
        out[rating if rating in out else "not_stated"] += 1
    return out


def history(library: Library, code: str) -> list[KpiRow]:
    """Every row reported under ``code`` (or printed as it), oldest first."""
    code_l = code.lower()
    return [
        r
        for r in all_rows(library)
        if r.code.lower() == code_l or (r.kpi.code_printed or "").lower() == code_l
    ]
