"""KPIs at a glance: ratings per reporting period checked against what the report states.

Headless (no Textual, no Rich): the dashboard screen, the ``tuibrowser kpis`` command and the
tests share these functions. Everything is computed from the Library; nothing is hard-coded.

- :func:`periods` groups KPI rows and stated summaries by meeting and reporting period, counts
  the rows by rating and compares the counts with the stated summary, in plain language
  (:attr:`PeriodReport.findings`).
- :func:`progress` gives actual against target where both are numbers.
- :func:`filter_rows` filters rows by rating, theme, period and text.
- :func:`trend` gives a series' change over its last period (N/A points skipped).
- :func:`history` lists one KPI code across reporting periods.

Per-person attendance is in :mod:`.attendance_stats`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .library import Library
from .model import (
    RATING_LABELS,
    RATING_LETTERS,
    RATINGS,
    Figure,
    Kpi,
    Meeting,
    Output,
    Point,
    Series,
    Summary,
)
from .text import csv_text, one_line

COLOURS = ("green", "amber", "red", "blue")
# the theme filter for rows printed under no section heading (SC1–SC11 in the 2017/18 Q4 appendix)
NO_THEME = "(no theme)"
RATING_WORDS = {
    "green": "green",
    "amber": "amber",
    "red": "red",
    "blue": "blue",
    "not_stated": "not stated",
}

__all__ = [
    "COLOURS",
    "NO_THEME",
    "RATINGS",
    "RATING_LABELS",
    "RATING_LETTERS",
    "RATING_WORDS",
    "Comparison",
    "KpiRow",
    "PeriodReport",
    "Progress",
    "Trend",
    "SourcedOutput",
    "SourcedFigure",
    "SourcedSeries",
    "all_rows",
    "count_ratings",
    "figures",
    "filter_rows",
    "find_row",
    "known_periods",
    "history",
    "outputs",
    "periods",
    "progress",
    "rating_differs",
    "rating_word",
    "series",
    "shortfall",
    "themes",
    "trend",
]


def rating_word(rating: str | None) -> str:
    """The rating as a word (``not stated`` for a blank or unknown rating)."""
    return RATING_WORDS.get((rating or "not_stated").lower(), "not stated")


def _num(value: float | None) -> str:
    """A number as printed in a finding: ``115`` not ``115.0``."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# --- rows -------------------------------------------------------------------


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


def filter_rows(
    rows: Iterable[KpiRow],
    rating: str | Sequence[str] | None = None,
    theme: str | None = None,
    period: str | None = None,
    text: str | None = None,
    meeting_id: str | None = None,
) -> list[KpiRow]:
    """Rows matching every filter given. ``rating`` is one rating or several (``not stated``
    and ``not_stated`` both work); ``theme`` and ``text`` match case-insensitively within the
    text (``theme`` :data:`NO_THEME` matches the rows with no theme); ``period`` matches the
    period exactly or, failing that, as a substring."""
    wanted: set[str] | None = None
    if rating:
        values = [rating] if isinstance(rating, str) else list(rating)
        wanted = {v.strip().lower().replace(" ", "_").replace("-", "_") for v in values}
    no_theme = theme is not None and theme.strip().lower() == NO_THEME
    theme_l = theme.lower() if theme and not no_theme else None
    text_l = text.lower() if text else None
    out = []
    for r in rows:
        if wanted is not None and r.rating not in wanted:
            continue
        if no_theme and r.kpi.theme:
            continue
        if theme_l is not None and theme_l not in (r.kpi.theme or "").lower():
            continue
        if period is not None and not period_matches(r.period, period):
            continue
        if meeting_id is not None and r.meeting_id != meeting_id:
            continue
        if text_l is not None:
            k = r.kpi
            hay = " ".join(
                x or ""
                for x in (k.code, k.code_printed, k.theme, k.target, k.delivered, k.note, k.period)
            ).lower()
            if text_l not in hay:
                continue
        out.append(r)
    return out


def known_periods(library: Library) -> list[str]:
    """Every reporting period named by a KPI row or a stated summary, newest meeting first."""
    return list(dict.fromkeys(r.period for r in periods(library) if r.period))


def period_matches(value: str | None, wanted: str) -> bool:
    """A period filter: exact (case-insensitive) or contained, ``2017/18`` matches ``2017/18 Q4``."""
    v, w = (value or "").lower().strip(), wanted.lower().strip()
    return v == w or (bool(w) and w in v)


CSV_FIELDS = (
    "meeting", "date", "period", "code", "code_printed", "theme", "rating", "target_value",
    "actual_value", "ratio", "shortfall", "rating_differs", "target", "delivered", "item", "note",
)  # fmt: skip


