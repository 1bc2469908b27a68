"""ModernGov text exports of minutes ("Note of last … meeting", "Minutes of …").

Two layouts:

- items wrapped in ``<AIn>`` … ``</AIn>`` markers, the number and the title each on a line of
  their own (one block can hold more than one item);
- no markers: items as ``N<TAB>Title text…`` table rows or ``N Title`` lines, with
  **Decisions** / **Actions** sub-blocks.

Decisions come from ``Decision:`` / ``Decisions`` blocks; a note without any such block has its
decisions read from sentences where the meeting "agreed" or "noted" something, and its actions
from requests that something "be done". The attendance appendix is read by
:mod:`.attendance`. Text that cannot be placed goes to a ``Notes`` section, with a warning.
"""

from __future__ import annotations

import re
from typing import Any

from .. import limits
from ..model import Document, Item, NextMeeting, Section, Summary
from .attendance import is_appendix_header, parse_appendix
from .base import (
    DATE_WORDS,
    TIME_RE,
    ImportedDocument,
    ImportFailure,
    parse_date,
    parse_time,
    sentences,
    tidy,
)

NOTE_TITLE = re.compile(
    r"^[ \t]*+(?P<title>(?:Note|Notes|Minutes)\s++of\s++(?:the\s++)?(?:last\s++)?"
    r"(?P<board>.*?\S)\s+meeting)\b",  # (possessive, and .*?\S: linear on a run of blanks)
    re.I,
)
_AI_OPEN = re.compile(r"^\s*<AI(\d+)>\s*$")
_AI_CLOSE = re.compile(r"^\s*</AI(\d+)>\s*$")
_TRAILER = re.compile(r"^\s*<TRAILER_SECTION>\s*$")
_NUMBER_LINE = re.compile(r"^\t\s*(?P<num>\d{1,3}[A-Za-z]?)\.?\s*$")
_ROW_ITEM = re.compile(r"^(?P<num>\d{1,3}[A-Za-z]?)\t(?P<rest>.+)$")
_LINE_ITEM = re.compile(r"^(?P<num>\d{1,3}[A-Za-z]?) (?P<title>[A-Z][^\t]{2,150})$")
_BLOCK_HEAD = re.compile(
    r"^\s*+(?:\*\*)?\s*+(?P<word>Decisions?|Actions?)\s*+:?\s*+(?:\*\*)?\s*+:?\s*+$", re.I
)
# "RESOLVED:", "Resolved:", "**RESOLVED:** That …", "**RESOLVED**: that …", "RESOLVED – That …"
_RESOLVED = re.compile(
    r"^\s*+(?:\*\*)?\s*+(?:RESOLVED\b|Resolved(?=\s*+(?:\*\*)?\s*+:))"
    r"\s*+(?:\*\*)?\s*+[:\-–]?\s*+(?:\*\*)?\s*+(?P<rest>.*)$"
)
_APPENDIX = re.compile(r"^\s*Appendix\s+[A-Z]\b.*Attendance", re.I)
_CONFIDENTIAL = re.compile(r"confidential|part\s*(2|ii)\b|restricted|exempt", re.I)
_SENTENCE_START = re.compile(
    r"\s(?=(?:The|Members|Member|Cllr|Mayor|He|She|It|There|This|Officers|Board)\s)"
)
_NEXT = re.compile(r"Date of next meeting\s*+:?\s*+(?P<rest>.+)", re.I)

DECIDE = re.compile(r"\b(agreed|noted)\b", re.I)
DECIDER = re.compile(
    r"^(Members|The Board|The board|Board members|The Committee|The committee)\b|\bwere agreed\b|\bwas agreed\b"
)
PREVIOUS_AGREED = re.compile(r"\b(minutes|note|notes)\b.*\b(was|were)\s+\**agreed\b", re.I)
REQUEST = re.compile(
    r"^(The )?(Chairman|Chair|Vice-Chair\w*)\b.*\brequested that\b.+\bbe\s+\w+ed\b"
)


def looks_like(text: str) -> bool:
    head = text[:4000]
    return bool(re.search(NOTE_TITLE.pattern, head, re.I | re.M) or re.search(r"<AI\d+>", head))


