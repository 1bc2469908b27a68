"""The meetings of a shard written again that are taken whole from its old parts: their
documents not made into records, not merged, their skeleton and views not made again.

A refresh writes the half month of a changed file again. The meetings whose documents are
all as the old shard holds them, none added or gone (:class:`.kept.KeptRows`), already have
their rows and records taken from the old parts (:mod:`tuibrowser.search.keptfold`), and
their documents' JSON and long texts' streams too (:mod:`.keptlong`); what was still made of
them is the rest of what the shard's parts hold of each, every piece a function of that
meeting alone: its titles and records in the skeleton (``.heads``, ``.units``), its items and
dashboard rows in the views. So each stands as an :class:`OldMeeting`, made of the old parts,
and only the other meetings' documents are made into records and merged
(:func:`take_whole`): making every old document a record (about 2,500 ``from_dict`` calls in
the bench's half month) and merging and reading every meeting again was a third of writing
it.

What is made of all the meetings together, the half month's people (``.people``) and the
people's figures (the views' ``a``), is the old part's when the meetings are the same ones
and each meeting made here says of its people what its old documents said (its id, date,
time and board, which place it among the others; its attendance, membership and each
document's attendance list): then every person's rows are made of the same appearances in
the same order. Otherwise, and whenever an old part cannot be read or does not fit the
others (titles that do not cover a meeting's records, an item without its row in the views),
the shard is written the plain way, every meeting made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from ..keys import item_key, meeting_id
from .layout import BAD_ENTRY, shard_views_name, skeleton_names

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..model import Document, Meeting
    from .kept import Before, OldParts


class OldMeeting:
    """A meeting whose documents are all as the old shard holds them, standing for its
    :class:`~tuibrowser.model.Meeting` where the shard's parts are made (its order, its row,
    its records): ``first``/``end``, its records in the old segment; ``heads``, its titles in
    the old ``.heads`` (first, end); ``item_records``, each item's record (counted from the
    meeting's first) and key (:func:`.leantexts.record_places`)."""

    __slots__ = ("id", "date", "time", "board", "first", "end", "heads", "item_records", "topics")

    def __init__(
        self,
        mid: str,
        date: str,
        time: str | None,
        board: str,
        first: int,
        end: int,
        heads: tuple[int, int],
        item_records: list[tuple[int, str]],
        topics: list | None,
    ) -> None:
        self.id = mid
        self.date = date
        self.time = time
        self.board = board
        self.first = first
        self.end = end
        self.heads = heads
        self.item_records = item_records
        self.topics = topics  # its row of the views' items (None: it has no item)

    @property
    def count(self) -> int:
        """How many records it has."""
        return self.end - self.first


class OldSkeleton:
    """The old shard's skeleton and views, parsed, each checked against the others
    (``ValueError``, or another of :data:`.layout.BAD_ENTRY`, when they do not fit)."""

    def __init__(self, parts: OldParts, records: int) -> None:
        heads = parts.json(_heads_name)
        units = parts.json(_units_name)
        views = parts.json(shard_views_name)
        people = parts.packed(_people_name)
        if people is None:
            raise ValueError("an old people part cannot be read")
        self.people: bytes = people[0]
        self.figures: list = views["a"]
        self.topics = {row[3]: row for row in views["t"]}
        self.meetings: list[list[Any]] = units["m"]
        self.records: list[list[Any]] = units["r"]
        self.firsts: list[int] = heads["f"]
        self.counts: list[int] = heads["c"]
        owners: list[int] = heads["m"]
        texts: list[str] = heads["t"].split("\0") if heads["t"] else [""]
        self.texts = texts[:-1]
        n = len(self.meetings)
        if (
            heads["n"] != n
            or texts[-1] != ""
            or not len(self.texts) == len(self.firsts) == len(self.counts) == len(owners)
            or len(self.records) != records
        ):
            raise ValueError("an old skeleton does not fit its segment")
        # each old meeting's titles (first, end), by its place: owners run in order
        self.heads: list[tuple[int, int]] = [(0, 0)] * n
        at = 0
        for k in range(n):
            lo = at
            while at < len(owners) and owners[at] == k:
                at += 1
            self.heads[k] = (lo, at)
        if at != len(owners):
            raise ValueError("an old skeleton's titles are not of its meetings in order")
        self.index = {row[0]: k for k, row in enumerate(self.meetings)}

    def holds(self, m: Meeting) -> bool:
        """Whether the old meeting of ``m``'s id is of its date and board."""
        row = self.meetings[self.index[m.id]]
        return len(row) == 4 and row[1] == m.date and row[2] == m.board

    def meeting(self, mid: str, span: tuple[int, int], row: dict) -> OldMeeting:
        """The old meeting ``mid`` (its records ``span`` in the old segment, its ``row`` in
        the old ``.rows``), its titles checked to cover its records."""
        k = self.index[mid]
        got, date, board, _ = self.meetings[k]
        lo, hi = self.heads[k]
        first, end = span
        at = first
        for h in range(lo, hi):
            if self.firsts[h] != at or self.counts[h] < 1:
                raise ValueError("an old meeting's titles do not cover its records")
            at += self.counts[h]
        if at != end or got != mid:
            raise ValueError("an old meeting's titles do not cover its records")
        items = [
            (n, item_key(r[1])) for n, r in enumerate(self.records[first:end]) if r[0] == "item"
        ]
        topics = self.topics.get(mid)
        if (topics is None) != (not items):
            raise ValueError("an old meeting's items are not in the views")
        return OldMeeting(mid, date, row["time"], board, first, end, (lo, hi), items, topics)


