"""The item texts the browser will not show whole: ``check`` warns of each.

A screen shows the first :data:`~tuibrowser.limits.SHOWN_CHARS` characters of one text (a
minute, a report or one of its fields, the list of decisions or of actions, an editor's note)
and says how much is left out (``tuibrowser.tui.longtext``). Such a text is not an error —
the file, the cache and the exports keep it whole — but a reader of the browser would miss its
end, so the keeper of the records is told, with the file and the line of the item.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .limits import SHOWN_CHARS
from .model import Item, Problem

__all__ = ["long_text_problems", "shown_texts"]

REPORT_FIELDS = (
    ("purpose", "purpose"),
    ("summary", "summary"),
    ("recommendation", "recommendation"),
    ("proposed_action", "proposed action"),
    ("contact", "contact officer"),
    ("text", "report"),
)


def listed(entries: list[str]) -> int:
    """The length of the list the browser makes of decisions or actions (one line each)."""
    return sum(len(e) + 2 for e in entries) + max(len(entries) - 1, 0)


def shown_texts(item: Item) -> Iterator[tuple[str, int]]:
    """Each text of ``item`` the browser shows on its own, by name, with its length."""
    if item.decisions:
        yield "decisions", listed(item.decisions)
    if item.actions:
        yield "actions", listed(item.actions)
    yield "minute", len(item.minute)
    if item.note:
        yield "editor's note", len(item.note)
    if item.report is not None:
        for attr, name in REPORT_FIELDS:
            yield name, len(getattr(item.report, attr) or "")


def long_text_problems(items: Iterable[Item]) -> list[Problem]:
    """A warning for each text of ``items`` (as the browser shows them: a meeting's, the texts
    of its documents merged) longer than the browser shows, naming the item's file and line."""
    out = []
    for item in items:
        for name, length in shown_texts(item):
            if length > SHOWN_CHARS:
                message = (
                    f"the {name} of item {item.number} is {length:,} characters long: the "
                    f"browser shows its first {SHOWN_CHARS:,} ('tuibrowser export' gives it whole)"
                )
                out.append(Problem(item.path or "", item.line, message, "warning", item.number))
    return out
