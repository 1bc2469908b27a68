"""What a screen does when what it shows is no longer there.

Screens hold ids and row indexes into a library that a refresh replaces (the files read
again) or that reads an item's texts from a cache another process brought up to date since.
A look-up that finds nothing says so ("This meeting is no longer in the folder") and offers
the way back; it never raises.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Footer, Static

from .widgets import TitleBar

T = TypeVar("T")


def gone_page(what: str) -> ComposeResult:
    """What a screen shows instead of a meeting or an item that is no longer in the folder:
    a title, the reason, and Escape to go back."""
    yield TitleBar(Content(what.capitalize()), id="title")
    yield Static(
        Content(f"This {what} is no longer in the folder. Press Escape to go back."), id="gone"
    )
    yield Footer()


def row_at(rows: Sequence[T], key: str | None) -> T | None:
    """The entry a table row's key numbers (``"3"``, or ``"o3"`` with a letter before), or
    None when the list was replaced since the row was drawn and has no such entry."""
    digits = (key or "").lstrip("abcdefghijklmnopqrstuvwxyz")
    if not digits.isdigit():
        return None
    n = int(digits)
    return rows[n] if n < len(rows) else None
