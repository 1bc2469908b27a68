"""Where two attendance lists of one meeting disagree: shown, with the source of each.

A meeting's attendance is taken from its minutes (see docs/format.md); an attendance record of
the same meeting (the 2017/18 record's column for 22 March 2018) may say otherwise. The merge
keeps every document's list (:attr:`Meeting.attendance_sources`), and this module says where
they disagree, person by person, so the counts can show both instead of settling it silently.

Two lists disagree about a person when one says they attended (present, or in attendance) and
the other says they did not (apologies, absent), or when one lists them as present and the
other does not name them at all. Apologies against absent is no disagreement (a record of
"Yes" and "No" cannot tell apologies from absence), nor is a guest "in attendance" whom a
record of the board's members does not name.

Headless: no Textual, no Rich.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .keys import person_key
from .model import STATUS_LABELS, AttendanceList, Meeting, strip_name

__all__ = [
    "AttendanceConflict",
    "SourceSays",
    "by_person",
    "conflicts",
    "describe",
    "source_label",
]

ATTENDED = ("present", "in_attendance")
KIND_LABELS = {
    "minutes": "minutes",
    "agenda": "agenda pack",
    "attendance": "attendance record",
    "other": "document",
}


@dataclass(frozen=True, slots=True)
class SourceSays:
    """What one document says of a person at a meeting: a status, or None (not named)."""

    path: str
    kind: str
    counted: bool
    status: str | None
    role: str | None = None

    @property
    def label(self) -> str:
        return source_label(self.kind, self.path)

    def said(self) -> str:
        return "not listed" if self.status is None else STATUS_LABELS.get(self.status, self.status)

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "kind": self.kind, "counted": self.counted,
                "status": self.status}  # fmt: skip


@dataclass(frozen=True, slots=True)
class AttendanceConflict:
    """One person at one meeting, of whom the meeting's documents say different things."""

    meeting: str
    date: str
    person: str
    name: str
    sources: tuple[SourceSays, ...]

    @property
    def counted(self) -> str | None:
        """The status the meeting's attendance (and the person's counts) take: the minutes'."""
        return next((s.status for s in self.sources if s.counted), None)

    def others(self) -> list[SourceSays]:
        return [s for s in self.sources if not s.counted]

    def to_dict(self) -> dict[str, object]:
        return {
            "person": self.person,
            "name": self.name,
            "counted": self.counted,
            "sources": [s.to_dict() for s in self.sources],
        }


def source_label(kind: str, path: str) -> str:
    """``attendance record (2018-03-22-…-attendance.md)``: the kind, then the file's name."""
    return f"{KIND_LABELS.get(kind, kind)} ({path.rsplit('/', 1)[-1]})"


def _listed(source: AttendanceList) -> dict[str, tuple[str, str, str | None]]:
    """Person key → (name, status, role) in one list; the first status in the list's order
    of precedence when a person is named twice (present before the rest)."""
    out: dict[str, tuple[str, str, str | None]] = {}
    for a in source.attendance:
        key = a.person or person_key(a.name)
        have = out.get(key)
        if have is None or (a.status in ATTENDED and have[1] not in ATTENDED):
            out[key] = (a.name, a.status, a.role)
    return out


def _disagree(statuses: list[str | None]) -> bool:
    attended = [s in ATTENDED for s in statuses if s is not None]
    if any(attended) and not all(attended):
        return True  # attended in one, apologies or absent in another
    # present in one, not named in another (a guest in attendance is not a record's to name)
    return None in statuses and "present" in statuses


def conflicts(meeting: Meeting) -> list[AttendanceConflict]:
    """The people of whom the meeting's attendance lists disagree, in the order first named."""
    sources = meeting.attendance_sources
    if len(sources) < 2:
        return []
    lists = [_listed(s) for s in sources]
    order: dict[str, str] = {}
    for listed in lists:
        for key, (name, _, _) in listed.items():
            order.setdefault(key, name)
    out: list[AttendanceConflict] = []
    for key, name in order.items():
        says = []
        for source, listed in zip(sources, lists, strict=True):
            found = listed.get(key)
            says.append(
                SourceSays(
                    source.path,
                    source.kind,
                    source.counted,
                    found[1] if found else None,
                    found[2] if found else None,
                )
            )
        if _disagree([s.status for s in says]):
            out.append(
                AttendanceConflict(meeting.id, meeting.date, key, strip_name(name), tuple(says))
            )
    return out


def by_person(meetings: Iterable[Meeting]) -> dict[str, list[AttendanceConflict]]:
    """Every conflict of every meeting, by person key, oldest meeting first."""
    out: dict[str, list[AttendanceConflict]] = {}
    for m in sorted(meetings, key=lambda m: m.date):
        for c in conflicts(m):
            out.setdefault(c.person, []).append(c)
    return out


def describe(conflict: AttendanceConflict, with_date: bool = True) -> str:
    """``2018-03-22: minutes (…-minutes.md) not listed (counted); attendance record
    (…-attendance.md) present`` — one line, every source with what it says."""
    parts = []
    for s in conflict.sources:
        parts.append(f"{s.label} {s.said().lower()}{' (counted)' if s.counted else ''}")
    text = "; ".join(parts)
    return f"{conflict.date}: {text}" if with_date else text
