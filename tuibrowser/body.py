"""Markdown body → items: the agenda items of a meeting file with their attributes, confidential
marks, sub-sections (decisions, actions, report fields) and the other sections."""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from typing import Any

from . import limits
from .keys import item_key
from .model import Item, Problem, Report, Section
from .resolutions import join, split_entries

# Headings are matched by hand, in time linear in the line: the regular expressions
# ``^##[ \t]+(?P<title>.*?)[ \t]*#*[ \t]*$`` and friends backtrack quadratically, and one
# heading of a few thousand spaces held the loader for minutes.
_NUMBER = re.compile(r"\d+[A-Za-z]?(?:\.\d+)*[A-Za-z]?")
_WS = " \t"


class _Found:
    """What a heading matcher found: ``group(name)`` like a regular-expression match."""

    __slots__ = ("_groups",)

    def __init__(self, **groups: str | None):
        self._groups = groups

    def group(self, name: str) -> str | Any:
        # typed as re.Match.group is: None only for an optional group that did not match
        return self._groups[name]


def _strip_closing(text: str, colon: bool = False) -> str:
    """``text`` without a closing sequence of hashes (and, for ``###``, a trailing colon)."""
    text = text.rstrip(_WS).rstrip("#").rstrip(_WS)
    if colon and text.endswith(":"):
        text = text[:-1].rstrip(_WS)
    return text


class _Heading:
    """Matches ``#``-headings of one level: the text after the hashes and blanks, as 'title'."""

    def __init__(self, level: int, colon: bool = False):
        self.prefix = "#" * level
        self.colon = colon

    def rest(self, line: str) -> str | None:
        n = len(self.prefix)
        if not line.startswith(self.prefix) or len(line) <= n or line[n] not in _WS:
            return None
        return line[n:].lstrip(_WS)

    def match(self, line: str) -> _Found | None:
        rest = self.rest(line)
        return None if rest is None else _Found(title=_strip_closing(rest, self.colon))


class _ItemHeading(_Heading):
    """``## N. Title {attrs}``: the agenda number, the title and the attributes."""

    def __init__(self) -> None:
        super().__init__(2)

    def match(self, line: str) -> _Found | None:
        rest = self.rest(line)
        if rest is None or not (m := _NUMBER.match(rest)):
            return None
        after = rest[m.end() :]
        if after.startswith("."):
            after = after[1:]
        if after and after[0] not in _WS + "{#":
            return None
        text = _strip_closing(after)
        attrs = None
        if text.endswith("}"):
            i = text.rfind("{")
            if i >= 0 and "}" not in text[i + 1 : -1]:
                attrs = text[i + 1 : -1]
                text = text[:i].rstrip(_WS)
        if after and after[0] not in _WS and text:
            return None  # a title must be set apart from the number by a blank
        return _Found(num=m.group(), title=text.lstrip(_WS) or None, attrs=attrs)


_ITEM = _ItemHeading()
_H2 = _Heading(2)
_H1 = _Heading(1)
_H3 = _Heading(3, colon=True)
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
# The first characters of lines that can be a heading or a fence; an empty line cannot.
_SPECIAL = frozenset("#`~ \t")
_FIRST = operator.itemgetter(slice(0, 1))  # a line's first character ("" for an empty line)


def special_lines(text: str) -> list[int]:
    """The 0-based numbers of the lines of ``text`` that start with one of :data:`_SPECIAL`:
    the lines between them are prose, placed whole."""
    return special_of(text.split("\n"))


def special_of(lines: list[str]) -> list[int]:
    """:func:`special_lines` of a text split at its line ends: each line's first character
    taken and looked up by ``map`` (a search of the text for them, then a count of the line
    ends before each, cost twice as much)."""
    return list(
        itertools.compress(range(len(lines)), map(_SPECIAL.__contains__, map(_FIRST, lines)))
    )


_SIGNS = "-*+•·"  # a list entry's sign, or else its number
_BULLET = re.compile(r"^[ \t]{0,3}(?:[" + re.escape(_SIGNS) + r"]|\d+[.)])[ \t]+")