def rows_csv(rows: Iterable[KpiRow], raw: bool = False) -> str:
    """KPI rows as CSV (one row per KPI, with its meeting), control characters escaped, and a
    cell a spreadsheet would run as a formula starting with ``'`` unless ``raw``."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        d = r.to_dict()
        w.writerow(
            {k: csv_text(d[k], raw) if isinstance(d.get(k), str) else d.get(k) for k in CSV_FIELDS}
        )
    return buf.getvalue()


def rows_table(rows: Sequence[KpiRow], width: int = 100) -> list[str]:
    """A plain-text table: code, rating as a word, target value, actual value, short target."""
    if not rows:
        return ["No KPI rows match."]
    code_w = max(4, *(len(one_line(r.code, 12)) for r in rows))
    head = f"{'CODE':<{code_w}}  {'RATING':<10}  {'TARGET':>7}  {'ACTUAL':>7}  {'PERIOD':<12}  TARGET TEXT"
    fixed = code_w + 2 + 10 + 2 + 7 + 2 + 7 + 2 + 12 + 2
    text_w = max(20, width - fixed)
    out = [head]
    for r in rows:
        k = r.kpi
        tv = _num(k.target_value) if k.target_value is not None else ""
        av = _num(k.actual_value) if k.actual_value is not None else ""
        out.append(
            f"{one_line(r.code, 12):<{code_w}}  {rating_word(r.rating):<10}  {tv:>7}  {av:>7}  "
            f"{one_line(r.period, 12):<12}  {one_line(k.target, text_w)}"
        )
    return out


def count_ratings(rows: Iterable[KpiRow | Kpi]) -> dict[str, int]:
    """Rows per rating, every rating present (0 when none)."""
    out = {r: 0 for r in RATINGS}
    for row in rows:
        rating = (row.rating or "not_stated").lower()
        out[rating if rating in out else "not_stated"] += 1
    return out


# --- progress ---------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Progress:
    """Actual against target: ``ratio`` 1.05 is 105%; ``shortfall`` is 0 when met, an int when
    both numbers are ints."""

    target: float
    actual: float
    ratio: float | None
    shortfall: int | float

    @property
    def percent(self) -> int | None:
        return None if self.ratio is None else round(self.ratio * 100)

    @property
    def met(self) -> bool:
        return self.actual >= self.target

    def describe(self) -> str:
        base = f"{_num(self.actual)} of {_num(self.target)}"
        if self.percent is not None:
            base += f" ({self.percent}%)"
        if self.shortfall > 0:
            return f"{base}, {_num(self.shortfall)} short"
        if self.actual > self.target:
            return f"{base}, {_num(self.actual - self.target)} over"
        return f"{base}, met"


def progress(kpi: Kpi) -> Progress | None:
    """Actual against target, or None unless both are numbers."""
    t, a = kpi.target_value, kpi.actual_value
    if not isinstance(t, int | float) or not isinstance(a, int | float):
        return None
    if isinstance(t, bool) or isinstance(a, bool) or not (math.isfinite(t) and math.isfinite(a)):
        return None
    ratio = a / t if t else None
    if ratio is not None and not math.isfinite(ratio):
        ratio = None  # a target next to 0 (5e-324): no ratio to show, nor a percentage to round
    short: int | float = (
        max(0, t - a) if isinstance(t, int) and isinstance(a, int) else max(0.0, t - a)
    )
    return Progress(target=float(t), actual=float(a), ratio=ratio, shortfall=short)


SHORT_RATINGS = ("amber", "red")


def rating_differs(kpi: Kpi) -> bool | None:
    """Whether the rating says otherwise than the numbers: the target is met but the row is rated
    amber or red (E1: 115 of 110, amber for a second count its note gives), or it is not met
    but rated green. None when there are no two numbers to compare."""
    p = progress(kpi)
    if p is None:
        return None
    rating = (kpi.rating or "not_stated").lower()
    if p.met:
        return rating in SHORT_RATINGS
    return rating == "green"


def shortfall(kpi: Kpi) -> int | float | None:
    """Target minus actual (0 when met), or None when the numbers cannot say: one is missing, or
    they meet the target while the rating says the row fell short on something else."""
    p = progress(kpi)
    if p is None or (p.met and rating_differs(kpi)):
        return None
    return p.shortfall


# --- periods and findings ---------------------------------------------------


@dataclass(slots=True, frozen=True)
class Comparison:
    """One stated number against the rows: ``stated`` None when the report does not give it."""

    field: str
    stated: int | None
    counted: int

    @property
    def difference(self) -> int | None:
        return None if self.stated is None else self.counted - self.stated

    @property
    def agrees(self) -> bool:
        return self.stated is not None and self.stated == self.counted


@dataclass(slots=True)
class PeriodReport:
    """KPI rows and stated summaries for one reporting period of one meeting."""

    meeting_id: str
    date: str
    period: str
    rows: list[KpiRow] = field(default_factory=list)
    summaries: list[Summary] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    comparisons: list[Comparison] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> Summary | None:
        """The stated summary the rows are compared with (the first one)."""
        return self.summaries[0] if self.summaries else None

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def not_stated_codes(self) -> list[str]:
        return [r.code for r in self.rows if r.rating == "not_stated"]

    @property
    def agrees(self) -> bool:
        """True when a summary is stated and every stated number matches the rows."""
        return bool(self.comparisons) and all(
            c.agrees for c in self.comparisons if c.stated is not None
        )

    @property
    def title(self) -> str:
        return f"{self.period or 'no period'} — {self.date}"

    def to_dict(self) -> dict[str, Any]:
        s = self.summary
        return {
            "meeting": self.meeting_id,
            "date": self.date,
            "period": self.period or None,
            "rows": self.total,
            "counts": dict(self.counts),
            "stated": s.to_dict() if s else None,
            "comparisons": [
                {
                    "field": c.field,
                    "stated": c.stated,
                    "counted": c.counted,
                    "difference": c.difference,
                }
                for c in self.comparisons
            ],
            "not_stated": self.not_stated_codes,
            "findings": list(self.findings),
        }


def _codes(codes: list[str], limit: int = 8) -> str:
    if len(codes) <= limit:
        return ", ".join(codes)
    return ", ".join(codes[:limit]) + f", … {len(codes) - limit} more"


def _diff_words(diff: int) -> str:
    if diff == 0:
        return "the same"
    return f"{abs(diff)} {'more' if diff > 0 else 'fewer'}"


def _label(summary: Summary, default: str) -> str:
    """The summary's label when short enough to read in a sentence, else ``default``."""
    label = " ".join((summary.label or "").split())
    return label if label and len(label) <= 30 else default


