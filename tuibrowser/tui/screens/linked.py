"""A meeting's linked documents (frontmatter ``documents``): title, size and the file saved,
or why there is none; the address and SHA-256 of the one under the cursor below the list."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ...model import LinkedDocument
from ...text import one_line
from .. import safe
from ..widgets import BrowseTable, fit_widths
from ..widgets.table import CELL_PADDING, SCROLLBAR

# the box's border and padding
_CHROME = 4


def size_text(size: int | None) -> str:
    """``182,331 bytes``; empty when the record gives no size."""
    if size is None:
        return ""
    return f"{size:,} byte{'s' if size != 1 else ''}"


def where_text(doc: LinkedDocument, short: bool = False) -> str:
    """The file saved (``short``: its name, without the folders), else the note that says
    why there is none."""
    if doc.file:
        return doc.file.replace("\\", "/").rsplit("/", 1)[-1] if short else doc.file
    return doc.note or "not saved"


class LinkedScreen(ModalScreen[None]):
    """The documents a meeting links, in a box; Escape closes it."""

    SCREEN_NAME = "Linked documents"

    DEFAULT_CSS = """
    LinkedScreen {
        align: center middle;
    }
    LinkedScreen #linked-box {
        width: 100%;
        max-width: 100;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    LinkedScreen #linked {
        height: auto;
        max-height: 14;
    }
    LinkedScreen #linked-detail {
        height: auto;
        margin: 1 0 0 0;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="linked.close"),
        Binding("q", "close", "Close", show=False, id="linked.close_q"),
    ]

    def __init__(self, heading: str, documents: list[LinkedDocument]) -> None:
        super().__init__()
        self.heading = heading
        self.documents = documents

    def compose(self) -> ComposeResult:
        with Vertical(id="linked-box"):
            yield Static(safe.join(safe.line(self.heading), "  (Escape closes)"), classes="heading")
            yield BrowseTable(id="linked")
            yield Static(Content(""), id="linked-detail")

    def on_mount(self) -> None:
        table = self.query_one("#linked", BrowseTable)
        width = min(100, self.app.size.width) - _CHROME
        natural = [
            max([len(one_line(d.title)) for d in self.documents] + [5]),
            max([len(size_text(d.size)) for d in self.documents] + [4]),
            max([len(one_line(where_text(d, short=True))) for d in self.documents] + [4]),
        ]
        # the title keeps its length before the file does (the file is in full below)
        room = width - CELL_PADDING * 3 - SCROLLBAR - natural[1] - 12
        widths = fit_widths(natural, width, [max(16, min(natural[0], room)), 8, 12])
        for key, label, w in zip(
            ("title", "size", "file"), ("Title", "Size", "File"), widths, strict=True
        ):
            table.add_column(Text(label), key=key, width=w)
        for n, d in enumerate(self.documents):
            table.add_row(
                safe.text(d.title, width=widths[0]),
                Text(size_text(d.size), justify="right"),
                safe.text(
                    where_text(d, short=True), style="" if d.file else "dim", width=widths[2]
                ),
                key=f"doc:{n}",
            )
        self._detail(0)
        table.focus()

    def _detail(self, n: int) -> None:
        """The file, address and SHA-256 of document ``n`` in full (the list has no room)."""
        if not 0 <= n < len(self.documents):
            return
        d = self.documents[n]
        lines = [
            safe.join(Content.styled("File ", "bold"), safe.line(where_text(d))),
            safe.join(Content.styled("URL ", "bold"), safe.line(d.url or "not recorded")),
        ]
        if d.sha256:
            lines.append(safe.join(Content.styled("SHA-256 ", "bold"), d.sha256))
        extra = [x for x in (d.kind, f"item {d.item}" if d.item else None) if x]
        if extra:
            lines.append(safe.join(Content.styled("Kind ", "bold"), safe.line(", ".join(extra))))
        self.query_one("#linked-detail", Static).update(Content("\n").join(lines))

    @on(DataTable.RowHighlighted, "#linked")
    def _highlight(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value or ""
        if key.startswith("doc:"):
            self._detail(int(key.removeprefix("doc:")))

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["LinkedScreen", "size_text"]
