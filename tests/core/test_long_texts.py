"""``check`` warns of every item text the browser will not show whole.

The browser shows the first ``limits.SHOWN_CHARS`` characters of one text; whatever a command
would not show as written is something ``check`` reports, with the file and line of the item.
Each case puts one text of an item just over (and just at) the limit, and compares what
``check`` says with what the browser's own rule (``longtext.shown``) does to that text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tuibrowser import limits
from tuibrowser.cli import cli
from tuibrowser.model import Item
from tuibrowser.records import parse_text
from tuibrowser.tui import longtext
from tuibrowser.tui.screens.item import bullets

NAME = "2022-03-01-board-minutes.md"
HEAD = "---\nboard: Board\ndate: '2022-03-01'\nkind: {kind}\n---\n## 1. Opening\n\nWelcome.\n\n"

# name in the warning → (kind of document, the item's body, the text the browser shows)
PLACES: dict[str, tuple[str, str, Callable[[Item], str]]] = {
    "minute": ("minutes", "## 2. Long\n\n{w}\n", lambda it: it.minute),
    "decisions": (
        "minutes",
        "## 2. Long\n\nText.\n\n### Decisions\n\n- Agreed.\n- {w}\n",
        lambda it: bullets(it.decisions),
    ),
    "actions": (
        "minutes",
        "## 2. Long\n\nText.\n\n### Actions\n\n- {w}\n",
        lambda it: bullets(it.actions),
    ),
    "editor's note": (
        "minutes",
        "## 2. Long\n\nText.\n\n### Editor's note\n\n{w}\n",
        lambda it: it.note or "",
    ),
    "purpose": (
        "agenda",
        "## 2. Long\n\n### Purpose\n\n{w}\n",
        lambda it: it.report.purpose or "" if it.report else "",
    ),
    "recommendation": (
        "agenda",
        "## 2. Long\n\n### Purpose\n\nShort.\n\n### Recommendation\n\n{w}\n",
        lambda it: it.report.recommendation or "" if it.report else "",
    ),
    "report": (
        "agenda",
        "## 2. Long\n\n### Purpose\n\nShort.\n\n### Background\n\n{w}\n",
        lambda it: it.report.text if it.report else "",
    ),
}


def text_of(place: str, word: str) -> str:
    kind, body, _ = PLACES[place]
    return HEAD.format(kind=kind) + body.format(w=word)


def shown_text(place: str, text: str) -> str:
    """The text of item 2 the browser passes to ``longtext.views``."""
    parsed = parse_text(text, NAME)
    assert parsed.document is not None, parsed.problems
    return PLACES[place][2](parsed.document.items[1])


def sized(place: str, length: int) -> str:
    """The file whose text at ``place`` is ``length`` characters long as the browser shows it."""
    extra = len(shown_text(place, text_of(place, "x"))) - 1
    text = text_of(place, "x" * (length - extra))
    assert len(shown_text(place, text)) == length
    return text


def check(root: Path, *args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["check", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.output.splitlines()


@pytest.mark.parametrize("over", [1, 0])
@pytest.mark.parametrize("place", list(PLACES))
def test_check_warns_of_a_text_the_browser_cuts(place, over, tmp_path):
    length = limits.SHOWN_CHARS + over
    (tmp_path / NAME).write_text(sized(place, length), encoding="utf-8")
    code, lines = check(tmp_path)
    warned = [line for line in lines if "characters long" in line]
    cut = longtext.shown(shown_text(place, (tmp_path / NAME).read_text(encoding="utf-8")))[1]
    assert bool(warned) == bool(cut) == bool(over), (warned, cut)
    assert code == 0  # a warning: the file, the cache and the exports keep the text whole
    if over:
        # the file and the line of the item's heading, the text, and how long it is
        line = (tmp_path / NAME).read_text(encoding="utf-8").splitlines().index("## 2. Long") + 1
        assert warned == [
            f"{NAME}:{line}: warning: the {place} of item 2 is {length:,} characters long: "
            f"the browser shows its first {limits.SHOWN_CHARS:,} "
            "('tuibrowser export' gives it whole)"
        ]
        assert "1 warning" in lines[-1]
        assert check(tmp_path, "--strict")[0] == 1


def test_the_texts_of_two_documents_are_counted_as_the_browser_shows_them_merged(tmp_path):
    # Two minutes of one meeting: the browser shows both texts of item 2 as one.
    half = "y" * (limits.SHOWN_CHARS // 2 + 10)
    for name in (NAME, NAME.replace("minutes", "minutes-2")):
        (tmp_path / name).write_text(text_of("minute", half + name[-6]), encoding="utf-8")
    code, lines = check(tmp_path)
    assert any(": warning: the minute of item 2 is " in line for line in lines), lines


def test_the_browser_and_check_use_one_limit():
    assert longtext.SHOWN_CHARS is limits.SHOWN_CHARS
