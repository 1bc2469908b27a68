"""The domain model: documents as parsed from files, and meetings as merged from documents.

Plain records, no I/O, no Textual: written out (:func:`tuibrowser.base.record`), each what
``@dataclass(slots=True)`` would make of its fields, without making it at import (a tenth of
a one-file refresh). Every class converts to and from plain dicts (``to_dict`` /
``from_dict``) so the cache and the exports share one shape. The parts of a document are in
:mod:`.model_parts`, and imported from here as well.
"""

from __future__ import annotations

from typing import ClassVar

from .base import NEW_LIST, DictRoundTrip, record
from .keys import item_key, meeting_id, strip_name
from .model_parts import (
    LINKED_KINDS,
    Attendee,
    Figure,
    Item,
    Kpi,
    LinkedDocument,
    Member,
    NextMeeting,
    Output,
    Point,
    Problem,
    Report,
    Section,
    Series,
    Summary,
)

__all__ = [
    "KINDS",
    "LINKED_KINDS",
    "RATINGS",
    "RATING_LABELS",
    "RATING_LETTERS",
    "RECORD_STATUSES",
    "STATUSES",
    "STATUS_LABELS",
    "STATUS_MEANINGS",
    "Appearance",
    "AttendanceList",
    "Attendee",
    "Document",
    "DocumentRef",
    "Figure",
    "Item",
    "Kpi",
    "LinkedDocument",
    "Meeting",
    "Member",
    "NextMeeting",
    "Output",
    "Person",
    "Point",
    "Problem",
    "Report",
    "Section",
    "Series",
    "Summary",
]

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


@record
class Document(DictRoundTrip):
    """One meeting file, parsed. Several documents can describe one meeting."""

    __slots__ = (
        "path",
        "board",
        "date",
        "kind",
        "title",
        "time",
        "venue",
        "status",
        "cancelled",
        "source",
        "next_meeting",
        "items",
        "attendance",
        "membership",
        "kpis",
        "summaries",
        "series",
        "outputs",
        "figures",
        "sections",
        "notes",
        "restricted",
        "documents",
        "withheld",
    )

    def __init__(
        self,
        path: str,
        board: str,
        date: str,
        kind: str = "minutes",
        title: str | None = None,
        time: str | None = None,
        venue: str | None = None,
        status: str | None = None,
        cancelled: bool = False,
        source: str | None = None,
        next_meeting: NextMeeting | None = None,
        items: list[Item] = NEW_LIST,
        attendance: list[Attendee] = NEW_LIST,
        membership: list[Member] = NEW_LIST,
        kpis: list[Kpi] = NEW_LIST,
        summaries: list[Summary] = NEW_LIST,
        series: list[Series] = NEW_LIST,
        outputs: list[Output] = NEW_LIST,
        figures: list[Figure] = NEW_LIST,
        sections: list[Section] = NEW_LIST,
        notes: list[str] = NEW_LIST,
        restricted: bool = False,
        documents: list[LinkedDocument] = NEW_LIST,
        withheld: list[str] = NEW_LIST,
    ) -> None:
        # ``--public`` only: the keys of the items withheld from this document (``*`` when every
        # item is, a file of the meeting being unread). Never text: the list of confidential items
        # says from them that items were withheld, and how many.
        self.path = path
        self.board = board
        self.date = date
        self.kind = kind
        self.title = title
        self.time = time
        self.venue = venue
        self.status = status
        self.cancelled = cancelled
        self.source = source
        self.next_meeting = next_meeting
        self.items = [] if items is NEW_LIST else items
        self.attendance = [] if attendance is NEW_LIST else attendance
        self.membership = [] if membership is NEW_LIST else membership
        self.kpis = [] if kpis is NEW_LIST else kpis
        self.summaries = [] if summaries is NEW_LIST else summaries
        self.series = [] if series is NEW_LIST else series
        self.outputs = [] if outputs is NEW_LIST else outputs
        self.figures = [] if figures is NEW_LIST else figures
        self.sections = [] if sections is NEW_LIST else sections
        self.notes = [] if notes is NEW_LIST else notes
        self.restricted = restricted
        self.documents = [] if documents is NEW_LIST else documents
        self.withheld = [] if withheld is NEW_LIST else withheld

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


@record
class DocumentRef(DictRoundTrip):
    __slots__ = ("kind", "path", "title", "source")

    def __init__(
        self, kind: str, path: str, title: str | None = None, source: str | None = None
    ) -> None:
        self.kind = kind
        self.path = path
        self.title = title
        self.source = source


