"""KPIs at a glance: ratings per reporting period checked against what the report states.

Headless (no Textual, no Rich): the dashboard screen, the ``tuibrowser kpis`` command and the
tests share these functions. Everything is computed from the Library; nothing is hard-coded.

- :mod:`.rows`: each KPI row with its meeting (:func:`all_rows`, :func:`history`), counts by
  rating.
- :mod:`.targets`: actual against target where both are numbers (:func:`progress`), and
  whether the rating says otherwise than the numbers.
- :mod:`.checks`: rows and stated summaries grouped by meeting and reporting period, the counts
  compared with the summary, in plain language (:func:`periods`).
- :mod:`.filters`: rows filtered by rating, theme, period and text (:func:`filter_rows`).
- :mod:`.tables`: rows as CSV and as a plain-text table.
- :mod:`.trends`: a series' change over its last period, N/A points skipped (:func:`trend`).
- :mod:`.programme`: the outputs and figures reported, with their meetings.
- :mod:`.wording`: a rating as a word, a number as a finding prints it.

Per-person attendance is in :mod:`tuibrowser.attendance_stats`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names
from ..model import RATING_LABELS, RATING_LETTERS, RATINGS

if TYPE_CHECKING:
    from .checks import COLOURS, Comparison, PeriodReport, code_findings, compare, periods
    from .filters import NO_THEME, filter_rows, known_periods, period_matches
    from .programme import SourcedFigure, SourcedOutput, figures, outputs
    from .rows import KpiRow, all_rows, count_ratings, find_row, history, themes
    from .tables import CSV_FIELDS, rows_csv, rows_table
    from .targets import SHORT_RATINGS, TargetProgress, progress, rating_differs, shortfall
    from .trends import SourcedSeries, Trend, series, trend
    from .wording import RATING_WORDS, rating_word

__all__ = [
    "COLOURS",
    "CSV_FIELDS",
    "NO_THEME",
    "RATINGS",
    "RATING_LABELS",
    "RATING_LETTERS",
    "RATING_WORDS",
    "SHORT_RATINGS",
    "Comparison",
    "KpiRow",
    "PeriodReport",
    "TargetProgress",
    "Trend",
    "SourcedOutput",
    "SourcedFigure",
    "SourcedSeries",
    "all_rows",
    "code_findings",
    "compare",
    "count_ratings",
    "figures",
    "filter_rows",
    "find_row",
    "known_periods",
    "history",
    "outputs",
    "period_matches",
    "periods",
    "progress",
    "rating_differs",
    "rating_word",
    "rows_csv",
    "rows_table",
    "series",
    "shortfall",
    "themes",
    "trend",
]

# each name's module, imported the first time the name is asked for (the dashboard's
# glance, which the shard writer imports, needs two of them, not the whole package)
_WHERE = {
    "COLOURS": "checks",
    "CSV_FIELDS": "tables",
    "Comparison": "checks",
    "KpiRow": "rows",
    "NO_THEME": "filters",
    "PeriodReport": "checks",
    "RATING_WORDS": "wording",
    "SHORT_RATINGS": "targets",
    "SourcedFigure": "programme",
    "SourcedOutput": "programme",
    "SourcedSeries": "trends",
    "TargetProgress": "targets",
    "Trend": "trends",
    "all_rows": "rows",
    "code_findings": "checks",
    "compare": "checks",
    "count_ratings": "rows",
    "figures": "programme",
    "filter_rows": "filters",
    "find_row": "rows",
    "history": "rows",
    "known_periods": "filters",
    "outputs": "programme",
    "period_matches": "filters",
    "periods": "checks",
    "progress": "targets",
    "rating_differs": "targets",
    "rating_word": "wording",
    "rows_csv": "tables",
    "rows_table": "tables",
    "series": "trends",
    "shortfall": "targets",
    "themes": "rows",
    "trend": "trends",
}


__getattr__ = lazy_names(__name__, _WHERE, globals())
