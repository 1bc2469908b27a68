"""Agenda packs as text extracted from the PDF a ModernGov site publishes.

A pack gives several documents:

- the **agenda** (kind ``agenda``): the meeting's date, time and venue from the cover, the
  agenda table (number, title, page range, "Part 2" items confidential), one report per item
  (purpose, summary, recommendation, action, contact officer, then the report text), the
  tables a report prints (``series``, ``summaries``, ``outputs``), the board's membership,
  the next meeting;
- the **KPI appendix** (kind ``agenda``, written as ``…-kpis.md``): the rows of an item's
  KPI table;
- the **attendance record** (kind ``attendance``): one document per meeting column
  (Yes → present, No → absent, blank → not listed);
- the **note of the previous meeting** printed as an item's report (kind ``minutes``).

This module reads the pack's structure: the cover, the agenda table, where each report starts
and ends, and its fields. The tables inside a report (and the KPI appendix's rows) are read by
:mod:`.pack_tables`; the membership and the attendance record by :mod:`.pack_people`.
"""

from __future__ import annotations

import re

from ..model import (
    Document,
    Item,
    NextMeeting,
    Report,
    Section,
)
from . import moderngov_text
from .base import (
    ImportedDocument,
    ImportFailure,
    parse_date,
    parse_time,
    tidy,
)
from .pack_people import _AGENDA, attendance_record, membership
from .pack_tables import (
    _AGENDA_ITEM_LINE,
    _cells,
    kpi_rows,
    outputs_table,
    rag_summaries,
    survey_series,
)

_AGENDA_ROW = re.compile(
    r"^\s*(?P<num>\d{1,3}[A-Za-z]?)\.?\t(?P<title>[^\t]+)(?:\t(?P<pages>[^\t]*))?\s*$"
)
_PAGES = re.compile(r"^\s*+(\d+)\s*+(?:-\s*+(\d+))?\s*+$")  # possessive: linear
_PART2 = re.compile(r"part\s*(2|ii)\b|confidential|exempt|restricted", re.I)
_NEXT = re.compile(r"Date of Next Meeting\s*+:?\s*+(?P<rest>.+)", re.I)
_MEETING_OF = re.compile(r"There will be a meeting of the (?P<board>.+?) at\b", re.I)
_RESTRICTED = re.compile(r"^\s*Document is Restricted\s*$", re.I)
_AGENDA_ITEM = re.compile(r"^\s*Agenda Item\s+(?P<num>\d+[A-Za-z]?)\b")
_TABLE_HEAD = re.compile(r"^[ \t]*Item\tPage\b", re.M)  # the agenda table's header
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


def _joined(*texts: str) -> str:
    """Texts as paragraphs of one text, the empty ones left out."""
    return "\n\n".join(t for t in texts if t)


def _tidy(text: str) -> str:
    """tidy() for PDF-extracted text: no ``<u>`` underline tags, and numbered paragraphs
    printed as bullets (``- 7.1. …``) keep just their number."""
    text = re.sub(r"</?u>", "", text)
    return _NUMBERED_BULLET.sub("", tidy(text))


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
    agenda.membership = membership(pack)
    docs = [ImportedDocument(agenda)]
    docs += attendance_record(pack, board_name, agenda.membership)
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
