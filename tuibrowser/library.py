"""Documents → meetings and people: the merged, read-only view every command and screen uses."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .base import RESTRICTED
from .model import (
    Appearance,
    Document,
    DocumentRef,
    Item,
    Meeting,
    Person,
    Problem,
    meeting_id,
    number_key,
)

KIND_RANK = {"minutes": 0, "agenda": 1, "attendance": 2, "other": 3}


@dataclass
class Words:
    """Which words each month's meetings hold, and in which blocks of the month's search text
    (see :mod:`tuibrowser.search`): for each month, ``" word:blocks"`` entries (blocks in hex
    bits) sorted by word, as UTF-8 — the file the cache keeps them in, or the bytes."""

    months: list[str]
    lists: list[Path | bytes]

    def month(self, month: str) -> str:
        found = self.lists[self.months.index(month)]
        raw = found if isinstance(found, bytes) else Path(found).read_bytes()
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
    _by_id: dict[str, Meeting] | None = field(default=None, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def meeting(self, meeting_id: str) -> Meeting | None:
        by_id = self._by_id
        if by_id is None or len(by_id) != len(self.meetings):
            by_id = self._by_id = {m.id: m for m in self.meetings}
        return by_id.get(meeting_id)

    def full(self, meeting_id: str) -> Meeting | None:
        """The meeting with its minutes, reports and sections (read from the cache the first
        time, when the library was loaded without them)."""
        m = self.meeting(meeting_id)
        if m is None or meeting_id not in self.lean or self.texts_of is None:
            return m
        with self._lock:
            if meeting_id in self.lean:
                whole = merge(meeting_id, self.texts_of(meeting_id))
                by_number: dict[str, Item] = {}
                for it in whole.items:  # one look-up per item, not a scan (100,000 items)
                    by_number.setdefault(it.number, it)
                for it in m.items:
                    found = by_number.get(it.number)
                    if found is not None:
                        it.minute, it.report, it.note = found.minute, found.report, found.note
                m.sections = whole.sections
                self.lean.discard(meeting_id)
        return m

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
) -> Library:
    """Merge documents into meetings and collect the people they name.

    With ``public``, confidential items and everything reported under them are left out.
    """
    documents = list(documents)
    if public:
        documents = redact(documents)
    problems = list(problems)
    groups = group_documents(documents)
    for mid, docs in groups.items():
        problems.extend(duplicate_documents(mid, docs))
    meetings = [merge(mid, docs, owned) for mid, docs in groups.items()]
    meetings.sort(key=lambda m: (m.date, m.time or "", m.board), reverse=True)
    return Library(
        meetings=meetings, people=collect_people(meetings), problems=problems, skipped=skipped
    )


def group_documents(documents: Iterable[Document]) -> dict[str, list[Document]]:
    """The documents of each meeting (same board and date), by meeting id."""
    groups: dict[str, list[Document]] = defaultdict(list)
    for doc in documents:
        groups[meeting_id(doc.board, doc.date)].append(doc)
    return groups


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
            numbers = [n for d in same for n in {it.number for it in d.items}]
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


def confidential_numbers(documents: Iterable[Document]) -> dict[str, set[str]]:
    """The item numbers any document marks confidential, by meeting id."""
    out: dict[str, set[str]] = defaultdict(set)
    for d in documents:
        for it in d.items:
            if it.confidential:
                out[meeting_id(d.board, d.date)].add(it.number)
    return out


def redact(
    documents: list[Document], confidential: dict[str, set[str]] | None = None
) -> list[Document]:
    """The documents without confidential items, nor the rows reported under those items.

    An item marked confidential in one document (the agenda) is withheld from every document
    of that meeting (the minutes too). A document with nothing to withhold is returned as is.
    """
    if confidential is None:
        confidential = confidential_numbers(documents)
    out = []
    for d in documents:
        numbers = confidential.get(meeting_id(d.board, d.date))
        if numbers:
            d = redact_document(d, numbers)
        out.append(d)
    return out


def redact_document(doc: Document, numbers: set[str]) -> Document:
    """A copy of ``doc`` without the items ``numbers`` (and KPIs, figures … under them)."""
    if not numbers or not (
        any(it.number in numbers for it in doc.items)
        or any(
            getattr(row, "item", None) in numbers
            for rows in (doc.kpis, doc.summaries, doc.series, doc.outputs, doc.figures)
            for row in rows
        )
    ):
        return doc
    copy = Document.from_dict(doc.to_dict())
    copy.items = [it for it in copy.items if it.number not in numbers]
    for name in ("kpis", "summaries", "series", "outputs", "figures"):
        setattr(copy, name, [r for r in getattr(copy, name) if r.item not in numbers])
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
    with_minutes = [d for d in docs if d.kind == "minutes" and d.attendance]
    for d in with_minutes or docs:
        meeting.attendance.extend(d.attendance)
    meeting.items = merge_items(docs, owned)
    return meeting


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
            have = merged.get(it.number)
            if have is None:
                merged[it.number] = it if owned else _copy(it)
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
    people: dict[str, Person] = {}

    def get(key: str) -> Person:
        if key not in people:
            people[key] = Person(key=key)
        return people[key]

    for m in sorted(meetings, key=lambda m: m.date):
        for a in m.attendance:
            p = get(a.person or "")
            _add(p.names, a.name)
            _add(p.roles, a.role)
            _add(p.authorities, a.authority)
            _add(p.groups, a.group)
            p.meetings.append(
                Appearance(
                    meeting=m.id,
                    date=m.date,
                    status=a.status,
                    role=a.role,
                    authority=a.authority,
                    name=a.name,
                )
            )
        for mem in m.membership:
            p = get(mem.person or "")
            _add(p.names, mem.name)
            _add(p.roles, mem.role)
            _add(p.authorities, mem.authority)
            _add(p.groups, mem.group)
    people.pop("", None)
    return dict(sorted(people.items()))


def _add(values: list[str], value: str | None) -> None:
    if value and value not in values:
        values.append(value)
