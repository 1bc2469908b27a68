"""Each board's membership per period: role, political group and authority, from the
membership lists (frontmatter ``membership``) and every attendance list of its meetings.

The records print one thing many ways, and this module reads them as one:

- roles: ``Chairman`` and ``Chair``; ``Deputy-chairman``, ``Deputy Chair`` and ``Deputy-chair``
  (:func:`role_name`);
- groups: ``Labour Group`` and ``Labour``, ``Lib Dem Group`` and ``Liberal Democrat``
  (:func:`group_name`);
- a heading printed where a group goes that names a role (``Lead Peers``, ``Observers``,
  ``Substitutes / Observers``) is a role, not a group; a group printed in the authority column
  (``LGA Independent Group``) is a group, not an authority (:func:`classify`).

A meeting belongs to the period of the councils' year it falls in: from August to July, so
the 2017/18 list covers the meetings of 1 November 2017 to 24 May 2018, and the meeting of
21 July 2023 ("the last meeting of the LGA year") closes 2022/23 (:func:`period_of`).

Guests named only "in attendance" (officers, speakers) are not members and are left out.

Headless: no Textual, no Rich.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .keys import person_key
from .library import Library
from .model import Attendee, Meeting, Member, strip_name
from .text import one_line

__all__ = [
    "MembershipRow",
    "Placement",
    "classify",
    "group_name",
    "matches",
    "membership",
    "period_name",
    "period_of",
    "role_name",
]

YEAR_STARTS = 8  # August: the month from which a meeting counts in the next period

# folded role (lower case, hyphens as spaces, no plural s) → the one name shown
ROLES = {
    "chairman": "Chair",
    "chair": "Chair",
    "chairwoman": "Chair",
    "chairperson": "Chair",
    "vice chairman": "Vice-Chair",
    "vice chair": "Vice-Chair",
    "vice chairwoman": "Vice-Chair",
    "deputy chairman": "Deputy Chair",
    "deputy chair": "Deputy Chair",
    "deputy chairwoman": "Deputy Chair",
    "member": "Member",
    "board member": "Member",
    "substitute": "Substitute",
    "sub": "Substitute",
    "observer": "Observer",
    "independent observer": "Independent Observer",
    "lead peer": "Lead Peer",
    "substitute / observer": "Substitute / Observer",
    "substitute observer": "Substitute / Observer",
}
ROLE_ORDER = (
    "Chair",
    "Vice-Chair",
    "Deputy Chair",
    "Member",
    "Substitute",
    "Substitute / Observer",
    "Observer",
    "Independent Observer",
    "Lead Peer",
)
# folded group → the one name shown
GROUPS = {
    "conservative": "Conservative",
    "conservatives": "Conservative",
    "labour": "Labour",
    "liberal democrat": "Liberal Democrat",
    "liberal democrats": "Liberal Democrat",
    "lib dem": "Liberal Democrat",
    "lib dems": "Liberal Democrat",
    "independent": "Independent",
    "independents": "Independent",
    "green": "Green",
    "greens": "Green",
}
_GROUP_WORDS = re.compile(r"^(?:lga\s+)?(.+?)(?:\s+group)?$")
_PERIOD = re.compile(r"^\s*(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})\s*$")


def _fold(text: str) -> str:
    """Lower case, brackets dropped, hyphens and runs of blanks as one space, slashes spaced."""
    text = one_line(text).casefold().replace("(", " ").replace(")", " ")
    text = re.sub(r"[-‐‑–_]", " ", text)
    text = re.sub(r"\s*/\s*", " / ", text)
    return " ".join(text.split())


def _singular(folded: str) -> str:
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in folded.split(" "))


def role_name(text: str | None) -> str | None:
    """The role as one name whichever way it is printed: ``Deputy-chairman``, ``Deputy Chair``
    and ``Deputy-chair`` are ``Deputy Chair``; ``Lead Peers`` is ``Lead Peer``. A role this
    module does not know is kept as printed (on one line)."""
    if not text or not text.strip():
        return None
    folded = _fold(text)
    found = ROLES.get(folded) or ROLES.get(_singular(folded))
    return found or one_line(text).strip()


def _known_role(text: str | None) -> str | None:
    """The role ``text`` names, only when it is one this module knows (else None)."""
    if not text:
        return None
    folded = _fold(text)
    return ROLES.get(folded) or ROLES.get(_singular(folded))


def group_name(text: str | None) -> str | None:
    """The political group as one name: ``Labour Group`` and ``Labour`` are ``Labour``,
    ``Lib Dem Group`` is ``Liberal Democrat``, ``LGA Independent Group`` is ``Independent``.
    A group this module does not know is kept as printed, without a trailing ``Group``."""
    if not text or not text.strip():
        return None
    folded = _fold(text)
    core = _GROUP_WORDS.match(folded)
    key = core.group(1) if core else folded
    if key in GROUPS:
        return GROUPS[key]
    kept = one_line(text).strip()
    return re.sub(r"\s+[Gg]roup$", "", kept) or kept


def _names_a_group(text: str | None) -> bool:
    """Whether an authority cell names a political group (``LGA Independent Group``,
    ``Labour Group``) rather than a council or body."""
    if not text:
        return False
    folded = _fold(text)
    core = _GROUP_WORDS.match(folded)
    if core is None or not (folded.endswith(" group") or folded.startswith("lga ")):
        return False
    return core.group(1) in GROUPS


@dataclass(frozen=True, slots=True)
class Placement:
    """A person's role, group and authority as one record gives them, read as one name each."""

    role: str | None
    group: str | None
    authority: str | None


