"""A shard's word list made again after an edit, from the blocks that did not change.

A word list (:func:`.segments.word_list_of_blocks`) groups the words' first characters by the
blocks of the folded text that hold them; each block's prefixes are a function of its bytes
alone. A refresh that writes a half month again after one file changed finds most of its
blocks as they were (the same records, at other offsets): their prefixes are read back from
the old word list (each prefix is in the one group of the blocks that hold it, so a block's are
the groups whose mask has its bit), and only a block whose bytes are new is split into words.
Splitting every block of a half month again was a fifth of writing it.
"""

from __future__ import annotations

from collections.abc import Iterator

from .segments import _blocks_of, _read_offsets, block_prefixes, word_list_of_prefixes

Known = dict[bytes, set[bytes]]  # a block's folded text -> its prefixes


def known_blocks(folded: bytes, offsets: bytes, words: bytes) -> Known:
    """The prefixes of each block of a segment as written (its folded text, offsets and word
    list, as the shard's ``.txt``, ``.idx`` and ``.words`` hold them), by the block's bytes;
    ``ValueError`` when the three do not fit together."""
    f_starts, _, bounds = _read_offsets(offsets)
    blocks = list(_blocks_of(folded, list(f_starts), list(bounds)))
    prefixes: list[set[bytes]] = [set() for _ in blocks]
    if words:
        if not words.startswith(b"\x01"):
            raise ValueError("a word list does not start with a mask")
        for group in words[1:].split(b"\x01"):
            mask, *found = group.split(b" ")
            bits = int(mask, 16)
            if bits <= 0 or bits >> len(blocks):
                raise ValueError("a word list names a block its segment has not")
            for b in range(len(blocks)):
                if bits >> b & 1:
                    prefixes[b].update(found)
    return {block: prefixes[b] for b, block in enumerate(blocks)}


def segment_words_kept(folded: bytes, offsets: bytes, known: Known) -> str:
    """:func:`.segments.segment_words`, taking the prefixes of each block found in ``known``
    (of the segment as it was) instead of splitting it into words again."""
    f_starts, _, bounds = _read_offsets(offsets)

    def prefixes() -> Iterator[set[bytes]]:
        for block in _blocks_of(folded, list(f_starts), list(bounds)):
            found = known.get(block)
            yield set(found) if found is not None else block_prefixes(block)

    return word_list_of_prefixes(prefixes())
