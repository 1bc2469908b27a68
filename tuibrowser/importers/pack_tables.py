"""The tables an agenda pack's reports print, read into rows: a survey table with year columns
(``series``), a stated RAG summary (``summaries``), an outputs table with RAG ratings
(``outputs``) and the KPI appendix (``kpis``).

Each reader takes a report's body as lines (cells separated by tabs) and gives its rows and the
lines it used; a survey, summary or outputs table stays in the report as markdown. A KPI row
keeps its code, target, what was delivered and its RAG rating as printed (a blank or illegible
rating is ``not_stated``; a code printed without its first letter is read from the sequence),
and the counts of its target and delivered text where they are given plainly
(``target_value``, ``actual_value``). :mod:`.agenda_pack` finds the reports and puts the rows in
its documents.
"""

from __future__ import annotations

import re

from .. import limits
from ..model import Kpi, Output, Point, Series, Summary
from .base import MONTHS

RAG = {"green": "green", "amber": "amber", "red": "red", "blue": "blue"}
_AGENDA_ITEM_LINE = re.compile(r"^\s*Agenda Item\s+\d+[A-Za-z]?\s*$")  # page furniture
_KPI_CODE = re.compile(r"^(?P<code>[A-Z]{1,3}\d{1,3}[a-z]?)$")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def _rating(text: str) -> str | None:
    return RAG.get(text.strip().lower())


def _markdown_table(rows: list[list[str]]) -> str:
    """Cells → a markdown table (the first row is the header), cells as printed."""
    width = max(len(r) for r in rows)

    def line(cells: list[str]) -> str:
        cells = [c.replace("|", "\\|") for c in cells] + [""] * (width - len(cells))
        return "| " + " | ".join(cells) + " |"

    return "\n".join([line(rows[0]), "|" + "---|" * width, *(line(r) for r in rows[1:])])


def survey_series(
    body: list[str], item: str, tables: dict[int, str] | None = None
) -> tuple[list[Series], set[int]]:
    """A table whose header has year columns: one series per row (values in per cent).

    The table itself stays in the report: its header line's index maps, in ``tables``, to
    the table as markdown (every column as printed, also those that are not a year)."""
    tables = tables if tables is not None else {}
    out: list[Series] = []
    used: set[int] = set()
    for i, ln in enumerate(body):
        head = _cells(ln)
        years = [(j, c) for j, c in enumerate(head) if re.fullmatch(r"(19|20)\d\d", c)]
        if len(years) < 3:
            continue
        used.add(i)
        for k in range(i + 1, min(len(body), i + 40)):
            cells = _cells(body[k])
            if len(cells) < len(head) - 1 or not cells[0]:
                if body[k].strip():
                    break
                continue
            points = []
            unit = None
            for j, year in years:
                raw = cells[j] if j < len(cells) else ""
                if raw.upper() in ("N/A", "NA", "-", ""):
                    points.append(Point(period=year, value=None))
                    continue
                m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*(%?)", raw)
                if not m:
                    points = []
                    break
                value = float(m.group(1))
                points.append(Point(period=year, value=int(value) if value.is_integer() else value))
                unit = unit or (m.group(2) or None)
            if points:
                out.append(Series(name=cells[0], unit=unit, points=points, item=item))
                used.add(k)
        if out:
            rows = [head] + [_cells(body[k]) for k in sorted(used) if k != i]
            tables[i] = _markdown_table(rows)
            break
    return out, used


def period_as_at(text: str) -> str | None:
    """The reporting period of "by end of March 2018" / "as at March 2018": the financial
    year (April to March), with the quarter when the month ends one (2017/18 Q4)."""
    m = re.search(r"\b(?:end of|as at)\s+(?:the\s+)?(\w+)\s+(\d{4})\b", text, re.I)
    if not m or m.group(1).lower() not in MONTHS:
        return None
    month, year = MONTHS[m.group(1).lower()], int(m.group(2))
    fy = f"{year - 1}/{str(year)[-2:]}" if month <= 3 else f"{year}/{str(year + 1)[-2:]}"
    quarter = {3: "Q4", 6: "Q1", 9: "Q2", 12: "Q3"}.get(month)
    return f"{fy} {quarter}" if quarter else fy


