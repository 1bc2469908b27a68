"""How meetings, boards, people and agenda items are named and matched: meeting ids, board
names and slugs, the person key that joins the forms of a name, item keys and their sort order.

Plain functions of strings, no I/O; the model (:mod:`tuibrowser.model`) and every reader of
documents share them.
"""

from __future__ import annotations

import functools
import re

from .digest import hexdigest

TITLES = {
    "cllr", "clir", "councillor", "cllr.", "mayor", "mr", "mrs", "ms", "miss", "mx", "dr",
    "sir", "dame", "lord", "lady", "baroness", "baron", "professor", "prof", "rev", "the",
}  # fmt: skip
HONOURS = {
    "obe", "mbe", "cbe", "kbe", "dbe", "jp", "dl", "mp", "mep", "frsa", "cb", "kt", "qc",
    "kc", "bem", "phd", "mba", "fca", "cpfa",
}  # fmt: skip
_NON_NAME = re.compile(r"[^\w\s'\-]")


def drop_brackets(text: str, repl: str = " ") -> str:
    r"""``text`` with each ``(`` up to the first ``)`` after it replaced by ``repl``.

    What ``re.sub(r"\([^)]*\)", repl, text)`` gives, in linear time: that pattern scans the
    rest of the text again from every ``(`` never closed (a name of 300,000 took 23 s).
    """
    out: list[str] = []
    pos = 0
    while (start := text.find("(", pos)) >= 0 and (end := text.find(")", start + 1)) >= 0:
        out += (text[pos:start], repl)
        pos = end + 1
    out.append(text[pos:])
    return "".join(out)


@functools.lru_cache(maxsize=65536)
def strip_name(name: str) -> str:
    """The name without titles, honours or notes in brackets: ``Cllr Judi Billing MBE`` → ``Judi Billing``."""
    words = drop_brackets(name).replace(",", " ").split()
    while words and words[0].lower().rstrip(".") in TITLES:
        words.pop(0)
    while words and words[-1].lower().strip(".") in HONOURS:
        words.pop()
    return " ".join(words)


@functools.lru_cache(maxsize=65536)
def person_key(name: str) -> str:
    """The rule that joins name forms into one person (documented in docs/format.md).

    Drop anything in brackets, leading titles (Cllr, Mayor, Mr, Dr, Sir, …), trailing honours
    (OBE, MBE, CBE, JP, …), punctuation other than hyphen and apostrophe; fold case and spaces;
    join words with ``-``.  ``Cllr Judi Billing MBE`` and ``Judi Billing`` → ``judi-billing``.
    """
    core = _NON_NAME.sub(" ", strip_name(name).replace("’", "'")).lower()
    return "-".join(core.split())


def meeting_id(board: str, date: str) -> str:
    """``<date>-<board slug>``; boards whose slugs are equal are told apart when documents
    are grouped (:func:`tuibrowser.library.meeting_ids`)."""
    return f"{date}-{board_slug(board)}"


def board_name(board: str) -> str:
    """The board's name as meetings are matched by it: case and runs of blanks folded."""
    return " ".join(board.casefold().split())


def board_hash(board: str) -> str:
    """Six hex digits of the board's folded name: the part of an id a lossy slug needs, put
    after ``--``, which no slug holds (so no board's name can spell another's id)."""
    return hexdigest(board_name(board).encode("utf-8", "surrogatepass"))[:6]


@functools.lru_cache(maxsize=4096)
def board_slug(board: str) -> str:
    """The board's slug, with its hash when it has no ASCII letter or digit at all
    (``委員会`` and ``Совет`` would both be ``board``). (Kept for the few boards of a folder:
    every document's meeting id is made of it, three times a file in a cold index.)"""
    out = slug(board)
    return out if _ALNUM.search(board.lower()) else f"{out}--{board_hash(board)}"


def slug_is_lossless(board: str) -> bool:
    """Whether the slug says all the board's name does (``Audit Risk``, not ``Audit & Risk``)."""
    return board_name(board) == slug(board).replace("-", " ")


# (compiled as the module is imported: a refresh imports it while the folder is walked, and
# its first file read then compiles none)
_ALNUM = re.compile(r"[a-z0-9]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    words = _NOT_ALNUM.sub(" ", text.lower().replace("&", " ")).split()
    return "-".join(words) or "board"


_NUM = re.compile(r"(\d+)|(\D+)")
_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")
_TRAILING = re.compile(r"[\W_]+$")


@functools.lru_cache(maxsize=65536)
def item_key(number: str) -> str:
    """An agenda number as a reader matches it across documents (agenda, minutes, KPI rows):
    any case, without leading zeros or trailing punctuation. ``9A``, ``9a`` → ``9a``;
    ``08``, ``8.``, ``8`` → ``8``; ``8.01`` → ``8.1``.

    Every comparison of item numbers between documents goes through this one function."""
    text = _TRAILING.sub("", str(number).strip().casefold())
    return _LEADING_ZEROS.sub("", text)


@functools.lru_cache(maxsize=65536)
def number_key(number: str) -> tuple:
    """Sort key for agenda numbers such as ``2``, ``10``, ``8a``, ``8.1``. (Kept once made, as
    :func:`item_key` is: a folder numbers its items with a few numbers, over and over.)"""
    parts: list[tuple[int, int | str]] = []
    for digits, other in _NUM.findall(number or ""):
        parts.append((0, int(digits)) if digits else (1, other))
    return tuple(parts)