def _heads_name(shard: str) -> str:
    return skeleton_names(shard)[0]


def _units_name(shard: str) -> str:
    return skeleton_names(shard)[1]


def _people_name(shard: str) -> str:
    return skeleton_names(shard)[2]


class Whole:
    """A shard written again with its unchanged meetings taken whole (:func:`take_whole`):
    those (``taken``), the others merged (``made``) of their documents' records
    (``records``, label → record; ``groups``, meeting id → records) and the old parts."""

    def __init__(
        self,
        taken: list[OldMeeting],
        made: list[Meeting],
        records: dict[str, Document],
        groups: dict[str, list[Document]],
        old: OldSkeleton,
    ) -> None:
        self.taken = taken
        self.made = made
        self.records = records
        self.groups = groups
        self.old = old

    def skeleton(self, meetings: Sequence[Meeting | OldMeeting]) -> tuple[bytes, bytes]:
        """The ``.heads`` and ``.units`` parts of ``meetings`` (in the segment's order), as
        :func:`tuibrowser.search.skeleton.month_skeleton` makes them: a meeting taken whole
        gives its titles and records as the old parts hold them, the others' are made."""
        from ..search.folding import fold_records
        from ..search.skeleton import _meeting_records
        from ..search.units import _meeting_heads

        old = self.old
        texts: list[str] = []
        made: list[list[str]] = []  # the titles made here, in order
        blanks: list[int] = []  # (and their places among texts)
        firsts: list[int] = []
        counts: list[int] = []
        owners: list[int] = []
        rows: list[list[Any]] = []
        records: list[list[Any]] = []
        local = 0
        for k, m in enumerate(meetings):
            rows.append([m.id, m.date, m.board, local])
            if isinstance(m, OldMeeting):
                lo, hi = m.heads
                texts += old.texts[lo:hi]
                shift = local - m.first
                firsts += [f + shift for f in old.firsts[lo:hi]]
                counts += old.counts[lo:hi]
                owners += [k] * (hi - lo)
                records += old.records[m.first : m.end]
                local += m.end - m.first
                continue
            for head, count in _meeting_heads(m):
                blanks.append(len(texts))
                texts.append("")
                made.append([head] if head else [])
                firsts.append(local)
                counts.append(count)
                owners.append(k)
                local += count
            _meeting_records(m, records)
        if len(records) != local:
            raise ValueError("a month's records do not fit its heads")
        if made:
            # (each title folded as it would be among the month's: folding is field by field)
            folded = fold_records(made).split("\0")[:-1]
            for at, text in zip(blanks, folded, strict=True):
                texts[at] = text
        head_part = {
            "n": len(meetings),
            "t": "\0".join(texts) + "\0" if texts else "",
            "f": firsts,
            "c": counts,
            "m": owners,
        }
        return orjson.dumps(head_part), orjson.dumps({"m": rows, "r": records})

    def topics(self, meetings: Sequence[Meeting | OldMeeting]) -> list[list[Any]]:
        """The views' items of ``meetings`` (:func:`tuibrowser.topic_parts.shard_items`):
        a meeting taken whole gives its row as the old part holds it."""
        from ..topic_parts import shard_items

        out: list[list[Any]] = []
        for m in meetings:
            if isinstance(m, OldMeeting):
                if m.topics is not None:
                    out.append(m.topics)
            else:
                out += shard_items([m])
        return out


