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
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from ...listing import MeetingRow
from ...store.protocol import Interrupted, ListFacts
from ...text import one_line
from .. import safe
from ..host import host
from ..widgets import BrowseTable

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
    count: int | None = None  # None: being counted (more rows than were read)
    complete: bool = False  # every row of the answer is held
    reading: bool = False  # the next page is being read


class PageRead(Message):
    """Rows of the question ``ask`` read from the store: its first rows (``first``, with the
    number of rows in all when they are all there; else :class:`CountRead` follows) or the
    next page."""

    def __init__(
        self, ask: Ask, rows: list[MeetingRow], count: int | None, first: bool, keep: str | None
    ) -> None:
        super().__init__()
        self.ask = ask
        self.rows = rows
        self.count = count
        self.first = first
        self.keep = keep  # the row the cursor was on, kept on it if it is among these


class CountRead(Message):
    """How many rows the filter of ``ask`` keeps, counted by the store after its first rows
    were shown (a count reads every row the filter keeps: the rows do not wait for it)."""

    def __init__(self, ask: Ask, count: int) -> None:
        super().__init__()
        self.ask = ask
        self.count = count


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
    """The first rows of ``ask`` (the page shown and the next) and how many rows match when
    these are all of them (None: more, to be counted; or no filter, every meeting)."""
    rows = pages.select(ask.query, ask.column, ask.reverse, None, AHEAD)
    return rows, len(rows) if len(rows) < AHEAD else None


def read_next(pages: MeetingPages, ask: Ask, after: MeetingRow) -> list[MeetingRow]:
    """The page of ``ask`` after the row ``after`` (keyset)."""
    return pages.select(ask.query, ask.column, ask.reverse, after, PAGE)


def held_boards(held: Held | None, facts: ListFacts | None) -> set[str]:
    """The list's boards: the store's, once read; until then those of the rows held."""
    if facts is not None:
        return {one_line(b) for b in facts.boards}
    return {r.board for r in held.rows} if held is not None else set()


class PagedList(Screen):
    """The meeting list's side that asks a store for its pages (``pages``; None: the list
    holds its rows and none of this runs). The list screen gives the hooks below."""

    query_text: str
    sort_column: str
    sort_reverse: bool
    shown: int  # the rows of ``matching`` in the table
    matching: list[Any]  # the rows held, as the table shows them (``_row``)

    def __init__(self) -> None:
        super().__init__()
        # the store, the rows of the latest question read so far, the number of the latest
        # question, and the whole list's boards and marks
        self.pages: MeetingPages | None = None
        self.held: Held | None = None
        self.asked = 0
        self.facts: ListFacts | None = None

    # -- the list screen's hooks ---------------------------------------------------------

    def _row(self, r: MeetingRow) -> Any:
        raise NotImplementedError

    def _show_first(self, table: BrowseTable, current: str | None) -> None:
        raise NotImplementedError

    def _show_more(self, table: BrowseTable) -> None:
        raise NotImplementedError

    def _update_headers(self, table: BrowseTable) -> None:
        raise NotImplementedError

    def _update_status(self) -> None:
        raise NotImplementedError

    def _set_boards(self, boards: set[str]) -> None:
        raise NotImplementedError

    def _boards(self) -> set[str]:
        raise NotImplementedError

    # -- the pages -----------------------------------------------------------------------

    def _mount_pages(self, head: list[MeetingRow] | None) -> None:
        """The first frame: the store's first page, read before the app started (newest
        first, no filter: the list's first question); the whole list's facts are read next."""
        self._read_facts()
        if not head:
            self._ask(None)
            return
        self.asked += 1
        ask = Ask(self.asked, "", self.sort_column, self.sort_reverse)
        head = [shown_row(r) for r in head]
        self._set_boards({r.board for r in head})
        total = host(self).meeting_total
        self._take(PageRead(ask, head, total, first=True, keep=None))

    def _ask(self, keep: str | None) -> None:
        """Ask the store for the first rows of the filter and sort now chosen."""
        self.asked += 1
        ask = Ask(self.asked, self.query_text, self.sort_column, self.sort_reverse)
        self._update_headers(self.query_one("#meetings", BrowseTable))
        self._read(ask, None, keep)

    @work(thread=True, exclusive=True, group="meetings-pages")
    def _read(self, ask: Ask, after: MeetingRow | None, keep: str | None) -> None:
        """The first rows of ``ask`` (``after`` None), or its page after the row ``after``."""
        pages = self.pages
        if pages is None:
            return
        try:
            if after is not None:
                self.post_message(PageRead(ask, read_next(pages, ask, after), None, False, None))
                return
            pages.interrupt()  # the question before this one is of no use now
            rows, count = read_first(pages, ask)
            self.post_message(PageRead(ask, rows, count, True, keep))
            if count is None and ask.query.split() and not get_current_worker().is_cancelled:
                self.post_message(CountRead(ask, pages.count(ask.query)))
        except Interrupted:
            return
        except Exception as exc:  # noqa: BLE001 - told on the status line; the list stays
            self.post_message(PagesFailed(str(exc) or type(exc).__name__))

    @work(thread=True, group="meetings-facts")
    def _read_facts(self) -> None:
        pages = self.pages
        if pages is None:
            return
        try:
            facts = pages.facts()
        except Exception:  # noqa: BLE001 - the rows held stand for them
            return
        self.post_message(FactsRead(facts))

    @on(PageRead)
    def _page_read(self, message: PageRead) -> None:
        if message.ask.number == self.asked:
            self._take(message)

    def _take(self, message: PageRead) -> None:
        rows = [shown_row(r) for r in message.rows]
        table = self.query_one("#meetings", BrowseTable)
        if message.first or self.held is None:
            count = message.count
            if not message.ask.query.split():  # no filter: every meeting
                count = host(self).meeting_total
            self.held = Held(message.ask, rows, count)
            self.held.complete = count is not None and len(rows) >= count
            self.matching = [self._row(r) for r in rows]
            self._show_first(table, message.keep)
            return
        held = self.held
        held.reading = False
        held.rows.extend(rows)
        held.complete = len(rows) < PAGE or (
            held.count is not None and len(held.rows) >= held.count
        )
        self.matching.extend(self._row(r) for r in rows)
        if table.cursor_row >= self.shown - 1 and self.shown < len(self.matching):
            self._show_more(table)  # the cursor waited at the end for these
        self._update_status()

    def _read_ahead(self) -> None:
        """Read the next page once the rows held run out within a page of those shown."""
        held = self.held
        if self.pages is None or held is None or held.complete or held.reading:
            return
        if len(held.rows) - self.shown < PAGE and held.rows:
            held.reading = True
            self._read(held.ask, held.rows[-1], None)

    @on(CountRead)
    def _count_read(self, message: CountRead) -> None:
        if message.ask.number == self.asked and self.held is not None:
            self.held.count = message.count
            self._update_status()

    @on(FactsRead)
    def _facts_read(self, message: FactsRead) -> None:
        before = self._boards()
        self.facts = message.facts
        if self._boards() != before:  # the labels and the title change: shown again
            self._set_boards(self._boards())
            table = self.query_one("#meetings", BrowseTable)
            self._show_first(table, table.cursor_key)
        else:
            self._update_status()

    @on(PagesFailed)
    def _pages_failed(self, message: PagesFailed) -> None:
        self.query_one("#status", Static).update(
            safe.line(f"Could not read the meetings: {message.reason}")
        )
