"""Untrusted text → things Textual can show literally.

Everything from a meeting file (titles, names, prose) goes through these helpers: control
characters are made visible (``tuibrowser.text.clean``) and the result is a ``Text`` or
``Content`` object, never a string Textual would parse as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from ..text import clean, one_line


def text(value: str | None, style: str = "", width: int | None = None) -> Text:
    """One line of untrusted text as a Rich ``Text`` (for DataTable cells)."""
    return Text(one_line(value, width), style=style, no_wrap=True, overflow="ellipsis")


def content(value: str | None, style: str = "") -> Content:
    """Untrusted text (newlines kept) as ``Content`` (for Static / Label)."""
    return Content.styled(clean(value), style) if style else Content(clean(value))


def line(value: str | None, style: str = "") -> Content:
    """One line of untrusted text as ``Content``."""
    return Content.styled(one_line(value), style) if style else Content(one_line(value))


def join(*parts: Content | str, sep: str = "") -> Content:
    """Join trusted strings and ``Content`` pieces (strings here are never parsed as markup)."""
    out = Content("")
    for n, part in enumerate(parts):
        if n and sep:
            out = out + Content(sep)
        out = out + (part if isinstance(part, Content) else Content(part))
    return out


def markdown(value: str | None) -> str:
    """Markdown source for a ``Markdown`` widget: control characters made visible."""
    return clean(value)
