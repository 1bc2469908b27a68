"""The browser at its first frame, before its library is loaded: a folder indexed for it,
the library's loading held back until the test lets it go, and the app (the tests of what
answers before the library: the first search, People, Topics and the dashboard)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from tuibrowser.state import SeenState
from tuibrowser.store import Cache
from tuibrowser.tui import app as app_module
from tuibrowser.tui import loading

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def indexed_folder(source: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of ``source`` and its cache, indexed: the first frame is painted from it."""
    root = tmp_path / "m"
    shutil.copytree(source, root)
    cache = tmp_path / "cache" / "meetings.json"
    Cache(root, cache).update()
    return root, cache


def hold_library(monkeypatch) -> threading.Event:
    """The library is not loaded until the test sets the event this gives."""
    opened = threading.Event()
    real = loading.load_library

    def held(*args, **kwargs):
        assert opened.wait(60), "the test never let the library load"
        return real(*args, **kwargs)

    monkeypatch.setattr(loading, "load_library", held)
    return opened


def make_app(root: Path, cache: Path, tmp_path: Path) -> app_module.TuiBrowserApp:
    state = SeenState(tmp_path / "state" / "seen.json")
    return app_module.TuiBrowserApp(root, cache_path=cache, state=state)
