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


class OldSegment:
    """A segment as the old shard holds it: its blocks (folded text, as
    :func:`.segments._blocks_of` cuts it) and its word list (the ``.words`` part's bytes)."""

    def __init__(self, folded: bytes, offsets: bytes, words: bytes) -> None:
        self.folded = folded
        self.offsets = offsets
        f_starts, _, bounds = _read_offsets(offsets)
        self.blocks = list(_blocks_of(folded, list(f_starts), list(bounds)))
        self.words = words

    def groups(self) -> list[tuple[int, bytes]]:
        """Each group of the word list: the mask of its blocks and its prefixes as listed
        (sorted, joined by spaces); ``ValueError`` when it does not fit the blocks."""
        if not self.words:
            return []
        if not self.words.startswith(b"\x01"):
            raise ValueError("a word list does not start with a mask")
        found = []
        for group in self.words[1:].split(b"\x01"):
            mask, _, listed = group.partition(b" ")
            bits = int(mask, 16)
            if bits <= 0 or bits >> len(self.blocks) or not listed:
                raise ValueError("a word list names a block its segment has not")
            found.append((bits, listed))
        return found

    def known(self) -> Known:
        """The prefixes of each block, by the block's bytes (``ValueError`` as
        :meth:`groups`)."""
        prefixes: list[set[bytes]] = [set() for _ in self.blocks]
        for bits, listed in self.groups():
            found = listed.split(b" ")
            for b in range(len(self.blocks)):
                if bits >> b & 1:
                    prefixes[b].update(found)
        return {block: prefixes[b] for b, block in enumerate(self.blocks)}


def known_blocks(folded: bytes, offsets: bytes, words: bytes) -> Known:
    """The prefixes of each block of a segment as written (its folded text, offsets and word
    list, as the shard's ``.txt``, ``.idx`` and ``.words`` hold them), by the block's bytes;
    ``ValueError`` when the three do not fit together."""
    return OldSegment(folded, offsets, words).known()


def segment_words_kept(folded: bytes, offsets: bytes, old: OldSegment | None) -> str:
    """:func:`.segments.segment_words`, from the segment as it was (``old``): its word list
    as it is when no block changed; its groups with one block's bit set again when one block
    changed (the others' words are where they were); else each block found among the old
    ones takes its prefixes from there instead of being split into words again."""
    f_starts, _, bounds = _read_offsets(offsets)
    blocks = list(_blocks_of(folded, list(f_starts), list(bounds)))
    known: Known = {}
    if old is not None:
        try:
            if len(blocks) == len(old.blocks):
                changed = [b for b, block in enumerate(blocks) if block != old.blocks[b]]
                if len(changed) <= 1:
                    groups = old.groups()
                    if not changed:
                        return old.words.decode("utf-8", "surrogatepass")
                    k = changed[0]
                    return _one_changed(groups, k, block_prefixes(blocks[k]))
            known = old.known()
        except ValueError:
            known = {}

    def prefixes() -> Iterator[set[bytes]]:
        for block in blocks:
            found = known.get(block)
            yield set(found) if found is not None else block_prefixes(block)

    return word_list_of_prefixes(prefixes())


def _one_changed(groups: list[tuple[int, bytes]], k: int, now: set[bytes]) -> str:
    """The word list of the old ``groups`` once block ``k`` holds the prefixes ``now``: each
    prefix's mask with bit ``k`` set as ``now`` says (a prefix left in no block is gone; one in
    no old group is in block ``k`` alone). A group no prefix of which moves is kept as listed."""
    bit = 1 << k
    out: dict[int, set[bytes] | bytes] = {}

    def add(mask: int, found: set[bytes] | bytes) -> None:
        was = out.get(mask)
        if was is None:
            out[mask] = found
            return
        mine = set(was.split(b" ")) if isinstance(was, bytes) else was
        mine |= set(found.split(b" ")) if isinstance(found, bytes) else found
        out[mask] = mine

    new = set(now)
    for mask, listed in groups:
        words = set(listed.split(b" "))
        inside = words & now
        new -= inside
        if len(inside) == (len(words) if mask & bit else 0):
            add(mask, listed)  # as it was: in block k still, or never
            continue
        if inside:
            add(mask | bit, inside)
        outside = words - inside
        if outside and mask & ~bit:
            add(mask & ~bit, outside)
    if new:
        add(bit, new)
    listed_all = [
        b"\x01%x " % mask + (found if isinstance(found, bytes) else b" ".join(sorted(found)))
        for mask, found in sorted(out.items())
    ]
    return b"".join(listed_all).decode("utf-8", "surrogatepass")
