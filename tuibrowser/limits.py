"""The ranges a value read from a meeting file must fall in to be stored, exported and searched.

The loader checks every number, date and identifier against these where the file is parsed
(:mod:`tuibrowser.records`), so what reaches the cache (orjson), the exports (JSON, CSV, ICS)
and the screens is always something they can hold:

- integers and floats within ±(2**53 - 1): orjson refuses integers beyond 64 bits, and a JSON
  reader in JavaScript holds integers exactly only up to 2**53 - 1; no count, sum or score a
  record states comes near it (floats share the bound, so ``1e30`` is out of range too);
- dates in the years 1000 to 9998: four-digit years (``strftime('%Y')`` writes year 999 as
  ``999``, not ``0999``), and a day or two hours after any such date is still a date (the ICS
  writer adds them; ``9999-12-31`` plus a day is not);
- agenda numbers and KPI codes at most 32 characters: they are identifiers, sorted by their
  digits (``int()`` refuses more than 4,300 digits), not text;
- ``{order=N}`` in ASCII digits, at most 9 of them (``'²'.isdigit()`` is true, ``int('²')`` fails).

And one limit of what is shown rather than stored: the browser shows the first
:data:`SHOWN_CHARS` characters of one text (a longer one took minutes to lay out), and
``check`` warns of an item text longer than that (:mod:`tuibrowser.longtexts`).
"""

from __future__ import annotations

import math
from typing import Any

import orjson

MAX_INTEGER = 2**53 - 1
MIN_YEAR = 1000
MAX_YEAR = 9998
MAX_IDENTIFIER = 32
MAX_ORDER_DIGITS = 9
SHOWN_CHARS = 100_000  # characters of one text the browser shows


def number_problem(value: int | float | LongNumber) -> str | None:
    """Why a number from a file cannot be kept, or None when it can."""
    if isinstance(value, LongNumber):
        return f"{short(value)} is out of range (at most ±{MAX_INTEGER:,})"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value!r} is not a finite number"
    if not -MAX_INTEGER <= value <= MAX_INTEGER:
        return f"{short(value)} is out of range (at most ±{MAX_INTEGER:,})"
    return None


def year_in_range(iso_date: str) -> bool:
    """Whether an ISO date (``YYYY-MM-DD``) falls in the years the exports can hold."""
    return MIN_YEAR <= int(iso_date[:4]) <= MAX_YEAR


def identifier_problem(text: str, what: str) -> str | None:
    """Why an agenda number or code cannot be kept (too long), or None."""
    if len(text) > MAX_IDENTIFIER:
        return (
            f"{what} {short(text)} is {len(text):,} characters long; the limit is {MAX_IDENTIFIER}"
        )
    return None


def order_value(text: str) -> int | None:
    """The value of ``{order=N}``: ASCII digits only, at most nine of them; else None."""
    if 0 < len(text) <= MAX_ORDER_DIGITS and text.isascii() and text.isdecimal():
        return int(text)
    return None


class LongNumber(str):
    """An integer of more digits than :data:`MAX_DIGITS`, as the YAML loader gives it: its text,
    so a text field keeps what the file says and a number field reports it out of range."""


MAX_DIGITS = 100


def integer(text: str) -> int | LongNumber:
    """A YAML decimal integer: an int, or a :class:`LongNumber` when it is too long for one
    (``int()`` refuses more than 4,300 digits, and no field has use for more than 16)."""
    if len(text.lstrip("+-")) > MAX_DIGITS:
        return LongNumber(text)
    return int(text)


def count(digits: str) -> int:
    """A run of digits read from an imported text, as an int. More than :data:`MAX_DIGITS` of
    them count as 10**MAX_DIGITS: out of every range (the loader leaves such a value out), and
    ``int()`` refuses more than 4,300 digits."""
    return int(digits) if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS


def short(value: object, limit: int = 24) -> str:
    """A value as a message shows it, cut short (a number of 5,000 digits is not repeated)."""
    if isinstance(value, LongNumber) or (
        isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit
    ):
        return f"a number of {len(str(value).lstrip('+-')):,} digits"
    text = value if isinstance(value, str) else repr(value)  # a mapping can be long too
    cut = text[:limit] + "…" if len(text) > limit else text
    return repr(cut) if isinstance(value, str) else cut


def storable_problem(document: Any) -> str | None:
    """Why a parsed document cannot go into the cache (orjson), or None: the last guard, for
    whatever a range check above might miss, so one file is skipped rather than every command
    failing on it."""
    return stored(document)[1]


def stored(document: Any) -> tuple[bytes | None, str | None]:
    """The document as the cache stores it (its JSON, made by orjson), or why it cannot be
    stored (see :func:`storable_problem`): a shard built in the same process writes this JSON
    as it is, instead of making it again."""
    try:
        return orjson.dumps(document), None
    except (TypeError, ValueError) as exc:  # orjson.JSONEncodeError is a TypeError
        return None, f"the file holds a value that cannot be stored ({exc}): not read"