def parse(text: str, source: str, board: str | None, warnings: list[str]) -> list[ImportedDocument]:
    lines = text.split("\n")
    doc = parse_note(lines, source, board, warnings)
    return [ImportedDocument(doc)]


# --- header --------------------------------------------------------------------


def _header(lines: list[str], board_opt: str | None, warnings: list[str]) -> dict:
    info: dict = {"title": None, "board": None, "date": None, "venue": None, "time": None}
    head: list[str] = []
    for line in lines:
        if re.match(r"^\s*Attendance\s*$", line) or _AI_OPEN.match(line):
            break
        head.append(line)
    stripped = [ln.strip() for ln in head if ln.strip() and ln.strip() != "*"]
    for i, ln in enumerate(stripped):
        m = NOTE_TITLE.match(ln)
        if m and info["title"] is None:
            info["title"] = m.group("title").strip()
            derived = m.group("board").strip()
            info["derived_board"] = derived
            continue
        label, _, value = ln.partition(":")
        key = label.strip().lower()
        if key in ("title", "date", "venue", "time", "committee") and (
            value.strip() or i + 1 < len(stripped)
        ):
            value = value.strip() or (stripped[i + 1] if i + 1 < len(stripped) else "")
            if key in ("title", "committee"):
                info["board"] = info["board"] or value
            elif key == "date":
                info["date"] = info["date"] or parse_date(value, warnings, lines)
            elif key == "venue":
                info["venue"] = info["venue"] or value
            elif key == "time":
                info["time"] = info["time"] or parse_time(value)
    if info["date"] is None or info["venue"] is None or info["board"] is None:
        # unlabelled header: board, date, venue on lines of their own
        rest = [ln for ln in stripped if not NOTE_TITLE.match(ln) and ":" not in ln[:12]]
        for i, ln in enumerate(rest):
            d = parse_date(ln, warnings if info["date"] is None else None, lines)
            if d and info["date"] is None:
                info["date"] = d
                info["time"] = info["time"] or parse_time(ln.split(str(d[:4]))[-1])
                if info["venue"] is None and i + 1 < len(rest):
                    info["venue"] = rest[i + 1]
                if info["board"] is None and i > 0:
                    info["board"] = rest[i - 1]
                break
    if info["board"] is None:
        info["board"] = board_opt or info.get("derived_board")
    if info["date"] is None:
        raise ImportFailure(
            "no meeting date found in the header (e.g. 'Date: Thursday 24 May 2018')"
        )
    if info["board"] is None:
        raise ImportFailure("no board or committee name found: pass --board NAME")
    return info


# --- items ---------------------------------------------------------------------


def parse_note(
    lines: list[str], source: str, board_opt: str | None, warnings: list[str]
) -> Document:
    info = _header(lines, board_opt, warnings)
    doc = Document(
        path=source,
        board=board_opt if board_opt and not info["board"] else info["board"],
        date=info["date"],
        kind="minutes",
        title=info["title"],
        time=info["time"],
        venue=info["venue"],
        source=source.rsplit("/", 1)[-1],
    )
    if any(_AI_OPEN.match(ln) for ln in lines):
        blocks, appendix, leftovers = _marked_blocks(lines)
    else:
        blocks, appendix, leftovers = _unmarked_blocks(lines)
    explicit = any(
        _BLOCK_HEAD.match(ln) or _RESOLVED.match(ln) for _, _, body in blocks for ln in body
    )
    seen: set[str] = set()
    for position, (number, title, body) in enumerate(blocks, start=1):
        if number in seen:
            warnings.append(f"item {number} appears twice; the second is kept as item {number}a")
            number = f"{number}a"
        seen.add(number)
        item = Item(number=number, title=title, order=position)
        item.confidential = bool(_CONFIDENTIAL.search(title))
        fill_item(item, body, explicit, warnings)
        doc.items.append(item)
        doc.summaries.extend(prose_summaries(item.minute, number))
    if appendix:
        unplaced: list[str] = []
        doc.attendance = parse_appendix(appendix, warnings, unplaced)
        if not doc.attendance:
            warnings.append("an attendance appendix was found but no attendee could be read")
            leftovers.extend(appendix)
        elif unplaced:
            warnings.append(
                f"attendance: {len(unplaced)} line(s) that are no part of an attendee are kept "
                "under 'Notes': " + "; ".join(repr(u[:60]) for u in unplaced[:3])
            )
            leftovers.extend(unplaced)
    for ln in lines:
        m = _NEXT.search(ln)
        if m:
            rest = m.group("rest")
            venue = re.search(r"\d{1,2}[.:]\d{2}\s*+(?:am|pm)?\s*+,\s*+(?P<venue>.+)$", rest, re.I)
            doc.next_meeting = NextMeeting(
                date=parse_date(rest, warnings, lines),
                time=parse_time(rest),
                venue=venue.group("venue").strip() if venue else None,
            )
    known = {
        v for v in (info["title"], info["board"], info["venue"], info.get("derived_board")) if v
    }
    leftovers = [ln for ln in leftovers if not _explained(ln, known, doc.date, doc.time)]
    rest = tidy("\n".join(leftovers))
    if rest:
        warnings.append("some text could not be placed in an item; it is kept under 'Notes'")
        doc.sections.append(Section(title="Notes", text=rest))
    if not doc.items:
        warnings.append("no agenda items found")
    return doc


