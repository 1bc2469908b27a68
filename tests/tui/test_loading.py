"""The loading worker's work (tui/loading.py) apart from the app: a Loader reads a store and
tells the app only through the messages it posts."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.message import Message

from tuibrowser.model import Problem
from tuibrowser.state import SeenState
from tuibrowser.store import Cache, open_store
from tuibrowser.tui.loading import (
    ChangesFound,
    LibraryFailed,
    LibraryLoaded,
    Loader,
    MeetingsListed,
    what_to_say,
)

CORPUS = Path(__file__).resolve().parents[2] / "meetings"


def loader(tmp_path: Path, store, remember: bool = True) -> tuple[Loader, list[Message]]:
    posted: list[Message] = []
    state = SeenState(tmp_path / "state" / "seen.json")
    made = Loader(store, posted.append, threading.Event(), CORPUS, False, state, remember)
    return made, posted


def painted() -> threading.Event:
    done = threading.Event()
    done.set()
    return done


@pytest.mark.parametrize("cached", [True, False], ids=["cache", "no cache"])
def test_a_loader_posts_the_list_then_the_library(tmp_path, cached):
    cache_path = tmp_path / "cache" / "meetings.json"
    if cached:
        Cache(CORPUS, cache_path).refresh()
    made, posted = loader(tmp_path, lambda: open_store(CORPUS, cache_path))
    first_page = made.store().head()
    shown = (first_page.rows[:2], first_page.total) if first_page else (None, 0)
    made.run(painted(), lambda: shown)
    # the list, then the library, and only then what changed since the last look: seeking
    # the changes never holds the library back
    *listed, last, changes = posted
    assert all(isinstance(m, MeetingsListed) for m in listed) and listed
    assert isinstance(last, LibraryLoaded) and last.result.changes_pending
    assert isinstance(changes, ChangesFound) and changes.problem is None
    result = last.result
    ids = [m.id for m in result.library.meetings]
    assert result.rows is not None and sorted(r.id for r in result.rows) == sorted(ids)
    assert made.ticker is not None and made.ticker.to_show() is None  # the index is over


def test_a_store_that_cannot_be_read_posts_why(tmp_path):
    def broken():
        raise OSError("the disk is gone")

    made, posted = loader(tmp_path, broken)
    made.run(painted(), lambda: (None, 0))
    assert len(posted) == 1 and isinstance(posted[0], LibraryFailed)
    assert posted[0].reason == "OSError: the disk is gone"


@pytest.mark.parametrize("kind", ["skipped", "restricted"])
def test_files_skipped_or_restricted_are_told_again_only_when_their_number_changes(tmp_path, kind):
    made, posted = loader(tmp_path, lambda: open_store(CORPUS, no_cache=True), remember=False)
    made.run(painted(), lambda: (None, 0))
    assert isinstance(posted[-1], LibraryLoaded)
    result = posted[-1].result
    setattr(result, kind, [Problem("a.md", None, "unreadable"), Problem("b.md", 3, "bad")])

    def told(first: bool, before: int) -> list[str]:
        counts = (before, 0) if kind == "skipped" else (0, before)
        return [text for text, _ in what_to_say(result, first, counts, None) if kind in text]

    assert told(True, 2) == told(False, 1) != []  # the first library, or a new number
    assert told(False, 2) == []  # the same number as last time: not again
    assert told(True, 2)[0].startswith("2 files ")
