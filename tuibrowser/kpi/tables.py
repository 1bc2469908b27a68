"""KPI rows printed: as CSV for spreadsheets and as a plain-text table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..text import csv_text, one_line
from .rows import KpiRow
from .wording import number_text, rating_word

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
        tv = number_text(k.target_value) if k.target_value is not None else ""
        av = number_text(k.actual_value) if k.actual_value is not None else ""
        out.append(
            f"{one_line(r.code, 12):<{code_w}}  {rating_word(r.rating):<10}  {tv:>7}  {av:>7}  "
            f"{one_line(r.period, 12):<12}  {one_line(k.target, text_w)}"
        )
    return out
