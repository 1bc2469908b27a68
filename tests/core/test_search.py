"""Search: AND of words and phrases, grouping by meeting, spans, ranking, flags."""

import re
import subprocess
import sys

import pytest
from browse_support import corpus_library, small_library
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tuibrowser.packed import BlockText
from tuibrowser.search import group_hits, parse_query, run, search
from tuibrowser.search.segments import WORD_CHARS

OFLOG_MEETING = "2023-07-21-improvement-innovation-board"


def marked(hit):
    """The snippet's matched parts, as a list of strings."""
    return [hit.snippet[s:e] for s, e in hit.spans]


def test_search_core_does_not_load_textual():
    code = "import sys, tuibrowser.search, tuibrowser.topics; print('textual' in sys.modules, 'rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_the_browsers_first_frame_and_topics_do_not_load_search():
    # search (and its index) loads when a screen needs it; topics shares only the memo
    code = (
        "import sys, tuibrowser.tui.app, tuibrowser.tui.screens.meetings, tuibrowser.topics; "
        "print(sorted(m for m in sys.modules if m.startswith('tuibrowser.search')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_parse_query_words_and_phrases():
    assert parse_query('Oflog  "Local   Government" launch') == [
        "oflog",
        "local government",
        "launch",
    ]
    assert parse_query("  ") == []
    assert parse_query("& oflog oflog") == ["oflog"]  # no letters: dropped; repeats once
    assert parse_query("“peer challenge”") == ["peer challenge"]  # curly quotes are quotes


def test_finds_the_oflog_decision_on_the_corpus():
    hits = search(corpus_library(), "oflog")
    decision = [h for h in hits if h.kind == "decision"]
    assert decision, "the 2023 Oflog decision is found"
    d = decision[0]
    assert d.meeting_id == OFLOG_MEETING and d.item_number == "4"
    assert "noted the newly launched Office for Local Government" in d.snippet
    assert "Oflog" in d.title and d.title[d.title_spans[0][0] : d.title_spans[0][1]] == "Oflog"
    assert {h.meeting_id for h in hits} == {OFLOG_MEETING}


def test_hits_group_by_meeting_newest_first_people_first():
    lib = small_library()
    hits = search(lib, "housing")
    groups = group_hits(hits)
    dates = [g.date for g in groups if g.meeting_id]
    assert dates == sorted(dates, reverse=True) == ["2020-03-05", "2019-02-01"]
    # every meeting appears once: its hits are together
    ids = [g.meeting_id for g in groups]
    assert len(ids) == len(set(ids))
    people = search(lib, "eastshire")
    assert people[0].kind == "person" and group_hits(people)[0].heading == "People"


def test_spans_point_at_the_match():
    lib = small_library()
    for hit in search(lib, "housing"):
        assert hit.spans, hit
        for part in marked(hit):
            assert part.lower().startswith("housing")
    hit = next(h for h in search(corpus_library(), "oflog") if h.kind == "item")
    assert hit.field == "minute"
    assert marked(hit) and all(p.lower() == "oflog" for p in marked(hit))
    assert len(hit.snippet) <= 110  # about 100 characters of context


def test_words_match_at_a_word_start_in_any_case():
    lib = small_library()
    assert search(lib, "HOUS")  # prefix, any case
    assert not search(lib, "ousing")  # not inside a word


def test_all_words_must_match():
    lib = small_library()
    both = search(lib, "housing extend")
    assert [(h.kind, h.meeting_id[:10]) for h in both] == [("decision", "2020-03-05")]
    assert search(lib, "housing broadband") == []


def test_phrase_in_quotes():
    lib = small_library()
    phrase = search(lib, '"new homes"')
    assert phrase and all("new homes" in h.snippet.lower() for h in phrase)
    assert {h.kind for h in phrase} == {"item", "kpi"}
    assert search(lib, '"homes new"') == []
    hit = next(h for h in phrase if h.kind == "item")
    assert marked(hit) == ["new homes"]


def test_title_matches_rank_first_within_a_meeting():
    lib = small_library()
    hits = [h for h in search(lib, "housing") if h.meeting_id and h.meeting_id.startswith("2019")]
    assert hits[0].kind == "item" and hits[0].rank == 0
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)
    # the title is matched: every hit of item 2 has it in its title spans
    assert all(h.title_spans for h in hits)


