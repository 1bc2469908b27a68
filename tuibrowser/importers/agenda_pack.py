"""Agenda packs as text extracted from the PDF a ModernGov site publishes.

A pack gives several documents:

- the **agenda** (kind ``agenda``): the meeting's date, time and venue from the cover, the
  agenda table (number, title, page range, "Part 2" items confidential), one report per item
  (purpose, summary, recommendation, action, contact officer, then the report text), the
  survey table of a report as ``series``, a stated RAG summary table as ``summaries``, an
  outputs table with RAG ratings as ``outputs``, the board's membership, the next meeting;
- the **KPI appendix** (kind ``agenda``, written as ``…-kpis.md``): rows with a code, the
  target, what was delivered and a RAG rating, as printed (a blank or illegible rating is
  ``not_stated``; a code printed without its first letter is read from the sequence);
- the **attendance record** (kind ``attendance``): one document per meeting column
  (Yes → present, No → absent, blank → not listed);
- the **note of the previous meeting** printed as an item's report (kind ``minutes``).
"""

from __future__ import annotations

import re

from .. import limits
from ..keys import person_key
from ..model import (
    Attendee,
    Document,
    Item,
    Kpi,
    Member,
    NextMeeting,
    Output,
    Point,
    Report,
    Section,
    Series,
    Summary,
)
from . import moderngov_text
from .base import (
    MONTHS,
    ImportedDocument,
    ImportFailure,
    parse_date,
    parse_slash_date,
    parse_time,
    tidy,
)

RAG = {"green": "green", "amber": "amber", "red": "red", "blue": "blue"}
_AGENDA = re.compile(r"^\s*Agenda\s*$")
_AGENDA_ROW = re.compile(
    r"^\s*(?P<num>\d{1,3}[A-Za-z]?)\.?\t(?P<title>[^\t]+)(?:\t(?P<pages>[^\t]*))?\s*$"
)
_PAGES = re.compile(r"^\s*+(\d+)\s*+(?:-\s*+(\d+))?\s*+$")  # possessive: linear
_PART2 = re.compile(r"part\s*(2|ii)\b|confidential|exempt|restricted", re.I)
_NEXT = re.compile(r"Date of Next Meeting\s*+:?\s*+(?P<rest>.+)", re.I)
_MEETING_OF = re.compile(r"There will be a meeting of the (?P<board>.+?) at\b", re.I)
_MEMBERSHIP = re.compile(r"Membership\s+(?P<y1>\d{4})\s*/\s*(?P<y2>\d{2,4})", re.I)
_RECORD = re.compile(r"Attendance\s+(?P<y1>\d{4})\s*[-/]\s*(?P<y2>\d{2,4})\s*$", re.I)
_RESTRICTED = re.compile(r"^\s*Document is Restricted\s*$", re.I)
_AGENDA_ITEM = re.compile(r"^\s*Agenda Item\s+(?P<num>\d+[A-Za-z]?)\b")
_TABLE_HEAD = re.compile(r"^[ \t]*Item\tPage\b", re.M)  # the agenda table's header
_AGENDA_ITEM_LINE = re.compile(r"^\s*Agenda Item\s+\d+[A-Za-z]?\s*$")  # page furniture
_KPI_CODE = re.compile(r"^(?P<code>[A-Z]{1,3}\d{1,3}[a-z]?)$")
_GROUP = re.compile(r"^(?P<group>[A-Z][A-Za-z ]++)\s*+\((?P<n>\d+)\)\s*+$")  # linear on blanks
_FIELD_HEADS = {
    "purpose": "purpose",
    "purpose of report": "purpose",
    "summary": "summary",
    "recommendation": "recommendation",
    "recommendations": "recommendation",
    "action": "proposed_action",
    "actions": "proposed_action",
    "proposed action": "proposed_action",
}
_CONTACT_LABELS = ("contact officer", "lead member", "position", "phone no", "phone", "email")


def looks_like(text: str) -> bool:
    head = text[:60000]
    has_agenda = bool(re.search(r"^[^\S\n]*Agenda[^\S\n]*$", head, re.M))
    has_table = bool(_TABLE_HEAD.search(head)) or bool(
        re.search(r"^[^\S\n]*Purpose( of report)?[^\S\n]*$", text, re.M)
    )
    return has_agenda and has_table


_NUMBERED_BULLET = re.compile(r"^[ \t]*- (?=\d+(?:\.\d+)*\.?\s)", re.M)


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


def _joined(*texts: str) -> str:
    """Texts as paragraphs of one text, the empty ones left out."""
    return "\n\n".join(t for t in texts if t)


def _tidy(text: str) -> str:
    """tidy() for PDF-extracted text: no ``<u>`` underline tags, and numbered paragraphs
    printed as bullets (``- 7.1. …``) keep just their number."""
    text = re.sub(r"</?u>", "", text)
    return _NUMBERED_BULLET.sub("", tidy(text))


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def _rating(text: str) -> str | None:
    return RAG.get(text.strip().lower())


