"""A report's stated summary checked against its KPI rows, per meeting and reporting period.

:func:`periods` groups the rows and stated summaries by meeting and period, counts the rows by
rating and compares the counts with the summary, in plain language
(:attr:`PeriodReport.findings`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..library import Library
from ..model import RATINGS, Meeting, Summary
from .rows import KpiRow, count_ratings
from .wording import rating_word

COLOURS = ("green", "amber", "red", "blue")


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


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


def compare(
    summary: Summary, rows: list[KpiRow], counts: dict[str, int] | None = None
) -> tuple[list[Comparison], list[str]]:
    """The stated summary against the rows: one comparison per number, and findings in words
    (``counts``: :func:`.rows.count_ratings` of the rows, when made)."""
    if counts is None:
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
    return periods_of(library.meetings)


def periods_of(meetings: Iterable[Meeting]) -> list[PeriodReport]:
    """:func:`periods` of ``meetings`` (in the library's order: its ties keep it)."""
    reports: dict[tuple[str, str], PeriodReport] = {}
    for m in sorted(meetings, key=lambda m: m.date, reverse=True):
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
            rep.comparisons, rep.findings = compare(rep.summary, rep.rows, rep.counts)
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
