"""A word list made again from the blocks of the old one (search/keptwords.py) is the word
list made from scratch: a block's words read back from the old list are the block's own, and
a block that changed is split into words again."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuibrowser.search import keptwords, segments
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


# ASCII text with words of the lengths around WORD_CHARS, sharing their starts
ASCII_PIECES = [" ", "-", "\n", "a", "b", "_", "7", "coun", "council", "councillor", "budget"]
ASCII_TEXT = st.lists(st.sampled_from(ASCII_PIECES), max_size=24).map("".join)


@settings(max_examples=300, deadline=None)
@given(before=ASCII_TEXT, cut=ASCII_TEXT, put=ASCII_TEXT, at=st.integers(0, 200))
def test_the_words_an_edit_moves_are_those_the_blocks_split_give(before, cut, put, at):
    at = min(at, len(before))
    old = (before[:at] + cut + before[at:]).encode()
    new = (before[:at] + put + before[at:]).encode()
    moved = keptwords._moved(old, new)
    assert moved is not None  # (ASCII, a few bytes changed)
    was, now = block_prefixes(old), block_prefixes(new)
    assert moved == (was - now, now - was)


def test_an_edit_of_wide_text_or_of_many_bytes_splits_the_block():
    assert keptwords._moved("café budget".encode(), b"cafe budget") is None
    many = b"council " * (keptwords.EDIT_BYTES // 4)
    assert keptwords._moved(b"a " + many, b"b " + many[::-1]) is None
    assert keptwords._moved(b"a budget", b"a budget") == (set(), set())


@settings(max_examples=150, deadline=None)
@given(before=st.lists(st.lists(ASCII_TEXT, min_size=1, max_size=3), min_size=2, max_size=12),
       put=ASCII_TEXT, which=st.integers(0, 11), block_bytes=st.sampled_from([48, 160 * 1024]))  # fmt: skip
def test_a_word_list_after_one_record_is_edited_is_the_one_made_anew(
    before, put, which, block_bytes
):
    with mock.patch.object(segments, "BLOCK_BYTES", block_bytes):
        folded, offsets = fold(before)
        old = OldSegment(folded, offsets, segment_words(folded, offsets).encode())
        edited = [list(r) for r in before]
        record = edited[which % len(edited)]
        record[-1] += put  # (the edit of one file: its record's text grows or changes)
        folded2, offsets2 = fold(edited)
        with mock.patch.object(keptwords, "_one_changed", wraps=keptwords._one_changed) as split:
            assert segment_words_kept(folded2, offsets2, old) == segment_words(folded2, offsets2)
        if len(old.blocks) == 1 and folded2 != folded:  # (one block, changed: found by search)
            assert not split.called


def test_a_word_list_that_does_not_fit_its_segment_is_refused():
    with mock.patch.object(segments, "BLOCK_BYTES", 16):
        folded, offsets = fold([["council budget"], ["budget report"], ["a b c d e f g"]])
        words = segment_words(folded, offsets).encode()
        assert len(known_blocks(folded, offsets, words)) > 1
        for bad in (b"council" + words, b"\x01ff00 council"):
            with pytest.raises(ValueError):
                known_blocks(folded, offsets, bad)
