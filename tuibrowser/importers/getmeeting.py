"""mgWebService ``GetMeeting`` XML → documents (agenda and/or minutes).

Parsed with defusedxml: no DTDs, no entities, no external references. The fields read:
``meetingdate`` (dd/mm/yyyy), ``meetingtime`` ("10.00 am"), ``meetinglocation``,
``meetingstatus`` (a cancelled meeting is recorded ``cancelled: true`` with no items), the
committee name when present; ``agendaitems/agendaitem`` with ``agendaitemtitle``,
``fulldisplaynumberformat``, ``agendaitemnumber``, ``agendatext``, ``minutesnonemptyhtmlbody``
(HTML, sometimes escaped twice), ``isrestricted`` and ``linkeddocuments/linkeddoc``; and
``attendees/attendee`` with ``name``, ``roledescription``, ``attendance``, ``politicalparty``.

Real ModernGov answers put an attendee's fields in **attributes**
(``<attendee memberid="192" name="…" roledescription="…" attendance="Expected" …>``); hand-made
exports use child elements: both are read, the attribute first. A real answer often has no
``committeetitle`` of its own: the committee is then the one the caller knows (``sync`` has it
from ``GetMeetings``), else the ``committeetitle`` of a linked document or an item's
``refertocommittee``, else ``--board``. ``attendance="Expected"`` is the list printed on an
agenda before the meeting: those people are recorded as the membership, never as present.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeET

from ..model import Attendee, Document, Item, Member, Report
from .base import ImportedDocument, ImportFailure, parse_slash_date, parse_time
from .htmltext import to_markdown
from .moderngov_text import fill_item

_NUMBER = re.compile(r"^\d+[A-Za-z]?(?:\.\d+)*[A-Za-z]?$")
COMMITTEE_FIELDS = ("committeetitle", "committeename", "committee")
# an attendance that says this person is the substitute (not that they sent one)
_SUBSTITUTE = re.compile(r"^\s*substitute\b|\bas (?:a )?substitute\b|\(sub\)", re.I)


def looks_like(text: str) -> bool:
    head = text.lstrip()[:5000]
    return head.startswith("<") and bool(
        re.search(r"<\s*(\w+:)?(meeting|getmeeting|agendaitems)\b", text[:50000], re.I)
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower() if isinstance(tag, str) else ""


def _child(el: ET.Element, *names: str) -> ET.Element | None:
    for c in el:
        if _local(c.tag) in names:
            return c
    return None


def _text(el: ET.Element | None, *names: str) -> str | None:
    if el is None:
        return None
    c = _child(el, *names) if names else el
    if c is None:
        return None
    value = "".join(c.itertext()).strip()
    return value or None


def _field(el: ET.Element, name: str) -> str | None:
    """An attendee's field: the attribute real answers carry, else a child element."""
    for key, value in el.attrib.items():
        if _local(key) == name and value.strip():
            return value.strip()
    return _text(el, name)


def _named_committee(meeting: ET.Element, root: ET.Element) -> str | None:
    """The committee the response names at the top: the meeting's own field, then the root's."""
    for holder in (meeting, root):
        for c in holder:
            name = _local(c.tag)
            committee = None
            if name == "committee" and len(c):
                committee = _text(c, "committeetitle", "committeename", "title", "name")
            elif name in COMMITTEE_FIELDS:
                committee = _text(c)
            if committee:
                return committee
    return None


def _linked_committee(meeting: ET.Element) -> str | None:
    """The committee a linked document (``linkeddoc/committeetitle``) or, failing that, an
    item (``refertocommittee``) names; the most named one when they differ."""
    for field in ("committeetitle", "refertocommittee"):
        holders = "linkeddoc" if field == "committeetitle" else "agendaitem"
        counts: dict[str, int] = {}
        for el in meeting.iter():
            if _local(el.tag) != holders:
                continue
            value = _text(el, field)
            if value:
                counts[value] = counts.get(value, 0) + 1
        if counts:
            return max(counts, key=lambda k: counts[k])
    return None


