"""What changed since the user last looked, in the browser: a meeting's page says what changed,
and the changes view (c) lists every change found since a date."""

from __future__ import annotations

import shutil
from pathlib import Path

from tuihelp import ready, screen_text, table_rows

from tuibrowser.tui.screens.changes import ChangesScreen
from tuibrowser.tui.screens.meeting import MeetingScreen

CORPUS = Path(__file__).resolve().parents[2] / "meetings"
MAY = "2018-05-24-improvement-innovation-board"
MAY_MINUTES = f"{MAY}-minutes.md"


def copy_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "meetings"
    shutil.copytree(CORPUS, root)
    return root


def edit_may(root: Path) -> None:
    """Bettison sends apologies, a minute is reworded, an item is added, the venue moves."""
    path = root / MAY_MINUTES
    text = path.read_text()
    text = text.replace("    authority: \"Bracknell Forest Borough Council\"\n    status: present",
                        "    authority: \"Bracknell Forest Borough Council\"\n    status: apologies", 1)  # fmt: skip
    text = text.replace("venue: Smith Square 3&4", "venue: Room 9, Smith Square 3&4", 1)
    text = text.replace("on Thursday 22 March 2018, were agreed.\n\n###", "were agreed.\n\n###", 1)
    text += "\n## 9. Any other business\n\nNothing was raised.\n"
    path.write_text(text)


async def look(make_app, root: Path, size=(80, 24), public: bool = False, then=None):
    app = make_app(root, public=public)
    async with app.run_test(size=size) as pilot:
        await ready(app, pilot)
        if then is not None:
            return await then(app, pilot)
    return app


async def test_the_first_opening_tells_no_changes(make_app, tmp_path):
    root = copy_corpus(tmp_path)
    app = await look(make_app, root)
    assert app.changes is not None and app.changes.changes == {}


async def test_a_meetings_page_says_what_changed_since_the_last_look(make_app, tmp_path):
    root = copy_corpus(tmp_path)
    await look(make_app, root)
    edit_may(root)

    async def open_may(app, pilot):
        assert app.new_meetings == {MAY}
        app.open_meeting(MAY)
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        return screen_text(app)

    text = await look(make_app, root, size=(120, 40), then=open_may)
    assert "What changed since you last looked" in text
    assert "item added: 9. Any other business" in text
    assert "item edited: 7. Note of the Previous Meeting" in text
    assert "attendance: Cllr Paul Bettison OBE: present → apologies" in text
    assert "details: venue: Smith Square 3&4" in text

    async def open_other(app, pilot):
        app.open_meeting("2023-07-21-improvement-innovation-board")
        await pilot.pause()
        return screen_text(app)

    assert "What changed" not in await look(make_app, root, then=open_other)  # unchanged
    # seen now: the next opening tells nothing on the page
    text = await look(make_app, root, size=(120, 40), then=open_may_page)
    assert "What changed" not in text and "Any other business" in text


async def open_may_page(app, pilot):
    assert app.new_meetings == set()
    app.open_meeting(MAY)
    await pilot.pause()
    return screen_text(app)


async def test_the_changes_view_lists_the_changes_since_a_date_and_opens_the_meeting(
    make_app, tmp_path
):
    root = copy_corpus(tmp_path)
    await look(make_app, root)
    edit_may(root)

    async def changes_view(app, pilot):
        await pilot.press("C")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChangesScreen)
        rows = table_rows(screen.query_one("#changes"))
        kinds = [r[3] for r in rows]
        assert kinds == ["item added", "item edited", "attendance", "details"]
        assert rows[1][4] == "7. Note of the Previous Meeting"  # its minute, read from the cache
        assert all(r[1] == "2018-05-24" for r in rows)
        assert "4 changes in 1 meeting" in screen_text(app)
        # a later date: nothing found since
        await pilot.press("ctrl+f")
        box = screen.query_one("#changes-since")
        box.value = "2999-01-01"
        await pilot.pause()
        assert table_rows(screen.query_one("#changes")) == []
        assert "No changes found since 2999-01-01" in screen_text(app)
        box.value = "not a date"
        await pilot.pause()
        assert "Type a date as YYYY-MM-DD" in screen_text(app)
        box.value = "2000"
        await pilot.pause()
        assert len(table_rows(screen.query_one("#changes"))) == 4
        screen.query_one("#changes").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen) and app.screen.meeting_id == MAY
        return True

    assert await look(make_app, root, then=changes_view)
    # the next opening, nothing changed since: the changes found before are still listed
    app = await look(make_app, root)
    assert app.changes is not None and app.changes.changes == {}
    assert [len(e.changes) for e in app.changes.log] == [4]


async def test_switching_public_on_or_off_is_not_a_change(make_app, tmp_path):
    root = copy_corpus(tmp_path)
    await look(make_app, root)
    await look(make_app, root, public=True)
    for public in (False, True, False):
        app = await look(make_app, root, public=public)
        assert app.new_meetings == set(), public
        assert app.changes is not None and app.changes.changes == {}, public


async def test_what_changed_arriving_after_the_page_is_drawn_is_shown_on_it():
    """What changed is sought after the library is shown: a meeting's page drawn before it
    arrives says it once it does, above the items (and the changes view fills in too)."""
    from browse_support import corpus_library
    from hostapp import HostApp

    from tuibrowser.change_log import Found
    from tuibrowser.changes import Change

    meeting = "2018-03-22-improvement-innovation-board"
    app = HostApp(corpus_library(), lambda lib: MeetingScreen(lib, meeting))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#what-changed")
        found = Found(changes={meeting: [Change("item added", "10. A new item")]}, since="x")
        app.changes = found
        app.updates.changes.publish(found)
        await pilot.pause()
        text = screen_text(app)
        assert "What changed since you last looked" in text and "10. A new item" in text
        assert text.index("10. A new item") < text.index("Items, in the order taken")
