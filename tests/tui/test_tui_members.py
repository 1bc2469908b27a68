"""Pilot tests of membership over time, attendance conflicts on screen, the confidential items
and the marks of the meeting list (confidential, cancelled), also with ``--public``."""

from __future__ import annotations

import shutil
from pathlib import Path

from browse_support import HostApp, corpus_library, doc, item
from kpi_host import Host, corpus
from rich.console import Console
from rich.text import Text
from textual.widgets import DataTable, Static, TabbedContent
from tuihelp import ready, screen_text, table_rows

from tuibrowser import attendance_stats
from tuibrowser.library import build
from tuibrowser.tui.screens.confidential import ConfidentialScreen
from tuibrowser.tui.screens.decisions import DecisionsScreen, entries, parse_filters, select
from tuibrowser.tui.screens.meeting import MeetingScreen
from tuibrowser.tui.screens.membership import MembershipScreen
from tuibrowser.tui.screens.people import PeopleScreen, PersonScreen
from tuibrowser.tui.widgets import BrowseTable

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
MARCH = "2018-03-22-improvement-innovation-board"
CANCELLED = """---
board: Sample Board
date: "2019-12-01"
kind: minutes
cancelled: true
---

# Cancelled
"""


def folder_with_a_cancelled_meeting(tmp_path: Path) -> Path:
    root = tmp_path / "meetings"
    shutil.copytree(SAMPLE, root)
    (root / "2019-12-01-sample-board-minutes.md").write_text(CANCELLED, encoding="utf-8")
    return root


def static_text(widget: Static) -> str:
    content = widget.content
    return content.plain if isinstance(content, Text) else str(content)