def rag_summaries(
    body: list[str],
    item: str,
    period: str | None,
    rows_period: str | None = None,
    tables: dict[int, str] | None = None,
) -> tuple[list[Summary], set[int]]:
    """``<TAB>Total<TAB>Green<TAB>Amber<TAB>Red`` then ``Label<TAB>60<TAB>56<TAB>4<TAB>0``.

    The period is the year stated just above the table (else ``period``), made as precise as
    ``rows_period`` (the period of the KPI rows of the same item) when that is a part of the
    same year: a "Performance Summary for 2017/18" over rows "by end of March 2018" is
    2017/18 Q4, so the summary can be checked against its rows. The table stays in the
    report as markdown (``tables``: its header line's index → the table)."""
    tables = tables if tables is not None else {}
    out: list[Summary] = []
    used: set[int] = set()
    for i, ln in enumerate(body):
        head = [c.lower() for c in _cells(ln)]
        if "total" not in head or not any(c in RAG for c in head):
            continue
        for k in range(i + 1, min(len(body), i + 6)):
            cells = _cells(body[k])
            if not body[k].strip():
                continue
            if len(cells) < 2 or not all(re.fullmatch(r"\d+", c) for c in cells[1:] if c):
                break
            stated = period
            for back in range(i - 1, max(-1, i - 12), -1):
                m_period = re.search(r"\b(20\d\d/\d\d)\b", body[back])
                if m_period:
                    stated = m_period.group(1)
                    break
            if stated and rows_period and rows_period.startswith(stated + " "):
                stated = rows_period
            values = {
                head[j]: limits.count(c) for j, c in enumerate(cells) if j and c and j < len(head)
            }
            out.append(
                Summary(
                    period=stated,
                    label=cells[0] or None,
                    total=values.get("total"),
                    green=values.get("green"),
                    amber=values.get("amber"),
                    red=values.get("red"),
                    blue=values.get("blue"),
                    item=item,
                )
            )
            used.update({i, k})
            printed = tables.get(i)
            row = _markdown_table([_cells(ln), cells]).split("\n")[-1]
            tables[i] = (printed + "\n" + row) if printed else _markdown_table([_cells(ln), cells])
    return out, used


def outputs_table(
    body: list[str], item: str, period: str | None, tables: dict[int, str] | None = None
) -> tuple[list[Output], set[int]]:
    """Rows ``Project<TAB>Output<TAB>Green<TAB>Para 4`` of an outputs summary.

    The table stays in the report as markdown, every cell as printed: its header line's
    index maps to it in ``tables``."""
    tables = tables if tables is not None else {}
    out: list[Output] = []
    used: set[int] = set()
    in_table = False
    header_at = None
    printed: list[list[str]] = []
    for i, ln in enumerate(body):
        cells = _cells(ln)
        if any("(rag)" in c.lower() for c in cells) and header_at is None:
            in_table = True
            header_at = i
            printed.append([c for c in cells])
            used.add(i)
            period = period_as_at(ln) or period  # "Outputs as at March 2018"
            continue
        if not in_table:
            continue
        rating = next((RAG[c.lower()] for c in cells[2:3] if c.lower() in RAG), None)
        if cells[0] and len(cells) >= 3 and rating:
            out.append(
                Output(
                    project=cells[0],
                    output=cells[1] or None,
                    rating=rating,
                    reference=(cells[3] if len(cells) > 3 else "") or None,
                    period=period,
                    item=item,
                )
            )
            printed.append(list(cells))
            used.add(i)
        elif out and ln.startswith("\t") and len(cells) > 1 and any(cells[1:]):
            if cells[1]:
                out[-1].output = f"{out[-1].output or ''} {cells[1]}".strip()
            row = printed[-1]
            for j, c in enumerate(cells[1:], start=1):
                if j == 2 and len(row) > 2 and c.lower() == row[2].lower():
                    continue  # the rating printed again beside the row's next line
                if c:
                    row.extend([""] * (j + 1 - len(row)))
                    row[j] = f"{row[j]} {c}".strip()
            used.add(i)
    if out and header_at is not None:
        tables[header_at] = _markdown_table(printed)
    return out, used


