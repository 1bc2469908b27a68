"""Folding text for search: one line as a snippet shows it, in lower case, with the marks that
join or split words read as spaces.

:func:`fold_records` folds the fields of many records in a few passes at C speed over the
whole text (a byte-level squeeze of blanks, the control characters escaped only when there
are any), equal to folding each field on its own; a query is folded by :func:`fold`.

The rule for hyphens, slashes and apostrophes (README, "Search"): each of :data:`BREAKS` is a
space between words, in the text and in a query alike. "sector-led", "sector–led",
"sector/led" and "sector led" are the same two words, found by any of them; "sectorled" is one
other word, and finds none of them (nor they it). "council's" is "council s": found by
``council`` and by ``"council's"``, not by ``councils``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from ..text import INVISIBLE, clean, shown

_WORD = re.compile(r"\w+")

# Hyphens and dashes (ASCII, U+2010-U+2015), slashes (ASCII, fraction and division slash) and
# apostrophes (ASCII, U+2018/U+2019 via fold_keep, the modifier letter U+02BC): word breaks.
BREAKS = "-/'\u2010\u2011\u2012\u2013\u2014\u2015\u2044\u2215\u02bc"
_WIDE_BREAKS = BREAKS[3:]

# Markdown's line markers: a heading's hashes, a list's bullet, a quote's ">", a rule, at the
# start of a line (or of a field: the month's separators), as a snippet leaves them out. The
# patterns start with the one character a marker stands after (the regex engine skips to it
# at C speed; a class of three is tried at every character, twice as slow over a month): a
# pattern for each, applied in turn, removes what one pattern of the three would have, since a
# match never holds a separator past its first character, and what it looks ahead at past one
# is the same either way. The text's start is matched apart.
_MARK = r"(?:#{1,6}(?=\s|\Z)|[-*+>](?=[^\S\n]+\S)|(?:-{3,}|\*{3,}|_{3,})(?=\s*(?:\n|\Z)))"
_MONTH_MARK = _MARK.replace("\\Z", "[\x00\x01]|\\Z")
_MONTH_MARKERS = (
    re.compile(r"([^\S\n]*)" + _MONTH_MARK),
    *(re.compile(f"({sep})" + r"([^\S\n]*)" + _MONTH_MARK) for sep in (r"\n", r"\x00", r"\x01")),
)


@cache
def _markers() -> tuple[re.Pattern[str], ...]:
    """The patterns of :func:`strip_markers` for a field's text (compiled when first needed: a
    refresh folds months, with :data:`_MONTH_MARKERS`)."""
    return re.compile(r"([^\S\n]*)" + _MARK), re.compile(r"(\n)([^\S\n]*)" + _MARK)


def strip_markers(text: str, patterns: tuple[re.Pattern[str], ...] | None = None) -> str:
    """``text`` without markdown's line markers (``####``, list bullets, ``>``, rules):
    ``patterns`` are the one at the text's start, then those after a line's start (a field's
    by default)."""
    if "#" in text or "-" in text or "*" in text or "+" in text or ">" in text or "_" in text:
        first, *lines = patterns or _markers()
        m = first.match(text)
        if m:
            text = m.group(1) + text[m.end() :]
        for pattern in lines:
            text = pattern.sub(r"\1\2", text)
    return text


def display_text(text: str | None) -> str:
    """The text as a snippet shows it: one line, safe for a terminal, no ``**`` markers nor
    markdown's line markers (``####``, list bullets)."""
    if not text:
        return ""
    text = strip_markers(text.replace("**", "").replace("__", "").replace("`", ""))
    return clean(" ".join(text.split()), keep_newlines=False)


def fold(text: str) -> str:
    """``text`` as search reads it: lower case, each of :data:`BREAKS` a space, and every run
    of spaces one (so "members' allowances" holds the phrase "members allowances").

    Not the length of ``text``: offsets into ``text`` are found in :func:`fold_keep`.
    """
    low = fold_keep(text)
    if "  " in low:
        while "  " in low:
            low = low.replace("  ", " ")
    return low


def fold_keep(text: str) -> str:
    """:func:`fold` keeping the length of ``text`` (a run of spaces stays a run), so offsets
    of a match in it fit the text: what snippets and highlights are found in."""
    low = _lower(text).replace("-", " ").replace("/", " ").replace("'", " ")
    if not low.isascii():
        for c in _WIDE_BREAKS:
            if c in low:
                low = low.replace(c, " ")
    return low


