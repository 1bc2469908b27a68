"""What the meeting list shows of a meeting: one small row, kept in the cache apart from the
documents, so the list is painted before any document is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import orjson

from .base import DictRoundTrip, record
from .text import clean, one_line

if TYPE_CHECKING:  # the first frame needs rows only, not the model
    from .model import Document, Meeting

DOC_LETTERS = {"agenda": "A", "minutes": "M", "attendance": "R", "other": "O"}
DOC_ORDER = "AMRO"


@record
class MeetingRow(DictRoundTrip):
    """A meeting as the list shows it. ``titles`` are its item titles on one line (the list's
    filter looks in them); ``fingerprint`` changes when anything the meeting says changes."""

    __slots__ = (
        "id",
        "date",
        "board",
        "time",
        "docs",
        "venue",
        "items",
        "present",
        "titles",
        "cancelled",
        "fingerprint",
        "confidential",
    )

    def __init__(
        self,
        id: str,
        date: str,
        board: str,
        time: str | None = None,
        docs: str = "",
        venue: str = "",
        items: int = 0,
        present: int = 0,
        titles: str = "",
        cancelled: bool = False,
        fingerprint: str = "",
        confidential: int = 0,
    ) -> None:
        # items marked confidential (with ``--public``: withheld, -1 when a file of the meeting
        # is unread and every item is withheld, so none can be told confidential or not)
        self.id = id
        self.date = date
        self.board = board
        self.time = time
        self.docs = docs
        self.venue = venue
        self.items = items
        self.present = present
        self.titles = titles
        self.cancelled = cancelled
        self.fingerprint = fingerprint
        self.confidential = confidential

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """The order of :attr:`Library.meetings` (newest first when reversed)."""
        return meeting_order(self.date, self.time, self.board)


def meeting_order(date: str, time: str | None, board: str) -> tuple[str, str, str]:
    """The one order of meetings, everywhere they are listed (newest first when reversed):
    date, then time (a meeting without one first), then board."""
    return (date, time or "", board)


def by_meeting_order(meeting: Meeting | MeetingRow) -> tuple[str, str, str]:
    """:func:`meeting_order` of a meeting or a row, as a sort key."""
    return meeting_order(meeting.date, meeting.time, meeting.board)


def documents_fingerprint(jsons: Iterable[bytes]) -> str:
    """The fingerprint of a meeting: a short hash of its documents, each as the cache stores
    it (its JSON as orjson writes the :class:`.model.Document` parsed from its file, as
    :func:`tuibrowser.limits.stored` makes it), given in the order of their paths. It changes
    when any of the meeting's files says anything else, or one is added or gone; a cold index
    hashes the JSON it writes anyway instead of writing the merged meeting again (a
    twenty-fifth of its time)."""
    from .digest import hexdigest

    # (orjson writes no line break: the documents stay apart; hashed at once, as one text)
    return hexdigest(b"".join([part for json in jsons for part in (json, b"\n")]))[:16]


def group_fingerprints(
    groups: Mapping[str, list[Document]], json_of: Callable[[Document], bytes]
) -> dict[str, str]:
    """:func:`documents_fingerprint` of each meeting of ``groups`` (meeting id → its
    documents, as :func:`tuibrowser.library.group_documents` gives them, before they are
    merged), ``json_of`` giving a document's JSON."""
    return {
        mid: documents_fingerprint([json_of(d) for d in sorted(docs, key=_path)])
        for mid, docs in groups.items()
    }


def _path(doc: Document) -> str:
    return doc.path


def meeting_fingerprint(meeting: Meeting) -> str:
    """A short hash of everything the meeting says, for a meeting whose documents are not at
    hand (a library read from the cache with no row of it): not its fingerprint as its rows
    carry it (:func:`documents_fingerprint`), which the meeting alone does not give.

    (orjson writes the records' fields in their fixed order, at C speed.)
    """
    from .digest import hexdigest

    return hexdigest(orjson.dumps(meeting))[:16]


def meeting_row(m: Meeting, fingerprint: str | None = None) -> MeetingRow:
    return MeetingRow(**row_fields(m, fingerprint))


def row_fields(m: Meeting, fingerprint: str | None = None) -> dict[str, Any]:
    """:func:`meeting_row` of ``m`` as a dict, as ``to_dict`` gives it (each field, in their
    order), made without the row: a shard's rows are written as these dicts. ``fingerprint``:
    the meeting's (:func:`documents_fingerprint`), else :func:`meeting_fingerprint`."""
    letters = {DOC_LETTERS.get(d.kind, "O") for d in m.documents}
    # (each title on one line, cleaned together: clean() shows each character by itself)
    titles = " ".join([" ".join((i.title or "").split()) for i in m.items])
    return {
        "id": m.id,
        "date": m.date,
        "board": one_line(m.board),
        "time": m.time,
        "docs": "".join(c for c in DOC_ORDER if c in letters),
        "venue": one_line(m.venue) or ("cancelled" if m.cancelled else ""),
        "items": len(m.items),
        "present": [a.status for a in m.attendance].count("present"),
        "titles": clean(titles, keep_newlines=False),
        "cancelled": m.cancelled,
        "fingerprint": meeting_fingerprint(m) if fingerprint is None else fingerprint,
        "confidential": confidential_count(m),
    }


def confidential_count(m: Meeting) -> int:
    """The meeting's confidential items: those marked, or (``--public``) withheld; -1 when
    every item is withheld because a file of the meeting is unread."""
    if "*" in m.withheld:
        return -1
    return sum(1 for i in m.items if i.confidential) + len(m.withheld)


def newest_first(rows: Iterable[MeetingRow]) -> list[MeetingRow]:
    return sorted(rows, key=by_meeting_order, reverse=True)


# The meeting list's sorts, as the list screen sorts (column → key of a row), and the columns
# sorted newest or most first when first chosen.
SORT_KEYS: dict[str, Callable[[MeetingRow], str | int]] = {
    "date": lambda r: r.date,
    "board": lambda r: r.board.lower(),
    "docs": lambda r: r.docs,
    "venue": lambda r: r.venue.lower(),
    "items": lambda r: r.items,
    "present": lambda r: r.present,
}
DESCENDING = frozenset({"date", "items", "present"})


def haystack(row: MeetingRow) -> str:
    """What the list's filter looks in: the date, board, venue and item titles, lower case."""
    return " ".join([row.date, row.board, row.venue, row.titles]).lower()


def select_rows(
    rows: Iterable[MeetingRow], query: str = "", column: str = "date", reverse: bool = True
) -> list[MeetingRow]:
    """The rows (newest first, as a store lists them) whose :func:`haystack` holds every word
    of ``query`` (lower case), sorted by ``column`` (``reverse``: largest first), ties newest
    first: what the meeting list shows. A store that filters and sorts itself
    (:meth:`.store.pg.store.PgStore.select`) gives these rows in this order."""
    words = query.lower().split()
    found = [r for r in rows if all(w in haystack(r) for w in words)]
    found.sort(key=lambda r: r.date, reverse=True)
    found.sort(key=SORT_KEYS[column], reverse=reverse)
    return found
