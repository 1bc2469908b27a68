"""Pilot tests of the action tracker: order, filters, the evidence line, opening items, and
the file's words shown as text."""

from __future__ import annotations

import datetime as dt

from browse_support import HostApp, corpus_library, doc, item
from rich.text import Text
from textual.widgets import Select, Static
from tuihelp import ready, table_rows

from tuibrowser.library import build
from tuibrowser.tui.screens.actions import ActionsScreen
from tuibrowser.tui.widgets import BrowseTable

TODAY = dt.date(2024, 1, 1)
OEP = "2016-01-19-improvement-innovation-board"


def tracker(lib=None, today=TODAY) -> HostApp:
    return HostApp(lib or corpus_library(), lambda lib: ActionsScreen(lib, today))


def plain(widget: Static) -> str:
    content = widget.content
    return content.plain if isinstance(content, Text) else str(content)


async def test_overdue_first_with_owner_due_date_and_status():
    app = tracker()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(app, pilot)
        screen = app.screen
        rows = table_rows(screen.query_one(BrowseTable))
        assert len(rows) == 16
        assert rows[0][:5] == ["overdue", "2016-01-21", "Officers", "2016-01-19", "5"]
        assert rows[0][5].startswith("Officers to report the Board's views")
        statuses = [r[0] for r in rows]
        # overdue, then open, then mentioned: never back
        order = {"overdue": 0, "open": 1, "mentioned": 2, "done": 3}
        assert [order[s] for s in statuses] == sorted(order[s] for s in statuses)
        assert ["mentioned", "—", "Brian Reynolds"] in [r[:3] for r in rows]
        assert plain(screen.query_one("#actions-status", Static)).startswith(
            "16 actions, 1 overdue"
        )
        detail = plain(screen.query_one("#actions-detail", Static))
        assert "Owner: Officers  Due: 2016-01-21" in detail
        assert "No later meeting refers back to it." in detail


async def test_the_evidence_is_shown_and_e_opens_it_enter_opens_the_item():
    app = tracker()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        screen = app.screen
        table = screen.query_one(BrowseTable)
        await pilot.press(*"brian")  # typing on the list starts the filter
        await pilot.pause()
        assert [r[2] for r in table_rows(table)] == ["Brian Reynolds"]
        await pilot.press("enter")  # the box: to the list
        detail = plain(screen.query_one("#actions-detail", Static))
        assert "Mentioned at 2018-03-22 item 8 One Public Estate and Land Release Fund" in detail
        assert "(same topic, E opens it)" in detail
        assert "“He outlined progress on the One Public Estate Programme" in detail
        await pilot.press("E")
        await pilot.press("enter")
        assert app.calls == [
            ("item", "2018-03-22-improvement-innovation-board", "8"),
            ("item", OEP, "4"),
        ]


async def test_filter_by_status_words_and_the_select():
    app = tracker()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        screen = app.screen
        table = screen.query_one(BrowseTable)
        box = screen.query_one("#actions-words")
        box.value = "status:mentioned"
        await pilot.pause()
        assert {r[0] for r in table_rows(table)} == {"mentioned"}
        box.value = "officers status:open"
        await pilot.pause()
        rows = table_rows(table)
        assert rows and all(r[0] == "open" and r[2] == "Officers" for r in rows)
        box.value = ""
        screen.query_one("#actions-state", Select).value = "overdue"
        await pilot.pause()
        assert [r[1] for r in table_rows(table)] == ["2016-01-21"]
        box.value = "nothing like this"
        await pilot.pause()
        assert table.row_count == 0
        assert plain(screen.query_one("#actions-status", Static)) == "No action matches (of 16)."


async def test_capital_e_does_nothing_without_evidence():
    app = tracker()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("E")  # the first row has no evidence: E does nothing
        await pilot.pause()
        assert app.calls == []


HOSTILE = (
    'Jane [bold red]Smith[/] will write \x1b[31m to "[link=http://x]"\x1b]8;;\x07 by 5 May 2024'
)


async def test_tracker_shows_markup_and_controls_as_text():
    lib = build([doc("2024-03-01", [item("1", "[b]Title[/b]", "Minute.", actions=[HOSTILE])])])
    app = tracker(lib, today=dt.date(2024, 6, 1))
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(app, pilot)
        screen = app.screen
        [row] = table_rows(screen.query_one(BrowseTable))
        assert row[0] == "overdue" and row[1] == "2024-05-05"
        assert row[2] == "Jane [bold red]Smith[/]"
        assert row[5].startswith("Jane [bold red]Smith[/] will write \\x1b[31m")
        assert "\x1b" not in "".join(row) and "\x07" not in "".join(row)
        detail = plain(screen.query_one("#actions-detail", Static))
        assert "[b]Title[/b]" in detail and "\x1b" not in detail


async def test_no_actions_is_said():
    lib = build([doc("2024-03-01", [item("1", "Item", "Minute.")])])
    app = tracker(lib)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        assert plain(app.screen.query_one("#actions-status", Static)) == (
            "No actions are recorded."
        )


async def test_ctrl_t_on_the_decisions_screen_opens_the_tracker(make_app):
    from tuibrowser.tui.commands import SCREENS
    from tuibrowser.tui.screens.decisions import DecisionsScreen

    assert any(action == "actions" for _, action, _ in SCREENS)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, DecisionsScreen)
        await pilot.press("ctrl+t")
        await ready(app, pilot)
        assert isinstance(app.screen, ActionsScreen)
        assert app.screen.query_one(BrowseTable).row_count == 16
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DecisionsScreen)


async def test_keys_typed_while_the_actions_are_read_filter_them(monkeypatch):
    """The actions are read in a thread; what is typed meanwhile is the filter they meet."""
    import threading

    from tuibrowser.tui.screens import actions as screen_module

    gate = threading.Event()
    real = screen_module.read_actions

    def slow(lib):
        gate.wait(10)
        return real(lib)

    monkeypatch.setattr(screen_module, "read_actions", slow)
    app = tracker()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert plain(screen.query_one("#actions-status", Static)) == "Reading the actions…"
        await pilot.press(*"brian")
        gate.set()
        await ready(app, pilot)
        assert [r[2] for r in table_rows(screen.query_one(BrowseTable))] == ["Brian Reynolds"]
