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
from shardwrite import digest, written

from tuibrowser.records import read_file
from tuibrowser.store import beside, layout, shards

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"
SUPPORT = Path(__file__).resolve().parents[1] / "support"

# A shard written split by a fresh interpreter: the test process may hold threads of other
# tests by now, where the split write (rightly) does not fork. It prints the parts' digests,
# its rows and the processes that wrote the search text; a child may be made to fail.
SPLIT = """
import json, os, sys
from pathlib import Path
from shardwrite import digest, written
from tuibrowser.store import beside, shards
folder, failure = Path(sys.argv[1]), sys.argv[2]
assert beside.can_fork()
parent, write = os.getpid(), shards._write_shown
FAILURES = {"error": RuntimeError("broken"), "exit": SystemExit(0), "memory": MemoryError()}
def marked(*args, **kwargs):
    (folder / "marks" / str(os.getpid())).touch()
    if failure in FAILURES and os.getpid() != parent:
        raise FAILURES[failure]
    return write(*args, **kwargs)
shards._write_shown = marked
(folder / "marks").mkdir()
parts, rows = digest(written(folder / "split", split=True))
pids = sorted(int(p.name) for p in (folder / "marks").iterdir())
print(json.dumps({"parts": parts, "rows": rows, "parent": parent, "pids": pids}))
"""


def split_apart(folder: Path, failure: str = "none") -> dict:
    """What :data:`SPLIT` found, run in a fresh interpreter writing in ``folder``."""
    import json

    folder.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SUPPORT), *sys.path])}
    done = subprocess.run(
        [sys.executable, "-c", SPLIT, str(folder), failure],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


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


CAN_FORK = os.name == "posix" and (os.cpu_count() or 1) > 1


@pytest.mark.skipif(not CAN_FORK, reason="needs fork() and a second core")
def test_the_search_text_is_written_by_a_child_as_one_process_writes_it(tmp_path, whose):
    alone = digest(written(tmp_path / "alone", split=False))
    assert whose() == {os.getpid()}
    split = split_apart(tmp_path / "apart")
    assert (split["parts"], split["rows"]) == (alone[0], alone[1])
    assert len(split["pids"]) == 1 and split["pids"] != [split["parent"]]  # the child wrote it


@pytest.mark.skipif(not CAN_FORK, reason="needs fork() and a second core")
@pytest.mark.parametrize("failure", ["error", "exit", "memory"])
def test_a_child_that_fails_leaves_its_half_to_this_process(tmp_path, failure):
    alone = digest(written(tmp_path / "alone", split=False))
    split = split_apart(tmp_path / "apart", failure)
    assert (split["parts"], split["rows"]) == (alone[0], alone[1])
    assert len(split["pids"]) == 2 and split["parent"] in split["pids"]  # tried, then here


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
@pytest.mark.skipif(not CAN_FORK, reason="needs fork() and a second core")
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
