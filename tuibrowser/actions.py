"""The action tracker: each action of the minutes with its owner, due date and status.

Derived from the text as written (the file format does not change):

- **owner**: who the action names as its doer — a person or a role ("Brian Reynolds will
  distribute…", "Officers to circulate…"); initials ("HW to…") are resolved against the
  item's speakers ("Heather Wills (HW)") and the meeting's attendees. None when the action
  names no doer ("slides would be circulated", "Board Members to be invited…").
- **due**: a date written in the action ("by 5 April 2024", "on Thursday 21 January"), a date
  without a year read as the first such day on or after the meeting's date; "by the next
  meeting" is the next meeting's date when the record gives it. A date before the meeting is
  a reference, not a due date.
- **status**: ``done`` or ``mentioned`` when a later meeting of the same board refers back to
  it (matters arising, the same topic, the owner reporting back; ``done`` when the sentence
  says it happened), with the evidence; ``open`` else. See :mod:`tuibrowser.action_status`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import ClassVar

from .base import DictRoundTrip
from .library import Library
from .model import Item, Meeting, strip_name

STATUSES = ("open", "mentioned", "done")


@dataclass(slots=True)
class Evidence(DictRoundTrip):
    """Where a later meeting refers back to an action: its meeting, item and sentence."""

    meeting: str
    date: str
    item: str
    title: str
    sentence: str
    reason: str  # "matters arising", "owner reported back" or "same topic"


@dataclass(slots=True)
class Action(DictRoundTrip):
    text: str
    meeting: str
    date: str
    board: str
    item: str
    item_title: str
    owner: str | None = None
    due: str | None = None
    status: str = "open"
    evidence: Evidence | None = None
    confidential: bool = False

    _nested: ClassVar[dict[str, type]] = {"evidence": Evidence}

    def overdue(self, today: dt.date) -> bool:
        return self.status == "open" and self.due is not None and self.due < today.isoformat()

    def export(self) -> dict:
        """The object an export's item lists: ``{text, owner, due, status, evidence}``."""
        return {
            "text": self.text,
            "owner": self.owner,
            "due": self.due,
            "status": self.status,
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }


# --- owner -------------------------------------------------------------------------

# What joins a doer to the deed: "X will …", "X to …", "X agreed to …".
_MODAL = re.compile(
    r"\s+(?:will|would|shall|to|is to|are to|agreed to|undertook to|has agreed to|"
    r"have agreed to|should)\s+(?P<next>[\w'’]+)",
    re.IGNORECASE,
)
_NOT_A_DOER = re.compile(
    r"^(?:it|there|this|that|these|those|members? were|the board)\b|\b(?:that|was|were|be|been)\b",
    re.IGNORECASE,
)
_INITIALS = re.compile(r"^[A-Z]{2,4}$")
_TRAILING_OWNER = re.compile(r"[(\[]\s*(?:action\s*:?\s*)?(?P<who>[A-Z]{2,4})\s*[)\]]\s*\.?$")
_ACTION_BY = re.compile(
    r"\b(?:action|lead|owner)\s*:\s*(?P<who>[^.;:()\[\]]{2,60}?)\s*[)\]]?\s*\.?$", re.I
)
# Verbs an action starts with when it is an instruction ("Circulate the slides to members"),
# not a doer.
IMPERATIVES = frozenset(
    """arrange ask bring check circulate consider contact draft ensure explore invite organise
    prepare provide publish report review send set share update write""".split()
)
_MARKUP = re.compile(r"[*_`]+")
MAX_OWNER_WORDS = 6


def owner_of(text: str, item: Item | None = None, meeting: Meeting | None = None) -> str | None:
    """The doer the action names, as written, initials resolved; None when it names none."""
    plain = " ".join(_MARKUP.sub("", text).split())
    who = _trailing_owner(plain) or _leading_owner(plain)
    if who is None:
        return None
    if _INITIALS.match(who):
        return resolve_initials(who, item, meeting) or who
    return who


def _trailing_owner(text: str) -> str | None:
    for pattern in (_TRAILING_OWNER, _ACTION_BY):
        if m := pattern.search(text):
            return m.group("who").strip()
    return None


def _leading_owner(text: str) -> str | None:
    m = _MODAL.search(text)
    if m is None or m.group("next").lower() in ("be", "have", "been"):
        return None  # "Board Members to be invited": the doer is not said
    subject = text[: m.start()].strip(" ,;:-–")
    words = subject.split()
    if not words or len(words) > MAX_OWNER_WORDS or _NOT_A_DOER.search(subject):
        return None
    if words[0].lower() == "the" and len(words) > 1:
        words = words[1:]
    if not words[0][:1].isupper() or words[0].lower() in IMPERATIVES:
        return None
    return " ".join(words)


def initials(name: str) -> str:
    """``Heather Wills`` → ``HW`` (titles and honours left out)."""
    return "".join(w[0] for w in strip_name(name).replace("-", " ").split() if w[:1].isalpha())


def resolve_initials(code: str, item: Item | None, meeting: Meeting | None) -> str | None:
    """The person ``code`` stands for: a speaker introduced as ``Heather Wills (HW)`` in the
    item (or elsewhere in the meeting), else the one attendee with those initials."""
    texts = [item.minute] if item is not None else []
    if meeting is not None:
        texts += [it.minute for it in meeting.items if it is not item]
    named = re.compile(
        r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3})\s*\(\s*" + re.escape(code) + r"\s*\)"
    )
    for text in texts:
        for m in named.finditer(text or ""):
            words = m.group("name").split()
            # "The Chair invited Heather Wills (HW)": the words whose initials spell the code
            for start in range(len(words)):
                if initials(" ".join(words[start:])) == code:
                    return " ".join(words[start:])
    if meeting is not None:
        found = {strip_name(a.name) for a in meeting.attendance if initials(a.name) == code}
        if len(found) == 1:
            return found.pop()
    return None


