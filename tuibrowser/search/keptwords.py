"""A shard's word list made again after an edit, from the blocks that did not change.

A word list (:func:`.segments.word_list_of_blocks`) groups the words' first characters by the
blocks of the folded text that hold them; each block's prefixes are a function of its bytes
alone. A refresh that writes a half month again after one file changed finds most of its
blocks as they were (the same records, at other offsets): their prefixes are read back from
the old word list (each prefix is in the one group of the blocks that hold it, so a block's are
the groups whose mask has its bit), and only a block whose bytes are new is split into words.
Splitting every block of a half month again was a fifth of writing it.

When one block changed, and little of it (an edit of one record), only the text that changed
is split (:func:`_moved`): the old list says where each word was, and a word of the text cut
out or put in is looked for in the rest of the block. Splitting the changed block (160 KB at
10,000 meetings) and every group of the list was an eighth of a one-file refresh.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

from .segments import (
    _PREFIX,
    _SEPARATE,
    WORD_CHARS,
    _blocks_of,
    _read_offsets,
    block_prefixes,
    word_list_of_prefixes,
)

Known = dict[bytes, set[bytes]]  # a block's folded text -> its prefixes

# At most this many bytes of a block changed (before and after) are split alone, and at most
# this many words looked for in the rest of it (:func:`_moved`); more, and the block is split
EDIT_BYTES = 8192
EDIT_WORDS = 64


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
                    moved = _moved(old.blocks[k], blocks[k])
                    if moved is not None:
                        made = _moves_made(old.words, groups, k, *moved)
                        if made is not None:
                            return made
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


def _moved(before: bytes, after: bytes) -> tuple[set[bytes], set[bytes]] | None:
    """The prefixes block ``before`` lost and those it gained when it became ``after``
    (:func:`.segments.block_prefixes` of each, without splitting either), when both are ASCII
    and they differ in a few bytes (:data:`EDIT_BYTES`); else None.

    The bytes both start and end with are the same, so are their words; the words cut by the
    edges of what changed are taken with it. A prefix of the words cut out is lost unless a
    word of the rest of ``after`` starts with it, and a prefix of those put in gained unless
    one of ``before`` did: looked for at the start of a word (once the separators are
    spaces, as block_prefixes splits them: in ASCII a word is a run of letters, digits and
    ``_``, and a prefix shorter than :data:`.segments.WORD_CHARS` a whole word). Each block
    is 160 KB at 10,000 meetings: no copy of one is made but the one looked in."""
    if not (before.isascii() and after.isascii()):
        return None
    n = min(len(before), len(after))
    start = _same_start(before, after, n)
    end = _same_end(before, after, n - start)
    lo, hi, limit = start, len(after) - end, EDIT_BYTES
    while lo and _SEPARATE[after[lo - 1]] != 0x20:  # (back to the start of a word cut)
        lo -= 1
        limit -= 1
    while hi < len(after) and _SEPARATE[after[hi]] != 0x20 and limit > 0:  # (on to its end)
        hi += 1
        limit -= 1
    hi_was = hi - len(after) + len(before)
    if max(hi - lo, hi_was - lo) > limit:
        return None
    cut = set(map(_PREFIX, before[lo:hi_was].translate(_SEPARATE).split()))
    put = set(map(_PREFIX, after[lo:hi].translate(_SEPARATE).split()))
    lost, gained = cut - put, put - cut
    if len(lost) + len(gained) > EDIT_WORDS:
        return None
    if lost:
        rest = after.translate(_SEPARATE)
        lost = {p for p in lost if not _starts_a_word(rest, p)}
    if gained:
        rest = before.translate(_SEPARATE)
        gained = {p for p in gained if not _starts_a_word(rest, p)}
    return lost, gained


def _same_start(a: bytes, b: bytes, n: int) -> int:
    """How many of the first ``n`` bytes ``a`` and ``b`` share (a binary search of slices
    compared at C speed)."""
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _same_end(a: bytes, b: bytes, n: int) -> int:
    """How many of the last ``n`` bytes ``a`` and ``b`` share."""
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _starts_a_word(text: bytes, prefix: bytes) -> bool:
    """Whether a word of ``text`` (translated: spaces between words) has ``prefix`` as its
    prefix (:data:`.segments.WORD_CHARS` bytes: starts with it; fewer: is it)."""
    if len(prefix) >= WORD_CHARS:
        return text.startswith(prefix) or text.find(b" " + prefix) >= 0
    return (
        text == prefix
        or text.startswith(prefix + b" ")
        or text.endswith(b" " + prefix)
        or text.find(b" " + prefix + b" ") >= 0
    )


def _moves_made(
    words: bytes, groups: list[tuple[int, bytes]], k: int, lost: set[bytes], gained: set[bytes]
) -> str | None:
    """The word list ``words`` (of ``groups``) once block ``k`` lost and gained those prefixes:
    each moved to the group of its blocks less or with ``k``'s bit, the other groups as listed.
    None when the list does not say what the blocks do (a prefix lost not in block ``k``,
    one gained in it already)."""
    if not lost and not gained:
        return words.decode("utf-8", "surrogatepass")
    bit = 1 << k
    starts = []  # where each group's words start in ``words``
    at = 0
    for mask, listed in groups:
        at += 2 + len(b"%x" % mask)
        starts.append(at)
        at += len(listed)
    padded = words + b"\x01"
    taken: dict[int, set[bytes]] = {}  # group -> its words moved out
    into: dict[int, set[bytes]] = {}  # mask -> words moved in
    for prefix, wanted in [(p, True) for p in lost] + [(p, False) for p in gained]:
        place = _listed_at(padded, prefix)
        if place < 0:
            mask = 0
        else:
            g = bisect_right(starts, place) - 1
            mask = groups[g][0]
            taken.setdefault(g, set()).add(prefix)
        if bool(mask & bit) != wanted:
            return None
        mask ^= bit
        if mask:
            into.setdefault(mask, set()).add(prefix)
    out: dict[int, bytes | set[bytes]] = {}
    for g, (mask, listed) in enumerate(groups):
        if g in taken:
            left = set(listed.split(b" ")) - taken[g]
            if left:
                out[mask] = left
        else:
            out[mask] = listed
    for mask, found in into.items():
        have = out.get(mask)
        if have is None:
            out[mask] = found
        else:
            out[mask] = (set(have.split(b" ")) if isinstance(have, bytes) else have) | found
    listed_all = [
        b"\x01%x " % mask + (found if isinstance(found, bytes) else b" ".join(sorted(found)))
        for mask, found in sorted(out.items())
    ]
    return b"".join(listed_all).decode("utf-8", "surrogatepass")


def _listed_at(padded: bytes, prefix: bytes) -> int:
    """Where ``prefix`` is listed in a word list (``padded``: ended by ``\\x01``); -1 when it
    is not."""
    for after in (b" ", b"\x01"):
        at = padded.find(b" " + prefix + after)
        if at >= 0:
            return at + 1
    return -1
