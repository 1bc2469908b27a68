"""Documents → meetings and people: the merged, read-only view every command and screen uses."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import linkeddocs
from .base import RESTRICTED, record
from .keys import board_hash, board_name, item_key, meeting_id, number_key, slug_is_lossless
from .listing import MeetingRow, by_meeting_order, group_fingerprints, meeting_row
from .model import Appearance, AttendanceList, Document, DocumentRef, Item, Meeting, Person, Problem

if TYPE_CHECKING:
    from .ondemand import Answers

KIND_RANK = {"minutes": 0, "agenda": 1, "attendance": 2, "other": 3}


@record
class Words:
    """Which words each month's meetings hold, and in which blocks of the month's search text
    (see :mod:`tuibrowser.search`): for each month, its words grouped by their blocks
    (``"\x01" + blocks in hex`` and its words, each after a space; see
    :func:`tuibrowser.search.segments._word_list`), as UTF-8 — the file the cache keeps them
    in (packed: :func:`tuibrowser.packed.pack`), or the bytes."""

    def __init__(self, months: list[str], lists: list[Path | bytes]) -> None:
        self.months = months
        self.lists = lists

    def month(self, month: str) -> str:
        from .packed import unpack

        found = self.lists[self.months.index(month)]
        raw = found if isinstance(found, bytes) else unpack(Path(found).read_bytes())
        return raw.decode("utf-8", "surrogatepass")


@dataclass
class Library:
    """All meetings (newest first), people by key, and the problems met while reading."""

    meetings: list[Meeting] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0
    # For search, as the cache keeps them (None and empty when the library was read straight
    # from the files): the words of each month, and the files of each month's search text.
    words: Words | None = field(default=None, repr=False)
    texts: dict[str, Path] = field(default_factory=dict, repr=False)
    # Loaded without their long texts (minutes, reports, sections), as the browser loads a
    # big cache: the meetings whose texts are still to be read, and what reads them.
    lean: set[str] = field(default_factory=set, repr=False, compare=False)
    texts_of: Callable[[str], list[Document]] | None = field(
        default=None, repr=False, compare=False
    )
    # Items listed, but no longer in the folder as the cache holds it now (see ``full``).
    gone_items: set[tuple[str, str]] = field(default_factory=set, repr=False, compare=False)
    # Each meeting's fingerprint (:func:`.listing.documents_fingerprint`), when the library
    # was read straight from the files (a cache's are in its rows).
    fingerprints: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _by_id: dict[str, Meeting] | None = field(default=None, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    # What is worked out once per library (tuibrowser.memo): not an argument, so that a copy
    # made with dataclasses.replace starts without the original's
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def rows(self) -> list[MeetingRow]:
        """The meeting list's rows of :attr:`meetings` (in their order), with their
        :attr:`fingerprints` (for a library read straight from the files: a cache gives its
        rows as it keeps them)."""
        made = self.fingerprints
        return [meeting_row(m, made.get(m.id)) for m in self.meetings]

    def meeting(self, meeting_id: str) -> Meeting | None:
        by_id = self._by_id
        if by_id is None or len(by_id) != len(self.meetings):
            by_id = self._by_id = {m.id: m for m in self.meetings}
        return by_id.get(meeting_id)

    def full(self, meeting_id: str) -> Meeting | None:
        """The meeting with its minutes, reports and sections (read from the cache the first
        time, when the library was loaded without them).

        None when the meeting is not in the library, or is no longer in the folder: the cache
        was brought up to date since the library was read (``tuibrowser index`` in another
        terminal) and no longer holds a document of it (its files deleted, made unreadable,
        or broken). The items the files no longer hold (or hold under another title) are
        gone as well: :meth:`item` gives None for them."""
        m = self.meeting(meeting_id)
        if m is None:
            return None
        if meeting_id not in self.lean or self.texts_of is None:
            return m
        with self._lock:
            if meeting_id in self.lean:
                docs = self.texts_of(meeting_id)
                if not docs:
                    return None  # asked again next time: the files may come back
                whole = merge(meeting_id, docs)
                by_number: dict[str, Item] = {}
                for it in whole.items:  # one look-up per item, not a scan (100,000 items)
                    by_number.setdefault(item_key(it.number), it)
                for it in m.items:
                    found = by_number.get(item_key(it.number))
                    if found is None or found.title != it.title:
                        # edited since: its text now is another item's, or nobody's
                        self.gone_items.add((meeting_id, it.number))
                        continue
                    it.minute, it.report, it.note = found.minute, found.report, found.note
                m.sections = whole.sections
                self.lean.discard(meeting_id)
        return m

    def item(self, meeting_id: str, number: str) -> Item | None:
        """The item with its texts (see :meth:`full`), or None when it is not in the library
        or no longer in the folder."""
        m = self.full(meeting_id)
        if m is None or (meeting_id, number) in self.gone_items:
            return None
        return m.item(number)

    def meeting_at(self, date: str, board: str) -> Meeting | None:
        """The meeting of ``board`` on ``date`` (the next meeting a meeting names), if any."""
        for m in self.meetings:
            if m.date == date and m.board == board:
                return m
        return None

    def of_person(self, key: str) -> Library:
        """A library holding every meeting that names the person ``key`` (their page): this
        one; a store's on demand, those meetings alone (:mod:`tuibrowser.ondemand`)."""
        return self

    def answers(self) -> Answers | None:
        """What a store answers of the whole folder without this library's meetings (search,
        the People list's figures, the Topics); None: the library answers itself."""
        return None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def restricted(self) -> list[Problem]:
        """Files and folders the user may not read (not errors: they are someone else's)."""
        return [p for p in self.problems if p.severity == RESTRICTED]


