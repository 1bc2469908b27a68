"""The attendance appendix of a ModernGov note: Position/Role, Councillor, Authority.

Three layouts are met in exports:

- one row per line, cells separated by tabs (``Chairman<TAB>Cllr …<TAB>Council``), with an
  honour sometimes on a line of its own (``<TAB>OBE<TAB>``);
- one cell per line, each line starting with a tab, three lines to a row; a cell may run on
  over several lines without a tab (the "In Attendance" block where all the names come first
  and all the authorities after);
- one line per block, each cell holding a whole run of names or authorities
  (``Chairman Vice-Chairman<TAB>Cllr A Mayor B<TAB>X Council Y Council``).

A row without a role continues the role above it (a second Deputy-chair), "Members" gives the
role Member, "Apologies" and "In Attendance" set the status of the rows that follow.
"""

from __future__ import annotations

import re

from ..keys import HONOURS
from ..model import Attendee

TITLE_WORDS = (
    "Cllr", "Clir", "Councillor", "Mayor", "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Sir", "Dame",
    "Lord", "Lady", "Baroness", "Professor", "Prof", "Rev",
)  # fmt: skip
_TITLE = "|".join(TITLE_WORDS)
_NAME_START = re.compile(rf"(?<![\w(])(?:{_TITLE})\.?\s")
_AUTHORITY_END = re.compile(r"(?<=\bCouncil)\s+(?=[A-Z])")
_AUTHORITY_LIKE = re.compile(
    r"\b(Council|Authority|Borough|District|County|Trust|Association|Group|Observer|"
    r"Development|Partnership)\b(\s*\([^()]*\))?\s*$"  # [^()]: linear on a run of "("
)

ROLE_HEADINGS = {
    "members": ("Member", "present"),
    "member": ("Member", "present"),
    "apologies": (None, "apologies"),
    "apologies for absence": (None, "apologies"),
    "in attendance": (None, "in_attendance"),
    "officers in attendance": (None, "in_attendance"),
    "substitutes": ("Substitute", "present"),
    "observers": ("Observer", "present"),
    "absent": (None, "absent"),
}
_HEADER_WORDS = {"position/role", "position", "role", "councillor", "councillors", "authority"}


def is_appendix_header(line: str) -> bool:
    cells = [c.strip().lower() for c in line.split("\t") if c.strip()]
    return bool(cells) and all(c in _HEADER_WORDS for c in cells)


def rows_from_lines(lines: list[str], unplaced: list[str] | None = None) -> list[list[list[str]]]:
    """The table rows (each a list of 3 cells, each a list of lines) of an attendance appendix.

    Text that is in no cell (after the header, before the first cell) is added to
    ``unplaced``."""
    unplaced = unplaced if unplaced is not None else []
    header_at = next((i for i, ln in enumerate(lines) if is_appendix_header(ln)), None)
    if header_at is None:
        return []
    header = lines[header_at]
    body = lines[header_at + 1 :]
    # before the header: the appendix's own title, and anything else printed there
    unplaced.extend(
        ln.strip()
        for ln in lines[:header_at]
        if ln.strip()
        and not re.match(
            r"^\s*(?:Appendix\s+[A-Z]\s*[-–:]?\s*Attendance|<TRAILER_SECTION>)\s*$", ln, re.I
        )
    )
    if "\t" in header.strip():
        rows = []
        for line in body:
            if not line.strip():
                continue
            row = [c.strip() for c in line.split("\t")]
            if line.startswith("\t"):
                row = [""] + [c.strip() for c in line[1:].split("\t")]
            row = (row + ["", "", ""])[:3] if len(row) <= 3 else row[:2] + [" ".join(row[2:])]
            rows.append([[c] if c else [] for c in row])
        return rows
    # one cell per line: skip the two other header cells, then group cells in threes
    cells: list[list[str]] = []
    started = False
    for line in body:
        if line.startswith("\t"):
            started = True
            cells.append([line.strip()] if line.strip() else [])
        elif line.strip() and started and cells:
            cells[-1].append(line.strip())
        elif line.strip() and not started:
            unplaced.append(line.strip())
    # the header cells "Councillor" and "Authority" come first when the header was split
    while cells and cells[0] and cells[0][0].lower() in _HEADER_WORDS:
        unplaced.extend(cells.pop(0)[1:])  # a line run on under a header cell is not a cell
    return [cells[i : i + 3] + [[]] * (3 - len(cells[i : i + 3])) for i in range(0, len(cells), 3)]


def split_names(text: str) -> list[str]:
    """``Cllr A B Mayor C D MBE`` → [``Cllr A B``, ``Mayor C D MBE``]; titles within a name
    (``Cllr Dr Beccy Cooper``) do not split it."""
    starts = [m.start() for m in _NAME_START.finditer(text)]
    keep = []
    for s in starts:
        before = text[:s].split()
        if before and before[-1].rstrip(".") in TITLE_WORDS:
            continue
        keep.append(s)
    if not keep or keep[0] != 0:
        keep = [0] + keep
    bounds = keep + [len(text)]
    return [
        text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()
    ]


