"""Pilot tests of the search, people, topics and decisions screens on a host app."""

import pytest
from browse_support import HostApp, corpus_library, small_library
from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.widgets import DataTable, Input, OptionList, Static

from tuibrowser.tui.screens import people as people_module
from tuibrowser.tui.screens import topics as topics_module
from tuibrowser.tui.screens.decisions import DecisionsScreen
from tuibrowser.tui.screens.people import PeopleScreen, PersonScreen
from tuibrowser.tui.screens.search import SearchScreen
from tuibrowser.tui.screens.topics import TopicScreen, TopicsScreen

OFLOG = "2023-07-21-improvement-innovation-board"


def prompt_texts(prompt) -> list[Text]:
    """The Text objects an option's prompt is made of (a Text, or a Group of Text/Padding)."""
    if isinstance(prompt, Text):
        return [prompt]
    if isinstance(prompt, Group):
        return [t for r in prompt.renderables for t in prompt_texts(r)]
    if isinstance(prompt, Padding):
        return prompt_texts(prompt.renderable)
    raise AssertionError(f"unexpected prompt {prompt!r}")


def option_texts(options: OptionList) -> list[str]:
    return [
        "\n".join(t.plain for t in prompt_texts(options.get_option_at_index(i).prompt))
        for i in range(options.option_count)
    ]


def static_text(widget: Static) -> str:
    content = widget.content
    return content.plain if isinstance(content, Text) else str(content)


async def wait_for_results(pilot, screen):
    for _ in range(100):
        await pilot.pause(0.05)
        status = static_text(screen.query_one("#search-status", Static))
        if "match" in status.lower():
            await pilot.pause()
            return status
    raise AssertionError("search did not answer")


async def test_search_typing_shows_grouped_highlighted_hits_and_enter_opens_item():
    app = HostApp(corpus_library(), lambda lib: SearchScreen(lib))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.query_one(Input).has_focus
        await pilot.press(*"oflog")
        await wait_for_results(pilot, screen)
        options = screen.query_one(OptionList)
        texts = option_texts(options)
        assert texts[0] == "2023-07-21 Improvement & Innovation Board"
        assert options.get_option_at_index(0).disabled
        assert any("noted the newly launched Office for Local Government" in t for t in texts)
        # the match is highlighted with a style on its span, not with markup
        texts_1 = prompt_texts(options.get_option_at_index(1).prompt)
        styled = [
            t.plain[s.start : s.end] for t in texts_1 for s in t.spans if "reverse" in str(s.style)
        ]
        assert "Oflog" in styled and all(p.lower() == "oflog" for p in styled)
        await pilot.press("down")
        assert options.has_focus
        await pilot.press("enter")
        assert app.calls == [("item", OFLOG, "4")]


