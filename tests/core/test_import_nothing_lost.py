"""Nothing lost: text the importer cannot place is kept (the nearest item, or a 'Notes'
section, with a warning), so a word added anywhere in an export is in what is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuibrowser.importers import decode, import_text
from tuibrowser.records import parse_text
from tuibrowser.writer import render

SEEDS = sorted((Path(__file__).parents[1] / "fixtures" / "seeds").glob("*.txt"))
WORD = "Quizzaciously"
LINES = {p.name: decode(p.read_bytes(), []).split("\n") for p in SEEDS}


def written(text: str, name: str = "seed.txt") -> str:
    """Everything the import of ``text`` would write, as it reads back from the files."""
    r = import_text(text, name)
    assert r.ok, r.error
    out = []
    for d in r.documents:
        body = render(d.document)
        assert parse_text(body, "x.md").document is not None
        out.append(body)
    return "\n".join(out)


def test_no_seed_has_the_word():
    assert not any(WORD in "\n".join(lines) for lines in LINES.values())


def test_a_paragraph_after_the_attendance_appendix_is_kept_in_the_notes():
    text = "\n".join(LINES[SEEDS[0].name]) + f"\n\nSigned by the Chairman {WORD} on 16 July 2018\n"
    r = import_text(text, "000.txt")
    [doc] = [d.document for d in r.documents]
    notes = next(s for s in doc.sections if s.title == "Notes")
    assert f"Signed by the Chairman {WORD} on 16 July 2018" in notes.text
    assert any("kept under 'Notes'" in w and "Signed by the Chairman" in w for w in r.warnings)
    assert len(doc.attendance) == 23  # the attendees are all still there
    assert WORD in written(text)


@pytest.mark.parametrize("seed", [p.name for p in SEEDS])
def test_a_line_inserted_anywhere_is_kept(seed):
    lines = LINES[seed]
    examples = 12 if len(lines) > 1000 else 40

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.integers(min_value=0, max_value=len(lines)))
    def check(at):
        text = "\n".join([*lines[:at], WORD, *lines[at:]])
        assert WORD in written(text), f"line {at}"

    check()


@pytest.mark.parametrize("seed", [p.name for p in SEEDS])
def test_a_word_added_to_the_end_of_any_line_is_kept(seed):
    lines = LINES[seed]
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    examples = 12 if len(lines) > 1000 else 40

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(filled))
    def check(at):
        changed = list(lines)
        changed[at] = f"{changed[at]} {WORD}"
        assert WORD in written("\n".join(changed)), f"line {at}: {lines[at][:60]!r}"

    check()


PACK_LINES = [
    "(Observer)\t",  # membership: a role on its own line
    "Janet Blake\tYes\tYes\tYes",  # attendance record: a mark
    "Lead Peers\t100\t100\t100",  # attendance record: a heading with values
    "\tItem\tPage",  # the agenda table's header
    "4.\tProductivity programme\t15 - 28",  # an agenda row's pages
    "\tPart 2: Confidential\t",  # the Part 2 heading
    "Question\t2012\t2013",  # the survey table
    "Project/ programme\tOutputs as at March 2018",  # the outputs table
    "\tTotal\tGreen\tAmber\tRed",  # the stated summary table
    "\tSector-led support, improvement and innovation",  # the KPI table's heading
    "E1\tDeliver at least 110",  # a KPI row's rating cell
    "\trefreshing the annual national shared services",  # a KPI row's continuation
    "Agenda Item 5",  # page furniture
    "24 May 2018",  # page furniture
    "------\t--",  # the rule under the KPI table
]


@pytest.mark.parametrize("start", PACK_LINES)
def test_a_word_after_a_table_cell_or_page_furniture_of_the_pack_is_kept(start):
    lines = list(LINES[SEEDS[4].name])
    at = next(i for i, ln in enumerate(lines) if ln.startswith(start))
    lines[at] = f"{lines[at]} {WORD}"
    assert WORD in written("\n".join(lines))


@pytest.mark.parametrize(
    ("after", "lines_after"),
    [
        ("Board Attendance 2017-2018", 2),  # between the record's title and its header row
        ("Note of the Previous Meeting", 2),  # under an agenda item whose report is a note
    ],
)
def test_text_the_property_found_lost_is_kept(after, lines_after):
    # Found by the property above, a few positions in fifteen hundred: a line between an
    # attendance record's title and its header was taken as read, and an agenda item's
    # description was dropped when its report was the note of a previous meeting.
    lines = LINES["004_abf6ce4ef9784f3b.txt"]
    line = next(i for i, ln in enumerate(lines) if after in ln)
    for at in range(line + 1, line + 1 + lines_after):
        text = "\n".join([*lines[:at], WORD, *lines[at:]])
        assert WORD in written(text), f"line {at}"
