"""BrowseTable renders one-line text cells itself (fast); it must draw what DataTable draws."""

from __future__ import annotations

import functools
import itertools

import pytest
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.dom import DOMNode
from textual.geometry import Region
from textual.widgets import DataTable
from textual.widgets.data_table import DuplicateKey

from tuibrowser.tui.widgets import BrowseTable

WIDTHS = [1, 3, 8, 12, 6]


def cells(n: int) -> list[Text]:
    return [
        Text("●", style="bold") if n % 2 else Text(" "),
        Text("2018-05-24", style="dim" if n % 3 == 0 else ""),
        Text(f"Improvement & Innovation Board {n}", no_wrap=True),
        Text.assemble(("[bold]", "italic"), " and ", ("日本語の会議", "underline"), " …long…"),
        Text(str(n * 7), style="reverse" if n == 2 else "", justify="right"),
    ]


def odd_cells(n: int) -> list[Text]:
    return [
        Text(""),
        Text("x", justify="center"),
        Text("cut " * 9, overflow="ellipsis"),
        Text("  padded  ", style="on red", justify="left"),
        Text("tail   ", justify="right"),
    ]


class Tables(App):
    def compose(self) -> ComposeResult:
        yield BrowseTable(id="fast")

    def on_mount(self) -> None:
        table = self.query_one(BrowseTable)
        for i, w in enumerate(WIDTHS):
            table.add_column(Text(f"c{i}"), key=f"c{i}", width=w)
        for n in range(6):
            table.add_row(*(cells(n) if n < 4 else odd_cells(n)), key=str(n))


def both(table: BrowseTable, row: int, col: int, width: int, cursor=False, hover=False):
    """The cell as BrowseTable renders it, and as DataTable itself would (cache emptied)."""
    style = table.rich_style
    table._cell_render_cache.clear()
    mine = table._render_cell(row, col, style, width, cursor, hover)
    table._cell_render_cache.clear()
    theirs = DataTable._render_cell(table, row, col, style, width, cursor, hover)
    return mine, theirs


def simple(lines) -> list[list[Segment]]:
    return [list(Segment.simplify(line)) for line in lines]


@pytest.mark.parametrize("cursor,hover", [(False, False), (True, False), (False, True)])
async def test_fast_cells_match_datatable(cursor: bool, hover: bool) -> None:
    app = Tables()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        fast = app.query_one(BrowseTable)
        compared = 0
        for row in range(fast.row_count):
            for col, column in enumerate(fast.ordered_columns):
                width = column.get_render_width(fast)
                mine, theirs = both(fast, row, col, width, cursor, hover)
                assert simple(mine) == simple(theirs), (row, col)
                assert sum(s.cell_length for s in mine[0]) == width
                compared += 1
        assert compared == 6 * len(WIDTHS)


async def test_taller_rows_and_other_cells_go_the_usual_way() -> None:
    app = Tables()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        fast = app.query_one(BrowseTable)
        fast.add_row(*[Text("two\nlines")] * 3, "plain [b]str[/b]", None, key="t", height=2)
        await pilot.pause()
        row = fast.get_row_index("t")
        for col, column in enumerate(fast.ordered_columns):
            mine, theirs = both(fast, row, col, column.get_render_width(fast))
            assert len(mine) == 2
            assert simple(mine) == simple(theirs)


async def test_rows_added_size_the_table_as_datatable_does() -> None:
    """Fixed-width columns skip measuring new cells; the table's size must not change for it,
    and a column sized by its cells still grows with them."""

    class Two(App):
        def compose(self) -> ComposeResult:
            yield BrowseTable(id="fixed")
            yield BrowseTable(id="auto")

    app = Two()
    async with app.run_test(size=(100, 30)) as pilot:
        fixed = app.query_one("#fixed", BrowseTable)
        auto = app.query_one("#auto", BrowseTable)
        fixed.add_column(Text("A"), key="a", width=4)
        fixed.add_column(Text("B"), key="b", width=6)
        auto.add_column(Text("A"), key="a")
        for n in range(50):
            fixed.add_row(Text("x" * (n % 9)), Text("wide " * n), key=str(n))
            auto.add_row(Text("y" * n), key=str(n))
        await pilot.pause()
        assert fixed.virtual_size.width == (4 + 2) + (6 + 2)
        assert fixed.virtual_size.height == 50 + 1  # rows and the header
        assert auto.columns[next(iter(auto.columns))].content_width == 49
        assert auto.virtual_size.width == 49 + 2
        fixed.add_row(Text("tall"), Text("one\ntwo\nthree"), key="tall", height=None)
        await pilot.pause()
        assert fixed.rows[next(k for k in fixed.rows if k.value == "tall")].height == 3
        assert fixed.virtual_size.height == 50 + 3 + 1