def _find(el: ET.Element, name: str) -> ET.Element | None:
    for c in el.iter():
        if _local(c.tag) == name:
            return c
    return None


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes", "y", "restricted")


def _status(value: str | None) -> str | None:
    v = (value or "").strip().lower()
    if not v:
        return None
    if "apolog" in v:
        return "apologies"
    if "absent" in v or "did not attend" in v:
        return "absent"
    if "in attendance" in v or "attending" in v or v == "attended as guest":
        return "in_attendance"
    if v in ("present", "attended", "in person", "virtual", "remote", "yes") or v.startswith(
        ("present", "attended")
    ):
        return "present"
    return None


def parse(
    text: str,
    source: str,
    board: str | None,
    warnings: list[str],
    committee: str | None = None,
) -> list[ImportedDocument]:
    """The documents of one GetMeeting answer. ``committee`` is the committee the caller knows
    the meeting belongs to (``sync`` has it from GetMeetings): it comes after the answer's own
    ``committeetitle`` and before the linked documents' and ``board``."""
    # the text is already decoded: an encoding named in the declaration no longer applies
    # (in the declaration only: the pattern is slow on a long run of blanks)
    head = re.sub(r"""^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*(["'])[^"']*\2""", r"\1", text[:4096])
    text = head + text[4096:]
    try:
        root = SafeET.fromstring(
            text.encode("utf-8"), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException as exc:
        raise ImportFailure(
            f"XML refused: it declares a DTD, entities or external references ({type(exc).__name__})"
        ) from exc
    except ET.ParseError as exc:
        raise ImportFailure(f"malformed XML: {exc}") from exc
    meeting = root if _local(root.tag) == "meeting" else _find(root, "meeting")
    if meeting is None:
        raise ImportFailure("no <meeting> element in the XML")
    date = parse_slash_date(_text(meeting, "meetingdate") or "", warnings, text.split("\n"))
    if date is None:
        raw = _text(meeting, "meetingdate")
        raise ImportFailure(
            f"meetingdate {raw!r} is not a date dd/mm/yyyy"
            if raw
            else "no <meetingdate> in the XML"
        )
    committee = _named_committee(meeting, root) or committee or _linked_committee(meeting) or board
    if not committee:
        raise ImportFailure("the XML does not name the committee: pass --board NAME")
    status_text = _text(meeting, "meetingstatus") or ""
    cancelled = "cancel" in status_text.lower()
    raw_time = _text(meeting, "meetingtime")
    time = parse_time(raw_time or "")
    if raw_time and time is None:
        warnings.append(f"meetingtime {raw_time!r} is not a time; left empty")
    common: dict[str, Any] = {
        "path": source,
        "board": committee,
        "date": date,
        "time": time,
        "venue": _text(meeting, "meetinglocation"),
        "source": source.rsplit("/", 1)[-1],
        "cancelled": cancelled,
    }
    agenda = Document(kind="agenda", title=_text(meeting, "meetingtitle"), **common)
    minutes = Document(kind="minutes", title=None, **common)
    if status_text and not cancelled:
        agenda.notes.append(f"Meeting status: {status_text}")
    items_el = _find(meeting, "agendaitems")
    raw_items = (
        [c for c in items_el if _local(c.tag) == "agendaitem"] if items_el is not None else []
    )
    if cancelled:
        agenda.notes.append(f"Meeting status: {status_text}. The meeting was cancelled.")
        if raw_items:
            titles = [_text(c, "agendaitemtitle") or "(untitled)" for c in raw_items]
            warnings.append(
                f"the meeting is cancelled: its {len(raw_items)} listed item(s) are kept in the "
                "notes, not as items"
            )
            agenda.notes.append("Items listed before it was cancelled: " + "; ".join(titles))
        raw_items = []
    seen: set[str] = set()
    for position, el in enumerate(raw_items, start=1):
        title = _text(el, "agendaitemtitle") or ""
        printed = (_text(el, "fulldisplaynumberformat") or "").strip()
        number = (
            re.sub(r"^(item|agenda item)\s*", "", printed, flags=re.I).strip().rstrip(".").strip()
        )
        note = None
        if not _NUMBER.match(number):
            fallback = (_text(el, "agendaitemnumber") or "").strip().rstrip(".")
            number_ok = fallback if _NUMBER.match(fallback) else str(position)
            if printed:
                note = f"Printed number: {printed}"
                warnings.append(
                    f"item number {printed!r} is not an agenda number; recorded as {number_ok}"
                )
            number = number_ok
        while number in seen:
            warnings.append(
                f"item number {number} appears twice; the second is recorded as {number}a"
            )
            number = f"{number}a"
        seen.add(number)
        restricted = _truthy(_text(el, "isrestricted"))
        links = []
        docs_el = _find(el, "linkeddocuments")
        if docs_el is not None:
            for ld in docs_el:
                if _local(ld.tag) != "linkeddoc":
                    continue
                lt = _text(ld, "title") or "linked document"
                url = _text(ld, "url")
                if url and re.match(r"^https?://", url, re.I) and not re.search(r"[\s<>()]", url):
                    links.append(f"- [{lt.replace(']', ')')}]({url})")
                else:
                    links.append(f"- {lt}")
        agenda_text = to_markdown(_text(el, "agendatext"))
        if links:
            agenda_text = (agenda_text + "\n\nLinked documents:\n\n" + "\n".join(links)).strip()
        a_item = Item(number=number, title=title, confidential=restricted, note=note)
        if agenda_text:
            a_item.report = Report(text=agenda_text)
        agenda.items.append(a_item)
        minute_html = _text(el, "minutesnonemptyhtmlbody")
        if minute_html:
            m_item = Item(
                number=number, title=title, confidential=restricted, order=position, note=note
            )
            body = to_markdown(minute_html)
            fill_item(m_item, body.split("\n"), True, warnings)
            minutes.items.append(m_item)
    people, expected = _attendees(meeting, agenda.notes, warnings)
    out: list[ImportedDocument] = []
    has_agenda = any(it.report is not None for it in agenda.items)
    if minutes.items:
        minutes.attendance = people
        out.append(ImportedDocument(minutes))
    else:
        agenda.attendance = people
    if expected:
        # the agenda's list of who is expected: the committee's membership, not attendance
        agenda.membership = expected
        agenda.notes.append(
            f"{len(expected)} member(s) listed as expected (the agenda's list, before the "
            "meeting): recorded as the membership, not as attendance"
        )
    if has_agenda or not minutes.items:
        out.insert(0, ImportedDocument(agenda))
    else:
        minutes.notes = agenda.notes
        minutes.membership = agenda.membership
    return out


def _attendees(
    meeting: ET.Element, notes: list[str], warnings: list[str]
) -> tuple[list[Attendee], list[Member]]:
    """Attendees with a known attendance, and the members listed as ``Expected``."""
    att_el = _find(meeting, "attendees")
    people: list[Attendee] = []
    expected: list[Member] = []
    if att_el is None:
        return people, expected
    for a in att_el:
        if _local(a.tag) != "attendee":
            continue
        name = _field(a, "name")
        raw = _field(a, "attendance")
        status = _status(raw)
        if not name:
            warnings.append("an attendee without a name is not recorded")
            continue
        role = _field(a, "roledescription")
        group = _field(a, "politicalparty")
        if status is None and (raw or "").strip().lower() == "expected":
            expected.append(Member(name=name, role=role, group=group))
            continue
        if status is None:
            warnings.append(
                f"attendee {name}: attendance {raw!r} is not present, apologies, absent or "
                "in attendance; kept in the notes"
            )
            notes.append(f"Attendee {name}: attendance {raw or '(blank)'}")
            continue
        note = None
        if raw and "substitut" in raw.lower():
            note = f"attendance: {raw}"
            # "Present as substitute" is a substitute; "Apologies, sent substitute" is the
            # member who sent one: their role stays theirs.
            if status != "apologies" and _SUBSTITUTE.search(raw):
                note += f"; role: {role}" if role else ""
                role = "Substitute"
        people.append(Attendee(name=name, status=status, role=role, group=group, note=note))
    return people, expected
