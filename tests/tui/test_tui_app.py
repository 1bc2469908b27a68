"""The app shell: loading, the meeting list, global keys, help, palette, problems, new marks."""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import shutil
import stat
import threading
from pathlib import Path

import orjson
import pytest
from textual.binding import Binding
from tuihelp import cursor_key, ready, row_keys, screen_text, table_rows, wait_until

from tuibrowser.library import Library
from tuibrowser.model import Item, Meeting
from tuibrowser.state import SeenState, meeting_fingerprint
from tuibrowser.store import Cache
from tuibrowser.tui import app as app_module
from tuibrowser.tui.screens.help import HelpScreen
from tuibrowser.tui.screens.item import ItemScreen
from tuibrowser.tui.screens.meeting import MeetingScreen
from tuibrowser.tui.screens.meetings import PAGE, MeetingsScreen
from tuibrowser.tui.screens.problems import ProblemsScreen

SIZE = (80, 24)


def meetings_table(app):
    return app.screen.query_one("#meetings")


# -- loading ------------------------------------------------------------------------


async def test_first_frame_shows_header_and_loading_before_the_library(make_app, monkeypatch):
    gate = threading.Event()
    real_update = Cache.update

    def slow_update(self, progress=None):
        gate.wait(10)
        return real_update(self, progress)

    monkeypatch.setattr(Cache, "update", slow_update)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MeetingsScreen)
        assert app.library is None
        text = screen_text(app)
        assert "Loading the meetings…" in text
        assert "Date" in text and "Venue" in text  # the list header is there at once
        assert meetings_table(app).row_count == 0
        gate.set()
        await ready(app, pilot)
        assert app.library is not None
        assert meetings_table(app).row_count == len(app.library.meetings) > 0
        assert "Loading" not in screen_text(app)


class Recording(app_module.TuiBrowserApp):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stages: list[tuple[str, int]] = []

    def on_library_loaded(self, message):
        self.stages.append(("library", len(message.result.library.meetings)))
        super().on_library_loaded(message)


async def test_cached_list_in_the_first_frame_then_the_library(corpus, tmp_path, monkeypatch):
    from tuibrowser.store import layout

    monkeypatch.setattr(layout, "FIRST_PAGE", 3)
    cache_file = tmp_path / "c.json"
    Cache(corpus, cache_file).refresh()  # a cache exists from an earlier run
    loaded = threading.Event()
    real_load = Cache._load
    read = []

    def slow_load(self, texts=True):
        read.append(texts)
        assert loaded.wait(10)
        return real_load(self, texts)

    monkeypatch.setattr(Cache, "_load", slow_load)
    listed = threading.Event()
    real_rows = Cache.rows

    def slow_rows(self):
        assert listed.wait(10)
        return real_rows(self)

    monkeypatch.setattr(Cache, "rows", slow_rows)
    app = Recording(corpus, cache_path=cache_file, state=SeenState(tmp_path / "s.json"))
    async with app.run_test(size=SIZE) as pilot:
        # The first page is on screen from the cache's index alone, with the number of
        # meetings; the rest of the list follows before any document is read.
        await pilot.pause()
        assert app.library is None and "Loading" not in screen_text(app)
        assert meetings_table(app).row_count == 3 and "7 meetings" in screen_text(app)
        listed.set()
        assert await wait_until(pilot, lambda: read)  # the worker goes on once the frame is out
        await pilot.pause()
        assert meetings_table(app).row_count == 7 and app.library is None
        assert "2016-01-19" in screen_text(app)
        loaded.set()
        await ready(app, pilot)
        assert app.stages == [("library", 7)]
        assert meetings_table(app).row_count == len(app.library.meetings)
        # the browser's library comes without the long texts; an item reads its own
        assert read == [False] and app.library.lean
        m = app.library.meeting("2023-07-21-improvement-innovation-board")
        assert all(not it.minute for it in m.items)
        app.open_item(m.id, "4")
        await pilot.pause()
        assert "Oflog" in m.item("4").minute and m.id not in app.library.lean
        assert "The Chair invited Juliet Whitworth" in screen_text(app)  # the minute, on screen


