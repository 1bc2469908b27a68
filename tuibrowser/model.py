"""The domain model: documents as parsed from files, and meetings as merged from documents.

Plain dataclasses, no I/O, no Textual. Every class converts to and from plain dicts
(``to_dict`` / ``from_dict``) so the cache and the exports share one shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from .base import DictRoundTrip
from .keys import item_key, meeting_id, number_key, strip_name

STATUSES = ("present", "apologies", "in_attendance", "absent")
STATUS_LABELS = {
    "present": "Present",
    "apologies": "Apologies",
    "in_attendance": "In attendance",
    "absent": "Absent",
}
STATUS_MEANINGS = {
    "present": "a member, substitute or observer who attended the meeting",
    "apologies": "a member who sent apologies for absence",
    "in_attendance": "attended without being a member of the board (guests, other councillors)",
    "absent": "listed as not attending, without apologies recorded",
}
RATINGS = ("green", "amber", "red", "blue", "not_stated")
RATING_LETTERS = {"green": "G", "amber": "A", "red": "R", "blue": "B", "not_stated": "-"}
RATING_LABELS = {
    "green": "Green",
    "amber": "Amber",
    "red": "Red",
    "blue": "Blue (delivered)",
    "not_stated": "Not stated",
}
KINDS = ("minutes", "agenda", "attendance", "other")
RECORD_STATUSES = ("draft", "agreed", "published", "unknown")


@dataclass(slots=True)
class Problem(DictRoundTrip):
    """Something wrong with a file: an ``error`` makes the file skipped, a ``warning`` does not.

    ``item`` is the number of the agenda item the problem was met in (its heading or body, or
    a frontmatter row reported under it), if any: ``--public`` withholds the message of a
    problem in a confidential item."""

    path: str
    line: int | None
    message: str
    severity: str = "error"
    item: str | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"


@dataclass(slots=True)
class NextMeeting(DictRoundTrip):
    date: str | None = None
    time: str | None = None
    venue: str | None = None


@dataclass(slots=True)
class Report(DictRoundTrip):
    """The report an agenda pack carries for an item: what was proposed."""

    purpose: str | None = None
    summary: str | None = None
    recommendation: str | None = None
    proposed_action: str | None = None
    contact: str | None = None
    text: str = ""


@dataclass(slots=True)
class Item(DictRoundTrip):
    """One agenda item. ``number`` is the agenda number as printed; ``order`` the order taken."""

    number: str
    title: str
    order: int | None = None
    confidential: bool = False
    minute: str = ""
    report: Report | None = None
    decisions: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    note: str | None = None
    path: str | None = None
    line: int | None = None

    _nested: ClassVar[dict[str, type]] = {"report": Report}

    @property
    def sort_key(self) -> tuple:
        return number_key(self.number)


@dataclass(slots=True)
class Attendee(DictRoundTrip):
    name: str
    status: str
    role: str | None = None
    authority: str | None = None
    group: str | None = None
    person: str | None = None
    note: str | None = None


@dataclass(slots=True)
class Member(DictRoundTrip):
    """Board membership for a year, by political group."""

    name: str
    authority: str | None = None
    group: str | None = None
    role: str | None = None
    period: str | None = None
    person: str | None = None


@dataclass(slots=True)
class Kpi(DictRoundTrip):
    code: str
    rating: str = "not_stated"
    theme: str | None = None
    period: str | None = None
    target: str | None = None
    target_value: float | None = None
    delivered: str | None = None
    actual_value: float | None = None
    item: str | None = None
    code_printed: str | None = None
    note: str | None = None


@dataclass(slots=True)
class Summary(DictRoundTrip):
    """A performance summary as the report states it (not derived from rows)."""

    period: str | None = None
    label: str | None = None
    total: int | None = None
    green: int | None = None
    amber: int | None = None
    red: int | None = None
    blue: int | None = None
    item: str | None = None
    note: str | None = None


@dataclass(slots=True)
class Point(DictRoundTrip):
    period: str
    value: float | None = None


@dataclass(slots=True)
class Series(DictRoundTrip):
    name: str
    unit: str | None = None
    points: list[Point] = field(default_factory=list)
    item: str | None = None
    note: str | None = None

    _nested_lists: ClassVar[dict[str, type]] = {"points": Point}


@dataclass(slots=True)
class Output(DictRoundTrip):
    """A programme output with its RAG rating (e.g. the Productivity Programme table)."""

    project: str
    output: str | None = None
    rating: str = "not_stated"
    reference: str | None = None
    period: str | None = None
    item: str | None = None


@dataclass(slots=True)
class Figure(DictRoundTrip):
    """A financial or other stated figure, e.g. grant £21m."""

    name: str
    value: float | None = None
    unit: str | None = None
    text: str | None = None
    period: str | None = None
    item: str | None = None


@dataclass(slots=True)
class LinkedDocument(DictRoundTrip):
    """A document a meeting links (an agenda pack, a report, printed minutes): the frontmatter
    key ``documents``. ``file`` is where a copy was saved, relative to the meetings folder;
    ``note`` says why there is none (``restricted, not downloaded``)."""

    title: str
    url: str | None = None
    file: str | None = None
    size: int | None = None
    sha256: str | None = None
    kind: str | None = None
    item: str | None = None
    note: str | None = None


LINKED_KINDS = ("agenda pack", "report", "minutes", "other")


@dataclass(slots=True)
class Section(DictRoundTrip):
    """A part of a document that is not an agenda item (preamble, appendix, notes)."""

    title: str
    text: str = ""


@dataclass(slots=True)
class Document(DictRoundTrip):
    """One meeting file, parsed. Several documents can describe one meeting."""

    path: str
    board: str
    date: str
    kind: str = "minutes"
    title: str | None = None
    time: str | None = None
    venue: str | None = None
    status: str | None = None
    cancelled: bool = False
    source: str | None = None
    next_meeting: NextMeeting | None = None
    items: list[Item] = field(default_factory=list)
    attendance: list[Attendee] = field(default_factory=list)
    membership: list[Member] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    summaries: list[Summary] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    restricted: bool = False
    documents: list[LinkedDocument] = field(default_factory=list)
    # ``--public`` only: the keys of the items withheld from this document (``*`` when every
    # item is, a file of the meeting being unread). Never text: the list of confidential items
    # says from them that items were withheld, and how many.
    withheld: list[str] = field(default_factory=list)

    _nested: ClassVar[dict[str, type]] = {"next_meeting": NextMeeting}
    _nested_lists: ClassVar[dict[str, type]] = {
        "items": Item,
        "attendance": Attendee,
        "membership": Member,
        "kpis": Kpi,
        "summaries": Summary,
        "series": Series,
        "outputs": Output,
        "figures": Figure,
        "sections": Section,
        "documents": LinkedDocument,
    }

    @property
    def meeting_id(self) -> str:
        return meeting_id(self.board, self.date)


@dataclass(slots=True)
class DocumentRef(DictRoundTrip):
    kind: str
    path: str
    title: str | None = None
    source: str | None = None


@dataclass(slots=True)
class AttendanceList(DictRoundTrip):
    """The attendance one document of a meeting gives, with the document it comes from; kept
    for a meeting two or more of whose documents give one (a note and an attendance record),
    so where they disagree both can be shown (see :mod:`tuibrowser.attendance_sources`).
    ``counted`` says whether it is the list the meeting's attendance is taken from."""

    path: str
    kind: str
    counted: bool = False
    attendance: list[Attendee] = field(default_factory=list)

    _nested_lists: ClassVar[dict[str, type]] = {"attendance": Attendee}


