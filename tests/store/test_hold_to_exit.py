"""``tuibrowser index`` ends as soon as it has said what it did, so its refresh's plan (an
entry, a line and a path for each file) is held to the end rather than freed object by object
(store.memory); ``search`` (whose search follows its refresh) and the browser free it."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref

import pytest

from tuibrowser.store import Cache, memory
from tuibrowser.store.refreshplan import Plan

MEETING = "---\nboard: Audit Board\ndate: '2023-0{k}-0{k}'\nkind: minutes\n---\n## 1. Item\nText.\n"


class _Thing:
    pass


def _folder(tmp_path):
    root = tmp_path / "meetings"
    root.mkdir()
    for k in range(1, 4):
        (root / f"m{k}.md").write_text(MEETING.format(k=k))
    return root


def test_held_keeps_only_in_a_process_that_ends_now(monkeypatch):
    monkeypatch.setattr(memory, "_held", None)
    thing = _Thing()
    ref = weakref.ref(thing)
    memory.held(thing)
    del thing
    gc.collect()
    assert ref() is None  # the browser's refresh: freed as usual
    memory.hold_to_exit()
    thing = _Thing()
    ref = weakref.ref(thing)
    memory.held(thing)
    del thing
    gc.collect()
    assert ref() is not None


@pytest.mark.parametrize("edit", [False, True])
def test_a_refresh_in_a_process_that_ends_now_holds_its_plan(tmp_path, monkeypatch, edit):
    root = _folder(tmp_path)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    if edit:
        (root / "m2.md").write_text(MEETING.format(k=2) + "More.\n")
    monkeypatch.setattr(memory, "_held", [])
    report = cache.update()
    assert len(report.read) == (1 if edit else 0)
    assert memory._held is not None and len(memory._held) == 1
    plan = memory._held[0][0]
    assert isinstance(plan, Plan)
    assert sorted(plan.new) == ["m1.md", "m2.md", "m3.md"]


@pytest.mark.parametrize(("command", "holds"), [("index", True), ("search", False)])
def test_index_holds_its_plan_and_search_does_not(tmp_path, command, holds):
    root = _folder(tmp_path)
    cache = str(tmp_path / "cache" / "c.json")
    words = [command, str(root), "--cache", cache]
    if command == "search":
        words.insert(1, "item")
    code = (
        "import atexit, sys\n"
        "from tuibrowser.cli import main\n"
        "from tuibrowser.store import memory\n"
        "atexit.register(lambda: print('HELD', memory._held is not None, flush=True))\n"
        f"sys.argv = ['tuibrowser', *{words!r}]\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"HELD {holds}" in done.stdout
