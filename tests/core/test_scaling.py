"""No input is slow out of proportion to its size.

Each class of input that once froze a command or the browser for minutes is read here at (or
near) the size that did, with a generous time budget (far above what it takes now, far below
what it took), and, where it makes sense, at two sizes: four times the input may take less than
ten times as long (a linear step takes four times, a quadratic one sixteen). The figures in the comments are what
each case took before it was fixed.
"""

from __future__ import annotations

import gc
import random
import re
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Markdown, Static
from tuihelp import ready, screen_text

from tuibrowser import records
from tuibrowser.cli import cli
from tuibrowser.importers import agenda_pack, htmltext, moderngov_text, pack_people
from tuibrowser.importers.pack_tables import actual_value, target_value
from tuibrowser.keys import drop_brackets, person_key
from tuibrowser.library import build
from tuibrowser.model import Document, Item
from tuibrowser.topics import appearances, find_topics, topics_of
from tuibrowser.tui import longtext
from tuibrowser.tui.screens.item import ItemScreen
from tuibrowser.tui.screens.meeting import MeetingScreen

BUDGET = 10.0  # seconds, on a busy shared CI machine; every case took minutes before


def timed(run: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def assert_linear(make: Callable[[int], Callable[[], object]], n: int) -> None:
    """Four times the input takes less than ten times as long (best of three runs of each):
    linear is 4x, n log n a little more, n·√n (topics of dissimilar titles) 8x, quadratic
    16x. At twice the input n·√n is 2.8x against quadratic's 4x, too close to tell apart on a
    busy machine. The runs alternate (small, large, small…), so a spell of load on a shared
    machine slows both sizes, not the three runs of one (0.07 s against 0.74 s once, a
    linear step that takes 0.06 s against 0.26 s)."""
    small, large = make(n), make(4 * n)
    t_small = t_large = float("inf")
    for _ in range(3):
        t_small = min(t_small, quiet_timed(small))
        t_large = min(t_large, quiet_timed(large))
    assert t_large < 10 * max(t_small, 0.02), (t_small, t_large)


def quiet_timed(run: Callable[[], object]) -> float:
    """The time of ``run`` with the cyclic collector held off: its passes over a heap four
    times larger are the test's own noise, not the step's complexity."""
    gc.collect()
    gc.disable()
    try:
        return timed(run)[0]
    finally:
        gc.enable()


def meeting_file(body: str, extra: str = "", date: str = "2021-06-01") -> str:
    return f'---\nboard: Big Board\ndate: "{date}"\nkind: minutes\n{extra}---\n# Minutes\n\n{body}'


# --- topics: thousands of similar titles ---------------------------------------------------


def _rare(rnd: random.Random) -> str:
    return "".join(rnd.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))


TITLES: dict[str, Callable[[int, random.Random], str]] = {
    # one topic: each pair of titles is similar (3 of 5 words), 40,000 took 132 s to match
    "one-topic": lambda i, rnd: f"Peer support programme for {_rare(rnd)}",
    # no topic: a common word and a rare one, never similar
    "no-topic": lambda i, rnd: f"Housing {_rare(rnd)}",
    # four common words of twenty, drawn at random
    "few-words": lambda i, rnd: " ".join(
        rnd.sample(
            "peer support finance housing digital leadership workforce care health climate "
            "budget planning children adult transport skills growth safety waste culture".split(),
            4,
        )
    ),
}


