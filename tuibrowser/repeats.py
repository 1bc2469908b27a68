"""Public mode: the text of a withheld item where a meeting's documents repeat it elsewhere.

An agenda's contents table, a section, another item's minute or a note may repeat the title
or a sentence of a confidential item. For each meeting with withheld items, the title and the
sentences, lines and table cells of those items (long enough to be distinctive:
:data:`MIN_CHARS` once whitespace and case are folded) are looked for in every other part of
every document of the meeting that public mode shows, and each line (a table row, a paragraph
line, a list entry, a note) that holds one is dropped, told by a line that says so
(:func:`told`). A contents table's rows from a "Part 2" / "Confidential" / "Exempt" divider to
the table's end go too, when an item listed there is withheld (or none listed there is
numbered). :func:`tuibrowser.library.withhold` calls :func:`scrub_meetings`: it is part of the
one redaction.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable

from . import public
from .model import Document, Item

__all__ = ["MIN_CHARS", "item_phrases", "scrub_meetings", "told"]

# How long (folded) a title, sentence or cell of a withheld item must be to be looked for.
MIN_CHARS = 20
# Where a line, table cell or sentence ends.
_PIECES = re.compile(r"(?<=[.!?;])\s+|\|")
_STRIP = " \t.,;:!?'\"-*#>()[]_`"
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_DIVIDER = re.compile(r"\b(part\s*(2|ii|two|b)|confidential|exempt|restricted|private)\b")
_NUMBER = re.compile(r"^(item\s+)?\d+[a-z]?(\.\d+)*\.?$")
# The text fields public mode shows of an item's report and of a document's rows.
_REPORT = ("purpose", "summary", "recommendation", "proposed_action", "contact", "text")
_ROWS = {
    "attendance": ("note",),
    "kpis": ("theme", "target", "delivered", "note"),
    "summaries": ("label", "note"),
    "series": ("note",),
    "outputs": ("project", "output"),
    "figures": ("text",),
    "documents": ("title", "note"),
}


def told(count: int) -> str:
    """The line that says ``count`` lines were withheld for repeating a confidential item."""
    if count == 1:
        return "(1 line withheld: it repeats a confidential item)"
    return f"({count} lines withheld: they repeat a confidential item)"


def fold(text: str) -> str:
    """``text`` as it is compared: case and whitespace folded, curly quotes made straight."""
    return " ".join(text.translate(_QUOTES).casefold().split())


def _pieces(text: str | None) -> Iterable[str]:
    for line in (text or "").splitlines():
        for part in _PIECES.split(line):
            piece = fold(part).strip(_STRIP)
            if len(piece) >= MIN_CHARS:
                yield piece


def item_phrases(item: Item) -> set[str]:
    """The title, sentences, lines and table cells of ``item`` long enough to look for."""
    texts = [item.title, item.minute, item.note, *item.decisions, *item.actions]
    if item.report is not None:
        texts += [getattr(item.report, name) for name in _REPORT]
    return {p for text in texts for p in _pieces(text)}


class _Scrub:
    """The lines of a meeting's documents that repeat its withheld items, dropped."""

    def __init__(self, phrases: Collection[str], numbers: Collection[str]) -> None:
        self.phrases = sorted(phrases, key=len)
        self.numbers = numbers
        self.changed = False

    def hits(self, line: str) -> bool:
        folded = fold(line)
        return len(folded) >= MIN_CHARS and any(p in folded for p in self.phrases)

    def text(self, text: str | None) -> str | None:
        """``text`` without its lines that repeat a withheld item, each run told."""
        if not text:
            return text
        lines = text.split("\n")
        dropped = {i for i, line in enumerate(lines) if self.hits(line)} | self._after_dividers(
            lines
        )
        if not dropped:
            return text
        self.changed = True
        out: list[str] = []
        run = table = 0
        for i, line in enumerate(lines):
            in_table = line.lstrip().startswith("|")
            if table and not in_table:
                out += ["", told(table)]
                table = 0
            if i in dropped:
                if in_table:
                    table += 1
                else:
                    run += 1
                continue
            if run:
                out.append(told(run))
                run = 0
            out.append(line)
        if table:
            out += ["", told(table)]
        if run:
            out.append(told(run))
        return "\n".join(out)

    def entries(self, entries: list[str]) -> list[str]:
        """``entries`` (notes, decisions …) without those that repeat a withheld item."""
        if not any(self.hits(line) for e in entries for line in e.splitlines()):
            return entries
        self.changed = True
        out: list[str] = []
        run = 0
        for e in entries:
            if any(self.hits(line) for line in e.splitlines()):
                run += 1
                continue
            if run:
                out.append(told(run))
                run = 0
            out.append(e)
        if run:
            out.append(told(run))
        return out

    def _after_dividers(self, lines: list[str]) -> set[int]:
        """The table rows from a "Part 2" / "Confidential" divider row to the table's end, of
        each table that lists a withheld item (or no numbered item) after its divider."""
        out: set[int] = set()
        start: int | None = None
        for i, line in enumerate([*lines, ""]):
            if line.lstrip().startswith("|"):
                if start is None and _is_divider(line):
                    start = i
                continue
            if start is not None:
                listed = [n for n in map(_number, lines[start + 1 : i]) if n is not None]
                if not listed or any(public.is_withheld(self.numbers, n) for n in listed):
                    out |= set(range(start, i))
                start = None
        return out


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def _is_divider(row: str) -> bool:
    filled = [c for c in _cells(row) if c]
    return len(filled) == 1 and bool(_DIVIDER.search(fold(filled[0])))


