"""The records a shard's search text is folded from are the records search finds."""

from __future__ import annotations

import functools
from operator import or_
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuibrowser.library import merge_all
from tuibrowser.model import Item, Kpi, Meeting, Report
from tuibrowser.records import read_folder
from tuibrowser.search import segments
from tuibrowser.search.folding import _display, fold
from tuibrowser.search.skeleton import _meeting_records
from tuibrowser.search.units import _kpi_title, _label, _month_units, _unit_records, month_records

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [ROOT / "meetings", Path(__file__).resolve().parents[1] / "data" / "sample"]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_month_records_are_the_records_of_the_units(folder: Path) -> None:
    parsed, _ = read_folder(folder)
    meetings = merge_all(p.document for p in parsed if p.document is not None)
    assert meetings
    assert month_records(meetings) == _unit_records(_month_units(meetings))


def _meeting(item: Item) -> Meeting:
    kpi = Kpi(code="K1", target="", delivered=None, theme="t", note="n", code_printed="k")
    return Meeting(id="2020-01-01-b", date="2020-01-01", board="B", items=[item], kpis=[kpi])


EMPTY_FIELDS = [
    Item(number="1", title="", minute="m"),
    Item(number="1", title="T", minute="", decisions=["", "d"], actions=["a"]),
    Item(number="1", title="", minute="", report=Report(summary="s", text="")),
    Item(number="1", title="", minute="", decisions=[""], actions=[""]),
]


@pytest.mark.parametrize("item", EMPTY_FIELDS)
def test_empty_fields_are_left_out_as_the_units_leave_them(item: Item) -> None:
    meetings = [_meeting(item)]
    assert month_records(meetings) == _unit_records(_month_units(meetings))


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.lists(st.text(alphabet="ab c-é\u2013_1\x01\x00\u00a0*#", max_size=10), min_size=1),
        min_size=1,
        max_size=12,
    )
)
def test_a_segments_words_are_the_words_of_its_records_block_by_block(
    monkeypatch: pytest.MonkeyPatch, texts: list[list[str]]
) -> None:
    monkeypatch.setattr(segments, "BLOCK_BYTES", 6)  # many blocks of few records
    records = [([f"f{i}" for i in range(len(fields))], fields) for fields in texts]
    folded_b, _, _, words = segments._fold_segment(records, True)
    folded = fold(_display([fields for _, fields in records]) or "")
    bounds = segments._block_bounds(segments.record_starts(folded_b), len(folded_b))
    assert words == segments._block_words(folded.split("\0"), bounds)


# Words in and out of the ASCII range, of fewer and more than WORD_CHARS characters, a
# separator within a token (the dash U+2013, a no-break space), a surrogate, UTF-8 sorted
# beside ASCII: what the cache's word list (one pass over each block) is made of.
BLOCK_WORDS = st.text(alphabet="abAé\u2013_1 -\u00a0\ud800z\u4e00", max_size=30)


@given(st.lists(st.lists(BLOCK_WORDS, max_size=6), max_size=10))
def test_the_cache_word_list_of_blocks_is_the_word_list_of_their_words(
    blocks: list[list[str]],
) -> None:
    raw = [fold(" ".join(words)).encode("utf-8", "surrogatepass") for words in blocks]
    assert segments.word_list_of_blocks(iter(raw)) == segments._word_list(
        segments._words_of_blocks(raw)
    )


def test_the_cache_writes_the_word_list_of_its_words() -> None:
    parsed, _ = read_folder(FOLDERS[0])
    meetings = merge_all(p.document for p in parsed if p.document is not None)
    records = month_records(meetings)
    *_, words = segments._fold_segment(records, True)
    assert segments.month_search_text(meetings)[3] == segments._word_list(words) != ""


def _kept(words: dict[str, int]) -> dict[str, int]:
    """Each word's first WORD_CHARS characters with the blocks of every word they start."""
    kept: dict[str, int] = {}
    for word, bits in words.items():
        start = word[: segments.WORD_CHARS]
        kept[start] = kept.get(start, 0) | bits
    return kept