# Several documents of one kind for one meeting are merged, but it is probably a mistake.
SINGLE_KINDS = ("minutes", "agenda", "attendance")


def build(
    documents: Iterable[Document],
    problems: Iterable[Problem] = (),
    skipped: int = 0,
    public: bool = False,
    owned: bool = False,
    json_of: Callable[[Document], bytes] | None = None,
) -> Library:
    """Merge documents into meetings and collect the people they name.

    With ``public``, confidential items and everything reported under them are left out, with
    every item of a meeting one of whose files could not be read (see :mod:`.public`).
    With ``json_of`` (a document's JSON as the cache stores it), the library has the
    meetings' :attr:`Library.fingerprints`.
    """
    documents = list(documents)
    problems = list(problems)
    if public:
        shown = withhold(documents, problems)
        documents, problems = shown.documents, shown.problems
    groups = group_documents(documents)
    for mid, docs in groups.items():
        problems.extend(duplicate_documents(mid, docs))
    # (of the documents as they are: merging the documents it owns changes them)
    prints = group_fingerprints(groups, json_of) if json_of is not None else {}
    meetings = [merge(mid, docs, owned) for mid, docs in groups.items()]
    meetings.sort(key=by_meeting_order, reverse=True)
    return Library(
        meetings=meetings,
        people=collect_people(meetings),
        problems=problems,
        skipped=skipped,
        fingerprints=prints,
    )


def group_documents(documents: Iterable[Document]) -> dict[str, list[Document]]:
    """The documents of each meeting (same board and date), by meeting id."""
    documents = list(documents)
    groups: dict[str, list[Document]] = defaultdict(list)
    for mid, doc in zip(meeting_ids(documents), documents, strict=True):
        groups[mid].append(doc)
    return groups


def meeting_ids(documents: list[Document]) -> list[str]:
    """The meeting id of each document: ``<date>-<board slug>``, unless two boards whose slugs
    are equal ("Audit & Risk" and "Audit Risk") meet on one date. Then each keeps a meeting of
    its own: the board the slug spells out keeps the plain id, every other one gets the hash of
    its name after it (``2024-05-01-audit-risk--e91586``)."""
    return meeting_ids_at([(d.board, d.date) for d in documents])


def meeting_ids_at(places: list[tuple[str, str]]) -> list[str]:
    """:func:`meeting_ids` of documents given by their (board, date)."""
    plain = [meeting_id(board, date) for board, date in places]
    boards: dict[str, set[str]] = defaultdict(set)
    for mid, (board, _) in zip(plain, places, strict=True):
        boards[mid].add(board_name(board))
    if all(len(names) == 1 for names in boards.values()):
        return plain
    return [
        mid if len(boards[mid]) == 1 or slug_is_lossless(board) else f"{mid}--{board_hash(board)}"
        for mid, (board, _) in zip(plain, places, strict=True)
    ]


