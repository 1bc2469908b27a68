"""The seen-state file, the keymap and ``export -o`` keep the cache's rules on shared ground:
nothing another user can write is read, and nothing is written through a link.

The setting is test_cache_security's: a victim's home folder with files of their own, and
``nobody`` as the other user (cases that need ``chown`` are skipped when not run as root).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from pathlib import Path

import orjson
import pytest
from cacheworld import NEEDS_ROOT, World, give_away, invoke, make_world, snapshot
from privileges import ROOT

from tuibrowser.state import SeenState
from tuibrowser.tui.keymap import load_keymap

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="POSIX owners, modes and links do not exist on Windows"
)


@pytest.fixture
def world(tmp_path) -> World:
    return make_world(tmp_path)


# -- the seen state and the keymap -----------------------------------------------------------


def state_link(path: Path, target: Path) -> str:
    os.symlink(target, path)
    return "is a symbolic link"


def state_open(path: Path, target: Path) -> str:
    path.write_bytes(b'{"version": 2, "roots": {}}')
    os.chmod(path, 0o666)
    return "is writable by other users"


def state_foreign(path: Path, target: Path) -> str:
    path.write_bytes(b'{"version": 2, "roots": {}}')
    give_away(path)
    return "is owned by another user"


def state_open_folder(path: Path, target: Path) -> str:
    os.chmod(path.parent, 0o777)
    (path.parent / "theirs.txt").write_text("x")
    return "is writable by other users"


STATE_ATTACKS = {
    "a link": (state_link, False),
    "a file others can write": (state_open, False),
    "a file another user owns": (state_foreign, True),
    "a folder anyone may write": (state_open_folder, False),
}


@pytest.mark.parametrize("name", STATE_ATTACKS)
def test_a_seen_state_file_that_is_not_the_users_own_is_neither_read_nor_replaced(world, name):
    setup, root_only = STATE_ATTACKS[name]
    if root_only and not ROOT:
        pytest.skip(NEEDS_ROOT)
    path = world.home / "state" / "seen.json"
    path.parent.mkdir(mode=0o700)
    why = setup(path, world.todo)
    before = snapshot(world.base)
    state = SeenState(path)
    assert state.seen(world.root) is None
    assert state.problem is not None and why in state.problem
    with pytest.raises(OSError, match=re.escape(why)):
        state.remember(world.root, [])
    assert snapshot(world.base) == before


async def test_the_browser_says_why_the_seen_state_is_not_used(world, make_app):
    from tuihelp import ready

    path = world.home / "state" / "seen.json"
    path.parent.mkdir(mode=0o700)
    os.symlink(world.todo, path)
    before = snapshot(world.home)
    app = make_app(world.root, state=SeenState(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        told = [n.message for n in app._notifications if "seen-state" in n.message]
    assert told == [
        f"cannot use the seen-state file: {path} is a symbolic link; new meetings are not marked."
    ]
    assert snapshot(world.home) == before


def test_the_users_own_seen_state_is_still_read_and_written(world):
    state = SeenState(world.home / "state" / "seen.json")
    state.remember(world.root, [])
    assert state.seen(world.root) == {} and state.problem is None


@pytest.mark.parametrize(
    ("name", "root_only"),
    [("open", False), ("foreign", True), ("open folder", False), ("link in an open folder", False)],
)
def test_a_keymap_another_user_can_write_is_not_read(world, name, root_only):
    if root_only and not ROOT:
        pytest.skip(NEEDS_ROOT)
    folder = world.home / "config"
    folder.mkdir(mode=0o700)
    keymap = folder / "keymap.toml"
    keymap.write_text('"app.quit" = "ctrl+q"\n', encoding="utf-8")
    if name == "open":
        os.chmod(keymap, 0o666)
    elif name == "foreign":
        give_away(keymap)
    elif name == "open folder":
        os.chmod(folder, 0o777)
    else:  # the link is the user's, to the user's file, but anyone could swap it
        real = world.home / "keymap.toml"
        keymap.rename(real)
        os.symlink(real, keymap)
        os.chmod(folder, 0o777)
    user = load_keymap(keymap, known={"app.quit": None})
    assert user.keymap == {}
    assert len(user.problems) == 1
    assert re.fullmatch(
        rf"{re.escape(str(keymap))} was not read: .* is (writable by other users|owned by "
        r"another user); keys unchanged",
        user.problems[0],
    )


def test_a_keymap_linked_to_the_users_own_file_is_read(world):
    """Dotfile managers link the config: a link to a file of the user's own is followed."""
    real = world.home / "dotfiles" / "keymap.toml"
    real.parent.mkdir(mode=0o700)
    real.write_text('"app.quit" = "ctrl+q"\n', encoding="utf-8")
    folder = world.home / "config"
    folder.mkdir(mode=0o700)
    os.symlink(real, folder / "keymap.toml")
    user = load_keymap(folder / "keymap.toml", known={"app.quit": None})
    assert user.keymap == {"app.quit": "ctrl+q"} and user.problems == []


# -- export -o ---------------------------------------------------------------------------------


@pytest.mark.parametrize("force", [False, True])
def test_export_never_writes_through_a_link(world, force):
    out = world.home / "out.json"
    os.symlink(world.todo, out)
    before = world.todo.read_bytes()
    args = ["export", str(world.root), "-o", str(out)] + (["--force"] if force else [])
    result = invoke(*args)
    assert world.todo.read_bytes() == before  # the link's target is never written
    if force:
        assert result.exit_code == 0
        assert not out.is_symlink()  # the link itself was replaced
        assert len(orjson.loads(out.read_bytes())["meetings"]) == 2
    else:
        assert result.exit_code == 1
        assert out.is_symlink()
        assert "symbolic link" in result.stderr
    assert [p.name for p in world.home.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("force", [False, True])
def test_export_never_writes_into_a_pipe_or_a_folder(world, force):
    pipe = world.home / "pipe.json"
    os.mkfifo(pipe)
    for out in (pipe, world.home / "notes"):
        args = ["export", str(world.root), "-o", str(out)] + (["--force"] if force else [])
        result = invoke(*args)
        assert result.exit_code != 0
        assert "Traceback" not in result.output
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_export_replaces_the_output_in_one_step(world, monkeypatch):
    """The new file is written beside the old and renamed over it: cut short, the old stays."""
    out = world.home / "out.json"
    out.write_text("old export\n", encoding="utf-8")

    def cut_short(*_a, **_k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", cut_short)
    result = invoke("export", str(world.root), "-o", str(out), "--force")
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert out.read_text(encoding="utf-8") == "old export\n"
    assert [p.name for p in world.home.iterdir() if p.name.endswith(".tmp")] == []
