"""The dashboard's Trends tab: each series (such as survey results) as bars and a sparkline,
with its last change in words."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static, TabPane

from .... import kpi as k
from ....library import Library
from ....text import one_line
from ...widgets.ratings import faint, scale_note, value_bars, zero_spark


class TrendsPane(TabPane):
    """One block per series, scrolling."""

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__("Trends", id=id)
        self.series = k.series(library)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dash-trends"):
            if not self.series:
                yield Static(Text("No series (such as survey results) in these records."))
            for i, s in enumerate(self.series):
                yield Static(self._series_title(s), id=f"series-title-{i}")
                if len(s.trend.values) >= 2:
                    # from zero, not from the smallest value: a small change looks small
                    spark = zero_spark(s.trend.values)
                    spark.append(f"  {scale_note(s.trend.values, s.trend.unit)}", style=faint())
                    yield Static(spark, classes="series-spark")
                yield Static(self._series_body(s), classes="series-text")

    def _series_title(self, s: k.SourcedSeries) -> Text:
        out = Text(one_line(s.series.name), style="bold")
        src = f"meeting {s.date}" + (f", item {one_line(s.series.item)}" if s.series.item else "")
        out.append(f"  ({src})", style=faint())
        return out

    def _series_body(self, s: k.SourcedSeries) -> Text:
        t = s.trend
        out = Text()
        for line in value_bars([(p.period, p.value) for p in t.points], t.unit, width=30):
            out.append_text(line)
            out.append("\n")
        out.append("Last change: ", style="bold")
        out.append(t.change_text())
        if t.missing:
            out.append(f"  (N/A: {', '.join(one_line(m) for m in t.missing)})", style=faint())
        if s.series.note:
            out.append(f"\nNote: {one_line(s.series.note)}", style="italic")
        return out
