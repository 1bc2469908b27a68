"""The item screen opened from search: the query's matches marked (styles on spans, never
markup), ``n`` / ``N`` stepping through them; and the report beside the minute on a wide
terminal (from 140 columns), ``s`` toggling side by side and stacked."""

from __future__ import annotations

from pathlib import Path

import pytest
from browse_support import doc, item
from tuihelp import ready, wait_until

from tuibrowser.search import fold, parse_query
from tuibrowser.tui.matches import CURRENT, MATCH, MatchText
from tuibrowser.tui.screens.item import SIDE_BY_SIDE_WIDTH, ItemScreen

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
MARCH = "2019-03-01-sample-board"
MAY_2018 = "2018-05-24-improvement-innovation-board"


async def open_item(app, pilot, meeting_id, number, query=None) -> ItemScreen:
    await ready(app, pilot)
    app.open_item(meeting_id, number, highlight=parse_query(query) if query else None)
    await pilot.pause()
    assert isinstance(app.screen, ItemScreen)
    await pilot.pause()
    return app.screen


def marked(widget: MatchText) -> list[tuple[str, str]]:
    """(text, style) of each styled span of what the widget shows."""
    shown = widget._marked()
    return [(shown.plain[s.start : s.end], str(s.style)) for s in shown.spans]


def visible(screen, widget: MatchText, n: int) -> bool:
    """Whether the line of the ``n``-th match of ``widget`` is inside its column on screen."""
    column = screen.query_one(
        "#side" if screen.side and widget.id.startswith("match-report") else "#body"
    )
    y = widget.region.y + widget.line_of(n)
    return bool(widget.region) and column.region.y <= y < column.region.bottom


def status(screen) -> str:
    return str(screen.query_one("#match-status").render())


@pytest.mark.parametrize("query", ["sector-led", '"sector led"', "sector/led"])
async def test_matches_are_marked_and_n_and_N_step_through_them(make_app, query):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_item(app, pilot, MAY_2018, "2", query)
        total = len(screen.matches)
        assert total > 3
        assert status(screen).startswith(f"Match 1 of {total} for sector led")
        texts = list(screen.query(MatchText))
        assert {t.id for t in texts} >= {"match-minute", "match-report-summary"}
        for t in texts:
            spans = marked(t)
            assert spans and all(" ".join(fold(p).split()) == "sector led" for p, _ in spans)
            assert {style for _, style in spans} <= {MATCH, CURRENT}
        seen = []
        for k in range(total):
            widget, n = screen.matches.places[screen.matches.current]
            assert screen.matches.current == k
            assert [s for _, s in marked(widget)].count(CURRENT) == 1  # one current match
            assert await wait_until(pilot, lambda w=widget, n=n: visible(screen, w, n))
            seen.append((widget.id, n))
            await pilot.press("n")
            await pilot.pause()
        assert screen.matches.current == 0  # round the page
        assert len(set(seen)) == total
        await pilot.press("N")
        await pilot.pause()
        assert screen.matches.current == total - 1
        assert status(screen).startswith(f"Match {total} of {total}")
        footer = [b.binding.description for b in screen.active_bindings.values() if b.enabled]
        assert "Next match" in footer


