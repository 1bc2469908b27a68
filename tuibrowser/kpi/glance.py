"""The dashboard's first tab (ratings at a glance, per reporting period) from the library or
from the cache's parts, the same either way.

A reporting period's report (:func:`.checks.periods`) is of one meeting, so each shard of the
cache keeps its meetings' (:func:`shard_glances`, written with the shard: a public cache's are
of its redacted meetings), and the first reader puts them in the library's order
(:func:`merge_glances`) before the library is loaded. :func:`glances` makes the same of the
library's reports; a test holds the two equal.

The tab draws the :data:`DRAWN_AT_MOST` newest periods, each to one scale (the most rows or
stated targets of any period): :func:`at_a_glance` keeps just that of them (:class:`Ratings`),
which the first reader keeps merged, so that the dashboard before the library reads 200 periods,
not every one (16,680 at 50,000 meetings: a third of a second).

Headless: no Textual, no Rich.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model import Meeting, Summary
from .checks import COLOURS, PeriodReport, periods_of

__all__ = [
    "DRAWN_AT_MOST",
    "PeriodGlance",
    "Ratings",
    "as_rows",
    "at_a_glance",
    "glances",
    "merge_glances",
    "ratings_from_rows",
    "ratings_rows",
    "scale_of",
    "shard_glances",
    "stated",
]

# Periods the Ratings tab draws at most, newest first: one block each, and an archive of 10,000
# meetings has thousands (laying them all out held the dashboard back for seconds); the KPIs tab
# and `tuibrowser kpis` have every row.
DRAWN_AT_MOST = 200


@dataclass(slots=True)
class PeriodGlance:
    """One reporting period of one meeting as the Ratings tab draws it: its items, the rows'
    counts by rating, the stated summary and the findings in words."""

    meeting_id: str
    date: str
    period: str
    items: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    summary: Summary | None = None
    findings: list[str] = field(default_factory=list)
    agrees: bool = False


@dataclass(slots=True)
class Ratings:
    """What the Ratings tab draws: the newest periods (at most :data:`DRAWN_AT_MOST`), how
    many periods there are in all, and the count a full bar stands for (:func:`scale_of`
    every period)."""

    periods: list[PeriodGlance]
    total: int
    scale: int


def at_a_glance(found: list[PeriodGlance]) -> Ratings:
    """The Ratings tab's view of every period ``found`` (:func:`glances`, in its order)."""
    return Ratings(found[:DRAWN_AT_MOST], len(found), scale_of(found))


def scale_of(reports: Iterable[PeriodGlance | PeriodReport]) -> int:
    """The most rows (or stated targets) of any period: every period's bars are drawn to this
    one scale, starting at zero, so their lengths compare across periods."""
    return max([1, *(max(r.total, sum(stated(r).values())) for r in reports)])


def stated(rep: PeriodGlance | PeriodReport) -> dict[str, int]:
    """The ratings the period's summary states, by colour (those stated and not zero)."""
    s = rep.summary
    return {c: getattr(s, c) for c in COLOURS if getattr(s, c)} if s is not None else {}


def glance(rep: PeriodReport) -> PeriodGlance:
    """What the Ratings tab draws of ``rep``."""
    items = {r.kpi.item for r in rep.rows if r.kpi.item} | {s.item for s in rep.summaries if s.item}
    return PeriodGlance(
        rep.meeting_id, rep.date, rep.period, sorted(items), dict(rep.counts), rep.total,
        rep.summary, list(rep.findings), rep.agrees,
    )  # fmt: skip


def glances(reports: list[PeriodReport]) -> list[PeriodGlance]:
    """The Ratings tab's periods of ``reports`` (:func:`.checks.periods`), in their order."""
    return [glance(r) for r in reports]


def shard_glances(meetings: list[Meeting]) -> list[list[Any]]:
    """A shard's part: its periods, each ``[date, time, board]`` (its meeting's place in the
    meeting order) and then :func:`as_rows` of it."""
    order = {m.id: [m.date, m.time or "", m.board] for m in meetings}
    return [[*order[g.meeting_id], *row] for g, row in _rows(glances(periods_of(meetings)))]


def _rows(found: list[PeriodGlance]) -> list[tuple[PeriodGlance, list[Any]]]:
    return list(zip(found, as_rows(found), strict=True))


def as_rows(found: list[PeriodGlance]) -> list[list[Any]]:
    """``found`` as JSON arrays (the cache keeps them so)."""
    return [
        [g.meeting_id, g.date, g.period, g.items, g.counts, g.total,
         g.summary.to_dict() if g.summary is not None else None, g.findings, g.agrees]
        for g in found
    ]  # fmt: skip


def ratings_rows(ratings: Ratings) -> dict[str, Any]:
    """``ratings`` as JSON (the cache keeps the merged view so): its periods' rows
    (:func:`as_rows`), the number of periods and the scale."""
    return {"a": as_rows(ratings.periods), "n": ratings.total, "s": ratings.scale}


def ratings_from_rows(found: Any) -> Ratings:
    """What :func:`ratings_rows` gave, read back (anything else raises ``TypeError``,
    ``ValueError`` or ``KeyError``: a view kept by an earlier version is merged again)."""
    if not isinstance(found, dict):
        raise TypeError("the ratings are not a table")
    total, scale = found["n"], found["s"]  # (before the rows: an earlier view has every period)
    if type(total) is not int or type(scale) is not int:
        raise ValueError("the ratings' counts are not numbers")
    periods = from_rows(found["a"])
    if len(periods) > total:
        raise ValueError("the ratings' counts do not fit")
    return Ratings(periods, total, scale)


def from_rows(rows: Iterable[list[Any]]) -> list[PeriodGlance]:
    """What :func:`as_rows` gave, read back (a row of the wrong shape raises ``TypeError`` or
    ``ValueError``)."""
    out = []
    for mid, date, period, items, counts, total, summary, findings, agrees in rows:
        stated = Summary.from_dict(summary) if summary is not None else None
        out.append(
            PeriodGlance(
                str(mid),
                str(date),
                str(period),
                [str(i) for i in items],
                {str(c): int(n) for c, n in counts.items()},
                int(total),
                stated,
                [str(f) for f in findings],
                bool(agrees),
            )  # fmt: skip
        )
    return out


def merge_glances(parts: Iterable[list[list[Any]]]) -> list[PeriodGlance]:
    """The periods of the whole folder from its parts (:func:`shard_glances`), as
    :func:`glances` gives them of the library's reports: newest first, a date's meetings in the
    library's order."""
    rows = [row for part in parts for row in part]
    rows.sort(key=lambda r: (str(r[0]), str(r[1]), str(r[2])), reverse=True)  # the library's
    rows.sort(key=lambda r: (str(r[4]), str(r[5])), reverse=True)  # as periods() sorts
    return from_rows(row[3:] for row in rows)
