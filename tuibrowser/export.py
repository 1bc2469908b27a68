"""The scriptable face of the data: JSON (schema in docs/format.md), CSV tables and iCalendar."""

from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
import io
import re
from collections.abc import Callable, Iterable
from typing import Any

import orjson

from . import attendance_sources
from .actions import Action, read_actions
from .frontmatter_fields import LEFT_OUT
from .library import Library
from .model import Item, Meeting, NextMeeting, Problem, meeting_id
from .text import clean, csv_text, json_safe

TABLES = ("meetings", "items", "attendance", "kpis", "decisions", "actions")
# The fields an action may carry (an action is text, or a mapping of these).
ACTION_FIELDS = ("text", "owner", "due", "status", "evidence")


def meeting_dict(
    m: Meeting, actions: dict[tuple[str, str], list[Action]] | None = None
) -> dict[str, Any]:
    """The meeting as the JSON export has it. An item's ``actions`` are objects
    ``{text, owner, due, status, evidence}`` read from their text (:mod:`tuibrowser.actions`):
    ``actions`` holds them by (meeting id, item number); without it they are read here."""
    items = []
    for it in m.items:
        d = it.to_dict()
        d.pop("path", None)
        d.pop("line", None)
        d["actions"] = item_actions(m, it, actions)
        items.append(d)
    out = {
        "id": m.id,
        "board": m.board,
        "date": m.date,
        "time": m.time,
        "venue": m.venue,
        "status": m.status,
        "cancelled": m.cancelled,
        "restricted": m.restricted,
        "documents": [
            {"kind": d.kind, "path": d.path, "title": d.title, "source": d.source}
            for d in m.documents
        ],
        "next_meeting": m.next_meeting.to_dict() if m.next_meeting else None,
        "items": items,
        "attendance": [a.to_dict() for a in m.attendance],
        "attendance_conflicts": [c.to_dict() for c in attendance_sources.conflicts(m)],
        "membership": [x.to_dict() for x in m.membership],
        "kpis": [k.to_dict() for k in m.kpis],
        "summaries": [s.to_dict() for s in m.summaries],
        "series": [s.to_dict() for s in m.series],
        "outputs": [o.to_dict() for o in m.outputs],
        "figures": [f.to_dict() for f in m.figures],
        "notes": list(m.notes),
        "linked_documents": [d.to_dict() for d in m.linked_documents],
    }
    return out


def _unread(m: Meeting, number: str, title: str, text: str) -> Action:
    """An action whose owner, due date and status are not read (a meeting on its own)."""
    from .actions import due_of, owner_of

    nxt = m.next_meeting.date if m.next_meeting else None
    it = m.item(number)
    return Action(
        text, m.id, m.date, m.board, number, title, owner_of(text, it, m), due_of(text, m.date, nxt)
    )


def item_actions(
    m: Meeting, it: Item, actions: dict[tuple[str, str], list[Action]] | None
) -> list[dict[str, Any]]:
    """An item's actions as the export has them: ``{text, owner, due, status, evidence}``,
    from ``actions`` (by meeting id and item number) or read from their text here."""
    read = (actions or {}).get((m.id, it.number))
    if read is None or len(read) != len(it.actions):
        read = [_unread(m, it.number, it.title, text) for text in it.actions]
    return [a.export() for a in read]


def actions_by_item(lib: Library) -> dict[tuple[str, str], list[Action]]:
    """Every action of the library, read, by (meeting id, item number)."""
    out: dict[tuple[str, str], list[Action]] = {}
    for a in read_actions(lib):
        out.setdefault((a.meeting, a.item), []).append(a)
    return out


def to_data(lib: Library) -> dict[str, Any]:
    actions = actions_by_item(lib)
    return {
        "meetings": [meeting_dict(m, actions) for m in lib.meetings],
        "people": [p.to_dict() for p in lib.people.values()],
        "problems": [p.to_dict() for p in lib.problems],
    }


def to_json(lib: Library) -> str:
    # orjson leaves DEL, C1 and bidi characters raw: escaped (\u0085, \u202e) for a terminal.
    return json_safe(orjson.dumps(to_data(lib), option=orjson.OPT_INDENT_2).decode()) + "\n"


