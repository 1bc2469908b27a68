"""Every confidential item at a glance: the items marked confidential (``{confidential}``,
``{restricted}``, ``{part2}``, ``{exempt}``), by the mark and never by words — an item whose
minute mentions "a confidential update" is not one.

With ``--public`` the library holds no confidential item (see :mod:`.public`): what is left is
that items were withheld, and how many, per meeting (:attr:`Meeting.withheld`), with no title,
number or text. A meeting whose files could not all be read has every item withheld, and
which of them are confidential cannot be told: it is listed as such.

Headless: no Textual, no Rich.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model import Item, Meeting
from .public import ALL

__all__ = ["ConfidentialEntry", "entries", "withheld_text"]


@dataclass(frozen=True, slots=True)
class ConfidentialEntry:
    """A confidential item (``item`` set), or, in public mode, a meeting's withheld items
    (``item`` None: ``withheld`` of them, or every item when ``unread``)."""

    meeting: Meeting
    item: Item | None = None
    withheld: int = 0
    unread: bool = False

    @property
    def haystack(self) -> str:
        title = self.item.title if self.item is not None else ""
        return f"{self.meeting.date} {self.meeting.board} {title}".casefold()


def withheld_text(withheld: int, unread: bool) -> str:
    """What public mode says of a meeting's withheld items, and nothing more."""
    if unread:
        return "every item withheld in public mode: a file of this meeting cannot be read"
    s = "" if withheld == 1 else "s"
    return f"{withheld} confidential item{s}, withheld in public mode"


def entries(meetings: Iterable[Meeting]) -> list[ConfidentialEntry]:
    """Every confidential item, newest meeting first, in the order taken; in public mode one
    entry per meeting with withheld items, saying how many."""
    out: list[ConfidentialEntry] = []
    for m in meetings:
        if m.withheld:
            unread = ALL in m.withheld
            count = len([n for n in m.withheld if n != ALL])
            out.append(ConfidentialEntry(m, None, count, unread))
        out.extend(ConfidentialEntry(m, it) for it in m.items if it.confidential)
    return out