def _lower(text: str) -> str:
    """Lower-case ``text`` keeping its length."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    # str.replace runs at C speed; str.translate with a mapping does not. A final sigma (which
    # str.lower() makes of Σ at a word's end, so it depends on what follows) is a sigma: a word
    # folds the same wherever it stands, and alone.
    return (
        low.replace("’", "'")
        .replace("‘", "'")
        .replace("“", '"')
        .replace("”", '"')
        .replace("ς", "σ")
    )


# While a month is folded in one pass its fields are set apart by \x01 and its records by NUL:
# characters that display_text() does not fold as blanks. clean() would show them as escapes
# (the one pass uses its pattern without them), and a field that holds one has it escaped first,
# as clean() would have. NUL and \x01 both stay ASCII, so an English month stays one byte a
# character, and every pass over it is as quick as it can be.
_FIELD, _RECORD = "\x01", "\x00"


@cache
def _controls() -> re.Pattern[str]:
    """The characters clean() escapes, but the month's separators (compiled when first needed:
    most months hold none)."""
    return re.compile(f"[\x02-\x1f\x7f-\x9f{INVISIBLE}]")


def _escape(m: re.Match[str]) -> str:
    return shown(m.group())


def fold_records(records: Iterable[list[str]]) -> str:
    """The folded display text of ``records`` (each a list of raw field texts) in one string:
    the fields of a record joined by "\\n", each record ended by NUL. Neither is left in a
    folded text (display_text() folds line breaks, clean() escapes NUL).

    Equal to folding each field on its own (``fold(display_text(field))``), but in a few passes
    at C speed over the whole text instead of several per field.
    """
    display = _display(list(records))
    return (fold(display).replace(_FIELD, "\n") + "\0") if display is not None else ""


# Every ASCII character clean() leaves alone, and the two separators.
_PLAIN = bytes(range(0x20, 0x7F)) + _FIELD.encode() + _RECORD.encode()


# A blank beside a separator, found by a scan for each separator (the regex engine skips to a
# character at C speed; four searches for a blank and a separator stop at every blank of the
# text, and a class of the two is tried at every character).
_BLANK_BY_SEPARATOR = tuple(re.compile(f"{sep}(?:(?<= {sep})| )") for sep in (r"\x00", r"\x01"))


def _display(records: list[list[str]]) -> str | None:
    """The display text of every field of ``records`` (what display_text() makes of each), in
    one string with the separators (None if there are no records)."""
    if not records:
        return None
    parts = [_FIELD.join([_shown(t) for t in fields]) for fields in records]
    # a file's text that holds a separator is found in the fields joined with none (a search
    # for one character, at C speed), not by counting the separators of the month's text
    raw = "".join(map("".join, records))
    if _FIELD in raw or _RECORD in raw:
        # escape it in each field (as clean() would have)
        parts = [
            _FIELD.join(
                [_shown(t.replace(_FIELD, "\\x01").replace(_RECORD, "\\x00")) for t in fields]
            )
            for fields in records
        ]
    joined = _RECORD.join(parts)
    marked = strip_markers(joined, _MONTH_MARKERS)
    text, controls = _squeeze(marked)
    # No blank by a separator or at the ends: fields are stripped, but a marker taken from a
    # field's start ("-\r0") or a rule from its end ("a\n---") leaves the blank beside it,
    # which display_text() splits away (none when no marker was taken: the squeeze leaves a
    # stripped field's ends as they are).
    if len(marked) != len(joined):
        if any(pattern.search(text) for pattern in _BLANK_BY_SEPARATOR):
            for sep in (_FIELD, _RECORD):
                text = text.replace(" " + sep, sep).replace(sep + " ", sep)
        text = text.strip(" ")
    if controls:
        text = _controls().sub(_escape, text)
    return text


# What str.split() splits at: the ASCII blanks, made spaces byte by byte, and these others
# (their UTF-8 forms; a test holds the list to str.isspace()).
_ASCII_BLANKS = bytes.maketrans(b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f", b" " * 9)
WIDE_BLANKS = "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
# (their UTF-8 forms: five sequences, and the general punctuation spaces after \xe2\x80)
_WIDE_UTF8 = (b"\xc2\x85", b"\xc2\xa0", b"\xe1\x9a\x80", b"\xe2\x81\x9f", b"\xe3\x80\x80")
_WIDE_UTF8_E280 = re.compile(rb"\xe2\x80[\x80-\x8a\xa8\xa9\xaf]")
# _ASCII_BLANKS, and each ASCII character _controls() escapes made \x02
_BLANKS_AND_CONTROLS = bytes(
    0x02 if c == b and (0x02 <= b <= 0x1F or b == 0x7F) else c for b, c in enumerate(_ASCII_BLANKS)
)


def squeeze(text: str) -> str:
    """``" ".join(text.split())``: every run of blanks one space, none at the ends, without
    making a string of every word (a month's text is a few hundred thousand words)."""
    return _squeeze(text)[0]


def _squeeze(text: str) -> tuple[str, bool]:
    """:func:`squeeze`, and whether the text may hold a character :func:`_controls`
    escapes (False: it holds none), found in the same pass over its bytes."""
    raw = text.encode("utf-8", "surrogatepass")
    if not text.isascii():
        if any(seq in raw for seq in _WIDE_UTF8) or _WIDE_UTF8_E280.search(raw):
            return " ".join(text.split()), True
        raw = raw.translate(_ASCII_BLANKS)  # UTF-8 sequences hold no ASCII byte: safe to map
        controls = True
    else:
        # the blanks made spaces, and every control character but the separators \x02: if
        # there is none, the text is the blanks' mapping (else it is mapped again, keeping them)
        mapped = raw.translate(_BLANKS_AND_CONTROLS)
        controls = b"\x02" in mapped
        raw = raw.translate(_ASCII_BLANKS) if controls else mapped
    # Runs of blanks are few (a paragraph's break, a marker taken out): cut at the first two
    # spaces of each (a pattern stops at every space, a split at C speed does not); the rest
    # of a run starts the next part (a part never ends with a space: the cut would be there)
    parts = raw.split(b"  ")
    if len(parts) > 1:
        raw = b" ".join([part for part in (p.lstrip(b" ") for p in parts) if part])
    return raw.strip(b" ").decode("utf-8", "surrogatepass"), controls


def _shown(text: str) -> str:
    if "*" in text or "_" in text or "`" in text:
        text = text.replace("**", "").replace("__", "").replace("`", "")
    return text.strip()
