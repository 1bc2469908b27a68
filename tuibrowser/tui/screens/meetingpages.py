"""The meeting list's pages asked of a store that filters, sorts and pages in SQL
(``--store``, :class:`~tuibrowser.store.protocol.MeetingPages`): what the list holds then (the
rows of the pages read so far, one page ahead of what it shows), the queries its thread
workers run, and the messages they post back.

The list never waits for the store: each query runs in a thread worker, and a page that
arrives for a filter or sort the user has since changed (``asked`` is not the latest) is
dropped. The next page is read as soon as the one shown is the last held, so scrolling reaches
rows already here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

from ...listing import MeetingRow
from ...store.protocol import ListFacts
from ...text import one_line

if TYPE_CHECKING:
    from ...store.protocol import MeetingPages

PAGE = 100
AHEAD = 2 * PAGE  # the rows a new filter or sort reads: the page shown and the next


def shown_row(r: MeetingRow) -> MeetingRow:
    """A row as the store gave it, its text on one line with no control character (a store
    is written by others: what it holds reaches the terminal only as this)."""
    return MeetingRow(
        id=r.id,
        date=one_line(r.date),
        board=one_line(r.board),
        time=r.time,
        docs=one_line(r.docs),
        venue=one_line(r.venue),
        items=r.items,
        present=r.present,
        titles=one_line(r.titles),
        cancelled=r.cancelled,
        fingerprint=r.fingerprint,
        confidential=r.confidential,
    )


@dataclass(frozen=True, slots=True)
class Ask:
    """One question of the list: the filter's text, the sort, and its number (the latest
    number is the one whose answer is shown)."""

    number: int
    query: str
    column: str
    reverse: bool


@dataclass(slots=True)
class Held:
    """The rows of the latest question read so far, and how many there are in all."""

    ask: Ask
    rows: list[MeetingRow] = field(default_factory=list)
    count: int = 0
    complete: bool = False  # every row of the answer is held
    reading: bool = False  # the next page is being read


class PageRead(Message):
    """Rows of the question ``ask`` read from the store: its first rows (``first``, with the
    number of rows in all) or the next page."""

    def __init__(
        self, ask: Ask, rows: list[MeetingRow], count: int | None, first: bool, keep: str | None
    ) -> None:
        super().__init__()
        self.ask = ask
        self.rows = rows
        self.count = count
        self.first = first
        self.keep = keep  # the row the cursor was on, kept on it if it is among these


class FactsRead(Message):
    """The whole list's boards and marks, read from the store."""

    def __init__(self, facts: ListFacts) -> None:
        super().__init__()
        self.facts = facts


class PagesFailed(Message):
    """The store could not answer the list's question (said on the status line)."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


def read_first(pages: MeetingPages, ask: Ask) -> tuple[list[MeetingRow], int | None]:
    """The first rows of ``ask`` (the page shown and the next) and how many rows match the
    filter (None without a filter: every meeting). The count is a query of its own only when
    the rows read are not all of them."""
    rows = pages.select(ask.query, ask.column, ask.reverse, None, AHEAD)
    if not ask.query.split():
        return rows, None
    return rows, len(rows) if len(rows) < AHEAD else pages.count(ask.query)


def read_next(pages: MeetingPages, ask: Ask, after: MeetingRow) -> list[MeetingRow]:
    """The page of ``ask`` after the row ``after`` (keyset)."""
    return pages.select(ask.query, ask.column, ask.reverse, after, PAGE)


def held_boards(held: Held | None, facts: ListFacts | None) -> set[str]:
    """The list's boards: the store's, once read; until then those of the rows held."""
    if facts is not None:
        return {one_line(b) for b in facts.boards}
    return {r.board for r in held.rows} if held is not None else set()
