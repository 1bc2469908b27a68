"""A decision block with numbered resolutions is that many decisions, each with its lead-in."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuibrowser.body import parse_body
from tuibrowser.resolutions import split_entry
from tuibrowser.store import open_library

LEAD = "Improvement & Innovation Board:"


def decisions(block: str) -> list[str]:
    body = f"## 5. Assurance\n\nMinute.\n\n### Decisions\n\n{block}\n"
    _, items, _ = parse_body(body, 1, "m.md", [])
    return items[0].decisions


@pytest.mark.parametrize(
    "block",
    [
        # nested under a bullet (the bundled file), numbers with . or )
        f"- {LEAD}\n    1. Noted the report.\n    2. Agreed to delegate.",
        f"- {LEAD}\n    1) Noted the report.\n    2) Agreed to delegate.",
        # a lead-in paragraph, then numbered entries
        f"{LEAD}\n1. Noted the report.\n2. Agreed to delegate.",
        f"{LEAD}\n\n1) Noted the report.\n2) Agreed to delegate.",
        # run on in one line, as an export prints it
        f"{LEAD} 1) Noted the report. 2) Agreed to delegate.",
        f"- {LEAD} 1. Noted the report. 2. Agreed to delegate.",
        f"{LEAD} (1) Noted the report. (2) Agreed to delegate.",
    ],
)
def test_numbered_resolutions_are_decisions_each_with_its_lead_in(block):
    assert decisions(block) == [
        f"{LEAD} Noted the report.",
        f"{LEAD} Agreed to delegate.",
    ]


@pytest.mark.parametrize(
    "block, count",
    [
        # points that are not numbered are the parts of one resolution
        ("- The Board agreed that:\n    - a thing\n    - another", 1),
        # numbers that do not run 1, 2 are not resolutions
        (f"- {LEAD} noted paragraphs 3) and 4) of the report.", 1),
        ("- Agreed the report 1) as printed.", 1),
        # numbered decisions without a lead-in stay as they are, one each
        ("1. Members noted the report.\n2. Members agreed the plan.", 2),
        # a lead-in with a single numbered point is one decision
        (f"- {LEAD}\n    1. Noted the report.", 1),
        ("- Members noted the update.", 1),
    ],
)
def test_other_blocks_keep_their_count(block, count):
    assert len(decisions(block)) == count


def test_a_lead_in_paragraph_is_not_a_decision_of_its_own():
    got = decisions(f"{LEAD}\n1. Noted the report.\n2. Agreed.\n\n- Members thanked the officers.")
    assert got == [f"{LEAD} Noted the report.", f"{LEAD} Agreed.", "Members thanked the officers."]


@pytest.mark.parametrize("text", ["", "1) only", "Board: 2) then 1)", "a: 1) x 3) y"])
def test_split_entry_never_loses_text(text):
    assert split_entry(text) == [text]


def test_the_bundled_2023_07_21_item_5_has_two_decisions(corpus: Path, tmp_path):
    lib, _ = open_library(corpus, tmp_path / "c.json", public=False)
    item = lib.meeting("2023-07-21-improvement-innovation-board").item("5")
    assert [d.split(":")[0] for d in item.decisions] == [LEAD[:-1]] * 2
    assert item.decisions[0].endswith("incorporated into the work programme and next steps.")
    assert item.decisions[1].startswith(f"{LEAD} Agreed to delegate to Lead Members")


def test_every_view_counts_the_two_resolutions(corpus: Path, tmp_path):
    """The export, search and the decisions screen's list read the decisions the loader
    gives: two for item 5 of 2023-07-21, each with the lead-in."""
    import json

    from click.testing import CliRunner

    from tuibrowser.cli import cli
    from tuibrowser.search import run
    from tuibrowser.tui.screens.decisions import entries

    r = CliRunner().invoke(cli, ["export", str(corpus), "--no-cache"])
    [meeting] = [m for m in json.loads(r.stdout)["meetings"] if m["date"] == "2023-07-21"]
    [item5] = [it for it in meeting["items"] if it["number"] == "5"]
    assert len(item5["decisions"]) == 2
    lib, _ = open_library(corpus, tmp_path / "c.json", public=False)
    five = [
        e
        for e in entries(lib)
        if e.kind == "decision" and e.meeting.date == "2023-07-21" and e.item.number == "5"
    ]
    assert len(five) == 2
    hits = run(lib, '"Agreed to delegate to Lead Members"').hits
    assert any(h.field.startswith("decision") for h in hits), [h.field for h in hits]
