"""A DataTable with the browser's keys: j/k move, Enter opens, g/G jump to the ends (j, k and g
only on a list without a filter box: on one with a box, small letters type into it)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import zip_longest

from rich.cells import cell_len
from rich.containers import Lines
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import Column, DuplicateKey, Row, RowKey

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
        self._line_style: Style | None = None  # see render_lines
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

    def add_keyed_rows(self, rows: Sequence[tuple[str, Sequence[Text]]]) -> None:
        """Add ``rows`` (key, cells) at the bottom, one line high each: what ``add_row`` does
        for each, with the cursor checked once for them all instead of once a row.

        ``add_row`` sets the cursor to itself after each row (``cursor_coordinate`` always
        updates: its validation and watcher run), a third of the cost of a page of the
        meeting list. Rows are only added here, so the cursor, clamped to a table that only
        grows, ends where the row-by-row way leaves it (a test holds the two alike)."""
        columns = self.ordered_columns
        locations, data, table_rows = self._row_locations, self._data, self.rows
        was_empty = self.row_count == 0
        for key, cells in rows:
            row_key = RowKey(key)
            if row_key in locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            if len(cells) > len(columns):
                raise ValueError("More values provided than there are columns.")
            locations[row_key] = len(table_rows)
            data[row_key] = {c.key: cell for c, cell in zip_longest(columns, cells)}
            table_rows[row_key] = Row(row_key, 1, None, False)
            self._new_rows.add(row_key)
            self._update_count += 1
        if not rows:
            return
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if was_empty and self.columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self.check_idle()

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
        text = _one_line(row, cell) if row is not None else None
        if text is None:
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
        pad = self.cell_padding
        segments = self._cell_segments(text, max(width - 2 * pad, 0), pad, self.app.console_options)
        lines = [list(Segment.apply_style(segments, pre_style, post_style))]
        self._cell_render_cache[key] = lines
        return lines

    def _cell_segments(self, cell: Text, inner: int, pad: int, options) -> list[Segment]:
        """The one-line ``cell`` justified, cut and padded to ``inner`` columns (plus ``pad``
        either side), unstyled by its row or column. Cells alike (a board, a mark, a count on
        many rows) are shaped once: the segments of a text depend on it and the width alone."""
        justify = cell.justify or options.justify or "default"
        overflow = cell.overflow or options.overflow or "fold"
        shape = (cell.plain, cell.style, tuple(cell.spans), justify, overflow, inner, pad)
        segments = self._shapes.get(shape)
        if segments is None:
            segments = self._plain_shape(cell, inner, pad, justify)
            if segments is None:
                segments = self._shape(cell, inner, pad, justify, overflow)
            if len(self._shapes) >= MAX_SHAPES:
                self._shapes.clear()
            self._shapes[shape] = segments
        return segments

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines asked for, with the table's style worked out once for all of them
        (DataTable asks for it at each line, walking up the widget tree each time)."""
        self._line_style = super().rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._line_style = None

    @property
    def rich_style(self) -> Style:
        kept = self._line_style
        return kept if kept is not None else super().rich_style

    def _render_line_in_row(
        self,
        row_key: RowKey,
        line_no: int,
        base_style: Style,
        cursor_location: Coordinate,
        hover_location: Coordinate,
    ) -> tuple[list[list[Segment]], list[list[Segment]]]:
        """A row of one-line text cells under a row cursor is drawn straight (``_draw_row``);
        any other row (the header, labels, fixed columns, taller rows, other cells) goes
        DataTable's way."""
        drawn = self._draw_row(row_key, line_no, base_style, cursor_location, hover_location)
        if drawn is None:
            return super()._render_line_in_row(
                row_key, line_no, base_style, cursor_location, hover_location
            )
        return drawn

    def _draw_row(
        self,
        row_key: RowKey,
        line_no: int,
        base_style: Style,
        cursor_location: Coordinate,
        hover_location: Coordinate,
    ) -> tuple[list[list[Segment]], list[list[Segment]]] | None:
        """What DataTable's ``_render_line_in_row`` makes of a row of one-line ``Text`` cells
        under a row cursor, or None for any other row.

        DataTable styles each cell on its own (its row and column go into its style, so Rich
        caches none of the sums) and hashes its keys again for each: most of the list's first
        frame. Here the row's part of the style (row, cursor, hover) is worked out once per
        row, added to each distinct style of its segments once, and only the cell's row and
        column (the meta a click reads) once per distinct style in the cell: the same styles
        in the same order, as a test holds against DataTable's own drawing.
        """
        cursor_type = self.cursor_type
        if (
            line_no
            or cursor_type != "row"
            or self.fixed_columns
            or (self._labelled_row_exists and self.show_row_labels)
        ):
            return None
        row_index = self._row_locations.get(row_key)
        row = self.rows.get(row_key)
        if row_index is None or row is None or row_index < self.fixed_rows:
            return None
        show_cursor = self.show_cursor
        show_hover = self._show_hover_cursor
        cache_key = (
            row_key,
            line_no,
            base_style,
            cursor_location,
            hover_location,
            cursor_type,
            show_cursor,
            show_hover,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._row_render_cache.get(cache_key)
        if cached is not None:
            return cached
        pad = self.cell_padding
        data = self._data.get(row_key, {})
        columns = self.ordered_columns
        widths = [c.content_width if c.auto_width else c.width for c in columns]
        cells: list[Text] = []
        for column in columns:
            cell = _one_line(row, data.get(column.key))
            if cell is None:
                return None
            cells.append(cell)
        row_style = self._get_row_style(row_index, base_style)
        hover = hover_location.row == row_index
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor_location.row == row_index,
            show_cursor,
            show_hover,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = row_style + component_style
        if pre_style.link or pre_style.meta or post_style.link or post_style.meta:
            return None
        options = self.app.console_options
        # a segment's style with the row's part added, by the style's id (the style is kept
        # beside it, so no other takes its id while the row is drawn), and with the cell's
        # row and column too
        styled: dict[int, tuple[Style | None, Style]] = {}
        scrollable: list[list[Segment]] = []
        for column_index, (text_cell, inner) in enumerate(zip(cells, widths, strict=True)):
            meta = Style.from_meta({"row": row_index, "column": column_index})
            finals: dict[int, Style] = {}
            line: list[Segment] = []
            last: Style | None = None
            for text, style, control in self._cell_segments(text_cell, max(inner, 0), pad, options):
                known = styled.get(id(style))
                if known is None:
                    if style is not None and (style.link or style.meta):
                        return None
                    ours = pre_style + style
                    if post_style:
                        ours = ours + post_style
                    styled[id(style)] = (style, ours)
                else:
                    ours = known[1]
                final = finals.get(id(ours))  # (no style and a null one come to the same)
                if final is None:
                    final = finals[id(ours)] = ours + meta
                if control:
                    line.append(Segment(text, None, control))
                    last = None
                elif final is last:  # one segment, as the line is simplified anyway
                    line[-1] = Segment(line[-1].text + text, final)
                else:
                    line.append(Segment(text, final))
                    last = final
            scrollable.append(line)
        # the rest of the row's width, as DataTable fills it
        used = sum(widths) + 2 * pad * len(widths) + self._row_label_column_width
        extend_style = pre_style + Style.from_meta(
            {"row": row_index, "column": 0, "out_of_bounds": True}
        )
        scrollable.append([Segment(" " * max(0, self.size.width - used), extend_style)])
        drawn: tuple[list[list[Segment]], list[list[Segment]]] = ([], scrollable)
        self._row_render_cache[cache_key] = drawn
        return drawn

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


def _one_line(row: Row, cell: object) -> Text | None:
    """``cell`` if it is drawn straight: a ``Text`` of one line in a row one line high."""
    if (
        row.height == 1
        and type(cell) is Text
        and "\n" not in cell.plain
        and "\t" not in cell.plain
        and cell.end in ("", "\n")
    ):
        return cell
    return None


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
