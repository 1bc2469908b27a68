"""Markdown from a record on screen, in time bounded by what is shown, not by the file.

Textual's ``Markdown`` widget makes a widget per block and per table cell: a minute of 20,000
paragraphs took a minute to open and a table of 3,000 columns minutes and gigabytes. So a
text is shown with it only while it is small; a longer text (or one with a very wide table)
is rendered by Rich's markdown into one ``Static``, and a text longer than
:data:`SHOWN_CHARS` is shown up to there, with a line saying how much is left out and where
the whole text is (``tuibrowser export`` gives it whole). docs/format.md lists the limit.
"""

from __future__ import annotations

from rich.markdown import Markdown as RichMarkdown
from textual.widget import Widget
from textual.widgets import Markdown, Static

from ..limits import SHOWN_CHARS  # characters of one text shown on a screen (check warns)
from . import safe

WIDGET_CHARS = 20_000  # above this, one Static with Rich's markdown, not a Markdown widget
WIDGET_BLOCKS = 200  # paragraphs, list entries …: above this, too
WIDGET_CELLS = 40  # "|" in one line (a table this wide): above this, too


def shown(text: str) -> tuple[str, int]:
    """The part of ``text`` to show (cut at a paragraph or line break when it can be), and how
    many characters are left out."""
    if len(text) <= SHOWN_CHARS:
        return text, 0
    cut = text.rfind("\n\n", 0, SHOWN_CHARS)
    if cut < SHOWN_CHARS // 2:
        cut = text.rfind("\n", 0, SHOWN_CHARS)
    if cut < SHOWN_CHARS // 2:
        cut = SHOWN_CHARS
    return text[:cut], len(text) - cut


def heavy(text: str) -> bool:
    """Whether ``text`` is too much for a ``Markdown`` widget (its time grows with blocks)."""
    if len(text) > WIDGET_CHARS or text.count("\n") > 2 * WIDGET_BLOCKS:
        return True
    return text.count("|") > WIDGET_CELLS and any(
        line.count("|") > WIDGET_CELLS for line in text.split("\n")
    )


def views(markdown: str, where: str | None = None, static: bool = False) -> list[Widget]:
    """Widgets showing ``markdown`` (untrusted: control characters are made visible, links
    are never made clickable in the Rich rendering). ``static`` always uses Rich's rendering.
    ``where`` names the file (and line) the whole text is in, for the line on a cut text."""
    text, left = shown(markdown)
    source = safe.markdown(text)
    widget: Widget
    if static or heavy(text):
        widget = Static(RichMarkdown(source, hyperlinks=False), classes="report-text")
    else:
        widget = Markdown(source, open_links=False)
    if not left:
        return [widget]
    return [widget, cut_note(left, where)]


def cut_note(left: int, where: str | None) -> Static:
    """The line under a text cut at :data:`SHOWN_CHARS`: how much is left out, and where the
    whole text is."""
    note = (
        f"… {left:,} more characters are not shown: a screen shows the first "
        f"{SHOWN_CHARS:,} characters of a text. "
        + (f"The whole text is in {where}." if where else "")
        + " tuibrowser export gives it whole."
    )
    return Static(safe.content(" ".join(note.split()), "italic"), classes="cut")


def item_place(path: str | None, line: int | None) -> str | None:
    """``file, line N`` for the note on a cut text."""
    if not path:
        return None
    return f"{path}, line {line}" if line else path


__all__ = ["SHOWN_CHARS", "cut_note", "heavy", "item_place", "shown", "views"]
