"""A DataTable with the browser's keys: j/k move, Enter opens, g/G jump to the ends."""

from __future__ import annotations

from collections.abc import Sequence

from textual.binding import Binding
from textual.widgets import DataTable

CELL_PADDING = 2  # a DataTable cell has one space either side
SCROLLBAR = 2  # room kept for the vertical scrollbar


class RecordTable(DataTable):
    """Rows of records; every cell is a ``rich.text.Text`` built by ``tuibrowser.tui.safe``."""

    HELP_NAME = "the list"

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="table.open"),
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("g", "scroll_top", "First", show=False, id="table.first"),
        Binding("G", "scroll_bottom", "Last", show=False, id="table.last"),
    ]

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", False)
        super().__init__(**kwargs)

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