def merge_all(documents: Iterable[Document]) -> list[Meeting]:
    """The meetings the documents describe (no people, no problems), for the meeting list;
    the documents are the merge's to change (see :func:`merge`)."""
    return [merge(mid, docs, owned=True) for mid, docs in group_documents(documents).items()]


def duplicate_documents(mid: str, docs: list[Document]) -> list[Problem]:
    """A warning for each kind that more than one file gives for the same meeting.

    Agenda files that only add to each other (a pack and its appendix or supplement, as
    ModernGov publishes them) merge silently; agenda files that give the same item, and
    second minutes or attendance files, are probably a copy or a mistake.
    """
    out = []
    for kind in SINGLE_KINDS:
        same = [d for d in docs if d.kind == kind]
        if kind == "agenda":
            numbers = [n for d in same for n in {item_key(it.number) for it in d.items}]
            if len(numbers) == len(set(numbers)):
                continue
        paths = sorted(d.path for d in same)
        if len(paths) > 1:
            out.append(
                Problem(
                    paths[-1],
                    None,
                    f"{len(paths)} {kind} files for meeting {mid} ({', '.join(paths)}): "
                    "merged into one meeting; where both give an item's text, both are kept",
                    "warning",
                )
            )
    return out


def confidential_numbers(
    documents: Iterable[Document],
    problems: Iterable[Problem] = (),
    marks: Mapping[str, Iterable[str]] | None = None,
    failed: Iterable[str] = (),
) -> dict[str, set[str]]:
    """The item keys to withhold in public, by meeting id (:func:`meeting_ids`): those any
    document marks confidential (or ``marks`` says its file marks, by path), and every item
    (:data:`.public.ALL`) of a meeting on the date of a file that ``problems`` say (or
    ``failed`` names) could not be read or parsed."""
    from . import public  # (public mode alone: a refresh of a private cache does without)

    documents = list(documents)
    ids = meeting_ids(documents)
    found = [
        (mid, it.number)
        for mid, d in zip(ids, documents, strict=True)
        for it in d.items
        if it.confidential
    ]
    if marks:
        found += [
            (mid, n) for mid, d in zip(ids, documents, strict=True) for n in marks.get(d.path, ())
        ]
    failed = [*public.failed_paths(problems), *failed]
    return public.withheld_numbers(found, set(ids), failed)


class Withheld(NamedTuple):
    """What ``--public`` shows of documents and problems (see :func:`withhold`)."""

    documents: list[Document]  # in the order given; one with nothing to withhold as it was
    problems: list[Problem]  # in the order given; one met in a withheld item told without text
    # by file path: the item numbers (as written) its document and its problems lost
    removed: dict[str, set[str]]
    # by file path: the item keys withheld in its meeting (:data:`.public.ALL`: every item)
    numbers: dict[str, set[str]]


def withhold(
    documents: list[Document],
    problems: list[Problem],
    marks: Mapping[str, Iterable[str]] | None = None,
    failed: Iterable[str] = (),
) -> Withheld:
    """The documents and problems as ``--public`` shows them: without confidential items (nor
    what is reported under them, nor the text of a problem met in one), and without any item
    of a meeting whose files could not all be read.

    The one redaction: the library (:func:`build`) and the public cache, for each shard it
    writes (:mod:`.store.redact`), both go through it. ``documents`` are every document of
    their meetings; ``marks`` adds, by file path, the numbers a file marks that its document
    may no longer hold (a document the public cache stored already redacted), and ``failed``
    the files and folders that could not be read beyond those ``problems`` name.
    """
    numbers = confidential_numbers(documents, problems, marks, failed)
    out: list[Document] = []
    removed: dict[str, set[str]] = defaultdict(set)
    of_path: dict[str, set[str]] = {}
    ids = meeting_ids(documents)
    for mid, d in zip(ids, documents, strict=True):
        found = of_path[d.path] = numbers.get(mid, set())
        if found:
            cut = redact_document(d, found)
            if cut is not d:
                removed[d.path] |= _lost(d, found)
            d = cut
        out.append(d)
    # what a withheld item's text is repeated in elsewhere in its meeting goes too
    from . import public, repeats

    out = repeats.scrub_meetings(ids, documents, out, numbers)
    told = public.redact_problems(problems, lambda path: of_path.get(path, {public.ALL}))
    for p, q in zip(problems, told, strict=True):
        if q is not p and p.item:
            removed[p.path].add(p.item)
    return Withheld(out, told, dict(removed), of_path)


