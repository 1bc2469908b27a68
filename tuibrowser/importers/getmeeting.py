"""mgWebService ``GetMeeting`` XML → documents (agenda and/or minutes).

Parsed with defusedxml: no DTDs, no entities, no external references. The fields read:
``meetingdate`` (dd/mm/yyyy), ``meetingtime`` ("10.00 am"), ``meetinglocation``,
``meetingstatus`` (a cancelled meeting is recorded ``cancelled: true`` with no items), the
committee name when present; ``agendaitems/agendaitem`` with ``agendaitemtitle``,
``fulldisplaynumberformat``, ``agendaitemnumber``, ``agendatext``, ``minutesnonemptyhtmlbody``
(HTML, sometimes escaped twice), ``isrestricted`` and ``linkeddocuments/linkeddoc``; and
``attendees/attendee`` with ``name``, ``roledescription``, ``attendance``, ``politicalparty``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import defusedxml
import defusedxml.ElementTree as SafeET

from ..model import Attendee, Document, Item, Report
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


def parse(text: str, source: str, board: str | None, warnings: list[str]) -> list[ImportedDocument]:
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
    date = parse_slash_date(_text(meeting, "meetingdate") or "")
    if date is None:
        raw = _text(meeting, "meetingdate")
        raise ImportFailure(
            f"meetingdate {raw!r} is not a date dd/mm/yyyy"
            if raw
            else "no <meetingdate> in the XML"
        )
    committee = None
    for holder in (meeting, root):  # the meeting's own fields, then the response's
        for c in holder:
            name = _local(c.tag)
            if name == "committee" and len(c):
                committee = _text(c, "committeetitle", "committeename", "title", "name")
            elif name in COMMITTEE_FIELDS:
                committee = _text(c)
            if committee:
                break
        if committee:
            break
    committee = committee or board
    if not committee:
        raise ImportFailure("the XML does not name the committee: pass --board NAME")
    status_text = _text(meeting, "meetingstatus") or ""
    cancelled = "cancel" in status_text.lower()
    raw_time = _text(meeting, "meetingtime")
    time = parse_time(raw_time or "")
    if raw_time and time is None:
        warnings.append(f"meetingtime {raw_time!r} is not a time; left empty")
    common = {
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
    att_el = _find(meeting, "attendees")
    people = []
    if att_el is not None:
        for a in att_el:
            if _local(a.tag) != "attendee":
                continue
            name = _text(a, "name")
            raw = _text(a, "attendance")
            status = _status(raw)
            if not name:
                warnings.append("an attendee without a name is not recorded")
                continue
            if status is None:
                warnings.append(
                    f"attendee {name}: attendance {raw!r} is not present, apologies, absent or "
                    "in attendance; kept in the notes"
                )
                agenda.notes.append(f"Attendee {name}: attendance {raw or '(blank)'}")
                continue
            role = _text(a, "roledescription")
            note = None
            if raw and "substitut" in raw.lower():
                note = f"attendance: {raw}"
                # "Present as substitute" is a substitute; "Apologies, sent substitute" is the
                # member who sent one: their role stays theirs.
                if status != "apologies" and _SUBSTITUTE.search(raw):
                    note += f"; role: {role}" if role else ""
                    role = "Substitute"
            people.append(
                Attendee(
                    name=name, status=status, role=role, group=_text(a, "politicalparty"), note=note
                )
            )
    out: list[ImportedDocument] = []
    has_agenda = any(it.report is not None for it in agenda.items)
    if minutes.items:
        minutes.attendance = people
        out.append(ImportedDocument(minutes))
    else:
        agenda.attendance = people
    if has_agenda or not minutes.items:
        out.insert(0, ImportedDocument(agenda))
    else:
        minutes.notes = agenda.notes
    return out
