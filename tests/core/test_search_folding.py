"""Search finds what people type: hyphens, slashes and apostrophes fold both ways (and never
join words), several snippets per hit with the match count, no markdown markers in snippets."""

import pytest
from browse_support import doc, item
from hypothesis import given, settings
from hypothesis import strategies as st

from tuibrowser.library import build
from tuibrowser.search import BREAKS, MAX_SNIPPETS, display_text, fold, parse_query, run, search
from tuibrowser.search.query import _first, _term_pattern
from tuibrowser.search.results import match_spans

# one spelling of two words per item; "sectorled" and each word alone are other texts
SPELLINGS = [
    "sector-led",
    "sector led",
    "Sector-Led",
    "sector\u2010led",  # hyphen
    "sector\u2011led",  # non-breaking hyphen
    "sector\u2013led",  # en dash
    "sector\u2014led",  # em dash
    "sector/led",
    "sector - led",
    "sector'led",
    "sector\u2019led",
    "sector--led",
]
OTHERS = ["sectorled", "sector alone", "led alone", "sectors led", "sector ledger"]


def library_of(texts: list[str]):
    items = [
        item(str(n), f"Item {n}", f"The {t} approach was agreed.") for n, t in enumerate(texts)
    ]
    return build([doc("2024-01-01", items)])


def found(lib, query: str) -> set[str]:
    return {h.item_number for h in search(lib, query, limit=None) if h.kind == "item"}


LIB_TEXTS = SPELLINGS + OTHERS


@pytest.fixture(scope="module")
def spellings_lib():
    return library_of(LIB_TEXTS)


def numbers(texts: list[str]) -> set[str]:
    return {str(LIB_TEXTS.index(t)) for t in texts}


@pytest.mark.parametrize(
    "query", [s for s in SPELLINGS if " " not in s] + [f'"{s}"' for s in SPELLINGS]
)
def test_every_spelling_finds_every_other_and_nothing_else(spellings_lib, query):
    # (a word with a break in it is the phrase of its parts; words apart are two words)
    # "sector ledger" is found too: a query's last word is the start of a word, as ever
    assert found(spellings_lib, query) == numbers(SPELLINGS + ["sector ledger"])


def test_joined_words_are_another_word_both_ways(spellings_lib):
    assert found(spellings_lib, "sectorled") == numbers(["sectorled"])
    assert found(spellings_lib, "sector-led") & numbers(["sectorled"]) == set()


def test_unquoted_words_still_match_anywhere(spellings_lib):
    both = found(spellings_lib, "led sector")
    assert numbers(SPELLINGS + ["sectors led", "sector ledger"]) == both


_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(_WORDS, _WORDS, st.sampled_from(BREAKS + " "), st.sampled_from(BREAKS))
def test_a_break_in_the_text_or_the_query_is_a_space(a, b, in_text, in_query):
    text = fold(f"The {a}{in_text}{b} plan")
    for query in (f"{a}{in_query}{b}", f'"{a} {b}"', f'"{a}{in_query}{b}"'):
        (term,) = parse_query(query)
        assert _first(text, term, _term_pattern(term)) is not None, (text, query)
    # and the two words written as one are not found: no false match across a break
    (joined,) = parse_query(a + b)
    assert _first(text, joined, _term_pattern(joined)) is None or (
        # unless the joined word is the start of a word that is there on its own
        any(w.startswith(joined) for w in text.split())
    )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30), st.text(max_size=30))
def test_folding_keeps_words_and_breaks_apart(left, right):
    # every break folds to a space and nothing else changes what a word is
    folded = fold(f"{left}-{right}")
    assert folded == fold(f"{left} {right}")
    assert not any(c in folded for c in BREAKS)


