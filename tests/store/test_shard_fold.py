"""A shard's search text is folded once and its words worked out of the folded text
(store/shards.py): the parts and the words are those the search text of one pass gives."""

from __future__ import annotations

from pathlib import Path

from tuibrowser.records import read_file
from tuibrowser.store import layout

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"


def test_the_words_worked_out_apart_are_those_of_the_search_text():
    """A shard's text folded, then its words worked out of the folded text: the parts and the
    words are those the search text of one pass gives, for every bundled shard."""
    from tuibrowser.library import merge_all
    from tuibrowser.search.segments import month_fold, month_search_parts, segment_words

    by_key: dict[str, list] = {}
    for path in sorted(MEETINGS.rglob("*.md")):
        doc = read_file(path, path.name).document
        if doc is not None:
            by_key.setdefault(layout.name_shard(path.name) or "", []).append(doc)
    assert len(by_key) > 3
    for docs in [*by_key.values(), []]:
        meetings = merge_all(docs)
        folded, shown, offsets, words, texts = month_search_parts(meetings)
        assert month_fold(meetings) == (folded, shown, offsets, texts)
        assert segment_words(folded, offsets) == words