async def test_without_a_cache_only_the_library_and_no_cache_with_no_cache(corpus, tmp_path):
    cache_file = tmp_path / "c.json"
    app = Recording(corpus, cache_path=cache_file, state=SeenState(tmp_path / "s.json"))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert app.stages == [("library", 7)]
    assert cache_file.exists()

    other = tmp_path / "never.json"
    app = Recording(corpus, cache_path=other, use_cache=False, state=SeenState(tmp_path / "s.json"))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert app.stages == [("library", 7)]
        assert meetings_table(app).row_count == len(app.library.meetings)
    assert not other.exists()


async def test_a_folder_that_cannot_be_read_is_reported_not_a_crash(make_app, tmp_path):
    app = make_app(tmp_path / "missing")
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert isinstance(app.screen, MeetingsScreen)
        # no crash; either an empty list or a message saying what went wrong
        text = screen_text(app)
        assert "0 meetings" in text or "Could not read the meetings" in text


# -- the meeting list ---------------------------------------------------------------------


async def test_list_is_newest_first_with_the_columns(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        table = meetings_table(app)
        lib = app.library
        assert row_keys(table) == [m.id for m in lib.meetings]
        dates = [m.date for m in lib.meetings]
        assert dates == sorted(dates, reverse=True)
        labels = [c.label.plain.rstrip(" ▲▼") for c in table.ordered_columns]
        # the new mark, then the mark of confidential items and cancelled meetings
        assert labels[2:] == ["Date", "Docs", "Venue", "Items", "Present"]
        may = lib.meeting("2018-05-24-improvement-innovation-board")
        row = table_rows(table)[row_keys(table).index(may.id)]
        assert row[1] == "C"  # item 8 is confidential
        assert row[2] == "2018-05-24"
        assert "M" in row[3]  # the minutes are there
        assert row[4].startswith("Smith Square")
        assert row[5] == str(len(may.items)) == "8"
        assert row[6] == str(sum(a.status == "present" for a in may.attendance))
        # one board only: its name is in the title, the column left out
        assert "Improvement & Innovation Board" in screen_text(app).splitlines()[0]


async def test_arrows_move_and_enter_opens(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        table = meetings_table(app)
        keys = row_keys(table)
        assert cursor_key(table) == keys[0]
        await pilot.press("down")
        assert cursor_key(table) == keys[1]
        await pilot.press("down", "down")
        assert cursor_key(table) == keys[3]
        await pilot.press("up", "up")
        assert cursor_key(table) == keys[1]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.meeting_id == keys[1]


async def test_typing_filters_across_date_venue_and_item_titles(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        table = meetings_table(app)
        total = table.row_count
        # typing on the list goes into the filter box
        await pilot.press("2", "0", "1", "8")
        await pilot.pause()
        assert app.focused.id == "filter"
        assert app.focused.value == "2018"
        assert row_keys(table) and all(k.startswith("2018-") for k in row_keys(table))
        assert f"of {total} meetings match" in screen_text(app)
        # escape clears the filter, and a second one goes back to the list
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == total
        assert app.focused.id == "filter"
        await pilot.press("escape")
        assert app.focused is table
        # Enter with several matches goes to the list
        await pilot.press("ctrl+f", "2", "0", "1", "8", "enter")
        assert app.focused is table and isinstance(app.screen, MeetingsScreen)
        await pilot.press("escape")
        # an item title: the Oflog launch was discussed in 2023
        await pilot.press(*"oflog")
        await pilot.pause()
        assert row_keys(table) == ["2023-07-21-improvement-innovation-board"]
        # a venue
        await pilot.press("escape", *"zoom")
        await pilot.pause()
        assert row_keys(table) == ["2020-05-21-improvement-innovation-board"]
        # Enter in the box opens the one meeting that matches
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.meeting_id == "2020-05-21-improvement-innovation-board"


async def test_sort_by_key_and_by_clicking_a_header(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        table = meetings_table(app)
        screen = app.screen
        await pilot.press("S")  # next column after date: docs
        assert screen.sort_column == "docs"
        docs = [r[3] for r in table_rows(table)]
        assert docs == sorted(docs)
        await pilot.press("R")
        assert [r[3] for r in table_rows(table)] == sorted(docs, reverse=True)
        # click the "Items" header
        x = 0
        for column in table.ordered_columns:
            if column.key.value == "items":
                break
            x += column.get_render_width(table)
        await pilot.click("#meetings", offset=(x + 2, 0))
        await pilot.pause()
        assert screen.sort_column == "items"
        items = [int(r[5]) for r in table_rows(table)]
        assert items == sorted(items, reverse=True)
        await pilot.click("#meetings", offset=(x + 2, 0))
        await pilot.pause()
        assert [int(r[5]) for r in table_rows(table)] == sorted(items)
        assert "▲" in table.columns["items"].label.plain


async def test_clicking_a_row_opens_the_meeting(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        table = meetings_table(app)
        target = row_keys(table)[2]
        await pilot.click("#meetings", offset=(5, 3))
        await pilot.pause()
        if not isinstance(app.screen, MeetingScreen):  # first click moves, second opens
            await pilot.click("#meetings", offset=(5, 3))
            await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.meeting_id == target


def big_library(n: int) -> Library:
    meetings = []
    for k in range(n):
        year, day = 2000 + k // 300, k % 300
        date = f"{year}-{1 + day // 28:02d}-{1 + day % 28:02d}"
        meetings.append(
            Meeting(
                id=f"{date}-board-{k % 3}",
                board=f"Board {k % 3}",
                date=date,
                venue=f"Room-{k:05d}",
                items=[Item(number="1", title=f"Topic {k}")],
            )
        )
    meetings.sort(key=lambda m: m.date, reverse=True)
    return Library(meetings=meetings)


async def test_a_large_list_is_shown_a_page_at_a_time(make_app, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    app = make_app(empty)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        lib = big_library(PAGE * 2 + 50)
        app.library = lib
        screen = app.screen
        screen.library_loaded(lib)
        await pilot.pause()
        table = meetings_table(app)
        assert table.row_count == PAGE
        assert f"showing {PAGE}" in screen_text(app)
        table.move_cursor(row=PAGE - 1)
        await pilot.pause()
        assert table.row_count == 2 * PAGE
        # filtering searches every meeting, not only the rows on screen
        last = "Room-00000"  # the oldest meeting: on no page shown so far
        await pilot.press(*last.lower())
        await pilot.pause()
        assert app.screen.query_one("#filter").value == last.lower()
        assert [r[5] for r in table_rows(table)] == [last]
        assert "Board" in [c.label.plain.rstrip(" ▲▼") for c in table.ordered_columns]


# -- global keys -----------------------------------------------------------------------------


async def test_escape_goes_back_and_m_goes_home(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        home = app.screen
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        await pilot.press("M")
        await pilot.pause()
        assert app.screen is home
        await pilot.press("escape")  # nothing below home: stays
        await pilot.pause()
        assert app.screen is home


@pytest.mark.parametrize(
    ("key", "module", "cls"),
    [
        ("slash", "search", "SearchScreen"),
        ("P", "people", "PeopleScreen"),
        ("T", "topics", "TopicsScreen"),
        ("A", "decisions", "DecisionsScreen"),
        ("D", "dashboard", "DashboardScreen"),
    ],
)
async def test_screen_keys_open_their_screen(make_app, key, module, cls):
    expected = getattr(importlib.import_module(f"tuibrowser.tui.screens.{module}"), cls)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, expected)


async def test_ctrl_q_quits(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_help_lists_the_active_keys_of_the_current_screen(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        expected = {app.get_key_display(b.binding) for b in app.screen.active_bindings.values()}
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = {row[0] for row in table_rows(app.screen.query_one("#keys"))}
        assert shown == expected
        descriptions = {row[1] for row in table_rows(app.screen.query_one("#keys"))}
        assert {"Items", "Attendance", "Quit", "Open"} <= descriptions
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        # on the meeting list, the list's own keys are there instead
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        descriptions = {row[1] for row in table_rows(app.screen.query_one("#keys"))}
        assert {"Filter", "Sort", "Open"} <= descriptions and "Items" not in descriptions


def _binding_classes():
    import tuibrowser.tui as tui

    for info in pkgutil.walk_packages(tui.__path__, tui.__name__ + "."):
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ == module.__name__ and "BINDINGS" in vars(obj):
                yield obj


def test_every_binding_has_an_id():
    classes = list(_binding_classes())
    assert app_module.TuiBrowserApp in classes and MeetingsScreen in classes
    for cls in classes:
        for b in cls.BINDINGS:
            assert isinstance(b, Binding), f"{cls.__name__}: use Binding(..., id=...)"
            assert b.id, f"{cls.__name__}: binding {b.key!r} has no id"


async def test_footer_shows_the_keys_that_apply(make_app):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "Filter" in footer and "Quit" in footer and "Back" not in footer
        await pilot.press("enter")
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "Attendance" in footer and "Back" in footer and "Filter" not in footer


async def test_palette_opens_a_meeting_by_date(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"meeting 2018-05-24")
        assert await wait_until(pilot, lambda: "Meeting 2018-05-24" in screen_text(app))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.meeting_id == "2018-05-24-improvement-innovation-board"


async def test_palette_knows_the_current_screen(make_app):
    from tuibrowser.tui.commands import BrowserCommands

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        app.open_meeting("2018-05-24-improvement-innovation-board")
        await pilot.pause()
        provider = BrowserCommands(app.screen)
        texts = [text for text, _, _ in provider._screen_commands()]
        assert any(t.startswith("Item 8. Digital Declaration") for t in texts)
        assert any(t.startswith("Attendee Paul Bettison") for t in texts)
        everything = [text for text, _, _ in provider._commands()]
        assert "Go to: people" in everything
        assert any(t.startswith("Person ") for t in everything)
        assert any(t.startswith("Meeting 2023-07-21") for t in everything)


def test_every_screen_of_the_palette_is_an_action_of_the_app():
    """The palette runs the app's actions by name: a name with no action would do nothing."""
    from tuibrowser.tui.commands import SCREENS

    actions = [action for _, action, _ in SCREENS]
    assert actions and all(
        callable(getattr(app_module.TuiBrowserApp, f"action_{a}", None)) for a in actions
    )


@pytest.mark.parametrize(
    ("label", "screen"),
    [("Go to: people", "PeopleScreen"), ("Show: keys of this screen", "HelpScreen")],
)
async def test_a_screen_chosen_in_the_palette_opens_as_its_key_does(make_app, label, screen):
    from tuibrowser.tui.commands import BrowserCommands

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        [run] = [run for text, run, _ in BrowserCommands(app.screen)._screens() if text == label]
        await run()
        await pilot.pause()
        assert type(app.screen).__name__ == screen


# -- skipped files and problems ----------------------------------------------------------------


@pytest.fixture
def broken_corpus(corpus, tmp_path) -> Path:
    root = tmp_path / "meetings"
    shutil.copytree(corpus, root)
    (root / "2019-01-01-broken-minutes.md").write_text("---\nboard: [unclosed\n---\n")
    (root / "2019-02-02-no-date-minutes.md").write_text("---\nboard: B\n---\n")
    return root


async def test_skipped_files_are_counted_and_explained(make_app, broken_corpus):
    app = make_app(broken_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert "2 files skipped — press ! to see why" in screen_text(app)
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        screen = app.screen
        errors = [p for p in screen.skipped if p.severity == "error"]
        assert {p.path.split(":")[0] for p in errors} == {
            "2019-01-01-broken-minutes.md",
            "2019-02-02-no-date-minutes.md",
        }
        assert all(p.message for p in [*screen.skipped, *screen.warnings])  # each says why
        assert screen.query_one("#problems").option_count == len(errors) + len(screen.warnings)
        text = screen_text(app)
        for p in errors:
            assert f"ERROR   {p.path}" in text
        # the messages wrap instead of being cut, and nothing offers to open what cannot be
        assert "Open" not in text.splitlines()[-1]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingsScreen)


# -- new or changed since last time ------------------------------------------------------------


async def test_new_and_changed_meetings_are_marked_on_the_next_opening(corpus, tmp_path):
    root = tmp_path / "meetings"
    shutil.copytree(corpus, root)
    state = SeenState(tmp_path / "state" / "seen.json")
    cache_file = tmp_path / "c.json"

    app = app_module.TuiBrowserApp(root, cache_path=cache_file, state=state)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        marks = [r[0] for r in table_rows(meetings_table(app))]
        assert set(marks) == {" "}  # first opening: nothing is "new"
    assert stat.S_IMODE(os.stat(state.path).st_mode) == 0o600

    changed = root / "2016-01-19-improvement-innovation-board-minutes.md"
    changed.write_text(changed.read_text().replace("## 8. ", "## 8. Changed: "))
    new = root / "2024-01-01-improvement-innovation-board-minutes.md"
    new.write_text('---\nboard: Improvement & Innovation Board\ndate: "2024-01-01"\n---\n')
    app = app_module.TuiBrowserApp(root, cache_path=cache_file, state=state)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        table = meetings_table(app)
        marked = {k for k, r in zip(row_keys(table), table_rows(table), strict=True) if r[0] == "●"}
        assert marked == {
            "2024-01-01-improvement-innovation-board",
            "2016-01-19-improvement-innovation-board",
        }
        assert "● 2 new or changed since you last looked" in screen_text(app)

    app = app_module.TuiBrowserApp(root, cache_path=cache_file, state=state)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert {r[0] for r in table_rows(meetings_table(app))} == {" "}


def test_seen_state_is_per_folder_and_survives_a_corrupt_file(tmp_path):
    state = SeenState(tmp_path / "seen.json")
    a = Meeting(id="2020-01-01-b", board="B", date="2020-01-01")
    b = Meeting(id="2021-01-01-b", board="B", date="2021-01-01")
    assert state.changed(tmp_path / "one", [a]) == set()  # never opened
    state.remember(tmp_path / "one", [a])
    assert state.changed(tmp_path / "one", [a, b]) == {b.id}
    assert state.changed(tmp_path / "two", [a, b]) == set()
    a2 = Meeting(id=a.id, board="B", date="2020-01-01", venue="moved")
    assert meeting_fingerprint(a2) != meeting_fingerprint(a)
    assert state.changed(tmp_path / "one", [a2]) == {a.id}
    state.path.write_text("{not json")
    assert state.changed(tmp_path / "one", [a]) == set()
    state.remember(tmp_path / "one", [a])
    assert state.seen(tmp_path / "one") == {a.id: meeting_fingerprint(a)}


# -- terminals --------------------------------------------------------------------------------


async def test_no_color_is_honoured(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert app.no_color
        assert "2018-05-24" in screen_text(app)


async def test_readable_at_200x60(make_app):
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await ready(app, pilot)
        text = screen_text(app)
        assert "Smith Square 3&4, Ground Floor, 18 Smith Square, London, SW1P 3HZ" in text
        await pilot.press("enter")
        await pilot.pause()
        assert "Items, in the order taken" in screen_text(app)


def test_seen_state_of_another_version_marks_nothing(tmp_path):
    # Fingerprints of another version mean nothing here: that is "never opened", not
    # "every meeting changed".
    state = SeenState(tmp_path / "seen.json")
    a = Meeting(id="2020-01-01-b", board="B", date="2020-01-01")
    state.remember(tmp_path / "one", [a])
    data = orjson.loads(state.path.read_bytes())
    assert data["version"] == 4
    data["version"] = 3  # (the merged meeting's fingerprints: every one other than now)
    data["roots"][str((tmp_path / "one").resolve())][a.id] = "an-old-fingerprint"
    state.path.write_bytes(orjson.dumps(data))
    assert state.changed(tmp_path / "one", [a]) == set()
    assert state.seen(tmp_path / "one") is None


def test_seen_state_module_is_core_without_textual():
    import subprocess
    import sys

    code = "import sys, tuibrowser.state; print('textual' in sys.modules, 'rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


async def test_parsing_without_the_c_yaml_loader_is_told(make_app, monkeypatch):
    import tuibrowser.yamlsafe as yamlsafe

    monkeypatch.setattr(yamlsafe, "C_LOADER", False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert any("without libyaml" in n.message for n in app._notifications)