SUBSECTIONS = {
    "decisions": "decisions",
    "decision": "decisions",
    "actions": "actions",
    "action": "actions",
    "purpose": "purpose",
    "purpose of report": "purpose",
    "summary": "summary",
    "recommendation": "recommendation",
    "recommendations": "recommendation",
    "proposed action": "proposed_action",
    "contact officer": "contact",
    "contact": "contact",
    "editor's note": "note",
    "editor’s note": "note",
}


def parse_body(
    body: str, first_line: int, label: str, problems: list[Problem]
) -> tuple[str | None, list[Item], list[Section]]:
    """Split the markdown body into the title, agenda items and other sections."""
    title: str | None = None
    items: list[Item] = []
    sections: list[Section] = []
    seen: dict[str, int] = {}
    preamble: list[str] = []
    current: list[str] = preamble
    # each block's lines, and where in them the lines that start with one of _SPECIAL are
    blocks: list[tuple[Item | Section, list[str], list[int]]] = []
    special: list[int] = []
    fence: str | None = None
    first_problem = len(problems)
    marked: set[int] = set()  # the lines of item headings that carry a confidential mark
    lines = body.split("\n")
    after = 0  # the first line not placed yet
    for offset in special_of(lines):
        if offset > after:
            current += lines[after:offset]  # prose: no heading, no fence (most lines)
        after = offset + 1
        line = lines[offset]
        lineno = first_line + offset
        m_fence = None if line[0] == "#" else _FENCE.match(line)  # (a fence starts otherwise)
        if fence is not None:
            if m_fence and m_fence.group(1)[0] == fence[0] and len(m_fence.group(1)) >= len(fence):
                fence = None
            special.append(len(current))
            current.append(line)
            continue
        if m_fence:
            fence = m_fence.group(1)
            special.append(len(current))
            current.append(line)
            continue
        if line.startswith("###"):  # a sub-heading: no item, section or title heading
            special.append(len(current))
            current.append(line)
            continue
        if m := _item_heading(line):
            number = m.group("num")
            item = Item(
                number=number, title=(m.group("title") or "").strip(), path=label, line=lineno
            )
            unknown: list[str] = []
            for attr in (m.group("attrs") or "").replace(",", " ").split():
                name, _, value = attr.lstrip(".").partition("=")
                name = name.lower()
                if name in CONFIDENTIAL_MARKS:
                    item.confidential = True
                    marked.add(lineno)
                elif name == "order" and (order := limits.order_value(value)) is not None:
                    item.order = order
                else:
                    unknown.append(attr)
            if unknown:  # one warning per heading, however many (a garbled line has thousands)
                listed = ", ".join(repr(a) for a in unknown[:3]) + (
                    f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
                )
                problems.append(
                    Problem(
                        label,
                        lineno,
                        f"unknown item attribute{'s' if len(unknown) > 1 else ''} {listed} "
                        f"{'are' if len(unknown) > 1 else 'is'} ignored",
                        "warning",
                        number,
                    )
                )
            if too_long := limits.identifier_problem(number, "item number"):
                problems.append(Problem(label, lineno, too_long))
                number = item.number = number[: limits.MAX_IDENTIFIER]
            key = _item_key(number)
            if key in seen:
                problems.append(
                    Problem(
                        label,
                        lineno,
                        f"duplicate item number {number} (first at line {seen[key]})",
                        item=number,
                    )
                )
            seen[key] = lineno
            if not item.title:
                problems.append(
                    Problem(label, lineno, f"item {number} has no title", "warning", number)
                )
            items.append(item)
            current, special = [], []
            blocks.append((item, current, special))
            continue
        if line.startswith("## ") and (m := _H2.match(line)):
            section = Section(title=m.group("title"))
            sections.append(section)
            current, special = [], []
            blocks.append((section, current, special))
            continue
        if title is None and not items and not sections and (m := _H1.match(line)):
            title = m.group("title")
            continue
        special.append(len(current))
        current.append(line)
    current += lines[after:]
    _place_problems(problems[first_problem:], items)
    problems.extend(stray_marks(body, first_line, label, marked))
    pre = _clean("\n".join(preamble))
    if pre:
        sections.insert(0, Section(title="Preamble", text=pre))
    for owner, block, at in blocks:
        if isinstance(owner, Section):
            owner.text = _clean("\n".join(block))
        else:
            _fill_item(owner, block, at)
    return title, items, sections


