"""A word list made again from the blocks of the old one (search/keptwords.py) is the word
list made from scratch: a block's words read back from the old list are the block's own, and
a block that changed is split into words again."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuibrowser.search import segments
from tuibrowser.search.keptwords import OldSegment, known_blocks, segment_words_kept
from tuibrowser.search.segments import _fold_blocks, block_prefixes, segment_words

# words, wide letters (one that lower-cases longer, ligatures), dashes and markdown's marks
PIECES = list("abcdeé ßİﬁ—-/'#*_\n") + ["council ", "budget ", "Πόλη "]
TEXT = st.lists(st.sampled_from(PIECES), max_size=20).map("".join)
RECORDS = st.lists(st.lists(TEXT, min_size=1, max_size=3), min_size=1, max_size=12)


def fold(records: list[list[str]]) -> tuple[bytes, bytes]:
    folded, _, offsets, _, _ = _fold_blocks([(["f"] * len(r), r) for r in records])
    return folded, offsets


@settings(max_examples=150, deadline=None)
@given(before=RECORDS, after=RECORDS, block_bytes=st.sampled_from([16, 48, 160 * 1024]))
def test_a_word_list_made_again_from_the_old_one_is_the_one_made_anew(before, after, block_bytes):
    # small blocks: a segment of a few records has several (at most segments.MAX_BLOCKS)
    with mock.patch.object(segments, "BLOCK_BYTES", block_bytes):
        folded, offsets = fold(before)
        words = segment_words(folded, offsets).encode("utf-8", "surrogatepass")
        known = known_blocks(folded, offsets, words)
        assert all(block_prefixes(block) == found for block, found in known.items())
        old = OldSegment(folded, offsets, words)
        # edits: records added in the middle (blocks found, or all shifted), one record
        # changed (one block changed), nothing changed
        middle = len(before) // 2
        for edited in (
            before[:middle] + after + before[middle:],
            before[:middle] + after[:1] + before[middle + 1 :],
            before,
        ):
            folded2, offsets2 = fold(edited)
            want = segment_words(folded2, offsets2)
            assert segment_words_kept(folded2, offsets2, old) == want
            assert segment_words_kept(folded2, offsets2, None) == want


def test_a_word_list_that_does_not_fit_its_segment_is_refused():
    with mock.patch.object(segments, "BLOCK_BYTES", 16):
        folded, offsets = fold([["council budget"], ["budget report"], ["a b c d e f g"]])
        words = segment_words(folded, offsets).encode()
        assert len(known_blocks(folded, offsets, words)) > 1
        for bad in (b"council" + words, b"\x01ff00 council"):
            with pytest.raises(ValueError):
                known_blocks(folded, offsets, bad)
