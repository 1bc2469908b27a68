"""What changed in a meeting: a small summary of what a meeting says (its items, attendance,
decisions and details), and the difference between two summaries in words.

A summary is plain JSON data (kept per user in the state folder: :mod:`.change_log`), small
enough to keep for every meeting: item titles and a hash of each item's content, who attended
with what status, the decisions' text (shortened), and the meeting's time, venue and state.
Headless: no Textual here.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

import orjson

from .keys import item_key, person_key
from .model import STATUS_LABELS, Meeting
from .text import one_line

SUMMARY_VERSION = 1
DECISION_CHARS = 160  # of a decision's text kept to say which one was added or removed

# The kinds of change, in the order a meeting's page lists them.
CHANGE_KINDS = (
    "meeting",
    "item added",
    "item removed",
    "item edited",
    "decision",
    "attendance",
    "details",
)

Summary = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Change:
    """One change, in words: ``kind`` (one of :data:`CHANGE_KINDS`) and what, as one line of text
    taken from the files (untrusted: shown literally)."""

    kind: str
    text: str

    def to_list(self) -> list[str]:
        return [self.kind, self.text]

    @classmethod
    def from_list(cls, value: Any) -> Change | None:
        if (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, str) for v in value)
            and value[0] in CHANGE_KINDS
        ):
            return cls(value[0], value[1])
        return None


def _hash(value: Any) -> str:
    return hashlib.sha256(orjson.dumps(value)).hexdigest()[:12]


def _text_of(value: Any) -> str:
    """A decision's or an action's text, whether it is a string or a record with ``text``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get("text") or "")
    return str(getattr(value, "text", value))


def summarize(m: Meeting, texts: bool = True) -> Summary:
    """What ``m`` says, as small JSON data. With ``texts`` the items' minutes and reports are
    hashed too (a library loaded without its long texts passes False: an edit of a minute is
    then told by the meeting's fingerprint, as "details")."""
    items: dict[str, list[Any]] = {}
    decisions: list[list[str]] = []
    for it in m.items:
        content = [it.confidential, [_text_of(a) for a in it.actions]]
        text = _hash([it.minute, it.report.to_dict() if it.report else None]) if texts else None
        items[item_key(it.number)] = [one_line(it.number), one_line(it.title), _hash(content), text]
        for d in it.decisions:
            decisions.append([one_line(it.number), one_line(_text_of(d), DECISION_CHARS)])
    attendance = {
        a.person or person_key(a.name): [one_line(a.name), a.status] for a in m.attendance
    }
    details = {
        "date": m.date,
        "time": m.time,
        "venue": one_line(m.venue or ""),
        "cancelled": m.cancelled,
        "documents": sorted({d.kind for d in m.documents}),
    }
    return {
        "v": SUMMARY_VERSION,
        "board": one_line(m.board),
        "date": m.date,
        "items": items,
        "decisions": decisions,
        "attendance": attendance,
        "details": details,
    }


def is_summary(value: Any) -> bool:
    """Whether ``value`` (as read from the state folder) is a summary of this version."""
    return (
        isinstance(value, dict)
        and value.get("v") == SUMMARY_VERSION
        and isinstance(value.get("items"), dict)
        and isinstance(value.get("decisions"), list)
        and isinstance(value.get("attendance"), dict)
        and isinstance(value.get("details"), dict)
    )


def diff(before: Summary, after: Summary) -> list[Change]:
    """The changes from ``before`` to ``after`` (two summaries of one meeting), in the order of
    :data:`CHANGE_KINDS`. Empty when they say the same."""
    decisions = _decisions(before["decisions"], after["decisions"])
    # an item whose decisions changed has a changed minute too: told once, as the decisions
    decided = {c.text.split(": ", 1)[0].rsplit(" ", 1)[-1] for c in decisions}
    out = _items(before["items"], after["items"], decided)
    out += decisions
    out += _attendance(before["attendance"], after["attendance"])
    out += _details(before["details"], after["details"])
    order = {k: i for i, k in enumerate(CHANGE_KINDS)}
    return sorted(out, key=lambda c: order[c.kind])


def _label(entry: Any) -> str:
    number, title = (entry[0], entry[1]) if isinstance(entry, list) and len(entry) > 1 else ("", "")
    return f"{number}. {title}" if number else str(title)


def _items(before: dict, after: dict, decided: set[str]) -> list[Change]:
    out = []
    for key, entry in after.items():
        old = before.get(key)
        if old is None:
            out.append(Change("item added", _label(entry)))
        elif not isinstance(old, list) or len(old) < 4 or len(entry) < 4:
            continue
        elif old[1] != entry[1]:
            out.append(Change("item edited", f"{_label(entry)} (was titled {old[1]!r})"))
        elif old[2] != entry[2] or (
            old[3] and entry[3] and old[3] != entry[3] and entry[0] not in decided
        ):
            out.append(Change("item edited", _label(entry)))
    out += [Change("item removed", _label(e)) for k, e in before.items() if k not in after]
    return out


def _decisions(before: list, after: list) -> list[Change]:
    was = Counter(tuple(d) for d in before if isinstance(d, list))
    now = Counter(tuple(d) for d in after if isinstance(d, list))
    out = [Change("decision", f"added at item {d[0]}: {d[1]}") for d in (now - was).elements()]
    out += [Change("decision", f"removed at item {d[0]}: {d[1]}") for d in (was - now).elements()]
    return out


def _status(value: Any) -> str:
    return STATUS_LABELS.get(value, str(value)).lower()


def _attendance(before: dict, after: dict) -> list[Change]:
    out = []
    for key, (name, status) in after.items():
        old = before.get(key)
        if not isinstance(old, list) or len(old) != 2:
            out.append(Change("attendance", f"{name} added ({_status(status)})"))
        elif old[1] != status:
            out.append(Change("attendance", f"{name}: {_status(old[1])} → {_status(status)}"))
    for key, old in before.items():
        if key not in after and isinstance(old, list) and len(old) == 2:
            out.append(Change("attendance", f"{old[0]} removed (was {_status(old[1])})"))
    return out


_DETAIL_NAMES = {"date": "date", "time": "time", "venue": "venue", "cancelled": "cancelled"}


def _details(before: dict, after: dict) -> list[Change]:
    out = []
    for key, name in _DETAIL_NAMES.items():
        if before.get(key) != after.get(key):
            out.append(
                Change("details", f"{name}: {_shown(before.get(key))} → {_shown(after.get(key))}")
            )
    if before.get("documents") != after.get("documents"):
        was, now = set(before.get("documents") or ()), set(after.get("documents") or ())
        for kind in sorted(now - was):
            out.append(Change("details", f"{kind} added"))
        for kind in sorted(was - now):
            out.append(Change("details", f"{kind} removed"))
    return out


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


TEXT_EDITED = Change("details", "the text of its files changed")


def meeting_changes(before: Summary | None, after: Summary) -> list[Change]:
    """What changed in a meeting whose files changed: its differences, or, when the summaries
    say the same (a minute's wording, read without the long texts), that its text changed."""
    if before is None:
        return [Change("meeting", "new meeting")]
    return diff(before, after) or [TEXT_EDITED]
