"""The people an agenda pack names: the board's membership and its attendance record.

- the **membership** (``Membership 2018/19``): each member's name, authority, political group
  (a heading ``Labour Group (12)``) and role (``Substitutes`` and ``Observers`` set it for the
  lines that follow; a role in brackets after a name, or on the next line, is that member's);
  a line not read as a member is kept in the notes, with a warning;
- the **attendance record** (``Attendance 2018-19``): one document per meeting column (Yes →
  present, No → absent, blank → not listed), the record's headings giving each row its group
  and role; a name printed one letter away from a member's is taken as that member.

:mod:`.agenda_pack` reads the rest of the pack's structure and hands these readers its lines.
"""

from __future__ import annotations

import re
from typing import Protocol

from ..keys import person_key
from ..model import Attendee, Document, Member
from .base import ImportedDocument, parse_slash_date
from .pack_tables import _cells

_AGENDA = re.compile(r"^\s*Agenda\s*$")
_MEMBERSHIP = re.compile(r"Membership\s+(?P<y1>\d{4})\s*/\s*(?P<y2>\d{2,4})", re.I)
_RECORD = re.compile(r"Attendance\s+(?P<y1>\d{4})\s*[-/]\s*(?P<y2>\d{2,4})\s*$", re.I)
_GROUP = re.compile(r"^(?P<group>[A-Z][A-Za-z ]++)\s*+\((?P<n>\d+)\)\s*+$")  # linear on blanks


class PackLines(Protocol):
    """What the readers take from a pack: its lines, its path (``source``) and file name, and
    where they record the lines they read (``used``), their warnings and the notes of lines
    they could not place (``stray_notes``)."""

    lines: list[str]
    source: str
    name: str
    used: set[int]
    warnings: list[str]
    stray_notes: list[str]


def _open_bracket(text: str) -> int | None:
    r"""Where ``(…`` left open at the end starts (``re.search(r"\([^)]*$")``, in linear time)."""
    start = text.find("(", text.rfind(")") + 1)
    return start if start >= 0 else None


def _closing_bracket(text: str) -> int | None:
    r"""Where ``(…)`` closing the text starts (``re.search(r"\([^)]*\)\s*$")``, linear)."""
    end = len(text.rstrip()) - 1
    if end < 0 or text[end] != ")":
        return None
    start = text.find("(", text.rfind(")", 0, end) + 1, end)
    return start if start >= 0 else None


def membership(pack: PackLines) -> list[Member]:
    """The members listed under "Membership 2018/19"; the lines it reads go in ``pack.used``,
    those it cannot read as members in the warnings and the notes."""
    lines = pack.lines
    start = next((i for i, ln in enumerate(lines) if _MEMBERSHIP.search(ln)), None)
    if start is None:
        return []
    m = _MEMBERSHIP.search(lines[start])
    assert m is not None  # the line was found by this search
    y1, y2 = m.group("y1"), m.group("y2")
    period = f"{y1}/{y2[-2:]}"
    members: list[Member] = []
    group = None
    role_default = None
    stray: list[str] = []
    for i in range(start + 1, len(lines)):
        ln = lines[i]
        if _RECORD.search(ln) or _AGENDA.match(ln):
            break
        cells = [c for c in _cells(ln)]
        first = cells[0] if cells else ""
        second = cells[1] if len(cells) > 1 else ""
        if not first and not second:
            continue
        pack.used.add(i)
        if first.lower() in ("councillor", "councillors") and second.lower() == "authority":
            continue
        g = _GROUP.match(first)
        if g and not second:
            group, role_default = g.group("group").strip(), "Member"
            continue
        if first.lower() in ("substitutes", "substitute"):
            role_default = "Substitute"
            if second:
                stray.append(ln.strip())
            continue
        if first.lower() in ("observers", "observer"):
            group, role_default = None, "Observer"
            if second:
                stray.append(ln.strip())
            continue
        paren = re.fullmatch(r"\(?([A-Za-z -]+?)\)?", first) if not second else None
        if (
            first.startswith("(")
            or (paren and first.endswith(")"))
            or (members and not second and re.fullmatch(r"[A-Za-z-]+\)", first))
        ):
            # "(Chairman)" or the end of "(Deputy" / "Chair)" on the next line
            if second or not members:
                stray.append(ln.strip())  # more than a role, or nobody to give it to
            if members:
                last = members[-1]
                if last.role and last.role.endswith("(open)"):
                    last.role = " ".join((last.role[:-6] + " " + first.strip("()")).split())
                else:
                    last.role = first.strip("()").strip()
            continue
        if not re.match(
            r"^(Cllr|Clir|Councillor|Mayor|Mr|Mrs|Ms|Sir|Dame|Dr|Lord|Baroness)\b", first
        ) and not (
            role_default == "Observer" and re.fullmatch(r"[A-Z][a-z]+( [A-Z][a-z'-]+)+", first)
        ):
            stray.append(ln.strip())
            continue
        name, role = first, role_default
        closed, open_role = _closing_bracket(name), _open_bracket(name)
        if closed is not None:
            role = name[closed + 1 : name.rstrip().rfind(")")].strip()
            name = name[:closed].strip()
        elif open_role is not None:
            role = name[open_role + 1 :].strip() + " (open)"
            name = name[:open_role].strip()
        members.append(
            Member(
                name=name,
                authority=second or None,
                group=group,
                role=role,
                period=period,
                person=person_key(name),
            )
        )
    for mem in members:
        if mem.role and mem.role.endswith("(open)"):
            mem.role = mem.role[:-6].strip()
    if stray:
        pack.warnings.append(
            f"membership: {len(stray)} line(s) not read as members (kept in the notes): "
            + "; ".join(stray)
        )
        pack.stray_notes.append("Membership lines not read as members: " + " | ".join(stray))
    return members


