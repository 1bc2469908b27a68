"""The quick search for actions' evidence gives what the plain reading of its rules gives.

The search folds each word once, keeps only the words some action looks for, reads a
sentence's spaces only when it is a candidate, and takes actions board by board letting go
of the meetings no action left can read. Each of those is checked here against the plain
rules: :func:`keywords` and :func:`sentences` of every sentence of every later meeting.
"""

from __future__ import annotations

import bisect

from browse_support import doc, item
from hypothesis import given, settings
from hypothesis import strategies as st

from tuibrowser.action_status import (
    _GENERIC_TITLE,
    DONE,
    LOOK_AHEAD,
    MATTERS_ARISING,
    MIN_SHARED,
    MIN_SHARED_ALONE,
    _owner_words,
    _reason,
    _sentences_of,
    _Words,
    keywords,
    sentences,
)
from tuibrowser.actions import Action, Evidence, read_actions
from tuibrowser.library import Library, build

# text that reaches every branch of the tokeniser: words, apostrophes (both kinds), hyphens,
# bold marks, plurals, stop words, short words, sentence ends, spaces of every kind
TEXTISH = st.lists(
    st.sampled_from(
        list("abcsAZ'’-*.!?\"“( \t\n\r\x0b\x0c\x85\u2028\u3000")
        + ["the", "reports", "**", "Smith", "circulated", "matters arising", "budget"]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(TEXTISH, st.text(max_size=60)), max_size=6))
def test_words_of_a_sentence_are_keywords_of_it(texts: list[str]) -> None:
    """One folder over many texts (its memory of words shared) gives :func:`keywords` of
    each, whether or not the sentence's spaces were folded first."""
    known = _Words()
    for text in texts:
        assert known.keywords(text) == keywords(text)
        assert known.keywords(text) == keywords(" ".join(text.split()))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(TEXTISH, st.text(max_size=60)), min_size=1, max_size=4))
def test_sentences_as_written_fold_to_sentences(texts: list[str]) -> None:
    [m] = build(
        [doc("2024-01-01", [item("1", "Minutes", texts[0], texts[1:2], texts[2:])])]
    ).meetings
    written = [" ".join(s.split()) for _, s, _ in _sentences_of(m)]
    texts = [t for it in m.items for t in (it.minute, *it.decisions, *it.actions)]
    assert written == [s for t in texts for s in sentences(t)]


def _plain(library: Library, actions: list[Action]) -> list[tuple[str, Evidence | None]]:
    """Each action's status and evidence by the rules read plainly: every sentence of each
    later meeting, in order, with all its words."""
    out: list[tuple[str, Evidence | None]] = []
    boards: dict[str, list] = {}
    for m in sorted(library.meetings, key=lambda m: m.date):
        boards.setdefault(" ".join(m.board.casefold().split()), []).append(m)
    for a in actions:
        ms = boards.get(" ".join(a.board.casefold().split()), [])
        start = bisect.bisect_right([m.date for m in ms], a.date)
        later = [m for m in ms[start : start + 4 * LOOK_AHEAD] if m.items][:LOOK_AHEAD]
        owner = _owner_words(a.owner)
        own = keywords(a.text) - set(owner)
        want = own | keywords(a.item_title)
        found = next((e for m in later if (e := _plain_in(m, own, want, owner))), None)
        status = "open" if found is None else "mentioned"
        if found is not None and DONE.search(found.sentence):
            status = "done"
        out.append((status, found))
    return out


def _plain_in(m, own: set[str], want: set[str], owner: list[str]) -> Evidence | None:
    best: tuple[int, Evidence] | None = None
    for it in m.items:
        for text in (it.minute, *it.decisions, *it.actions):
            for s in sentences(text):
                words = keywords(s)
                hits = len(words & want)
                if hits < MIN_SHARED or (own and not own & words):
                    continue
                arising = bool(MATTERS_ARISING.search(it.title) or MATTERS_ARISING.search(s))
                title = keywords(it.title, _GENERIC_TITLE)
                reason = _reason(title, s.casefold(), arising, owner, want)
                if reason is None and hits >= MIN_SHARED_ALONE:
                    reason = "same topic"
                score = hits + (2 if DONE.search(s) else 0)
                if reason is not None and (best is None or score > best[0]):
                    best = (score, Evidence(m.id, m.date, it.number, it.title, s, reason))
    return best[1] if best else None


WORDS = ["budget", "budgets", "report", "circulated", "Smith", "the", "matters arising",
         "housing", "plan", "plans", "was", "had been", "Jane", "to", "**draft**", "review"]  # fmt: skip
SENTENCE = (
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join).map(lambda s: s + ".")
)
PARAGRAPH = st.lists(SENTENCE, max_size=4).map(" ".join)
ITEM = st.tuples(
    st.sampled_from(["Budget plan", "Matters arising", "Housing review", "Minutes"]),
    PARAGRAPH,
    st.lists(SENTENCE, max_size=2),
    st.lists(SENTENCE.map(lambda s: "Jane Smith to " + s), max_size=2),
)
MEETING = st.tuples(
    st.sampled_from(["Board A", "board  a", "Board B"]),
    st.integers(1, 28),
    st.lists(ITEM, min_size=0, max_size=3),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(MEETING, min_size=1, max_size=10))
def test_evidence_is_what_the_plain_rules_find(meetings: list) -> None:
    """Any archive of a few boards: each action's status and evidence are those found by
    reading every sentence of every later meeting of its board with all its words."""
    docs = []
    for board, day, items in meetings:
        its = [item(str(n + 1), *fields) for n, fields in enumerate(items)]
        docs.append(doc(f"2024-01-{day:02d}", its, board=board))
    library = build(docs)
    actions = read_actions(library)
    assert [(a.status, a.evidence) for a in actions] == _plain(library, actions)