# The attributes that make an item confidential, and a mark anywhere in a body: ``{…}`` holding
# one of them as a word (``{confidential}``, ``{.exempt order=3}``).
CONFIDENTIAL_MARKS = ("confidential", "restricted", "part2", "exempt")
_MARK = re.compile(
    r"\{[^{}\n]*?(?<![\w=.-])\.?(?:" + "|".join(CONFIDENTIAL_MARKS) + r")(?![\w=-])[^{}\n]*\}",
    re.IGNORECASE,
)


def stray_marks(body: str, first_line: int, label: str, marked: set[int]) -> list[Problem]:
    """An error for each confidential mark that is not on an item heading (``## 10) …``,
    ``## Item 11: …``, ``### 13. …``, prose): it would be silently ignored, and the text it
    means to withhold published. One per line."""
    if "{" not in body:
        return []
    out: list[Problem] = []
    lineno, at = first_line, 0
    for m in _MARK.finditer(body):
        lineno += body.count("\n", at, m.start())  # counted on from the last mark: linear
        at = m.start()
        if lineno in marked or (out and out[-1].line == lineno):
            continue
        out.append(
            Problem(
                label,
                lineno,
                "a confidential mark that is not at the end of an item heading would be "
                "ignored: mark an item as '## 10. Title {confidential}'",
            )
        )
    return out


def _place_problems(problems: list[Problem], items: list[Item]) -> None:
    """Give each body problem without an item the item it lies in (the last item heading
    above its line), so that --public can withhold it with the item."""
    starts = sorted((it.line, it.number) for it in items if it.line is not None)
    lines = [line for line, _ in starts]
    for p in problems:
        if p.item is None and p.line is not None:
            at = bisect.bisect_right(lines, p.line)
            if at:
                p.item = starts[at - 1][1]


def _fill_item(item: Item, lines: list[str], special: list[int]) -> None:
    """Fill ``item`` from the lines of its block; ``special`` are the numbers of the lines in
    it that start with one of :data:`_SPECIAL` (the others are prose, placed whole)."""
    prose: list[str] = []
    parts: dict[str, list[str]] = {}
    target = prose
    fence = False
    after = 0
    for at in special:
        if at > after:
            target += lines[after:at]
        after = at + 1
        line = lines[at]
        if line[0] != "#" and _FENCE.match(line):  # (a fence starts with a blank, ` or ~)
            fence = not fence
        if not fence and (heading := _sub_heading(line)) is not None:
            if heading:
                target = parts.setdefault(heading, [])
                continue
            target = prose
        target.append(line)
    target += lines[after:]
    item.minute = _clean("\n".join(prose))
    if "decisions" in parts:
        item.decisions = split_entries(_entries(parts["decisions"]))
    if "actions" in parts:
        item.actions = split_entries(_entries(parts["actions"]))
    note = _clean("\n".join(parts.get("note", [])))
    item.note = note or None
    fields: dict[str, Any] = {
        k: _clean("\n".join(parts[k])) or None
        for k in ("purpose", "summary", "recommendation", "proposed_action", "contact")
        if k in parts
    }
    if fields:
        item.report = Report(**fields)


def _item_heading(line: str) -> _Found | None:
    """``_ITEM.match(line)``, each line worked out once (the same agenda headings come back
    in meeting after meeting: "## 1. Welcome, apologies and declarations of interest"); what
    it gives is only read."""
    found = _ITEM_HEADINGS.get(line, _UNSEEN)
    if found is _UNSEEN:
        found = _ITEM.match(line)
        if len(line) <= MAX_SUB_HEADING_CHARS and len(_ITEM_HEADINGS) < MAX_SUB_HEADINGS:
            _ITEM_HEADINGS[line] = found
    return found


def _item_key(number: str) -> str:
    """``item_key(number)``, each agenda number worked out once (a few dozen come back)."""
    key = _ITEM_KEYS.get(number)
    if key is None:
        key = item_key(number)
        if len(_ITEM_KEYS) < MAX_SUB_HEADINGS:  # (a number is at most MAX_IDENTIFIER long)
            _ITEM_KEYS[number] = key
    return key


