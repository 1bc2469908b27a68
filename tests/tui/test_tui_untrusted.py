"""Text from files is shown literally: Rich/Textual markup, actions, links and control
characters in titles, names and prose never style, link, run an action or reach the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from tuihelp import ready, screen_text, table_rows, wait_until

from tuibrowser.tui.screens.item import ItemScreen
from tuibrowser.tui.screens.meeting import MeetingScreen

BOARD = "[bold red]Evil[/] Board [@click=app.quit]x[/]"
TITLE = "[@click=app.quit]Click to quit[/] and [/] and [bold]bold[/bold]"
NAME = "Cllr [@click=app.quit]Quit Me[/]"

HOSTILE = (
    "---\n"
    f'board: "{BOARD}"\n'
    'date: "2024-02-01"\n'
    "kind: minutes\n"
    'venue: "[link=https://evil.example]Room[/link] \\e]8;;http://x\\a \\x1b[31mred"\n'
    "attendance:\n"
    f'  - name: "{NAME}"\n'
    '    role: "[/]"\n'
    '    authority: "[b]Bold[/b] Council \\x07"\n'
    "    status: present\n"
    '  - name: "Dr [reverse]Rev[/reverse] Person"\n'
    "    status: apologies\n"
    "---\n\n"
    f"## 1. {TITLE}\n\n"
    "The minute has [@click=app.quit]a fake action[/] and [link=file:///etc/passwd]a link[/link]"
    " and [a real link](https://example.org).\n\n"
    "### Decisions\n\n"
    "- Agreed [@click=app.quit]quit[/] [red]red[/red]\n\n"
    "## 2. Title with control \x1b[2J clear and \x07 bell {confidential}\n\n"
    "Text \x1b]52;c;ZXZpbA==\x07 osc52\n"
)


@pytest.fixture
def hostile(tmp_path) -> Path:
    root = tmp_path / "hostile"
    root.mkdir()
    (root / "2024-02-01-evil-minutes.md").write_text(HOSTILE, encoding="utf-8")
    return root


def assert_no_raw_control(text: str) -> None:
    assert not any(ord(c) < 32 and c != "\n" for c in text), repr(text)
    assert "\x1b" not in text and "\x07" not in text


async def test_list_shows_markup_literally(make_app, hostile):
    app = make_app(hostile)
    # wide enough for the whole venue beside the list's two mark columns (new, confidential)
    async with app.run_test(size=(124, 30)) as pilot:
        await ready(app, pilot)
        text = screen_text(app)
        assert f"Meetings — {BOARD}" in text
        assert "[link=https://evil.example]Room[/link] \\x1b]8;;http://x\\x07 \\x1b[31mred" in text
        assert_no_raw_control(text)
        # the row, clicked and opened: the app does not quit
        await pilot.click("#meetings", offset=(20, 1))
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, MeetingScreen)


async def test_meeting_screen_shows_names_and_titles_literally(make_app, hostile):
    app = make_app(hostile)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(app, pilot)
        app.open_meeting(app.library.meetings[0].id)
        await pilot.pause()
        text = screen_text(app)
        assert text.splitlines()[0].startswith(BOARD)
        assert TITLE[:40] in text
        assert NAME in text
        assert "[b]Bold[/b] Council \\x07" in text
        assert "Dr [reverse]Rev[/reverse] Person" in text
        assert "Title with control \\x1b[2J clear" in text
        assert_no_raw_control(text)
        items = table_rows(app.screen.query_one("#items"))
        assert items[0][1] == TITLE
        # clicking every row and title does not run the embedded action
        for y in range(0, 12):
            await pilot.click(offset=(10, y))
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_item_screen_shows_title_and_prose_literally(make_app, hostile):
    app = make_app(hostile)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        mid = app.library.meetings[0].id
        app.open_item(mid, "1")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        text = screen_text(app)
        assert text.splitlines()[0] == f"Item 1. {TITLE}"
        assert "Agreed [@click=app.quit]quit[/] [red]red[/red]" in text
        assert "[@click=app.quit]a fake action[/]" in text
        assert "[link=file:///etc/passwd]a link[/link]" in text
        assert_no_raw_control(text)
        for y in range(0, 20):
            await pilot.click(offset=(12, y))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, ItemScreen)  # a markdown link is not followed
        app.pop_screen()
        await pilot.pause()
        app.open_item(mid, "2")
        await pilot.pause()
        text = screen_text(app)
        assert "Title with control \\x1b[2J clear and \\x07 bell" in text
        assert "Text \\x1b]52;c;ZXZpbA==\\x07 osc52" in text
        assert_no_raw_control(text)


async def test_notifications_and_palette_show_text_literally(make_app, hostile):
    app = make_app(hostile)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(app, pilot)
        mid = app.library.meetings[0].id
        app.open_item(mid, "[/][@click=app.quit]x")  # no such item: a notice, not a crash
        await pilot.pause()
        assert any("[/][@click=app.quit]x" in n.message for n in app._notifications)
        assert all(not n.markup for n in app._notifications)
        app.open_meeting(mid)
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"click")
        expected = "Item 1. [@click=app.quit]Click to quit[/]"
        assert await wait_until(pilot, lambda: expected in screen_text(app))
        text = screen_text(app)
        assert "Item 1. [@click=app.quit]Click to quit[/]" in text
        assert_no_raw_control(text)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and app.return_code is None


def test_safe_helpers_never_parse_markup():
    from tuibrowser.tui import safe

    for value in (TITLE, "[/]", "[@click=app.quit]x", "a\x1b[31mb\x07"):
        assert "\x1b" not in safe.text(value).plain
        assert "\x1b" not in safe.line(value).plain
        if "\x1b" not in value:
            assert safe.text(value).plain == value
            assert safe.line(value).plain == value
            assert safe.content(value).plain == value
