"""The text as shown, kept as what it adds to the folded text, comes back as it was.

A snippet is cut from a record's text as shown; the cache keeps only what that text adds to the
folded text (``search/casepatch.py``). Whatever the text holds (capitals that fold to letters
of another UTF-8 length, letters whose small form is longer, dashes and curly quotes between
spaces, control characters, lone surrogates), the rebuilt text is the one made before: each
record's fields as ``_display`` makes them, names and all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tuibrowser.library import merge_all
from tuibrowser.packed import pack_blocks
from tuibrowser.records import read_folder
from tuibrowser.search import segments
from tuibrowser.search.casepatch import _changed, _folded_away, patches, shown_texts
from tuibrowser.search.folding import _FIELD, _RECORD, _display, fold_keep
from tuibrowser.search.segments import _fold_segment, _read_offsets, _Segment
from tuibrowser.search.units import month_records

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [ROOT / "meetings", Path(__file__).resolve().parents[1] / "data" / "sample"]

# what folding changes, and what it leaves as written but of another length when small
_TRICKY = "AZaz -/'’‘“”ςΣİẞĀÉΩKK–—―‐⁄∕ʼ\u00a0\u2028\t\n\x00\x01\x02\x1b\ud800é日本 **__`#>"
_TEXT = st.text(st.sampled_from(_TRICKY), max_size=30) | st.text(
    st.characters(codec=None, blacklist_categories=()), max_size=20
)


def _as_before(records: list[tuple[list[str], list[str]]]) -> list[tuple[list[str], list[str]]]:
    """Each record's names and fields as shown, as the segment held them before it kept them
    as a patch: the month's display text cut at its separators."""
    display = _display([texts for _, texts in records])
    if display is None:
        return []
    shown = display.split(_RECORD)
    return [(names, text.split(_FIELD)) for (names, _), text in zip(records, shown, strict=True)]


def _check(records: list[tuple[list[str], list[str]]]) -> None:
    parts = _fold_segment(records, words=False)
    segment = _Segment(parts[:3], [], [], [None] * len(records))
    assert len(segment) == len(records)
    for n, (names, fields) in enumerate(_as_before(records)):
        assert segment.names(n) == names
        assert segment.shown_fields(n) == fields
    _check_together(parts[0], parts[1], parts[2], _as_before(records))


def _check_together(folded: bytes, patches: bytes, offsets: bytes, before: list) -> None:
    """The records' texts as shown worked out all at once (as a shard's long texts are read
    back) are each record's own, whichever records are asked for and in whatever order."""
    f_starts, s_starts, _ = _read_offsets(offsets)
    pairs = [
        (folded[f_starts[n] : f_starts[n + 1] - 1], patches[s_starts[n] : s_starts[n + 1]])
        for n in range(len(before))
    ]
    expected = ["\n".join(fields).encode("utf-8", "surrogatepass") for _, fields in before]
    assert shown_texts(pairs) == expected
    assert shown_texts(pairs[::-2]) == expected[::-2]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_TEXT, min_size=1, max_size=4), max_size=6))
@example([["The Council’s sector-led  –  plan"]])
@example([["ΣΟΦΟΣ ΛΟΓΟΣ", "İSTANBUL ẞTRASSE"]])
@example([["Āb", "\ud800X"]])  # a small form whose UTF-32 has a 0 byte where the capital's has none
@example([["- – -", "a -- b ' c"]])
def test_the_text_as_shown_comes_back_from_the_folded_text_and_its_patch(
    fields: list[list[str]],
) -> None:
    records = [([f"f{i}" for i in range(len(texts))], texts) for texts in fields]
    _check(records)


# one alphabet for each width the patch is worked out in: Latin-1, UTF-16 and UTF-32 (a
# character beyond the BMP, or a lone surrogate beside one)
_WIDTHS = st.sampled_from(
    [
        "AZaz -'",
        "AÉéÿ\u00a0-/",
        "".join(map(chr, range(256))),  # every Latin-1 character (the one-pass table's)
        "ΣİẞK’–\ud800a",
        "A\U0001d400\U0001f600a\ud800",
    ]
)


@settings(max_examples=300, deadline=None)
@given(_WIDTHS.flatmap(lambda chars: st.text(st.sampled_from(chars), max_size=40)))
@example("Ab\U0001d400É")
def test_what_folding_changed_is_found_whatever_the_widest_character(shown: str) -> None:
    kept = fold_keep(shown)
    assert len(kept) == len(shown)
    expected = "".join(c if c != k else "\0" for c, k in zip(shown, kept, strict=True))
    assert _changed(shown, kept) == expected
    assert _folded_away(shown, kept) == expected


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_record_of_the_bundled_meetings_comes_back_as_shown(folder: Path) -> None:
    parsed, _ = read_folder(folder)
    meetings = merge_all(p.document for p in parsed if p.document is not None)
    records = month_records(meetings)
    assert records
    _check(records)


def test_the_patch_is_a_small_part_of_the_text_as_shown() -> None:
    parsed, _ = read_folder(ROOT / "meetings")
    meetings = merge_all(p.document for p in parsed if p.document is not None)
    records = month_records(meetings)
    _, patch, _, _ = _fold_segment(records, words=False)
    display = _display([texts for _, texts in records])
    assert display is not None
    # mostly NUL, so it packs to a small part of what the text as shown packed to
    assert len(pack_blocks(patch)) * 3 < len(pack_blocks(display.encode()))


# Mostly ASCII months with and without spaces to squeeze (a dash between spaces), and months
# of wider characters: the records' starts are found once (in the folded text) where that is
# where they start in the text as shown, and the parts are the ones made finding them twice.
_ASCII = st.text(st.sampled_from("Aa b-'\x00\x01"), max_size=12)


@settings(max_examples=400)
@given(st.lists(st.lists(_ASCII | _TEXT, max_size=3), min_size=1, max_size=8))
def test_a_months_parts_with_its_starts_found_once_are_those_found_twice(
    texts: list[list[str]],
) -> None:
    records = [([f"f{i}" for i in range(len(fields))], fields) for fields in texts]
    parts = segments._fold_blocks(records)
    with pytest.MonkeyPatch.context() as patch:

        def each_apart(names, shown, kept, runs=None, starts=None):  # type: ignore[no-untyped-def]
            return patches(names, shown, kept, runs)

        patch.setattr(segments, "patches", each_apart)
        before = segments._fold_blocks(records)
    assert parts[:3] == before[:3] and parts[4] == before[4]
    assert list(parts[3]) == list(before[3])
