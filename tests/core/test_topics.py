"""Topics: recurring items grouped by title on the real corpus and on small libraries."""

from browse_support import corpus_library, doc, item, small_library
from hypothesis import given, settings
from hypothesis import strategies as st

from tuibrowser.library import build
from tuibrowser.topics import _group, find_topics, significant_words, similarity, topic_for_item


def by_title(topics, words):
    """The topic whose appearances include an item title containing ``words``."""
    found = [t for t in topics if any(words.lower() in a.item_title.lower() for a in t.appearances)]
    assert len(found) == 1, (words, [t.title for t in found])
    return found[0]


def dated(topic):
    return [(a.date, a.item_number) for a in topic.appearances]


def test_significant_words_drop_years_updates_and_lga():
    same = {
        significant_words("Highlighting Leadership offer: 2015/16"),
        significant_words("Highlighting Leadership offer: update"),
        significant_words("Highlighting Leadership offer: 2020/21 work update"),
    }
    assert len(same) == 1
    assert significant_words("LGA Boards' improvement activity") == significant_words(
        "Boards’ Improvement Activity 2017/2018"
    )
    assert significant_words("Performance report 18/19 Q1") == significant_words("Performance")


def test_highlighting_leadership_on_the_corpus():
    t = by_title(find_topics(corpus_library()), "Highlighting Leadership")
    assert dated(t) == [("2016-01-19", "3"), ("2018-03-22", "7"), ("2020-05-21", "6")]
    assert [a.item_title for a in t.appearances] == [
        "Highlighting Leadership offer: 2015/16",
        "Highlighting Leadership offer: update",
        "Highlighting Leadership offer: 2020/21 work update",
    ]
    assert t.title == "Highlighting Leadership offer" and not t.procedural
    assert t.years == "2016–2020" and t.meetings == 3


def test_productivity_programme_on_the_corpus():
    t = by_title(find_topics(corpus_library()), "Productivity Programme")
    assert dated(t) == [("2016-01-19", "4"), ("2018-05-24", "4")]


def test_lga_boards_improvement_activity_on_the_corpus():
    t = by_title(find_topics(corpus_library()), "Boards' Improvement Activity")
    assert ("2016-01-19", "7") in dated(t) and ("2018-05-24", "6") in dated(t)
    assert all(a.date in ("2016-01-19", "2018-03-22", "2018-05-24") for a in t.appearances)


def test_procedural_topics_on_the_corpus_sort_last():
    topics = find_topics(corpus_library())
    minutes = by_title(topics, "previous meeting")
    assert minutes.procedural
    titles = {a.item_title for a in minutes.appearances}
    assert "Minutes of the last meeting" in titles and "Note of the Previous Meeting" in titles
    welcome = by_title(topics, "Welcome and Declarations")
    assert welcome.procedural
    assert "Declarations of Interest" in {a.item_title for a in welcome.appearances}
    # "Digital Declaration" is not a declaration of interest
    assert all("Digital" not in a.item_title for a in welcome.appearances)
    flags = [t.procedural for t in topics]
    assert flags == sorted(flags), "procedural topics come last"


def test_a_topic_needs_two_meetings():
    topics = find_topics(corpus_library())
    assert all(t.meetings >= 2 for t in topics)
    # one-off items are no topic
    assert not any("Oflog" in a.item_title for t in topics for a in t.appearances)
    lib = build(
        [
            doc("2020-01-01", [item("1", "Road safety"), item("2", "Road safety: annex")]),
            doc("2021-01-01", [item("1", "Libraries")]),
        ]
    )
    assert find_topics(lib) == []


def test_different_programmes_stay_apart():
    lib = build(
        [
            doc("2020-01-01", [item("1", "Sector Support Programme"), item("2", "Peer Review")]),
            doc("2021-01-01", [item("1", "Transformation Support Programme")]),
            doc("2022-01-01", [item("4", "Peer review update"), item("5", "Data Programme")]),
        ]
    )
    topics = find_topics(lib)
    assert [(t.title, dated(t)) for t in topics] == [
        ("Peer review", [("2020-01-01", "2"), ("2022-01-01", "4")])
    ]


def test_synthetic_library_topics_and_keys():
    lib = small_library()
    topics = find_topics(lib)
    housing = by_title(topics, "housing")
    assert dated(housing) == [("2019-02-01", "2"), ("2020-03-05", "2")]
    assert housing.key == "housing-delivery-programme"
    procedural = {t.key for t in topics if t.procedural}
    assert procedural == {"welcome-and-declarations", "minutes-of-the-last-meeting"}
    assert len({t.key for t in topics}) == len(topics)


def test_topic_for_item_links_earlier_and_later():
    lib = corpus_library()
    t = topic_for_item(lib, "2018-03-22-improvement-innovation-board", "7")
    assert t is not None and "Highlighting Leadership" in t.title
    i = t.index_of("2018-03-22-improvement-innovation-board", "7")
    assert t.appearances[i - 1].date == "2016-01-19" and t.appearances[i + 1].date == "2020-05-21"
    assert topic_for_item(lib, "2023-07-21-improvement-innovation-board", "4") is None
    assert topic_for_item(lib, "no-such-meeting", "1") is None


_WORDS = st.frozensets(st.sampled_from("abcdefghijklmn"), min_size=1, max_size=9)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(_WORDS, max_size=40, unique=True),
    st.sampled_from([0.3, 0.5, 0.6, 0.75, 0.8, 1.0]),
)
def test_titles_are_grouped_as_the_chains_of_similar_pairs(sigs, threshold):
    """The grouping (prefix, size and place filtering, in integers) joins exactly the titles
    linked by a chain of pairs at least ``threshold`` similar: every pair compared."""
    sigs = sorted(sigs, key=sorted)
    groups = _group(sigs, threshold)
    parent = list(range(len(sigs)))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for i, a in enumerate(sigs):
        for j, b in enumerate(sigs[:i]):
            if similarity(a, b) >= threshold:
                parent[find(i)] = find(j)
    for i in range(len(sigs)):
        for j in range(i):
            assert (groups.find(i) == groups.find(j)) == (find(i) == find(j))