async def test_search_with_initial_query_opens_person_and_kpi():
    app = HostApp(corpus_library(), lambda lib: SearchScreen(lib, "billing"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await wait_for_results(pilot, screen)
        texts = option_texts(screen.query_one(OptionList))
        assert texts[0] == "People" and "Judi Billing" in texts[1]
        await pilot.press("down", "enter")
        assert app.calls[-1] == ("person", "judi-billing")
        screen.query_one(Input).value = "EP11a"
        await pilot.pause(0.3)
        await wait_for_results(pilot, screen)
        await pilot.press("ctrl+f")
        assert screen.query_one(Input).has_focus
        await pilot.press("enter")
        await pilot.pause(0.2)
        await pilot.press("enter")
        assert app.calls[-1] == ("kpi", "2018-05-24-improvement-innovation-board", "EP11a")


async def test_search_shows_confidential_badge_and_no_match():
    app = HostApp(corpus_library(), lambda lib: SearchScreen(lib, "digital declaration"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await wait_for_results(pilot, screen)
        assert any("CONFIDENTIAL" in t for t in option_texts(screen.query_one(OptionList)))
        screen.query_one(Input).value = "zzqqxx"
        await pilot.pause(0.3)
        await wait_for_results(pilot, screen)
        assert "No match" in static_text(screen.query_one("#search-status", Static))
        assert screen.query_one(OptionList).option_count == 0


async def test_people_lists_counts_and_meanings_filters_and_opens_person():
    app = HostApp(corpus_library(), lambda lib: PeopleScreen(lib))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        legend = static_text(screen.query_one("#people-legend", Static))
        assert "Apol.: sent apologies" in legend and "In att.: attended, not a member" in legend
        assert "as substitute" in legend and "as observer" in legend
        table = screen.query_one(DataTable)
        assert table.row_count == len(app.library.people)
        await pilot.press("ctrl+f", *"billing")
        assert table.row_count == 1
        row = [c.plain for c in table.get_row_at(0)]
        assert row[0] == "Judi Billing" and row[1] == "6"
        detail = static_text(screen.query_one("#people-detail", Static))
        assert "North Hertfordshire District Council 2016, 2018" in detail
        assert "Hertfordshire County Council 2020" in detail
        await pilot.press("enter")  # from the filter to the list
        assert table.has_focus
        await pilot.press("enter")
        assert isinstance(app.screen, PersonScreen) and app.screen.key == "judi-billing"


@pytest.mark.parametrize("first", [1, 5, 81, 82, 200])
async def test_people_listed_a_screenful_first_are_all_listed_and_a_filter_drops_the_rest(
    monkeypatch, first
):
    """The list fills a screenful first and the rest after that frame: then it holds everyone
    in order; a filter typed before the rest came lists only what it matches."""
    monkeypatch.setattr(people_module, "FIRST_ROWS", first)
    app = HostApp(corpus_library(), lambda lib: PeopleScreen(lib))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, PeopleScreen)
        table = screen.query_one(DataTable)
        await pilot.pause()
        keys = [r.key.value for r in table.ordered_rows]
        assert keys == [s.key for s in screen.summaries] and len(keys) == len(app.library.people)
        screen._fill("")  # filled again, and at once filtered: the rest of it never comes
        screen._fill("council")
        await pilot.pause()
        await pilot.pause()
        matching = [s.key for s in screen.summaries if "council" in s.haystack()]
        assert 1 < len(matching) < len(keys)
        assert [r.key.value for r in table.ordered_rows] == matching


async def test_people_show_substitutes_and_observers_as_such():
    app = HostApp(small_library(), lambda lib: PeopleScreen(lib))
    async with app.run_test(size=(80, 24)):
        table = app.screen.query_one(DataTable)
        rows = {table.get_row_at(i)[0].plain: table.get_row_at(i) for i in range(table.row_count)}
        assert rows["Bob Baker"][1].plain == "1 (1 sub)"
        assert rows["Bob Baker"][2].plain == "1"  # apologies
        assert rows["Dan Dale"][1].plain == "1 (1 obs)"
        assert rows["Carol Cole"][3].plain == "1"  # in attendance


async def test_person_screen_lists_meetings_and_opens_one():
    app = HostApp(corpus_library(), lambda lib: PersonScreen(lib, "judi-billing"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        head = static_text(screen.query_one("#person-head", Static))
        assert "Judi Billing" in head and "Hertfordshire County Council 2020" in head
        table = screen.query_one(DataTable)
        assert table.row_count == 6
        first = [c.plain for c in table.get_row_at(0)]
        assert first[0] == "2020-05-21" and first[1] == "Present"
        assert first[3] == "Hertfordshire County Council"
        await pilot.press("down", "enter")
        assert app.calls == [("meeting", "2018-05-24-improvement-innovation-board")]


async def test_person_screen_marks_substitute_and_unknown_key():
    app = HostApp(small_library(), lambda lib: PersonScreen(lib, "bob-baker"))
    async with app.run_test(size=(80, 24)):
        table = app.screen.query_one(DataTable)
        assert [c.plain for c in table.get_row_at(0)][1] == "Present (substitute)"
    app = HostApp(small_library(), lambda lib: PersonScreen(lib, "nobody"))
    async with app.run_test(size=(80, 24)):
        assert "No one" in static_text(app.screen.query_one("#person-head", Static))


async def test_topics_list_and_enter_opens_topic():
    app = HostApp(corpus_library(), lambda lib: TopicsScreen(lib))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(DataTable)
        rows = [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]
        first = rows[0]
        assert first[0] == "Highlighting Leadership offer"
        assert first[1] == "3" and first[2] == "2016–2020"
        assert rows[-1][3] == "procedural"
        await pilot.press("enter")
        assert app.calls == [("topic", "highlighting-leadership-offer")]


@pytest.mark.parametrize("first", [1, 2, 1000])
async def test_topics_list_comes_a_screenful_first_then_whole(monkeypatch, first):
    """The Topics list fills a screenful first and the rest after that frame: then it holds
    every topic in order; drawn again meanwhile, the rest of the first fill never comes."""
    monkeypatch.setattr(topics_module, "FIRST_ROWS", first)
    app = HostApp(corpus_library(), lambda lib: TopicsScreen(lib))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, TopicsScreen) and len(screen.topics) > 2
        table = screen.query_one(DataTable)
        await pilot.pause()
        keys = [t.key for t in screen.topics]
        assert [r.key.value for r in table.ordered_rows] == keys
        table.clear(columns=True)
        screen._fill()  # filled again, a screenful first
        screen._redraw(screen.topics[:2])  # at once, and the first fill's rest never comes
        await pilot.pause()
        await pilot.pause()
        assert [r.key.value for r in table.ordered_rows] == keys[:2]


async def test_topic_timeline_steps_and_opens_item():
    app = HostApp(corpus_library(), lambda lib: TopicScreen(lib, "highlighting-leadership-offer"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        detail = screen.query_one("#topic-detail", Static)
        assert "2016-01-19" in static_text(detail) and "1 of 3" in static_text(detail)
        await pilot.press("right")
        assert "2018-03-22" in static_text(detail)
        assert "Highlighting Leadership offer: update" in static_text(detail)
        await pilot.press("right_square_bracket")  # the item screen's "later"
        assert "2020-05-21" in static_text(detail) and "Decision:" in static_text(detail)
        await pilot.press("right")  # stays on the last
        assert "3 of 3" in static_text(detail)
        await pilot.press("left_square_bracket")
        await pilot.press("enter")
        assert app.calls == [("item", "2018-03-22-improvement-innovation-board", "7")]


async def test_decisions_filter_by_words_year_meeting_and_open_item():
    app = HostApp(corpus_library(), lambda lib: DecisionsScreen(lib))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        options = screen.query_one(OptionList)
        texts = option_texts(options)
        assert texts[0] == "2023-07-21 Improvement & Innovation Board"
        assert any("Action:" in t for t in texts) and any("Decision:" in t for t in texts)
        everything = options.option_count
        await pilot.press("ctrl+f", *"oflog")
        texts = option_texts(options)
        assert len(texts) == 2 and "4. Office for Local Government (Oflog) launch" in texts[1]
        await pilot.press("enter")  # to the list
        await pilot.press("enter")
        assert app.calls == [("item", OFLOG, "4")]
        words = screen.query_one(Input)
        words.value = "year:2016"
        await pilot.pause()
        texts = option_texts(options)
        assert texts[0].startswith("2016-01-19") and all(
            not t[:4].isdigit() or t.startswith("2016") for t in texts
        )
        words.value = "kind:action"
        await pilot.pause()
        assert all("Decision:" not in t for t in option_texts(options))
        words.value = ""
        await pilot.pause()
        assert options.option_count == everything


async def test_decisions_select_widgets_filter():
    from textual.widgets import Select

    app = HostApp(small_library(), lambda lib: DecisionsScreen(lib))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.query_one("#decisions-year", Select).value = "2020"
        await pilot.pause()
        texts = option_texts(screen.query_one(OptionList))
        assert texts[0] == "2020-03-05 Test Board" and len(texts) == 3
        assert any("CONFIDENTIAL" in t for t in texts)
        screen.query_one("#decisions-year", Select).clear()
        screen.query_one("#decisions-meeting", Select).value = "2021-04-07-test-board"
        await pilot.pause()
        texts = option_texts(screen.query_one(OptionList))
        assert texts[0] == "2021-04-07 Test Board" and "broadband" in texts[1]


def test_every_binding_has_an_id():
    for screen in (
        SearchScreen,
        PeopleScreen,
        PersonScreen,
        TopicsScreen,
        TopicScreen,
        DecisionsScreen,
    ):
        for binding in screen.BINDINGS:
            assert binding.id, (screen.__name__, binding.key)


async def test_people_filter_by_typing_at_once_and_down_to_the_list():
    app = HostApp(small_library(), lambda lib: PeopleScreen(lib))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(DataTable)
        await pilot.press(*"east")  # Ann Able's authority: Eastshire County Council
        assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == ["Ann Able"]
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        assert table.row_count == 4
        await pilot.press("down")
        assert table.has_focus
