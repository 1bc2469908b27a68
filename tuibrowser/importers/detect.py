"""What kind of export a file is, from its text."""

from __future__ import annotations

import re

from . import agenda_pack, getmeeting, moderngov_text

# The formats of export detect() tells apart (an import's ``kind``).
FORMATS = ("getmeeting", "agenda_pack", "moderngov_text")


def detect(text: str) -> str | None:
    """``getmeeting`` (mgWebService XML), ``agenda_pack`` (PDF-extracted agenda pack),
    ``moderngov_text`` (text minutes) or None when the text is none of them."""
    head = text.lstrip()[:2000]
    if head.startswith("<") and re.search(r"<\s*(\w+:)?(meeting|getmeeting)\b", text[:20000], re.I):
        return "getmeeting"
    if getmeeting.looks_like(text):
        return "getmeeting"
    if agenda_pack.looks_like(text):
        return "agenda_pack"
    if moderngov_text.looks_like(text):
        return "moderngov_text"
    return None
