"""A DataTable with the browser's keys: j/k move, Enter opens, g/G jump to the ends (j, k and g
only on a list without a filter box: on one with a box, small letters type into it)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.containers import Lines
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import Column

CELL_PADDING = 2  # a DataTable cell has one space either side
SCROLLBAR = 2  # room kept for the vertical scrollbar
MAX_SHAPES = 4096  # cells shaped kept by a table (a few pages of distinct cells)


class BrowseTable(DataTable):
    """A table to browse (meetings, people, KPIs …); every cell is a ``rich.text.Text`` built
    by ``tuibrowser.tui.safe``."""

    HELP_NAME = "the list"

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="table.open"),
        Binding("j", "letter('cursor_down')", "Down", show=False, id="table.down"),
        Binding("k", "letter('cursor_up')", "Up", show=False, id="table.up"),
        Binding("g", "letter('scroll_top')", "First", show=False, id="table.first"),
        Binding("G", "scroll_bottom", "Last", show=False, id="table.last"),
        # a list's ends, not its last column (DataTable's Home and End scroll sideways)
        Binding("home", "scroll_top", "First", show=False, id="table.home"),
        Binding("end", "scroll_bottom", "Last", show=False, id="table.end"),
    ]

    def __init__(self, *, typing: bool = False, **kwargs) -> None:
        """``typing``: the list has a filter box its small letters type into (see
        ``type_to_filter``), so j, k and g are not keys on it: the arrows and Home move."""
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", False)
        self._shapes: dict[tuple, list[Segment]] = {}  # see _render_cell
        self._columns_in_order: tuple[object, int, list[Column]] | None = None
        super().__init__(**kwargs)
        self.typing = typing

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "letter":
            return not self.typing
        return super().check_action(action, parameters)

    def action_letter(self, action: str) -> None:
        """j, k or g: the action of the arrow or Home key they stand for."""
        getattr(self, f"action_{action}")()

    @property
    def cursor_key(self) -> str | None:
        """The key of the row under the cursor (None when the table is empty)."""
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except Exception:  # noqa: BLE001 - cursor outside the table
            return None
        return key.value

    def _update_dimensions(self, new_rows) -> None:
        """Rows added: when every column has a width of its own, their cells are not measured.

        DataTable measures every new cell to widen auto-width columns; a column of fixed width
        never uses the figure, and measuring a page of the meeting list costs more than drawing
        it. Rows with a label, or whose height depends on their cells, are still measured.
        """
        if any(c.auto_width for c in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        rows = self.rows
        measured = [
            k
            for k in new_rows
            if (r := rows.get(k)) is not None and (r.label is not None or r.auto_height)
        ]
        super()._update_dimensions(measured)

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ):
        """A body cell of one line of text, rendered straight from its ``Text``.

        DataTable renders every cell through Rich's whole pipeline (a padded, styled renderable,
        then cut into lines), about a tenth of a millisecond a cell: most of the meeting list's
        first frame. A one-line ``Text`` needs none of it: it is justified and cut as Rich
        would, padded, and styled as DataTable would (a test holds the two to the same
        segments). Anything else (headers, labels, taller rows, other renderables) goes the
        usual way.
        """
        if row_index < 0 or column_index < 0:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:  # no such cell: DataTable's way
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._cell_render_cache.get(key)
        if cached is not None:
            return cached
        row = self.rows.get(row_key)
        cell = self._data.get(row_key, {}).get(column_key) if row is not None else None
        if (
            row is None
            or row.height != 1
            or type(cell) is not Text
            or "\n" in cell.plain
            or "\t" in cell.plain
            or cell.end not in ("", "\n")
        ):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        fixed = row_index < self.fixed_rows or column_index < self.fixed_columns
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            fixed,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index})
        pre_style += component_style
        options = self.app.console_options
        pad = self.cell_padding
        inner = max(width - 2 * pad, 0)
        justify = cell.justify or options.justify or "default"
        overflow = cell.overflow or options.overflow or "fold"
        # Cells alike (a board, a mark, a count on many rows) are shaped once: the segments
        # of a text depend on it and the width alone; the row's and column's styles (each
        # cell's own) are applied below.
        shape = (cell.plain, cell.style, tuple(cell.spans), justify, overflow, inner, pad)
        segments = self._shapes.get(shape)
        if segments is None:
            segments = self._plain_shape(cell, inner, pad, justify)
        if segments is None:
            segments = self._shape(cell, inner, pad, justify, overflow)
            if len(self._shapes) >= MAX_SHAPES:
                self._shapes.clear()
            self._shapes[shape] = segments
        lines = [list(Segment.apply_style(segments, pre_style, post_style))]
        self._cell_render_cache[key] = lines
        return lines

    def _plain_shape(self, cell: Text, inner: int, pad: int, justify) -> list[Segment] | None:
        """The segments ``_shape`` makes, made straight, for the common cell: one style, no
        spans, left-justified (or as is), that fits in ``inner`` columns (nothing to cut). None
        for any other cell. Rich's way costs about ten times more, most of the first frame's
        drawing of the meeting list."""
        if cell.spans or justify not in ("default", "left") or inner <= 0:
            return None  # (a cell of no width: Rich's empty segments vary with its style)
        text = cell.plain
        room = inner - cell_len(text)
        if room < 0:
            return None
        own = cell.style
        style = (self.app.console.get_style(own) if isinstance(own, str) else own) or None
        if justify == "left":  # padded inside the text, under its style
            text, room = text + " " * room, 0
        segments = [Segment(text, style)] if text else []
        if room:
            segments.append(Segment(" " * room))
        if pad:
            space = Segment(" " * pad, Style.null())
            segments = [space, *segments, space]
        return segments

    def _shape(self, cell: Text, inner: int, pad: int, justify, overflow) -> list[Segment]:
        """The segments of the one-line ``cell`` in ``inner`` columns, padded, as DataTable
        makes them before it styles them."""
        console = self.app.console
        line = cell.copy()
        line.end = ""
        Lines([line]).justify(console, inner, justify=justify, overflow=overflow)
        line.truncate(inner, overflow=overflow)
        # joined as Rich joins lines, which turns the text's own style into a span
        segments = list(Text("\n").join([line]).render(console))
        segments = Segment.adjust_line_length(segments, inner)
        if pad:
            space = Segment(" " * pad, Style.null())
            segments = [space, *segments, space]
        return segments

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._shapes.clear()

    @property
    def ordered_columns(self) -> list[Column]:
        """DataTable's ordered columns, worked out once while the columns stay (each row drawn
        asks for them twice). Columns are only added (to the same map of places, which grows),
        or removed and cleared (a new map): the map and its size tell when they change."""
        places = self._column_locations
        cached = self._columns_in_order
        if cached is None or cached[0] is not places or cached[1] != len(self.columns):
            cached = (places, len(self.columns), super().ordered_columns)
            self._columns_in_order = cached
        return list(cached[2])


def fit_widths(natural: Sequence[int], total: int, minimum: Sequence[int]) -> list[int]:
    """Column widths that fit ``total`` terminal columns (padding and scrollbar included).

    Each column gets its natural width (its longest cell) when everything fits; otherwise the
    widest columns give up room first, never below their minimum, so a row fits the terminal
    and long cells end with an ellipsis instead of running off the edge.
    """
    room = total - CELL_PADDING * len(natural) - SCROLLBAR
    widths = [max(n, m) for n, m in zip(natural, minimum, strict=True)]
    while sum(widths) > room:
        shrinkable = [i for i, w in enumerate(widths) if w > minimum[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths
