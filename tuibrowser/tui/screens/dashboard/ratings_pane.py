"""The dashboard's Ratings tab: per reporting period, the rows' ratings as a labelled bar,
the stated summary, and the findings in words."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static, TabPane

from .... import kpi as k
from ....kpi.glance import PeriodGlance, glance
from ....text import one_line
from ...widgets.ratings import counts_text, faint, hanging, rating_style, stacked_bar


def scale_of(reports: Sequence[PeriodGlance | k.PeriodReport]) -> int:
    """The most rows (or stated targets) of any period: every period's bars are drawn to this
    one scale, starting at zero, so their lengths compare across periods."""
    return max([1, *(max(r.total, sum(_stated(r).values())) for r in reports)])


def _stated(rep: PeriodGlance | k.PeriodReport) -> dict[str, int]:
    s = rep.summary
    return {c: getattr(s, c) for c in k.COLOURS if getattr(s, c)} if s is not None else {}


def period_text(
    rep: PeriodGlance | k.PeriodReport, bar_width: int = 60, scale: int | None = None
) -> RenderableType:
    """One reporting period: the rows as a labelled bar and numbers, the stated summary, and
    the findings in words (each finding a bullet whose lines wrap under its own text).

    ``scale``: the count a full bar stands for (:func:`scale_of` the periods shown together);
    this period's own largest count when not given."""
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
    stated = _stated(rep)
    # one scale for the rows' bar and the stated bar (and every period's), so lengths compare
    biggest = max(rep.total, sum(stated.values()), scale or 1)
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
        if stated:
            out.append_text(stacked_bar(stated, bar_width, per_unit))
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


# Periods drawn at most, newest first: one block each, and an archive of 10,000 meetings has
# thousands (laying them all out held the dashboard back for seconds); the KPIs tab and
# `tuibrowser kpis` have every row.
PERIODS_AT_MOST = 200
# Periods drawn in the tab's first frame; the rest follow right after it (the dashboard is on
# screen in a second, where laying out 200 blocks at once took five)
FIRST_PERIODS = 20


class RatingsPane(TabPane):
    """One block per reporting period (:func:`period_text`), scrolling."""

    def __init__(
        self,
        reports: list[PeriodGlance],
        *,
        id: str | None = None,
        scrolled: tuple[float, float] | None = None,
    ) -> None:
        """``reports``: the library's periods (:func:`~tuibrowser.kpi.glance.glances`), or
        the cache's before it is loaded (the same); ``scrolled``: where to scroll to once
        every period is drawn (the tab drawn again)."""
        super().__init__("Ratings", id=id)
        self.reports = reports
        self.scrolled = scrolled
        # worked out once: asked of every period, it made the tab's first draw quadratic in
        # the periods (half a minute at 10,000 meetings)
        self.scale = scale_of(self.reports)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dash-overview"):
            if not self.reports:
                yield Static(
                    Text("No KPI rows or stated summaries in these records."),
                    id="no-periods",
                )
            if len(self.reports) > 1:
                yield Static(self._scale_note(), id="ratings-scale")
            yield from self._blocks(0, FIRST_PERIODS)
            if len(self.reports) > PERIODS_AT_MOST:
                yield Static(
                    Text(
                        f"The {PERIODS_AT_MOST:,} newest of {len(self.reports):,} periods are"
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
            for i, rep in enumerate(self.reports[start : min(end, PERIODS_AT_MOST)], start)
        ]

    def on_mount(self) -> None:
        self.call_after_refresh(self._draw_rest)

    async def _draw_rest(self) -> None:
        """After the first frame, the periods it did not draw; then back where the tab was
        scrolled to, when drawn again."""
        rest = self._blocks(FIRST_PERIODS, PERIODS_AT_MOST)
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