def rows(lib: Library, table: str) -> tuple[list[str], list[list[Any]]]:
    if table == "meetings":
        head = [
            "id",
            "board",
            "date",
            "time",
            "venue",
            "status",
            "cancelled",
            "documents",
            "items",
            "present",
            "apologies",
            "in_attendance",
            "absent",
        ]
        body: list[list[Any]] = []
        for m in lib.meetings:
            by = m.attendance_by_status()
            body.append([
                m.id, m.board, m.date, m.time, m.venue, m.status, m.cancelled,
                " ".join(d.kind for d in m.documents), len(m.items),
                len(by["present"]), len(by["apologies"]), len(by["in_attendance"]), len(by["absent"]),
            ])  # fmt: skip
        return head, body
    if table == "items":
        head = [
            "meeting",
            "date",
            "number",
            "order",
            "title",
            "confidential",
            "decisions",
            "actions",
            "has_minute",
            "has_report",
        ]
        body = [
            [m.id, m.date, it.number, it.order, it.title, it.confidential, " | ".join(it.decisions),
             " | ".join(it.actions), bool(it.minute), it.report is not None]
            for m in lib.meetings for it in m.items
        ]  # fmt: skip
        return head, body
    if table == "attendance":
        head = ["meeting", "date", "name", "person", "role", "authority", "group", "status"]
        body = [
            [m.id, m.date, a.name, a.person, a.role, a.authority, a.group, a.status]
            for m in lib.meetings for a in m.attendance
        ]  # fmt: skip
        return head, body
    if table == "kpis":
        head = [
            "meeting",
            "date",
            "code",
            "theme",
            "period",
            "target",
            "target_value",
            "delivered",
            "actual_value",
            "rating",
            "item",
        ]
        body = [
            [m.id, m.date, k.code, k.theme, k.period, k.target, k.target_value, k.delivered, k.actual_value, k.rating, k.item]
            for m in lib.meetings for k in m.kpis
        ]  # fmt: skip
        return head, body
    if table == "decisions":
        head = ["meeting", "date", "board", "item", "item_title", "confidential", "decision"]
        body = [
            [m.id, m.date, m.board, it.number, it.title, it.confidential, _field_of(d, "text")]
            for m in lib.meetings for it in m.items for d in it.decisions
        ]  # fmt: skip
        return head, body
    if table == "actions":
        head = ["meeting", "date", "board", "item", "item_title", "confidential", *ACTION_FIELDS]
        actions = actions_by_item(lib)
        body = [
            [m.id, m.date, m.board, it.number, it.title, it.confidential,
             *(_field_of(a, f) for f in ACTION_FIELDS)]
            for m in lib.meetings for it in m.items for a in item_actions(m, it, actions)
        ]  # fmt: skip
        return head, body
    raise ValueError(f"unknown table {table!r}: use one of {', '.join(TABLES)}")


def _field_of(value: Any, name: str) -> Any:
    """A field of a decision or an action as the export holds it: a plain string is its
    ``text`` (and has no other field); a mapping (or a record with ``to_dict``) gives its own."""
    if isinstance(value, str):
        return value if name == "text" else None
    if not isinstance(value, dict) and hasattr(value, "to_dict"):
        value = value.to_dict()
    if isinstance(value, dict):
        got = value.get(name)
        if isinstance(got, (list, tuple)):  # evidence may be several references
            return " | ".join(str(x) for x in got)
        if isinstance(got, dict):
            return "; ".join(f"{k}: {v}" for k, v in got.items() if v not in (None, ""))
        return got
    return str(value) if name == "text" else None


def to_csv(lib: Library, table: str, raw: bool = False) -> str:
    """The table as CSV. A text cell a spreadsheet would take for a formula starts with ``'``
    unless ``raw`` (see :func:`tuibrowser.text.csv_text`)."""
    head, body = rows(lib, table)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(head)
    for r in body:
        # Control characters (ESC, OSC, BEL) are shown as visible escapes: CSV is often
        # printed to a terminal, and a spreadsheet has no use for them.
        w.writerow(["" if v is None else csv_text(v, raw) if isinstance(v, str) else v for v in r])
    return buf.getvalue()