def test_limit_keeps_the_best_and_says_there_is_more():
    lib = small_library()
    full = run(lib, "housing", limit=None)
    cut = run(lib, "housing", limit=2)
    assert len(cut.hits) == 2 and len(full.hits) > 2
    assert not cut.complete and full.complete and full.total == len(full.hits)
    assert all(h.rank == 0 for h in cut.hits)


def test_confidential_flag_on_the_corpus():
    hits = search(corpus_library(), "digital declaration")
    item8 = [h for h in hits if h.item_number == "8" and h.meeting_id.startswith("2018-05-24")]
    assert item8 and all(h.confidential for h in item8)
    assert not any(h.confidential for h in search(corpus_library(), "oflog"))


def test_confidential_flag_on_decisions_of_a_confidential_item():
    hits = search(small_library(), "procurement")
    assert hits and all(h.confidential for h in hits)
    assert {h.kind for h in hits} == {"item", "decision"}


def test_people_hits_by_name_and_authority():
    lib = corpus_library()
    hits = [h for h in search(lib, "billing") if h.kind == "person"]
    assert [h.person for h in hits] == ["judi-billing"]
    herts = [h for h in search(lib, "hertfordshire") if h.kind == "person"]
    assert "judi-billing" in [h.person for h in herts]
    h = next(h for h in herts if h.person == "judi-billing")
    assert h.field == "authority" and "Hertfordshire County Council" in h.snippet
    assert h.meeting_id is None


def test_kpi_hits_on_the_corpus():
    hits = search(corpus_library(), "peer challenges")
    kpis = [h for h in hits if h.kind == "kpi"]
    assert any(h.kpi == "E1" for h in kpis)
    e1 = next(h for h in kpis if h.kpi == "E1")
    assert e1.meeting_id.startswith("2018-05-24") and e1.item_number == "5"
    assert e1.field in ("target", "delivered") and marked(e1)
    code = search(corpus_library(), "EP11a")
    assert code[0].kind == "kpi" and code[0].kpi == "EP11a"


def test_hostile_text_is_cleaned_in_snippets():
    from browse_support import doc, item

    from tuibrowser.library import build

    lib = build(
        [doc("2022-01-01", [item("1", "Bad \x1b[31mtitle", "evil \x1b]0;x\x07 text here")])]
    )
    hits = search(lib, "evil")
    assert hits and "\x1b" not in hits[0].snippet and "\x07" not in hits[0].snippet
    assert "\x1b" not in hits[0].title
    assert marked(hits[0]) == ["evil"]


@pytest.mark.parametrize("query", ["", "   ", "&&", '""'])
def test_empty_queries_find_nothing(query):
    assert run(small_library(), query).hits == []


def test_hit_to_dict_is_plain():
    h = search(small_library(), "broadband")[0]
    d = h.to_dict()
    assert d["kind"] in ("item", "decision") and isinstance(d["spans"][0], list)


def test_report_text_of_the_agenda_pack_is_searched():
    hits = search(corpus_library(), "cyber security")
    report = [h for h in hits if h.field == "report"]
    assert report, "the agenda pack's report text is searched"
    assert all(h.meeting_id.startswith("2018-05-24") for h in report)
    for h in report:
        assert [p.lower() for p in marked(h)] and all(
            p.lower() in ("cyber", "security") for p in marked(h)
        )


def test_index_is_built_once_per_library():
    from tuibrowser.search import index_for

    lib = small_library()
    assert index_for(lib) is index_for(lib)
    assert index_for(small_library()) is not index_for(lib)


def test_index_built_once_when_threads_ask_together():
    import threading

    from tuibrowser import search as search_module
    from tuibrowser.memo import per_library

    lib = small_library()
    built = []
    real = search_module.SearchIndex

    def counting(library):
        built.append(library)
        return real(library)

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(per_library(lib, "count-test", counting)))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1 and all(r is results[0] for r in results)


