"""Search matches on an item's page: its texts shown as written, the matches of the query
marked, and ``n`` / ``N`` stepping through them.

A text with a match is shown literally (a :class:`MatchText`): Rich ``Text`` with styles on
the spans of the matches, never markup, its control characters made visible
(:func:`~tuibrowser.text.clean`). Markdown's ``**`` and line markers (``####``, bullets) are
left out, as search's snippets leave them out; a text without a match keeps its markdown.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static

from ..text import clean

_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)  # a paragraph's indent, as markdown drops it
MATCH = "reverse"
CURRENT = "bold black on yellow"


def literal(markdown: str) -> str:
    """A record's markdown as the page shows it with matches marked: as written, less its
    emphasis, line markers and indents, control characters made visible (a table keeps its
    pipes)."""
    from ..search.folding import strip_markers

    text = markdown.replace("**", "").replace("__", "").replace("`", "")
    return clean(_INDENT.sub("", strip_markers(text)))


def literal_list(entries: list[str]) -> str:
    """Decisions or actions, one bullet each, as :func:`literal` shows a text."""
    return "\n".join("• " + literal(" ".join(e.split())) for e in entries)


def spans_of(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the search terms match in a text shown by :func:`literal`."""
    if not terms:
        return []
    from ..search.results import match_spans

    return match_spans(text, terms)


class MatchText(Static):
    """A text shown as written with its matches marked, the current one (``n`` / ``N``) apart."""

    DEFAULT_CSS = "MatchText { height: auto; }"

    def __init__(self, text: str, spans: list[tuple[int, int]], **kwargs) -> None:
        self.text = text
        self.spans = spans
        self.current: int | None = None
        super().__init__(self._marked(), **kwargs)

    def _marked(self) -> Text:
        out = Text(self.text)
        for n, (s, e) in enumerate(self.spans):
            out.stylize(CURRENT if n == self.current else MATCH, s, e)
        return out

    def mark(self, current: int | None) -> None:
        """Set the current match (an index into ``spans``, None: none here)."""
        if current != self.current:
            self.current = current
            self.update(self._marked())

    def line_of(self, n: int) -> int:
        """The line (of the text as wrapped now) the ``n``-th match is on."""
        width = max(1, self.content_region.width or self.size.width or 1)
        before = Text(self.text[: self.spans[n][0]] + "x")
        return max(0, len(before.wrap(self.app.console, width)) - 1)


def scroll_to_line(widget: Widget, line: int) -> None:
    """Scroll the nearest scrolling container of ``widget`` to show its ``line``-th line,
    in the middle of the view when it can."""
    region = widget.virtual_region
    region = Region(region.x, region.y + widget.styles.gutter.top + line, max(1, region.width), 1)
    node = widget
    while isinstance(node.parent, Widget):
        container = node.parent
        if isinstance(container, ScrollableContainer):
            container.scroll_to_region(region, animate=False, center=True, immediate=True)
            return
        region = (
            region.translate(container.styles.margin.top_left)
            .translate(container.styles.border.spacing.top_left)
            .translate(container.virtual_region_with_margin.offset)
        )
        node = container


class Matches:
    """Every match on a page, in page order, and which one is current."""

    def __init__(self) -> None:
        self.places: list[tuple[MatchText, int]] = []
        self.current = -1

    def collect(self, texts: list[MatchText]) -> None:
        """The matches of ``texts`` (in page order); the current one is kept where it can be."""
        old = self.places[self.current] if 0 <= self.current < len(self.places) else None
        self.places = [(t, n) for t in texts for n in range(len(t.spans))]
        self.current = -1
        if old is not None:
            keys = [(w.id, n) for w, n in self.places]
            key = (old[0].id, old[1])
            self.current = keys.index(key) if key in keys else -1
        for t in texts:
            t.mark(None)
        if self.current >= 0:
            widget, n = self.places[self.current]
            widget.mark(n)

    def __len__(self) -> int:
        return len(self.places)

    def step(self, by: int) -> tuple[MatchText, int] | None:
        """Make the next (``by`` 1) or previous (-1) match current, round the page."""
        if not self.places:
            return None
        if 0 <= self.current < len(self.places):
            widget, _ = self.places[self.current]
            widget.mark(None)
            self.current = (self.current + by) % len(self.places)
        else:
            self.current = 0 if by > 0 else len(self.places) - 1
        widget, n = self.places[self.current]
        widget.mark(n)
        return widget, n
