"""KPI values in words: a rating as a word, a number as a finding prints it."""

from __future__ import annotations

RATING_WORDS = {
    "green": "green",
    "amber": "amber",
    "red": "red",
    "blue": "blue",
    "not_stated": "not stated",
}


def rating_word(rating: str | None) -> str:
    """The rating as a word (``not stated`` for a blank or unknown rating)."""
    return RATING_WORDS.get((rating or "not_stated").lower(), "not stated")


def number_text(value: float | None) -> str:
    """A number as printed in a finding: ``115`` not ``115.0``."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}"