def kpi_rows(
    body: list[str], item: str, warnings: list[str]
) -> tuple[list[Kpi], set[int], list[str], str | None]:
    """The KPI appendix table; returns rows, the lines used, lines kept as notes, the period."""
    start = None
    for i, ln in enumerate(body):
        if re.search(r"has the target been achieved|^\s*\tTarget\t", ln, re.I):
            start = i
            break
    if start is None:
        return [], set(), [], None
    period = period_as_at(body[start])
    used = {start}
    rows: list[Kpi] = []
    notes: list[str] = []
    # the table's heading (the line above it) and its column heads, kept in the notes
    if start > 0 and body[start - 1].strip():
        used.add(start - 1)
        notes.append("Table heading: " + " | ".join(c for c in _cells(body[start - 1]) if c))
    notes.append("Columns: " + " | ".join(c for c in _cells(body[start]) if c))
    theme = None
    theme_prefix: str | None = None
    prefix_prev = None
    number_prev = None
    for i in range(start + 1, len(body)):
        ln = body[i]
        if re.match(r"^\s*-{4,}", ln):
            used.add(i)  # the rule under the table
            if re.search(r"[^\s-]", ln):
                notes.append(f"The rule under the table reads: {ln.strip()}")
            break
        if re.match(r"^\s*Appendix\s+[B-Z]\b", ln):
            break  # the next appendix: its heading is the report's text
        if not ln.strip():
            used.add(i)
            continue
        if _AGENDA_ITEM_LINE.match(ln):
            used.add(i)
            continue
        cells = _cells(ln)
        first = re.sub(r"<[^>]*>", "", cells[0]).strip()
        used.add(i)
        m = _KPI_CODE.match(first)
        last = cells[-1] if len(cells) > 1 else ""
        if m:
            printed = m.group("code")
            parts = re.match(r"([A-Z]+)(\d+)", printed)
            assert parts is not None  # _KPI_CODE matched letters then digits
            letters, digits = parts.groups()
            code = printed
            if (
                prefix_prev
                and letters != prefix_prev
                and prefix_prev.endswith(letters)
                and number_prev is not None
                and limits.count(digits) == number_prev + 1
            ):
                code = prefix_prev + printed[len(letters) :]
                warnings.append(f"KPI code {printed!r} read as {code!r} from the sequence")
            prefix = re.match(r"[A-Z]+", code)
            assert prefix is not None  # a code starts with letters
            prefix_prev = prefix.group(0)
            if theme_prefix is None:
                theme_prefix = prefix_prev  # a heading covers the rows of the code it heads
            elif theme_prefix != prefix_prev:
                theme, theme_prefix = None, prefix_prev  # new codes without a heading
            digits_of = re.match(r"[A-Z]+(\d+)", code)
            assert digits_of is not None  # and goes on with digits
            number_prev = limits.count(digits_of.group(1))
            target = cells[1] if len(cells) > 1 else ""
            delivered = cells[2] if len(cells) > 2 else ""
            rating = _rating(last) if len(cells) >= 4 else None
            note = None
            if rating is None:
                note = (
                    f"Rating not legible: the rating cell reads {last!r}."
                    if len(cells) >= 4 and last
                    else "Rating not legible: the rating cell is blank in the extraction."
                    if len(cells) >= 4
                    else "Rating not legible: the extraction has no rating column for this row."
                )
            next_theme = None
            tail = re.search(
                r"\.\s+((?:[A-Z][a-z]+)(?:\s+(?:[A-Z][a-z]+|and|of|&)){1,5})\s*$", delivered
            )
            if tail:
                next_theme = tail.group(1)
                delivered = delivered[: tail.start(1)].strip()
            rows.append(
                Kpi(
                    code=code,
                    code_printed=printed if printed != code else None,
                    rating=rating or "not_stated",
                    theme=theme,
                    period=period,
                    target=target or None,
                    delivered=delivered or None,
                    item=item,
                    note=note,
                )
            )
            if next_theme:
                theme, theme_prefix = next_theme, None
            continue
        filled = [c for c in cells if c]
        if (
            len(cells) >= 3
            and not cells[0]
            and not cells[1]
            and len(filled) == 1
            and _is_heading(filled[0])
        ):
            theme, theme_prefix = filled[0], None  # a section heading across the table
            continue
        if cells[0] and len(filled) == 1 and len(cells) >= 2:
            notes.append(f"Sub-heading in the table: {cells[0]}")
            continue
        if re.fullmatch(r"\d+", last) and len(cells) >= 3:
            warnings.append(f"KPI table: a garbled line is not read as a row: {ln.strip()[:60]!r}")
            notes.append(f"Garbled line, not a row: {' | '.join(c for c in cells if c)}")
            continue
        if rows and ln.startswith(("\t", ".")) and len(cells) >= 2:
            k = rows[-1]
            if len(cells) > 1 and cells[1]:
                k.target = f"{k.target or ''} {cells[1]}".strip()
            if len(cells) > 2 and cells[2]:
                k.delivered = f"{k.delivered or ''} {cells[2]}".strip()
            if len(cells) > 3 and (rating := _rating(cells[3])) and k.rating == "not_stated":
                k.rating = rating
            elif any(cells[3:]):
                extra = " | ".join(c for c in cells[3:] if c)
                k.note = f"{k.note + ' ' if k.note else ''}A continuation line's rating cell reads {extra!r}."
            continue
        notes.append(ln.strip())
    for k in rows:  # once every continuation line has been joined to its row
        _kpi_values(k)
    return rows, used, notes, period


def _is_heading(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 10 and text[0].isupper() and not text.rstrip().endswith((".", ",", ";"))
    )


# --- the numbers of a KPI row -----------------------------------------------------------
#
# A row's target often sets one count ("at least 110 peer challenges") and its delivered text
# says how many were done ("We have delivered 115 peer challenges"). The numbers are taken only
# when the text gives them plainly; otherwise they stay empty, never guessed:
#
# - target_value: the one count the target sets. Years, dates, money (£10m), percentages,
#   fractions (3/4), ranges, ordinals (21st), list numbers ("1."), "up to N" and anything in
#   brackets (a qualification) are not counts. When the target says "at least", only those
#   counts are considered. Two different counts: no value.
# - actual_value: only with a target_value: the first count in the delivered text of the same
#   thing the target counts (the first plural noun after each number: "councils" also
#   matches "authorities", "chief executives" "CEXs"). None: no value.

