"""The seen part's lines found again by place, kept as its text (:mod:`.keptlines`), and the
files' lines compared with that text without splitting it (:func:`.statlines.changed_in_text`):
each gives what the lines as strings give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tuibrowser.store.keptlines import KeptLines
from tuibrowser.store.statlines import changed_in_text, changed_places

# labels as a folder may name files: plain, with a tab (a name may hold one), one the prefix
# of another, and not ASCII
LABELS = st.sampled_from(
    [
        "a.md",
        "a",
        "a\tb.md",
        "a-b.md",
        "b/a.md",
        "b/é.md",
        "b/z.md",
        "b/éa.md",
        "c.md",
        "c.md\tc.md",
        "日本.md",
        "zz/y/x.md",
    ]
)
NUMBERS = st.integers(min_value=0, max_value=2**256 - 1)


def line(label: str, n: int) -> str:
    return f"{label}\t{n:064x}"


def text_of(lines: list[str]) -> bytes:
    return "\n".join(lines).encode()


@settings(max_examples=300, deadline=None)
@given(
    part=st.dictionaries(LABELS, NUMBERS, min_size=1),
    gone=st.sets(LABELS),
    added=st.dictionaries(LABELS, NUMBERS),
    dropped=st.sets(LABELS),
)
def test_the_text_made_is_the_lines_sorted(part, gone, added, dropped):
    lines = sorted(line(label, n) for label, n in part.items())
    kept = KeptLines(text_of(lines), len(lines), gone & part.keys())
    kept.drop(dropped)
    left = {label for label in part if label not in gone and label not in dropped}
    for label, n in added.items():
        if label not in left:  # (a line is added for a file whose line is not kept)
            kept.append(line(label, n))
    want = sorted(
        [line(label, part[label]) for label in left]
        + [line(label, n) for label, n in added.items() if label not in left]
    )
    assert kept.text() == text_of(want)
    assert len(kept) == len(want)


def test_a_part_not_in_order_is_made_from_its_lines():
    lines = [line("b.md", 1), line("a.md", 2), line("c.md", 3)]  # (not as written: edited)
    kept = KeptLines(text_of(lines), 3, {"a.md"})
    kept.append(line("a.md", 4))
    assert kept.text() == text_of(sorted([line("a.md", 4), line("b.md", 1), line("c.md", 3)]))


@settings(max_examples=300, deadline=None)
@given(
    part=st.dictionaries(LABELS, NUMBERS, min_size=1),
    changes=st.dictionaries(st.integers(0, 20), NUMBERS),
    relabel=st.one_of(st.none(), st.tuples(st.integers(0, 20), LABELS)),
)
def test_lines_compared_in_the_text_are_compared_as_strings_compare(part, changes, relabel):
    old = sorted(line(label, n) for label, n in part.items())
    new = list(old)
    for at, n in changes.items():
        if at < len(new):
            new[at] = line(new[at][:-65], n)
    if relabel is not None and relabel[0] < len(new):
        new[relabel[0]] = line(relabel[1], 7)
    assert changed_in_text(new, text_of(old)) == changed_places(new, old)


def test_many_changed_lines_are_not_compared_by_place():
    old = [line(f"m{n:05}.md", n) for n in range(1000)]
    new = [line(f"m{n:05}.md", n + 1) for n in range(1000)]
    assert changed_in_text(new, text_of(old)) is None
    new[:935] = old[:935]  # (65 changed: more than a few)
    assert changed_in_text(new, text_of(old)) is None
    new[935] = old[935]
    assert changed_in_text(new, text_of(old)) == list(range(936, 1000))
    assert changed_in_text(old, text_of(old)) == []
    assert changed_in_text(old[:-1], text_of(old)) is None  # (a file gone)
