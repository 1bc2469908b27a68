"""Text from files is untrusted: helpers that make it safe to print to a terminal."""

from __future__ import annotations

import os
import re

# Characters that reorder or hide the text around them without a glyph of their own: the bidi
# embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the direction marks
# (U+200E, U+200F, U+061C), the zero-width characters (U+200B–U+200D, U+2060, U+FEFF), and the
# line and paragraph separators (U+2028, U+2029: a line break to some viewers, none to others).
# A file name or title holding U+202E can show "gpj.exe" as "exe.jpg": they are shown marked.
INVISIBLE = "\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff"
# Lone surrogates too: a file name that is not UTF-8 arrives with its bytes as U+DC80..U+DCFF
# (surrogateescape), which no terminal or encoder takes.
_SURROGATES = "\ud800-\udfff"

# (compiled when first used: a text that is all printable, as most are, needs neither; the
# surrogates make compiling one 5 M instructions, a refresh's imports' largest)
_CONTROL = f"[\x00-\x08\x0b-\x1f\x7f-\x9f{INVISIBLE}{_SURROGATES}]"
_CONTROL_NO_NL = f"[\x00-\x1f\x7f-\x9f{INVISIBLE}{_SURROGATES}]"
# What a JSON encoder may leave raw in a string that a terminal would act on (C0 is always
# escaped by JSON; DEL, C1, and the invisible ones are not).
# (Tab, line feed and carriage return stay: they are JSON's blanks between values.)
_JSON_UNSAFE = f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{INVISIBLE}]"
_compiled: dict[str, re.Pattern[str]] = {}


def _pattern(source: str) -> re.Pattern[str]:
    """The compiled ``source``, compiled once, when first asked for."""
    pattern = _compiled.get(source)
    if pattern is None:
        pattern = _compiled[source] = re.compile(source)
    return pattern


def shown(char: str) -> str:
    """How ``clean`` shows one unsafe character: ``\\x1b`` for a control or an undecodable
    byte of a file name, ``\\udabc`` for another lone surrogate, ``<U+202E>`` else."""
    n = ord(char)
    if 0xDC80 <= n <= 0xDCFF:  # an undecodable byte of a file name: show the byte
        return f"\\x{n - 0xDC00:02x}"
    if 0xD800 <= n <= 0xDFFF:
        return f"\\u{n:04x}"
    return f"\\x{n:02x}" if n < 0xA0 else f"<U+{n:04X}>"


def _shown(m: re.Match[str]) -> str:
    return shown(m.group())


def visible_name(name: str) -> str:
    """A file name as text that can be printed and stored: bytes that are not UTF-8 (kept by
    ``os`` as lone surrogates) shown as ``\\xff``."""
    try:
        raw = os.fsencode(name)
    except UnicodeEncodeError:  # a surrogate no file system gave (not one of U+DC80..U+DCFF)
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def clean(text: str | None, keep_newlines: bool = True) -> str:
    """``text`` with control characters (ESC, OSC, BEL, C1 …) shown as visible escapes, and
    the bidi and zero-width characters marked (``<U+202E>``).

    Nothing from a file reaches the terminal raw: ``\\x1b[31m`` prints as ``\\x1b[31m``.
    """
    if not text:
        return ""
    if text.isprintable():  # (every character either pattern matches is not printable)
        return text
    return _pattern(_CONTROL if keep_newlines else _CONTROL_NO_NL).sub(_shown, text)


def one_line(text: str | None, width: int | None = None) -> str:
    """Clean text folded onto one line, optionally cut to ``width`` characters with an ellipsis."""
    out = clean(" ".join((text or "").split()), keep_newlines=False)
    if width is not None and len(out) > width:
        out = out[: max(0, width - 1)] + "…"
    return out


def shown_path(path: object) -> str:
    """A file name (untrusted too) on one line: a line break shows as ``\\x0a``, so a name
    cannot fake a line of output. Every message that prints a path goes through ``clean``
    with ``keep_newlines=False``; this is its name for a path."""
    return clean(str(path), keep_newlines=False)


# What a spreadsheet reads as the start of a formula (OWASP's list, and the full-width forms
# some spreadsheets take for them): such a cell is written with a ' before it, shown as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_text(value: str, raw: bool = False) -> str:
    """A CSV cell: controls shown escaped (``clean``), and unless ``raw`` a cell a spreadsheet
    would run as a formula (``=HYPERLINK(…)``, ``+1``, ``-2``, ``@SUM``) given a ``'`` first."""
    out = clean(value)
    return "'" + out if not raw and out.startswith(FORMULA_START) else out


def json_safe(text: str) -> str:
    """JSON text with every character a terminal would act on escaped (``\\u0085``,
    ``\\u202e``): the same JSON value, safe to print. Such characters can stand only inside
    strings (JSON's own syntax is ASCII), where an escape means the same character."""
    return _pattern(_JSON_UNSAFE).sub(lambda m: f"\\u{ord(m.group()):04x}", text)
