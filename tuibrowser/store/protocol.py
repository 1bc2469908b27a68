"""The seam between the program and where its meetings are kept: :class:`MeetingStore`.

The browser, the command line and the exports ask a store for what they show and never look
behind it. Two stores implement it today:

- :class:`.cache.Cache`, the per-user TinyDB cache (the default);
- :class:`.files.FileStore`, the files read straight, every time (``--no-cache``).

A store on a database server (meetings as rows, a search engine beside them) implements the
same methods; everything above them — merging, people, topics, KPIs, redaction, every screen
and export — works on the model (:class:`~tuibrowser.library.Library`, ``Meeting``…) and does
not know where it came from. Get a store from :func:`.loading.open_store`, and its library,
with the files read instead when the store cannot be used now, from
:func:`.loading.load_library`.

This module imports nothing at run time beyond ``typing``: the first frame uses the seam.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ..library import Library
    from ..listing import MeetingRow
    from ..search import Results
    from .indexer import Progress
    from .reader import ListHead
    from .report import IndexReport


@runtime_checkable
class MeetingStore(Protocol):
    """The meetings of one folder (``root``), as a user may see them (``public``: without
    confidential items, see :mod:`tuibrowser.public`).

    Nothing here raises for bad data: a part the store cannot read gives None (or an empty
    answer) and the caller goes to the files (:func:`.loading.load_library`). Only
    :meth:`update` raises, :class:`~.report.CacheUnavailable`, when the store cannot be used
    now (locked, or not this user's).
    """

    root: Path
    public: bool

    def head(self) -> ListHead | None:
        """The first page of the meeting list, newest first, and the number of meetings: what
        the first frame shows. Cost: the cache reads its index alone (a few KB, no document);
        None when there is nothing to show before the files are read (no index yet, or no
        cache at all)."""
        ...

    def rows(self) -> list[MeetingRow] | None:
        """The whole meeting list, newest first (what the list's filter and sort work on),
        without a document. Cost: the cache reads each shard's small rows file (at 10,000
        meetings a few MB); None when the store keeps no list apart from the library (the
        list is then made from :meth:`load`'s meetings)."""
        ...

    def update(self, progress: Progress | None = None) -> IndexReport:
        """Bring the store up to date with the files and say what was done. Cost: the cache
        stats every file and parses only the new and changed ones (a cold index parses all,
        one process per core); the files store parses every file, every time. ``progress``
        is called with (files done, files in all) as it goes; it may raise to stop the work.
        Raises :class:`~.report.CacheUnavailable` when the store cannot be used now."""
        ...

    def load(self, texts: bool = True) -> Library | None:
        """The library as the store holds it (call :meth:`update` first), or None when the
        store cannot give it now. Without ``texts`` its meetings come without their minutes,
        reports and sections (a third of an archive's memory), read one meeting at a time
        when :meth:`Library.full` asks (``Library.texts_of``). Cost: the cache reads every
        shard's documents (seconds at 10,000 meetings); the files store gives what its last
        :meth:`update` read, or reads every file."""
        ...

    def repair(self, progress: Progress | None = None) -> IndexReport | None:
        """After :meth:`load` gave None: set aside what could not be read and build it again
        from the files; the new report (``rebuilt`` says why), or None when there is nothing
        this store can repair (the caller then reads the files). Cost: a cold index at worst.
        """
        ...

    def search(self, library: Library, query: str, limit: int | None = 200) -> Results:
        """The hits of ``query`` in ``library`` (which :meth:`load` gave), grouped by meeting,
        newest first, at most ``limit`` of them (None: all), and how many matched. Cost: with
        the cache, only the blocks of the shards' text that its word lists point to are read
        (through mmap); a library read from the files has its text folded in memory on the
        first query, then scanned."""
        ...


@runtime_checkable
class AnswersOnDemand(Protocol):
    """A store whose library the browser reads on demand (a database's store): each meeting
    when it is asked for, what the screens show of the whole folder as the store keeps it,
    never every meeting at start (:class:`~tuibrowser.ondemand.OnDemandLibrary`)."""

    def on_demand(self) -> Library:
        """The library, no meeting read yet, with the folder's problems. Raises when the
        store cannot be read (the browser says why)."""
        ...


class ListFacts(NamedTuple):
    """What the meeting list's title and legend need of the whole list, not of a page: its
    boards, and whether any row is marked cancelled, withheld (a file unread) or confidential."""

    boards: frozenset[str]
    cancelled: bool
    unread: bool
    confidential: bool


@runtime_checkable
class MeetingPages(Protocol):
    """A store that filters, sorts and pages the meeting list itself (a database's store):
    the browser's list asks it for the page it shows instead of holding every meeting. Its
    answers are :func:`tuibrowser.listing.select_rows`'s rows, in that order.

    Each method may be called from a thread worker; :meth:`interrupt` from another thread,
    to stop a query the user's typing has made useless (the query then raises
    :class:`Interrupted`)."""

    def select(
        self,
        query: str = "",
        column: str = "date",
        reverse: bool = True,
        after: MeetingRow | None = None,
        limit: int = 200,
    ) -> list[MeetingRow]:
        """The rows after ``after`` (keyset; None: the first page), at most ``limit``."""
        ...

    def count(self, query: str = "") -> int:
        """How many meetings the filter ``query`` keeps (all of them for "")."""
        ...

    def facts(self) -> ListFacts:
        """The whole list's boards and marks."""
        ...

    def interrupt(self) -> None:
        """Stop the query running now, if any (the next one runs as usual)."""
        ...

    def close(self) -> None:
        """Let go of the store (its connection): the browser is ending."""
        ...


class Interrupted(Exception):
    """A query of :class:`MeetingPages` stopped by :meth:`MeetingPages.interrupt`."""