def attendance_record(pack: PackLines, board: str, members: list[Member]) -> list[ImportedDocument]:
    """One attendance document per meeting column of the "Attendance 2018-19" record (names
    one letter away from a member's are taken as that member)."""
    lines = pack.lines
    start = next((i for i, ln in enumerate(lines) if _RECORD.search(ln)), None)
    if start is None:
        return []
    title = lines[start].strip()
    header_at = None
    for i in range(start + 1, min(len(lines), start + 10)):
        cells = _cells(lines[i])
        if sum(1 for c in cells if parse_slash_date(c)) >= 1:
            header_at = i
            break
    if header_at is None:
        pack.warnings.append("attendance record: no header row with meeting dates")
        return []
    # the title and the header row are read; text printed between them is not, and is
    # kept with the rest of what no reader places
    pack.used.update({start, header_at})
    head = _cells(lines[header_at])
    columns = [
        (j, c, day)
        for j, c in enumerate(head)
        if parse_slash_date(c) and (day := parse_slash_date(c, pack.warnings, lines))
    ]
    docs = {
        j: Document(
            path=pack.source,
            board=board,
            date=d,
            kind="attendance",
            title=title,
            source=f"{pack.name} (attendance record)",
            notes=[
                "Yes is recorded as present and No as absent: the record does not say "
                "whether apologies were sent. A blank cell is not listed.",
                f"The record's date column for this meeting is headed '{printed}'.",
            ],
        )
        for j, printed, d in columns
    }
    known = {m.person or person_key(m.name) for m in members}
    group = None
    group_used = False
    unused: list[str] = []
    for i in range(header_at + 1, len(lines)):
        ln = lines[i]
        if not ln.strip():
            continue
        if _AGENDA.match(ln):
            break
        cells = _cells(ln)
        name = cells[0]
        values = {j: (cells[j] if j < len(cells) else "") for j, _, _ in columns}
        marks = {j: v.lower() for j, v in values.items() if v}
        pack.used.add(i)
        if not name:
            continue
        if not marks or all(v not in ("yes", "no") for v in marks.values()):
            if group is not None and not group_used:
                unused.append(group)  # a heading with no rows under it
            group, group_used = name, False
            if marks:
                for j, v in values.items():
                    if v:
                        docs[j].notes.append(
                            f"The record's heading {name!r} reads {v!r} in this meeting's "
                            "column; not attendance data."
                        )
            if marks:
                pack.warnings.append(
                    f"attendance record: heading {name!r} has {' '.join(values.values()).strip()!r} "
                    "in the date columns; not attendance data"
                )
            continue
        role = _role_for_group(group)
        group_used = True
        person = person_key(name)
        note = None
        if person not in known and known:
            near = [k for k in known if _close(k, person)]
            if len(near) == 1:
                note = f"printed '{name}'; taken as {near[0]} from the membership list"
                person = near[0]
        for j, v in marks.items():
            if v not in ("yes", "no"):
                pack.warnings.append(
                    f"attendance record: {name}: {values[j]!r} is neither Yes nor No; not "
                    "recorded as attendance (kept in the notes)"
                )
                docs[j].notes.append(
                    f"{name}: the record reads {values[j]!r}, neither Yes nor No; not "
                    "recorded as attendance."
                )
                continue
            docs[j].attendance.append(
                Attendee(
                    name=name,
                    status="present" if v == "yes" else "absent",
                    role=role,
                    group=group,
                    person=person,
                    note=note,
                )
            )
    if group is not None and not group_used:
        unused.append(group)
    if unused:
        pack.warnings.append(
            f"attendance record: {len(unused)} heading(s) with no rows under them are kept "
            "in the notes: " + "; ".join(unused)
        )
        for d in docs.values():
            d.notes.append("Headings in the record with no rows under them: " + "; ".join(unused))
    return [ImportedDocument(d) for d in docs.values()]


def _close(a: str, b: str) -> bool:
    """Edit distance at most 1 (one letter missing, extra or wrong)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:k] + long_[k + 1 :] == short for k in range(len(long_)))


def _role_for_group(group: str | None) -> str:
    if not group:
        return "Member"
    if re.search(r"substitute|observer|peer|officer|adviser", group, re.I):
        parts = [p.strip() for p in group.split("/")]
        return " / ".join(p[:-1] if p.endswith("s") else p for p in parts)
    return "Member"
