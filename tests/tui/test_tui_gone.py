"""Files that change under the browser never crash it.

Screens hold meeting ids, item numbers and row indexes into a library that a refresh replaces
(the app reads the files again) or that reads an item's texts from a cache another process
brought up to date since (``tuibrowser index`` in another terminal). Every screen that looks
something up is opened, the meeting's files are changed, the refresh happens, and the keys
that look things up are pressed: what is gone is said ("This meeting is no longer in the
folder"), never raised (an error, even one the safety net catches, fails the test).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from tuihelp import ready, screen_text

from tuibrowser.library import Library
from tuibrowser.store import Cache
from tuibrowser.store import indexer as cache_module
from tuibrowser.tui.gone import row_at
from tuibrowser.tui.screens.item import ItemScreen
from tuibrowser.tui.screens.meeting import MeetingScreen

ROOT = Path(__file__).resolve().parents[2] / "meetings"
MAY = "2018-05-24-improvement-innovation-board"
KEPT, DROPPED = "2", "3"  # with "fewer items", the May meeting keeps items 1, 8 and 2
_ITEM = re.compile(r"^## \d+\.", re.M)

CHANGES = ["deleted", "fewer items", "unreadable", "broken"]
REFRESHES = ["index", "reload"]
SCREENS = ["meeting", "item", "person", "topic", "kpi", "search"]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A copy of the bundled meetings, and ``change(what)`` that changes the May meeting's
    files. As root a file of mode 000 is still readable: the cache's permission check is
    told the truth that an ordinary user would get."""
    root = tmp_path / "meetings"
    shutil.copytree(ROOT, root)
    files = sorted(root.glob("2018-05-24-*.md"))
    unreadable: set[str] = set()

    def change(what: str) -> None:
        for f in files:
            if what == "deleted":
                f.unlink()
            elif what == "fewer items":
                text = f.read_text(encoding="utf-8")
                heads = list(_ITEM.finditer(text))
                if len(heads) > 2:
                    f.write_text(text[: heads[2].start()], encoding="utf-8")
            elif what == "unreadable":
                f.chmod(0)
                unreadable.add(str(f))
            elif what == "broken":
                f.write_text("---\nboard: [never closed\ndate: 2018-05-24\n---\n# x\n")

    real = cache_module._readable
    monkeypatch.setattr(
        cache_module, "_readable", lambda path, st: str(path) not in unreadable and real(path, st)
    )
    yield root, change
    for f in files:
        if f.exists():
            f.chmod(0o644)


async def refresh(app, pilot, how: str) -> None:
    if how == "index":  # another process brings the cache up to date; the app's library stays
        Cache(app.root, app.cache_path).update()
    else:  # the app reads the files again: a new library
        app.load_library()
        await ready(app, pilot)
    await pilot.pause()


def record_told(app) -> list[str]:
    told: list[str] = []
    say = app.say

    def recording(message: str, *args, **kwargs) -> None:
        told.append(message)
        say(message, *args, **kwargs)

    app.say = recording
    return told


async def open_screen(app, pilot, which: str) -> None:
    lib = app.library
    if which == "meeting":
        app.open_meeting(MAY)
    elif which == "item":
        app.open_meeting(MAY)
        await pilot.pause()
        app.open_item(MAY, KEPT)
    elif which == "person":
        person = next(p for p in lib.people.values() if any(a.meeting == MAY for a in p.meetings))
        app.open_person(person.key)
    elif which == "topic":
        from tuibrowser.topics import find_topics

        key = next(
            t.key
            for t in find_topics(lib)
            if any(a.meeting_id == MAY and a.item_number == "4" for a in t.appearances)
        )
        app.open_topic(key)
    elif which == "kpi":
        code = next(k.code for k in lib.meeting(MAY).kpis if k.item == "5")
        app.open_kpi(MAY, code)
    elif which == "search":
        app.open_search("")
    await pilot.pause()
    await pilot.pause()