@pytest.mark.parametrize(
    "text, query, expected",
    [
        ("Members' allowances", '"members allowances"', True),
        ("Members’ allowances", "members'", True),
        ("the council's budget", "council's", True),
        ("the council’s budget", "council's", True),
        ("the council's budget", "council’s", True),
        ("the council's budget", '"council s budget"', True),
        ("the council's budget", "council", True),
        ("the council's budget", "councils", False),  # the documented rule: not the plural
        ("the councils' budget", "council's", False),
        ("2018/19 budget", "2018-19", True),
        ("2018/19 budget", "201819", False),
        ("post-16 education", '"post 16 education"', True),
    ],
)
def test_apostrophes_and_slashes(text, query, expected):
    lib = library_of([text])
    assert bool(found(lib, query)) is expected


@pytest.mark.parametrize(
    "minute, marker",
    [
        ("#### Summary of the budget\nThe budget was set.", "#"),
        ("Intro\n- budget one\n- budget two", "- "),
        ("Intro\n* budget one\n+ budget two", "* "),
        ("> budget quoted\n\n---\nmore budget", ">"),
        ("## budget\n\n***\n\n1. budget numbered", "#"),
    ],
)
def test_markdown_markers_are_left_out_of_snippets(minute, marker):
    lib = build([doc("2024-01-01", [item("1", "Finance", minute)])])
    (hit,) = search(lib, "budget")
    for snip in hit.snippets:
        assert marker.strip() not in snip.text.replace("1.", ""), snip.text
        assert all(snip.text[s:e].lower() == "budget" for s, e in snip.spans)
    assert marker.strip() not in display_text(minute)


def test_markers_inside_a_line_are_text():
    assert display_text("a - b and #7 and 5 * 3") == "a - b and #7 and 5 * 3"


def far_apart(n: int) -> str:
    filler = " ".join(["filler"] * 40)
    return " ".join(f"{filler} budget{k} {filler}" for k in range(n))


@pytest.mark.parametrize("n", [1, 2, 3, 7])
def test_several_snippets_per_hit_and_the_count_of_matches(n):
    lib = build([doc("2024-01-01", [item("1", "Finance", far_apart(n))])])
    (hit,) = search(lib, "budget")
    assert hit.matches == n
    assert len(hit.snippets) == min(n, MAX_SNIPPETS)
    assert (hit.snippet, hit.spans, hit.field) == (
        hit.snippets[0].text,
        hit.snippets[0].spans,
        hit.snippets[0].field,
    )
    shown = []
    for snip in hit.snippets:
        assert snip.field == "minute" and len(snip.spans) == 1
        ((s, e),) = snip.spans
        shown.append(snip.text[s:].split()[0])
    assert shown == [f"budget{k}" for k in range(len(hit.snippets))]  # in order, no repeats


def test_the_count_is_of_the_text_beyond_the_title_unless_only_the_title_matches():
    it = item("1", "Budget", "The budget was set; the budget grew.", decisions=["Noted."])
    lib = build([doc("2024-01-01", [it])])
    hits = {h.kind: h for h in search(lib, "budget")}
    assert hits["item"].matches == 2  # the minute's two, not the title's
    assert [s.field for s in hits["item"].snippets] == ["minute"]
    assert hits["decision"].matches == 1  # only its title (the item's) matches


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["sector-led", "council's", "budget", '"a b"']))
def test_match_spans_point_at_the_terms(text, query):
    terms = parse_query(query)
    for s, e in match_spans(text, terms):
        assert " ".join(fold(text[s:e]).split()) in terms


def test_match_spans_find_a_phrase_across_a_line_break():
    text = "The sector-\nled work and the sector\nled plan"
    assert [text[s:e] for s, e in match_spans(text, parse_query("sector-led"))] == [
        "sector-\nled",
        "sector\nled",
    ]


def test_results_say_how_many_matches_in_all():
    lib = library_of(SPELLINGS)
    results = run(lib, "sector-led")
    assert results.total == len(SPELLINGS)
    assert all(h.matches == 1 for h in results.hits)
