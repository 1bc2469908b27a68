"""The KPI dashboard and KPI screen, driven with Pilot on the real corpus."""

from __future__ import annotations

import io

import pytest
from kpi_host import Host, corpus
from rich.console import Console
from rich.text import Text
from textual.binding import Binding
from textual.color import Color
from textual.content import Content
from textual.widgets import DataTable, Input, Select, Static, TabbedContent, TabPane
from tuihelp import screen_text

from tuibrowser import attendance_stats, kpi
from tuibrowser.library import build
from tuibrowser.model import Document, Kpi, Summary
from tuibrowser.tui.screens.dashboard import DashboardScreen
from tuibrowser.tui.screens.kpi import KpiScreen

MAY_2018 = "2018-05-24-improvement-innovation-board"
# the rating filter steps with > and < : every rating, green amber red blue not stated, then all
NEXT, PREV = "greater_than_sign", "less_than_sign"
AMBER = [NEXT, NEXT]  # from every rating: green, then amber


@pytest.fixture(scope="module")
def library():
    return corpus()


def plain(widget: Static, width: int = 200) -> str:
    """The widget's text; a Rich renderable (a group, a grid) is rendered at ``width``."""
    content = widget.content
    if isinstance(content, Text):
        return content.plain
    if isinstance(content, str | Content):
        return str(content)
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


def codes(table: DataTable) -> list[str]:
    return [table.get_row_at(i)[0].plain for i in range(table.row_count)]