def _marked_blocks(
    lines: list[str],
) -> tuple[list[tuple[str, str, list[str]]], list[str], list[str]]:
    blocks: list[tuple[str, str, list[str]]] = []
    appendix: list[str] = []
    leftovers: list[str] = []
    inside = False
    in_appendix = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if _AI_OPEN.match(line):
            inside = True
            i += 1
            continue
        if _AI_CLOSE.match(line):
            inside = False
            i += 1
            continue
        if _TRAILER.match(line) or _APPENDIX.match(line):
            in_appendix = True
        if in_appendix:
            appendix.append(line)
            i += 1
            continue
        if inside and (m := _NUMBER_LINE.match(line)):
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and lines[j].strip() and not _AI_CLOSE.match(lines[j]):
                blocks.append((m.group("num"), lines[j].strip(), []))
                i = j + 1
                continue
        if inside and blocks:
            blocks[-1][2].append(line)
        elif line.strip():
            leftovers.append(line)  # the header lines are sorted out by the caller
        i += 1
    return blocks, appendix, leftovers


_WEEKDAY = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b,?", re.I)
_ATTACHED = re.compile(
    r"An attendance list is attached as \[?Appendix [A-Z]\]?(?:\(#\))?(?:\s+to this note)?\.?",
    re.I,
)
_LABEL = re.compile(r"^\s*(?:Title|Date|Venue|Time|Committee)\s*:", re.I)
_FIXED = re.compile(
    r"^\s*(?:Attendance|Item|Action|Decisions and actions|"
    r"Item\s+Decisions and actions(?:\s+Action)?)\s*:?\s*$",
    re.I,
)


def _explained(line: str, known: set[str], date: str | None, time: str | None) -> bool:
    """A line outside the items that the document already says: every word of it is a
    header field it records (title, board, venue, the date, the time) or a fixed label of the
    export ("Date:", "An attendance list is attached …"). Any other word keeps the line."""
    s = line.strip()
    if _FIXED.match(s):
        return True
    for k in sorted(known, key=len, reverse=True):
        s = s.replace(k.strip(), " ")
    s = _ATTACHED.sub(" ", _LABEL.sub(" ", s))
    s = DATE_WORDS.sub(lambda m: " " if parse_date(m.group()) == date else m.group(), s)
    s = _WEEKDAY.sub(" ", s)
    s = TIME_RE.sub(
        lambda m: (
            " " if (m.group(2) or m.group(3)) and parse_time(m.group()) == time else m.group()
        ),
        s,
    )
    return not re.search(r"\w", s)