async def test_cells_alike_are_shaped_once_and_drawn_as_datatable_draws_each() -> None:
    """Cells with the same text on many rows share their shaping, not their styles: each is
    still drawn as DataTable draws it (its row and column in its style), and a cell changed
    is shaped anew."""
    app = Tables()
    async with app.run_test(size=(100, 30)) as pilot:
        fast = app.query_one(BrowseTable)
        for n in range(6, 16):  # the same cells as rows 0 and 1, again and again
            fast.add_row(*cells(n % 2), key=str(n))
        await pilot.pause()
        fast._shapes.clear()
        columns = list(enumerate(fast.ordered_columns))
        for row in range(fast.row_count):
            for col, column in columns:
                mine, theirs = both(fast, row, col, column.get_render_width(fast))
                assert simple(mine) == simple(theirs), (row, col)
        assert len(fast._shapes) < fast.row_count * len(columns) // 2  # shared
        key = fast.coordinate_to_cell_key((7, 1))
        fast.update_cell(key.row_key, key.column_key, Text("2031-12-31", style="bold"))
        await pilot.pause()
        mine, theirs = both(fast, 7, 1, columns[1][1].get_render_width(fast))
        assert simple(mine) == simple(theirs)
        assert "203" in "".join(s.text for s in mine[0])  # (the column is three wide)


PLAIN_TEXTS = ["", "a", "abc  ", "  x", "日本語", "●", "a" * 8, "\u202e".join("ab")]
PLAIN_STYLES = ["", "bold", Style(), Style(italic=True), "dim red on blue"]


async def test_plain_cells_are_shaped_straight_as_rich_shapes_them() -> None:
    """A one-style cell that fits is shaped without Rich's pipeline: the same segments, for
    every text, style, justification, room and padding; any other cell is left to Rich."""
    app = Tables()
    async with app.run_test(size=(100, 30)):
        fast = app.query_one(BrowseTable)
        straight = 0
        for text, style, justify, inner, pad in itertools.product(
            PLAIN_TEXTS, PLAIN_STYLES, ["default", "left", "right", "center"], [0, 1, 3, 8], [0, 1]
        ):
            cell = Text(text, style=style)
            mine = fast._plain_shape(cell, inner, pad, justify)
            fits = 0 < inner and cell.cell_len <= inner and justify in ("default", "left")
            assert (mine is not None) == fits, (text, style, justify, inner)
            if mine is not None:
                theirs = fast._shape(cell, inner, pad, justify, "fold")
                assert simple([mine]) == simple([theirs]), (text, style, justify, inner, pad)
                straight += 1
        assert fast._plain_shape(Text.assemble(("a", "bold"), "b"), 8, 1, "default") is None
        assert straight > 100


async def test_ordered_columns_follow_columns_added_removed_and_cleared() -> None:
    """The columns in order are kept between draws: adding, removing or clearing columns must
    give DataTable's own order each time."""
    app = Tables()
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(BrowseTable)

        def keys() -> list[str | None]:
            mine = [c.key.value for c in table.ordered_columns]
            assert mine == [c.key.value for c in DataTable.ordered_columns.fget(table)]
            return mine

        assert keys() == [f"c{i}" for i in range(len(WIDTHS))]
        table.add_column(Text("new"), key="new", width=3)
        assert keys()[-1] == "new"
        table.remove_column("c1")
        assert "c1" not in keys() and len(keys()) == len(WIDTHS)
        table.clear(columns=True)
        assert keys() == []
        table.add_column(Text("z"), key="z", width=2)
        table.add_column(Text("a"), key="a", width=2)
        await pilot.pause()
        assert keys() == ["z", "a"]
        table.ordered_columns.clear()  # a caller's copy: the kept order stays
        assert keys() == ["z", "a"]