async def use_screen(app, pilot, which: str) -> list[str]:
    """Press the keys that look up what the screen shows (and follow them one step); what
    the screens said on the way."""
    screen = app.screen
    seen = [screen_text(app)]
    if which == "meeting":
        seen += await open_dropped_item(app, pilot)
        await pilot.press("escape", "n", "down", "enter")  # a person who attended
        await pilot.pause()
        await pilot.press("escape", "e", "escape", "x")
    elif which == "item":
        await pilot.press("left_square_bracket", "right_square_bracket")
        await pilot.press("full_stop", "comma", "comma", "full_stop", "full_stop", "o", "u")
    elif which == "person":
        table = screen.query_one("#person-meetings")
        keys = [r.value for r in table.rows]
        table.move_cursor(row=next(n for n, k in enumerate(keys) if k.endswith(MAY)))
        await pilot.press("o")
        await pilot.pause()
        if isinstance(app.screen, MeetingScreen):
            seen += await open_dropped_item(app, pilot)
    elif which == "topic":
        timeline = screen.query_one("#topic-timeline")
        appearances = screen.topic.appearances
        await pilot.press("left_square_bracket", "right_square_bracket", "left", "right")
        timeline.highlighted = next(n for n, a in enumerate(appearances) if a.meeting_id == MAY)
        await pilot.pause()
        await pilot.press("enter")
    elif which == "search":
        # a search over the library as read, whose word lists another process may have
        # replaced since; its first hit is item 3 of the May meeting
        await pilot.press(*"cyber security funded")
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        await pilot.pause()
        seen.append(screen_text(app))
        assert "3. LGA Cyber Security Funded Programme" in seen[-1]
        await pilot.press("enter", "enter")
    elif which == "kpi":
        await pilot.press("o")
        await pilot.pause()
        seen.append(screen_text(app))
        await pilot.press("escape", "g")
        await pilot.pause()
        await pilot.press("escape")
    await pilot.pause()
    await pilot.pause()
    return [*seen, screen_text(app)]


async def open_dropped_item(app, pilot) -> list[str]:
    """On the May meeting's screen: Enter on item 3 (gone when the files have fewer items).
    A meeting screen opened from a new library has no item 3 to press Enter on: it shows
    the meeting as the files have it now (said as "shows the files as they are")."""
    await pilot.press("i")
    table = app.screen.query_one("#items")
    keys = [r.value for r in table.rows]
    if f"item:{DROPPED}" not in keys:
        assert app.screen.library is app.library
        assert keys == [f"item:{n}" for n in ("1", "8", "2")]
        return ["shows the files as they are"]
    table.move_cursor(row=keys.index(f"item:{DROPPED}"))
    await pilot.press("enter")
    await pilot.pause()
    return []


@pytest.mark.parametrize("how", REFRESHES)
@pytest.mark.parametrize("what", CHANGES)
@pytest.mark.parametrize("which", SCREENS)
async def test_a_screen_outlives_the_files_it_shows(make_app, folder, which, what, how):
    root, change = folder
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        told = record_told(app)
        await open_screen(app, pilot, which)
        shown = type(app.screen)
        change(what)
        await refresh(app, pilot, how)
        seen = await use_screen(app, pilot, which)

        assert app.is_running
        assert app.errors_told == []  # the safety net caught nothing: nothing raised
        assert "Traceback" not in screen_text(app)
        if which == "item" and how == "index":
            # opened before the change, the item came with its meeting's texts: stepping
            # through that meeting's items shows them as they were read
            assert not any("no longer in the folder" in m for m in told), told
            assert isinstance(app.screen, ItemScreen | MeetingScreen)
        else:
            said = [m for m in told if m.startswith("This ") and "no longer in the folder" in m]
            said += [s for s in seen if "no longer in the folder" in s]
            said += [s for s in seen if s == "shows the files as they are"]
            assert said, (shown, told)


@pytest.mark.parametrize("how", REFRESHES)
async def test_opening_an_item_of_a_deleted_meeting_says_so_and_stays(make_app, folder, how):
    """The reported case: the meeting's files deleted and the folder indexed again while the
    meeting is open, then one of its items opened."""
    root, change = folder
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        told = record_told(app)
        app.open_meeting(MAY)
        await pilot.pause()
        change("deleted")
        await refresh(app, pilot, how)
        await pilot.press("enter")
        await pilot.pause()
        assert told == [f"This meeting ({MAY}) is no longer in the folder."]
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, MeetingScreen)  # and back to the list


