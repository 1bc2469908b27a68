"""The dashboard's Ratings tab: per reporting period, the rows' ratings as a labelled bar,
the stated summary, and the findings in words."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static, TabPane

from .... import kpi as k
from ....kpi.glance import PeriodGlance, Ratings, glance, stated
from ....text import one_line
from ...widgets.ratings import counts_text, faint, hanging, rating_style, stacked_bar


def period_text(
    rep: PeriodGlance | k.PeriodReport, bar_width: int = 60, scale: int | None = None
) -> RenderableType:
    """One reporting period: the rows as a labelled bar and numbers, the stated summary, and
    the findings in words (each finding a bullet whose lines wrap under its own text).

    ``scale``: the count a full bar stands for (:func:`~tuibrowser.kpi.glance.scale_of` the
    periods shown together); this period's own largest count when not given."""
    if isinstance(rep, k.PeriodReport):
        rep = glance(rep)
    dim = faint()
    out = Text()
    out.append(f"{one_line(rep.period) or 'No period given'}", style="bold")
    out.append(f" — meeting {rep.date}", style=dim)
    if rep.items:
        out.append(f", item {', '.join(one_line(i) for i in rep.items)}", style=dim)
    out.append("\n")
    s = rep.summary
    given = stated(rep)
    # one scale for the rows' bar and the stated bar (and every period's), so lengths compare
    biggest = max(rep.total, sum(given.values()), scale or 1)
    per_unit = max(0.1, (bar_width - 20) / biggest)
    if rep.total:
        out.append("Rows:   ", style="bold")
        out.append_text(stacked_bar(rep.counts, bar_width, per_unit))
        out.append("\n        ")
        out.append_text(counts_text(rep.counts))
        out.append(f"  ({rep.total} rows)\n")
    else:
        out.append("Rows:   none recorded for this period\n", style=dim)
    label: Text | None = None
    if s is not None:
        out.append("Stated: ", style="bold")
        if given:
            out.append_text(stacked_bar(given, bar_width, per_unit))
            out.append("\n        ")
        out.append(f"total {'not stated' if s.total is None else s.total}")
        for c in k.COLOURS:
            value = getattr(s, c)
            if value is None and c == "blue":
                continue
            out.append(" · ", style=dim)
            out.append(f"{c} {'not stated' if value is None else value}", style=rating_style(c))
        if s.label:
            label = Text(f"({one_line(s.label)})", style=dim)
    else:
        out.append("Stated: no summary stated for this period", style=dim)
    out.rstrip()
    parts: list[RenderableType] = [out]
    if label is not None:
        parts.append(Padding(label, (0, 0, 0, 8)))
    if rep.findings:
        verdict = "Findings" if not rep.agrees else "Findings (rows and statement agree)"
        parts.append(Text(verdict + ":", style="bold"))
        parts.append(hanging([(" • ", Text(one_line(f))) for f in rep.findings]))
    return Group(*parts)


# Periods drawn in the tab's first frame; the rest follow right after it (the dashboard is on
# screen in a second, where laying out 200 blocks at once took five)
FIRST_PERIODS = 20


class RatingsPane(TabPane):
    """One block per reporting period (:func:`period_text`), scrolling."""

    def __init__(
        self,
        ratings: Ratings,
        *,
        id: str | None = None,
        scrolled: tuple[float, float] | None = None,
    ) -> None:
        """``ratings``: the library's (:func:`~tuibrowser.kpi.glance.at_a_glance` its
        periods), or the cache's before it is loaded (the same); ``scrolled``: where to scroll
        to once every period is drawn (the tab drawn again)."""
        super().__init__("Ratings", id=id)
        self.reports = ratings.periods
        self.total = ratings.total
        self.scrolled = scrolled
        # worked out once, of every period: asked of each, it made the tab's first draw
        # quadratic in the periods (half a minute at 10,000 meetings)
        self.scale = ratings.scale

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dash-overview"):
            if not self.reports:
                yield Static(
                    Text("No KPI rows or stated summaries in these records."),
                    id="no-periods",
                )
            if self.total > 1:
                yield Static(self._scale_note(), id="ratings-scale")
            yield from self._blocks(0, FIRST_PERIODS)
            if self.total > len(self.reports):
                yield Static(
                    Text(
                        f"The {len(self.reports):,} newest of {self.total:,} periods are"
                        " drawn here; the KPIs tab and `tuibrowser kpis` list every row.",
                        style=faint(),
                    ),
                    id="ratings-more",
                )

    def _blocks(self, start: int, end: int) -> list[Static]:
        """The blocks of the periods from ``start`` to ``end`` (no further than drawn at most)."""
        width = self._bar_width()
        return [
            Static(period_text(rep, width, self.scale), classes="period", id=f"period-{i}")
            for i, rep in enumerate(self.reports[start:end], start)
        ]

    def on_mount(self) -> None:
        self.call_after_refresh(self._draw_rest)

    async def _draw_rest(self) -> None:
        """After the first frame, the periods it did not draw; then back where the tab was
        scrolled to, when drawn again."""
        rest = self._blocks(FIRST_PERIODS, len(self.reports))
        overview = self.query_one("#dash-overview", VerticalScroll)
        if rest:
            more = self.query("#ratings-more")
            await overview.mount_all(rest, before=more.first() if more else None)
        if self.scrolled is not None:
            x, y = self.scrolled
            self.call_after_refresh(overview.scroll_to, x, y, animate=False)

    def _scale_note(self) -> Text:
        return Text(
            f"Every period's bars share one scale, from 0 to {self.scale} rows.", style=faint()
        )

    def _bar_width(self) -> int:
        return max(30, min(100, self.app.size.width - 14))

    def redraw(self) -> None:
        """Draw the bars again for the terminal's width."""
        width = self._bar_width()
        for w in self.query(".period"):
            number = (w.id or "").removeprefix("period-")
            if isinstance(w, Static) and number.isdigit() and int(number) < len(self.reports):
                w.update(period_text(self.reports[int(number)], width, self.scale))
