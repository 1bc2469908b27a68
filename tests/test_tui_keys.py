"""Keys: type-to-filter against single-letter keys, j/k on every list, ? and Escape from text
boxes, keys that do not clash, an honest footer, and the user's keymap."""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key
from tuihelp import ready, screen_text, wait_until

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
        assert "1 of" in screen_text(app)


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
