"""Which KPI rows to show: filters by rating, theme, period, meeting and text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..library import Library
from .checks import periods
from .rows import KpiRow

# the theme filter for rows printed under no section heading (SC1–SC11 in the 2017/18 Q4 appendix)
NO_THEME = "(no theme)"


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
