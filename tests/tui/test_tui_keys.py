"""Keys: type-to-filter against single-letter keys, j/k on every list, ? and Escape from text
boxes, keys that do not clash, an honest footer, and the user's keymap."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.keys import _character_to_key
from textual.widgets import OptionList
from tuihelp import ready, screen_text, table_rows, wait_until

from tuibrowser.tui.screens.meetings import MeetingsScreen

SIZE = (80, 24)


def burst(app, text: str) -> None:
    """Keys typed faster than the app handles them (a fast typist, a slow link): all at once."""
    for ch in text:
        key = ch if ch.isalnum() else _character_to_key(ch)
        app.post_message(events.Key(key, ch))


def filter_box(app):
    return app.screen.query_one("#filter")


# -- type to filter on the meeting list ------------------------------------------------------


async def test_f_then_a_word_typed_at_once_keeps_every_letter(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        for word in ["productivity", "square", "smith"]:
            burst(app, "f" + word)
            assert await wait_until(pilot, lambda w=word: filter_box(app).value == w)
            assert isinstance(app.screen, MeetingsScreen)
            assert app.screen.sort_column == "date" and app.return_code is None
            await pilot.press("escape")
            assert filter_box(app).value == ""


async def test_words_starting_with_bound_letters_go_into_the_filter(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        # an unbound first key starts the filter; after that p, s, q, t, a, d, m, j, k all type
        await pilot.press(*"oflog productivity")
        assert filter_box(app).value == "oflog productivity"
        await pilot.press("escape")
        await pilot.press(*"2018 smith square quarterly data at jk")
        assert filter_box(app).value == "2018 smith square quarterly data at jk"
        assert isinstance(app.screen, MeetingsScreen)
        assert app.screen.sort_column == "date" and app.return_code is None
        await pilot.press("escape")
        # the same typed at once
        burst(app, "hybrid smith square")
        assert await wait_until(pilot, lambda: filter_box(app).value == "hybrid smith square")
        assert app.screen.sort_column == "date" and app.return_code is None
        assert await wait_until(pilot, lambda: "1 of 7 meetings match" in screen_text(app))


async def test_in_the_filter_box_the_global_letters_do_not_fire(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("f")
        assert filter_box(app).has_focus
        for key in "ptadmqsr/!":
            await pilot.press(key)
            assert isinstance(app.screen, MeetingsScreen), key
            assert app.return_code is None
        assert filter_box(app).value == "ptadmqsr/!"


async def test_on_the_list_a_command_key_is_a_command(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        home = app.screen
        await pilot.press("s")
        assert home.sort_column == "docs" and filter_box(app).value == ""
        await pilot.press("p")
        await pilot.pause()
        assert type(app.screen).__name__ == "PeopleScreen"


async def test_a_screen_key_on_its_own_screen_types_into_its_filter(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press(*"minutes")  # m is home: on the meeting list it is free to type
        assert filter_box(app).value == "minutes"
        await pilot.press("escape", "p")
        await pilot.pause()
        await pilot.press(*"prior")  # p on People: already there, so it starts the filter
        assert app.screen.query_one("#people-filter").value == "prior"
        assert type(app.screen).__name__ == "PeopleScreen"


# -- j/k on every list --------------------------------------------------------------------


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


async def test_j_and_k_move_on_every_list(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        await assert_j_k_move(pilot, app.screen.query_one("#people-table"))
        await pilot.press(*"bettison", "enter", "enter")  # someone at many meetings
        await pilot.pause()
        assert type(app.screen).__name__ == "PersonScreen"
        person = app.screen.query_one("#person-meetings")
        assert person.row_count > 2
        await assert_j_k_move(pilot, person)
        await pilot.press("t")
        await pilot.pause()
        await assert_j_k_move(pilot, app.screen.query_one("#topics-table"))
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "TopicScreen"
        await assert_j_k_move(pilot, app.screen.query_one("#topic-timeline"))
        await pilot.press("a")
        await pilot.pause()
        await assert_j_k_move(pilot, app.screen.query_one("#decisions-list"))
        await pilot.press("slash", *"board", "enter")
        results = app.screen.query_one("#search-results")
        assert await wait_until(pilot, lambda: results.option_count > 3)
        await pilot.press("down")
        await assert_j_k_move(pilot, results)


# -- ? and Escape from a text box ----------------------------------------------------------


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
        for key, box_id in [("p", "#people-filter"), ("a", "#decisions-words")]:
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


async def test_escape_leaves_the_box_then_goes_back_and_q_quits_from_the_list(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert "esc Back" in footer(app) and "To the list" not in footer(app)
        await pilot.press("escape")  # an empty search: nothing to leave for, so back
        await pilot.pause()
        assert isinstance(app.screen, MeetingsScreen)
        await pilot.press("slash", *"oflog")
        results = app.screen.query_one("#search-results")
        assert await wait_until(pilot, lambda: results.option_count > 0)
        assert await wait_until(pilot, lambda: "esc To the list" in footer(app))
        await pilot.press("escape")
        assert results.has_focus and results.highlighted is not None
        assert app.screen.query_one("#search-input").value == "oflog"
        assert "? Keys" in footer(app) and "q Quit" in footer(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingsScreen)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("f", *"zzz")
        await pilot.press("escape")  # nobody matches: back to the meetings
        await pilot.pause()
        assert isinstance(app.screen, MeetingsScreen)
        await pilot.press("a", "q")
        await pilot.pause()
    assert app.return_code == 0


async def test_every_browse_screen_says_where_you_are(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        for key, title in [
            ("slash", "Search"),
            ("p", "People — "),
            ("t", "Topics"),
            ("a", "Decisions and actions"),
        ]:
            app.action_meetings()
            await pilot.press(key)
            await pilot.pause()
            assert screen_text(app).splitlines()[0].startswith(title), key
        await pilot.press("t", "enter")
        await pilot.pause()
        assert screen_text(app).splitlines()[0].startswith("Topic — ")
        await pilot.press("p", "enter")
        await pilot.pause()
        assert screen_text(app).splitlines()[0].startswith("Person — ")


# -- the item screen's earlier / later keys ------------------------------------------------


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_item_footer_offers_only_the_steps_there_are_and_the_others_say_why(make_app):
    from tuibrowser.tui.screens.item import ItemScreen

    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(app, pilot)
        # the last of three meetings on the topic: earlier yes, later no
        app.open_item("2020-05-21-improvement-innovation-board", "6")
        await pilot.pause()
        item = app.screen
        assert "[ Earlier" in footer(app) and "] Later" not in footer(app)
        assert "o Topic" in footer(app)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.screen is item
        assert "No later meeting on this topic." in notices(app)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen) and app.screen is not item
        assert app.screen.meeting.date == "2018-03-22"
        assert "[ Earlier" in footer(app) and "] Later" in footer(app)
        # an item that comes up only once: none of the three keys in the footer, each explains
        app.open_item("2023-07-21-improvement-innovation-board", "4")
        await pilot.pause()
        once = app.screen
        for text in ("[ Earlier", "] Later", "o Topic"):
            assert text not in footer(app)
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
        '"app.people" = "P"\n"app.quit" = "ctrl+q"\n[table]\ndown = ["j", "n"]\n',
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert notices(app) == []
        assert "^q Quit" in footer(app)
        await pilot.press("q")  # q is no longer bound: it starts the filter
        assert app.return_code is None and filter_box(app).value == "q"
        await pilot.press("escape", "p")
        assert filter_box(app).value == "p"
        await pilot.press("escape", "P")
        await pilot.pause()
        assert type(app.screen).__name__ == "PeopleScreen"
        table = app.screen.query_one("#people-table")
        await pilot.press("n", "n", "j")
        assert table.cursor_row == 3
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = table_rows(app.screen.query_one("#keys"))
        assert {row[0] for row in rows if row[-1] == "table.down"} == {"j", "n"}
        assert [row[0] for row in rows if row[-1] == "app.quit"] == ["^q"]
        assert "keymap.toml" in screen_text(app)
        await pilot.press("escape", "ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_bad_keymap_entries_are_told_plainly_and_the_good_ones_apply(
    make_app, private_user_dirs
):
    write_keymap(
        private_user_dirs,
        '"app.people" = "P"\n'
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
        await pilot.press("P")
        await pilot.pause()
        assert type(app.screen).__name__ == "PeopleScreen"
        await pilot.press("t")  # left as it was
        await pilot.pause()
        assert type(app.screen).__name__ == "TopicsScreen"


async def test_a_keymap_that_is_not_toml_changes_nothing_and_says_where(
    make_app, private_user_dirs
):
    path = write_keymap(private_user_dirs, '"app.people" = "P"\nthis is not toml\n')
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        told = notices(app)
        assert len(told) == 1
        assert str(path) in told[0] and "not valid TOML" in told[0] and "line 2" in told[0]
        await pilot.press("p")
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
    write_keymap(private_user_dirs, '"meetings.sort" = "f"\n')
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("f")
        assert app.screen.sort_column == "docs" and filter_box(app).value == ""
        await pilot.press("f")
        told = [n for n in notices(app) if n.startswith("Keymap:")]
        assert told == []
        assert [n for n in notices(app) if n.startswith("keymap.toml")] == [
            "keymap.toml: f is meetings.sort now, and meetings.filter (Filter) had it in the "
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