_ICS_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _ics_text(value: str) -> str:
    value = clean(_ICS_CONTROL.sub("", value))  # controls dropped, bidi characters marked
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 folding: lines of at most 75 octets, continued with a space."""
    out, cur = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(cur) + len(b) > 75:
            out.append(cur.decode("utf-8"))
            cur = b" " + b
        else:
            cur += b
    out.append(cur.decode("utf-8"))
    return "\r\n".join(out)


# The meetings' times are local to the UK: every timed event says so, and the calendar carries
# the zone's rules (RFC 5545 asks for a VTIMEZONE for every TZID used).
TZID = "Europe/London"
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19700329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19701025T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def _start(date: str, time: str | None) -> str:
    """DTSTART: local time in Europe/London, or the day alone. No DTEND is written: the records
    give no end, and a calendar reads a start alone as the moment (or the whole day)."""
    day = _dt.date.fromisoformat(date).strftime("%Y%m%d")
    if time:
        at = _dt.time.fromisoformat(time)
        return f"DTSTART;TZID={TZID}:{day}T{at.strftime('%H%M%S')}"
    return f"DTSTART;VALUE=DATE:{day}"


def _event(uid: str, stamp: str, start: str, summary: str) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{_ics_text(uid)}", f"DTSTAMP:{stamp}", start,
            f"SUMMARY:{_ics_text(summary)}"]  # fmt: skip


def _meeting_event(m: Meeting, stamp: str, today: str) -> list[str]:
    lines = _event(f"{m.id}@tuibrowser", stamp, _start(m.date, m.time), m.board + (
        " (cancelled)" if m.cancelled else ""))  # fmt: skip
    if m.venue:
        lines.append(f"LOCATION:{_ics_text(m.venue)}")
    if m.items:
        agenda = "\n".join(
            f"{it.number}. {it.title}" + (" (confidential)" if it.confidential else "")
            for it in m.items
        )
        lines.append(f"DESCRIPTION:{_ics_text(agenda)}")
    if m.cancelled:
        lines.append("STATUS:CANCELLED")
    elif m.date > today and not any(d.kind == "minutes" for d in m.documents):
        lines.append("STATUS:TENTATIVE")  # still to come: an agenda is not a meeting held
    lines.append("END:VEVENT")
    return lines


def next_meetings(lib: Library) -> list[tuple[str, NextMeeting, Meeting]]:
    """The next meetings the records announce and the folder does not hold: per board, the
    ``next_meeting`` of its latest meeting that states one, when it is later than every meeting
    of that board in the folder (one the folder holds is exported as itself; one announced
    before meetings the folder holds is past). ``(board, next, announced by)``."""
    latest: dict[str, str] = {}
    for m in lib.meetings:
        latest[m.board] = max(latest.get(m.board, ""), m.date)
    out: list[tuple[str, NextMeeting, Meeting]] = []
    boards: set[str] = set()
    for m in lib.meetings:  # newest first
        nxt = m.next_meeting
        if m.board in boards or nxt is None or not nxt.date:
            continue
        boards.add(m.board)
        if nxt.date > latest[m.board]:
            out.append((m.board, nxt, m))
    return out


def _next_event(board: str, nxt: NextMeeting, by: Meeting, stamp: str) -> list[str]:
    assert nxt.date
    uid = f"{meeting_id(board, nxt.date)}@tuibrowser"
    lines = _event(uid, stamp, _start(nxt.date, nxt.time), board)
    if nxt.venue:
        lines.append(f"LOCATION:{_ics_text(nxt.venue)}")
    lines.append(f"DESCRIPTION:{_ics_text(f'Next meeting as stated by the meeting of {by.date}')}")
    lines.append("STATUS:TENTATIVE")
    lines.append("END:VEVENT")
    return lines


def to_ics(lib: Library, now: _dt.datetime | None = None) -> str:
    """The meetings as an iCalendar: times in Europe/London (with its VTIMEZONE), no invented
    end, a meeting still to come without minutes and each board's announced next meeting
    (``next_meeting``, when the folder does not hold it) as tentative events."""
    moment = now or _dt.datetime.now(_dt.UTC)
    stamp = moment.astimezone(_dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    today = moment.date().isoformat()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//tuibrowser//meetings//EN",
        "CALSCALE:GREGORIAN",
        *VTIMEZONE,
    ]
    for m in lib.meetings:
        lines.extend(_meeting_event(m, stamp, today))
    for board, nxt, by in next_meetings(lib):
        lines.extend(_next_event(board, nxt, by, stamp))
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def left_out(problems: Iterable[Problem]) -> list[Problem]:
    """The warnings of values a file held that are not in the export (a bad time, an attendance
    row without a name): the meeting is exported without them, and the command says so."""
    return [p for p in problems if p.severity == "warning" and p.message.endswith(LEFT_OUT)]


def each_meeting(write: Callable[[Library], str], lib: Library) -> tuple[str, list[str]]:
    """``write(lib)``, and the meetings it left out. The values of a file are range-checked
    where it is read (tuibrowser/limits.py); should a value still fail a writer (a JSON
    encoder, a date step for ICS), the meetings that fail are left out and named, so one
    meeting never stops the export of the others."""
    try:
        return write(lib), []
    except (TypeError, ValueError, OverflowError):
        pass
    kept: list[Meeting] = []
    skipped: list[str] = []
    for m in lib.meetings:
        try:
            write(dataclasses.replace(lib, meetings=[m], _by_id=None))
        except (TypeError, ValueError, OverflowError) as exc:
            skipped.append(f"{m.id}: {type(exc).__name__}: {exc}")
        else:
            kept.append(m)
    return write(dataclasses.replace(lib, meetings=kept, _by_id=None)), skipped