def compare(summary: Summary, rows: list[KpiRow]) -> tuple[list[Comparison], list[str]]:
    """The stated summary against the rows: one comparison per number, and findings in words."""
    counts = count_ratings(rows)
    comps = [Comparison("total", summary.total, len(rows))]
    comps += [Comparison(c, getattr(summary, c), counts[c]) for c in COLOURS]
    label_word = _label(summary, "deliverables")
    findings: list[str] = []
    missing = [r.code for r in rows if r.rating == "not_stated"]
    missing_said = False

    total = comps[0]
    if total.stated is None:
        findings.append(
            f"The report does not state a total; {_plural(len(rows), 'row is', 'rows are')} recorded."
        )
    elif total.difference:
        findings.append(
            f"The report states {total.stated} {label_word}; "
            f"{_plural(len(rows), 'row is', 'rows are')} recorded ({_diff_words(total.difference)})."
        )
    else:
        findings.append(
            f"The report states {total.stated} {label_word}; {_plural(len(rows), 'row is', 'rows are')} "
            "recorded (they agree)."
        )

    agreeing: list[str] = []
    for c in comps[1:]:
        if c.stated is None:
            if c.counted:
                findings.append(f"No {c.field} count is stated; rows rated {c.field}: {c.counted}.")
            elif c.field != "blue":
                findings.append(f"No {c.field} count is stated; no rows are rated {c.field}.")
            continue
        if c.difference == 0:
            agreeing.append(f"{c.field} ({c.stated})")
            continue
        text = f"Stated {c.stated} {c.field}; rows rated {c.field}: {c.counted} ({_diff_words(c.difference or 0)})"
        if (c.difference or 0) < 0 and missing and not missing_said:
            text += (
                f", {_plural(len(missing), 'row has', 'rows have')} no legible rating "
                f"({_codes(missing)})"
            )
            missing_said = True
        findings.append(text + ".")
    if agreeing:
        findings.append(
            "The rows agree with the stated "
            + (
                ", ".join(agreeing[:-1]) + " and " + agreeing[-1]
                if len(agreeing) > 1
                else agreeing[0]
            )
            + "."
        )
    if missing and not missing_said:
        findings.append(
            f"{_plural(len(missing), 'row has', 'rows have')} no legible rating ({_codes(missing)})."
        )
    if total.difference:
        findings.extend(code_findings([r.code for r in rows]))
    return comps, findings


_SPLIT = re.compile(r"^([A-Za-z]+\d+)([a-z])$")
_CODE = re.compile(r"^([A-Za-z]+)(\d+)[a-z]?$")


