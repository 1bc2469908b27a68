"""Ratings drawn with characters: every colour also carries a letter and a word.

Colour is never the only carrier: a stacked bar labels each segment (``G 52 ████ A 4 ▓``),
each rating has its own fill character, and a rating cell reads ``G green``. So the bars read
the same with NO_COLOR, on a monochrome terminal or to a colour-blind reader.

With NO_COLOR set, Textual turns every colour into a grey of the same brightness, so red and
blue would come out dark grey on black; the styles here then carry no colour and no ``dim``
(bold for a rating, italic for "not stated"), and every rating keeps full contrast.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from ...kpi import TargetProgress, rating_word
from ...model import RATING_LETTERS, RATINGS
from ...text import one_line

RATING_STYLES = {
    "green": "bold green",
    "amber": "bold yellow",
    "red": "bold red",
    "blue": "bold blue",
    "not_stated": "dim",
}
MONO_STYLES = {
    "green": "bold",
    "amber": "bold",
    "red": "bold",
    "blue": "bold",
    "not_stated": "italic",
}
FILL = {"green": "█", "amber": "▓", "red": "▒", "blue": "▚", "not_stated": "░"}
EIGHTHS = " ▏▎▍▌▋▊▉█"


def monochrome() -> bool:
    """True when colour is off (NO_COLOR set, whatever its value, as Textual reads it)."""
    return os.environ.get("NO_COLOR") is not None


def rating_style(rating: str) -> str:
    """The style of a rating: its colour, or (under NO_COLOR) bold / italic at full contrast."""
    styles = MONO_STYLES if monochrome() else RATING_STYLES
    return styles.get(rating, styles["not_stated"])


def faint() -> str:
    """The style of secondary text: dim in colour, plain under NO_COLOR (dim grey on black is
    hard to read once colour is gone)."""
    return "" if monochrome() else "dim"


def bar_style(colour: str) -> str:
    return "" if monochrome() else colour


def hanging(rows: Sequence[tuple[str, Text]], indent: int | None = None) -> RenderableType:
    """Lines with a hanging indent: each ``(prefix, text)`` puts the prefix (a bullet, a label)
    in its own column, so a text that wraps goes on under itself, not under the prefix."""
    grid = Table.grid(expand=True)
    width = indent if indent is not None else max((len(p) for p, _ in rows), default=0)
    grid.add_column(width=width, no_wrap=True)
    grid.add_column(ratio=1)
    for prefix, text in rows:
        grid.add_row(Text(prefix), text)
    return grid


def letter(rating: str) -> str:
    return RATING_LETTERS.get(rating, "-").replace("-", "–")


def rating_text(rating: str | None) -> Text:
    """``G green``: the letter and the word, styled with the colour."""
    r = (rating or "not_stated").lower()
    r = r if r in RATINGS else "not_stated"
    return Text(f"{letter(r)} {rating_word(r)}", style=rating_style(r))


def stacked_bar(counts: Mapping[str, int], width: int = 40, per_unit: float | None = None) -> Text:
    """A horizontal stacked bar, each segment labelled: ``G 52 ████████  A 4 ▓  – 5 ░``.

    Every non-zero rating gets at least one cell; the cells are shared out by count, or at
    ``per_unit`` cells per row when given (so two bars drawn at one scale compare by length).
    """
    present = [r for r in RATINGS if counts.get(r, 0) > 0]
    total = sum(counts.get(r, 0) for r in present)
    out = Text()
    if not total:
        out.append("no rows", style=faint())
        return out
    labels = {r: f"{letter(r)} {counts[r]} " for r in present}
    room = max(len(present), width - sum(len(v) + 2 for v in labels.values()))
    scale = per_unit if per_unit is not None else room / total
    cells = {r: max(1, round(scale * counts[r])) for r in present}
    # keep within the room: take the excess from the largest segments
    while sum(cells.values()) > room and max(cells.values()) > 1:
        biggest = max(cells, key=lambda r: cells[r])
        cells[biggest] -= 1
    for i, r in enumerate(present):
        if i:
            out.append("  ")
        out.append(labels[r], style=rating_style(r))
        out.append(FILL[r] * cells[r], style=rating_style(r))
    return out


def counts_text(counts: Mapping[str, int]) -> Text:
    """``green 52 · amber 4 · red 0 · blue 0 · not stated 5``."""
    out = Text()
    for i, r in enumerate(RATINGS):
        if i:
            out.append(" · ", style=faint())
        out.append(f"{rating_word(r)} {counts.get(r, 0)}", style=rating_style(r))
    return out


def progress_bar(p: TargetProgress | None, width: int = 12) -> Text:
    """``115/110 ████████████ 105%`` — the bar is full at the target; over-delivery is marked ``+``."""
    if p is None:
        return Text("–", style=faint())
    out = Text(f"{_n(p.actual)}/{_n(p.target)} ")
    ratio = p.ratio if p.ratio is not None else 0.0
    eighths = round(min(1.0, max(0.0, ratio)) * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (EIGHTHS[part] if part else "")
    style = bar_style("green" if p.met else "yellow")
    out.append(bar, style=style)
    out.append(" " * (width - len(bar)))
    out.append("+" if ratio > 1 else " ", style=style)
    out.append(f" {p.percent}%" if p.percent is not None else " n/a")
    return out


def _n(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def value_bars(
    points: Sequence[tuple[str, float | None]], unit: str | None = None, width: int = 30
) -> list[Text]:
    """One labelled bar per point: ``2017 ███████████ 78%``; a missing value reads ``N/A``.

    Every bar starts at zero and all share one scale (the largest value fills ``width``), so
    their lengths compare as the values do; a value below zero has no bar."""
    known = [v for _, v in points if v is not None]
    top = max(known) if known else 0
    label_w = max((len(one_line(p)) for p, _ in points), default=4)
    lines = []
    for period, value in points:
        line = Text(f"{one_line(period):>{label_w}} ")
        if value is None:
            line.append("N/A", style=faint())
        else:
            eighths = round(width * 8 * value / top) if top > 0 and value > 0 else 0
            full, part = divmod(eighths, 8)
            line.append("█" * full + (EIGHTHS[part] if part else ""), style=bar_style("cyan"))
            line.append(f" {_n(value)}{one_line(unit or '')}")
        lines.append(line)
    return lines


SPARK = "▁▂▃▄▅▆▇█"


def zero_spark(values: Sequence[float], top: float | None = None) -> Text:
    """A sparkline whose bottom is zero (not the smallest value, as Textual's ``Sparkline``
    draws it): one character per value, ``top`` (the largest value, unless given) the tallest.
    A value at or below zero is the lowest bar; 78 and 80 look nearly alike, as they are."""
    peak = top if top is not None else max((v for v in values), default=0)
    out = Text(style=bar_style("cyan"))
    for v in values:
        level = 0 if peak <= 0 or v <= 0 else round((len(SPARK) - 1) * min(v, peak) / peak)
        out.append(SPARK[level])
    return out


def scale_note(values: Sequence[float], unit: str | None = None) -> str:
    """Where a chart's axis starts and ends: ``scale 0 to 80%``."""
    top = max((v for v in values), default=0)
    return f"scale 0 to {_n(top)}{one_line(unit or '')}"