def _lost(doc: Document, numbers: Collection[str]) -> set[str]:
    """The item numbers (as ``doc`` writes them) of what :func:`redact_document` cuts."""
    from . import public

    withheld = public.is_withheld
    lost = {it.number for it in doc.items if withheld(numbers, it.number)}
    for rows in (doc.kpis, doc.summaries, doc.series, doc.outputs, doc.figures, doc.documents):
        lost |= {row.item for row in rows if row.item is not None and withheld(numbers, row.item)}
    return lost


def redact(
    documents: list[Document], confidential: Mapping[str, Collection[str]] | None = None
) -> list[Document]:
    """The documents without confidential items, nor the rows reported under those items.

    An item marked confidential in one document (the agenda) is withheld from every document
    of that meeting (the minutes too). A document with nothing to withhold is returned as is.
    Without ``confidential`` (item keys by meeting id) it is what :func:`withhold` gives.
    """
    if confidential is None:
        return withhold(documents, []).documents
    out = []
    for mid, d in zip(meeting_ids(documents), documents, strict=True):
        numbers = confidential.get(mid)
        if numbers:
            d = redact_document(d, numbers)
        out.append(d)
    return out


def redact_document(doc: Document, numbers: Collection[str]) -> Document:
    """A copy of ``doc`` without the items ``numbers`` (item keys, or :data:`.public.ALL`) and
    the KPIs, figures … reported under them."""
    from . import public

    withheld = public.is_withheld
    if not numbers or not (
        any(withheld(numbers, it.number) for it in doc.items)
        or any(
            withheld(numbers, row.item)
            for rows in (
                doc.kpis,
                doc.summaries,
                doc.series,
                doc.outputs,
                doc.figures,
                doc.documents,
            )
            for row in rows
        )
    ):
        return doc
    copy = Document.from_dict(doc.to_dict())
    gone = {item_key(it.number) for it in copy.items if withheld(numbers, it.number)}
    if public.ALL in numbers:
        gone.add(public.ALL)
    copy.withheld = sorted(set(copy.withheld) | gone)
    copy.items = [it for it in copy.items if not withheld(numbers, it.number)]
    for name in ("kpis", "summaries", "series", "outputs", "figures", "documents"):
        setattr(copy, name, [r for r in getattr(copy, name) if not withheld(numbers, r.item)])
    return copy


def merge(mid: str, docs: list[Document], owned: bool = False) -> Meeting:
    """The meeting ``docs`` describe. With ``owned`` the documents are this merge's to change
    (read for it alone): their items become the meeting's instead of copies."""
    docs = sorted(docs, key=lambda d: (KIND_RANK.get(d.kind, 9), d.path))
    first = docs[0]
    meeting = Meeting(id=mid, board=first.board, date=first.date)
    for d in docs:
        meeting.documents.append(
            DocumentRef(kind=d.kind, path=d.path, title=d.title, source=d.source)
        )
        meeting.time = meeting.time or d.time
        meeting.venue = meeting.venue or d.venue
        meeting.status = meeting.status or d.status
        meeting.next_meeting = meeting.next_meeting or d.next_meeting
        meeting.cancelled = meeting.cancelled or d.cancelled
        meeting.restricted = meeting.restricted or d.restricted
        meeting.membership.extend(d.membership)
        meeting.kpis.extend(d.kpis)
        meeting.summaries.extend(d.summaries)
        meeting.series.extend(d.series)
        meeting.outputs.extend(d.outputs)
        meeting.figures.extend(d.figures)
        meeting.sections.extend(d.sections)
        meeting.notes.extend(d.notes)
    meeting.linked_documents = linkeddocs.merged([d.documents for d in docs])
    with_minutes = [d for d in docs if d.kind == "minutes" and d.attendance]
    counted = with_minutes or docs
    for d in counted:
        meeting.attendance.extend(d.attendance)
    meeting.attendance_sources = attendance_sources(docs, counted)
    meeting.withheld = sorted({n for d in docs for n in d.withheld})
    meeting.items = merge_items(docs, owned)
    return meeting