def _number(row: str) -> str | None:
    """The item number a contents table's row starts with, if any."""
    filled = [c for c in _cells(row) if c]
    if filled and _NUMBER.match(fold(filled[0])):
        return filled[0].rstrip(".").split()[-1]
    return None


def _texts(doc: Document) -> Iterable[str | None]:
    """Every text of ``doc`` that :func:`_scrub_document` looks at."""
    yield doc.title
    yield from doc.notes
    for section in doc.sections:
        yield section.title
        yield section.text
    for item in doc.items:
        yield item.minute
        yield item.note
        yield from item.decisions
        yield from item.actions
        if item.report is not None:
            yield from (getattr(item.report, name) for name in _REPORT)
    for rows, names in _ROWS.items():
        for row in getattr(doc, rows):
            yield from (getattr(row, name) for name in names)


def _may_repeat(doc: Document, scrub: _Scrub) -> bool:
    """Whether a text of ``doc`` may hold a phrase or a divider (no line of it does when
    this is False): one look at all its text, folded, before any copy."""
    folded = fold("\n".join(t for t in _texts(doc) if t))
    return (
        any(p in folded for p in scrub.phrases) or "|" in folded and bool(_DIVIDER.search(folded))
    )


def _scrub_document(doc: Document, scrub: _Scrub) -> Document:
    if not _may_repeat(doc, scrub):
        return doc
    copy = Document.from_dict(doc.to_dict())
    scrub.changed = False
    copy.title = scrub.text(copy.title)
    copy.notes = scrub.entries(copy.notes)
    for section in copy.sections:
        section.title = scrub.text(section.title) or ""
        section.text = scrub.text(section.text) or ""
    for item in copy.items:
        item.minute = scrub.text(item.minute) or ""
        item.note = scrub.text(item.note)
        item.decisions = scrub.entries(item.decisions)
        item.actions = scrub.entries(item.actions)
        if item.report is not None:
            for name in _REPORT:
                value = getattr(item.report, name)
                setattr(item.report, name, scrub.text(value) if value is not None else None)
            item.report.text = item.report.text or ""
    for rows, names in _ROWS.items():
        for row in getattr(copy, rows):
            for name in names:
                value = getattr(row, name)
                if value is not None:
                    setattr(row, name, scrub.text(value))
    return copy if scrub.changed else doc


def scrub_meetings(
    ids: list[str],
    documents: list[Document],
    shown: list[Document],
    numbers: dict[str, set[str]],
) -> list[Document]:
    """``shown`` (the public ``documents``, each of meeting ``ids[i]``) without the lines that
    repeat an item withheld from their meeting (``numbers``: item keys by meeting id), taken
    from ``documents`` as read."""
    phrases: dict[str, set[str]] = defaultdict(set)
    for mid, doc in zip(ids, documents, strict=True):
        found = numbers.get(mid)
        if found:
            for item in doc.items:
                if public.is_withheld(found, item.number):
                    phrases[mid] |= item_phrases(item)
    out = []
    for mid, doc in zip(ids, shown, strict=True):
        if numbers.get(mid):
            doc = _scrub_document(doc, _Scrub(phrases.get(mid, ()), numbers[mid]))
        out.append(doc)
    return out
