"""Parsing a query (words, "phrases", each a prefix of a word) and finding where its words can
be: which months, and which blocks of them, hold a word that starts with each, from the word
lists the cache keeps for its shards."""

from __future__ import annotations

import mmap
import os
import re
from pathlib import Path
from typing import Any, Protocol

from .folding import _WORD, _lower, fold

_QUERY = re.compile(r'"([^"]*)"?|([^\s"]+)')


def parse_query(query: str) -> list[str]:
    """Words and quoted phrases, folded; terms with no letters or digits are dropped."""
    terms: list[str] = []
    # split at blanks and quotes first: a word with a hyphen, slash or apostrophe in it is
    # then the phrase of its parts ("sector-led" is "sector led", see folding.BREAKS)
    for m in _QUERY.finditer(_lower(query)):
        raw = m.group(1) if m.group(1) is not None else m.group(2)
        term = " ".join(fold(raw).split())
        if term and _WORD.search(term) and term not in terms:
            terms.append(term)
    return terms


def _term_pattern(term: str) -> re.Pattern[str]:
    """The pattern of a folded term at a word start; its spaces match runs of spaces (text
    folded by :func:`~tuibrowser.search.folding.fold_keep` keeps them)."""
    lead = r"(?<!\w)" if _WORD.match(term) else ""
    return re.compile(lead + " +".join(re.escape(part) for part in term.split(" ")))


def _first(low: str, term: str, rx: re.Pattern[str]) -> int | None:
    """Where ``term`` first matches at a word start: ``str.find`` first, the pattern from there."""
    pos = low.find(term)
    if pos == -1:
        if " " not in term or "  " not in low:
            return None
        pos = low.find(term[: term.index(" ") + 1])  # the phrase over a run of spaces
        if pos == -1:
            return None
    m = rx.search(low, pos)
    return m.start() if m else None


class WordLists(Protocol):
    """Each month's word list (:class:`~tuibrowser.library.Words` is one)."""

    months: list[str]
    lists: list[Path | bytes]


_MANY_WORDS = 64  # a prefix matching more words than this in a month: read the whole month


class WordPlaces:
    """Which month segments (1 for the first month, …), and which blocks of them, hold a word
    that starts with a given one: read from each month's word list (:class:`Words`, see
    :func:`~tuibrowser.search.segments.month_search_text`), bytes or the cache's files."""

    def __init__(self, months: list[str], words: WordLists, release_each: bool = False) -> None:
        index = {month: n for n, month in enumerate(months, start=1)}
        self._word_lists = [
            (index.get(m, -1), source) for m, source in zip(words.months, words.lists, strict=True)
        ]
        self._open_lists: dict[int, Any] = {}
        # hand back a month's pages as soon as it is read, not once every month is: a query
        # then holds one month's words at a time, not all of them (tens of MB at 50,000
        # meetings), and reads them again for its next word
        self._release_each = release_each

    def where(self, terms: list[str]) -> dict[str, dict[int, int]]:
        """For each term, the month segments that can hold it with their blocks that can (a
        bit mask, -1: all); a term with no word long enough to tell is left out."""
        out = {}
        for term in terms:
            places: dict[int, int] | None = None
            for w in _WORD.findall(term):
                found = self.word_places(w)
                if found is None:
                    continue  # too short to tell: it does not narrow the search
                if places is None:
                    places = found
                else:
                    places = {n: b & found[n] for n, b in places.items() if n in found}
            if places is not None:
                out[term] = places
        self.release()  # every month's words were read: their pages go back at once
        return out

    def release(self) -> None:
        """Hand back the pages of the word lists read so far (they stay in the page cache)."""
        for data in self._open_lists.values():
            _hand_back(data)

    def word_places(self, word: str) -> dict[int, int] | None:
        """The month segments whose words include one starting with ``word``, each with the
        blocks that hold them."""
        if len(word) < 3:
            return None
        from .segments import WORD_CHARS  # (a query on a store reads no word lists)

        # the lists keep a word's first WORD_CHARS characters: those of a longer word find
        # the blocks of every word that starts as it does
        needle = (" " + word[:WORD_CHARS]).encode("utf-8", "surrogatepass")
        places: dict[int, int] = {}
        for i, (n, _) in enumerate(self._word_lists):
            if n <= 0:
                continue
            data = self.word_list(i)
            if data is None:
                places[n] = -1  # its words are not known any more: the month is read whole
                continue
            blocks = _blocks(data, needle)
            if self._release_each:
                _hand_back(data)
            if blocks is not None:
                places[n] = blocks
        return places

    def word_list(self, i: int) -> Any:
        """The words of the ``i``-th month of the word lists: bytes, or a memory map of the
        cache's file (its pages handed back after each query, see :meth:`release`); None
        when that file is gone."""
        found = self._open_lists.get(i)
        if found is None:
            source = self._word_lists[i][1]
            if isinstance(source, bytes):
                found = source
            else:
                try:
                    with open(source, "rb") as fh:
                        size = os.fstat(fh.fileno()).st_size
                        found = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
                except OSError:
                    # the cache was brought up to date since the library was read (another
                    # process indexed the folder) and this month's list is gone: None
                    return None
            self._open_lists[i] = found
        return found


def _blocks(data: Any, needle: bytes) -> int | None:
    """The blocks (a bit mask, -1: all) of a month's word list ``data`` that hold a word
    starting with ``needle`` (a space and the word); None when none does."""
    find = data.find
    pos = find(needle)
    if pos == -1:
        return None
    blocks = 0
    group_end = -1  # where the group of the words found last ends
    for _ in range(_MANY_WORDS):
        if pos > group_end:  # a word of another group: its blocks
            mask = data.rfind(b"\x01", 0, pos)
            blocks |= int(data[mask + 1 : find(b" ", mask)], 16)
            group_end = find(b"\x01", pos)
            if group_end == -1:
                group_end = len(data)
        pos = find(needle, pos + len(needle))
        if pos == -1:
            break
    else:
        blocks = -1  # a prefix of many words in this month: read it whole
    return blocks


def _hand_back(data: Any) -> None:
    """Hand back the pages of a memory map read so far (they stay in the page cache)."""
    if isinstance(data, mmap.mmap):
        try:
            data.madvise(mmap.MADV_DONTNEED)
        except (AttributeError, OSError, ValueError):
            pass