def _unmarked_blocks(
    lines: list[str],
) -> tuple[list[tuple[str, str, list[str]]], list[str], list[str]]:
    blocks: list[tuple[str, str, list[str]]] = []
    appendix: list[str] = []
    leftovers: list[str] = []
    started = False
    in_appendix = False
    last = 0
    for line in lines:
        if in_appendix or _APPENDIX.match(line) or is_appendix_header(line):
            in_appendix = True
            appendix.append(line)
            continue
        head = re.match(r"^\s*Item\s+Decisions and actions(?:\s+Action\b)?", line)
        if head and not started:
            started = True
            if line[head.end() :].strip():
                leftovers.append(line[head.end() :])  # more than the table's header
            continue
        m = _ROW_ITEM.match(line) if started else None
        n = _LINE_ITEM.match(line) if started else None
        if m and int(re.sub(r"\D", "", m.group("num"))) > last:
            number = m.group("num")
            rest = _html_text(m.group("rest").strip().strip("\t").strip())
            title, text = _split_title(rest)
            blocks.append((number, title, [text]))
            last = int(re.sub(r"\D", "", number))
            continue
        if (
            n
            and int(re.sub(r"\D", "", n.group("num"))) > last
            and not n.group("title").endswith(".")
        ):
            number = n.group("num")
            blocks.append((number, n.group("title").strip(), []))
            last = int(re.sub(r"\D", "", number))
            continue
        if blocks:
            blocks[-1][2].append(line)
        elif line.strip():
            leftovers.append(
                line
            )  # before the items: the caller keeps what the header does not say
    return blocks, appendix, leftovers


def _split_title(text: str) -> tuple[str, str]:
    """A table row runs the title into the minute: split where the first sentence starts."""
    m = _SENTENCE_START.search(text)
    if not m or m.start() > 150:
        return text, ""
    return text[: m.start()].strip(), text[m.start() :].strip()


def _html_text(text: str) -> str:
    """Inline HTML in a text export (``<ul>`` with ``•`` bullets) → lines."""
    text = re.sub(r"<ul[^>]*>", "\n", text)
    text = re.sub(r"</?[a-zA-Z][^>]*>", "", text)
    parts = text.split("•")
    if len(parts) == 1:
        return text
    out = [parts[0].rstrip(), ""]
    for p in parts[1:]:
        p = p.strip()
        m = re.match(r"(.+?\.)\s+([A-Z].*)$", p)
        if m:  # the last bullet runs into the next paragraph
            out.append("- " + m.group(1))
            out.append("")
            out.append(m.group(2))
        else:
            out.append("- " + p)
    return "\n".join(out)


def fill_item(item: Item, body: list[str], explicit: bool, warnings: list[str]) -> None:
    prose: list[str] = []
    parts: dict[str, list[list[str]]] = {"decisions": [], "actions": []}
    target = prose
    for line in body:
        m = _BLOCK_HEAD.match(line)
        if m:
            key = "decisions" if m.group("word").lower().startswith("decision") else "actions"
            target = []
            parts[key].append(target)
            continue
        r = _RESOLVED.match(line)
        if r:
            rest = r.group("rest").strip()
            if rest.endswith("**") and rest.count("**") % 2:
                rest = rest[:-2].rstrip()  # "**RESOLVED: That …**": the bold ends here
            target = [rest] if rest else []
            parts["decisions"].append(target)
            continue
        target.append(line)
    item.minute = tidy("\n".join(prose))
    notes: list[str] = []
    for key in ("decisions", "actions"):
        for block in parts[key]:
            entries, stray = _entries(tidy("\n".join(block)))
            for s in stray:
                # A decision printed among actions (bold verb): keep it a decision.
                if key == "actions" and re.match(
                    r"^(Members|The Board)\s+\*\*(agreed|noted)\*\*", s
                ):
                    item.decisions.append(s)
                else:
                    notes.append(s)
            for e in entries:
                if key == "actions" and re.match(
                    r"^(Members|The Board)\s+\*\*(agreed|noted)\*\*", e
                ):
                    item.decisions.append(e)
                elif e not in getattr(item, key):
                    getattr(item, key).append(e)
    if notes:
        warnings.append(
            f"item {item.number}: text under a Decisions/Actions heading that is neither was "
            "kept in the item's editor's note"
        )
        item.note = (
            "Printed under the decisions and actions, not attached to an entry:\n\n"
            + "\n\n".join(notes)
        )
    if not explicit:
        _infer(item)
    elif not item.decisions:
        # "The minutes of the previous meeting were agreed" is the meeting's decision
        item.decisions.extend(s for s in sentences(item.minute) if PREVIOUS_AGREED.search(s))


