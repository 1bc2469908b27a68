"""The word list made with numpy (:mod:`tuibrowser.search.wordsvec`, the cold index's workers)
is the one made without it (:func:`tuibrowser.search.segments.segment_words`), byte for byte:
for any text, ASCII or not, any cut into records and blocks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tuibrowser.search import segments, wordsvec
from tuibrowser.search.segments import _offsets, record_starts
from tuibrowser.store.workers import PRELOAD

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"

# letters, digits, separators ASCII and not (dashes, a non-breaking space, a slash), words of
# other scripts, a surrogate as the folded text may hold one (written with surrogatepass)
CHARS = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyz0123456789_ \n-/'.,:£€") + ["é", "ß", "ǅ", "—", "–", "\u00a0",
    "\u2019", "ж", "字", "\ud800", "1st", "sector", "sectorled", "performance"]
)  # fmt: skip
RECORD = st.lists(CHARS, max_size=40).map("".join)


def plain(folded: bytes, offsets: bytes) -> str:
    f_starts, _, bounds = segments._read_offsets(offsets)
    return segments.word_list_of_blocks(segments._blocks_of(folded, list(f_starts), list(bounds)))


def segment(records: list[str], cuts: list[int]) -> tuple[bytes, bytes]:
    """Folded text and offsets as a segment has them: records ended by NUL, blocks starting
    at the records ``cuts`` names."""
    folded = "".join(r + "\0" for r in records).encode("utf-8", "surrogatepass")
    starts = record_starts(folded)
    bounds = [0, *sorted({c for c in cuts if 0 < c < len(records)}), len(records)]
    return folded, _offsets(starts, len(folded), [0] * (len(records) + 1), bounds)


@settings(max_examples=300, deadline=None)
@given(st.lists(RECORD, min_size=1, max_size=30), st.lists(st.integers(0, 30), max_size=7))
def test_the_numpy_word_list_is_the_plain_one(records, cuts):
    folded, offsets = segment(records, cuts)
    assert wordsvec.segment_words(folded, offsets) == plain(folded, offsets)


def test_a_segment_with_no_words_has_an_empty_list():
    folded, offsets = segment(["", " - ", "..."], [1, 2])
    assert wordsvec.segment_words(folded, offsets) == "" == plain(folded, offsets)


def test_more_blocks_than_a_mask_holds_are_left_to_the_plain_version():
    records = [f"word{n}" for n in range(70)]
    folded, offsets = segment(records, list(range(1, 70)))
    assert wordsvec.segment_words(folded, offsets) is None
    # segment_words, with numpy imported (this module did), makes the plain list then
    assert "tuibrowser.search.wordsvec" in sys.modules
    assert segments.segment_words(folded, offsets) == plain(folded, offsets)


def test_the_bundled_meetings_months_have_the_same_list_both_ways():
    from tuibrowser.library import merge_all
    from tuibrowser.records import read_folder
    from tuibrowser.search.segments import month_fold

    parsed, _ = read_folder(MEETINGS)
    meetings = merge_all(p.document for p in parsed if p.document is not None)
    assert len(meetings) >= 5
    for meeting in meetings:
        folded, _shown, offsets, _texts = month_fold([meeting])
        made = wordsvec.segment_words(folded, offsets)
        assert made == plain(folded, offsets)
        assert " remote" in made or meeting.date < "2020"  # (a word the 2020 minutes hold)


def test_the_cold_index_workers_import_it_and_a_plain_process_does_not():
    assert "tuibrowser.search.wordsvec" in PRELOAD
    code = "import sys, tuibrowser.search.segments; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
