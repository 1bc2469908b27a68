"""Text from files is untrusted: helpers that make it safe to print to a terminal."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_NO_NL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean(text: str | None, keep_newlines: bool = True) -> str:
    """``text`` with control characters (ESC, OSC, BEL, C1 …) shown as visible escapes.

    Nothing from a file reaches the terminal raw: ``\\x1b[31m`` prints as ``\\x1b[31m``.
    """
    if not text:
        return ""
    pattern = _CONTROL if keep_newlines else _CONTROL_NO_NL
    return pattern.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def one_line(text: str | None, width: int | None = None) -> str:
    """Clean text folded onto one line, optionally cut to ``width`` characters with an ellipsis."""
    out = clean(" ".join((text or "").split()), keep_newlines=False)
    if width is not None and len(out) > width:
        out = out[: max(0, width - 1)] + "…"
    return out
