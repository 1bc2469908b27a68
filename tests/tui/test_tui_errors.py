"""The safety net: an error nobody expected is a message, never a traceback with locals.

Each error here is raised by a handler whose local variable holds a secret (as a handler's
locals hold the text of the records): the secret never reaches the screen nor stderr; with
TUIBROWSER_DEBUG=1 it is in the log file alone, which only the user may read.
"""

from __future__ import annotations

import asyncio
import os
import stat
import sys
import time
from pathlib import Path

import pytest
from textual.worker import WorkerFailed
from tuihelp import ready, screen_text

from tuibrowser import debuglog
from tuibrowser.tui.app import TuiBrowserApp
from tuibrowser.tui.screens.meeting import MeetingScreen
from tuibrowser.tui.screens.meetings import MeetingsScreen

SECRET = "SECRET-MINUTE-TEXT-4711"
MAY = "2018-05-24-improvement-innovation-board"
PACKAGE = Path(__file__).resolve().parents[2] / "tuibrowser"


def failing(*args, **kwargs):
    minute_text = SECRET  # noqa: F841 - the local a traceback with locals would show
    raise RuntimeError("opening failed")


def log_files() -> list[Path]:
    return sorted(debuglog.log_dir().glob(f"{debuglog.LOG_PREFIX}*.log"))


@pytest.fixture
def no_debug(monkeypatch):
    monkeypatch.delenv("TUIBROWSER_DEBUG", raising=False)


async def test_an_error_in_a_screen_goes_back_and_says_so(make_app, monkeypatch, no_debug):
    monkeypatch.setattr(TuiBrowserApp, "open_item", failing)
    app = make_app()
    app.raise_after_test = False
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(app, pilot)
        app.open_meeting(MAY)
        await pilot.pause()
        await pilot.press("enter")  # the meeting screen's handler raises
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MeetingsScreen)  # the screen that failed is gone
        assert len(app.errors_told) == 1
        told = app.errors_told[0]
        assert told.startswith("Something went wrong in the meeting screen")
        assert "RuntimeError: opening failed" in told and "went back" in told
        assert "TUIBROWSER_DEBUG=1" in told
        text = screen_text(app)
        assert "Something went wrong" in text
        assert SECRET not in text and "Traceback" not in text
        await pilot.press("enter")  # and the app goes on: the meeting opens again
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
    assert app.return_code in (0, None)
    assert log_files() == []  # no log without TUIBROWSER_DEBUG


async def test_an_error_in_an_action_is_told_and_the_app_stays(make_app, monkeypatch, no_debug):
    monkeypatch.setattr(TuiBrowserApp, "action_help", failing)
    app = make_app()
    app.raise_after_test = False
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(app, pilot)
        app.open_meeting(MAY)
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)  # where it was
        assert [t.split(" (")[0] for t in app.errors_told] == [
            "Something went wrong in the action 'help'"
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingsScreen)  # keys still work
        assert SECRET not in screen_text(app)


async def test_an_error_in_a_worker_is_told_and_the_app_stays(make_app, no_debug):
    app = make_app()
    app.raise_after_test = False
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(app, pilot)
        worker = app.run_worker(failing, thread=True)
        with pytest.raises(WorkerFailed):
            await worker.wait()
        await pilot.pause()
        assert app.is_running
        assert app.errors_told and "a background task" in app.errors_told[0]
        assert "RuntimeError: opening failed" in app.errors_told[0]


async def test_an_error_with_nowhere_to_go_back_ends_with_one_line(
    make_app, monkeypatch, capsys, no_debug
):
    """The first screen has nothing under it: the app ends, saying what went wrong on one
    line and nothing else (Textual would print a traceback with every frame's locals)."""
    monkeypatch.setattr(TuiBrowserApp, "open_meeting", failing)
    app = make_app()
    app.raise_after_test = False
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(app, pilot)
        app.simulate_key("enter")  # the meeting list's handler raises (no Pilot wait: it ends)
        for _ in range(200):
            if app.return_code is not None:
                break
            await asyncio.sleep(0.05)
    assert app.return_code == 1
    err = capsys.readouterr().err
    assert "tuibrowser: error: RuntimeError: opening failed" in err
    assert "TUIBROWSER_DEBUG=1" in err
    assert SECRET not in err and "Traceback" not in err and "minute_text" not in err