@pytest.mark.parametrize(
    "query",
    [
        "oflog",
        "housing",
        '"local government"',
        "council",
        "c",
        "peer challenges",
        "digital declaration",
        "e1",
        "hertfordshire",
        "qqqzzz",
        "oflog concerns",
        "noted report",
    ],
)
def test_word_index_changes_speed_not_results(query, monkeypatch):
    from tuibrowser.search import SearchIndex
    from tuibrowser.search import segments as search_module

    monkeypatch.setattr(search_module, "BLOCK_BYTES", 512)  # many blocks in every month
    for lib in (corpus_library(), small_library()):
        plain = SearchIndex(lib)
        words = SearchIndex(lib)
        words.build_words()
        small = SearchIndex(lib)
        small.segment_budget = 1  # every month read again each time it is needed
        small.build_words()
        assert words.segments > 2
        for limit in (None, 5):
            a = plain.query(query, limit)
            for other in (words, small):
                b = other.query(query, limit)
                assert [h.to_dict() for h in a.hits] == [h.to_dict() for h in b.hits], query
                assert (a.total, a.complete) == (b.total, b.complete)


def test_word_index_reads_only_the_months_with_the_words(monkeypatch):
    from tuibrowser.search import SearchIndex
    from tuibrowser.search import segments as search_module

    monkeypatch.setattr(search_module, "BLOCK_BYTES", 512)

    index = SearchIndex(corpus_library())
    index.build_words()
    where = index._where(["oflog"])["oflog"]
    assert [index.months[n - 1] for n in where] == ["2023-07-2"]  # the second half of July 2023
    assert index._where(["qqqzzz"]) == {"qqqzzz": {}}  # nowhere
    assert index.query("oflog qqqzzz").hits == []
    # and within the month, only the blocks that hold it
    ((n, blocks),) = where.items()
    whole = (1 << (len(index._segment(n).bounds) - 1)) - 1
    assert 0 < blocks < whole
    # a query reads only the months it needs: nothing else is folded
    index._built.clear()
    index.query("oflog")
    assert set(index._built) == {index.months.index("2023-07-2") + 1}


def test_a_library_from_the_cache_brings_each_months_words_and_folded_text(tmp_path, corpus):
    import re

    from tuibrowser.base import shard_key
    from tuibrowser.search import SearchIndex, month_text
    from tuibrowser.store import Cache

    lib, _ = Cache(corpus, tmp_path / "c.json").refresh()
    months = sorted({shard_key(m.date) for m in lib.meetings})
    assert sorted(lib.words.months) == sorted(lib.texts) == months
    index = SearchIndex(lib)
    assert index._vocab is not None  # no need to fold every month to know where words are
    for n, month in enumerate(index.months, start=1):
        meetings = [m for m in lib.meetings if shard_key(m.date) == month]
        base = lib.texts[month]
        kept = (
            base.with_suffix(".txt").read_bytes(),  # scanned in place: kept as folded
            BlockText(base.with_suffix(".show").read_bytes())[:],
            base.with_suffix(".idx").read_bytes(),
        )
        assert kept == month_text(meetings)  # what the cache keeps is what a query would fold
        segment = index._segment(n)
        assert bytes(segment.folded) == kept[0]
        assert segment.maps or not len(segment)  # read in place, not copied
        words = {w[:WORD_CHARS] for w in re.findall(r"\w+", segment.folded_text())}
        listed = lib.words.month(month)
        assert {w for group in listed.split("\x01") for w in group.split(" ")[1:]} == words