class Furniture:
    """What a PDF prints on every page (the association's name, the board, the date, "Agenda
    Item 6"): a line is furniture when it is made of nothing else ("Agenda Item 6 Improvement
    and Innovation Board 24 May 2018"). A line with any other word is text."""

    def __init__(self, parts: set[str]) -> None:
        self.parts: set[str] = set()
        self.update(parts)

    def update(self, parts) -> None:
        self.parts.update(p.strip() for p in parts if p and p.strip())
        self._order = sorted(self.parts, key=len, reverse=True)

    def __contains__(self, line: object) -> bool:
        if not isinstance(line, str) or not line.strip():
            return False
        s = re.sub(r"\bAgenda Item\s+\d+[A-Za-z]?\b", " ", line.strip())
        for part in self._order:
            s = s.replace(part, " ")
        return not re.search(r"\w", s)


class Pack:
    def __init__(self, text: str, source: str, board: str | None, warnings: list[str]):
        self.lines = text.split("\n")
        self.source = source
        self.name = source.rsplit("/", 1)[-1]
        self.warnings = warnings
        self.board_opt = board
        self.used: set[int] = set()
        self.stray_notes: list[str] = []

    # -- the cover and the agenda table ----------------------------------------

    def cover(self) -> dict:
        lines = self.lines
        info: dict = {"board": None, "date": None, "time": None, "venue": None}
        for ln in lines[:400]:
            m = _MEETING_OF.search(ln)
            if m:
                info["board"] = m.group("board").replace("*", "").strip()
                break
        first_agenda = next((i for i, ln in enumerate(lines) if _AGENDA.match(ln)), None)
        if first_agenda is not None:
            if info["board"] is None:
                before = [ln.strip() for ln in lines[:first_agenda] if ln.strip()]
                info["board"] = before[-1] if before else None
            after = [
                (i, ln.strip())
                for i, ln in enumerate(lines[first_agenda + 1 :], first_agenda + 1)
                if ln.strip()
            ][:6]
            for k, (_, ln) in enumerate(after):
                if parse_date(ln):
                    info["date"] = parse_date(ln, self.warnings, lines)
                    info["time"] = parse_time(re.sub(r"\b\d{4}\b", "", ln))
                    if k + 1 < len(after):
                        nxt = after[k + 1][1]
                        if parse_time(nxt) and not info["time"] and len(nxt) < 12:
                            info["time"] = parse_time(nxt)
                            nxt = after[k + 2][1] if k + 2 < len(after) else ""
                        if nxt and not nxt.lower().startswith(("to:", "cc:")):
                            info["venue"] = nxt
                    break
        info["board"] = info["board"] or self.board_opt
        if not info["board"]:
            raise ImportFailure("no board or committee name found in the pack: pass --board NAME")
        if not info["date"]:
            raise ImportFailure("no meeting date found on the cover of the agenda pack")
        return info

    def agenda_table(self) -> tuple[list[Item], int, NextMeeting | None]:
        """The agenda table's items, the index of the line after it, and the next meeting."""
        lines = self.lines
        start = None
        for i, ln in enumerate(lines):
            head = _TABLE_HEAD.match(ln)
            if head:
                start = i
                if ln[head.end() :].strip():
                    self.stray_notes.append(f"Agenda, the table's header reads: {ln.strip()}")
                break
        if start is None:
            raise ImportFailure("no agenda table (a line 'Item<TAB>Page') found in the pack")
        items: list[Item] = []
        part2 = False
        end = start + 1
        next_meeting = None
        for i in range(start + 1, min(len(lines), start + 200)):
            ln = lines[i]
            end = i + 1
            m_next = _NEXT.search(ln)
            if m_next:
                rest = m_next.group("rest")
                venue = None
                m_time = re.search(
                    r"\d{1,2}[.:]\d{2}\s*+(am|pm)?\s*+,\s*+(?P<venue>.+)$", rest, re.I
                )
                if m_time:
                    venue = m_time.group("venue").strip()
                next_meeting = NextMeeting(
                    date=parse_date(rest, self.warnings, lines), time=parse_time(rest), venue=venue
                )
                self.used.add(i)
                break
            m = _AGENDA_ROW.match(ln)
            if m and not ln.startswith("\t"):
                title = m.group("title").strip()
                item = Item(number=m.group("num"), title=title)
                item.confidential = part2 or bool(_PART2.search(title))
                pages = (m.group("pages") or "").strip()
                if pages and not _PAGES.match(pages):
                    self.warnings.append(
                        f"agenda item {item.number}: page range {pages!r} not read (kept in "
                        "the notes)"
                    )
                    self.stray_notes.append(
                        f"Agenda item {item.number}: the page column reads {pages!r}."
                    )
                item.report = Report(text="")
                item.note = f"Pages {pages}" if pages and _PAGES.match(pages) else None
                items.append(item)
                self.used.add(i)
                continue
            text = ln.strip()
            if not text:
                continue
            if _PART2.search(text) and len(text) < 40:
                part2 = True
                self.used.add(i)
                rest = re.sub(r"(?i)^\W*part\s*(?:2|ii)\b\W*(?:confidential\W*)?", "", text)
                if rest and not re.fullmatch(r"(?i)\W*(confidential|exempt|restricted)?\W*", rest):
                    self.stray_notes.append(f"Agenda, the Part 2 heading reads: {text}")
                continue
            if items:  # text under an item in the agenda: part of its description
                extra = items[-1].report.text if items[-1].report else ""
                items[-1].report = Report(text=(extra + " " + text).strip())
                self.used.add(i)
        for it in items:
            if it.report and not it.report.text:
                it.report = None
            it.note = None
        return items, end, next_meeting

    # -- membership --------------------------------------------------------------

    def membership(self) -> list[Member]:
        lines = self.lines
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
            self.used.add(i)
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
            self.warnings.append(
                f"membership: {len(stray)} line(s) not read as members (kept in the notes): "
                + "; ".join(stray)
            )
            self.stray_notes.append("Membership lines not read as members: " + " | ".join(stray))
        return members

    # -- attendance record -----------------------------------------------------

    def attendance_record(self, board: str, members: list[Member]) -> list[ImportedDocument]:
        lines = self.lines
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
            self.warnings.append("attendance record: no header row with meeting dates")
            return []
        # the title and the header row are read; text printed between them is not, and is
        # kept with the rest of what no reader places
        self.used.update({start, header_at})
        head = _cells(lines[header_at])
        columns = [
            (j, c, day)
            for j, c in enumerate(head)
            if parse_slash_date(c) and (day := parse_slash_date(c, self.warnings, lines))
        ]
        docs = {
            j: Document(
                path=self.source,
                board=board,
                date=d,
                kind="attendance",
                title=title,
                source=f"{self.name} (attendance record)",
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
            self.used.add(i)
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
                    self.warnings.append(
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
                    self.warnings.append(
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
            self.warnings.append(
                f"attendance record: {len(unused)} heading(s) with no rows under them are kept "
                "in the notes: " + "; ".join(unused)
            )
            for d in docs.values():
                d.notes.append(
                    "Headings in the record with no rows under them: " + "; ".join(unused)
                )
        return [ImportedDocument(d) for d in docs.values()]

    # -- reports ----------------------------------------------------------------

    def reports(self, items: list[Item], after: int) -> tuple[dict[str, tuple[int, int]], int]:
        """Line ranges of each item's report, and the line where the reports end."""
        lines = self.lines
        norm = {it.number: _norm(it.title) for it in items}
        starts: list[tuple[int, str]] = []
        taken: set[str] = set()
        for i in range(after, len(lines)):
            key = _norm(lines[i])
            if not key:
                continue
            for num, title in norm.items():
                if num in taken or key != title:
                    continue
                following = [ln.strip().lower() for ln in lines[i + 1 : i + 12] if ln.strip()][:3]
                if any(f in _FIELD_HEADS for f in following):
                    starts.append((i, num))
                    taken.add(num)
            if moderngov_text.NOTE_TITLE.match(lines[i].strip()):
                prev = next(
                    (it for it in items if re.search(r"previous meeting|minutes", it.title, re.I)),
                    None,
                )
                if prev is not None and prev.number not in taken:
                    starts.append((i, prev.number))
                    taken.add(prev.number)
            m = _AGENDA_ITEM.match(lines[i])
            if m and i + 2 < len(lines):
                nxt = next((ln for ln in lines[i + 1 : i + 4] if ln.strip()), "")
                if _RESTRICTED.match(nxt) and m.group("num") not in taken:
                    starts.append((i, m.group("num")))
                    taken.add(m.group("num"))
        starts.sort()
        end = len(lines)
        for i in range(starts[-1][0] if starts else after, len(lines)):
            if re.match(r"^\s*LGA location map\s*$|^\s*Location map\s*$", lines[i], re.I):
                end = i
                break
        ranges: dict[str, tuple[int, int]] = {}
        for k, (i, num) in enumerate(starts):
            stop = starts[k + 1][0] if k + 1 < len(starts) else end
            if num in ranges:
                continue
            ranges[num] = (i, stop)
        return ranges, end

    def fill_report(self, item: Item, lo: int, hi: int, furniture: Furniture) -> list[str]:
        """Fill the item's report from lines lo..hi; returns the lines of the report body."""
        lines = self.lines
        fields: dict[str, list[str]] = {}
        contact: list[list[str]] = []
        current: list[str] | None = None
        stray: list[str] = []  # text before the first field: kept at the start of the body
        body_start = hi
        i = lo + 1
        while i < hi:
            ln = lines[i]
            key = ln.strip().lower().rstrip(":")
            if key in _FIELD_HEADS and not fields.get(_FIELD_HEADS[key]):
                current = fields.setdefault(_FIELD_HEADS[key], [])
            elif key.split("\t")[0].strip().rstrip(":") in _CONTACT_LABELS:
                cells = [c for c in _cells(ln)]
                contact.append(cells)
                current = None
            elif contact and (
                _norm(ln) == _norm(item.title) or ln.strip() in furniture or not ln.strip()
            ):
                if _norm(ln) == _norm(item.title):
                    body_start = i + 1
                    break
            elif current is not None:
                current.append(ln)
            elif contact and ln.strip():
                body_start = i
                break
            elif (
                ln.strip()
                and ln.strip() not in furniture
                and _norm(ln) != _norm(item.title)
                and not _AGENDA_ITEM_LINE.match(ln)
            ):
                stray.append(ln)
            i += 1
        else:
            body_start = i
        report = item.report or Report()
        for k, v in fields.items():
            text = _tidy("\n".join(x for x in v if x.strip() not in furniture))
            setattr(report, k, text or None)
        if contact:
            report.contact = _contact(contact)
        item.report = report
        return [*stray, *([""] if stray else []), *lines[body_start:hi]]


def _contact(rows: list[list[str]]) -> str:
    """The contact block as printed, one paragraph per person (a second column is a second
    person): ``Contact officer: Name`` / ``Position: …`` / ``Phone no: …`` / ``Email: …``."""
    people: dict[int, list[str]] = {}
    shared: list[str] = []
    for cells in rows:
        label = cells[0].rstrip(":").strip()
        values = [c for c in cells[1:] if c]
        if label.lower() == "lead member":
            shared.append(f"{label}: {' '.join(values)}")
            continue
        for j, v in enumerate(values):
            people.setdefault(j, []).append(f"{label}: {v}")
    blocks = ["\n".join(lines) for lines in people.values()]
    if shared:
        blocks.insert(0, "\n".join(shared))
    return "\n\n".join(blocks)


_HEADING_LINE = re.compile(r"^[A-Z][^\t]{1,80}$")


def promote_headings(text: str) -> str:
    """A short line standing alone between blank lines, like "Background" or "Financial
    Implications", becomes a ``###`` heading (never one the loader reads as a report field)."""
    from ..body import SUBSECTIONS

    paras = text.split("\n\n")
    out = []
    for p in paras:
        line = p.strip()
        if (
            "\n" not in line
            and _HEADING_LINE.match(line)
            and len(line.split()) <= 8
            and not line.endswith((".", ",", ";", ":"))
            and not re.match(r"^\d", line)
            and line.lower().rstrip(":") not in SUBSECTIONS
            and not line.startswith(("- ", "* "))
        ):
            out.append(f"### {line}")
        else:
            out.append(p)
    return "\n\n".join(out)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w&/:]+", " ", text.lower()).split())


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


# --- tables inside reports ------------------------------------------------------


def _markdown_table(rows: list[list[str]]) -> str:
    """Cells → a markdown table (the first row is the header), cells as printed."""
    width = max(len(r) for r in rows)

    def line(cells: list[str]) -> str:
        cells = [c.replace("|", "\\|") for c in cells] + [""] * (width - len(cells))
        return "| " + " | ".join(cells) + " |"

    return "\n".join([line(rows[0]), "|" + "---|" * width, *(line(r) for r in rows[1:])])


def survey_series(
    body: list[str], item: str, tables: dict[int, str] | None = None
) -> tuple[list[Series], set[int]]:
    """A table whose header has year columns: one series per row (values in per cent).

    The table itself stays in the report: its header line's index maps, in ``tables``, to
    the table as markdown (every column as printed, also those that are not a year)."""
    tables = tables if tables is not None else {}
    out: list[Series] = []
    used: set[int] = set()
    for i, ln in enumerate(body):
        head = _cells(ln)
        years = [(j, c) for j, c in enumerate(head) if re.fullmatch(r"(19|20)\d\d", c)]
        if len(years) < 3:
            continue
        used.add(i)
        for k in range(i + 1, min(len(body), i + 40)):
            cells = _cells(body[k])
            if len(cells) < len(head) - 1 or not cells[0]:
                if body[k].strip():
                    break
                continue
            points = []
            unit = None
            for j, year in years:
                raw = cells[j] if j < len(cells) else ""
                if raw.upper() in ("N/A", "NA", "-", ""):
                    points.append(Point(period=year, value=None))
                    continue
                m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*(%?)", raw)
                if not m:
                    points = []
                    break
                value = float(m.group(1))
                points.append(Point(period=year, value=int(value) if value.is_integer() else value))
                unit = unit or (m.group(2) or None)
            if points:
                out.append(Series(name=cells[0], unit=unit, points=points, item=item))
                used.add(k)
        if out:
            rows = [head] + [_cells(body[k]) for k in sorted(used) if k != i]
            tables[i] = _markdown_table(rows)
            break
    return out, used


def period_as_at(text: str) -> str | None:
    """The reporting period of "by end of March 2018" / "as at March 2018": the financial
    year (April to March), with the quarter when the month ends one (2017/18 Q4)."""
    m = re.search(r"\b(?:end of|as at)\s+(?:the\s+)?(\w+)\s+(\d{4})\b", text, re.I)
    if not m or m.group(1).lower() not in MONTHS:
        return None
    month, year = MONTHS[m.group(1).lower()], int(m.group(2))
    fy = f"{year - 1}/{str(year)[-2:]}" if month <= 3 else f"{year}/{str(year + 1)[-2:]}"
    quarter = {3: "Q4", 6: "Q1", 9: "Q2", 12: "Q3"}.get(month)
    return f"{fy} {quarter}" if quarter else fy


def rag_summaries(
    body: list[str],
    item: str,
    period: str | None,
    rows_period: str | None = None,
    tables: dict[int, str] | None = None,
) -> tuple[list[Summary], set[int]]:
    """``<TAB>Total<TAB>Green<TAB>Amber<TAB>Red`` then ``Label<TAB>60<TAB>56<TAB>4<TAB>0``.

    The period is the year stated just above the table (else ``period``), made as precise as
    ``rows_period`` (the period of the KPI rows of the same item) when that is a part of the
    same year: a "Performance Summary for 2017/18" over rows "by end of March 2018" is
    2017/18 Q4, so the summary can be checked against its rows. The table stays in the
    report as markdown (``tables``: its header line's index → the table)."""
    tables = tables if tables is not None else {}
    out: list[Summary] = []
    used: set[int] = set()
    for i, ln in enumerate(body):
        head = [c.lower() for c in _cells(ln)]
        if "total" not in head or not any(c in RAG for c in head):
            continue
        for k in range(i + 1, min(len(body), i + 6)):
            cells = _cells(body[k])
            if not body[k].strip():
                continue
            if len(cells) < 2 or not all(re.fullmatch(r"\d+", c) for c in cells[1:] if c):
                break
            stated = period
            for back in range(i - 1, max(-1, i - 12), -1):
                m_period = re.search(r"\b(20\d\d/\d\d)\b", body[back])
                if m_period:
                    stated = m_period.group(1)
                    break
            if stated and rows_period and rows_period.startswith(stated + " "):
                stated = rows_period
            values = {
                head[j]: limits.count(c) for j, c in enumerate(cells) if j and c and j < len(head)
            }
            out.append(
                Summary(
                    period=stated,
                    label=cells[0] or None,
                    total=values.get("total"),
                    green=values.get("green"),
                    amber=values.get("amber"),
                    red=values.get("red"),
                    blue=values.get("blue"),
                    item=item,
                )
            )
            used.update({i, k})
            printed = tables.get(i)
            row = _markdown_table([_cells(ln), cells]).split("\n")[-1]
            tables[i] = (printed + "\n" + row) if printed else _markdown_table([_cells(ln), cells])
    return out, used


def outputs_table(
    body: list[str], item: str, period: str | None, tables: dict[int, str] | None = None
) -> tuple[list[Output], set[int]]:
    """Rows ``Project<TAB>Output<TAB>Green<TAB>Para 4`` of an outputs summary.

    The table stays in the report as markdown, every cell as printed: its header line's
    index maps to it in ``tables``."""
    tables = tables if tables is not None else {}
    out: list[Output] = []
    used: set[int] = set()
    in_table = False
    header_at = None
    printed: list[list[str]] = []
    for i, ln in enumerate(body):
        cells = _cells(ln)
        if any("(rag)" in c.lower() for c in cells) and header_at is None:
            in_table = True
            header_at = i
            printed.append([c for c in cells])
            used.add(i)
            period = period_as_at(ln) or period  # "Outputs as at March 2018"
            continue
        if not in_table:
            continue
        rating = next((RAG[c.lower()] for c in cells[2:3] if c.lower() in RAG), None)
        if cells[0] and len(cells) >= 3 and rating:
            out.append(
                Output(
                    project=cells[0],
                    output=cells[1] or None,
                    rating=rating,
                    reference=(cells[3] if len(cells) > 3 else "") or None,
                    period=period,
                    item=item,
                )
            )
            printed.append(list(cells))
            used.add(i)
        elif out and ln.startswith("\t") and len(cells) > 1 and any(cells[1:]):
            if cells[1]:
                out[-1].output = f"{out[-1].output or ''} {cells[1]}".strip()
            row = printed[-1]
            for j, c in enumerate(cells[1:], start=1):
                if j == 2 and len(row) > 2 and c.lower() == row[2].lower():
                    continue  # the rating printed again beside the row's next line
                if c:
                    row.extend([""] * (j + 1 - len(row)))
                    row[j] = f"{row[j]} {c}".strip()
            used.add(i)
    if out and header_at is not None:
        tables[header_at] = _markdown_table(printed)
    return out, used


def kpi_rows(
    body: list[str], item: str, warnings: list[str]
) -> tuple[list[Kpi], set[int], list[str], str | None]:
    """The KPI appendix table; returns rows, the lines used, lines kept as notes, the period."""
    start = None
    for i, ln in enumerate(body):
        if re.search(r"has the target been achieved|^\s*\tTarget\t", ln, re.I):
            start = i
            break
    if start is None:
        return [], set(), [], None
    period = period_as_at(body[start])
    used = {start}
    rows: list[Kpi] = []
    notes: list[str] = []
    # the table's heading (the line above it) and its column heads, kept in the notes
    if start > 0 and body[start - 1].strip():
        used.add(start - 1)
        notes.append("Table heading: " + " | ".join(c for c in _cells(body[start - 1]) if c))
    notes.append("Columns: " + " | ".join(c for c in _cells(body[start]) if c))
    theme = None
    theme_prefix: str | None = None
    prefix_prev = None
    number_prev = None
    for i in range(start + 1, len(body)):
        ln = body[i]
        if re.match(r"^\s*-{4,}", ln):
            used.add(i)  # the rule under the table
            if re.search(r"[^\s-]", ln):
                notes.append(f"The rule under the table reads: {ln.strip()}")
            break
        if re.match(r"^\s*Appendix\s+[B-Z]\b", ln):
            break  # the next appendix: its heading is the report's text
        if not ln.strip():
            used.add(i)
            continue
        if _AGENDA_ITEM_LINE.match(ln):
            used.add(i)
            continue
        cells = _cells(ln)
        first = re.sub(r"<[^>]*>", "", cells[0]).strip()
        used.add(i)
        m = _KPI_CODE.match(first)
        last = cells[-1] if len(cells) > 1 else ""
        if m:
            printed = m.group("code")
            parts = re.match(r"([A-Z]+)(\d+)", printed)
            assert parts is not None  # _KPI_CODE matched letters then digits
            letters, digits = parts.groups()
            code = printed
            if (
                prefix_prev
                and letters != prefix_prev
                and prefix_prev.endswith(letters)
                and number_prev is not None
                and limits.count(digits) == number_prev + 1
            ):
                code = prefix_prev + printed[len(letters) :]
                warnings.append(f"KPI code {printed!r} read as {code!r} from the sequence")
            prefix = re.match(r"[A-Z]+", code)
            assert prefix is not None  # a code starts with letters
            prefix_prev = prefix.group(0)
            if theme_prefix is None:
                theme_prefix = prefix_prev  # a heading covers the rows of the code it heads
            elif theme_prefix != prefix_prev:
                theme, theme_prefix = None, prefix_prev  # new codes without a heading
            digits_of = re.match(r"[A-Z]+(\d+)", code)
            assert digits_of is not None  # and goes on with digits
            number_prev = limits.count(digits_of.group(1))
            target = cells[1] if len(cells) > 1 else ""
            delivered = cells[2] if len(cells) > 2 else ""
            rating = _rating(last) if len(cells) >= 4 else None
            note = None
            if rating is None:
                note = (
                    f"Rating not legible: the rating cell reads {last!r}."
                    if len(cells) >= 4 and last
                    else "Rating not legible: the rating cell is blank in the extraction."
                    if len(cells) >= 4
                    else "Rating not legible: the extraction has no rating column for this row."
                )
            next_theme = None
            tail = re.search(
                r"\.\s+((?:[A-Z][a-z]+)(?:\s+(?:[A-Z][a-z]+|and|of|&)){1,5})\s*$", delivered
            )
            if tail:
                next_theme = tail.group(1)
                delivered = delivered[: tail.start(1)].strip()
            rows.append(
                Kpi(
                    code=code,
                    code_printed=printed if printed != code else None,
                    rating=rating or "not_stated",
                    theme=theme,
                    period=period,
                    target=target or None,
                    delivered=delivered or None,
                    item=item,
                    note=note,
                )
            )
            if next_theme:
                theme, theme_prefix = next_theme, None
            continue
        filled = [c for c in cells if c]
        if (
            len(cells) >= 3
            and not cells[0]
            and not cells[1]
            and len(filled) == 1
            and _is_heading(filled[0])
        ):
            theme, theme_prefix = filled[0], None  # a section heading across the table
            continue
        if cells[0] and len(filled) == 1 and len(cells) >= 2:
            notes.append(f"Sub-heading in the table: {cells[0]}")
            continue
        if re.fullmatch(r"\d+", last) and len(cells) >= 3:
            warnings.append(f"KPI table: a garbled line is not read as a row: {ln.strip()[:60]!r}")
            notes.append(f"Garbled line, not a row: {' | '.join(c for c in cells if c)}")
            continue
        if rows and ln.startswith(("\t", ".")) and len(cells) >= 2:
            k = rows[-1]
            if len(cells) > 1 and cells[1]:
                k.target = f"{k.target or ''} {cells[1]}".strip()
            if len(cells) > 2 and cells[2]:
                k.delivered = f"{k.delivered or ''} {cells[2]}".strip()
            if len(cells) > 3 and (rating := _rating(cells[3])) and k.rating == "not_stated":
                k.rating = rating
            elif any(cells[3:]):
                extra = " | ".join(c for c in cells[3:] if c)
                k.note = f"{k.note + ' ' if k.note else ''}A continuation line's rating cell reads {extra!r}."
            continue
        notes.append(ln.strip())
    for k in rows:  # once every continuation line has been joined to its row
        _kpi_values(k)
    return rows, used, notes, period


def _is_heading(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 10 and text[0].isupper() and not text.rstrip().endswith((".", ",", ";"))
    )


# --- the numbers of a KPI row -----------------------------------------------------------
#
# A row's target often sets one count ("at least 110 peer challenges") and its delivered text
# says how many were done ("We have delivered 115 peer challenges"). The numbers are taken only
# when the text gives them plainly; otherwise they stay empty, never guessed:
#
# - target_value: the one count the target sets. Years, dates, money (£10m), percentages,
#   fractions (3/4), ranges, ordinals (21st), list numbers ("1."), "up to N" and anything in
#   brackets (a qualification) are not counts. When the target says "at least", only those
#   counts are considered. Two different counts: no value.
# - actual_value: only with a target_value: the first count in the delivered text of the same
#   thing the target counts (the first plural noun after each number: "councils" also
#   matches "authorities", "chief executives" "CEXs"). None: no value.

_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        (
            "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen", "twenty",
        ),
        start=1,
    )
}  # fmt: skip
# digits, or a number in lower-case words ("a total of six reports"; "One Public Estate" is a name)
_NUMBER = re.compile(
    r"(?<![\w.,/£$€-])(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>[.,]\d+)?"
    rf"|\b(?P<w>{'|'.join(_WORD_NUMBERS)})\b"
)
_MONTH_NAMES = "|".join(MONTHS)
# what follows a number that is not a count: 95%, £4m, 3/4, 2017-18, 21st, 31 July
_NOT_A_COUNT_AFTER = re.compile(
    rf"^(?:\s*(?:%|per\s*cent|percent|m\b|bn\b|k\b|million|billion|pa\b|(?:{_MONTH_NAMES})\b)"
    r"|[/–-]\s*\d|[A-Za-z])",
    re.I,
)
_SYNONYMS = {
    "council": {"authority"},
    "authority": {"council"},
    "executive": {"cex"},
    "cex": {"executive"},
}
_NOT_PLURAL = ("ss", "ous", "is", "us")


# What is read around a number: a cell of 40,000 numbers is read in time linear in its size,
# not by copying and searching all the text before and after each number.
_AROUND = 80


def _before(text: str, start: int) -> str:
    """The text just before ``start`` (a cut-off start of the window is not a line start)."""
    return text[:start] if start <= _AROUND else "\x00" + text[start - _AROUND : start]


def _counts(text: str) -> list[tuple[int, int, int]]:
    """The plain counts in ``text``: (value, start, end)."""
    out = []
    for m in _NUMBER.finditer(text):
        before, after = _before(text, m.start()), text[m.end() : m.end() + _AROUND]
        if m.group("w"):
            out.append((_WORD_NUMBERS[m.group("w")], m.start(), m.end()))
            continue
        if m.group("frac") or re.search(r"[£$€]\s*$", before):
            continue  # 93.8, £25 …
        value = limits.count(m.group("n").replace(",", ""))
        if re.fullmatch(r"(19|20)\d\d", m.group("n")):
            continue  # a year
        if re.search(rf"\b(?:{_MONTH_NAMES})\s*$|\bup to\s*$", before, re.I):
            continue  # "March 18", "up to 10"
        if re.match(r"[.)]\s", after) and re.search(r"(?:^|[\n:;*])\s*$", before):
            continue  # a list number: "include: 1. up to …"
        if _NOT_A_COUNT_AFTER.match(after):
            continue
        out.append((value, m.start(), m.end()))
    return out


def _singular(word: str) -> str:
    w = word.lower().strip("'’").removesuffix("'s").removesuffix("’s")
    if w.endswith("ies"):
        return w[:-3] + "y"
    return w[:-1] if w.endswith("s") else w


def _unit(text: str, end: int) -> str | None:
    """The plural noun a count counts: the first plural word of the few after it."""
    window = text[end : end + 4 * _AROUND]
    head = re.split(r"[.,;:()]", window, maxsplit=1)[0]
    words = re.split(r"\s+", head.strip())
    if len(head) == len(window) < len(text) - end:
        words = words[:-1]  # the last word may be cut off by the window
    words = words[:4]
    for w in words:
        if w.lower().endswith("s") and not w.lower().endswith(_NOT_PLURAL) and len(w) > 3:
            return _singular(w)
    return None


def target_value(target: str | None) -> tuple[int | None, str | None]:
    """The count a target sets and the thing it counts; (None, None) when not plain."""
    if not target:
        return None, None
    text = re.sub(r"\([^)]*\)?", " ", target)  # a qualification in brackets
    counts = _counts(text)
    if re.search(r"\bat least\b", text, re.I):
        counts = [c for c in counts if re.search(r"\bat least\s*$", _before(text, c[1]), re.I)]
    if len({v for v, _, _ in counts}) != 1:
        return None, None
    value, _, end = counts[0]
    return value, _unit(text, end)


def actual_value(delivered: str | None, unit: str | None) -> int | None:
    """The first count of ``unit`` in the delivered text; None when there is none."""
    if not delivered or not unit:
        return None
    same = {unit} | _SYNONYMS.get(unit, set())
    for value, _, end in _counts(delivered):
        if _unit(delivered, end) in same:
            return value
    return None


def _kpi_values(k: Kpi) -> None:
    value, unit = target_value(k.target)
    k.target_value = value
    k.actual_value = actual_value(k.delivered, unit) if value is not None else None


# --- the whole pack ------------------------------------------------------------------


def parse(text: str, source: str, board: str | None, warnings: list[str]) -> list[ImportedDocument]:
    pack = Pack(text, source, board, warnings)
    info = pack.cover()
    board_name = info["board"]
    items, after_table, next_meeting = pack.agenda_table()
    agenda = Document(
        path=source,
        board=board_name,
        date=info["date"],
        kind="agenda",
        title="Agenda",
        time=info["time"],
        venue=info["venue"],
        source=pack.name,
        next_meeting=next_meeting,
        items=items,
    )
    agenda.membership = pack.membership()
    docs = [ImportedDocument(agenda)]
    docs += pack.attendance_record(board_name, agenda.membership)
    furniture = Furniture(
        {
            "Improvement and Innovation Board",
            board_name,
            "Local Government",
            "Local Covernment",
            "Local",
            "Association",
            "Government",
            "Local Government Association",
            "Local Covernment Association",
        }
    )
    # the meeting's date printed alone on a page ("24 May 2018", "Thursday 24 May 2018")
    date_words = [
        ln.strip()
        for ln in pack.lines
        if parse_date(ln) == info["date"]
        and re.fullmatch(r"(?:\w+day,?\s+)?\d{1,2}\s+\w+\s+\d{4}", ln.strip())
    ]
    furniture.update(date_words)
    ranges, end = pack.reports(items, after_table)
    by_number = {it.number: it for it in items}
    kpis_doc = None
    for number, (lo, hi) in sorted(ranges.items(), key=lambda r: r[1][0]):
        item = by_number.get(number)
        if item is None:
            continue
        first = next((ln for ln in pack.lines[lo : lo + 4] if ln.strip()), "")
        described = item.report.text if item.report else ""  # under the item in the agenda
        if _AGENDA_ITEM.match(pack.lines[lo]) and any(
            _RESTRICTED.match(ln) for ln in pack.lines[lo : lo + 4]
        ):
            item.confidential = True
            other = [
                ln
                for ln in pack.lines[lo:hi]
                if ln.strip()
                and ln.strip() not in furniture
                and not _AGENDA_ITEM_LINE.match(ln)
                and not _RESTRICTED.match(ln)
            ]
            item.report = Report(
                text="\n\n".join(
                    t for t in (described, "Document is Restricted", _tidy("\n".join(other))) if t
                )
            )
            continue
        if moderngov_text.NOTE_TITLE.match(first.strip()):
            note_lines = [ln for ln in pack.lines[lo:hi] if ln.strip() not in furniture]
            try:
                note = moderngov_text.parse_note(note_lines, source, board_name, warnings)
            except ImportFailure as exc:
                warnings.append(f"item {number}: the note it carries could not be read: {exc}")
                item.report = Report(text=_joined(described, _tidy("\n".join(note_lines))))
                continue
            note.source = f"{pack.name} (agenda item {number} of {info['date']})"
            note.notes.append(
                f"Printed in the agenda pack for the meeting of {info['date']}, as the report "
                f"for item {number} ({item.title}). Its status is not stated in the pack."
            )
            docs.append(ImportedDocument(note))
            item.report = Report(
                text=_joined(
                    described,
                    f"The note of the meeting of {note.date} is imported as its own document.",
                )
            )
            continue
        body = pack.fill_report(item, lo, hi, furniture)
        body = [
            ln for ln in body if ln.strip() not in furniture and not _AGENDA_ITEM_LINE.match(ln)
        ]
        used: set[int] = set()
        tables: dict[int, str] = {}
        series, u = survey_series(body, number, tables)
        agenda.series += series
        used |= u
        # the KPI appendix first: its period ("by end of March 2018": 2017/18 Q4) is the one
        # the item's stated summary is checked against
        rows, u_kpis, kpi_notes, kpi_period = kpi_rows(body, number, warnings)
        period = None
        for ln in body:
            m = re.search(r"\b(20\d\d/\d\d)\b", ln)
            if m and re.search(r"summary|performance", ln, re.I):
                period = m.group(1)
                break
        summaries, u = rag_summaries(body, number, period, kpi_period if rows else None, tables)
        agenda.summaries += summaries
        used |= u
        outputs, u = outputs_table(body, number, period, tables)
        agenda.outputs += outputs
        used |= u
        if rows:
            used |= u_kpis
            title = "KPI performance report"
            for ln in body:
                m = re.search(r"Appendix\s++A\s*+[-–]?\s*+(?P<t>Q\d KPI performance report)", ln)
                if m:
                    title = f"Appendix A – {m.group('t')}"
                    break
            kpis_doc = Document(
                path=source,
                board=board_name,
                date=info["date"],
                kind="agenda",
                title=title,
                source=f"{pack.name} (agenda item {number}, KPI appendix)",
                kpis=rows,
            )
            if kpi_notes:
                warnings.append(
                    f"KPI table: {len(kpi_notes)} line(s) not read as rows are kept under 'Notes'"
                )
                kpis_doc.sections.append(Section(title="Notes", text="\n\n".join(kpi_notes)))
        rest = [tables.get(k, ln) for k, ln in enumerate(body) if k not in used or k in tables]
        text = promote_headings(_tidy("\n".join(rest)))
        assert item.report is not None  # fill_report gave the item one
        item.report.text = "\n\n".join(t for t in (described, text) if t)
    if kpis_doc is not None:
        docs.append(ImportedDocument(kpis_doc, suffix="kpis"))
    front = [
        ln
        for k, ln in enumerate(pack.lines[:after_table])
        if k not in pack.used and ln.strip() not in furniture
    ]
    first_report = min((lo for lo, _ in ranges.values()), default=end)
    front += [
        ln
        for k, ln in enumerate(pack.lines[after_table:first_report], start=after_table)
        if k not in pack.used and ln.strip() not in furniture
    ]
    back = pack.lines[end:]
    if any(ln.strip() for ln in front):
        agenda.sections.append(Section(title="Front matter", text=_tidy("\n".join(front))))
    if any(ln.strip() for ln in back):
        agenda.sections.append(Section(title="Back matter", text=_tidy("\n".join(back))))
    if pack.stray_notes:
        agenda.notes.extend(pack.stray_notes)
    for it in items:
        if it.report is not None and not (it.report.text or it.report.purpose or it.report.summary):
            if not any((it.report.recommendation, it.report.proposed_action, it.report.contact)):
                it.report = None
    return docs
