"""The KPI dashboard holds the browser's key rule: on the KPI table small letters, digits and
space type into its filter box (see tests/tui/test_tui_keys.py, which types every one); the
commands are symbols (``[`` ``]`` tabs, ``<`` ``>`` the rating), capitals (``S`` sort, the app's
screens) and Ctrl keys (Ctrl+F the box); Escape empties the box before it goes back."""

from __future__ import annotations

import string

import pytest
from textual.binding import Binding
from tuihelp import ready, screen_text

from tuibrowser.tui.screens.dashboard import DashboardScreen
from tuibrowser.tui.screens.dashboard.kpis_pane import KpisPane
from tuibrowser.tui.screens.help import HelpScreen
from tuibrowser.tui.screens.meetings import MeetingsScreen

SIZE = (80, 24)
NEXT, PREV = "greater_than_sign", "less_than_sign"
TABS = ["tab-ratings", "tab-kpis", "tab-trends", "tab-programme", "tab-attendance"]


def footer(app) -> str:
    return screen_text(app).splitlines()[-1]


async def open_kpis(app, pilot) -> DashboardScreen:
    await ready(app, pilot)
    await pilot.press("D", "right_square_bracket")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    assert screen.focused is screen.query_one("#kpi-table")
    return screen


async def test_on_the_kpi_table_symbols_capitals_and_ctrl_keys_are_commands(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_kpis(app, pilot)
        pane, box = screen.query_one(KpisPane), screen.query_one("#kpi-text")
        steps = []
        for _ in range(6):  # every rating, then all of them again
            await pilot.press(NEXT)
            steps.append(pane.rating_filter)
        assert steps == ["green", "amber", "red", "blue", "not_stated", ""]
        await pilot.press(PREV)
        assert pane.rating_filter == "not_stated"
        await pilot.press(NEXT, "S")
        assert pane.rating_filter == "" and pane.sort == "code"
        assert box.value == "" and screen.focused is screen.query_one("#kpi-table")
        # typed: a word goes into the box, whatever letters it has
        await pilot.press(*"lc2 sqp")
        assert box.value == "lc2 sqp" and box.has_focus and app.screen is screen
        # in the box every key types, capitals and symbols too
        await pilot.press("backspace", "backspace", "backspace", "backspace", "S", NEXT)
        assert box.value == "lc2S>" and pane.sort == "code" and pane.rating_filter == ""
        await pilot.press("ctrl+f")
        assert box.has_focus
        # from the list, with text in the box, the symbols are still commands
        screen.query_one("#kpi-table").focus()
        await pilot.press(NEXT, "right_square_bracket")
        await pilot.pause()
        assert pane.rating_filter == "green" and box.value == "lc2S>"
        assert screen.query_one("#dash-tabs").active == "tab-trends"
        await pilot.press("left_square_bracket", "P")  # the app's capitals open their screens
        await pilot.pause()
        assert type(app.screen).__name__ == "PeopleScreen"


async def test_on_the_tabs_without_a_box_letters_neither_type_nor_switch_screens(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("D")
        await pilot.pause()
        screen = app.screen
        box = screen.query_one("#kpi-text")
        for tab in TABS:
            screen.query_one("#dash-tabs").active = tab
            await pilot.pause()
            if tab == "tab-kpis":
                continue
            await pilot.press(*"pq ad1")
            await pilot.pause()
            assert app.screen is screen and app.return_code is None, tab
            assert screen.query_one("#dash-tabs").active == tab and box.value == "", tab


async def test_escape_on_the_dashboard_empties_the_box_then_goes_back(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_kpis(app, pilot)
        box, table = screen.query_one("#kpi-text"), screen.query_one("#kpi-table")
        assert "esc Back" in footer(app)
        await pilot.press(*"graduate")
        table.focus()
        await pilot.pause()
        assert "esc Clear filter" in footer(app)
        await pilot.press("escape")
        await pilot.pause()
        assert box.value == "" and app.screen is screen
        assert "esc Back" in footer(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingsScreen)


async def test_the_footer_and_help_name_the_dashboard_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_kpis(app, pilot)
        line = footer(app)
        for shown in ("[]", "Tab", "<>", "Rating", "^f Filter", "? Keys", "esc Back"):
            assert shown in line, (shown, line)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#keys")
        rows = {table.get_row_at(i)[3].plain: table.get_row_at(i) for i in range(table.row_count)}
        for binding_id, key in [
            ("dashboard.prev_tab", "["),
            ("dashboard.next_tab", "]"),
            ("dashboard.prev_rating", "<"),
            ("dashboard.next_rating", ">"),
            ("dashboard.filter", "^f"),
            ("dashboard.sort", "S"),
        ]:
            assert rows[binding_id][0].plain == key, binding_id
        # j and k scroll the tabs without a box: on the KPI table they type, so not listed
        assert "dashboard.down" not in rows and "dashboard.up" not in rows


@pytest.mark.parametrize("binding", DashboardScreen.BINDINGS, ids=lambda b: b.id)
def test_no_dashboard_command_is_a_key_that_types(binding: Binding):
    """Small letters and digits type on the KPI table; j and k scroll only the tabs without a
    box (on the KPI table they type: type_to_filter takes them first)."""
    typing = set(string.ascii_lowercase + string.digits) | {"space"}
    if binding.id in ("dashboard.down", "dashboard.up"):
        return
    assert not set(binding.key.split(",")) & typing, binding


async def test_down_in_the_kpi_box_goes_back_to_the_table(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_kpis(app, pilot)
        box, table = screen.query_one("#kpi-text"), screen.query_one("#kpi-table")
        await pilot.press(*"lc", "escape")  # emptied, the box keeps the keyboard
        assert box.value == "" and box.has_focus
        await pilot.press("down")
        assert table.has_focus and table.cursor_row == 0
        await pilot.press("down", "greater_than_sign")  # the table's own ↓; > is a command again
        assert table.cursor_row == 1 and screen.query_one(KpisPane).rating_filter == "green"
