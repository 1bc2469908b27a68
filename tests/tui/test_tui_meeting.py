"""The meeting screen: details, items in the order taken, attendance grouped by status."""

from __future__ import annotations

from tuihelp import ready, row_keys, screen_text, table_rows

from tuibrowser.model import STATUS_LABELS, STATUSES
from tuibrowser.tui.screens.item import ItemScreen
from tuibrowser.tui.screens.meeting import MeetingScreen

MAY = "2018-05-24-improvement-innovation-board"


async def open_may(app, pilot):
    await ready(app, pilot)
    app.open_meeting(MAY)
    await pilot.pause()
    assert isinstance(app.screen, MeetingScreen)
    return app.screen


async def test_items_in_the_order_taken_with_confidential_badge(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_may(app, pilot)
        table = screen.query_one("#items")
        rows = table_rows(table)
        assert [r[0] for r in rows] == ["1", "8", "2", "3", "4", "5", "6", "7"]
        eight = rows[1]
        assert eight[1].startswith("Digital Declaration")
        assert "CONFIDENTIAL" in eight[2]
        assert all("CONFIDENTIAL" not in r[2] for r in rows if r[0] != "8")
        assert "Items, in the order taken" in screen_text(app)


async def test_details_board_date_venue_documents(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_may(app, pilot)
        m = app.library.meeting(MAY)
        text = screen_text(app)
        assert text.splitlines()[0].startswith("Improvement & Innovation Board — Thu 24 May 2018")
        assert "Where Smith Square 3&4" in text
        kinds = sorted({d.kind for d in m.documents})
        assert "Documents " + ", ".join(kinds) in text
        if m.next_meeting is not None and m.next_meeting.date:
            assert "Next meeting" in text
        assert screen.meeting_id == MAY


async def test_attendance_grouped_by_status_with_role_and_authority(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_may(app, pilot)
        m = app.library.meeting(MAY)
        table = screen.query_one("#attendance")
        rows, keys = table_rows(table), row_keys(table)
        groups = m.attendance_by_status()
        headings = [r[0] for r, k in zip(rows, keys, strict=True) if k.startswith("status:")]
        expected = [f"{STATUS_LABELS[s]} ({len(groups[s])})" for s in STATUSES if groups.get(s)]
        assert headings == expected
        assert any(h.startswith("Apologies (") for h in headings)
        # each attendee under their own heading, with role and authority
        current = None
        seen = 0
        for r, k in zip(rows, keys, strict=True):
            if k.startswith("status:"):
                current = k.split(":")[1]
                continue
            status = k.split(":")[1]
            assert status == current
            a = groups[status][int(k.split(":")[2])]
            assert r[0].startswith(a.name[:20])
            assert r[1] == (a.role or "")
            assert r[2].startswith((a.authority or "")[:30])
            seen += 1
        assert seen == len(m.attendance)
        apologies = [a.name for a in groups["apologies"]]
        assert "Sir Stephen Houghton CBE" in apologies


async def test_enter_on_an_item_opens_it_and_escape_comes_back(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_may(app, pilot)
        await pilot.press("j")  # second row: item 8, taken second
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        assert (app.screen.meeting_id, app.screen.number) == (MAY, "8")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_enter_on_an_attendee_opens_the_person(make_app):
    app = make_app()
    opened: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_may(app, pilot)
        app.open_person = opened.append  # the person screen belongs to another module
        await pilot.press("n")
        table = screen.query_one("#attendance")
        assert app.focused is table
        await pilot.press("enter")  # a heading row: nothing happens
        await pilot.press("j", "enter")
        await pilot.pause()
        first = app.library.meeting(MAY).attendance_by_status()["present"][0]
        assert opened == [first.person]
        await pilot.press("i")
        assert app.focused is screen.query_one("#items")


async def test_clicking_an_item_with_the_mouse_opens_it(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_may(app, pilot)
        table = screen.query_one("#items")
        await pilot.click(table, offset=(8, 2))  # header is row 0; row 2 = the 2nd item
        await pilot.pause()
        if isinstance(app.screen, MeetingScreen):
            await pilot.click(table, offset=(8, 2))
            await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        assert app.screen.number == "8"


async def test_meeting_without_items_says_so(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        bare = next(m for m in app.library.meetings if not m.items)
        app.open_meeting(bare.id)
        await pilot.pause()
        assert "Items: none recorded" in screen_text(app)
        assert app.focused is app.screen.query_one("#attendance")


async def test_editor_notes_open_in_a_pop_up(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        m = next(m for m in app.library.meetings if m.notes)
        app.open_meeting(m.id)
        await pilot.pause()
        assert "press e to read" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        assert type(app.screen).__name__ == "TextScreen"
        first_words = " ".join(m.notes[0].split()[:3])
        assert first_words in " ".join(screen_text(app).split())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)


async def test_x_opens_the_next_meeting_when_it_is_in_the_folder(make_app):
    from pathlib import Path

    sample = Path(__file__).parents[1] / "data" / "sample"
    app = make_app(sample)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        app.open_meeting("2019-03-01-sample-board")
        await pilot.pause()
        assert "Next meeting Sat 1 June 2019 at 10:30" in screen_text(app)
        await pilot.press("x")
        await pilot.pause()
        assert app.screen.meeting_id == "2019-06-01-sample-board"
        await pilot.press("x")  # no next meeting stated: stays
        await pilot.pause()
        assert app.screen.meeting_id == "2019-06-01-sample-board"
