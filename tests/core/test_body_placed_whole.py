"""The body reader places the prose between headings whole (tuibrowser.body): it gives the
title, items, sections and problems that reading the body a line at a time gave."""

from __future__ import annotations

from pathlib import Path

import pytest
from body_by_lines import parse_body_by_lines
from hypothesis import given, settings
from hypothesis import strategies as st
from viewfolders import generate

from tuibrowser import body as body_module
from tuibrowser import records
from tuibrowser.body import _SPECIAL, parse_body, special_lines

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"
DATA = Path(__file__).resolve().parents[1] / "data"

# Lines of every kind the reader tells apart: item, section and title headings, sub-sections,
# fences of both kinds and lengths, indented and tabbed lines, list entries, marks, prose.
LINES = ["## 1. Welcome", "## 2. Budget {confidential}", "## 3. Plan {order=2, .exempt}",
         "## 4", "##  5. Spaced ##", "## 1. Again", "## 6. Odd {x y}", "## Other business",
         "##Nospace", "# Title", "# Second title", "### Decisions", "### Actions:",
         "### Purpose", "### Summary", "### Recommendations", "### Background", "###Bad",
         "#### Deeper", "```", "~~~", "````", "   ```", "\t```", "  ~~~ python", " indented",
         "\ttabbed", "    code", "- agreed the plan", "* noted", "1. first", "2) second",
         "Lead in:", "prose text", "", "  ", "{confidential} stray", "see {restricted}",
         "#", "##", "## ", "`inline`", "~tilde", "  - nested", "• dot", "· mid", "+ plus",
         "10. ten", "3) three", "-no space", "1.no space", "   * three blanks", "    - four",
         "\t- tabbed bullet", "- ", "1) Board:", "Members: 1) noted 2) agreed"]  # fmt: skip
BODIES = st.lists(st.sampled_from(LINES), max_size=40).map("\n".join)


def _read(reader, body: str, first_line: int) -> tuple:
    problems: list = []
    title, items, sections = reader(body, first_line, "m.md", problems)
    return (
        title,
        [it.to_dict() for it in items],
        [s.to_dict() for s in sections],
        [p.to_dict() for p in problems],
    )


def _same(body: str, first_line: int = 1) -> None:
    assert _read(parse_body, body, first_line) == _read(parse_body_by_lines, body, first_line)


@settings(max_examples=1500, deadline=None)
@given(BODIES, st.integers(1, 50))
def test_a_body_is_read_as_a_line_at_a_time(body: str, first_line: int) -> None:
    _same(body, first_line)


# A decisions or actions block: list entries of every sign, continuations, lead-ins, paragraphs
ENTRY_LINES = ["Lead in:", "Board:", "1. first", "2) second", "3. third", "- agreed", "* noted",
               "+ plus", "• dot", "· mid", "10. ten", "   * three blanks", "    - four",
               "\t- tabbed", "  continued", "plain para", "", "- ", "1.no space", "-no space",
               "Members: 1) noted 2) agreed"]  # fmt: skip
BLOCKS = st.tuples(
    st.sampled_from(["### Decisions", "### Actions", "### Decision:"]),
    st.lists(st.sampled_from(ENTRY_LINES), max_size=12),
).map(lambda b: "\n".join(["## 1. Item", b[0], *b[1]]))


@settings(max_examples=1500, deadline=None)
@given(BLOCKS)
def test_decisions_and_actions_are_read_as_a_line_at_a_time(body: str) -> None:
    _same(body)


# A block of one-line "- " entries and blank lines (the quick way of body._entries), with
# blanks of every kind around the entries, empty entries and entries that look like lead-ins
DASH_LINES = ["- agreed", "-  two blanks", "- \tafter a tab", "- \u00a0no-break", "- trailing  ",
              "- ", "-   ", "", "  ", "\t", "\u00a0", "- Board: 1) noted 2) agreed", "- Lead in:",
              "- 1. numbered", "- - nested", "- ## not a heading"]  # fmt: skip
DASH_BLOCKS = st.tuples(
    st.sampled_from(["### Decisions", "### Actions"]),
    st.lists(st.sampled_from(DASH_LINES), max_size=12),
    st.sampled_from(["", "plain para", "  continued", "* noted"]),  # one line that is not
).map(lambda b: "\n".join(["## 1. Item", b[0], *b[1], *([b[2]] if b[2] else [])]))


@settings(max_examples=1000, deadline=None)
@given(DASH_BLOCKS)
def test_blocks_of_dash_entries_are_read_as_a_line_at_a_time(body: str) -> None:
    _same(body)


@given(st.text(alphabet="#`~ \t\na", max_size=40))
def test_the_special_lines_are_those_a_line_at_a_time_finds(text: str) -> None:
    lines = text.split("\n")
    assert special_lines(text) == [n for n, line in enumerate(lines) if line[:1] in _SPECIAL]


def _bodies(paths: list[Path]) -> list[tuple[str, int]]:
    out = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        split = records.HANDLER.split_lines(text) if records.HANDLER.detect(text) else None
        if split is not None:
            out.append((split[1], split[2]))
    return out


@pytest.mark.parametrize("kind", ["bundled", "generated"])
def test_the_bundled_samples_and_generated_meetings_are_read_alike(
    kind: str, tmp_path: Path
) -> None:
    if kind == "bundled":
        paths = sorted([*MEETINGS.rglob("*.md"), *DATA.rglob("*.md")])
    else:
        generate(tmp_path, 40)
        paths = sorted(tmp_path.rglob("*.md"))
    bodies = _bodies(paths)
    assert len(bodies) > 10
    for body, first_line in bodies:
        _same(body, first_line)


def test_the_sub_headings_kept_are_few_and_short() -> None:
    long_lines = [f"### {'x' * 5000} {n}" for n in range(50)]
    body = "\n".join(["## 1. Item", *long_lines, "### Decisions", "- agreed"])
    _same(body)
    kept = body_module._SUB_HEADINGS
    assert all(len(line) <= body_module.MAX_SUB_HEADING_CHARS for line in kept)
    assert len(kept) <= body_module.MAX_SUB_HEADINGS
    assert kept["### Decisions"] == "decisions"


def test_the_item_headings_kept_are_few_and_short() -> None:
    long_lines = [f"## {n}. {'x' * 5000}" for n in range(50)]
    body = "\n".join([*long_lines, "## 7. Budget {confidential}", "### Decisions", "- agreed"])
    _same(body)
    _same(body)  # each heading worked out before
    kept = body_module._ITEM_HEADINGS
    assert all(len(line) <= body_module.MAX_SUB_HEADING_CHARS for line in kept)
    assert len(kept) <= body_module.MAX_SUB_HEADINGS
    assert kept["## 7. Budget {confidential}"].group("attrs") == "confidential"
    assert body_module._ITEM_KEYS["7"] == "7"
