"""Text from files is untrusted: helpers that make it safe to print to a terminal."""

from __future__ import annotations

import os
import re

# Lone surrogates too: a file name that is not UTF-8 arrives with its bytes as U+DC80..U+DCFF
# (surrogateescape), which no terminal or encoder takes.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_NO_NL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name: show the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


def visible_name(name: str) -> str:
    """A file name as text that can be printed and stored: bytes that are not UTF-8 (kept by
    ``os`` as lone surrogates) shown as ``\\xff``."""
    try:
        raw = os.fsencode(name)
    except UnicodeEncodeError:  # a surrogate no file system gave (not one of U+DC80..U+DCFF)
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def clean(text: str | None, keep_newlines: bool = True) -> str:
    """``text`` with control characters (ESC, OSC, BEL, C1 …) shown as visible escapes.

    Nothing from a file reaches the terminal raw: ``\\x1b[31m`` prints as ``\\x1b[31m``.
    """
    if not text:
        return ""
    pattern = _CONTROL if keep_newlines else _CONTROL_NO_NL
    return pattern.sub(lambda m: _escape(m.group()), text)


def one_line(text: str | None, width: int | None = None) -> str:
    """Clean text folded onto one line, optionally cut to ``width`` characters with an ellipsis."""
    out = clean(" ".join((text or "").split()), keep_newlines=False)
    if width is not None and len(out) > width:
        out = out[: max(0, width - 1)] + "…"
    return out
