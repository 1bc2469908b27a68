"""The markdown body read a line at a time, as :mod:`tuibrowser.body` read it before it placed
the prose between headings whole: what the body reader gives is checked against it."""

from __future__ import annotations

import re
from typing import Any

from tuibrowser import limits
from tuibrowser.body import (
    _BULLET,
    _FENCE,
    _H1,
    _H2,
    _H3,
    _ITEM,
    _SPECIAL,
    CONFIDENTIAL_MARKS,
    SUBSECTIONS,
    _clean,
    _place_problems,
    _with_lead_ins,
    stray_marks,
)
from tuibrowser.keys import item_key
from tuibrowser.model import Item, Problem, Report, Section
from tuibrowser.resolutions import split_entries


def parse_body_by_lines(
    body: str, first_line: int, label: str, problems: list[Problem]
) -> tuple[str | None, list[Item], list[Section]]:
    """Split the markdown body into the title, agenda items and other sections."""
    title: str | None = None
    items: list[Item] = []
    sections: list[Section] = []
    seen: dict[str, int] = {}
    preamble: list[str] = []
    current: list[str] = preamble
    blocks: list[tuple[Item | Section, list[str]]] = []
    fence: str | None = None
    first_problem = len(problems)
    marked: set[int] = set()  # the lines of item headings that carry a confidential mark
    for offset, line in enumerate(body.split("\n")):
        if line[:1] not in _SPECIAL:  # prose: no heading, no fence (most lines)
            current.append(line)
            continue
        lineno = first_line + offset
        m_fence = _FENCE.match(line)
        if fence is not None:
            if m_fence and m_fence.group(1)[0] == fence[0] and len(m_fence.group(1)) >= len(fence):
                fence = None
            current.append(line)
            continue
        if m_fence:
            fence = m_fence.group(1)
            current.append(line)
            continue
        if m := _ITEM.match(line):
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
            key = item_key(number)
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
            current = []
            blocks.append((item, current))
            continue
        if line.startswith("## ") and (m := _H2.match(line)):
            section = Section(title=m.group("title"))
            sections.append(section)
            current = []
            blocks.append((section, current))
            continue
        if title is None and not items and not sections and (m := _H1.match(line)):
            title = m.group("title")
            continue
        current.append(line)
    _place_problems(problems[first_problem:], items)
    problems.extend(stray_marks(body, first_line, label, marked))
    pre = _clean("\n".join(preamble))
    if pre:
        sections.insert(0, Section(title="Preamble", text=pre))
    for owner, lines in blocks:
        if isinstance(owner, Section):
            owner.text = _clean("\n".join(lines))
        else:
            _fill_item_by_lines(owner, lines)
    return title, items, sections


def _fill_item_by_lines(item: Item, lines: list[str]) -> None:
    prose: list[str] = []
    parts: dict[str, list[str]] = {}
    target = prose
    fence = False
    for line in lines:
        if line[:1] not in _SPECIAL:
            target.append(line)
            continue
        if _FENCE.match(line):
            fence = not fence
        if not fence and (m := _H3.match(line)):
            key = SUBSECTIONS.get(m.group("title").strip().rstrip(":").lower())
            if key:
                target = parts.setdefault(key, [])
                continue
            target = prose
        target.append(line)
    item.minute = _clean("\n".join(prose))
    item.decisions = split_entries(_entries_by_lines(parts.get("decisions", [])))
    item.actions = split_entries(_entries_by_lines(parts.get("actions", [])))
    note = _clean("\n".join(parts.get("note", [])))
    item.note = note or None
    fields: dict[str, Any] = {
        k: _clean("\n".join(parts[k])) or None
        for k in ("purpose", "summary", "recommendation", "proposed_action", "contact")
        if k in parts
    }
    if fields:
        item.report = Report(**fields)


_NUMBERED = re.compile(r"^[ \t]{0,3}\d+[.)][ \t]+")


def _entries_by_lines(lines: list[str]) -> list[str]:
    """List entries (one per bullet), or paragraphs when there are no bullets. A paragraph
    ending with ``:`` before numbered entries ("Improvement & Innovation Board:") is their
    lead-in: each is a resolution of its own, with the lead-in as context (``resolutions``)."""
    out: list[tuple[str, str]] = []  # (text, how it began: "numbered", "bullet" or "para")
    has_bullets = any(_BULLET.match(line) for line in lines)
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

    for line in lines:
        if has_bullets:
            if _BULLET.match(line):
                flush()
                began = "numbered" if _NUMBERED.match(line) else "bullet"
                current.append(_BULLET.sub("", line, count=1))
            elif line.strip():
                current.append(line)
        else:
            if line.strip():
                current.append(line)
            else:
                flush()
    flush()
    return _with_lead_ins(out)
