"""How the cache packs its parts on disk: zlib at a fast level, whole or in blocks.

- :func:`pack` / :func:`unpack`: a part read whole (a shard's documents, its rows, heads,
  records, people) is one zlib stream. JSON compresses three to ten times, and
  inflating it costs a fraction of parsing it.
- :func:`pack_blocks` / :class:`BlockText`: the text as shown of a month's search segment is
  read a record at a time (only for the hits a query shows), so it is packed in blocks of
  :data:`BLOCK` bytes, each its own zlib stream, behind a table of where each starts. A
  record is read by inflating the one or two blocks it lies in, from a memory map of the
  file; the folded text a query scans stays as it is, so the scan reads it in place.

A part that is not what was written (cut short, edited, another format) raises
``ValueError``: its reader treats it as a damaged part, as it does bad JSON.

The streams are written with ISA-L's deflate when the ``isal`` package is installed (a
dependency where it has wheels): the same zlib format, which :mod:`zlib` reads, written three
times faster than zlib's fastest level and a little smaller. A cold index packs more than the
size of the folder, so this is a tenth of its time. Every part is packed so, the small ones and
the blocks of shown text too (zlib's level 6 packed those a fifth tighter for four times the
work), and the word lists a query reads (``.words``, half their size packed).
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable
from typing import Any

LEVEL = 4  # (zlib, without ISA-L) 11% tighter than zlib's fastest (1) at two thirds of its speed; 6 packs 17% tighter
# than 1 and writes four times slower (a shard's documents, 0.7 MB: 6 ms at 1, 9 at 4, 24 at 6)
BLOCK = 16 * 1024  # bytes of shown text in a block: a shown record inflates one (0.07 ms)
KEEP = 8  # blocks kept inflated, per text
_MAGIC = b"TBK1"  # a block-packed text starts with this, its block size and its table


# ISA-L's level 2 (it has 0-3): its tightest, 3, packed a 10,000-meeting cache's parts 1.5 MB
# (0.7%) tighter for three times the work (1.85 s of CPU against 0.56 s over a cold index)
ISAL_LEVEL = 2
# ISA-L's fastest but one: as tight as its tightest on text of many alike lines in order (a
# catalog's seen part, sorted: 230 KB at 10,000 meetings either way) for a third of its work
ISAL_QUICK = 1

_isal_compress: Callable[[bytes, int], bytes] | None
_inflater: Callable[[], Any] = zlib.decompressobj
_damaged: tuple[type[Exception], ...] = (zlib.error,)
try:
    from isal.isal_zlib import IsalError
    from isal.isal_zlib import compress as _isal_compress
    from isal.isal_zlib import decompressobj as _inflater

    _damaged = (zlib.error, IsalError)  # type: ignore[assignment]  # (its stub: an instance)
except ImportError:  # no wheel of isal for this machine: zlib itself
    _isal_compress = None


TIGHT = 6  # zlib's level, without ISA-L, for small parts and the blocks of shown text (see pack)


def pack(data: bytes, tight: bool = False, quick: bool = False) -> bytes:
    """``data`` as one zlib stream. ``tight``: for the parts small beside the documents (a
    shard's rows, heads, records, people, figures) and the blocks of its text as shown, mostly
    NUL: ISA-L at :data:`ISAL_LEVEL` as the rest, or without ISA-L zlib at :data:`TIGHT`.
    (zlib at 6 packs them a fifth tighter than ISA-L: at 10,000 meetings 3.3 MB less, for
    1.1 s more of CPU over a one-process cold index of 17.7 s; the word lists, packed since,
    paid for those bytes three times over.) ``quick``: ISA-L at :data:`ISAL_QUICK`, for sorted
    lines (zlib as without it when there is no ISA-L)."""
    if _isal_compress is not None:
        return _isal_compress(data, ISAL_QUICK if quick else ISAL_LEVEL)
    return zlib.compress(data, TIGHT if tight else LEVEL)


def unpack(raw: bytes) -> bytes:
    """What :func:`pack` packed (``ValueError`` when ``raw`` is not such a stream). Inflated
    by ISA-L when it is there: the same stream, read nearly three times faster (the seen part
    of a refresh at 10,000 meetings, 1.6 MB: 1.1 ms, 3 ms with zlib)."""
    try:
        out = _inflater()
        data = out.decompress(raw)
    except _damaged as exc:
        raise ValueError(f"a packed part is damaged: {exc}") from None
    if not out.eof or out.unused_data:
        raise ValueError("a packed part is cut short or followed by something else")
    return data


def pack_blocks(data: bytes, known: dict[bytes, bytes] | None = None) -> bytes:
    """``data`` in blocks of :data:`BLOCK` bytes, each packed: the magic, the length of
    ``data``, the number of blocks, where each packed block ends (from the end of the table),
    then the blocks. ``known``: blocks already packed (a block's bytes -> its packed bytes,
    :func:`packed_blocks`), taken as they are."""
    known = known or {}
    blocks = [
        # (a cold index knows none: no lookup, which would hash every block first)
        (known.get(chunk) if known else None) or pack(chunk, tight=True)
        for chunk in (data[i : i + BLOCK] for i in range(0, len(data), BLOCK))
    ]
    ends = array("Q", [len(data), len(blocks)])
    end = 0
    for b in blocks:
        end += len(b)
        ends.append(end)
    return b"".join([_MAGIC, ends.tobytes(), *blocks])


def packed_blocks(raw: bytes) -> dict[bytes, bytes]:
    """Each block of a text :func:`pack_blocks` packed, by its bytes: its packed bytes
    (``ValueError`` when ``raw`` is not such a text)."""
    text = BlockText(raw)
    ends = text.ends if text.ends is not None else text._table()
    found: dict[bytes, bytes] = {}
    for n in range(len(ends)):
        lo = text.start + (ends[n - 1] if n else 0)
        found[text._block(n)] = raw[lo : text.start + ends[n]]
    return found


class BlockText:
    """The text :func:`pack_blocks` packed, read as ``bytes`` are (``len``, slices) from
    ``raw`` (bytes, or a memory map of the file): a slice inflates the blocks it covers. The
    last :data:`KEEP` blocks read are kept: a record's names and fields are read one after
    the other, and a query's hits in a meeting go back and forth between a few blocks.

    Given ``size`` (the length its reader expects), the table is read at the first slice, so
    a month opened and not shown touches no page of it; a table that does not say ``size``
    raises ``ValueError`` then."""

    __slots__ = ("raw", "size", "ends", "start", "kept")

    def __init__(self, raw: Any, size: int | None = None) -> None:
        self.raw = raw
        self.ends: array | None = None
        self.start = 0
        self.kept: dict[int, bytes] = {}
        if size is None:
            self._table()
        else:
            self.size = size

    def _table(self) -> array:
        raw = self.raw
        if bytes(raw[:4]) != _MAGIC or len(raw) < 20:
            raise ValueError("a packed text has not the layout it is written in")
        head = array("Q")
        head.frombytes(bytes(raw[4:20]))
        size, count = head
        if getattr(self, "size", size) != size:
            raise ValueError("a packed text is not of the length its offsets say")
        if count != -(-size // BLOCK) or len(raw) < 20 + 8 * count:
            raise ValueError("a packed text's table does not fit its length")
        ends = array("Q")
        ends.frombytes(bytes(raw[20 : 20 + 8 * count]))
        self.start = 20 + 8 * count
        if (ends[-1] if count else 0) != len(raw) - self.start:
            raise ValueError("a packed text's blocks do not fit its file")
        self.size = size
        self.ends = ends
        return ends

    def __len__(self) -> int:
        return self.size

    def _block(self, n: int) -> bytes:
        data = self.kept.get(n)
        if data is None:
            ends = self.ends if self.ends is not None else self._table()
            lo = self.start + (ends[n - 1] if n else 0)
            data = unpack(bytes(self.raw[lo : self.start + ends[n]]))
            if len(data) != min(BLOCK, self.size - n * BLOCK):
                raise ValueError("a packed text's block is not of its length")
            if len(self.kept) >= KEEP:
                self.kept.pop(next(iter(self.kept)))  # the oldest
            self.kept[n] = data
        return data

    def __getitem__(self, where: slice) -> bytes:
        lo, hi, _ = where.indices(self.size)
        if hi <= lo:
            return b""
        parts = []
        for n in range(lo // BLOCK, (hi - 1) // BLOCK + 1):
            base = n * BLOCK
            parts.append(self._block(n)[max(lo - base, 0) : hi - base])
        return b"".join(parts)