# --- due date ------------------------------------------------------------------------

MONTHS = {
    m.lower(): n
    for n, names in enumerate(
        [
            ("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"),
            ("May",), ("June", "Jun"), ("July", "Jul"), ("August", "Aug"),
            ("September", "Sep", "Sept"), ("October", "Oct"), ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for m in names
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = r"(?:(?P<wd>mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+)?"
_DAY_MONTH = re.compile(
    _WEEKDAY
    + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>"
    + _MONTH
    + r")\b\.?(?:,?\s+(?P<y>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    _WEEKDAY
    + r"(?P<m>"
    + _MONTH
    + r")\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")
_END_OF = re.compile(r"\bend of (?P<m>" + _MONTH + r")\b(?:\s+(?P<y>(?:19|20)\d\d))?", re.I)
_NEXT_MEETING = re.compile(r"\b(?:by|before|at|for|to) the next (?:board )?meeting\b", re.I)


def due_of(text: str, meeting_date: str, next_meeting: str | None = None) -> str | None:
    """The due date written in ``text`` (ISO), read against the meeting's date."""
    try:
        held = dt.date.fromisoformat(meeting_date)
    except ValueError:
        return None
    found: list[tuple[int, dt.date]] = []
    for pattern in (_DAY_MONTH, _MONTH_DAY, _ISO, _END_OF):
        for m in pattern.finditer(text):
            day = _date_of(m, held)
            if day is not None and day >= held:
                found.append((m.start(), day))
    if found:
        return min(found)[1].isoformat()
    if next_meeting and _NEXT_MEETING.search(text):
        return next_meeting
    return None


def _date_of(m: re.Match[str], held: dt.date) -> dt.date | None:
    groups = m.groupdict()
    month_text = groups["m"]
    month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
    year = int(groups["y"]) if groups.get("y") else None
    if "d" not in groups:  # "end of August"
        y = year or (held.year if month >= held.month else held.year + 1)
        nxt = dt.date(y + (month == 12), month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    day = int(groups["d"])
    if year is not None:
        return _safe_date(year, month, day)
    weekday = (groups.get("wd") or "").lower()[:3]
    # The first such day on or after the meeting; a weekday written picks the year it names.
    candidates = [d for y in (held.year, held.year + 1) if (d := _safe_date(y, month, day))]
    candidates = [d for d in candidates if d >= held] or candidates
    if weekday:
        named = [d for d in candidates if WEEKDAYS[d.weekday()].startswith(weekday)]
        candidates = named or candidates
    return candidates[0] if candidates else None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# --- the tracker ---------------------------------------------------------------------


def read_actions(library: Library, with_status: bool = True) -> list[Action]:
    """Every action of every meeting, with owner, due date and (``with_status``) status."""
    from .action_status import find_evidence

    out: list[Action] = []
    for m in library.meetings:
        items_read = None
        for it in m.items:
            if not it.actions:
                continue
            if items_read is None:
                full = library.full(m.id) or m
                items_read = {i.number: i for i in full.items}
            whole = items_read.get(it.number, it)
            nxt = m.next_meeting.date if m.next_meeting else None
            for text in it.actions:
                out.append(
                    Action(
                        text=text,
                        meeting=m.id,
                        date=m.date,
                        board=m.board,
                        item=it.number,
                        item_title=it.title,
                        owner=owner_of(text, whole, m),
                        due=due_of(text, m.date, nxt),
                        confidential=it.confidential,
                    )
                )
    if with_status:
        find_evidence(library, out)
    return out


def sorted_actions(actions: list[Action], today: dt.date) -> list[Action]:
    """Overdue first (the longest overdue first), then open ones by due date, then the ones
    a later meeting mentions, then the done ones; by owner and newest meeting within."""

    def key(a: Action) -> tuple:
        rank = 0 if a.overdue(today) else 1 + STATUSES.index(a.status)
        return (rank, a.due or "9999-99-99", (a.owner or "~").casefold(), _neg(a.date))

    return sorted(actions, key=key)


def _neg(date: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in date)


def select(
    actions: list[Action], open_only: bool = False, owner: str | None = None
) -> list[Action]:
    """The actions still open (``open_only``) and whose owner contains ``owner`` (any case)."""
    want = " ".join((owner or "").split()).casefold()
    return [
        a
        for a in actions
        if (not open_only or a.status == "open")
        and (not want or want in " ".join((a.owner or "").split()).casefold())
    ]


CSV_FIELDS = (
    "meeting", "date", "item", "item_title", "text", "owner", "due", "status", "overdue",
    "confidential", "evidence_meeting", "evidence_date", "evidence_item", "evidence_reason",
    "evidence_sentence",
)  # fmt: skip


def rows_csv(actions: list[Action], today: dt.date, raw: bool = False) -> str:
    """The actions as CSV, one row each: control characters escaped, and a cell a spreadsheet
    would run as a formula starting with ``'`` unless ``raw``."""
    import csv
    import io

    from .text import csv_text

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_FIELDS)
    for a in actions:
        e = a.evidence
        row = [
            a.meeting, a.date, a.item, a.item_title, a.text, a.owner, a.due, a.status,
            a.overdue(today), a.confidential, e and e.meeting, e and e.date, e and e.item,
            e and e.reason, e and e.sentence,
        ]  # fmt: skip
        w.writerow(
            ["" if v is None else csv_text(v, raw) if isinstance(v, str) else v for v in row]
        )
    return buf.getvalue()