def attendance_sources(docs: list[Document], counted: list[Document]) -> list[AttendanceList]:
    """Each document's attendance list, when two or more documents give one: the meeting's
    attendance comes from the minutes, and what another list says otherwise is kept to be
    shown beside it rather than dropped (``attendance_sources.conflicts``)."""
    giving = [d for d in docs if d.attendance]
    if len(giving) < 2:
        return []
    used = {id(d) for d in counted}
    return [AttendanceList(d.path, d.kind, id(d) in used, list(d.attendance)) for d in giving]


def _add_new(have: list[str], more: list[str]) -> None:
    """Append the entries of ``more`` that ``have`` lacks (a set, not a scan per entry)."""
    seen = set(have)
    for x in more:
        if x not in seen:
            seen.add(x)
            have.append(x)


def merge_items(docs: list[Document], owned: bool = False) -> list[Item]:
    merged: dict[str, Item] = {}
    for d in docs:  # minutes first
        for it in d.items:
            key = item_key(it.number)  # "8." in the agenda is "8" in the minutes
            have = merged.get(key)
            if have is None:
                merged[key] = it if owned else _copy(it)
                continue
            have.title = have.title or it.title
            have.confidential = have.confidential or it.confidential
            if have.order is None:
                have.order = it.order
            if it.minute and not have.minute:
                have.minute = it.minute
            elif it.minute and it.minute != have.minute:
                # Two minutes of one meeting (a duplicate file): keep both texts.
                have.minute = f"{have.minute}\n\n{it.minute}"
            if it.report is not None and have.report is None:
                have.report = it.report  # reports are never changed once parsed
            _add_new(have.decisions, it.decisions)
            _add_new(have.actions, it.actions)
            if it.note:
                have.note = f"{have.note}\n\n{it.note}" if have.note else it.note
    items = list(merged.values())
    taken = sorted(
        (i for i in items if i.order is not None), key=lambda i: (i.order, number_key(i.number))
    )
    rest = sorted((i for i in items if i.order is None), key=lambda i: number_key(i.number))
    for position, it in enumerate(taken + rest, start=1):
        it.order = position
    return taken + rest


def _copy(it: Item) -> Item:
    """A copy of a document's item that merging may change without changing the document."""
    return Item(
        number=it.number,
        title=it.title,
        order=it.order,
        confidential=it.confidential,
        minute=it.minute,
        report=it.report,
        decisions=list(it.decisions),
        actions=list(it.actions),
        note=it.note,
        path=it.path,
        line=it.line,
    )


def collect_people(meetings: list[Meeting]) -> dict[str, Person]:
    """Everyone the meetings name (in their attendance or membership lists), by key: each
    with the names, roles, authorities and groups they are recorded with, in the order first
    recorded, and their appearances, oldest meeting first. (Run for every shard a cold index
    writes: the person and their lists are looked up once a row, not once a field.)"""
    people: dict[str, Person] = {}
    for m in sorted(meetings, key=_meeting_date):
        mid, date = m.id, m.date
        for a in m.attendance:
            key = a.person or ""
            p = people.get(key)
            if p is None:
                p = people[key] = Person(key)
            name, role, authority, group = a.name, a.role, a.authority, a.group
            if name and name not in p.names:
                p.names.append(name)
            if role and role not in p.roles:
                p.roles.append(role)
            if authority and authority not in p.authorities:
                p.authorities.append(authority)
            if group and group not in p.groups:
                p.groups.append(group)
            p.meetings.append(Appearance(mid, date, a.status, role, authority, name))
        for mem in m.membership:
            key = mem.person or ""
            p = people.get(key)
            if p is None:
                p = people[key] = Person(key)
            _add(p.names, mem.name)
            _add(p.roles, mem.role)
            _add(p.authorities, mem.authority)
            _add(p.groups, mem.group)
    people.pop("", None)
    return dict(sorted(people.items()))


def _meeting_date(m: Meeting) -> str:
    return m.date


def _add(values: list[str], value: str | None) -> None:
    if value and value not in values:
        values.append(value)