async def test_an_item_the_files_still_hold_opens_with_its_text(make_app, folder):
    root, change = folder
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        told = record_told(app)
        app.open_meeting(MAY)
        await pilot.pause()
        change("fewer items")
        await refresh(app, pilot, "index")
        app.open_item(MAY, DROPPED)
        await pilot.pause()
        assert told == [f"This item ({DROPPED} at {MAY}) is no longer in the folder."]
        app.open_item(MAY, KEPT)
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen) and app.screen.number == KEPT
        assert "perceptions survey of our" in screen_text(app)  # its report, read anew


@pytest.mark.parametrize("what", CHANGES)
def test_library_says_gone_for_what_the_cache_no_longer_holds(folder, tmp_path, what):
    root, change = folder
    cache = Cache(root, tmp_path / "c.json")
    cache.update()
    lib = cache.load(texts=False)
    assert isinstance(lib, Library) and MAY in lib.lean
    change(what)
    cache.update()
    if what == "fewer items":
        assert lib.full(MAY) is not None
        assert lib.item(MAY, DROPPED) is None
        kept = lib.item(MAY, KEPT)
        assert kept is not None and kept.report is not None
        assert "perceptions survey of our membership" in kept.report.summary  # read anew
    else:
        assert lib.full(MAY) is None
        assert lib.item(MAY, KEPT) is None
    assert lib.meeting(MAY) is not None  # still listed: the list is what was read


@pytest.mark.parametrize("which", ["meeting", "item"])
async def test_a_screen_built_for_what_is_gone_shows_so_and_offers_back(make_app, which):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        if which == "meeting":
            app.push_screen(MeetingScreen(app.library, "1999-01-01-no-such-board"))
        else:
            app.push_screen(ItemScreen(app.library, MAY, "99"))
        await pilot.pause()
        text = screen_text(app)
        assert f"This {which} is no longer in the folder. Press Escape to go back." in text
        assert "Back" in text  # the footer offers the way back
        await pilot.press("escape")
        assert not isinstance(app.screen, MeetingScreen | ItemScreen)


@pytest.mark.parametrize(
    ("rows", "key", "expected"),
    [
        (["a", "b"], "1", "b"),
        (["a", "b"], "2", None),  # the list was replaced by a shorter one
        (["a", "b"], "o1", "b"),
        (["a"], "e5", None),
        (["a"], None, None),
        (["a"], "", None),
        (["a"], "x", None),
        ([], "0", None),
    ],
)
def test_row_at_never_raises(rows, key, expected):
    assert row_at(rows, key) == expected


def test_folder_fixture_really_changes_the_files(folder):
    root, change = folder
    change("fewer items")
    text = (root / f"{MAY}-minutes.md").read_text(encoding="utf-8")
    assert [m.group() for m in _ITEM.finditer(text)] == ["## 1.", "## 8."]


@pytest.mark.parametrize(
    "shard",
    [
        None,  # deleted
        b"not json",
        b"[]",
        b'{"documents": []}',
        b'{"documents": {"a": {"path": "p"}}}',
        b'{"documents": {"a": {"path": "p", "document": {"board": 5}}}}',
        b'{"documents": {"a": {"path": "p", "document": []}}}',
    ],
)
def test_an_items_texts_from_a_damaged_cache_are_gone_not_raised(folder, tmp_path, shard):
    """The texts are read from the cache when an item is opened: whatever its shard has
    become since, the meeting is gone (and asked again next time), nothing is raised."""
    import orjson

    from tuibrowser.base import shard_key

    root, _ = folder
    cache = Cache(root, tmp_path / "c.json")
    cache.update()
    lib = cache.load(texts=False)
    index = orjson.loads(cache.path.read_bytes())
    path = cache.shard_dir / index["meta"]["1"]["shards"][shard_key(MAY)]
    if shard is None:
        path.unlink()
    else:
        path.write_bytes(shard)
    assert lib.full(MAY) is None
    assert lib.item(MAY, KEPT) is None
    assert MAY in lib.lean  # not marked read: asked again next time