def classify(role: str | None, group: str | None, authority: str | None) -> Placement:
    """Role, group and authority as printed → what they are.

    A group heading that names a role (``Lead Peers``, ``Observers``, ``Substitutes /
    Observers``) gives the role when the record gives none, or only ``Member``, and is no group.
    An authority cell that names a political group (``LGA Independent Group``) is the group,
    and no authority; one that names a role (``Independent Observer``) is the role."""
    out_role = role_name(role)
    out_group = group_name(group)
    out_authority = one_line(authority).strip() if authority and authority.strip() else None
    as_role = _known_role(group)
    if as_role is not None:
        out_group = None
        if out_role in (None, "Member"):
            out_role = as_role
    if out_authority is not None:
        if _names_a_group(out_authority):
            out_group = out_group or group_name(out_authority)
            out_authority = None
        elif (authority_role := _known_role(out_authority)) is not None:
            if out_role in (None, "Member"):
                out_role = authority_role
            out_authority = None
    return Placement(out_role, out_group, out_authority)


def period_of(date: str) -> str:
    """The period (councils' year, August to July) of a meeting date: ``2018-03-22`` →
    ``2017/18``, ``2023-07-21`` → ``2022/23``, ``2023-09-14`` → ``2023/24``."""
    year, month = int(date[:4]), int(date[5:7])
    start = year if month >= YEAR_STARTS else year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def period_name(text: str | None) -> str | None:
    """A period as printed, in one form: ``2017/2018``, ``2017-18`` → ``2017/18``; any other
    text as printed."""
    if not text or not text.strip():
        return None
    found = _PERIOD.match(text)
    if found is None:
        return one_line(text).strip()
    start, end = found.groups()
    if len(end) == 4 and int(end) == int(start) + 1:
        end = end[2:]
    return f"{start}/{end}"


