"""What is worked out once per library (its search index, its topics) goes when the library
goes: the browser replaces its library when the folder changes, and an old one kept alive by
its own search index held its memory and its open search files for good."""

from __future__ import annotations

import dataclasses
import gc
import os
import weakref
from pathlib import Path

import pytest

from tuibrowser.memo import per_library
from tuibrowser.store.loading import open_store
from tuibrowser.topics import find_topics

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def _load(tmp_path: Path):
    store = open_store(MEETINGS, tmp_path / "cache" / "meetings.json")
    store.update()
    lib = store.load()
    assert lib is not None
    return store, lib


@pytest.mark.parametrize("work", ["search", "topics", "both"])
def test_a_library_worked_on_is_freed_when_dropped(tmp_path, work):
    store, lib = _load(tmp_path)
    if work in ("search", "both"):
        assert store.search(lib, "council").hits
    if work in ("topics", "both"):
        assert find_topics(lib)
    gone = weakref.ref(lib)
    del lib
    gc.collect()
    assert gone() is None


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files in /proc")
def test_searching_many_libraries_does_not_keep_their_files_open(tmp_path):
    store, lib = _load(tmp_path)
    store.search(lib, "council")
    del lib
    gc.collect()
    before = _open_files()
    for _ in range(20):
        lib = store.load()
        assert lib is not None
        store.search(lib, "council")
        del lib
    gc.collect()
    assert _open_files() <= before + 3


def test_a_copy_of_a_library_works_its_values_out_again(tmp_path):
    _, lib = _load(tmp_path)
    calls = []
    first = per_library(lib, "probe", lambda lb: calls.append(lb) or len(calls))
    assert per_library(lib, "probe", lambda lb: 99) == first == 1
    copy = dataclasses.replace(lib, meetings=lib.meetings[:1], _by_id=None)
    assert per_library(copy, "probe", lambda lb: calls.append(lb) or len(calls)) == 2
    assert calls == [lib, copy]