def rows_both(table: BrowseTable, row: int, cursor: Coordinate, hover: Coordinate):
    """The row as BrowseTable draws it, and as DataTable draws it cell by cell through its own
    ``_render_cell`` (caches emptied)."""
    key = table._row_locations.get_key(row)
    style = table.rich_style
    table._row_render_cache.clear()
    mine = table._render_line_in_row(key, 0, style, cursor, hover)
    table._row_render_cache.clear()
    table._cell_render_cache.clear()
    table._render_cell = functools.partial(DataTable._render_cell, table)  # type: ignore[method-assign]
    try:
        theirs = DataTable._render_line_in_row(table, key, 0, style, cursor, hover)
    finally:
        del table._render_cell
    table._row_render_cache.clear()
    return mine, theirs


def same_styles(mine, theirs) -> None:
    """Equal segments, cell by cell, meta (the row and column a click reads) included."""
    assert [simple([cell]) for cell in mine] == [simple([cell]) for cell in theirs]
    for a, b in zip(mine, theirs, strict=True):
        assert [s.style.meta for s in Segment.simplify(a) if s.style] == [
            s.style.meta for s in Segment.simplify(b) if s.style
        ]


@pytest.mark.parametrize(
    "zebra,show_cursor,show_hover",
    list(itertools.product([False, True], [True, False], [True, False])),
)
async def test_fast_rows_match_datatable(zebra: bool, show_cursor: bool, show_hover: bool) -> None:
    """Each row drawn straight is what DataTable draws: every row, with the cursor and the
    mouse on it or elsewhere, zebra stripes or not, the cursor shown or not."""
    app = Tables()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        fast = app.query_one(BrowseTable)
        fast.zebra_stripes = zebra
        fast.show_cursor = show_cursor
        fast._show_hover_cursor = show_hover
        await pilot.pause()
        drawn = 0
        for row in range(fast.row_count):
            for cursor, hover in [(row, row), (row, -1), (0 if row else 1, row), (-1, 5)]:
                at, over = Coordinate(cursor, 0), Coordinate(hover, 2)
                assert fast._draw_row(
                    fast._row_locations.get_key(row), 0, fast.rich_style, at, over
                )
                mine, theirs = rows_both(fast, row, at, over)
                assert mine[0] == theirs[0] == []
                same_styles(mine[1], theirs[1])
                drawn += 1
        assert drawn == 6 * 4


async def test_other_rows_are_drawn_the_usual_way() -> None:
    """The header, a taller row, a row with a label, fixed columns and other cursors go
    DataTable's way (and still draw what it draws)."""
    app = Tables()
    async with app.run_test(size=(100, 30)) as pilot:
        fast = app.query_one(BrowseTable)
        fast.add_row(*[Text("two\nlines")] * 5, key="tall", height=2)
        fast.add_row(*cells(1), key="labelled", label="L")
        await pilot.pause()
        at, over = Coordinate(0, 0), Coordinate(1, 0)
        style = fast.rich_style

        def straight(key) -> bool:
            return fast._draw_row(key, 0, style, at, over) is not None

        assert not straight(fast._header_row_key)
        assert not straight(fast._row_locations.get_key(fast.get_row_index("tall")))
        plain = fast._row_locations.get_key(0)
        assert not straight(plain)  # a label shown in the table
        fast.show_row_labels = False
        assert straight(plain)
        for setting, value in [("fixed_columns", 1), ("fixed_rows", 1), ("cursor_type", "cell")]:
            old = getattr(fast, setting)
            setattr(fast, setting, value)
            await pilot.pause()
            assert not straight(plain), setting
            mine, theirs = rows_both(fast, 0, at, over)
            same_styles(mine[0] + mine[1], theirs[0] + theirs[1])
            setattr(fast, setting, old)
            await pilot.pause()