async def test_the_meeting_list_marks_confidential_and_cancelled_meetings(make_app, tmp_path):
    app = make_app(folder_with_a_cancelled_meeting(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        table = app.screen.query_one("#meetings", BrowseTable)
        marks = {row[2]: row[1] for row in table_rows(table)}
        assert marks == {"2019-12-01": "X", "2019-09-01": " ", "2019-06-01": " ", "2019-03-01": "C"}
        status = static_text(app.screen.query_one("#status", Static))
        assert "C confid" in status and "X canc" in status  # the legend, also at 80 columns


async def test_the_marks_are_told_in_full_on_a_wide_terminal(make_app, tmp_path):
    app = make_app(folder_with_a_cancelled_meeting(tmp_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(app, pilot)
        status = static_text(app.screen.query_one("#status", Static))
        assert "C confidential items, X cancelled" in status


async def test_membership_opens_from_people_filters_by_group_and_opens_a_person(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, PeopleScreen)
        await pilot.press("ctrl+g")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MembershipScreen)
        await pilot.press(*"Labour")
        await pilot.pause()
        rows = table_rows(screen.query_one(BrowseTable))
        periods = [r for r in rows if r[0] == "2017/18"]
        people = [r for r in rows if r[0] != "2017/18"]
        assert periods and people
        assert all(r[2] == "Labour" for r in people)  # "Labour Group" and "Labour" are one
        assert "Judi Billing" in [r[0] for r in people]
        await pilot.press("enter", "home", "down", "enter")  # to the list, first person
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert app.screen.key == "judi-billing"


async def test_membership_reads_roles_and_groups_as_one():
    app = HostApp(corpus_library(), MembershipScreen)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        rows = table_rows(app.screen.query_one(BrowseTable))
        roles = {r[1] for r in rows}
        groups = {r[2] for r in rows}
        assert "Deputy Chair" in roles
        assert not roles & {"Deputy-chairman", "Deputy-chair", "Deputy-Chair", "Chairman"}
        assert not groups & {"Lead Peers", "Substitutes / Observers", "Labour Group"}
        [haines] = [r for r in rows if r[0] == "Mike Haines" and r[4] == "1 meeting"][:1]
        assert "LGA Independent Group" not in haines[3]


async def test_the_meeting_shows_both_attendance_records_with_their_sources():
    app = HostApp(corpus_library(), lambda lib: MeetingScreen(lib, MARCH))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        info = static_text(app.screen.query_one("#info", Static))
        assert "18 present" in info and "≠ 2 people recorded otherwise" in info
        rows = table_rows(app.screen.query_one("#attendance", BrowseTable))
        names = [r[0] for r in rows]
        assert "Records disagree (2)" in names
        liz = next(r for r in rows if r[0].startswith("Liz Green"))
        assert liz[0].endswith("≠") and liz[1] == "not listed (counted)"
        assert liz[2].startswith("present: attendance record")
        # the cursor on the row tells the whole of it, with both files
        table = app.screen.query_one("#attendance", BrowseTable)
        table.focus()
        table.move_cursor(row=names.index(liz[0]))
        await pilot.pause()
        heading = static_text(app.screen.query_one("#attendance-heading", Static))
        assert "2018-03-22-improvement-innovation-board-minutes.md) not listed" in heading
        assert "2018-03-22-improvement-innovation-board-attendance.md) present" in heading


async def test_a_persons_counts_show_the_other_record():
    app = HostApp(corpus_library(), lambda lib: PersonScreen(lib, "liz-green"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        rows = table_rows(app.screen.query_one(BrowseTable))
        [march] = [r for r in rows if r[0] == "2018-03-22"]
        assert march[1] == "Not listed ≠ Present (attendance record)"
        head = static_text(app.screen.query_one("#person-head", Static))
        assert "≠ 2018-03-22: minutes" in head


async def test_the_people_list_marks_a_person_the_records_disagree_about():
    app = HostApp(corpus_library(), PeopleScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        rows = {r[0]: r for r in table_rows(app.screen.query_one(BrowseTable))}
        assert rows["Liz Green"][1].endswith("≠")
        assert not rows["Paul Bettison"][1].endswith("≠")
        assert "≠: a meeting's records disagree" in static_text(
            app.screen.query_one("#people-legend", Static)
        )


async def test_the_confidential_items_are_those_marked_not_those_mentioning_it():
    app = HostApp(corpus_library(), ConfidentialScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rows = table_rows(app.screen.query_one(BrowseTable))
        # 2023-07-21 item 3 mentions "a confidential update" but is not marked
        assert [(r[0], r[1]) for r in rows] == [("2018-05-24", "8")]
        assert "Digital Declaration" in rows[0][2]
        await pilot.press("enter")
        assert app.calls == [("item", "2018-05-24-improvement-innovation-board", "8")]


async def test_the_palette_opens_the_confidential_items(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"confidential items")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfidentialScreen)


async def test_public_mode_lists_only_that_confidential_items_exist(make_app, corpus):
    app = make_app(corpus, public=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(app, pilot)
        table = app.screen.query_one("#meetings", BrowseTable)
        marks = {row[2]: row[1] for row in table_rows(table)}
        assert marks["2018-05-24"] == "C"  # that it has one, as in private mode
        app.action_confidential()
        await pilot.pause()
        assert isinstance(app.screen, ConfidentialScreen)
        rows = table_rows(app.screen.query_one(BrowseTable))
        assert rows == [["2018-05-24", "", "1 confidential item, withheld in public mode", ""]]
        text = screen_text(app)
        assert "Digital" not in text and "Declaration" not in text
        assert "only how many is shown" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)


async def test_public_mode_with_an_unread_file_says_every_item_is_withheld(make_app, tmp_path):
    root = tmp_path / "meetings"
    shutil.copytree(SAMPLE, root)
    (root / "2019-06-01-sample-board-agenda.md").write_text("---\nboard: [\n---\n")
    app = make_app(root, public=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(app, pilot)
        table = app.screen.query_one("#meetings", BrowseTable)
        marks = {row[2]: row[1] for row in table_rows(table)}
        assert marks["2019-06-01"] == "?"
        assert "? items withheld" in static_text(app.screen.query_one("#status", Static))
        app.action_confidential()
        await pilot.pause()
        rows = table_rows(app.screen.query_one(BrowseTable))
        assert ["2019-06-01", "", "every item withheld in public mode: a file of this "
                "meeting cannot be read", ""] in rows  # fmt: skip


def mentioning_library():
    """A confidential item, and an item whose decision only mentions a confidential talk."""
    return build(
        [
            doc(
                "2020-01-01",
                [
                    item("4", "Budget", decisions=["Noted after a confidential discussion."]),
                    item("8", "Digital deal", decisions=["Agreed the deal."], confidential=True),
                ],
            )
        ]
    )


def test_is_confidential_filters_decisions_by_the_mark():
    everything = entries(mentioning_library())
    only = select(everything, parse_filters("is:confidential"))
    assert [e.item.number for e in only] == ["8"]
    # the words alone find the item that merely mentions it
    assert [e.item.number for e in select(everything, parse_filters("confidential"))] == ["4"]


async def test_the_decisions_view_takes_is_confidential():
    app = HostApp(mentioning_library(), DecisionsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+f", *"is:confidential")
        await pilot.pause()
        assert [e.item.number for e in app.screen.shown] == ["8"]
        status = static_text(app.screen.query_one("#decisions-status", Static))
        assert status.startswith("1 decision, 0 actions at 1 meeting")


async def test_the_dashboards_attendance_marks_the_years_the_records_disagree():
    library = corpus()
    app = Host(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press(*["right_square_bracket"] * 4)
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "tab-attendance"
        people = attendance_stats.attendance(library)
        table = app.screen.query_one("#attendance-table", DataTable)
        liz = next(i for i, p in enumerate(people) if p.key == "liz-green")
        cells = {
            str(k.value): c.plain for k, c in zip(table.columns, table.get_row_at(liz), strict=True)
        }
        assert cells["y2018"].endswith("≠") and not cells["y2020"].endswith("≠")
        legend = app.screen.query_one("#attendance-legend", Static)
        console = Console(width=200, record=True)
        console.print(legend.content)
        assert "≠ a meeting's records disagree (Liz Green, Phelim MacCafferty)" in (
            console.export_text()
        )
