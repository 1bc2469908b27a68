"""What ``--public`` withholds, decided in one place for the library and the public cache.

It fails closed. An item is withheld when any document of its meeting marks it confidential,
and **every** item of a meeting is withheld while one of its files cannot be read or parsed
(an error, or a file the user may not read): that file may be the one that marks an item. A
problem met inside a withheld item is reported without its text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable

from .base import NAME_DATE, RESTRICTED
from .keys import item_key
from .model import Problem

__all__ = [
    "ALL",
    "failed_paths",
    "is_withheld",
    "redact_problems",
    "unparsed_message",
    "withheld_numbers",
]

# In a meeting's withheld numbers: every item (a document of the meeting could not be read).
ALL = "*"
CONFIDENTIAL = "a problem in a confidential item (withheld in public mode)"
UNREAD = "a problem in an item withheld in public mode while a file of its meeting cannot be read"
# How a problem of a file that could not be read or parsed is told: its kind, and where (the
# file and line the problem names), never its text. A parser's message may quote the file (a
# YAML alias or tag name, the start of a line), and that file's items are not known.
WITHHELD_DETAILS = "details withheld in public mode; 'tuibrowser check' tells them"
# The kinds of problem, by how their message starts (see records.py); any other is "an error".
PROBLEM_KINDS = (
    ("YAML error", "YAML error"),
    ("YAML nested deeper", "YAML nested too deeply"),
    ("YAML has more than", "YAML too large once aliases are expanded"),
    ("not valid UTF-8", "not valid UTF-8"),
    ("file contains NUL bytes", "file contains NUL bytes"),
    ("file is empty", "empty file"),
    ("file is ", "file too large"),
    ("no frontmatter", "no frontmatter"),
    ("frontmatter is not closed", "frontmatter not closed"),
    ("frontmatter is ", "frontmatter too large"),
    ("frontmatter must be a mapping", "frontmatter not a mapping"),
    ("not a regular file", "not a regular file"),
    ("cannot read", "cannot read"),
    ("cannot open", "cannot open"),
    ("not a folder", "not a folder"),
    ("the file name is not valid UTF-8", "file name not valid UTF-8"),
    ("the folder name is not valid UTF-8", "folder name not valid UTF-8"),
    ("the file holds a value that cannot be stored", "a value that cannot be stored"),
)


def is_withheld(numbers: Collection[str], number: str | None) -> bool:
    """Whether the item ``number`` (as printed) is among a meeting's withheld ``numbers``."""
    if not numbers or number is None:
        return False
    return ALL in numbers or item_key(number) in numbers


def failed_paths(problems: Iterable[Problem]) -> list[str]:
    """The files and folders that could not be read or parsed (an error, or restricted)."""
    return [p.path for p in problems if p.severity in ("error", RESTRICTED)]


def failed_dates(paths: Iterable[str]) -> set[str] | None:
    """The meeting dates the names of failed files give, or None when one gives none: that
    file may belong to any meeting."""
    dates: set[str] = set()
    for path in paths:
        found = NAME_DATE.search(path.rstrip("/").rsplit("/", 1)[-1])
        if found is None:
            return None
        dates.add(found.group())
    return dates


def withheld_numbers(
    marks: Iterable[tuple[str, str]], meetings: Iterable[str], failed: Iterable[str]
) -> dict[str, set[str]]:
    """The item keys to withhold, by meeting id: the ``(meeting, number)`` ``marks`` of
    confidential items, and :data:`ALL` for each of ``meetings`` on a date that a ``failed``
    file's name gives (every meeting when a failed file's name gives no date)."""
    out: dict[str, set[str]] = defaultdict(set)
    for meeting, number in marks:
        out[meeting].add(item_key(number))
    dates = failed_dates(failed)
    for meeting in meetings:
        if dates is None or meeting[:10] in dates:
            out[meeting].add(ALL)
    return out


def unparsed_message(message: str, severity: str = "error") -> str:
    """What public mode says of a problem of a file that could not be parsed: its kind only
    (a message told so already, or withheld with its item, is kept: the public cache holds
    them, and the library tells them again)."""
    if message in (CONFIDENTIAL, UNREAD) or message.endswith(f"({WITHHELD_DETAILS})"):
        return message
    kind = next((k for start, k in PROBLEM_KINDS if message.startswith(start)), None)
    if kind is None:
        kind = "a warning" if severity == "warning" else "an error"
    return f"{kind} ({WITHHELD_DETAILS})"


def redact_problems(
    problems: Iterable[Problem], numbers_of: Callable[[str], Collection[str]]
) -> list[Problem]:
    """``problems``, each met in a withheld item replaced by one that says only where it is,
    and each of a file that could not be parsed (one with an error) by its kind and place.

    ``numbers_of(path)`` gives the withheld numbers of the meeting of the file at ``path``
    (:data:`ALL` for a file that could not be parsed: its items are not known)."""
    problems = list(problems)
    failed = {p.path for p in problems if p.severity == "error"}  # an error skips its file
    out = []
    for p in problems:
        if p.item is not None and is_withheld(numbers := numbers_of(p.path), p.item):
            text = UNREAD if ALL in numbers else CONFIDENTIAL
            p = Problem(p.path, p.line, text, p.severity)
        elif p.path in failed and p.severity != RESTRICTED:
            told = unparsed_message(p.message, p.severity)
            if told != p.message:
                p = Problem(p.path, p.line, told, p.severity)
        out.append(p)
    return out