async def test_the_tables_style_is_kept_only_while_it_draws() -> None:
    """The table's style is worked out once per draw: what it draws with is its style, and
    outside a draw it is asked of the widget tree as usual (a theme change shows)."""
    app = Tables()
    async with app.run_test(size=(100, 30)) as pilot:
        fast = app.query_one(BrowseTable)
        seen: list[Style] = []
        draw = fast._render_line

        def spy(y, x1, x2, base_style):
            seen.append(base_style)
            return draw(y, x1, x2, base_style)

        fast._render_line = spy  # type: ignore[method-assign]
        fast.refresh()
        await pilot.pause()
        assert seen and all(s == DOMNode.rich_style.fget(fast) for s in seen)
        assert fast._line_style is None
        fast.styles.color = "red"
        assert fast.rich_style == DOMNode.rich_style.fget(fast)
        assert fast.rich_style.color is not None and fast.rich_style.color.triplet == (255, 0, 0)


async def test_rows_drawn_while_the_shapes_are_let_go_match_datatable(monkeypatch) -> None:
    """Shapes let go in the middle of a row (a table that has shaped many cells) take their
    styles with them: each row is still drawn as DataTable draws it."""
    monkeypatch.setattr("tuibrowser.tui.widgets.table.MAX_SHAPES", 2)
    app = Tables()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        fast = app.query_one(BrowseTable)
        for row in range(fast.row_count):
            at = Coordinate(row, 0)
            mine, theirs = rows_both(fast, row, at, Coordinate(-1, 0))
            same_styles(mine[1], theirs[1])
            assert len(fast._shapes) <= 2


class TwoTables(App):
    """A table filled row by row (``add_row``) beside one filled at once (``add_keyed_rows``)."""

    def __init__(self) -> None:
        super().__init__()
        self.highlighted: dict[str, list[str | None]] = {"by-row": [], "at-once": []}

    def compose(self) -> ComposeResult:
        yield BrowseTable(id="by-row")
        yield BrowseTable(id="at-once")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.highlighted[event.data_table.id or ""].append(event.row_key.value)

    def on_mount(self) -> None:
        for table in self.query(BrowseTable):
            for i, w in enumerate(WIDTHS):
                table.add_column(Text(f"c{i}"), key=f"c{i}", width=w)


def table_state(table: BrowseTable) -> tuple:
    return (
        [(k.value, table._row_locations.get(k)) for k in table.rows],
        [[c.plain for c in table.get_row_at(n)] for n in range(table.row_count)],
        [(r.height, r.label, r.auto_height) for r in table.rows.values()],
        table.cursor_coordinate,
        table._update_count,
        {k.value for k in table._new_rows},
        table.virtual_size,
    )


# rows already there, the cursor's row then, and the pages added after
FILLS = [(0, 0, [1]), (0, 0, [3]), (0, 0, [100, 100]), (5, 4, [7]), (5, 0, [0, 2]), (0, 0, [0])]


@pytest.mark.parametrize(("before", "cursor", "pages"), FILLS)
async def test_rows_added_at_once_are_the_rows_added_one_by_one(before, cursor, pages) -> None:
    app = TwoTables()
    async with app.run_test(size=(80, 30)) as pilot:
        one, both = app.query_one("#by-row", BrowseTable), app.query_one("#at-once", BrowseTable)
        for table in (one, both):
            for n in range(before):
                table.add_row(*cells(n), key=f"k{n}")
            table.move_cursor(row=cursor)
        n = before
        for size in pages:
            page = [(f"k{m}", cells(m)) for m in range(n, n + size)]
            for key, row in page:
                one.add_row(*row, key=key)
            both.add_keyed_rows(page)
            n += size
            await pilot.pause()
            assert table_state(both) == table_state(one)
        assert app.highlighted["at-once"] == app.highlighted["by-row"]
        assert [line.text for line in both.render_lines(Region(0, 0, 60, 12))] == [
            line.text for line in one.render_lines(Region(0, 0, 60, 12))
        ]
        with pytest.raises(DuplicateKey):
            both.add_keyed_rows([("k0", cells(0))] if n else [("x", cells(0))] * 2)