def _entries(text: str) -> tuple[list[str], list[str]]:
    """Paragraphs → entries. A paragraph ending with ':' takes the list after it as nested
    points; a list that follows no lead-in is returned as stray text."""
    entries: list[str] = []
    stray: list[str] = []
    paras = [p for p in text.split("\n\n") if p.strip()]
    i = 0
    while i < len(paras):
        p = paras[i]
        if p.startswith("- ") and all(ln.startswith("- ") for ln in p.split("\n")):
            bullets = [ln[2:].strip() for ln in p.split("\n")]
            # a list following a lead-in that ends with ':' belongs to it
            if entries and entries[-1].rstrip().endswith(":") and "\n" not in entries[-1]:
                entries[-1] += "".join(f"\n- {b}" for b in bullets)
            elif entries and "\n- " in entries[-1]:
                entries[-1] += "".join(f"\n- {b}" for b in bullets)
            else:
                stray.append(p)
            i += 1
            continue
        lines = p.split("\n")
        numbered = [re.match(r"^(\d+)[.)]\s+(.*)$", ln) for ln in lines[1:]]
        if lines[0].rstrip().endswith(":") and lines[1:] and all(numbered):
            # the points keep their numbers (1) / 2. as "1.", the way the corpus writes them)
            entries.append(
                lines[0] + "".join(f"\n{m.group(1)}. {m.group(2)}" for m in numbered if m)
            )
        else:
            entries.append(re.sub(r"^\d+[.)]\s+", "", " ".join(ln.strip() for ln in lines)))
        i += 1
    return entries, stray


_TOTAL = re.compile(
    r"\b(\d+)\s+(?:key\s+)?(?:targets|deliverables|measures|indicators|KPIs)\b", re.I
)
_COLOUR = re.compile(r"\b(green|amber|red)\b", re.I)


def prose_summaries(text: str, item: str) -> list[Summary]:
    """A RAG summary stated in a sentence: "Of the 26 key targets 15 are rag-rated green and the
    remaining 11 … amber". Each colour takes the nearest number before it; a colour the
    sentence does not give stays empty."""
    out: list[Summary] = []
    for s in sentences(text):
        m = _TOTAL.search(s)
        if not m or not _COLOUR.search(s[m.end() :]):
            continue
        numbers = [
            (n.start(), limits.count(n.group()))
            for n in re.finditer(r"\b\d+\b", s)
            if n.start() > m.end()
        ]
        counts: dict[str, Any] = {}  # attendance counts, Summary's keywords
        used: set[int] = set()
        for c in _COLOUR.finditer(s[m.end() :]):
            pos = m.end() + c.start()
            before = [(p, v) for p, v in numbers if p < pos and p not in used]
            if before and c.group(1).lower() not in counts:
                p, v = before[-1]
                counts[c.group(1).lower()] = v
                used.add(p)
        total = limits.count(m.group(1))
        if counts and sum(counts.values()) <= total:
            out.append(Summary(total=total, item=item, note=f"As stated: {s}", **counts))
    return out


def _infer(item: Item) -> None:
    """Decisions and actions of a note without Decision/Action blocks, from its sentences."""
    said = sentences(item.minute.replace("\n- ", "\n"))
    used: set[int] = set()
    for i, s in enumerate(said):
        if DECIDE.search(s) and DECIDER.search(s):
            text = s
            if re.search(r"\bthis\b", s) and len(s) < 60 and i > 0:
                text = f"{said[i - 1]}  {s}"
                used.add(i - 1)
            item.decisions.append(text)
            used.add(i)
    for i, s in enumerate(said):
        if i not in used and REQUEST.search(s):
            # "…be circulated after the Board, and concluded that …": the request alone
            item.actions.append(re.split(r",\s+and\s+(?=\w+ed\b)", s)[0])


__all__ = ["looks_like", "parse", "parse_note"]
