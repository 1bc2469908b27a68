"""The action tracker's reading: owners, due dates and statuses from the text as written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from browse_support import attendee, doc, item

from tuibrowser.actions import (
    Action,
    due_of,
    owner_of,
    read_actions,
    select,
    sorted_actions,
)
from tuibrowser.library import build
from tuibrowser.model import Item, Meeting
from tuibrowser.store import open_library

HW_MINUTE = "The Chair invited Heather Wills (HW), Principal Adviser Improvement, to introduce it."


@pytest.mark.parametrize(
    "text, owner",
    [
        ("Brian Reynolds will distribute a brochure to board members.", "Brian Reynolds"),
        ("Officers to circulate the slides.", "Officers"),
        ("Officer to explore arranging a woman's weekender event.", "Officer"),
        ("The Member Services Officer will check the attendance list.", "Member Services Officer"),
        ("Each political group will identify members who are interested.", "Each political group"),
        ("Cllr Judi Billing agreed to write to the Minister.", "Cllr Judi Billing"),
        ("The Chief Executive undertook to report back.", "Chief Executive"),
        ("Officers are to **circulate** the dates.", "Officers"),
        ("Circulate the slides to members (Action: Officers).", "Officers"),
        ("Circulate the slides to members. Action: Dennis Skinner", "Dennis Skinner"),
        ("Circulate the slides to members.", None),
        ("Send the report to the Minister [action: JW]", "JW"),
        # no doer named: passive, or a request
        ("Board Members to be invited to express an interest.", None),
        ("It was **agreed** that slides would be circulated to members.", None),
        ("The Chairman requested that the dates be circulated to Members after the Board", None),
        ("Slides would be circulated to members.", None),
        ("", None),
    ],
)
def test_owner_as_written(text, owner):
    assert owner_of(text) == owner


def _meeting(attendance=(), items=()) -> Meeting:
    lib = build([doc("2023-07-21", items, attendance)])
    return lib.meetings[0]


@pytest.mark.parametrize(
    "text, minute, names, owner",
    [
        # a speaker introduced with initials in the item
        ("HW to circulate the framework map.", HW_MINUTE, [], "Heather Wills"),
        ("Draft the response (HW).", HW_MINUTE, [], "Heather Wills"),
        ("Action: HW", HW_MINUTE, [], "Heather Wills"),
        # else the one attendee with those initials (titles and honours left out)
        ("AB will write to the Minister.", "", ["Cllr Abi Brown", "Cllr Liz Green"], "Abi Brown"),
        ("PS to follow up.", "", ["Mr Philip Sellwood CBE"], "Philip Sellwood"),
        # two attendees share them, or none has them: the initials as written
        ("PT to follow up.", "", ["Cllr Phil Twiss", "Mayor Peter Taylor"], "PT"),
        ("ZZ to follow up.", "", ["Cllr Abi Brown"], "ZZ"),
    ],
)
def test_initials_are_resolved_against_speakers_and_attendees(text, minute, names, owner):
    it = item("5", "Assurance Framework", minute, actions=[text])
    m = _meeting([attendee(n) for n in names], [it])
    assert owner_of(text, m.items[0], m) == owner


def test_initials_of_a_speaker_in_another_item_of_the_meeting():
    first = item("4", "Oflog", HW_MINUTE)
    second = item("5", "Assurance", "Members discussed it.", actions=["HW to follow up."])
    m = _meeting(items=[first, second])
    assert owner_of("HW to follow up.", m.items[1], m) == "Heather Wills"


@pytest.mark.parametrize(
    "text, held, due",
    [
        ("Officers to report by 5 April 2024.", "2024-03-01", "2024-04-05"),
        ("Officers to report by 5th April 2024.", "2024-03-01", "2024-04-05"),
        ("Officers to report by April 5, 2024.", "2024-03-01", "2024-04-05"),
        ("Officers to report by 2024-04-05.", "2024-03-01", "2024-04-05"),
        ("Report to the Executive on Thursday 21 January.", "2016-01-19", "2016-01-21"),
        ("Report on Thu 21 Jan.", "2016-01-19", "2016-01-21"),
        # no year, and the day already past at the meeting: next year's
        ("Report by 10 January.", "2016-01-19", "2017-01-10"),
        # the weekday picks the year it names (21 January 2017 was a Saturday)
        ("Report on Saturday 21 January.", "2016-01-19", "2017-01-21"),
        ("Report by the end of August.", "2023-07-21", "2023-08-31"),
        ("Report by the end of February.", "2023-07-21", "2024-02-29"),
        # a date before the meeting is a reference, not a due date
        ("Circulate the minutes of 26 May 2023.", "2023-07-21", None),
        ("Circulate the minutes of 26 May 2023 by 1 September.", "2023-07-21", "2023-09-01"),
        ("Officers to proceed with work.", "2023-07-21", None),
        ("Report by 31 February 2024.", "2023-07-21", None),
        ("Report by the next meeting.", "2023-07-21", None),
    ],
)
def test_due_dates_read_against_the_meeting_date(text, held, due):
    assert due_of(text, held) == due


def test_the_next_meeting_is_a_due_date_when_the_record_gives_it():
    assert due_of("Report back to the next meeting.", "2023-07-21", "2023-10-12") == "2023-10-12"


def _tracker(later_items, later_date="2023-10-12", board="Test Board"):
    first = doc(
        "2023-07-21",
        [
            item(
                "5",
                "One Public Estate",
                "Brian Reynolds (BR) introduced the programme.",
                actions=["Brian Reynolds will distribute a brochure on the housing pilots."],
            )
        ],
    )
    return read_actions(build([first, doc(later_date, later_items, board=board)]))


@pytest.mark.parametrize(
    "later, status, reason",
    [
        (
            [item("2", "Matters arising", "The housing pilots brochure had been circulated.")],
            "done",
            "matters arising",
        ),
        (
            [item("3", "Housing", "Brian Reynolds reported on the brochure and housing pilots.")],
            "mentioned",
            "owner reported back",
        ),
        (
            [item("4", "One Public Estate update", "The housing pilots went on; brochure next.")],
            "mentioned",
            "same topic",
        ),
        ([item("4", "Finance", "Members noted the budget.")], "open", None),
        # a word or two in common with an unrelated item is not a reference
        ([item("4", "Finance", "A brochure on finance.")], "open", None),
    ],
)
def test_status_from_a_later_meeting_with_the_evidence(later, status, reason):
    [a] = _tracker(later)
    assert a.status == status
    if reason is None:
        assert a.evidence is None
    else:
        assert a.evidence is not None
        assert (a.evidence.reason, a.evidence.date, a.evidence.item) == (
            reason,
            "2023-10-12",
            later[0].number,
        )
        assert a.evidence.sentence in later[0].minute


def test_an_earlier_meeting_or_another_board_is_no_evidence():
    later = [item("2", "Matters arising", "The housing pilots brochure had been circulated.")]
    assert _tracker(later, later_date="2023-01-01")[0].status == "open"
    assert _tracker(later, board="Another Board")[0].status == "open"


def _a(status="open", due=None, owner=None, date="2023-01-01") -> Action:
    return Action("x", "m", date, "B", "1", "t", owner=owner, due=due, status=status)


def test_overdue_first_then_open_by_due_then_mentioned_then_done():
    today = dt.date(2024, 1, 1)
    acts = [
        _a("done", due="2023-02-01"),
        _a("mentioned"),
        _a("open"),
        _a("open", due="2024-06-01"),
        _a("open", due="2023-12-01", owner="B"),
        _a("open", due="2023-06-01", owner="A"),
    ]
    got = [(a.status, a.due, a.overdue(today)) for a in sorted_actions(acts, today)]
    assert got == [
        ("open", "2023-06-01", True),
        ("open", "2023-12-01", True),
        ("open", "2024-06-01", False),
        ("open", None, False),
        ("mentioned", None, False),
        ("done", "2023-02-01", False),
    ]


def test_select_by_status_and_owner():
    acts = [_a("open", owner="Brian  Reynolds"), _a("done", owner="Officers"), _a("open")]
    assert len(select(acts, open_only=True)) == 2
    assert [a.owner for a in select(acts, owner="brian reynolds")] == ["Brian  Reynolds"]
    assert [a.owner for a in select(acts, open_only=True, owner="officers")] == []


def test_the_bundled_actions_have_owners_and_due_dates(corpus: Path, tmp_path):
    lib, _ = open_library(corpus, tmp_path / "c.json", public=False)
    acts = {(a.date, a.item, a.text[:20]): a for a in read_actions(lib)}
    brian = acts[("2016-01-19", "4", "Brian Reynolds will ")]
    assert brian.owner == "Brian Reynolds"
    assert brian.status == "mentioned" and brian.evidence is not None
    assert brian.evidence.title == "One Public Estate and Land Release Fund"
    exec_ = acts[("2016-01-19", "5", "Officers to report t")]
    assert (exec_.owner, exec_.due, exec_.status) == ("Officers", "2016-01-21", "open")
    assert exec_.overdue(dt.date(2016, 2, 1))
    assert acts[("2018-03-22", "7", "Officer to explore a")].owner == "Officer"


def test_actions_of_an_item_keep_their_order_and_text():
    it = Item("1", "T", actions=["B to do one.", "C to do two."])
    [m] = build([doc("2023-01-01", [it])]).meetings
    assert [a.text for a in read_actions(build([doc("2023-01-01", [it])]))] == it.actions
    assert m.items[0].actions == ["B to do one.", "C to do two."]


def test_status_reads_a_few_later_meetings_not_all_of_them():
    """Each action is looked for in the next meetings only (and each meeting's sentences are
    read once): 250 meetings of 7 actions each, whose words every later sentence shares but
    which no meeting refers back to, took 35 s when every later meeting was read
    for every action; a generous budget guards against that."""
    import time

    words = "housing estate brochure pilots planning finance budget transport".split()

    def sentence(n: int) -> str:
        return " ".join(words[(n + k) % len(words)] for k in range(8)).capitalize() + "."

    docs = []
    for i in range(250):
        date = (dt.date(2000, 1, 1) + dt.timedelta(days=7 * i)).isoformat()
        items = [
            item(
                str(k),
                "Any other business",
                " ".join(sentence(i + k + n) for n in range(8)),
                actions=[f"Officers to review the {words[k]} {words[k - 1]} plans."],
            )
            for k in range(1, 8)
        ]
        docs.append(doc(date, items))
    lib = build(docs)
    start = time.perf_counter()
    acts = read_actions(lib)
    took = time.perf_counter() - start
    assert len(acts) == 1750
    assert all(a.status == "open" for a in acts)
    assert took < 20, f"{took:.1f} s"
