"""Parsing a query (words, "phrases", each a prefix of a word) and finding where its words can
be: which months, and which blocks of them, hold a word that starts with each, from the word
lists the cache keeps for its shards."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Protocol

from ..packed import unpack
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
    :func:`~tuibrowser.search.segments.month_search_text`), bytes or the cache's files.

    The cache packs each list (:func:`~tuibrowser.packed.pack`: 8.8 MB for 18.6 MB at 10,000
    meetings), so a query inflates each month's list once for all its words. ``keep``: keep
    them inflated, once a query has read them (the browser, between its queries: inflating
    every list again took each query 30-40 ms more at 10,000 meetings, where its search p95
    is 80 ms against a limit of 120; keeping them costs 19 MB, what a query touched of the
    files' pages when they were mapped, from its first query, after the library is loaded,
    and the queries after it are a little quicker than on the mapped files). Without
    it (the command line's one query) a month's list is dropped as soon as its words are
    found: one month's words in memory at a time. A list that cannot be read or inflated
    (gone, damaged, cut short) tells nothing: its month is read whole."""

    def __init__(self, months: list[str], words: WordLists, keep: bool = True) -> None:
        index = {month: n for n, month in enumerate(months, start=1)}
        self._word_lists = [
            (index.get(m, -1), source) for m, source in zip(words.months, words.lists, strict=True)
        ]
        self._kept: dict[int, bytes | None] | None = {} if keep else None

    def where(self, terms: list[str]) -> dict[str, dict[int, int]]:
        """For each term, the month segments that can hold it with their blocks that can (a
        bit mask, -1: all); a term with no word long enough to tell is left out."""
        found = self._places_of([w for term in terms for w in _WORD.findall(term)])
        out = {}
        for term in terms:
            places: dict[int, int] | None = None
            for w in _WORD.findall(term):
                mine = found.get(w)
                if mine is None:
                    continue  # too short to tell: it does not narrow the search
                if places is None:
                    places = mine
                else:
                    places = {n: b & mine[n] for n, b in places.items() if n in mine}
            if places is not None:
                out[term] = places
        return out

    def word_places(self, word: str) -> dict[int, int] | None:
        """The month segments whose words include one starting with ``word``, each with the
        blocks that hold them (None when ``word`` is too short to tell)."""
        return self._places_of([word]).get(word)

    def _places_of(self, words: list[str]) -> dict[str, dict[int, int]]:
        """:meth:`word_places` of each of ``words`` (those too short left out), each month's
        list read and inflated once for them all."""
        from .segments import WORD_CHARS  # (a query on a store reads no word lists)

        # the lists keep a word's first WORD_CHARS characters: those of a longer word find
        # the blocks of every word that starts as it does
        needles = {
            w: (" " + w[:WORD_CHARS]).encode("utf-8", "surrogatepass")
            for w in dict.fromkeys(words)
            if len(w) >= 3
        }
        out: dict[str, dict[int, int]] = {w: {} for w in needles}
        if not needles:
            return out
        for i, (n, _) in enumerate(self._word_lists):
            if n <= 0:
                continue
            data = self.word_list(i)
            for w, needle in needles.items():
                if data is None:
                    out[w][n] = -1  # its words are not known: the month is read whole
                    continue
                blocks = _blocks(data, needle)
                if blocks is not None:
                    out[w][n] = blocks
            del data  # (one month's words at a time)
        return out

    def word_list(self, i: int) -> bytes | None:
        """The words of the ``i``-th month of the word lists, inflated when from the cache's
        file (kept so when ``keep``); None when that file is gone or is not a packed list
        (damaged, cut short)."""
        kept = self._kept
        if kept is not None and i in kept:
            return kept[i]
        source = self._word_lists[i][1]
        found: bytes | None
        if isinstance(source, bytes):
            found = source
        else:
            try:
                with open(source, "rb") as fh:
                    found = unpack(fh.read())
            except (OSError, ValueError):
                # the cache was brought up to date since the library was read (another
                # process indexed the folder) and this month's list is gone, or it is
                # damaged: None
                found = None
        if kept is not None:
            kept[i] = found
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