async def test_from_the_search_screen_the_item_opens_with_the_query_marked(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        app.open_search("oflog")
        assert await wait_until(pilot, lambda: app.screen.hits, tries=200)
        await pilot.press("down", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ItemScreen) and screen.terms == ["oflog"]
        assert len(screen.matches) >= 1
        assert all(p.lower() == "oflog" for t in screen.query(MatchText) for p, _ in marked(t))


async def test_without_a_search_n_says_so_and_nothing_is_marked(make_app):
    app = make_app(SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_item(app, pilot, MARCH, "2")
        assert not screen.query(MatchText) and not screen.query("#match-status")
        await pilot.press("n")
        await pilot.pause()
        assert any("Nothing to step through" in str(n.message) for n in app._notifications)


async def test_a_term_not_in_the_item_leaves_its_markdown_alone(make_app):
    app = make_app(SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_item(app, pilot, MARCH, "2", "zyzzyva")
        assert not screen.query(MatchText) and len(screen.matches) == 0
        assert status(screen).startswith("No match on this item for zyzzyva")


async def test_marked_text_is_literal_and_its_controls_are_visible():
    from browse_support import HostApp

    from tuibrowser.library import build

    minute = "A [bold]budget[/bold] line with \x1b[31mred\x1b[0m and budget again."
    lib = build([doc("2024-01-01", [item("1", "Finance", minute)])])
    meeting = lib.meetings[0].id
    app = HostApp(lib, lambda lib: ItemScreen(lib, meeting, "1", highlight=["budget"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        (widget,) = app.screen.query(MatchText)
        shown = widget._marked().plain
        assert "[bold]budget[/bold]" in shown  # markup is text
        assert "\x1b" not in shown and "\\x1b[31m" in shown
        assert [p for p, _ in marked(widget)] == ["budget", "budget"]


# -- the report beside the minute ------------------------------------------------------


def columns(screen) -> tuple[list[str], list[str]]:
    body = [w.id for w in screen.query_one("#body").children]
    side = [w.id for w in screen.query_one("#side").children]
    return body, side


async def test_wide_terminal_puts_the_report_beside_the_minute(make_app):
    app = make_app(SAMPLE)
    async with app.run_test(size=(SIDE_BY_SIDE_WIDTH, 40)) as pilot:
        screen = await open_item(app, pilot, MARCH, "2")
        assert screen.side and screen.has_class("-side")
        body, side = columns(screen)
        assert side == ["report"] and "report" not in body and "minute" in body
        left, right = screen.query_one("#body").region, screen.query_one("#side").region
        assert right.x >= left.right and right.y == left.y  # beside, not under
        await pilot.press("s")
        await pilot.pause()
        body, side = columns(screen)
        assert not screen.side and side == []
        assert body.index("report") == body.index("minute") + 1  # stacked as at 80 columns
        assert not screen.query_one("#side").display
        await pilot.press("s")
        await pilot.pause()
        assert screen.side and columns(screen)[1] == ["report"]


@pytest.mark.parametrize("width", [80, 120, SIDE_BY_SIDE_WIDTH - 1])
async def test_narrower_terminals_stack_as_before_and_s_puts_them_side_by_side(make_app, width):
    app = make_app(SAMPLE)
    async with app.run_test(size=(width, 30)) as pilot:
        screen = await open_item(app, pilot, MARCH, "2")
        body, side = columns(screen)
        assert not screen.side and side == [] and body.index("report") > body.index("minute")
        await pilot.press("s")
        await pilot.pause()
        assert screen.side and columns(screen)[1] == ["report"]


async def test_the_width_decides_until_the_user_chooses(make_app):
    app = make_app(SAMPLE)
    async with app.run_test(size=(80, 30)) as pilot:
        screen = await open_item(app, pilot, MARCH, "2")
        assert not screen.side
        await pilot.resize_terminal(SIDE_BY_SIDE_WIDTH + 10, 30)
        assert await wait_until(pilot, lambda: screen.side)
        await pilot.resize_terminal(100, 30)
        assert await wait_until(pilot, lambda: not screen.side)
        await pilot.press("s")  # the user's choice holds whatever the width
        await pilot.pause()
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert screen.side


async def test_the_columns_scroll_on_their_own(make_app):
    app = make_app()
    async with app.run_test(size=(SIDE_BY_SIDE_WIDTH, 30)) as pilot:
        screen = await open_item(app, pilot, MAY_2018, "2")
        body, side = screen.query_one("#body"), screen.query_one("#side")
        assert screen.side and side.max_scroll_y > 0 and body.max_scroll_y > 0
        body.focus()
        await pilot.press("j", "j", "j")
        assert await wait_until(pilot, lambda: body.scroll_y > 0)
        assert side.scroll_y == 0
        side.focus()
        await pilot.press("end")
        assert await wait_until(pilot, lambda: side.scroll_y == side.max_scroll_y)
        before = body.scroll_y
        await pilot.press("k")
        await pilot.pause()
        assert body.scroll_y == before and side.scroll_y < side.max_scroll_y


async def test_an_item_without_a_report_stays_stacked_and_says_why(make_app):
    app = make_app(SAMPLE)
    async with app.run_test(size=(SIDE_BY_SIDE_WIDTH, 40)) as pilot:
        screen = await open_item(app, pilot, MARCH, "1")
        assert screen.item.report is None and not screen.side
        await pilot.press("s")
        await pilot.pause()
        assert not screen.side
        assert any("no agenda report" in str(n.message) for n in app._notifications)


async def test_matches_in_the_report_are_kept_when_it_moves(make_app):
    app = make_app(SAMPLE)
    async with app.run_test(size=(80, 30)) as pilot:
        screen = await open_item(app, pilot, MARCH, "2", "programme")
        total = len(screen.matches)
        assert total >= 3
        while not screen.matches.places[screen.matches.current][0].id.startswith("match-report"):
            await pilot.press("n")
            await pilot.pause()
        current = screen.matches.current
        await pilot.press("s")
        assert await wait_until(pilot, lambda: screen.side and screen.query("#side MatchText"))
        await pilot.pause()
        assert len(screen.matches) == total and screen.matches.current == current
        widget, n = screen.matches.places[current]
        assert widget.id.startswith("match-report") and widget.current == n
        assert await wait_until(pilot, lambda: visible(screen, widget, n))


def test_the_new_keys_have_ids_for_the_keymap():
    from tuibrowser.tui.keymap import binding_ids

    ids = binding_ids()
    assert {"item.side", "item.next_match", "item.previous_match"} <= set(ids)
    assert ids["item.side"].key == "s" and ids["item.next_match"].key == "n"
    assert ids["item.previous_match"].key == "N"


async def test_the_search_screen_shows_several_snippets_and_the_count():
    from browse_support import HostApp, corpus_library
    from textual.widgets import OptionList

    from tuibrowser.tui.screens.search import SearchScreen, hit_texts

    app = HostApp(corpus_library(), lambda lib: SearchScreen(lib, "sector-led"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert await wait_until(pilot, lambda: screen.hits, tries=200)
        oid, hit = next(
            (k, h) for k, h in screen.hits.items() if h.title.startswith("2. LGA Perceptions")
        )
        line, contexts = hit_texts(hit)
        # the count is one unit (a no-break space), so a long title never splits it
        assert line.plain.endswith(f"{hit.matches}\N{NO-BREAK SPACE}matches") and hit.matches > 3
        assert len(contexts) == 3
        for context in contexts:
            styled = [
                context.plain[s.start : s.end] for s in context.spans if "reverse" in str(s.style)
            ]
            assert styled and all(" ".join(fold(p).split()) == "sector led" for p in styled)
        options = screen.query_one(OptionList)
        prompt = options.get_option(oid).prompt
        assert len(prompt.renderables) == 4  # the title line and three snippets
        await pilot.press("down", "enter")
        assert app.highlight == ["sector led"]  # the item opens with the query's terms