@given(st.dictionaries(st.text(alphabet="abcé1_", min_size=1), st.sampled_from([1, 2, 3, 255])))
def test_a_word_list_is_each_word_after_a_blank_after_its_blocks(words: dict[str, int]) -> None:
    listed = segments._word_list(words)
    found: dict[str, int] = {}
    for group in listed.split("\x01")[1:]:
        bits, *names = group.split(" ")
        assert names == sorted(names) and names
        found.update(dict.fromkeys(names, int(bits, 16)))
    assert found == _kept(words) and listed.startswith("\x01" if words else "")


@given(
    st.dictionaries(
        st.text(alphabet="abé1_", min_size=1, max_size=9), st.integers(1, 255), max_size=120
    ),
    st.text(alphabet="abé1_", min_size=3, max_size=8),
)
def test_a_word_list_gives_the_blocks_of_every_word_a_prefix_starts(
    words: dict[str, int], prefix: str
) -> None:
    """Whichever groups the words of a prefix fall in (one, several, none), their blocks are
    found (of a longer prefix: those of every word that starts as it does, its first
    WORD_CHARS characters); a prefix of more words than it follows reads the month whole."""
    from tuibrowser.library import Words
    from tuibrowser.search.query import _MANY_WORDS, WordPlaces

    listed = segments._word_list(words).encode("utf-8")
    places = WordPlaces(["m"], Words(["m"], [listed])).word_places(prefix)
    kept = _kept(words)
    entries = [bits for w, bits in kept.items() if w.startswith(prefix[: segments.WORD_CHARS])]
    expected = {}
    if entries:
        expected = {1: -1 if len(entries) > _MANY_WORDS else functools.reduce(or_, entries)}
    assert places == expected
    # never fewer blocks than those of the words the prefix starts
    starting = functools.reduce(or_, [b for w, b in words.items() if w.startswith(prefix)], 0)
    assert not starting or places[1] == -1 or places[1] & starting == starting


@pytest.mark.parametrize("many", [63, 64, 65, 200])
def test_a_prefix_of_many_words_reads_the_month_whole(many: int) -> None:
    from tuibrowser.library import Words
    from tuibrowser.search.query import _MANY_WORDS, WordPlaces

    words = {f"pre{n}": 1 << (n % 8) for n in range(many)} | {"other": 128}
    listed = segments._word_list(words).encode("utf-8")
    places = WordPlaces(["m"], Words(["m"], [listed])).word_places("pre")
    assert places == {1: -1 if many > _MANY_WORDS else 255 if many >= 8 else (1 << many) - 1}


def _records_one_by_one(m: Meeting) -> list[list]:
    """What a hit names of each record of ``m``, a list made for each (as it was made)."""
    out: list[list] = []
    for it in m.items:
        label = _label(it)
        conf = bool(it.confidential)
        out.append(["item", it.number, None, label, conf])
        out += [["decision", it.number, None, label, conf] for _ in it.decisions]
        out += [["action", it.number, None, label, conf] for _ in it.actions]
    for k in m.kpis:
        item = m.item(k.item) if k.item else None
        out.append(["kpi", k.item, k.code, _kpi_title(k), bool(item and item.confidential)])
    return out


_ITEMS = st.lists(
    st.builds(
        Item,
        number=st.sampled_from(["1", "2", "2a"]),
        title=st.sampled_from(["", "T"]),
        minute=st.just("m"),
        decisions=st.lists(st.sampled_from(["", "d"]), max_size=3),
        actions=st.lists(st.sampled_from(["", "a"]), max_size=3),
        confidential=st.booleans(),
    ),
    max_size=4,
)


@given(_ITEMS)
def test_a_meetings_records_as_a_hit_names_them_are_those_made_one_by_one(items) -> None:
    m = _meeting(Item(number="9", title="K", minute="")) if not items else None
    m = m or Meeting(id="2020-01-01-b", date="2020-01-01", board="B", items=items)
    found = _meeting_records(m, [["before"]])
    assert found == [["before"], *_records_one_by_one(m)]
    assert orjson.dumps(_meeting_records(m)) == orjson.dumps(_records_one_by_one(m))