def titled_library(kind: str, n: int, per_meeting: int = 100):
    rnd = random.Random(1)
    docs = []
    for k in range(n // per_meeting):
        date = f"{2000 + k // 300:04d}-{1 + (k // 25) % 12:02d}-{1 + k % 25:02d}"
        items = [
            Item(number=str(j + 1), title=TITLES[kind](k * per_meeting + j, rnd))
            for j in range(per_meeting)
        ]
        docs.append(Document(path=f"m{k}.md", board=f"Board {k}", date=date, items=items))
    return build(docs)


@pytest.mark.parametrize("kind", sorted(TITLES))
def test_topic_matching_of_40000_similar_titles_is_near_linear(kind):
    library = titled_library(kind, 40_000)
    elapsed, topics = timed(lambda: find_topics(library))
    assert elapsed < BUDGET
    found = sum(len(t.appearances) for t in topics)
    assert found == (0 if kind == "no-topic" else 40_000)
    # the matching alone (topics_of, not find_topics, which keeps its answer per library):
    # building the library is not what is measured
    assert_linear(lambda n: partial(topics_of_library, titled_library(kind, n)), 10_000)


def topics_of_library(library) -> list:
    return topics_of(appearances(library.meetings))


# --- the markdown body -------------------------------------------------------------------

BODIES: dict[str, Callable[[int], str]] = {
    "items": lambda n: "".join(
        f"## {i + 1}. Item {i + 1}\n\nText of item {i + 1}.\n\n" for i in range(n)
    ),
    "paragraphs": lambda n: "## 1. Long\n\n" + "".join(f"Paragraph {i}.\n\n" for i in range(n)),
    "table-columns": lambda n: (
        "## 1. Table\n\n| " + " | ".join(f"c{i}" for i in range(n)) + " |\n|" + "---|" * n + "\n"
    ),
    # one decision running on over many lines: 100,000 lines took 17 s, 200,000 79 s
    "decision-lines": lambda n: (
        "## 1. Item\n\n### Decisions\n\n- A decision\n"
        + "".join(f"  that goes on {i}\n" for i in range(n))
    ),
}


@pytest.mark.parametrize(("kind", "n"), [("items", 100_000), ("paragraphs", 100_000),
                                         ("table-columns", 30_000), ("decision-lines", 200_000)])  # fmt: skip
def test_a_huge_body_is_read_in_linear_time(kind, n):
    elapsed, parsed = timed(lambda: records.parse_text(meeting_file(BODIES[kind](n)), "big.md"))
    assert elapsed < BUDGET
    assert parsed.ok, parsed.problems[:1]
    items = parsed.document.items
    assert len(items) == (n if kind == "items" else 1)
    if kind == "decision-lines":
        assert items[0].decisions[0].endswith(f"that goes on {n - 1}")
    assert_linear(lambda k: lambda: records.parse_text(meeting_file(BODIES[kind](k)), "x"), n // 4)


def test_merging_two_files_of_20000_decisions_is_linear():
    def files(n: int) -> list[Document]:
        decisions = [f"Decision {i}" for i in range(n)]
        return [
            Document(
                path=f"{kind}.md",
                board="B",
                date="2021-06-01",
                kind=kind,
                items=[Item(number="1", title="T", decisions=list(decisions))],
            )
            for kind in ("minutes", "agenda")
        ]

    elapsed, library = timed(lambda: build(files(20_000)))
    assert elapsed < BUDGET
    assert len(library.meetings[0].items[0].decisions) == 20_000  # both files give the same
    assert_linear(lambda n: lambda: build(files(n)), 10_000)


# --- names with brackets -----------------------------------------------------------------


def test_a_name_of_300000_brackets_is_checked_quickly(tmp_path):
    # 23 s in `check` before: the bracket pattern rescanned the name from every "("
    extra = 'attendance:\n  - name: "Cllr Ann Smith ' + "(" * 300_000 + '"\n    status: present\n'
    (tmp_path / "big.md").write_text(meeting_file("## 1. Item\n\nText.\n", extra))
    elapsed, result = timed(lambda: CliRunner().invoke(cli, ["check", str(tmp_path)]))
    assert elapsed < BUDGET
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output
    assert person_key("Cllr Ann Smith (sub) MBE") == "ann-smith"
    assert_linear(lambda n: lambda: drop_brackets("(" * n + "x"), 200_000)


@pytest.mark.parametrize(
    "text",
    ["Ann (sub) Smith (Chair)", "((a) b)", "a (b", "a) (b) c)", "", "(((", ")))", "(x)(y)"],
)
def test_brackets_are_dropped_as_the_pattern_did(text):
    assert drop_brackets(text) == re.sub(r"\([^)]*\)", " ", text)


# --- the numbers of a KPI cell -----------------------------------------------------------


def test_a_kpi_cell_of_40000_numbers_is_read_in_linear_time():
    # 169 s in `import` before: each number copied and searched all the text before it
    def cell(n: int) -> str:
        return "Support " + " ".join(str(i % 900 + 1) for i in range(n)) + " councils"

    elapsed, value = timed(lambda: target_value(cell(40_000)))
    assert elapsed < BUDGET
    assert value == (None, None)  # many different counts: no value, never a guess
    elapsed, actual = timed(lambda: actual_value(cell(40_000), "council"))
    assert elapsed < BUDGET
    assert actual == (40_000 - 4) % 900 + 1  # the first count with "councils" in 4 words
    assert_linear(lambda n: lambda: actual_value(cell(n), "council"), 10_000)


SEED = Path(__file__).parents[1] / "fixtures" / "seeds" / "004_abf6ce4ef9784f3b.txt"


def test_an_agenda_pack_with_40000_numbers_in_a_kpi_cell_imports(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    numbers = " ".join(str(i % 1000 + 1) for i in range(40_000))
    cell = "E4\tProvide change of control support to 20 councils."
    assert cell in text
    pack = tmp_path / "pack.txt"
    pack.write_text(text.replace(cell, cell.replace("20", numbers)), encoding="utf-8")
    out = tmp_path / "out"
    elapsed, result = timed(
        lambda: CliRunner().invoke(cli, ["import", str(pack), "--out", str(out)])
    )
    assert elapsed < BUDGET
    assert result.exit_code == 0, result.output
    (kpis,) = out.glob("*-kpis.md")
    assert "Provide change of control support to 1 2 3" in kpis.read_text(encoding="utf-8")


# --- patterns on a long run of blanks or brackets ---------------------------------------

N = 100_000
PATTERNS: dict[str, Callable[[], object]] = {
    "decisions heading": lambda: moderngov_text._BLOCK_HEAD.match("Decisions" + " " * N + "x"),
    "resolved": lambda: moderngov_text._RESOLVED.match(" " * N + "x"),
    "note title": lambda: moderngov_text.NOTE_TITLE.match("Note of the " + " " * N),
    "note title, many lines": lambda: moderngov_text.looks_like(" \n" * N),
    "next meeting": lambda: moderngov_text._NEXT.search("Date of next meeting" + "\n" * N),
    "pages": lambda: agenda_pack._PAGES.match("1" + " " * N + "x"),
    "political group": lambda: pack_people._GROUP.match("A" + " " * N + "x"),
    "agenda pack": lambda: agenda_pack.looks_like(" \n" * N),
    "escaped tags": lambda: htmltext.unescape_twice("&lt;" + " " * N),
    "conditional comments": lambda: htmltext.to_markdown("<![if " * N),
    "unclosed tags": lambda: htmltext.to_markdown("<a " * N),
    "unclosed attributes": lambda: htmltext.to_markdown("<a b='" * N),
    "unclosed comments": lambda: htmltext.to_markdown("<!-- <a>" * N),
    "open role": lambda: pack_people._open_bracket("Cllr A " + "(" * N),
    "closing role": lambda: pack_people._closing_bracket("Cllr A " + "(" * N + ")"),
}


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_pattern_backtracks_on_a_long_run(name):
    # each took minutes (or for ever) at this size: nested or adjacent quantifiers over blanks
    elapsed, _ = timed(PATTERNS[name])
    assert elapsed < 2.0, name


def test_the_linear_patterns_find_what_they_did():
    assert moderngov_text._BLOCK_HEAD.match(" **Decisions:** ").group("word") == "Decisions"
    assert moderngov_text._RESOLVED.match("RESOLVED: that it be noted").group("rest") == (
        "that it be noted"
    )
    m = moderngov_text.NOTE_TITLE.match("Note of the last Improvement Board meeting")
    assert m.group("board") == "Improvement Board"
    assert agenda_pack._PAGES.match(" 3 - 10 ").groups() == ("3", "10")
    assert pack_people._GROUP.match("Labour Group  (12)").group("group").strip() == "Labour Group"
    assert htmltext.to_markdown("a<![if !x]>b<![endif]>c") == "ac"
    assert htmltext.to_markdown("<p>a <b>b</b><!-- c < d --></p><p>1 < 2 <i>x</i></p>") == (
        "a **b**\n\n1 < 2 x"
    )
    assert pack_people._open_bracket("Cllr A (Chair") == 7
    assert pack_people._closing_bracket("Cllr A (a) (Chair) ") == 11


# --- the browser -------------------------------------------------------------------------

SCREENS: dict[str, tuple[str, int]] = {
    "items": ("items", 40_000),  # 132 s (by topic) and 266 s (by item look-up) to open one
    "paragraphs": ("paragraphs", 20_000),  # 61 s
    "table-columns": ("table-columns", 3_000),  # 170 s and 5.8 GB
}


@pytest.mark.parametrize("case", sorted(SCREENS))
async def test_the_browser_opens_an_item_of_a_huge_meeting(case, make_app, tmp_path):
    kind, n = SCREENS[case]
    root = tmp_path / "meetings"
    root.mkdir()
    (root / "big.md").write_text(meeting_file(BODIES[kind](n)), encoding="utf-8")
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        start = time.perf_counter()
        app.open_item("2021-06-01-big-board", "1")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        text = screen_text(app)
        elapsed = time.perf_counter() - start
        assert elapsed < 2 * BUDGET, elapsed
        minute = app.screen.query_one("#minute")
        widgets = list(minute.query(Markdown)) + list(minute.query(".report-text"))
        assert widgets, "the minute is shown"
        if case == "items":
            assert "taken 1st of 40000" in text
            app.pop_screen()
            start = time.perf_counter()
            app.open_meeting("2021-06-01-big-board")
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, MeetingScreen)
            assert app.screen.query_one("#items").row_count == 40_000
            assert time.perf_counter() - start < 2 * BUDGET
            return
        else:  # too much for a widget per block: one Static with Rich's rendering
            assert not minute.query(Markdown)
            assert isinstance(minute.query_one(".report-text"), Static)
        if case == "paragraphs":
            (cut,) = minute.query(".cut")
            said = str(cut.render())
            assert "more characters are not shown" in said
            assert "big.md, line 8" in said


def test_the_shown_text_limit_is_the_documented_one():
    doc = (Path(__file__).parents[2] / "docs" / "format.md").read_text(encoding="utf-8")
    assert longtext.SHOWN_CHARS == 100_000
    assert "The browser shows the first 100,000 characters of one text" in " ".join(doc.split())


def test_a_long_text_is_cut_at_a_paragraph_and_says_how_much_is_left():
    text = "".join(f"Paragraph {i}.\n\n" for i in range(20_000))
    shown, left = longtext.shown(text)
    assert len(shown) <= longtext.SHOWN_CHARS
    assert shown.endswith(".") and text.startswith(shown)
    assert left == len(text) - len(shown) > 0
    assert longtext.shown("short") == ("short", 0)
    assert longtext.heavy("| a " * 50 + "|")
    assert not longtext.heavy("| a | b |\n|---|---|\n| 1 | 2 |")
