"""Folding text for search: one line as a snippet shows it, lower-cased keeping its length.

:func:`fold_records` folds the fields of many records in a few passes at C speed over the
whole text (a byte-level squeeze of blanks, the control characters escaped only when there
are any), equal to folding each field on its own; a query is folded by :func:`fold`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..text import INVISIBLE, clean, shown

_WORD = re.compile(r"\w+")


def display_text(text: str | None) -> str:
    """The text as a snippet shows it: one line, safe for a terminal, no ``**`` markers."""
    if not text:
        return ""
    text = text.replace("**", "").replace("__", "").replace("`", "")
    return clean(" ".join(text.split()), keep_newlines=False)


def fold(text: str) -> str:
    """Lower-case ``text`` keeping its length, so offsets in the folded text fit the original."""
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
_CONTROL_BUT_SEPARATORS = re.compile(f"[\x02-\x1f\x7f-\x9f{INVISIBLE}]")


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


def _display(records: list[list[str]]) -> str | None:
    """The display text of every field of ``records`` (what display_text() makes of each), in
    one string with the separators (None if there are no records)."""
    if not records:
        return None
    parts = [_FIELD.join([_shown(t) for t in fields]) for fields in records]
    text = _RECORD.join(parts)
    joins = sum(len(fields) for fields in records) - len(records)
    if text.count(_FIELD) != joins or text.count(_RECORD) != len(parts) - 1:
        # a file's text holds a separator: escape it in each field (as clean() would have)
        parts = [
            _FIELD.join(
                [_shown(t.replace(_FIELD, "\\x01").replace(_RECORD, "\\x00")) for t in fields]
            )
            for fields in records
        ]
        text = _RECORD.join(parts)
    text = squeeze(text)  # (no blank next to a separator: every field is stripped)
    if not text.isascii() or text.encode().translate(None, _PLAIN):
        text = _CONTROL_BUT_SEPARATORS.sub(_escape, text)
    return text


# What str.split() splits at: the ASCII blanks, made spaces byte by byte, and these others
# (their UTF-8 forms; a test holds the list to str.isspace()).
_ASCII_BLANKS = bytes.maketrans(b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f", b" " * 9)
WIDE_BLANKS = "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
# (their UTF-8 forms: five sequences, and the general punctuation spaces after \xe2\x80)
_WIDE_UTF8 = (b"\xc2\x85", b"\xc2\xa0", b"\xe1\x9a\x80", b"\xe2\x81\x9f", b"\xe3\x80\x80")
_WIDE_UTF8_E280 = re.compile(rb"\xe2\x80[\x80-\x8a\xa8\xa9\xaf]")


def squeeze(text: str) -> str:
    """``" ".join(text.split())``: every run of blanks one space, none at the ends, without
    making a string of every word (a month's text is a few hundred thousand words)."""
    raw = text.encode("utf-8", "surrogatepass")
    if not text.isascii() and (
        any(seq in raw for seq in _WIDE_UTF8) or _WIDE_UTF8_E280.search(raw)
    ):
        return " ".join(text.split())
    raw = raw.translate(_ASCII_BLANKS)  # UTF-8 sequences hold no ASCII byte: safe to map
    while b"  " in raw:
        raw = raw.replace(b"  ", b" ")
    return raw.strip(b" ").decode("utf-8", "surrogatepass")


def _shown(text: str) -> str:
    if "*" in text or "_" in text or "`" in text:
        text = text.replace("**", "").replace("__", "").replace("`", "")
    return text.strip()