def _sub_heading(line: str) -> str | None:
    """What the line ``### Title`` starts: the sub-section :data:`SUBSECTIONS` names, or ""
    (the item's prose); None for a line that is no such heading. Each line is worked out once
    (an archive has the same few sub-headings again and again)."""
    found = _SUB_HEADINGS.get(line, _UNSEEN)
    if found is _UNSEEN:
        m = _H3.match(line)
        found = (
            None if m is None else SUBSECTIONS.get(m.group("title").strip().rstrip(":").lower(), "")
        )
        if len(line) <= MAX_SUB_HEADING_CHARS and len(_SUB_HEADINGS) < MAX_SUB_HEADINGS:
            _SUB_HEADINGS[line] = found
    return found


# Lines found sub-headings (or not) by _sub_heading, each worked out once: at most this many,
# none longer than this (a long line is worked out each time, not kept for the next file).
MAX_SUB_HEADINGS = 4096
MAX_SUB_HEADING_CHARS = 100
_SUB_HEADINGS: dict[str, str | None] = {}
_UNSEEN: Any = object()
# The same, for the lines found item headings (or not) and the keys of agenda numbers.
_ITEM_HEADINGS: dict[str, _Found | None] = {}
_ITEM_KEYS: dict[str, str] = {}


def _entries(lines: list[str]) -> list[str]:
    """List entries (one per bullet), or paragraphs when there are no bullets. A paragraph
    ending with ``:`` before numbered entries ("Improvement & Innovation Board:") is their
    lead-in: each is a resolution of its own, with the lead-in as context (``resolutions``).

    Most blocks are entries of one line each, every one begun with ``- ``, and blank lines:
    such a block's entries are its lines without their mark, taken in one pass (what the way
    below makes of them: no lead-in, no continuation); any other block goes the way below."""
    quick: list[str] = []
    for line in lines:
        if line[:2] == "- ":
            if text := line[2:].strip():
                quick.append(text)
        elif line.strip():
            return _entries_by_bullets(lines)
    return quick


def _entries_by_bullets(lines: list[str]) -> list[str]:
    """:func:`_entries` of any block: its bullets matched, continuations joined, lead-ins."""
    out: list[tuple[str, str]] = []  # (text, how it began: "numbered", "bullet" or "para")
    bullets = [_BULLET.match(line) for line in lines]  # (each line matched once)
    has_bullets = any(bullets)
    current: list[str] = []
    began = "para"

    def flush() -> None:
        # Continuation lines join with a space; a nested list entry keeps its own line.
        # (Parts joined once: adding each line to the text so far copied it every time.)
        parts: list[str] = []
        for s in current:
            s = s.strip()
            if not s:
                continue
            if parts:
                parts.append("\n" if _BULLET.match(s) else " ")
            parts.append(s)
        if parts:
            out.append(("".join(parts), began))
        current.clear()

    for line, bullet in zip(lines, bullets, strict=True):
        if has_bullets:
            if bullet:
                flush()
                # a bullet is numbered when its mark is not one of _BULLET's signs
                began = "bullet" if line.lstrip(_WS)[0] in _SIGNS else "numbered"
                current.append(line[bullet.end() :])  # (the line without its mark)
            elif line.strip():
                current.append(line)
        else:
            if line.strip():
                current.append(line)
            else:
                flush()
    flush()
    return _with_lead_ins(out)


def _with_lead_ins(entries: list[tuple[str, str]]) -> list[str]:
    """The entries' texts, a lead-in paragraph joined to the numbered entries that follow it."""
    out: list[str] = []
    lead = ""
    for n, (text, began) in enumerate(entries):
        following = entries[n + 1][1] if n + 1 < len(entries) else None
        if began == "para" and following == "numbered" and text.endswith(":"):
            lead = text
            continue
        if began != "numbered":
            lead = ""
        out.append(join(lead, text))
    return out


def _clean(text: str) -> str:
    return text.strip("\n").rstrip()