async def test_ratings_tab_shows_bar_numbers_and_findings(library):
    app = Host(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rep = next(r for r in kpi.periods(library) if r.meeting_id == MAY_2018 and r.rows)
        text = "\n".join(plain(w) for w in app.screen.query(".period"))
        # the bar labels every segment with a letter and count, and the numbers use words
        assert f"G {rep.counts['green']} " in text
        assert f"A {rep.counts['amber']} " in text
        assert f"– {rep.counts['not_stated']} " in text
        assert f"not stated {rep.counts['not_stated']}" in text
        assert "Stated: G 56 " in text  # the stated summary as a bar too
        assert "total 60 · green 56 · amber 4 · red 0" in text
        for finding in rep.findings:
            assert finding in " ".join(text.split())


async def test_amber_filter_shows_exactly_the_four_rows(library):
    app = Host(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*AMBER)
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "tab-kpis"
        table = app.screen.query_one("#kpi-table", DataTable)
        assert codes(table) == ["E1", "EP8", "LC12", "LC20"]
        assert {table.get_row_at(i)[1].plain for i in range(4)} == {"A amber"}
        progress = table.get_row_at(0)[2].plain
        assert progress.startswith("115/110") and progress.endswith("105% *")
        status = plain(app.screen.query_one("#kpi-status", Static))
        assert status.startswith("4 of ")
        await pilot.press(PREV, PREV)  # amber, green, every rating
        await pilot.pause()
        assert table.row_count == len(kpi.all_rows(library))
        assert "all ratings" in plain(app.screen.query_one("#kpi-status", Static))
        await pilot.press(PREV)  # round to the last: not stated
        await pilot.pause()
        expected = [r.code for r in kpi.all_rows(library) if r.rating == "not_stated"]
        assert codes(table) == expected


async def test_enter_opens_the_kpi_screen_with_full_text(library):
    app = Host(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*AMBER)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.calls == [("kpi", MAY_2018, "EP8")]
        screen = app.screen
        assert isinstance(screen, KpiScreen)
        ep8 = next(k for k in library.meeting(MAY_2018).kpis if k.code == "EP8")
        target = plain(screen.query_one("#kpi-target", Static))
        delivered = plain(screen.query_one("#kpi-delivered", Static))
        assert " ".join(ep8.target.split()) in " ".join(target.split())
        assert " ".join(ep8.delivered.split()) in " ".join(delivered.split())
        assert "A amber" in plain(screen.query_one("#kpi-heading", Static))
        history = screen.query_one("#kpi-history", DataTable)
        assert history.row_count == len(kpi.history(library, "EP8"))
        await pilot.press("o")
        await pilot.press("g")
        assert app.calls[1:] == [("item", MAY_2018, ep8.item), ("meeting", MAY_2018)]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_text_theme_and_period_filters_and_sort(library):
    app = Host(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+f")
        await pilot.press(*"graduate")
        await pilot.pause()
        table = app.screen.query_one("#kpi-table", DataTable)
        every = kpi.all_rows(library)
        assert codes(table) == [r.code for r in kpi.filter_rows(every, text="graduate")]
        assert table.row_count > 0
        app.screen.query_one("#kpi-text", Input).value = ""
        theme = next(r.kpi.theme for r in every if r.kpi.theme and r.kpi.theme.startswith("LEAD"))
        app.screen.query_one("#kpi-theme", Select).value = theme
        await pilot.pause()
        assert codes(table) == [r.code for r in every if r.kpi.theme == theme]
        app.screen.query_one("#kpi-theme", Select).clear()
        app.screen.query_one("#kpi-period", Select).value = "2017/18 Q4"
        await pilot.pause()
        assert table.row_count == sum(1 for r in every if r.period == "2017/18 Q4")
        table.focus()
        await pilot.press("S")  # by code
        await pilot.press("S")  # by rating: red, amber, not stated, blue, green
        await pilot.pause()
        ratings = [table.get_row_at(i)[1].plain for i in range(table.row_count)]
        n_amber = sum(1 for r in every if r.rating == "amber")
        assert ratings[:n_amber] == ["A amber"] * n_amber
        assert ratings[-1] == "G green"


async def test_trends_programme_and_attendance_tabs(library):
    app = Host(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "tab-trends"
        bodies = " ".join(plain(w) for w in app.screen.query(".series-text"))
        assert "2016 ██" in bodies and " 78%" in bodies
        assert "+8 (2016→2017)" in bodies
        await pilot.press("right_square_bracket")
        await pilot.pause()
        outputs = app.screen.query_one("#outputs-table", DataTable)
        assert outputs.row_count == len(kpi.outputs(library))
        words = {outputs.get_row_at(i)[1].plain for i in range(outputs.row_count)}
        assert words <= {"G green", "A amber", "R red", "B blue", "– not stated"}
        outputs.focus()
        await pilot.press("enter")
        first = kpi.outputs(library)[0]
        assert app.calls == [("item", first.meeting_id, first.output.item)]
        figures = app.screen.query_one("#figures-table", DataTable)
        names = [figures.get_row_at(i)[0].plain for i in range(figures.row_count)]
        assert any(n.startswith("MHCLG grant agreed for 2017/18") for n in names)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        people = attendance_stats.attendance(library)
        table = app.screen.query_one("#attendance-table", DataTable)
        assert table.row_count == len(people)
        row = table.get_row_at(0)
        assert [c.plain for c in row[1:5]] == [
            str(people[0].counts[s]) for s in ("present", "apologies", "in_attendance", "absent")
        ]
        legend = plain(app.screen.query_one("#attendance-legend", Static))
        assert "Apologies: a member who sent apologies" in legend
        table.focus()
        await pilot.press("enter")
        assert app.calls[-1] == ("person", people[0].key)


async def test_untrusted_text_is_not_markup():
    doc = Document(
        path="x.md",
        board="B",
        date="2020-01-01",
        kpis=[
            Kpi(code="[b]X1[/b]", rating="amber", period="[red]P[/red]", target="\x1b]0;t\x07go")
        ],
        summaries=[Summary(period="[red]P[/red]", total=1, green=1, label="[link]x[/link]")],
    )
    lib = build([doc])
    app = Host(lib)
    async with app.run_test(size=(80, 24)) as pilot:
        text = plain(app.screen.query_one("#period-0", Static))
        assert "[red]P[/red]" in text
        assert "\x1b" not in text
        await pilot.press(*AMBER, "enter")
        await pilot.pause()
        assert isinstance(app.screen, KpiScreen)
        assert "[b]X1[/b]" in plain(app.screen.query_one("#kpi-heading", Static))
        target = plain(app.screen.query_one("#kpi-target", Static))
        assert "\x1b" not in target and "\x07" not in target and "\\x1b" in target


async def test_empty_library_and_unknown_kpi():
    app = Host(build([]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "No KPI rows" in plain(app.screen.query_one("#no-periods", Static))
    app = Host(build([]), start="kpi", meeting_id="nope", code="E1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "No KPI E1" in plain(app.screen.query_one("#kpi-heading", Static))
        await pilot.press("o")
        assert app.calls == []


def test_every_binding_has_an_id():
    for screen in (DashboardScreen, KpiScreen):
        for b in screen.BINDINGS:
            assert isinstance(b, Binding) and b.id, (screen.__name__, b)


async def test_history_across_periods_opens_the_other_row():
    docs = [
        Document(
            path=f"{d}.md",
            board="B",
            date=d,
            kind="agenda",
            kpis=[Kpi(code="E1", rating=r, period=p, target=f"target {p}", item="5")],
        )
        for d, p, r in [("2020-01-01", "Q1", "green"), ("2020-04-01", "Q2", "red")]
    ]
    lib = build(docs)
    app = Host(lib, start="kpi", meeting_id="2020-04-01-b", code="E1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#kpi-history", DataTable)
        rows = [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert [(r[1], r[2]) for r in rows] == [("Q1", "G green"), ("Q2", "R red")]
        assert rows[1][0].startswith("▶")  # the row on screen is marked
        assert "reported in 2 periods" in plain(app.screen.query_one("#kpi-history-title", Static))
        table.focus()
        await pilot.press("enter")  # the cursor is on the first (Q1) row
        await pilot.pause()
        assert app.calls == [("kpi", "2020-01-01-b", "E1")]
        assert "target Q1" in plain(app.screen.query_one("#kpi-target", Static))


async def test_screens_redraw_when_the_app_reloads_the_library():
    def lib_with(rating: str):
        kp = Kpi(code="E1", rating=rating, period="Q1", target=f"was {rating}", item="5")
        return build([Document(path="x.md", board="B", date="2020-01-01", kpis=[kp])])

    app = Host(lib_with("green"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket")
        table = app.screen.query_one("#kpi-table", DataTable)
        assert table.get_row_at(0)[1].plain == "G green"
        new = lib_with("red")
        app.screen.library_loaded(new)
        await pilot.pause()
        table = app.screen.query_one("#kpi-table", DataTable)
        assert table.get_row_at(0)[1].plain == "R red"
        assert app.screen.query_one(TabbedContent).active == "tab-kpis"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, KpiScreen)
        app.screen.library_loaded(lib_with("amber"))
        await pilot.pause()
        assert "A amber" in plain(app.screen.query_one("#kpi-heading", Static))
        assert "was amber" in plain(app.screen.query_one("#kpi-target", Static))


# --- focus follows the tab ----------------------------------------------------------


def in_view(widget, scroll) -> bool:
    """True when some of ``widget`` is inside the visible part of ``scroll``."""
    return bool(widget.region) and scroll.content_region.overlaps(widget.region)


async def test_each_tab_hands_the_keyboard_to_its_main_widget(library):
    app = Host(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.focused is screen.query_one("#dash-overview")
        expected = ["#kpi-table", "#dash-trends", "#outputs-table", "#attendance-table"]
        for selector in expected:
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert screen.focused is screen.query_one(selector), selector
        await pilot.press("right_square_bracket")  # round to the first tab
        await pilot.pause()
        assert screen.focused is screen.query_one("#dash-overview")
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.focused is screen.query_one("#attendance-table")
        await pilot.press(NEXT)  # a rating key opens the KPI table, with the keyboard on it
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "tab-kpis"
        assert screen.focused is screen.query_one("#kpi-table")
        await pilot.press("left_square_bracket", "ctrl+f")  # Ctrl+F puts it in the text box
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "tab-kpis"
        assert screen.focused is screen.query_one("#kpi-text", Input)


async def test_trends_scroll_to_the_last_chart_at_80x24(library):
    app = Host(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        scroll = app.screen.query_one("#dash-trends")
        names = [s.series.name for s in kpi.series(library)]
        n = next(i for i, name in enumerate(names) if name.startswith("Sector-led improvement"))
        title = app.screen.query_one(f"#series-title-{n}", Static)
        assert not in_view(title, scroll)
        for _ in range(12):  # the keyboard is on the trends: PageDown scrolls them
            await pilot.press("pagedown")
            await pilot.pause()
            if in_view(title, scroll):
                break
        assert in_view(title, scroll)
        before = scroll.scroll_y
        await pilot.press("k", "k")
        await pilot.pause()
        assert scroll.scroll_y < before  # k scrolls back up here too


async def test_enter_opens_a_person_straight_after_the_tab_key(library):
    app = Host(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("left_square_bracket")  # Ratings → Attendance
        await pilot.press("j", "enter")
        await pilot.pause()
        people = attendance_stats.attendance(library)
        assert app.calls == [("person", people[1].key)]


# --- 80x24 ------------------------------------------------------------------------------


def footer_line(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_footer_keeps_tabs_keys_and_back_at_80x24(library):
    app = Host(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for tab in range(5):
            footer = footer_line(app)
            for word in ("[]", "Tab", "Rating", "Filter", "? Keys", "Back"):
                assert word in footer, (tab, footer)
            await pilot.press("right_square_bracket")
            await pilot.pause()


async def test_kpi_table_shows_target_and_delivered_at_80x24(library):
    app = Host(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*AMBER)
        await pilot.pause()
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if line.startswith("Code"))
        assert "Target" in header and "Delivered" in header
        table = app.screen.query_one("#kpi-table", DataTable)
        widths = {c.key.value: c.width for c in table.columns.values()}
        assert widths["target"] == widths["delivered"] >= 14
        e1 = next(line for line in lines if line.startswith("E1 "))
        assert "Deliver at" in e1 and "We have" in e1
        status = plain(app.screen.query_one("#kpi-status", Static))
        assert "< > rating, S sort" in status
        assert all(len(line) <= 78 for line in status.splitlines())
        await pilot.press("down")
        await pilot.resize_terminal(200, 60)  # the columns follow the terminal
        await pilot.pause()
        await pilot.pause()
        header = next(line for line in screen_text(app).splitlines() if line.startswith("Code"))
        assert "Theme" in header and "Period" in header  # room for everything
        assert table.cursor_row == 1 and app.screen.focused is table


async def test_programme_sources_are_on_screen_at_80x24(library):
    app = Host(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "tab-programme"
        lines = screen_text(app).splitlines()
        headers = [line for line in lines if line.startswith(("Project", "Figure"))]
        assert len(headers) == 2 and all("Source" in h for h in headers)
        first = kpi.outputs(library)[0]
        row = next(line for line in lines if line.startswith(first.output.project))
        assert f"{first.date} item {first.output.item}" in row


async def test_wrapped_findings_and_legend_lines_are_indented(library):
    app = Host(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = plain(app.screen.query_one("#period-0", Static), width=76)
        lines = text.splitlines()
        n = next(i for i, line in enumerate(lines) if line.startswith(" • Stated 56 green"))
        assert lines[n + 1].startswith("   ") and lines[n + 1].strip()  # under its own text
        legend = plain(app.screen.query_one("#attendance-legend", Static), width=76)
        lines = legend.splitlines()
        n = next(i for i, line in enumerate(lines) if line.startswith("In In attendance"))
        assert lines[n + 1].startswith("   ") and lines[n + 1].strip()


# --- what the numbers do not show --------------------------------------------------------


async def test_a_rating_that_rests_on_more_than_the_figures_is_marked_and_explained(library):
    app = Host(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*AMBER)
        await pilot.pause()
        table = app.screen.query_one("#kpi-table", DataTable)
        progress = {table.get_row_at(i)[0].plain: table.get_row_at(i)[2].plain for i in range(4)}
        assert progress["E1"].endswith("*")
        assert not progress["LC12"].endswith("*") and not progress["EP8"].endswith("*")
        status = plain(app.screen.query_one("#kpi-status", Static))
        assert "* rating rests on more than these figures" in status
        detail = plain(app.screen.query_one("#kpi-detail", Static))
        assert "E1: 115 of 110 (105%), 5 over" in detail
        assert "rated amber although the figures meet the target" in detail
        assert "Note: The target also sets a second count" in detail
        await pilot.press("down", "down")  # the detail follows the cursor
        await pilot.pause()
        detail = plain(app.screen.query_one("#kpi-detail", Static))
        assert detail.startswith("LC12: 13 of 20 (65%), 7 short")
        assert "rated" not in detail
        await pilot.press(PREV)  # no marked row among the green ones: no legend
        await pilot.pause()
        assert "*" not in plain(app.screen.query_one("#kpi-status", Static))


async def test_theme_filter_offers_rows_without_a_theme(library):
    app = Host(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right_square_bracket")
        select = app.screen.query_one("#kpi-theme", Select)
        labels = [str(prompt) for prompt, _ in select._options]
        assert "(no theme) (11 rows)" in labels
        select.value = kpi.NO_THEME
        await pilot.pause()
        table = app.screen.query_one("#kpi-table", DataTable)
        assert codes(table) == [f"SC{n}" for n in range(1, 12)]
        assert "(no theme)" in plain(app.screen.query_one("#kpi-status", Static))


# --- attendance -----------------------------------------------------------------------


async def test_attendance_counts_each_meeting_once_and_uses_the_common_spelling(library):
    app = Host(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("left_square_bracket")
        await pilot.pause()
        table = app.screen.query_one("#attendance-table", DataTable)
        rows = {table.get_row_at(i)[0].plain: table.get_row_at(i) for i in range(table.row_count)}
        assert "Alan Connett" in rows and "Alan Connet" not in rows
        years = [c.label.plain for c in table.columns.values()]
        col = years.index("2020")
        for name in ("Mike Haines", "Alan Connett"):
            assert rows[name][col].plain == "P1*"  # one meeting, counted as present, marked
            assert rows[name][3].plain == "0"  # no "in attendance" meeting on top
        legend = plain(app.screen.query_one("#attendance-legend", Static))
        assert "listed twice at one meeting (Mike Haines, Alan Connett)" in legend
        assert "present before in attendance before apologies before absent" in legend


# --- keys --------------------------------------------------------------------------------


async def test_j_and_k_move_in_the_dashboard_tables_without_a_filter(library):
    """The programme and attendance tables have no box: j and k move there (on the KPI table,
    which has one, they type: see tests/tui/test_tui_keys.py)."""
    app = Host(library)
    async with app.run_test(size=(120, 40)) as pilot:
        for selector in ("#outputs-table", "#attendance-table"):
            table = app.screen.query_one(selector, DataTable)
            pane = next(a for a in table.ancestors if isinstance(a, TabPane))
            app.screen.query_one(TabbedContent).active = pane.id
            await pilot.pause()
            assert app.screen.focused is table
            assert table.cursor_row == 0
            await pilot.press("j", "j")
            assert table.cursor_row == 2, selector
            await pilot.press("k")
            assert table.cursor_row == 1, selector


# --- NO_COLOR ---------------------------------------------------------------------------


def _luminance(color: Color) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def _contrast(fg: Color, bg: Color) -> float:
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


async def test_every_rating_keeps_full_contrast_under_no_color(library, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = Host(library)
    words = ("green", "amber", "red", "blue", "not stated")
    seen: set[str] = set()

    def check(widget) -> None:
        filters = app.get_line_filters()  # what the terminal gets: NO_COLOR turns colour grey
        cursor_line = widget.cursor_row + 1 if isinstance(widget, DataTable) else -1
        for y in range(widget.size.height):
            if y == cursor_line:
                continue  # the cursor's own colours are the theme's
            segments = list(widget.render_line(y))
            for f in filters:
                segments = f.apply(segments, Color.parse("#121212"))
            for seg in segments:
                if not any(w in seg.text for w in words) or seg.style is None:
                    continue
                seen.update(w for w in words if w in seg.text)
                style = seg.style
                assert not style.dim, seg
                fg = Color.from_rich_color(style.color) if style.color else None
                bg = Color.from_rich_color(style.bgcolor) if style.bgcolor else None
                if fg is not None and bg is not None:
                    assert _contrast(fg, bg) >= 4.5, (seg.text, fg.hex, bg.hex)

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        check(app.screen.query_one("#period-0"))
        assert {"green", "amber", "red", "blue", "not stated"} <= seen
        seen.clear()
        for keys, word in ((AMBER, "amber"), ([PREV] * 3, "not stated"), ([NEXT] * 2, "green")):
            await pilot.press(*keys, "down")  # the cursor off the first row, which is checked
            await pilot.pause()
            check(app.screen.query_one("#kpi-table"))
            assert word in seen


async def test_kpi_screen_explains_the_rating_and_scrolls_with_j_and_k(library):
    app = Host(library, start="kpi", meeting_id=MAY_2018, code="E1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        line = plain(screen.query_one("#kpi-progress", Static))
        assert "115 of 110 (105%), 5 over" in line
        assert "* rated amber on more than these figures: see the note" in line
        body = screen.query_one("#kpi-body")
        assert body.max_scroll_y > 0
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("k", "k", "k")
        await pilot.pause()
        assert body.scroll_y == 0
        history = screen.query_one("#kpi-history", DataTable)
        history.focus()
        await pilot.pause()
        await pilot.press("g")  # in the history too, g opens the meeting
        assert app.calls == [("meeting", MAY_2018)]
    app = Host(library, start="kpi", meeting_id=MAY_2018, code="LC20")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "rated" not in plain(app.screen.query_one("#kpi-progress", Static))


# --- the palette ------------------------------------------------------------------------


async def test_palette_finds_a_kpi_by_code_and_opens_it(make_app):
    from tuihelp import ready, wait_until

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"LC20")
        assert await wait_until(pilot, lambda: "KPI LC20 Roll out the" in screen_text(app))
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, KpiScreen))
        assert (app.screen.meeting_id, app.screen.code) == (MAY_2018, "LC20")


def test_palette_names_the_dashboard_as_the_d_key_does():
    from tuibrowser.tui.app import TuiBrowserApp
    from tuibrowser.tui.commands import SCREENS

    [d] = [b for b in TuiBrowserApp.BINDINGS if isinstance(b, Binding) and b.key == "D"]
    [label] = [text for text, action, _ in SCREENS if action == "dashboard"]
    assert label.startswith(f"Go to: {d.description}")


async def test_a_big_archive_draws_its_newest_periods_and_lists_its_first_rows():
    """An archive of thousands of periods and KPI rows opens its dashboard without laying out
    every one: the newest periods are drawn and the table holds the first rows, each tab
    saying how many there are in all; the filter box reaches the rest."""
    from tuibrowser.kpi.glance import DRAWN_AT_MOST
    from tuibrowser.tui.screens.dashboard.kpis_pane import SHOWN_AT_MOST

    periods = DRAWN_AT_MOST + 5
    per_period = SHOWN_AT_MOST // DRAWN_AT_MOST + 2
    docs = [
        Document(
            path=f"m{n}.md",
            board="B",
            date=f"{2000 + n // 300}-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
            kpis=[
                Kpi(code=f"K{n}-{j}", rating="green", period=f"Period {n}")
                for j in range(per_period)
            ],
        )
        for n in range(periods)
    ]
    lib = build(docs)
    rows = periods * per_period
    assert rows > SHOWN_AT_MOST
    app = Host(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert len(screen.query(".period")) == DRAWN_AT_MOST
        more = plain(screen.query_one("#ratings-more", Static))
        assert f"{DRAWN_AT_MOST:,} newest of {periods:,} periods" in more
        await pilot.press("right_square_bracket")
        await pilot.pause()
        table = screen.query_one("#kpi-table", DataTable)
        assert table.row_count == SHOWN_AT_MOST
        status = plain(screen.query_one("#kpi-status", Static))
        assert f"{rows:,} of {rows:,} rows" in status and "type to narrow" in status
        await pilot.press(*"k7-1")
        await pilot.pause()
        assert 0 < table.row_count < SHOWN_AT_MOST
        assert "type to narrow" not in plain(screen.query_one("#kpi-status", Static))