@dataclass(slots=True)
class Meeting(DictRoundTrip):
    """A meeting of a board on a date, merged from all the documents that describe it."""

    id: str
    board: str
    date: str
    time: str | None = None
    venue: str | None = None
    status: str | None = None
    cancelled: bool = False
    restricted: bool = False
    documents: list[DocumentRef] = field(default_factory=list)
    next_meeting: NextMeeting | None = None
    items: list[Item] = field(default_factory=list)
    attendance: list[Attendee] = field(default_factory=list)
    membership: list[Member] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    summaries: list[Summary] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # the documents its files link (frontmatter ``documents``); ``documents`` above are its files
    linked_documents: list[LinkedDocument] = field(default_factory=list)
    # every document's attendance list, when two or more documents give one (else empty)
    attendance_sources: list[AttendanceList] = field(default_factory=list)
    # ``--public`` only: the keys of the items withheld (see :attr:`Document.withheld`)
    withheld: list[str] = field(default_factory=list)

    _nested: ClassVar[dict[str, type]] = {"next_meeting": NextMeeting}
    _nested_lists: ClassVar[dict[str, type]] = {
        **Document._nested_lists,
        "documents": DocumentRef,
        "linked_documents": LinkedDocument,
        "attendance_sources": AttendanceList,
    }

    @property
    def kinds(self) -> list[str]:
        return sorted({d.kind for d in self.documents})

    def item(self, number: str) -> Item | None:
        """The item numbered ``number`` as a reader would match it (see :func:`item_key`)."""
        key = item_key(number)
        for it in self.items:
            if item_key(it.number) == key:
                return it
        return None

    def attendance_by_status(self) -> dict[str, list[Attendee]]:
        out: dict[str, list[Attendee]] = {s: [] for s in STATUSES}
        for a in self.attendance:
            out.setdefault(a.status, []).append(a)
        return out


@dataclass(slots=True)
class Appearance(DictRoundTrip):
    meeting: str
    date: str
    status: str
    role: str | None = None
    authority: str | None = None
    name: str | None = None


@dataclass(slots=True)
class Person(DictRoundTrip):
    key: str
    names: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    authorities: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    meetings: list[Appearance] = field(default_factory=list)
    # display_name, once worked out (not part of the record: a leading "_" keeps it out)
    _display: str | None = field(default=None, repr=False, compare=False)

    _nested_lists: ClassVar[dict[str, type]] = {"meetings": Appearance}

    @property
    def display_name(self) -> str:
        """The name most records print (without titles and honours), the latest on a tie,
        for lists: "Alan Connett" over a one-off "Alan Connet"."""
        if self._display is None:
            self._display = self._most_printed()
        return self._display

    def _most_printed(self) -> str:
        counts: dict[str, tuple[int, str]] = {}
        for a in self.meetings:
            if a.name:
                name = strip_name(a.name)
                n, _ = counts.get(name, (0, ""))
                counts[name] = (n + 1, a.date)
        if counts:
            return max(counts, key=lambda name: counts[name])
        return strip_name(self.names[0]) if self.names else self.key

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATUSES}
        for m in self.meetings:
            out[m.status] = out.get(m.status, 0) + 1
        return out