def test_a_months_text_not_of_this_library_is_folded_again(tmp_path, corpus):
    from tuibrowser.search import SearchIndex, month_text
    from tuibrowser.store import Cache

    lib, _ = Cache(corpus, tmp_path / "c.json").refresh()
    month = "2018-05-2"  # the second half of May 2018
    lib.texts[month].with_suffix(".idx").write_bytes(b"\0" * 8)  # offsets of no record
    index = SearchIndex(lib)
    n = index.months.index(month) + 1
    meetings = [m for m in lib.meetings if m.date.startswith("2018-05")]
    segment = index._segment(n)
    assert not segment.maps and segment.folded == month_text(meetings)[0]
    assert search(lib, "digital declaration")


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["", " ", "**bold**", "a__b", "`x`", "\x1b[31m", "ΟΔΟΣ", "İstanbul", "a\n\nb", "\x00\x01"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_TEXT, max_size=4), max_size=6))
@example([[], ["-\r0"]])  # a bullet taken from a field's start left its blank behind
@example([["a\n---"]])  # and a rule taken from its end
def test_folding_a_month_in_one_pass_equals_folding_each_field(records):
    from tuibrowser.search import display_text, fold
    from tuibrowser.search.folding import fold_records
    from tuibrowser.search.segments import _fold_segment, _Segment

    one_by_one = "".join(
        "\n".join(fold(display_text(f)) for f in fields) + "\0" for fields in records
    )
    assert fold_records(records) == one_by_one
    # and the segment made of them holds them as shown and folded, with their words
    names = [[f"f{i}" for i in range(len(fields))] for fields in records]
    parts = _fold_segment(list(zip(names, records, strict=True)), words=True)
    segment = _Segment(parts[:3], [], [], [None] * len(records))
    assert len(segment) == len(records)
    assert "".join(segment.folded_record(n) + "\0" for n in range(len(records))) == one_by_one
    for n, fields in enumerate(records):
        assert segment.names(n) == names[n]
        if fields:
            assert segment.shown_fields(n) == [display_text(f) for f in fields]
    assert set(parts[3]) == set(re.findall(r"\w+", one_by_one))


# Fields made of markdown's markers, blanks and line breaks: markers at the starts of fields,
# records and lines, rules at their ends, side by side.
_MARKED = st.text(st.sampled_from(list("#-*+>_ \t\n\rab")), max_size=12)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_MARKED, max_size=4), max_size=5))
@example([["a", "- b\n# c"], ["---", "x\n***"]])
def test_markers_at_the_starts_of_fields_and_lines_fold_as_each_field_alone(records):
    """A month's markers are taken out a separator at a time (a pattern for a line's start,
    one for a record's, one for a field's): what display_text() takes out of each field alone,
    and no blank is left beside a separator."""
    from tuibrowser.search import display_text, fold
    from tuibrowser.search.folding import fold_records
    from tuibrowser.search.segments import _fold_segment, _Segment

    one_by_one = "".join(
        "\n".join(fold(display_text(f)) for f in fields) + "\0" for fields in records
    )
    assert fold_records(records) == one_by_one
    names = [[f"f{i}" for i in range(len(fields))] for fields in records]
    parts = _fold_segment(list(zip(names, records, strict=True)), words=False)
    segment = _Segment(parts[:3], [], [], [None] * len(records))
    for n, fields in enumerate(records):
        if fields:
            assert segment.shown_fields(n) == [display_text(f) for f in fields]


def test_separators_in_a_files_text_cannot_move_a_record_boundary():
    from tuibrowser.search.folding import fold_records
    from tuibrowser.search.segments import record_starts

    corpus = fold_records([["a\x00b", "c\x01d"], ["e"]])
    assert len(record_starts(corpus)) == 2
    assert corpus.split("\0")[:2] == ["a\\x00b\nc\\x01d", "e"]  # escaped, as clean() shows them


def test_a_record_made_alone_is_the_one_made_with_its_meeting():
    from tuibrowser.search.units import _meeting_units, _place, _unit_at

    for lib in (corpus_library(), small_library()):
        for m in lib.meetings:
            units = list(_meeting_units(m))
            for offset, unit in enumerate(units):
                alone = _unit_at(m, offset)
                assert (alone.kind, alone.title, alone.fields) == (
                    unit.kind,
                    unit.title,
                    unit.fields,
                )
                assert (alone.item, alone.kpi) == (unit.item, unit.kpi)
                assert _place(m, offset)[0] == unit.kind


def test_the_wide_blanks_are_every_blank_beyond_ascii():
    from tuibrowser.search.folding import WIDE_BLANKS

    assert sorted(WIDE_BLANKS) == [c for c in map(chr, range(128, 0x110000)) if c.isspace()]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from([" ", "  ", "\t", "\n", "\x1c", "\x0b", "a", "bc", "’", "é", "\udcff"])
        | st.sampled_from(list("\x85\xa0\u1680\u2000\u2007\u200a\u2028\u202f\u205f\u3000"))
        | st.text(max_size=5),
        max_size=30,
    ).map("".join)
)
def test_squeeze_is_split_and_join(text):
    from tuibrowser.search.folding import squeeze

    assert squeeze(text) == " ".join(text.split())