async def test_under_pilot_a_caught_error_still_fails_the_test(make_app, monkeypatch, no_debug):
    """No test passes over an error because the net caught it: run_test raises it at the end."""
    monkeypatch.setattr(TuiBrowserApp, "action_help", failing)
    app = make_app()
    with pytest.raises(RuntimeError, match="opening failed"):
        async with app.run_test(size=(120, 30), notifications=True) as pilot:
            await ready(app, pilot)
            await pilot.press("question_mark")
            await pilot.pause()
            assert app.is_running


async def test_debug_log_holds_the_details_the_screen_does_not(make_app, monkeypatch):
    monkeypatch.setenv("TUIBROWSER_DEBUG", "1")
    monkeypatch.setattr(TuiBrowserApp, "open_item", failing)
    app = make_app()
    app.raise_after_test = False
    async with app.run_test(size=(200, 30), notifications=True) as pilot:
        await ready(app, pilot)
        app.open_meeting(MAY)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        [log] = log_files()
        told = app.errors_told[0]
        assert f"Details in {log}" in told
        assert SECRET not in screen_text(app)
    assert log.parent == Path(os.environ["TUIBROWSER_STATE_DIR"])
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: opening failed" in text
    assert f"minute_text = '{SECRET}'" in text  # the locals: here, and only here


def raise_with(value: object) -> BaseException:
    try:
        local = value  # noqa: F841
        raise ValueError("bad \x1b[31mred\x1b[0m value")
    except ValueError as exc:
        return exc


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_debug_log_is_0600_whatever_the_umask(umask):
    old = os.umask(umask)
    try:
        path = debuglog.write_log(raise_with("x"))
    finally:
        os.umask(old)
    assert path is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.stat().st_uid == os.getuid()


def test_debug_log_never_writes_through_a_link(tmp_path, monkeypatch):
    """A link planted at the log's name is left alone: the log takes another name."""
    monkeypatch.setattr(time, "strftime", lambda fmt, *a: "20260101-000000")
    folder = debuglog.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    victim = tmp_path / "victim"
    victim.write_text("untouched")
    planted = folder / f"{debuglog.LOG_PREFIX}20260101-000000-{os.getpid()}.log"
    planted.symlink_to(victim)
    path = debuglog.write_log(raise_with("x"))
    assert path is not None and path != planted and not path.is_symlink()
    assert victim.read_text() == "untouched"


class LengthFails:
    def __len__(self) -> int:
        raise RuntimeError("no length")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("short", "'short'"),
        ("m" * 500, "'" + "m" * 120 + "'… (500 characters)"),
        ("\x1b[2J", "'\\x1b[2J'"),
        (42, "42"),
        (None, "None"),
        ([1, 2, 3], "<builtins.list of 3>"),
        (object(), "<builtins.object>"),
        (LengthFails(), f"<{__name__}.LengthFails>"),
    ],
)
def test_locals_are_told_in_short_forms(value, expected):
    assert debuglog.short(value) == expected


def test_the_log_shows_no_control_character_raw():
    text = debuglog.render(raise_with("\x1b]0;title\x07"))
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b[31mred" in text  # the message, escaped
    assert "local = '\\x1b]0;title\\x07'" in text


def test_the_one_line_is_one_short_clean_line():
    line = debuglog.summary(RuntimeError("a\nb\x1b[2J" + "x" * 400))
    assert "\n" not in line and "\x1b" not in line
    assert line.startswith("RuntimeError: a b\\x1b[2J") and len(line) < 200


@pytest.mark.parametrize("debug", ["", "1"])
def test_the_command_line_never_prints_locals(monkeypatch, capsys, debug):
    from tuibrowser import cli

    monkeypatch.setenv("TUIBROWSER_DEBUG", debug)
    monkeypatch.setattr(cli.common, "resolve_dir", failing)  # where the commands look it up
    with pytest.raises(SystemExit) as stop:
        cli.main(["check", "somewhere"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "tuibrowser: error: RuntimeError: opening failed"
    assert SECRET not in err and "minute_text =" not in err
    logs = log_files()
    if debug:
        assert "Traceback (most recent call last)" in err  # Python's, without locals
        [log] = logs
        assert f"are in {log}" in err
        assert SECRET in log.read_text(encoding="utf-8")
    else:
        assert "Traceback" not in err and logs == []


def test_no_module_prints_tracebacks_with_locals():
    """Nothing in the package installs a traceback printer that shows locals (Rich's
    ``traceback.install``, ``show_locals``): Python's own handlers never show them."""
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        for needle in ("show_locals", "traceback.install", "install(show")
        if needle in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
    assert sys.excepthook is sys.__excepthook__