@dataclass(slots=True)
class MembershipRow:
    """One person on one board in one period, from every record that places them there."""

    board: str
    period: str
    person: str
    name: str
    roles: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    authorities: list[str] = field(default_factory=list)
    listed: bool = False  # named in the period's membership list
    meetings: set[str] = field(default_factory=set)  # meetings whose attendance names them

    def shown_roles(self) -> list[str]:
        """The roles, without the ones another says more exactly: ``Member`` (what a record
        of "Yes" and "No" gives everyone) beside ``Chair``; ``Substitute / Observer`` (a
        heading of the record) beside ``Substitute``."""
        out = list(self.roles)
        parts = {p for r in out for p in r.split(" / ") if " / " not in r}
        combined = [r for r in out if " / " in r and parts & set(r.split(" / "))]
        out = [r for r in out if r not in combined]
        if len(out) > 1 and "Member" in out:
            out.remove("Member")
        return out

    @property
    def role(self) -> str:
        return " / ".join(self.shown_roles())

    @property
    def group(self) -> str:
        return " / ".join(self.groups) if self.groups else ""

    @property
    def authority(self) -> str:
        return "; ".join(self.authorities) if self.authorities else ""

    def source(self) -> str:
        """``list``, ``list, 3 meetings``, ``1 meeting``: where the row comes from."""
        parts = ["list"] if self.listed else []
        n = len(self.meetings)
        if n:
            parts.append(f"{n} meeting{'s' if n != 1 else ''}")
        return ", ".join(parts)

    def haystack(self) -> str:
        return " ".join(
            [self.name, self.period, self.board, self.role, self.group, self.authority]
        ).casefold()

    @property
    def sort_key(self) -> tuple:
        shown = self.shown_roles()
        first = shown[0] if shown else ""
        rank = ROLE_ORDER.index(first) if first in ROLE_ORDER else len(ROLE_ORDER)
        return (rank, first.casefold(), self.group.casefold(), self.name.casefold())


def _add(values: list[str], value: str | None) -> None:
    if value and value not in values:
        values.append(value)


class _Collect:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, str], MembershipRow] = {}

    def place(
        self, board: str, period: str, key: str, name: str, placed: Placement
    ) -> MembershipRow:
        row = self.rows.get((board, period, key))
        if row is None:
            row = self.rows[(board, period, key)] = MembershipRow(
                board, period, key, strip_name(one_line(name)) or key
            )
        _add(row.roles, placed.role)
        _add(row.groups, placed.group)
        _add(row.authorities, placed.authority)
        return row

    def member(self, m: Meeting, mem: Member) -> None:
        key = mem.person or person_key(mem.name)
        if not key:
            return
        period = period_name(mem.period) or period_of(m.date)
        placed = classify(mem.role, mem.group, mem.authority)
        self.place(m.board, period, key, mem.name, placed).listed = True

    def attendee(self, m: Meeting, a: Attendee) -> None:
        key = a.person or person_key(a.name)
        if not key or a.status == "in_attendance":
            return  # a guest is no member
        placed = classify(a.role, a.group, a.authority)
        self.place(m.board, period_of(m.date), key, a.name, placed).meetings.add(m.id)


def _attendance_lists(m: Meeting) -> Iterable[list[Attendee]]:
    if m.attendance_sources:
        return [s.attendance for s in m.attendance_sources]
    return [m.attendance]


def membership(library: Library | Iterable[Meeting]) -> list[MembershipRow]:
    """Every board's membership per period: by board, newest period first, then by role
    (Chair first), group and name. The membership lists come first, so a person's role is
    the list's before an attendance list's (``Observer`` on the list, ``Member`` in a note)."""
    meetings = library.meetings if isinstance(library, Library) else list(library)
    collect = _Collect()
    for m in meetings:
        for mem in m.membership:
            collect.member(m, mem)
    for m in sorted(meetings, key=lambda m: m.date):
        for listed in _attendance_lists(m):
            for a in listed:
                collect.attendee(m, a)
    rows = list(collect.rows.values())
    rows.sort(key=lambda r: r.sort_key)
    rows.sort(key=lambda r: r.period, reverse=True)
    rows.sort(key=lambda r: r.board.casefold())
    return rows


def matches(row: MembershipRow, text: str) -> bool:
    """Whether every word of ``text`` is in the row (name, role, group, authority, period,
    board): ``Labour`` finds the Labour group however a record prints it."""
    haystack = row.haystack()
    return all(w in haystack for w in text.casefold().split())
