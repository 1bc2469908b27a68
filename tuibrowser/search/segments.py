"""A segment: the search text of the people, or of one month's meetings, and reading it.

Writing: :func:`month_search_text` folds a month's records into the three parts the cache keeps
for its shard (``.txt`` folded, ``.show`` what the text as shown adds to it, see
:mod:`.casepatch`; ``.idx`` record offsets) and its word list
(``.words``: each word with the blocks of the month that hold it). Reading: :class:`_Segment`
maps those files (or holds the parts folded here) and finds the records with a term.
"""

from __future__ import annotations

import mmap
import os
import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..packed import BlockText
from .casepatch import _runs, patches, shown_of, squeezed
from .folding import _FIELD, _RECORD, _WORD, _display, fold_keep
from .units import _month_units, _place, _Unit, _unit_at, _unit_count, _unit_records, month_fields

if TYPE_CHECKING:
    from ..model import Meeting

# A month's segment is cut into blocks of about this many bytes of folded text (at most
# MAX_BLOCKS), and the cache notes which blocks hold each word: a word in a few meetings
# sends a query to a few blocks, not through the whole month.
BLOCK_BYTES = 160 * 1024
MAX_BLOCKS = 8
_VECTORISED = "tuibrowser.search.wordsvec"  # (see segment_words)


def _fold_segment(
    records: list[tuple[list[str], list[str]]], words: bool
) -> tuple[bytes, bytes, bytes, dict[str, int]]:
    """A segment's three parts (see :class:`_Segment`) from (field names, raw field texts)
    records, and (with ``words``) each word of its folded text with the blocks that hold it."""
    folded_b, shown_b, offsets, blocks, _ = _fold_blocks(records)
    return folded_b, shown_b, offsets, _words_of_blocks(blocks) if words else {}


def _fold_blocks(
    records: list[tuple[list[str], list[str]]],
) -> tuple[bytes, bytes, bytes, Iterator[bytes], str]:
    """:func:`_fold_segment`'s three parts, the folded text of each block (made as it is
    read), and the records' text as shown (fields joined by "\\n", records by NUL)."""
    return _fold_fields([names for names, _ in records], [texts for _, texts in records])


def _fold_fields(
    names: list[list[str]], texts: list[list[str]]
) -> tuple[bytes, bytes, bytes, Iterator[bytes], str]:
    """:func:`_fold_blocks` of records given as their field names and their field texts (two
    lists, as :func:`.units.month_fields` makes them)."""
    display = _display(texts)
    if display is None:
        return b"", b"", _offsets([], 0, [0], [0, 0]), iter(()), ""
    kept = fold_keep(display).replace(_FIELD, "\n")  # one character for each of display's
    runs = _runs(kept)  # (found once, for both)
    folded = squeezed(kept, runs)  # as fold() squeezes
    folded_b = (folded + _RECORD).encode("utf-8", "surrogatepass")
    shown = display.replace(_FIELD, "\n")
    f_starts = record_starts(folded_b)
    # where each record starts in shown (and kept): where it starts in the folded text, when
    # no spaces were squeezed out and each character is a byte (found again otherwise)
    same = not runs and len(folded_b) == len(kept) + 1
    shown_b, p_starts = patches(names, shown, kept, runs, f_starts if same else None)
    bounds = _block_bounds(f_starts, len(folded_b))
    offsets = _offsets(f_starts, len(folded_b), p_starts, bounds)
    return folded_b, shown_b, offsets, _blocks_of(folded_b, f_starts, bounds), shown