def split_authorities(text: str) -> list[str]:
    return [p.strip() for p in _AUTHORITY_END.split(text) if p.strip()]


def _is_honour_only(text: str) -> bool:
    words = text.replace(",", " ").split()
    return bool(words) and all(w.lower().strip(".") in HONOURS for w in words)


def _looks_like_authority(text: str) -> bool:
    return bool(_AUTHORITY_LIKE.search(text)) and not _NAME_START.match(text + " ")


def parse_rows(
    rows: list[list[list[str]]], warnings: list[str], unplaced: list[str] | None = None
) -> list[Attendee]:
    """Attendees from the rows. Text that is no part of an attendee (an authority without a
    name, authorities beyond the names, a role no attendee takes) is added to ``unplaced``,
    never dropped."""
    unplaced = unplaced if unplaced is not None else []
    out: list[Attendee] = []
    role: str | None = None
    status = "present"
    pending: str | None = None  # a role printed on a row of its own, not yet anyone's
    for role_cell, name_cell, auth_cell in rows:
        role_text = " ".join(role_cell).strip()
        names: list[str] = []
        authorities: list[str] = []
        for line in name_cell:
            if _looks_like_authority(line) and names:
                authorities.append(line)  # an authority printed in the names run
            else:
                names.extend(split_names(line))
        authorities.extend(a for line in auth_cell for a in [line.strip()] if a)
        if not role_text and not names and not authorities:
            continue
        if role_text.lower() in _HEADER_WORDS:
            continue
        # honours printed on a line of their own belong to the name above
        if names and _is_honour_only(" ".join(names)) and out and not authorities:
            out[-1].name = f"{out[-1].name} {' '.join(names)}"
            continue
        roles: list[str | None] = []
        if role_text:
            if pending is not None:
                unplaced.append(pending)  # another role follows: nobody took that one
                pending = None
            key = role_text.lower().rstrip(":")
            if key in ROLE_HEADINGS:
                role, status = ROLE_HEADINGS[key]
                roles = [role]
            else:
                status = "present"
                parts = role_text.split()
                roles = [*parts] if len(parts) > 1 and len(parts) <= len(names) else [role_text]
                role = roles[-1]
                if not names and not authorities:
                    pending = role_text
        elif names:
            pending = None  # the role printed above is theirs
        if len(authorities) < len(names) and authorities:
            authorities = [a for line in authorities for a in split_authorities(line)]
        if len(names) > 1 and len(authorities) == len(names) + 1:
            if authorities[0] == authorities[1]:
                warnings.append(
                    f"attendance: {authorities[0]!r} is printed twice before the run of "
                    "authorities; one is taken as a stray duplicate"
                )
                authorities.pop(0)
        deduped: list[str] = []
        for n in names:
            if deduped and deduped[-1] == n and len(names) > len(authorities) > 0:
                warnings.append(f"attendance: {n!r} is printed twice in a row; recorded once")
                continue
            deduped.append(n)
        names = deduped
        if len(authorities) != len(names) and names and authorities:
            warnings.append(
                f"attendance: {len(names)} names but {len(authorities)} authorities in the "
                f"{role_text or role or status} block; paired in order as far as they go"
            )
            if len(authorities) > len(names):
                unplaced.extend(authorities[len(names) :])  # kept in the notes
        if not names and authorities:
            warnings.append(f"attendance: authority without a name: {'; '.join(authorities)}")
            unplaced.extend(authorities)
            continue
        multi_run = len(names) > 1 and len(name_cell) > 1 and len(auth_cell) >= 1
        for i, name in enumerate(names):
            this_role = roles[i] if i < len(roles) else role
            authority = authorities[i] if i < len(authorities) else None
            note = None
            if re.search(r"\(sub\)", name, re.I):
                name = re.sub(r"\s*\(sub\)", "", name, flags=re.I).strip()
                this_role, note = "Substitute", "(sub)"
            if authority and authority.lower() in ("independent observer", "observer"):
                this_role = authority
                note = f'Authority column reads "{authority}"'
                authority = None
            printed = roles[i] if i < len(roles) and role_text else None
            if (
                printed
                and printed != this_role
                and printed.lower().rstrip(":") not in ROLE_HEADINGS
            ):
                # the role this row prints gives way to "(sub)" or an observer: kept in the note
                note = "; ".join(n for n in (note, f'role printed "{printed}"') if n)
            if multi_run and status == "in_attendance":
                note = "Names and authorities printed in two separate runs; paired in order"
            out.append(
                Attendee(name=name, status=status, role=this_role, authority=authority, note=note)
            )
    if pending is not None:
        unplaced.append(pending)
    return out


def parse_appendix(
    lines: list[str], warnings: list[str], unplaced: list[str] | None = None
) -> list[Attendee]:
    """The attendees of an appendix; text that is no part of one goes to ``unplaced``."""
    unplaced = unplaced if unplaced is not None else []
    return parse_rows(rows_from_lines(lines, unplaced), warnings, unplaced)
