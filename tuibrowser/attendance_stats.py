"""Per-person attendance: each person's meetings per attendance status, overall and by year.

Headless (no Textual, no Rich): the dashboard's attendance tab and the tests share these
functions. Not to be confused with :mod:`.importers.attendance`, which reads attendance lists
out of imported documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .attendance_sources import AttendanceConflict, by_person
from .keys import strip_name
from .library import Library
from .model import STATUSES, Appearance, Person

__all__ = [
    "PRECEDENCE_TEXT",
    "STATUS_PRECEDENCE",
    "DoubleListing",
    "PersonAttendance",
    "attendance",
    "attendance_years",
    "printed_name",
]

# When one person is listed with two statuses at one meeting (the 2020-05-21 note lists two
# members again under "In Attendance"), the meeting counts once, under the first of these.
STATUS_PRECEDENCE = ("present", "in_attendance", "apologies", "absent")
PRECEDENCE_TEXT = "present before in attendance before apologies before absent"


@dataclass(slots=True, frozen=True)
class DoubleListing:
    """One meeting at which a person is listed more than once: every status as listed, and the
    one the meeting is counted under."""

    meeting_id: str
    date: str
    statuses: tuple[str, ...]
    counted: str


@dataclass(slots=True)
class PersonAttendance:
    """One person's meetings per status, overall and by year (``"2018"`` → counts). Each
    meeting counts once (see :data:`STATUS_PRECEDENCE`); ``doubles`` lists the meetings at
    which the person is listed more than once; ``conflicts`` the meetings whose attendance
    lists disagree about the person (the counts take the minutes', see
    :mod:`.attendance_sources`)."""

    key: str
    name: str
    counts: dict[str, int]
    by_year: dict[str, dict[str, int]]
    doubles: list[DoubleListing] = field(default_factory=list)
    records: int = 0
    conflicts: list[AttendanceConflict] = field(default_factory=list)

    @property
    def meetings(self) -> int:
        return sum(self.counts.values())

    def doubled_years(self) -> set[str]:
        return {d.date[:4] for d in self.doubles}


def _rank(status: str) -> int:
    return STATUS_PRECEDENCE.index(status) if status in STATUS_PRECEDENCE else len(STATUSES)


def printed_name(person: Person) -> str:
    """The name as most attendance records print it, without titles or honours (the most
    recent spelling on a tie); ``Alan Connett`` over the ``Alan Connet`` of two lists."""
    tally: dict[str, list[int]] = {}
    for n, a in enumerate(person.meetings):
        name = strip_name(a.name or "")
        if name:
            entry = tally.setdefault(name, [0, n])
            entry[0] += 1
            entry[1] = n
    if not tally:
        return person.display_name
    return max(tally, key=lambda name: tuple(tally[name]))


def attendance(library: Library) -> list[PersonAttendance]:
    """Every person with at least one attendance record, most meetings first, then by name.

    Statuses count meetings, not records: a person listed twice at one meeting counts once,
    under the status that comes first in :data:`STATUS_PRECEDENCE`."""
    out: list[PersonAttendance] = []
    conflicts = by_person(library.meetings)
    for key, person in library.people.items():
        if not person.meetings:
            continue
        per_meeting: dict[str, list[Appearance]] = {}
        for a in person.meetings:
            per_meeting.setdefault(a.meeting, []).append(a)
        counts = {s: 0 for s in STATUSES}
        by_year: dict[str, dict[str, int]] = {}
        doubles: list[DoubleListing] = []
        for meeting_id, listed in per_meeting.items():
            status = min((a.status for a in listed), key=_rank)
            date = listed[0].date
            counts[status] = counts.get(status, 0) + 1
            year = by_year.setdefault(date[:4], {s: 0 for s in STATUSES})
            year[status] = year.get(status, 0) + 1
            if len(listed) > 1:
                doubles.append(
                    DoubleListing(meeting_id, date, tuple(a.status for a in listed), status)
                )
        out.append(
            PersonAttendance(
                key=key,
                name=printed_name(person),
                counts=counts,
                by_year=dict(sorted(by_year.items())),
                doubles=doubles,
                records=len(person.meetings),
                conflicts=conflicts.get(key, []),
            )
        )
    out.sort(key=lambda p: (-p.meetings, p.name.lower()))
    return out


def attendance_years(people: Iterable[PersonAttendance]) -> list[str]:
    return sorted({y for p in people for y in p.by_year})
