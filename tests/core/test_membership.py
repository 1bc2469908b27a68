"""Membership over time: roles and groups read as one whichever way they are printed, a group
in the authority column, role headings that are no groups, periods, and the bundled board."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuibrowser import attendance_sources, confidential
from tuibrowser import membership as ms
from tuibrowser.importers import import_file
from tuibrowser.library import build
from tuibrowser.model import Attendee, Document, Member
from tuibrowser.store import read_files


@pytest.mark.parametrize(
    ("printed", "role"),
    [
        ("Deputy-chairman", "Deputy Chair"),
        ("Deputy Chair", "Deputy Chair"),
        ("Deputy-chair", "Deputy Chair"),
        ("Deputy-Chair", "Deputy Chair"),
        ("deputy  chairman", "Deputy Chair"),
        ("(Deputy Chair)", "Deputy Chair"),
        ("Chairman", "Chair"),
        ("Chair", "Chair"),
        ("Vice-Chairman", "Vice-Chair"),
        ("Vice Chair", "Vice-Chair"),
        ("Vice-Chair", "Vice-Chair"),
        ("Lead Peers", "Lead Peer"),
        ("Lead Peer", "Lead Peer"),
        ("Substitutes / Observers", "Substitute / Observer"),
        ("Substitute/Observer", "Substitute / Observer"),
        ("Observers", "Observer"),
        ("Independent Observer", "Independent Observer"),
        ("Member", "Member"),
        ("Portfolio Holder", "Portfolio Holder"),  # unknown: kept as printed
    ],
)
def test_a_role_printed_any_way_is_one_role(printed, role):
    assert ms.role_name(printed) == role


@pytest.mark.parametrize("printed", [None, "", "   "])
def test_no_role_is_none(printed):
    assert ms.role_name(printed) is None


@pytest.mark.parametrize(
    ("printed", "group"),
    [
        ("Labour", "Labour"),
        ("Labour Group", "Labour"),
        ("Conservative Group", "Conservative"),
        ("Conservative", "Conservative"),
        ("Lib Dem Group", "Liberal Democrat"),
        ("Liberal Democrat", "Liberal Democrat"),
        ("LGA Independent Group", "Independent"),
        ("Independent", "Independent"),
        ("Plaid Cymru Group", "Plaid Cymru"),  # unknown: as printed, without "Group"
    ],
)
def test_a_group_printed_any_way_is_one_group(printed, group):
    assert ms.group_name(printed) == group


@pytest.mark.parametrize(
    ("role", "group", "authority", "placed"),
    [
        # a group printed in the authority column is a group, not an authority
        ("Member", None, "LGA Independent Group", ms.Placement("Member", "Independent", None)),
        (None, None, "Labour Group", ms.Placement(None, "Labour", None)),
        # a council is an authority, even one with "Independent" or "Group" in its name
        (
            "Member",
            None,
            "Independent Living Group Trust",
            ms.Placement("Member", None, "Independent Living Group Trust"),
        ),
        (
            "Member",
            "Labour",
            "Oxford City Council",
            ms.Placement("Member", "Labour", "Oxford City Council"),
        ),
        # headings that name roles are roles, not groups
        ("Member", "Lead Peers", None, ms.Placement("Lead Peer", None, None)),
        (None, "Substitutes / Observers", None, ms.Placement("Substitute / Observer", None, None)),
        ("Observer", "Observers", None, ms.Placement("Observer", None, None)),
        ("Lead Peer", "Lead Peers", None, ms.Placement("Lead Peer", None, None)),
        # a role printed in the authority column is the role
        (None, None, "Independent Observer", ms.Placement("Independent Observer", None, None)),
        # a record's own role stays when a heading says something less exact
        ("Chair", "Observers", None, ms.Placement("Chair", None, None)),
    ],
)
def test_group_authority_and_role_are_told_apart(role, group, authority, placed):
    assert ms.classify(role, group, authority) == placed


@pytest.mark.parametrize(
    ("date", "period"),
    [
        ("2017-11-01", "2017/18"),
        ("2018-03-22", "2017/18"),
        ("2018-05-24", "2017/18"),
        ("2023-07-21", "2022/23"),
        ("2023-08-01", "2023/24"),
        ("1999-12-31", "1999/00"),
    ],
)
def test_a_meeting_belongs_to_the_councils_year(date, period):
    assert ms.period_of(date) == period


@pytest.mark.parametrize(
    ("printed", "period"),
    [("2017/18", "2017/18"), ("2017/2018", "2017/18"), ("2017-18", "2017/18"),
     (" 2017 – 2018 ", "2017/18"), ("Spring 2018", "Spring 2018"), (None, None)],
)  # fmt: skip
def test_periods_are_written_one_way(printed, period):
    assert ms.period_name(printed) == period


def _lib(*docs: Document):
    return build(list(docs))


def test_the_list_and_attendance_records_make_one_row_per_person_and_period():
    agenda = Document(
        path="a.md", board="B", date="2018-05-24", kind="agenda",
        membership=[Member("Cllr Judi Billing MBE", "North Herts", "Labour", "Deputy Chair", "2017/18")],
    )  # fmt: skip
    record = Document(
        path="r.md", board="B", date="2018-03-22", kind="attendance",
        attendance=[Attendee("Judi Billing MBE", "present", "Member", group="Labour Group"),
                    Attendee("Phelim MacCafferty", "present", "Lead Peer", group="Lead Peers"),
                    Attendee("An Officer", "in_attendance")],
    )  # fmt: skip
    rows = ms.membership(_lib(agenda, record))
    by_name = {r.name: r for r in rows}
    assert set(by_name) == {"Judi Billing", "Phelim MacCafferty"}  # a guest is no member
    judi = by_name["Judi Billing"]
    assert (judi.period, judi.role, judi.group, judi.authority) == (
        "2017/18", "Deputy Chair", "Labour", "North Herts",
    )  # fmt: skip
    assert judi.source() == "list, 1 meeting"
    phelim = by_name["Phelim MacCafferty"]
    assert (phelim.role, phelim.group, phelim.source()) == ("Lead Peer", "", "1 meeting")


def test_the_bundled_board_2017_18(corpus):
    lib, _ = read_files(corpus)
    rows = [r for r in ms.membership(lib) if r.period == "2017/18"]
    by_name = {r.name: r for r in rows}
    assert by_name["Judi Billing"].role == "Deputy Chair"  # "Deputy Chair", "Deputy-chairman"
    assert by_name["Ron Woodley"].role == "Deputy Chair"
    assert by_name["Paul Bettison"].role == "Chair"  # "Chairman" on the list and in the note
    assert by_name["Phelim MacCafferty"].group == ""  # "Lead Peers" is no group
    assert by_name["Ian McCord"].role == "Substitute"
    groups = {r.group for r in rows}
    assert "Lead Peers" not in groups and "Substitutes / Observers" not in groups
    assert {"Conservative", "Labour", "Liberal Democrat", "Independent"} <= groups
    labour = [r.name for r in rows if ms.matches(r, "Labour")]
    assert "Judi Billing" in labour and "Paul Bettison" not in labour
    assert all(r.group == "Labour" for r in rows if ms.matches(r, "labour"))
    # the order: Chair, Vice-Chair, Deputy Chairs first
    assert [r.role for r in rows[:4]] == ["Chair", "Vice-Chair", "Deputy Chair", "Deputy Chair"]


def test_a_group_in_the_authority_column_of_the_bundled_2023_minutes(corpus):
    lib, _ = read_files(corpus)
    [haines] = [r for r in ms.membership(lib) if r.period == "2022/23" and r.name == "Mike Haines"]
    assert (haines.group, haines.authority) == ("Independent", "")


ROLE_WORDS = {
    "Chair": [["chair"], ["chairman"]],
    "Vice-Chair": [["vice", "chair"], ["vice", "chairman"]],
    "Deputy Chair": [["deputy", "chair"], ["deputy", "chairman"]],
    "Lead Peer": [["lead", "peer"], ["lead", "peers"]],
    "Independent Observer": [["independent", "observer"]],
}


@given(
    role=st.sampled_from(sorted(ROLE_WORDS)),
    pick=st.integers(min_value=0, max_value=1),
    joiners=st.lists(st.sampled_from([" ", "-", "  ", " - ", "‐"]), min_size=2, max_size=2),
    cases=st.lists(st.sampled_from(["lower", "upper", "title", "keep"]), min_size=2, max_size=2),
    outer=st.sampled_from(["", " ", "(", "\t"]),
)
def test_any_spelling_of_a_known_role_is_that_role(role, pick, joiners, cases, outer):
    """Case, hyphens, blanks, brackets and a plural never make a known role another one."""
    forms = ROLE_WORDS[role]
    words = forms[min(pick, len(forms) - 1)]
    cased = [getattr(w, c)() if c != "keep" else w for w, c in zip(words, cases, strict=False)]
    text = cased[0]
    for joiner, word in zip(joiners, cased[1:], strict=False):
        text += joiner + word
    closing = ")" if outer == "(" else outer
    assert ms.role_name(f"{outer}{text}{closing}") == role


def test_imported_seeds_give_the_same_membership_conflicts_and_confidential_items(corpus):
    """The seeds imported (not the hand-made files) give the same view of all three."""
    seeds = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
    docs = [d.document for f in sorted(seeds.glob("*.txt")) for d in import_file(f).documents]
    mine = build(docs)
    hand, _ = read_files(corpus)

    def view(lib):
        rows = {(r.period, r.person, r.role, r.group) for r in ms.membership(lib)}
        found = [
            (c.name, [s.status for s in c.sources])
            for m in lib.meetings
            for c in attendance_sources.conflicts(m)
        ]
        marked = [(e.meeting.date, e.item.number) for e in confidential.entries(lib.meetings)]
        return rows, found, marked

    rows, found, marked = view(mine)
    assert found == [("Liz Green", [None, "present"]), ("Phelim MacCafferty", [None, "present"])]
    assert marked == [("2018-05-24", "8")]
    hand_rows, hand_found, hand_marked = view(hand)
    assert (found, marked) == (hand_found, hand_marked)
    assert rows == hand_rows