def code_findings(codes: list[str]) -> list[str]:
    """What in the codes may explain a count that differs: a code recorded as several rows
    (``EP11a``, ``EP11b``), a code recorded twice, and gaps in a numbered sequence (no ``LC7``)."""
    out: list[str] = []
    split: dict[str, list[str]] = {}
    for c in codes:
        m = _SPLIT.match(c)
        if m:
            split.setdefault(m.group(1), []).append(c)
    for base, parts in split.items():
        if len(parts) > 1:
            out.append(f"{base} is recorded as {len(parts)} rows ({', '.join(parts)}).")
    seen: dict[str, int] = {}
    for c in codes:
        seen[c] = seen.get(c, 0) + 1
    twice = [c for c, n in seen.items() if n > 1]
    if twice:
        out.append(f"Recorded more than once: {_codes(twice)}.")
    numbers: dict[str, set[int]] = {}
    for c in codes:
        m = _CODE.match(c)
        if m:
            numbers.setdefault(m.group(1), set()).add(int(m.group(2)))
    gaps = []
    for prefix, nums in numbers.items():
        if len(nums) < 2 or max(nums) - min(nums) > 200:
            continue
        gaps += [f"{prefix}{n}" for n in range(min(nums), max(nums)) if n not in nums]
    if gaps:
        out.append(f"No row is recorded for {_codes(gaps)}.")
    return out


def periods(library: Library) -> list[PeriodReport]:
    """One report per (meeting, period) holding KPI rows or a stated summary; newest first."""
    reports: dict[tuple[str, str], PeriodReport] = {}
    for m in sorted(library.meetings, key=lambda m: m.date, reverse=True):
        for k in m.kpis:
            key = (m.id, k.period or "")
            rep = reports.setdefault(key, PeriodReport(m.id, m.date, k.period or ""))
            rep.rows.append(KpiRow(m.id, m.date, k))
        for s in m.summaries:
            key = (m.id, s.period or "")
            rep = reports.setdefault(key, PeriodReport(m.id, m.date, s.period or ""))
            rep.summaries.append(s)
    for rep in reports.values():
        rep.counts = count_ratings(rep.rows)
        if rep.summary is not None and rep.rows:
            rep.comparisons, rep.findings = compare(rep.summary, rep.rows)
        elif rep.summary is not None:
            s = rep.summary
            stated = [f"{getattr(s, c)} {c}" for c in COLOURS if getattr(s, c) is not None]
            not_given = [c for c in ("green", "amber", "red") if getattr(s, c) is None]
            text = "The report states " + (
                f"{s.total} {_label(s, 'targets')}" if s.total is not None else "no total"
            )
            if stated:
                text += ": " + ", ".join(stated)
            text += "."
            if not_given:
                text += f" No {' or '.join(not_given)} count is stated."
            rep.findings = [text, "No KPI rows are recorded for this period to check it against."]
        else:
            found = [f"{rep.counts[r]} {rating_word(r)}" for r in RATINGS if rep.counts[r]]
            rep.findings = [
                f"{_plural(rep.total, 'row is', 'rows are')} recorded ({', '.join(found)}); "
                "no summary is stated for this period."
            ]
            if rep.counts["not_stated"]:
                rep.findings.append(
                    f"{_plural(rep.counts['not_stated'], 'row has', 'rows have')} no legible "
                    f"rating ({_codes(rep.not_stated_codes)})."
                )
    return sorted(reports.values(), key=lambda r: (r.date, r.period), reverse=True)


# --- history ----------------------------------------------------------------


def history(library: Library, code: str) -> list[KpiRow]:
    """Every row reported under ``code`` (or printed as it), oldest first."""
    code_l = code.lower()
    return [
        r
        for r in all_rows(library)
        if r.code.lower() == code_l or (r.kpi.code_printed or "").lower() == code_l
    ]


# --- series -----------------------------------------------------------------


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
        return f"{sign}{_num(abs(self.last_change))} ({self.last_from}→{self.last_to})"

    def describe(self) -> str:
        unit = self.unit or ""
        vals = ", ".join(
            f"{p.period}: {'N/A' if p.value is None else _num(p.value) + unit}" for p in self.points
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


@dataclass(slots=True)
class SourcedOutput:
    meeting_id: str
    date: str
    output: Output


@dataclass(slots=True)
class SourcedFigure:
    meeting_id: str
    date: str
    figure: Figure

    def describe(self) -> str:
        f = self.figure
        value = f.text or (
            f"{_num(f.value)}{f.unit or ''}" if f.value is not None else "not stated"
        )
        return value


def _by_date(library: Library) -> list[Meeting]:
    return sorted(library.meetings, key=lambda m: m.date, reverse=True)


def series(library: Library) -> list[SourcedSeries]:
    return [SourcedSeries(m.id, m.date, s, trend(s)) for m in _by_date(library) for s in m.series]


def outputs(library: Library) -> list[SourcedOutput]:
    return [SourcedOutput(m.id, m.date, o) for m in _by_date(library) for o in m.outputs]


def figures(library: Library) -> list[SourcedFigure]:
    return [SourcedFigure(m.id, m.date, f) for m in _by_date(library) for f in m.figures]
