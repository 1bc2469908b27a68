"""The dashboard's Programme tab: programme outputs with their ratings, and finance and other
stated figures, each row opening the item (or meeting) it comes from."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static, TabPane

from .... import kpi as k
from ....library import Library
from ....text import one_line
from ...gone import row_at
from ...host import host
from ...widgets import BrowseTable
from ...widgets.ratings import faint, rating_text
from .common import fit, keep_cursor, screen_width


class ProgrammePane(TabPane):
    """The outputs table above the figures table."""

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__("Programme", id=id)
        self.outputs = k.outputs(library)
        self.figures = k.figures(library)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dash-programme"):
            yield Static("Programme outputs (Enter opens the item)", classes="dash-title")
            yield BrowseTable(id="outputs-table", zebra_stripes=True)
            yield Static("Finance and other stated figures", classes="dash-title")
            yield BrowseTable(id="figures-table", zebra_stripes=True)

    def _width(self) -> int:
        return screen_width(self)

    def _source(self, date: str, item: str | None) -> str:
        return date + (f" item {one_line(item, 8)}" if item else "")

    def fill(self) -> None:
        width = self._width()
        out_t = self.query_one("#outputs-table", BrowseTable)
        keep = out_t.cursor_key
        out_t.clear(columns=True)
        source_w = max([6, *(len(self._source(o.date, o.output.item)) for o in self.outputs)])
        ref_w = max([3, *(len(one_line(o.output.reference, 12)) for o in self.outputs)])
        rating_w = max([6, *(len(rating_text(o.output.rating)) for o in self.outputs)])
        project_w = min(30, max([7, *(len(one_line(o.output.project)) for o in self.outputs)]))
        if width < 120:
            project_w = min(project_w, 18)
        output_w = max(20, fit(width, [project_w, rating_w, source_w, ref_w], 1))
        # the output text is the long one: it goes last, so the source stays on screen
        for key, label, w in [
            ("project", "Project", project_w),
            ("rating", "Rating", rating_w),
            ("source", "Source", source_w),
            ("ref", "Ref", ref_w),
            ("output", "Output", output_w),
        ]:
            out_t.add_column(Text(label), key=key, width=w)
        if not self.outputs:
            out_t.add_row(Text("No programme outputs in these records.", style=faint()), *[""] * 4)
        for i, so in enumerate(self.outputs):
            o = so.output
            out_t.add_row(
                Text(one_line(o.project, project_w)),
                rating_text(o.rating),
                Text(self._source(so.date, o.item)),
                Text(one_line(o.reference, ref_w)),
                Text(one_line(o.output, output_w)),
                key=f"o{i}",
            )
        keep_cursor(out_t, keep)
        fig_t = self.query_one("#figures-table", BrowseTable)
        keep = fig_t.cursor_key
        fig_t.clear(columns=True)
        source_w = max([6, *(len(self._source(f.date, f.figure.item)) for f in self.figures)])
        period_w = max([6, *(len(one_line(f.figure.period, 12)) for f in self.figures)])
        value_w = min(30, max([5, *(len(one_line(f.describe())) for f in self.figures)]))
        if width < 120:
            value_w = min(value_w, 20)
        name_w = max(16, fit(width, [value_w, period_w, source_w], 1))
        for key, label, w in [
            ("figure", "Figure", min(name_w, 60)),
            ("value", "Value", value_w),
            ("period", "Period", period_w),
            ("source", "Source", source_w),
        ]:
            fig_t.add_column(Text(label), key=key, width=w)
        if not self.figures:
            fig_t.add_row(Text("No stated figures in these records.", style=faint()), "", "", "")
        for i, sf in enumerate(self.figures):
            f = sf.figure
            fig_t.add_row(
                Text(one_line(f.name, min(name_w, 60))),
                Text(one_line(sf.describe(), value_w)),
                Text(one_line(f.period, period_w)),
                Text(self._source(sf.date, f.item)),
                key=f"f{i}",
            )
        keep_cursor(fig_t, keep)

    @on(DataTable.RowSelected, "#outputs-table, #figures-table")
    def _open_source(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value or ""
        if not key:
            return
        if key.startswith("o"):
            so = row_at(self.outputs, key)
            if so is None:
                return
            mid, item = so.meeting_id, so.output.item
        else:
            sf = row_at(self.figures, key)
            if sf is None:
                return
            mid, item = sf.meeting_id, sf.figure.item
        if item:
            host(self).open_item(mid, item)
        else:
            host(self).open_meeting(mid)
