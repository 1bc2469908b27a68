"""A refresh's shard is written in two halves, its search text by a child forked beside this
process (store/beside.py): the parts are those one process writes, whether the child does its
half, fails at it, or cannot be started."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tuibrowser.records import read_file
from tuibrowser.store import beside, layout, shards

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"


def shard_docs() -> tuple[str, dict]:
    """The documents of the bundled shard with the most files (the key, label → document)."""
    by_key: dict[str, dict] = {}
    for path in sorted(MEETINGS.rglob("*.md")):
        doc = read_file(path, path.name).document
        if doc is not None:
            by_key.setdefault(layout.name_shard(path.name) or "", {})[path.name] = doc
    key = max(sorted(by_key), key=lambda k: len(by_key[k]))
    return key, by_key[key]


def written(folder: Path, split: bool) -> tuple[dict[str, bytes], list[dict]]:
    """Each part of a shard written in ``folder`` (by kind), and its rows."""
    folder.mkdir()
    key, docs = shard_docs()
    name, rows = shards.write_shard(folder, key, docs, split=split)
    stem = name.removesuffix(".json")
    parts = {p.removeprefix(stem): (folder / p).read_bytes() for p in layout.part_names(name)}
    assert sorted(os.listdir(folder)) == sorted(layout.part_names(name))  # no temporary left
    return parts, rows


@pytest.fixture
def whose(monkeypatch, tmp_path):
    """The processes that wrote a shard's search text (their ids, as the files they leave)."""
    marks = tmp_path / "marks"
    marks.mkdir()
    write_search = shards._write_shown

    def marked(*args, **kwargs):
        (marks / str(os.getpid())).touch()
        return write_search(*args, **kwargs)

    monkeypatch.setattr(shards, "_write_shown", marked)
    return lambda: {int(p.name) for p in marks.iterdir()}


@pytest.mark.skipif(not beside.can_fork(), reason="needs fork() and a second core")
def test_the_search_text_is_written_by_a_child_as_one_process_writes_it(tmp_path, whose):
    alone = written(tmp_path / "alone", split=False)
    assert whose() == {os.getpid()}
    split = written(tmp_path / "split", split=True)
    assert split == alone
    assert len(whose()) == 2  # the child wrote it the second time


@pytest.mark.skipif(not beside.can_fork(), reason="needs fork() and a second core")
@pytest.mark.parametrize("failure", [RuntimeError("broken"), SystemExit(0), MemoryError()])
def test_a_child_that_fails_leaves_its_half_to_this_process(tmp_path, monkeypatch, failure):
    alone = written(tmp_path / "alone", split=False)
    parent = os.getpid()
    write_search = shards._write_shown

    def fails_in_the_child(*args, **kwargs):
        if os.getpid() != parent:
            raise failure
        return write_search(*args, **kwargs)

    monkeypatch.setattr(shards, "_write_shown", fails_in_the_child)
    assert written(tmp_path / "split", split=True) == alone


@pytest.mark.parametrize("why", ["no fork", "a thread", "a worker"])
def test_no_child_where_a_fork_is_unsafe_or_useless(tmp_path, monkeypatch, whose, why):
    """In a thread (the browser's refresh), in a worker of the pool, or where fork() fails,
    the shard is written whole here."""
    alone = written(tmp_path / "alone", split=False)
    if why == "no fork":
        monkeypatch.setattr(os, "fork", lambda: (_ for _ in ()).throw(OSError("no fork")))
    elif why == "a worker":
        monkeypatch.setattr(beside, "IN_WORKER", True)
    found: list = []
    run = lambda: found.append(written(tmp_path / "split", split=True))  # noqa: E731
    if why == "a thread":
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    else:
        run()
    assert found == [alone]
    assert whose() == {os.getpid()}


def test_the_words_worked_out_apart_are_those_of_the_search_text():
    """A refresh folds a shard's text, then works out its words beside the rest: the parts and
    the words are those the search text of one pass gives, for every bundled shard."""
    from tuibrowser.library import merge_all
    from tuibrowser.search.segments import month_fold, month_search_parts, segment_words

    by_key: dict[str, list] = {}
    for path in sorted(MEETINGS.rglob("*.md")):
        doc = read_file(path, path.name).document
        if doc is not None:
            by_key.setdefault(layout.name_shard(path.name) or "", []).append(doc)
    assert len(by_key) > 3
    for docs in [*by_key.values(), []]:
        meetings = merge_all(docs)
        folded, shown, offsets, words, texts = month_search_parts(meetings)
        assert month_fold(meetings) == (folded, shown, offsets, texts)
        assert segment_words(folded, offsets) == words


PARENT = """
import os, sys, time
from tuibrowser.store import beside
helper = beside.beside(lambda: time.sleep(60))
print(helper.pid, flush=True)
if sys.argv[1] == "stop":
    sys.stdin.readline()
    helper.stop()
    print("stopped", flush=True)
time.sleep(60)
"""


def gone(pid: int, seconds: float = 10.0) -> bool:
    """Whether process ``pid`` has ended (or is a zombie) within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")
@pytest.mark.skipif(not beside.can_fork(), reason="needs fork() and a second core")
@pytest.mark.parametrize("how", ["stop", "SIGKILL"])
def test_the_child_ends_with_a_parent_that_stops_or_is_killed(how):
    """A parent that stops (an exception while it waits) kills the child; one killed outright
    takes the child with it (Linux: PR_SET_PDEATHSIG): no process is left behind."""
    proc = subprocess.Popen(
        [sys.executable, "-c", PARENT, how],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        child = int(proc.stdout.readline())
        assert child > 0 and not gone(child, 0.2)
        if how == "stop":
            assert proc.stdin is not None
            proc.stdin.write("stop\n")
            proc.stdin.flush()
            assert proc.stdout.readline().strip() == "stopped"
        else:
            proc.kill()
        assert gone(child)
    finally:
        proc.kill()
        proc.wait()
