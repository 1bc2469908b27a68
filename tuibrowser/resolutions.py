"""A decision block with numbered resolutions is that many decisions.

"Improvement & Innovation Board: 1) Noted the report… 2) Agreed to delegate…" resolves two
things: each becomes an entry of its own, keeping the lead-in as its context
("Improvement & Innovation Board: Noted the report…"). The points may be nested under the
lead-in (a list entry ending with ``:`` and its numbered sub-entries), or run on in one line.
Points that are not numbered (``-`` sub-bullets: the parts of one resolution) stay one entry.
"""

from __future__ import annotations

import re

# A point's number: "1)", "2.", "(3)" at the start of a line or after a blank.
_POINT = re.compile(r"(?:(?<=\s)|^)\(?(\d{1,2})[.)]\s+")


def split_entry(text: str) -> list[str]:
    """``text`` as the resolutions it holds: one entry, or one per numbered point with the
    lead-in before each. The numbers must run 1, 2, 3… and there must be at least two."""
    if ":" not in text or ("1)" not in text and "1." not in text):
        return [text]  # no lead-in or no first point: most entries, at the cost of two scans
    lead, points = _nested(text) or _inline(text) or ("", [])
    if len(points) < 2:
        return [text]
    return [join(lead, p) for p in points]


def split_entries(entries: list[str]) -> list[str]:
    return [part for e in entries for part in split_entry(e)]


def join(lead: str, point: str) -> str:
    """A point with its lead-in as context: ``Board: Noted the report``."""
    return f"{lead} {point}" if lead else point


def _nested(text: str) -> tuple[str, list[str]] | None:
    """``Lead-in:`` on the first line, then only numbered lines 1, 2, 3…"""
    lines = [ln.strip() for ln in text.split("\n")]
    if len(lines) < 3 or not lines[0].endswith(":"):
        return None
    points: list[str] = []
    for n, line in enumerate(lines[1:], start=1):
        m = _POINT.match(line)
        if not m or int(m.group(1)) != n or not line[m.end() :].strip():
            return None
        points.append(line[m.end() :].strip())
    return lines[0], points


def _inline(text: str) -> tuple[str, list[str]] | None:
    """``Lead-in: 1) … 2) …`` on one line: the first ``1)`` must follow the colon."""
    if "\n" in text:
        return None
    found = list(_POINT.finditer(text))
    first = next((m for m in found if m.group(1) == "1"), None)
    if first is None:
        return None
    lead = text[: first.start()].rstrip()
    if not lead.endswith(":"):
        return None
    marks = [first]
    for m in found:
        if m.start() > marks[-1].start() and int(m.group(1)) == len(marks) + 1:
            marks.append(m)
    ends = [m.start() for m in marks[1:]] + [len(text)]
    points = [text[m.end() : end].strip() for m, end in zip(marks, ends, strict=True)]
    if any(not p for p in points):
        return None
    return lead, points