def take_whole(docs: dict[str, dict | Document], before: Before) -> Whole | None:
    """The meetings of ``docs`` (label → document) taken whole from the shard ``before``
    (:class:`OldMeeting`), and the others merged; None when the shard is to be written the
    plain way: no meeting is taken, the old parts cannot be read or do not fit, or the half
    month's people are not the old part's (:func:`_same_people`)."""
    from ..library import meeting_ids_at, merge
    from ..model import Document

    rows, fold = before.rows, before.fold
    if rows is None or fold is None:
        return None
    try:
        old = OldSkeleton(before.old_parts(), len(fold.f_starts) - 1)
    except (IndexError, *BAD_ENTRY):
        return None
    if before.glances() is None:
        return None  # (the dashboard's rows of the meetings taken whole are the old part's)
    labels = list(docs)
    places = [
        (doc["board"], doc["date"]) if isinstance(doc, dict) else (doc.board, doc.date)
        for doc in docs.values()
    ]
    by_id: dict[str, list[int]] = {}
    for n, mid in enumerate(meeting_ids_at(places)):
        by_id.setdefault(mid, []).append(n)
    if by_id.keys() != old.index.keys():
        return None  # a meeting added or gone: the half month's people are made again
    taken: list[OldMeeting] = []
    made: dict[str, list[str]] = {}
    try:
        for mid, group in by_id.items():
            if meeting_id(*places[group[0]]) not in rows.plain:
                made[mid] = [labels[n] for n in group]
                continue
            span, row = fold.ranges.get(mid), rows.rows.get(mid)
            if span is None or row is None:
                return None
            taken.append(old.meeting(mid, span, row))
    except (IndexError, *BAD_ENTRY):
        return None
    if not any(m.count for m in taken):
        return None  # (nothing of the segment to take)
    records: dict[str, Document] = {}
    for names in made.values():
        for label in names:
            doc = docs[label]
            records[label] = doc if isinstance(doc, Document) else Document.from_dict(doc)
    groups = {mid: [records[label] for label in names] for mid, names in made.items()}
    # merged as copies: their records are written as they are if the shard is written plainly
    meetings = [merge(mid, group) for mid, group in groups.items()]
    if not all(old.holds(m) for m in meetings) or not _same_people(meetings, before.documents):
        return None
    return Whole(taken, meetings, records, groups, old)


def old_meeting(m: Meeting, documents: dict[str, dict]) -> Meeting | None:
    """The meeting of ``m``'s board and date merged of the old shard's ``documents`` (label →
    document as read), as meeting ``m.id``; None when they are not one meeting."""
    from ..library import group_documents, merge
    from ..model import Document

    docs = [d for d in documents.values() if d["board"] == m.board and d["date"] == m.date]
    groups = group_documents(Document.from_dict(d) for d in docs)
    if len(groups) != 1:
        return None
    return merge(m.id, next(iter(groups.values())))


def _same_people(made: list[Meeting], documents: dict[str, dict]) -> bool:
    """Whether each meeting of ``made`` says of its people what the old shard's
    ``documents`` said of them: the same place among the half month's meetings (id, date,
    time, board) and the same attendance, membership and documents' attendance lists, which
    are all the half month's people and figures are made of
    (:func:`tuibrowser.library.collect_people`, :func:`tuibrowser.attendance_sources.by_person`)."""
    for m in made:
        was = old_meeting(m, documents)
        if was is None or _people(was) != _people(m):
            return False
    return True


def _people(m: Meeting) -> bytes:
    return orjson.dumps(
        [m.id, m.date, m.time, m.board, m.attendance, m.membership, m.attendance_sources]
    )
