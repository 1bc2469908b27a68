"""Keys: one rule for typing on a list (small letters, digits and space type into its filter;
capitals, symbols, Enter, Escape and Ctrl keys are commands), j/k on lists without a filter,
Escape that empties a box before it goes back, ? and its scrolling, an honest footer, keys
typed while the first frame is drawn, and the user's keymap."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.widgets import OptionList
from tuihelp import ready, screen_text, table_rows, wait_until

from tuibrowser.tui.screens.meetings import MeetingsScreen

SIZE = (80, 24)

# every list with a filter box: the keys that open it, the box, the list
LISTS = [
    pytest.param(None, "#filter", "#meetings", id="meetings"),
    pytest.param("P", "#people-filter", "#people-table", id="people"),
    pytest.param("A", "#decisions-words", "#decisions-list", id="decisions"),
    pytest.param(("D", "right_square_bracket"), "#kpi-text", "#kpi-table", id="dashboard-kpis"),
]
SMALL = string.ascii_lowercase + string.digits + " "


def burst(app, text: str) -> None:
    """Keys typed faster than the app handles them (a fast typist, a slow link): all at once."""
    for ch in text:
        key = ch if ch.isalnum() else _character_to_key(ch)
        app.post_message(events.Key(key, ch))


def filter_box(app):
    return app.screen.query_one("#filter")


async def open_list(app, pilot, keys: str | tuple[str, ...] | None) -> None:
    for key in (keys,) if isinstance(keys, str) else keys or ():
        await pilot.press(key)
        await pilot.pause()


# -- typing on a list ----------------------------------------------------------------------


@pytest.mark.parametrize(("key", "box_id", "list_id"), LISTS)
async def test_every_small_letter_digit_and_space_typed_on_a_list_goes_into_its_filter(
    make_app, key, box_id, list_id
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await open_list(app, pilot, key)
        screen = app.screen
        assert screen.query_one(list_id).has_focus
        # one key at a time, each from the list (Escape empties the box and the list has it)
        for ch in SMALL:
            await pilot.press(ch if ch != " " else "space")
            assert app.screen is screen and app.return_code is None, ch
            assert screen.query_one(box_id).value.endswith(ch), ch
        box = screen.query_one(box_id)
        assert box.value == SMALL
        # every letter of a word typed at once, the first one on the list
        await pilot.press("escape")
        screen.query_one(list_id).focus()
        for word in ["procurement", "quarterly data", "people 2018", "dashboard"]:
            burst(app, word)
            assert await wait_until(pilot, lambda w=word: box.value == w), (word, box.value)
            assert app.screen is screen and app.return_code is None
            await pilot.press("escape")
            assert box.value == ""
            screen.query_one(list_id).focus()


async def test_search_results_take_typing_into_the_query(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("slash", *"oflog")
        results = app.screen.query_one("#search-results")
        assert await wait_until(pilot, lambda: results.option_count > 0)
        await pilot.press("down")
        assert results.has_focus
        await pilot.press(*" pq")
        box = app.screen.query_one("#search-input")
        assert box.value == "oflog pq" and box.has_focus
        assert type(app.screen).__name__ == "SearchScreen" and app.return_code is None


async def test_in_the_filter_box_every_key_types(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+f")
        assert filter_box(app).has_focus
        typed = "ptadmqsrPTADMSR/!"
        for key in typed:
            await pilot.press(key)
            assert isinstance(app.screen, MeetingsScreen), key
            assert app.return_code is None
        assert filter_box(app).value == typed


@pytest.mark.parametrize(
    ("key", "name"),
    [("P", "PeopleScreen"), ("T", "TopicsScreen"), ("A", "DecisionsScreen"),
     ("D", "DashboardScreen"), ("slash", "SearchScreen")],
)  # fmt: skip
async def test_on_a_list_capitals_and_symbols_are_commands(make_app, key, name):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        home = app.screen
        await pilot.press("S")
        assert home.sort_column == "docs" and filter_box(app).value == ""
        await pilot.press("R")
        assert home.sort_column == "docs" and home.sort_reverse
        await pilot.press(key)
        await pilot.pause()
        assert type(app.screen).__name__ == name
        screen = app.screen
        if key != "slash":  # (in the search box, / types)
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen  # its own key: already there, nothing typed
            assert "P" not in screen_text(app).splitlines()[1]
        await pilot.press("M" if key != "slash" else "escape")  # (M types in the box)
        await pilot.pause()
        assert app.screen is home
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_key_typed_while_the_first_frame_is_drawn_is_not_lost(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        burst(app, "oflog")  # before the list is painted, the cache read or the library loaded
        await ready(app, pilot)
        assert await wait_until(pilot, lambda: filter_box(app).value == "oflog")
        assert isinstance(app.screen, MeetingsScreen) and app.return_code is None
        assert "1 of 7 meetings match" in screen_text(app)
        # before the list takes the focus (as while the first frame is drawn), nothing has it:
        # a key typed then starts the filter as it would on the list
        await pilot.press("escape")
        app.screen.set_focus(None)
        burst(app, "smith")
        assert await wait_until(pilot, lambda: filter_box(app).value == "smith")
        assert app.screen.sort_column == "date" and app.return_code is None


# -- j/k on lists without a filter ---------------------------------------------------------


def cursor(widget) -> int | None:
    return widget.highlighted if isinstance(widget, OptionList) else widget.cursor_row


async def assert_j_k_move(pilot, widget) -> None:
    """j twice, then k: the cursor went down and came back up one."""
    assert widget.has_focus, widget
    await pilot.press("j", "j")
    down = cursor(widget)
    await pilot.press("k")
    up = cursor(widget)
    assert down is not None and up is not None and up == down - 1, (widget, down, up)


async def test_j_and_k_move_on_lists_without_a_filter(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("P", *"bettison", "enter", "enter")  # someone at many meetings
        await pilot.pause()
        assert type(app.screen).__name__ == "PersonScreen"
        person = app.screen.query_one("#person-meetings")
        assert person.row_count > 2
        await assert_j_k_move(pilot, person)
        await pilot.press("T")
        await pilot.pause()
        await assert_j_k_move(pilot, app.screen.query_one("#topics-table"))
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "TopicScreen"
        await assert_j_k_move(pilot, app.screen.query_one("#topic-timeline"))


@pytest.mark.parametrize(("key", "box_id", "list_id"), LISTS)
async def test_on_a_list_with_a_filter_the_arrows_move_and_j_types(make_app, key, box_id, list_id):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await open_list(app, pilot, key)
        rows = app.screen.query_one(list_id)
        await pilot.press("down", "down")
        down = cursor(rows)
        await pilot.press("up")
        assert cursor(rows) == down - 1
        await pilot.press("j")
        assert app.screen.query_one(box_id).value == "j"


# -- ? and Escape --------------------------------------------------------------------------


def footer(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_question_mark_in_an_empty_box_shows_the_keys_and_types_otherwise(make_app):
    from tuibrowser.tui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        box = app.screen.query_one("#search-input")
        assert box.has_focus and box.value == ""
        assert "? Keys" in footer(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Search" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert box.has_focus and box.value == ""
        await pilot.press(*"who? q")  # with text in the box, ? and q type
        assert box.value == "who? q" and app.return_code is None
        assert type(app.screen).__name__ == "SearchScreen"
        assert "? Keys" not in footer(app)
        # the same on the filters of People and of the decisions
        for key, box_id in [
            ("P", "#people-filter"),
            ("A", "#decisions-words"),
            ("D", "#kpi-text"),
        ]:
            await pilot.press("escape", "escape", key)
            await pilot.pause()
            await pilot.press("ctrl+f")
            assert app.screen.query_one(box_id).has_focus
            assert "? Keys" in footer(app)
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen), key
            await pilot.press("escape")
            await pilot.pause()


@pytest.mark.parametrize(("key", "box_id", "list_id"), LISTS)
async def test_escape_empties_the_filter_first_and_goes_back_only_when_it_is_empty(
    make_app, key, box_id, list_id
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await open_list(app, pilot, key)
        screen = app.screen
        box, rows = screen.query_one(box_id), screen.query_one(list_id)
        for leave_from in ("box", "list"):
            await pilot.press(*"b", "o")
            assert box.value == "bo" and box.has_focus
            if leave_from == "list":
                rows.focus()
                await pilot.pause()
            assert "esc Clear" in footer(app)
            await pilot.press("escape")
            await pilot.pause()
            assert box.value == "" and app.screen is screen, leave_from
        await pilot.press("escape")
        await pilot.pause()
        if key is None:  # home: nothing to go back to, the list has the keys
            assert app.screen is screen and rows.has_focus
            await pilot.press("escape")
            assert app.screen is screen
        else:
            assert isinstance(app.screen, MeetingsScreen)


async def test_escape_in_search_empties_the_query_then_goes_back(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert "esc Back" in footer(app)
        await pilot.press("escape")  # an empty search: back
        await pilot.pause()
        assert isinstance(app.screen, MeetingsScreen)
        await pilot.press("slash", *"oflog")
        results = app.screen.query_one("#search-results")
        assert await wait_until(pilot, lambda: results.option_count > 0)
        await pilot.press("down")
        assert results.has_focus and "esc Clear query" in footer(app)
        await pilot.press("escape")
        box = app.screen.query_one("#search-input")
        assert box.value == "" and box.has_focus
        assert type(app.screen).__name__ == "SearchScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingsScreen)


async def test_help_scrolls_with_the_arrows_j_k_and_home_end(make_app):
    from tuibrowser.tui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        app.open_item("2020-05-21-improvement-innovation-board", "6")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = app.screen.query_one("#keys")
        assert keys.has_focus and keys.row_count > keys.size.height  # more keys than room
        await pilot.press("end")
        await pilot.pause()
        assert keys.cursor_row == keys.row_count - 1 and keys.scroll_y > 0
        await pilot.press("home")
        await pilot.pause()
        assert keys.cursor_row == 0 and keys.scroll_y == 0
        await pilot.press("down", "j", "j")
        assert keys.cursor_row == 3
        await pilot.press("k", "up")
        assert keys.cursor_row == 1
        await pilot.press("pagedown")
        await pilot.pause()
        assert keys.scroll_y > 0


async def test_every_browse_screen_says_where_you_are(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        for key, title in [
            ("slash", "Search"),
            ("P", "People — "),
            ("T", "Topics"),
            ("A", "Decisions and actions"),
        ]:
            app.action_meetings()
            await pilot.press(key)
            await pilot.pause()
            assert screen_text(app).splitlines()[0].startswith(title), key
        await pilot.press("T", "enter")
        await pilot.pause()
        assert screen_text(app).splitlines()[0].startswith("Topic — ")
        await pilot.press("P", "enter")
        await pilot.pause()
        assert screen_text(app).splitlines()[0].startswith("Person — ")


# -- the item screen's earlier / later and previous / next keys ---------------------------


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_item_footer_offers_only_the_steps_there_are_and_the_others_say_why(make_app):
    from tuibrowser.tui.screens.item import ItemScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        # the last of three meetings on the topic: earlier yes, later no
        app.open_item("2020-05-21-improvement-innovation-board", "6")
        await pilot.pause()
        item = app.screen
        assert "[ Earlier" in footer(app) and "]" not in footer(app)
        assert ",. Item" in footer(app) and "o Timeline" in footer(app)
        assert "esc Back" in footer(app)  # nothing cut at 80 columns
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.screen is item
        assert "No later meeting on this topic." in notices(app)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen) and app.screen is not item
        assert app.screen.meeting.date == "2018-03-22"
        assert "[] Topic" in footer(app) and ",. Item" in footer(app)
        assert "esc Back" in footer(app)
        number = app.screen.number
        await pilot.press("full_stop")
        await pilot.pause()
        assert app.screen.number != number and ",. Item" in footer(app)
        # an item that comes up only once: none of the three keys in the footer, each explains
        app.open_item("2023-07-21-improvement-innovation-board", "4")
        await pilot.pause()
        once = app.screen
        for text in ("[", "]", "o Timeline"):
            assert text not in footer(app)
        assert ",. Item" in footer(app)
        for key in ("left_square_bracket", "right_square_bracket", "o"):
            app._notifications.clear()
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is once
            assert notices(app) == ["This item's topic does not come up at any other meeting."]


# -- the user's keymap --------------------------------------------------------------------


def write_keymap(private_user_dirs, text: str):
    folder = private_user_dirs / "config"
    folder.mkdir(exist_ok=True)
    (folder / "keymap.toml").write_text(text, encoding="utf-8")
    return folder / "keymap.toml"


def test_the_keymap_lives_in_the_user_config_folder_or_where_the_variable_says(monkeypatch):
    from platformdirs import user_config_dir

    from tuibrowser.tui.keymap import keymap_path

    monkeypatch.setenv("TUIBROWSER_CONFIG_DIR", "/somewhere/else")
    assert str(keymap_path()) == "/somewhere/else/keymap.toml"
    monkeypatch.delenv("TUIBROWSER_CONFIG_DIR")
    assert keymap_path() == Path(user_config_dir("tuibrowser", appauthor=False)) / "keymap.toml"


async def test_a_keymap_moves_keys_by_binding_id(make_app, private_user_dirs):
    from tuibrowser.tui.screens.help import HelpScreen

    write_keymap(
        private_user_dirs,
        '"app.people" = "f2"\n"app.quit" = "Q"\n[table]\ndown = ["j", "n"]\n',
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert notices(app) == []
        assert "Q Quit" in footer(app)
        await pilot.press("P")  # P is no longer bound: it starts the filter
        assert app.return_code is None and filter_box(app).value == "P"
        await pilot.press("escape", "escape", "f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "PeopleScreen"
        await pilot.press("T")
        await pilot.pause()
        table = app.screen.query_one("#topics-table")
        await pilot.press("n", "n", "j")
        assert table.cursor_row == 3
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = table_rows(app.screen.query_one("#keys"))
        assert {row[0] for row in rows if row[-1] == "table.down"} == {"j", "n"}
        assert [row[0] for row in rows if row[-1] == "app.quit"] == ["Q"]
        assert "keymap.toml" in screen_text(app)
        await pilot.press("escape", "Q")
        await pilot.pause()
    assert app.return_code == 0


async def test_bad_keymap_entries_are_told_plainly_and_the_good_ones_apply(
    make_app, private_user_dirs
):
    write_keymap(
        private_user_dirs,
        '"app.people" = "f2"\n'
        '"app.nonsense" = "x"\n'
        '"app.topics" = "ctrl+nothing"\n'
        '"app.search" = 5\n'
        '"app.decisions" = []\n',
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        told = " | ".join(notices(app))
        assert "'app.nonsense'" in told and "no key has the id" in told
        assert "'ctrl+nothing' is not a key name" in told
        assert "app.search needs a key" in told and "app.decisions needs a key" in told
        assert "Traceback" not in told
        await pilot.press("f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "PeopleScreen"
        await pilot.press("T")  # left as it was
        await pilot.pause()
        assert type(app.screen).__name__ == "TopicsScreen"


async def test_a_keymap_that_is_not_toml_changes_nothing_and_says_where(
    make_app, private_user_dirs
):
    path = write_keymap(private_user_dirs, '"app.people" = "f2"\nthis is not toml\n')
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        told = notices(app)
        assert len(told) == 1
        assert str(path) in told[0] and "not valid TOML" in told[0] and "line 2" in told[0]
        await pilot.press("P")
        await pilot.pause()
        assert type(app.screen).__name__ == "PeopleScreen"


def test_keymap_files_that_cannot_be_used_are_problems_not_errors(tmp_path):
    from tuibrowser.tui.keymap import MAX_BYTES, load_keymap, valid_key

    assert load_keymap(tmp_path / "missing.toml").problems == []
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * MAX_BYTES)
    assert "over" in load_keymap(big).problems[0]
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    assert "not UTF-8" in load_keymap(binary).problems[0]
    folder = tmp_path / "a-folder.toml"
    folder.mkdir()
    assert "could not be read" in load_keymap(folder).problems[0]
    for key in ["p", "P", "?", "ctrl+q", "f5", "pageup", "question_mark", "shift+left"]:
        assert valid_key(key), key
    for key in ["", " ", "ctrl+", "hyperdrive+x", "nothing", "ctrl+nothing", "\x1b"]:
        assert not valid_key(key), key


async def test_a_key_the_keymap_takes_from_another_binding_is_told_once(
    make_app, private_user_dirs
):
    write_keymap(private_user_dirs, '"meetings.sort" = "ctrl+f"\n')
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+f")
        assert app.screen.sort_column == "docs" and not filter_box(app).has_focus
        await pilot.press("ctrl+f")
        told = [n for n in notices(app) if n.startswith("Keymap:")]
        assert told == []
        assert [n for n in notices(app) if n.startswith("keymap.toml")] == [
            "keymap.toml: ctrl+f is meetings.sort now, and meetings.filter (Filter) had it in the "
            "same place: that one loses it"
        ]


async def test_a_key_taken_from_textual_itself_is_told(make_app, private_user_dirs):
    write_keymap(private_user_dirs, '"app.search" = "ctrl+p"\n')
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert type(app.screen).__name__ == "SearchScreen"
        told = [n for n in notices(app) if n.startswith("Keymap:")]
        assert told == ["Keymap: ^p now does something else, so palette no longer has it."]
