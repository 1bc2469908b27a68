"""The item screen: minute, decisions and actions apart, report, confidential badge, editor's
note, and the same topic at earlier and later meetings."""

from __future__ import annotations

from pathlib import Path

from rich.markdown import Markdown as RichMarkdown
from textual.widgets import Markdown, Static
from tuihelp import ready, screen_text, table_rows, wait_until

from tuibrowser.tui.screens.item import ItemScreen

SAMPLE = Path(__file__).parents[1] / "data" / "sample"
MARCH = "2019-03-01-sample-board"
JUNE = "2019-06-01-sample-board"
SEPT = "2019-09-01-sample-board"
MAY_2018 = "2018-05-24-improvement-innovation-board"


async def open_item(app, pilot, meeting_id, number) -> ItemScreen:
    await ready(app, pilot)
    app.open_item(meeting_id, number)
    await pilot.pause()
    assert isinstance(app.screen, ItemScreen)
    return app.screen


def block_text(screen, block_id) -> str:
    block = screen.query_one(f"#{block_id}")
    parts = []
    for w in block.query("*"):
        if isinstance(w, Markdown):
            parts.append(w.source)
        elif isinstance(w, Static) and isinstance(w.content, RichMarkdown):
            parts.append(w.content.markup)
    return "\n".join(parts)


def heading(screen, block_id) -> str:
    return str(screen.query_one(f"#{block_id} > .heading").render())


async def test_decisions_and_actions_are_set_apart_from_the_minute(make_app):
    app = make_app(SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_item(app, pilot, MARCH, "2")
        assert heading(screen, "decisions") == "Decisions (2)"
        assert "Members noted the report." in block_text(screen, "decisions")
        assert "Members agreed the three priorities." in block_text(screen, "decisions")
        assert heading(screen, "actions") == "Actions (1)"
        assert "Officers to circulate the delivery plan." in block_text(screen, "actions")
        minute = block_text(screen, "minute")
        assert "Officers presented the **productivity programme**" in minute
        assert "Members noted the report." not in minute
        text = screen_text(app)
        assert text.splitlines()[0].startswith("Item 2. Productivity programme")
        assert "Sample Board · Fri 1 March 2019 · taken 3rd of 3" in text


async def test_the_report_from_the_agenda_pack_in_order(make_app):
    app = make_app(SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_item(app, pilot, MARCH, "2")
        report = screen.query_one("#report")
        labels = [str(w.render()) for w in report.query(".field")]
        assert labels == [
            "Purpose",
            "Summary",
            "Recommendation",
            "Proposed action",
            "Contact officer",
            "Report",
        ]
        text = block_text(screen, "report")
        for expected in (
            "To update members on the productivity programme.",
            "two projects are late",
            "That members note the report.",
            "paragraph 4",
            "Jane Smith, Programme Manager",
            "It has three strands.",
        ):
            assert expected in text


async def test_editors_note_is_shown(make_app):
    app = make_app(SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_item(app, pilot, MARCH, "2")
        assert heading(screen, "note") == "Editor's note"
        assert "repeats one paragraph" in block_text(screen, "note")


async def test_confidential_badge_is_a_word(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_item(app, pilot, MAY_2018, "8")
        text = screen_text(app)
        top = text.splitlines()
        assert top[1].startswith("CONFIDENTIAL")
        assert "taken 2nd of 8" in text
        assert screen.query("#confidential")
        app.pop_screen()
        await pilot.pause()
        other = await open_item(app, pilot, MAY_2018, "2")
        assert not other.query("#confidential")
        assert "CONFIDENTIAL" not in screen_text(app)


async def test_same_topic_at_earlier_and_later_meetings(make_app):
    app = make_app(SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_item(app, pilot, JUNE, "2")
        rows = table_rows(screen.query_one("#related"))
        assert [(r[0], r[1], r[2]) for r in rows] == [
            ("earlier", "2019-03-01", "2"),
            ("later", "2019-09-01", "1"),
        ]
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert (app.screen.meeting_id, app.screen.number) == (SEPT, "1")
        await pilot.press("left_square_bracket")  # the nearest earlier one
        await pilot.pause()
        assert (app.screen.meeting_id, app.screen.number) == (JUNE, "2")
        # the list is there for the mouse and for Enter too
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen is screen
        table = screen.query_one("#related")
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert (app.screen.meeting_id, app.screen.number) == (MARCH, "2")


async def test_next_and_previous_item_in_the_order_taken(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_item(app, pilot, MAY_2018, "1")
        await pilot.press("full_stop")
        await pilot.pause()
        assert app.screen.number == "8"
        await pilot.press("full_stop")
        await pilot.pause()
        assert app.screen.number == "2"
        await pilot.press("comma", "comma")
        await pilot.pause()
        assert app.screen.number == "1"


async def test_j_k_scroll_a_long_minute(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_item(app, pilot, MAY_2018, "8")
        body = screen.query_one("#body")
        assert body.scroll_y == 0
        await pilot.press("j", "j", "j")
        assert await wait_until(pilot, lambda: body.scroll_y > 0)
        await pilot.press("k", "k", "k")
        assert await wait_until(pilot, lambda: body.scroll_y == 0)


async def test_the_2023_oflog_decision_is_found_from_the_list(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press(*"oflog", "enter")  # one meeting matches: Enter opens it
        await pilot.pause()
        assert app.screen.meeting_id == "2023-07-21-improvement-innovation-board"
        for _ in range(12):  # down the items to the Oflog one
            if "Oflog" in str(
                app.screen.query_one("#items").get_row_at(
                    app.screen.query_one("#items").cursor_row
                )[1]
            ):
                break
            await pilot.press("j")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        assert "Oflog" in app.screen.item.title
        assert "Decisions (1)" in screen_text(app)


async def test_kpis_reported_under_an_item_open_the_kpi(make_app):
    app = make_app()
    opened: list[tuple[str, str]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        m = app.library.meeting(MAY_2018)
        numbers = {k.item for k in m.kpis}
        number = sorted(n for n in numbers if n and m.item(n))[0]
        screen = await open_item(app, pilot, MAY_2018, number)
        app.open_kpi = lambda mid, code: opened.append((mid, code))
        table = screen.query_one("#kpis")
        expected = [k.code for k in m.kpis if k.item == number]
        assert [r[0] for r in table_rows(table)] == expected
        table.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert opened == [(MAY_2018, expected[0])]


async def test_o_opens_the_topic_when_topics_are_available(make_app):
    app = make_app(SAMPLE)
    opened: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_item(app, pilot, JUNE, "2")
        app.open_topic = opened.append
        await pilot.press("o")
        await pilot.pause()
        if screen.topic is not None and screen.topic.key:  # the topics module is there
            assert opened == [screen.topic.key]
            assert "Topic" in screen_text(app).splitlines()[-1]
        else:
            assert opened == []