def _block_bounds(f_starts: list[int], end: int) -> list[int]:
    """The first record of each block (and the number of records at the end)."""
    n = len(f_starts)
    blocks = max(1, min(MAX_BLOCKS, -(-end // BLOCK_BYTES)))
    bounds = [0]
    for k in range(1, blocks):
        first = bisect_right(f_starts, k * end // blocks) - 1
        if first > bounds[-1]:
            bounds.append(first)
    bounds.append(n)
    return bounds


# Every ASCII byte that is not a word character (letters, digits, "_") becomes a space.
_SEPARATE = bytes(b if (chr(b).isalnum() or b == 0x5F or b > 0x7F) else 0x20 for b in range(256))


def _block_words(records: list[str], bounds: list[int]) -> dict[str, int]:
    """Each word of folded ``records`` with the bits of the blocks it is in."""
    return _words_of_blocks(
        "\0".join(records[bounds[b] : bounds[b + 1]]).encode("utf-8", "surrogatepass")
        for b in range(len(bounds) - 1)
    )


def _blocks_of(folded: bytes, starts: list[int], bounds: list[int]) -> Iterator[bytes]:
    """The folded text (UTF-8, records ended by NUL) of each block: ``starts`` are where its
    records start, ``bounds`` the first record of each block (and the number of records)."""
    edges = [*starts, len(folded)]
    for b in range(len(bounds) - 1):
        yield folded[edges[bounds[b]] : edges[bounds[b + 1]]]


def _words_of_blocks(blocks: Iterable[bytes]) -> dict[str, int]:
    """Each word of the blocks (folded text in UTF-8, their separators ASCII) with the bits of
    the blocks it is in.

    Each block's distinct tokens are found at C speed (bytes.translate turns ASCII separators
    into blanks, a set takes the tokens); only tokens with other characters, which may hold
    separators of their own such as dashes, go through the pattern.
    """
    found: dict[bytes, int] = {}
    get = found.get
    for b, text in enumerate(blocks):
        bit = 1 << b
        for token in set(text.translate(_SEPARATE).split()):
            found[token] = get(token, 0) | bit
    out: dict[str, int] = {}
    for token, bits in found.items():
        if token.isascii():
            word = token.decode("ascii")
            out[word] = out.get(word, 0) | bits
        else:
            for word in _WORD.findall(token.decode("utf-8", "surrogatepass")):
                out[word] = out.get(word, 0) | bits
    return out


# Offsets are 4 bytes each: a month's text is far below 4 GB (records are checked for size).
OFFSET = "I" if array("I").itemsize == 4 else "L"


def _offsets(f_starts: list[int], f_end: int, p_starts: list[int], bounds: list[int]) -> bytes:
    """Where each record starts in a segment's folded part and in its patches (with where the
    last one ends), and the first record of each of its blocks."""
    values = [len(f_starts), *f_starts, f_end, *p_starts, len(bounds), *bounds]
    return array(OFFSET, values).tobytes()


def record_count(raw: bytes) -> int:
    """How many records the offsets ``raw`` (of :func:`_offsets`) are of."""
    values = array(OFFSET)
    values.frombytes(raw[: values.itemsize])
    return values[0] if values else 0


def _read_offsets(raw: bytes) -> tuple[array, array, array]:
    values = array(OFFSET)
    values.frombytes(raw)
    n = values[0]
    return values[1 : n + 2], values[n + 2 : 2 * n + 3], values[2 * n + 4 :]


def month_text(meetings: Iterable[Meeting]) -> tuple[bytes, bytes, bytes]:
    """The three parts of the segment of ``meetings`` (in that order): what the cache keeps
    for each month, so a query does not fold it again."""
    folded, shown, offsets, _ = _fold_segment(_unit_records(_month_units(meetings)), False)
    return folded, shown, offsets


def month_search_text(meetings: Iterable[Meeting]) -> tuple[bytes, bytes, bytes, str]:
    """:func:`month_text` and its words with their blocks, in one pass (what the cache
    writes)."""
    return month_search_parts(meetings)[:4]


def month_search_parts(
    meetings: Iterable[Meeting],
) -> tuple[bytes, bytes, bytes, str, list[bytes]]:
    """:func:`month_search_text`, and the text as shown of each record (UTF-8, fields joined
    by "\\n"): what :func:`shown_of` makes of a record's folded text and patch, made here
    without it (the cache's long texts are packed against it: :mod:`.store.leantexts`)."""
    folded, patched, offsets, blocks, shown = _fold_fields(*month_fields(meetings))
    texts = shown.encode("utf-8", "surrogatepass").split(b"\0") if folded else []
    return folded, patched, offsets, word_list_of_blocks(blocks), texts


def month_fold(meetings: Iterable[Meeting]) -> tuple[bytes, bytes, bytes, list[bytes]]:
    """:func:`month_search_parts` without its words (:func:`segment_words` gives them of the
    folded text): what a shard is written of (:mod:`tuibrowser.store.shards`)."""
    folded, patched, offsets, _, shown = _fold_fields(*month_fields(meetings))
    texts = shown.encode("utf-8", "surrogatepass").split(b"\0") if folded else []
    return folded, patched, offsets, texts


def segment_words(folded: bytes, offsets: bytes) -> str:
    """The word list of a segment folded by :func:`month_fold`: the one
    :func:`month_search_text` gives with it. Made with numpy (:mod:`.wordsvec`, the same list)
    in a process that has imported it: the cold index's workers."""
    vectorised = sys.modules.get(_VECTORISED)
    if vectorised is not None and (words := vectorised.segment_words(folded, offsets)) is not None:
        return words
    f_starts, _, bounds = _read_offsets(offsets)
    return word_list_of_blocks(_blocks_of(folded, list(f_starts), list(bounds)))


# A word list keeps each word's first WORD_CHARS characters: a query's word finds the blocks
# of every word that starts as it does, its first WORD_CHARS characters (query.WordPlaces), a
# few more blocks at most for a long word, which the scan then reads; a quarter less to keep.
WORD_CHARS = 6


def _word_list(words: dict[str, int]) -> str:
    """Words (their first :data:`WORD_CHARS` characters) grouped by the blocks they are in: for
    each mask of blocks (ascending), ``\x01`` and its bits in hex, then its words, sorted, each
    after a space. ``" " + word`` is in it when some word starts with ``word``, and its blocks
    are those of the last mask before it (a mask is written once, not beside each word)."""
    kept: dict[str, int] = {}
    for word, bits in words.items():
        if len(word) > WORD_CHARS:
            word = word[:WORD_CHARS]
        kept[word] = kept.get(word, 0) | bits
    groups: dict[int, list[str]] = {}
    for word, bits in kept.items():
        groups.setdefault(bits, []).append(word)
    return "".join([f"\x01{bits:x} " + " ".join(sorted(groups[bits])) for bits in sorted(groups)])


def word_list_of_blocks(blocks: Iterable[bytes]) -> str:
    """``_word_list(_words_of_blocks(blocks))``, made without a string, a decoding or a step
    of Python for each word of each block.

    A word's first :data:`WORD_CHARS` characters are in a block when a word of the block starts
    with them: so each block's set of tokens (made at C speed) is cut to their first characters
    (an ASCII token is one word, its characters its bytes; the few others go through the
    pattern), and the prefixes are grouped by the blocks they are in with set operations, a
    few for each block. UTF-8 sorts as its characters do: the groups are sorted as bytes.
    """
    return word_list_of_prefixes(block_prefixes(text) for text in blocks)


# A token's first WORD_CHARS bytes, taken at C speed (map, not a comprehension)
_PREFIX = itemgetter(slice(None, WORD_CHARS))


def block_prefixes(text: bytes) -> set[bytes]:
    """The first :data:`WORD_CHARS` characters (UTF-8) of each word of a block's folded text:
    what :func:`word_list_of_prefixes` lists, with the other blocks'."""
    tokens = set(text.translate(_SEPARATE).split())
    if text.isascii():
        return set(map(_PREFIX, tokens))
    wide = {token for token in tokens if not token.isascii()}
    found = set(map(_PREFIX, tokens.difference(wide)))
    for token in wide:
        for word in _WORD.findall(token.decode("utf-8", "surrogatepass")):
            found.add(word[:WORD_CHARS].encode("utf-8", "surrogatepass"))
    return found


def word_list_of_prefixes(prefixes: Iterable[set[bytes]]) -> str:
    """The word list of the blocks whose prefixes (:func:`block_prefixes`) are given in
    order: each group of prefixes that are in the same blocks, after the mask of those
    blocks (the sets are the list's to change)."""
    groups: dict[int, set[bytes]] = {}  # blocks (bits) -> the prefixes in just those blocks
    for b, found in enumerate(prefixes):
        bit = 1 << b
        for bits, group in list(groups.items()):
            both = group & found
            if both:  # in this block too: moved to the group of bits | bit (a new one)
                group -= both
                found -= both
                groups[bits | bit] = both
                if not group:
                    del groups[bits]
        if found:
            groups[bit] = found
    # Each group sorted as its bytes are: decoded as Latin-1 (a character a byte, in order),
    # since strings of one byte a character compare faster than bytes do
    listed = [
        f"\x01{bits:x} " + " ".join(sorted(b" ".join(groups[bits]).decode("latin-1").split(" ")))
        for bits in sorted(groups)
    ]
    return "".join(listed).encode("latin-1").decode("utf-8", "surrogatepass")


def record_starts(corpus: str | bytes) -> list[int]:
    """Where each NUL-ended record of ``corpus`` starts."""
    nul: Any = "\0" if isinstance(corpus, str) else b"\0"  # of corpus's type
    starts = [0]
    find = corpus.find
    pos = find(nul)
    while pos != -1:
        starts.append(pos + 1)
        pos = find(nul, pos + 1)
    starts.pop()  # where the text ends
    return starts


class _Segment:
    """The records of the people, or of the meetings of one month, in two parts of UTF-8:
    ``folded`` (each record's fields folded, joined by "\\n", ended by NUL), which a query
    scans with ``find`` at C speed, and ``shown`` (each record's field names and what its
    fields as shown add to its folded text: :mod:`.casepatch`), read only for the records it
    shows; with the offsets of each record in both. From the cache the folded part is a memory map of its file, so reading a month costs
    no copy, and :meth:`release` hands its pages back; the shown part is packed in blocks
    (:class:`~tuibrowser.packed.BlockText`), inflated for the records shown.

    The records of a month are made (:func:`_meeting_units`) only for the meetings a query
    hits; the people's are kept.
    """

    __slots__ = (
        "folded", "shown", "f_starts", "s_starts", "bounds", "meetings", "firsts", "order",
        "units", "maps", "size", "last",
    )  # fmt: skip

    def __init__(
        self,
        parts: tuple[Any, Any, bytes],
        meetings: list[Meeting],
        order: list[int],
        units: list[_Unit] | None = None,
        maps: list[Any] | None = None,
        firsts: list[int] | None = None,
    ) -> None:
        self.folded, self.shown, offsets = parts
        self.f_starts, self.s_starts, self.bounds = _read_offsets(offsets)
        self.maps = maps or []
        self.meetings = meetings
        self.order = order  # each meeting's place in the library
        if firsts is None:  # each meeting's first record, and where the last one ends
            firsts = [0]
            for m in meetings:
                firsts.append(firsts[-1] + _unit_count(m))
        self.firsts = firsts[:-1]
        n = firsts[-1]
        self.units: dict[int, list[_Unit]] = {}
        if units is not None and not meetings:
            self.units[-1] = units
            n = len(units)
        if not (n == len(self.f_starts) - 1 == len(self.s_starts) - 1):
            raise ValueError(f"a segment of {n} records has text for others")
        if self.f_starts[-1] != len(self.folded) or self.s_starts[-1] != len(self.shown):
            raise ValueError("a segment's offsets do not fit its text")
        self.size = len(self.folded) + len(self.shown)
        self.last: tuple[int, tuple[str, str]] | None = None

    @classmethod
    def of_files(
        cls, base: Path, meetings: list[Meeting], order: list[int], firsts: list[int]
    ) -> _Segment:
        """The segment the cache keeps in ``base.txt``, ``base.show`` and ``base.idx``."""
        offsets = base.with_suffix(".idx").read_bytes()
        maps = []
        parts: list[mmap.mmap | bytes] = []
        for suffix in (".txt", ".show"):
            with open(base.with_suffix(suffix), "rb") as fh:
                if os.fstat(fh.fileno()).st_size:
                    mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
                    maps.append(mm)
                    parts.append(mm)
                else:
                    parts.append(b"")
        # the text as shown is packed in blocks, inflated as records are shown: its table is
        # read then too, so opening a month touches no page of it
        s_starts = _read_offsets(offsets)[1]
        shown = BlockText(parts[1], s_starts[-1] if s_starts else 0)  # none: checked below
        return cls((parts[0], shown, offsets), meetings, order, maps=maps, firsts=firsts)

    def release(self) -> None:
        """Hand back the pages of the memory maps read so far (they stay in the page cache)."""
        for mm in self.maps:
            try:
                mm.madvise(mmap.MADV_DONTNEED)
            except (AttributeError, OSError, ValueError):
                pass

    def close(self) -> None:
        for mm in self.maps:
            try:
                mm.close()
            except (BufferError, ValueError):
                pass  # still in use by a query in another thread: the collector closes it

    def __len__(self) -> int:
        return len(self.f_starts) - 1

    def _shown(self, uid: int) -> tuple[str, str]:
        last = self.last  # a hit asks for its names, then its fields
        if last is not None and last[0] == uid:
            return last[1]
        raw = self.shown[self.s_starts[uid] : self.s_starts[uid + 1]]
        out = shown_of(self.folded_record(uid), bytes(raw).decode("utf-8", "surrogatepass"))
        self.last = (uid, out)
        return out

    def names(self, uid: int) -> list[str]:
        names = self._shown(uid)[0]
        return names.split("\n") if names else []

    def shown_fields(self, uid: int) -> list[str]:
        return self._shown(uid)[1].split("\n")

    def folded_record(self, uid: int) -> str:
        raw = self.folded[self.f_starts[uid] : self.f_starts[uid + 1] - 1]
        return bytes(raw).decode("utf-8", "surrogatepass")

    def folded_text(self) -> str:
        return bytes(self.folded[:]).decode("utf-8", "surrogatepass")

    def _meeting_of(self, uid: int) -> int:
        return bisect_right(self.firsts, uid) - 1

    def unit(self, uid: int) -> _Unit:
        if not self.meetings:
            return self.units[-1][uid]
        k = self._meeting_of(uid)
        return _unit_at(self.meetings[k], uid - self.firsts[k])

    def kind(self, uid: int) -> str:
        if not self.meetings:
            return self.units[-1][uid].kind
        k = self._meeting_of(uid)
        return _place(self.meetings[k], uid - self.firsts[k])[0]

    def group(self, uid: int) -> int:
        """The record's meeting's place in the library (-1: a person)."""
        return self.order[self._meeting_of(uid)] if self.meetings else -1

    def ranges(self, blocks: int) -> list[tuple[int, int]]:
        """The byte ranges of the folded part the blocks in the bit mask cover (-1: all)."""
        if blocks == -1 or len(self.bounds) < 2:
            return [(0, len(self.folded))]
        out: list[tuple[int, int]] = []
        starts, bounds = self.f_starts, self.bounds
        for b in range(len(bounds) - 1):
            if blocks >> b & 1:
                lo, hi = starts[bounds[b]], starts[bounds[b + 1]]
                if out and out[-1][1] == lo:
                    out[-1] = (out[-1][0], hi)
                else:
                    out.append((lo, hi))
        return out

    def scan(self, term: str, blocks: int = -1) -> Iterator[tuple[int, str]]:
        """(record id, folded record) of every record (ascending) with ``term`` at a word
        start, in the blocks of the bit mask ``blocks`` (-1: all)."""
        data = self.folded
        starts = self.f_starts
        needle = term.encode("utf-8", "surrogatepass")
        word_start = bool(_WORD.match(term))
        find = data.find
        for lo, hi in self.ranges(blocks):
            pos = find(needle, lo, hi)
            while pos != -1:
                if word_start and pos and _word_before(data, pos):
                    pos = find(needle, pos + 1, hi)
                    continue
                uid = bisect_right(starts, pos) - 1
                end = starts[uid + 1]
                yield uid, bytes(data[starts[uid] : end - 1]).decode("utf-8", "surrogatepass")
                pos = find(needle, end, hi)


def _word_before(data: Any, pos: int) -> bool:
    """Whether a word character ends just before ``pos`` in UTF-8 ``data``."""
    byte = data[pos - 1]
    if byte < 0x80:
        return chr(byte).isalnum() or byte == 0x5F
    start = pos - 1
    while start > 0 and 0x80 <= data[start] < 0xC0:  # back to the character's first byte
        start -= 1
    char = bytes(data[start:pos]).decode("utf-8", "replace")
    return char.isalnum() or char == "_"
