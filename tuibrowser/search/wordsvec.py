"""A segment's word list made with numpy: what :func:`.segments.segment_words` makes, the same
string, at about a third of its CPU.

The word list is the largest piece of a shard's writing left in Python's hands: a month's folded
text (half a megabyte, 75,000 tokens at 10,000 meetings) split into tokens, a set made of each
block's, and the sets grouped by the blocks they are in. Here the tokens are found and keyed as
arrays, with no Python object for each:

- the text's separators are blanked at C speed (``bytes.translate``, the same table), and a
  token is a run of what is left; its first :data:`.segments.WORD_CHARS` bytes, read as one
  big-endian integer, and its block make one 64-bit key (prefix above, block below);
- the keys are sorted and made unique, so each prefix's blocks are next to each other and
  or-ed into its mask in one call;
- only the lines of the list (a few thousand a month) are Python strings.

A token with bytes beyond ASCII may hold separators of its own (dashes, non-breaking spaces):
those few are cut into words by the pattern, as the plain version does.

Imported where many shards are written: the cold index's worker processes (their forkserver
imports it, see :data:`tuibrowser.store.workers.PRELOAD`). A process that has not imported it
makes its word lists without numpy (:func:`.segments.segment_words`): a refresh that writes a
shard or two would spend more on numpy's import (a tenth of a second) than it saves. Without
numpy installed the import fails and every word list is made the plain way.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .folding import _WORD
from .segments import _SEPARATE, WORD_CHARS, _read_offsets

_U64 = np.uint64
_ONE = _U64(1)
_BYTE = _U64(8)
_LOW = _U64(0xFF)
# A token's first WORD_CHARS bytes of the eight read at its start, by its length (shorter
# tokens keep fewer): the key's prefix, the rest zero so a shorter word sorts first.
_KEEP = np.array(
    [((1 << (8 * n)) - 1) << (8 * (8 - n)) for n in range(WORD_CHARS + 1)], dtype=np.uint64
)
assert WORD_CHARS <= 7  # noqa: S101 - a prefix and a block's number in one 64-bit key
_MOST_BLOCKS = 64  # a mask of blocks is one 64-bit integer (a month has at most MAX_BLOCKS)


def segment_words(folded: bytes, offsets: bytes) -> str | None:
    """:func:`.segments.segment_words` of the folded text and offsets of a segment (None when
    it has more blocks than a mask holds: the plain version makes its list)."""
    f_starts, _, bounds = _read_offsets(offsets)
    if len(bounds) - 1 > _MOST_BLOCKS:
        return None
    edges = [*f_starts, len(folded)]
    cuts = np.array([edges[b] for b in bounds], dtype=np.int64)  # each block's start, the end
    text = np.frombuffer(folded.translate(_SEPARATE), dtype=np.uint8)
    starts, ends = _runs(text)
    wide: tuple[Any, Any] | None = None
    if not folded.isascii():  # tokens with other bytes: cut by the pattern, below
        high = np.zeros(len(text) + 1, dtype=np.int64)
        np.cumsum(text >= 0x80, out=high[1:])
        other = (high[ends] - high[starts]) > 0
        if other.any():
            wide = (starts[other], ends[other])
            starts, ends = starts[~other], ends[~other]
    prefixes, masks = _masks(text, starts, ends, cuts)
    lines = _group(prefixes, masks)
    if wide is not None:
        lines = _with_wide(lines, folded, wide, cuts)
    listed = [f"\x01{m:x} " + b" ".join(lines[m]).decode("latin-1") for m in sorted(lines)]
    return "".join(listed).encode("latin-1").decode("utf-8", "surrogatepass")


def _runs(text: Any) -> tuple[Any, Any]:
    """Where each token (a run of bytes that are not blank) starts and ends."""
    word = np.zeros(len(text) + 2, dtype=bool)
    np.not_equal(text, 0x20, out=word[1:-1])
    edges = np.flatnonzero(word[1:] != word[:-1])
    return edges[0::2], edges[1::2]


def _masks(text: Any, starts: Any, ends: Any, cuts: Any) -> tuple[Any, Any]:
    """Each distinct prefix of the tokens (an integer, its bytes big-endian, ascending) and
    the mask of the blocks it is in."""
    padded = np.zeros(len(text) + 8, dtype=np.uint8)
    padded[: len(text)] = text
    eight = np.lib.stride_tricks.as_strided(padded, shape=(len(text) + 1, 8), strides=(1, 1))
    keys = eight[starts].view(">u8").ravel().astype(np.uint64)
    keys &= _KEEP[np.minimum(ends - starts, WORD_CHARS)]
    keys >>= _BYTE  # the prefix's WORD_CHARS bytes above, the block in the lowest byte
    # (the tokens are in order: each block's are a run of them)
    inner = np.searchsorted(starts, cuts[1:-1])
    counts = np.diff(np.concatenate(([0], inner, [len(starts)])))
    keys |= np.repeat(np.arange(len(counts), dtype=np.uint64), counts)
    keys.sort()
    if len(keys) == 0:
        return keys, keys
    distinct = np.empty(len(keys), dtype=bool)
    distinct[0] = True
    np.not_equal(keys[1:], keys[:-1], out=distinct[1:])
    keys = keys[distinct]
    prefixes = keys >> _BYTE
    first = np.empty(len(prefixes), dtype=bool)
    first[0] = True
    np.not_equal(prefixes[1:], prefixes[:-1], out=first[1:])
    at = np.flatnonzero(first)
    return prefixes[at], np.bitwise_or.reduceat(_ONE << (keys & _LOW), at)


def _group(prefixes: Any, masks: Any) -> dict[int, list[bytes]]:
    """Mask → its prefixes as bytes, sorted (``prefixes`` ascending)."""
    if len(prefixes) == 0:
        return {}
    order = np.argsort(masks, kind="stable")  # (each mask's prefixes stay in their order)
    masks, prefixes = masks[order], prefixes[order]
    # eight bytes each, the prefix first: NumPy's bytes drop the zeros after it
    words = (prefixes << _U64(8 * (8 - WORD_CHARS))).astype(">u8").view("S8").tolist()
    at = [0, *(np.flatnonzero(masks[1:] != masks[:-1]) + 1).tolist(), len(words)]
    mask_of = masks.tolist()
    return {mask_of[a]: words[a:b] for a, b in zip(at, at[1:], strict=False)}


def _with_wide(
    lines: dict[int, list[bytes]], folded: bytes, wide: tuple[Any, Any], cuts: Any
) -> dict[int, list[bytes]]:
    """``lines`` with the words of the tokens beyond ASCII (start, end), as the plain version
    cuts them: a prefix found both ways is in the blocks of both."""
    extra: dict[bytes, int] = {}
    blocks = (np.searchsorted(cuts, wide[0], "right") - 1).tolist()
    for start, end, block in zip(wide[0].tolist(), wide[1].tolist(), blocks, strict=True):
        for word in _WORD.findall(folded[start:end].decode("utf-8", "surrogatepass")):
            prefix = word[:WORD_CHARS].encode("utf-8", "surrogatepass")
            extra[prefix] = extra.get(prefix, 0) | (1 << block)
    mask_of = {word: mask for mask, words in lines.items() for word in words}
    for word, mask in extra.items():
        mask_of[word] = mask_of.get(word, 0) | mask
    merged: dict[int, list[bytes]] = {}
    for word, mask in mask_of.items():
        merged.setdefault(mask, []).append(word)
    for words in merged.values():
        words.sort()
    return merged
