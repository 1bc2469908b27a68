"""Shared fixtures: the bundled corpus, and private cache/state folders so no test touches the
user's own files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The support modules (tests/support) are imported by their bare names: `from tuihelp import ready`.
sys.path.insert(0, str(Path(__file__).resolve().parent / "support"))

from privileges import shared  # noqa: E402, F401 - the fixture, for every test acting as a second user

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "meetings"


@pytest.fixture(autouse=True)
def private_user_dirs(tmp_path_factory, monkeypatch):
    """Point the per-user cache, state and config folders at a temporary folder for every test
    (so no test reads the user's own keymap)."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("TUIBROWSER_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("TUIBROWSER_STATE_DIR", str(base / "state"))
    monkeypatch.setenv("TUIBROWSER_CONFIG_DIR", str(base / "config"))
    return base


@pytest.fixture
def corpus() -> Path:
    """The meetings folder bundled with the repository."""
    return CORPUS


@pytest.fixture
def cache_path(tmp_path) -> Path:
    """A cache file in a temporary folder."""
    return tmp_path / "cache" / "meetings.json"


@pytest.fixture
def make_app(tmp_path):
    """The one way the tests build the browser: a ``TuiBrowserApp`` on a folder (the bundled
    corpus by default) with a temporary cache and seen-state file."""

    def make(root: Path = CORPUS, **kwargs):
        from tuibrowser.state import SeenState
        from tuibrowser.tui.app import TuiBrowserApp

        kwargs.setdefault("cache_path", tmp_path / "cache" / "meetings.json")
        kwargs.setdefault("state", SeenState(tmp_path / "state" / "seen.json"))
        return TuiBrowserApp(root, **kwargs)

    return make
