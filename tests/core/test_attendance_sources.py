"""Attendance conflicts: where two lists of one meeting disagree, both are kept and shown,
with the source of each, in the counts, the export and the bundled 2018-03-22 meeting."""

from __future__ import annotations

import orjson
import pytest

from tuibrowser import attendance_sources, attendance_stats
from tuibrowser.export import to_json
from tuibrowser.library import build
from tuibrowser.model import Attendee, Document
from tuibrowser.store import read_files

NOTE = "m/2018-03-22-b-minutes.md"
RECORD = "m/2018-03-22-b-attendance.md"


def _meeting(note: list[Attendee], record: list[Attendee]):
    docs = [
        Document(path=NOTE, board="B", date="2018-03-22", kind="minutes", attendance=note),
        Document(path=RECORD, board="B", date="2018-03-22", kind="attendance", attendance=record),
    ]
    lib = build(docs)
    [m] = lib.meetings
    return lib, m


@pytest.mark.parametrize(
    ("in_note", "in_record", "conflict"),
    [
        (None, "present", True),  # the record marks "Yes", the note does not name them
        ("present", None, True),
        ("present", "absent", True),
        ("apologies", "present", True),
        ("in_attendance", "absent", True),
        ("present", "present", False),
        ("apologies", "absent", False),  # a "No" cannot tell apologies from absence
        ("present", "in_attendance", False),  # both say they were there
        ("in_attendance", None, False),  # a guest is not a record's to name
        (None, "apologies", False),
        (None, "absent", False),
    ],
)
def test_two_lists_disagree_only_when_one_says_attended_and_the_other_not(
    in_note, in_record, conflict
):
    others = [Attendee("Cllr Other Person", "present")]
    note = others + ([Attendee("Cllr Liz Green", in_note)] if in_note else [])
    record = others + ([Attendee("Liz Green", in_record)] if in_record else [])
    _, m = _meeting(note, record)
    found = attendance_sources.conflicts(m)
    assert bool(found) is conflict
    if conflict:
        [c] = found
        assert c.person == "liz-green" and c.name == "Liz Green"
        assert [(s.path, s.status, s.counted) for s in c.sources] == [
            (NOTE, in_note, True),
            (RECORD, in_record, False),
        ]
        assert c.counted == in_note


def test_one_list_is_no_conflict_and_keeps_no_copy():
    lib = build([Document(path="a.md", board="B", date="2018-03-22",
                          attendance=[Attendee("A", "present")])])  # fmt: skip
    [m] = lib.meetings
    assert m.attendance_sources == [] and attendance_sources.conflicts(m) == []


def test_the_bundled_2018_03_22_meeting_shows_both_sources(corpus):
    lib, _ = read_files(corpus)
    m = lib.meeting("2018-03-22-improvement-innovation-board")
    assert sum(a.status == "present" for a in m.attendance) == 18  # the note, as counted
    [record] = [s for s in m.attendance_sources if s.kind == "attendance"]
    assert sum(a.status == "present" for a in record.attendance) == 20  # "Yes" in the record
    found = attendance_sources.conflicts(m)
    assert [c.name for c in found] == ["Liz Green", "Phelim MacCafferty"]
    text = attendance_sources.describe(found[0])
    assert "2018-03-22-improvement-innovation-board-minutes.md) not listed (counted)" in text
    assert (
        "attendance record (2018-03-22-improvement-innovation-board-attendance.md) present" in text
    )


def test_a_persons_counts_carry_the_conflicts(corpus):
    lib, _ = read_files(corpus)
    people = {p.key: p for p in attendance_stats.attendance(lib)}
    liz = people["liz-green"]
    [c] = liz.conflicts
    assert c.date == "2018-03-22" and c.counted is None
    assert liz.counts["present"] == sum(
        1 for a in lib.people["liz-green"].meetings if a.status == "present"
    )  # the counts stay the counted source's; the conflict is shown beside them
    assert people["phelim-maccafferty"].conflicts[0].sources[1].status == "present"
    assert not people["paul-bettison"].conflicts


def test_the_export_carries_the_conflict(corpus):
    lib, _ = read_files(corpus)
    data = orjson.loads(to_json(lib))
    [m] = [m for m in data["meetings"] if m["date"] == "2018-03-22"]
    names = [c["name"] for c in m["attendance_conflicts"]]
    assert names == ["Liz Green", "Phelim MacCafferty"]
    sources = m["attendance_conflicts"][0]["sources"]
    assert [(s["kind"], s["status"], s["counted"]) for s in sources] == [
        ("minutes", None, True),
        ("attendance", "present", False),
    ]
    assert all(not x["attendance_conflicts"] for x in data["meetings"] if x["date"] != "2018-03-22")
