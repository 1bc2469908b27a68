"""What the dashboard's panes share: the screen's width and the tables' columns and cursors."""

from __future__ import annotations

from textual.widget import Widget

from ...widgets import BrowseTable


def screen_width(widget: Widget) -> int:
    """The width of the screen ``widget`` is on (the app's before the screen is laid out)."""
    return widget.screen.size.width or widget.app.size.width


def fit(width: int, fixed: list[int], flexible: int) -> int:
    """The width of each of ``flexible`` columns sharing what ``fixed`` columns leave of
    ``width`` (every column has one cell of padding either side; 2 more for a scrollbar)."""
    room = width - 2 - sum(w + 2 for w in fixed) - 2 * flexible
    return max(10, room // max(1, flexible))


def keep_cursor(table: BrowseTable, key: str | None) -> None:
    """Put the cursor back on the row ``key`` after the table was filled again."""
    if key is None:
        return
    for n, row in enumerate(table.ordered_rows):
        if row.key.value == key:
            table.move_cursor(row=n, animate=False)
            return
