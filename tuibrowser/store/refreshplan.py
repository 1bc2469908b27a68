"""What a refresh is to do (:class:`Plan`, found before a shard is written), what it wrote
(:class:`Built`), and how it tells its progress (:class:`Ticker`): the records that
:mod:`.indexer`, :mod:`.seenplan` and :mod:`.halfplan` pass between them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..base import NEW_DICT, NEW_LIST, NEW_SET, record

if TYPE_CHECKING:
    from ..model import Problem
    from .halfplan import Part
    from .keptlines import KeptLines
    from .layout import Index
    from .seen import Seen

Progress = Callable[[int, int], None]


class Ticker:
    """Tells ``progress`` how many of the files are done."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0

    def at(self, done: int) -> None:
        if self.progress is not None:
            self.progress(done, self.total)

    def tick(self, count: int) -> None:
        self.done += count
        self.at(self.done)


@record
class Plan:
    """What a refresh is to do, found before a shard is written."""

    def __init__(
        self,
        index: Index | None,  # the index as it was (None: none, or set aside)
        old: dict[str, dict],  # the catalog as it was: file label → entry
        new: dict[str, dict],  # the catalog as it will be (completed as shards are built)
        todo: dict[str, str],  # label → path of the files to read
        shards: dict[str, str],  # shard key → the file of its documents
        counts: dict[str, int],  # shard key → its meetings
        scan_problems: list[Problem],
        ticker: Ticker,
        by_shard: dict[str, list[tuple[str, str]]] = NEW_DICT,  # files to parse
        extra: dict[str, dict[str, tuple[dict, dict]]] = NEW_DICT,  # parsed
        dirty: set[str] = NEW_SET,  # the shards to write again
        unread: list[dict] = NEW_LIST,  # folders that failed (public)
        # the seen part compared (see :mod:`.seen`), its lines found again (files unchanged:
        # the part's text less a few lines when found by place, .keptlines), and the labels
        # of the other files
        seen: Seen | None = None,
        seen_kept: set[str] | KeptLines = NEW_SET,
        seen_rest: set[str] = NEW_SET,
        part: Part | None = None,  # the catalog read by half month (:mod:`.halfplan`), or whole
        # the names in the shards' folder as the plan listed them (None: not listed)
        present: set[str] | None = None,
    ) -> None:
        self.index = index
        self.old = old
        self.new = new
        self.todo = todo
        self.shards = shards
        self.counts = counts
        self.scan_problems = scan_problems
        self.ticker = ticker
        self.by_shard = {} if by_shard is NEW_DICT else by_shard
        self.extra = {} if extra is NEW_DICT else extra
        self.dirty = set() if dirty is NEW_SET else dirty
        self.unread = [] if unread is NEW_LIST else unread
        self.seen = seen
        self.seen_kept = set() if seen_kept is NEW_SET else seen_kept
        self.seen_rest = set() if seen_rest is NEW_SET else seen_rest
        self.part = part
        self.present = present


@record
class Built:
    """The shards a refresh wrote."""

    def __init__(
        self,
        written: dict[str, str | None] = NEW_DICT,  # key → file (None: emptied)
        interim: list[str] = NEW_LIST,  # written, then written again
        rows: dict[str, list[dict]] = NEW_DICT,  # key → its rows, just made
    ) -> None:
        self.written = {} if written is NEW_DICT else written
        self.interim = [] if interim is NEW_LIST else interim
        self.rows = {} if rows is NEW_DICT else rows