@record
class AttendanceList(DictRoundTrip):
    """The attendance one document of a meeting gives, with the document it comes from; kept
    for a meeting two or more of whose documents give one (a note and an attendance record),
    so where they disagree both can be shown (see :mod:`tuibrowser.attendance_sources`).
    ``counted`` says whether it is the list the meeting's attendance is taken from."""

    __slots__ = ("path", "kind", "counted", "attendance")

    def __init__(
        self, path: str, kind: str, counted: bool = False, attendance: list[Attendee] = NEW_LIST
    ) -> None:
        self.path = path
        self.kind = kind
        self.counted = counted
        self.attendance = [] if attendance is NEW_LIST else attendance

    _nested_lists: ClassVar[dict[str, type]] = {"attendance": Attendee}


@record
class Meeting(DictRoundTrip):
    """A meeting of a board on a date, merged from all the documents that describe it."""

    __slots__ = (
        "id",
        "board",
        "date",
        "time",
        "venue",
        "status",
        "cancelled",
        "restricted",
        "documents",
        "next_meeting",
        "items",
        "attendance",
        "membership",
        "kpis",
        "summaries",
        "series",
        "outputs",
        "figures",
        "sections",
        "notes",
        "linked_documents",
        "attendance_sources",
        "withheld",
    )

    def __init__(
        self,
        id: str,
        board: str,
        date: str,
        time: str | None = None,
        venue: str | None = None,
        status: str | None = None,
        cancelled: bool = False,
        restricted: bool = False,
        documents: list[DocumentRef] = NEW_LIST,
        next_meeting: NextMeeting | None = None,
        items: list[Item] = NEW_LIST,
        attendance: list[Attendee] = NEW_LIST,
        membership: list[Member] = NEW_LIST,
        kpis: list[Kpi] = NEW_LIST,
        summaries: list[Summary] = NEW_LIST,
        series: list[Series] = NEW_LIST,
        outputs: list[Output] = NEW_LIST,
        figures: list[Figure] = NEW_LIST,
        sections: list[Section] = NEW_LIST,
        notes: list[str] = NEW_LIST,
        linked_documents: list[LinkedDocument] = NEW_LIST,
        attendance_sources: list[AttendanceList] = NEW_LIST,
        withheld: list[str] = NEW_LIST,
    ) -> None:
        # the documents its files link (frontmatter ``documents``); ``documents`` above are its files
        # every document's attendance list, when two or more documents give one (else empty)
        # ``--public`` only: the keys of the items withheld (see :attr:`Document.withheld`)
        self.id = id
        self.board = board
        self.date = date
        self.time = time
        self.venue = venue
        self.status = status
        self.cancelled = cancelled
        self.restricted = restricted
        self.documents = [] if documents is NEW_LIST else documents
        self.next_meeting = next_meeting
        self.items = [] if items is NEW_LIST else items
        self.attendance = [] if attendance is NEW_LIST else attendance
        self.membership = [] if membership is NEW_LIST else membership
        self.kpis = [] if kpis is NEW_LIST else kpis
        self.summaries = [] if summaries is NEW_LIST else summaries
        self.series = [] if series is NEW_LIST else series
        self.outputs = [] if outputs is NEW_LIST else outputs
        self.figures = [] if figures is NEW_LIST else figures
        self.sections = [] if sections is NEW_LIST else sections
        self.notes = [] if notes is NEW_LIST else notes
        self.linked_documents = [] if linked_documents is NEW_LIST else linked_documents
        self.attendance_sources = [] if attendance_sources is NEW_LIST else attendance_sources
        self.withheld = [] if withheld is NEW_LIST else withheld

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


@record
class Appearance(DictRoundTrip):
    __slots__ = ("meeting", "date", "status", "role", "authority", "name")

    def __init__(
        self,
        meeting: str,
        date: str,
        status: str,
        role: str | None = None,
        authority: str | None = None,
        name: str | None = None,
    ) -> None:
        self.meeting = meeting
        self.date = date
        self.status = status
        self.role = role
        self.authority = authority
        self.name = name


@record
class Person(DictRoundTrip):
    __slots__ = ("key", "names", "roles", "authorities", "groups", "meetings", "_display")
    _unshown = ("_display",)

    def __init__(
        self,
        key: str,
        names: list[str] = NEW_LIST,
        roles: list[str] = NEW_LIST,
        authorities: list[str] = NEW_LIST,
        groups: list[str] = NEW_LIST,
        meetings: list[Appearance] = NEW_LIST,
        _display: str | None = None,
    ) -> None:
        # display_name, once worked out (not part of the record: a leading "_" keeps it out)
        self.key = key
        self.names = [] if names is NEW_LIST else names
        self.roles = [] if roles is NEW_LIST else roles
        self.authorities = [] if authorities is NEW_LIST else authorities
        self.groups = [] if groups is NEW_LIST else groups
        self.meetings = [] if meetings is NEW_LIST else meetings
        self._display = _display

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