_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        (
            "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen", "twenty",
        ),
        start=1,
    )
}  # fmt: skip
# digits, or a number in lower-case words ("a total of six reports"; "One Public Estate" is a name)
_NUMBER = re.compile(
    r"(?<![\w.,/£$€-])(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>[.,]\d+)?"
    rf"|\b(?P<w>{'|'.join(_WORD_NUMBERS)})\b"
)
_MONTH_NAMES = "|".join(MONTHS)
# what follows a number that is not a count: 95%, £4m, 3/4, 2017-18, 21st, 31 July
_NOT_A_COUNT_AFTER = re.compile(
    rf"^(?:\s*(?:%|per\s*cent|percent|m\b|bn\b|k\b|million|billion|pa\b|(?:{_MONTH_NAMES})\b)"
    r"|[/–-]\s*\d|[A-Za-z])",
    re.I,
)
_SYNONYMS = {
    "council": {"authority"},
    "authority": {"council"},
    "executive": {"cex"},
    "cex": {"executive"},
}
_NOT_PLURAL = ("ss", "ous", "is", "us")


# What is read around a number: a cell of 40,000 numbers is read in time linear in its size,
# not by copying and searching all the text before and after each number.
_AROUND = 80


def _before(text: str, start: int) -> str:
    """The text just before ``start`` (a cut-off start of the window is not a line start)."""
    return text[:start] if start <= _AROUND else "\x00" + text[start - _AROUND : start]


def _counts(text: str) -> list[tuple[int, int, int]]:
    """The plain counts in ``text``: (value, start, end)."""
    out = []
    for m in _NUMBER.finditer(text):
        before, after = _before(text, m.start()), text[m.end() : m.end() + _AROUND]
        if m.group("w"):
            out.append((_WORD_NUMBERS[m.group("w")], m.start(), m.end()))
            continue
        if m.group("frac") or re.search(r"[£$€]\s*$", before):
            continue  # 93.8, £25 …
        value = limits.count(m.group("n").replace(",", ""))
        if re.fullmatch(r"(19|20)\d\d", m.group("n")):
            continue  # a year
        if re.search(rf"\b(?:{_MONTH_NAMES})\s*$|\bup to\s*$", before, re.I):
            continue  # "March 18", "up to 10"
        if re.match(r"[.)]\s", after) and re.search(r"(?:^|[\n:;*])\s*$", before):
            continue  # a list number: "include: 1. up to …"
        if _NOT_A_COUNT_AFTER.match(after):
            continue
        out.append((value, m.start(), m.end()))
    return out


def _singular(word: str) -> str:
    w = word.lower().strip("'’").removesuffix("'s").removesuffix("’s")
    if w.endswith("ies"):
        return w[:-3] + "y"
    return w[:-1] if w.endswith("s") else w


def _unit(text: str, end: int) -> str | None:
    """The plural noun a count counts: the first plural word of the few after it."""
    window = text[end : end + 4 * _AROUND]
    head = re.split(r"[.,;:()]", window, maxsplit=1)[0]
    words = re.split(r"\s+", head.strip())
    if len(head) == len(window) < len(text) - end:
        words = words[:-1]  # the last word may be cut off by the window
    words = words[:4]
    for w in words:
        if w.lower().endswith("s") and not w.lower().endswith(_NOT_PLURAL) and len(w) > 3:
            return _singular(w)
    return None


def target_value(target: str | None) -> tuple[int | None, str | None]:
    """The count a target sets and the thing it counts; (None, None) when not plain."""
    if not target:
        return None, None
    text = re.sub(r"\([^)]*\)?", " ", target)  # a qualification in brackets
    counts = _counts(text)
    if re.search(r"\bat least\b", text, re.I):
        counts = [c for c in counts if re.search(r"\bat least\s*$", _before(text, c[1]), re.I)]
    if len({v for v, _, _ in counts}) != 1:
        return None, None
    value, _, end = counts[0]
    return value, _unit(text, end)


def actual_value(delivered: str | None, unit: str | None) -> int | None:
    """The first count of ``unit`` in the delivered text; None when there is none."""
    if not delivered or not unit:
        return None
    same = {unit} | _SYNONYMS.get(unit, set())
    for value, _, end in _counts(delivered):
        if _unit(delivered, end) in same:
            return value
    return None


def _kpi_values(k: Kpi) -> None:
    value, unit = target_value(k.target)
    k.target_value = value
    k.actual_value = actual_value(k.delivered, unit) if value is not None else None
