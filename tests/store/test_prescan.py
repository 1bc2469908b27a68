"""The folder walked by children begun as the command starts (:mod:`tuibrowser.store.prescan`):
what they find is what the refresh's own walk finds, in one child or split between two; the
refresh walks itself whenever they cannot tell (a problem on the walk, another root, one core,
a thread running); a child not taken, or whose parent is killed, does not outlive it; and what
a refresh of a changed file imports is imported while it waits (``WARM``)."""

from __future__ import annotations

import marshal
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from importlib import import_module
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuibrowser.scan import scan
from tuibrowser.store import Cache, prescan
from tuibrowser.store.indexer import WARM
from tuibrowser.store.statlines import made_lines

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"


@pytest.fixture(autouse=True)
def _none_pending():
    """Each test begins with no child, and leaves none."""
    prescan._end()
    yield
    prescan._end()


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """The children are begun whatever cores this machine has (their result is what is
    tested here, not whether they pay)."""
    monkeypatch.setattr(prescan, "_cores", lambda: 2)


def folder(root: Path, count: int) -> Path:
    for n in range(count):
        board = root / f"board-{n % 3}" / str(2010 + n % 4)
        board.mkdir(parents=True, exist_ok=True)
        (board / f"2010-01-{1 + n % 28:02d}-{n}-minutes.md").write_text(f"# {n}\n")
    (root / "notes.txt").write_text("not a meeting file\n")
    (root / ".hidden.md").write_text("a dot file\n")
    return root


def found(root: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """What the refresh's own walk finds: the files and their lines."""
    files, problems = scan(root)
    assert problems == []
    made = made_lines(files)
    assert made is not None
    return files, made[1]


@pytest.mark.parametrize("split_at", [2, 10_000], ids=["two children", "one child"])
def test_the_children_find_what_the_walk_finds(
    tmp_path: Path, two_cores: None, monkeypatch: pytest.MonkeyPatch, split_at: int
) -> None:
    root = folder(tmp_path / "m", 41)
    monkeypatch.setattr(prescan, "SPLIT_AT", split_at)  # (the children see it as forked)
    prescan.begin(root)
    assert prescan._pending is not None
    pid = prescan._pending.pid
    taken = prescan.take(root)
    assert taken is not None
    (files, problems), made = taken
    assert problems == []
    assert made is not None
    assert (files, made[1]) == found(root)
    assert made[0] == [os.getuid()] * 41
    assert isinstance(files[0], tuple)
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(pid, os.WNOHANG)


def test_a_name_with_a_line_break_is_sent_whole(tmp_path: Path, two_cores: None) -> None:
    root = folder(tmp_path / "m", 5)
    (root / "board-0" / "two\nlines.md").write_text("# odd\n")
    prescan.begin(root)
    taken = prescan.take(root)
    assert taken is not None
    (files, _), made = taken
    assert made is not None
    assert (files, made[1]) == found(root)
    assert any("\n" in label for _, label in files)


def test_an_empty_folder(tmp_path: Path, two_cores: None) -> None:
    root = tmp_path / "m"
    root.mkdir()
    prescan.begin(root)
    assert prescan.take(root) == (([], []), ([], []))


def test_a_problem_on_the_walk_is_left_to_the_refresh(tmp_path: Path, two_cores: None) -> None:
    root = folder(tmp_path / "m", 5)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "elsewhere").symlink_to(outside)
    prescan.begin(root)
    assert prescan.take(root) is None
    # ... which walks and tells it
    report = Cache(root, tmp_path / "cache").update()
    assert any("outside the meetings folder" in p.message for p in report.warnings)


def test_another_root_is_walked_by_the_refresh(tmp_path: Path, two_cores: None) -> None:
    root = folder(tmp_path / "m", 5)
    prescan.begin(root)
    assert prescan._pending is not None
    pid = prescan._pending.pid
    assert prescan.take(tmp_path / "other") is None
    with pytest.raises(ChildProcessError):  # ended and reaped
        os.waitpid(pid, os.WNOHANG)
    assert prescan.take(root) is None  # (taken once)


def test_a_child_not_taken_is_ended_at_exit(tmp_path: Path, two_cores: None) -> None:
    root = folder(tmp_path / "m", 5)
    prescan.begin(root)
    assert prescan._pending is not None
    pid = prescan._pending.pid
    prescan._end()  # (registered with atexit by begin)
    assert prescan._pending is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_no_child_on_one_core(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prescan, "_cores", lambda: 1)
    prescan.begin(folder(tmp_path / "m", 3))
    assert prescan._pending is None


def test_no_child_while_a_thread_runs(tmp_path: Path, two_cores: None) -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        prescan.begin(folder(tmp_path / "m", 3))
        assert prescan._pending is None
    finally:
        stop.set()
        other.join()


def test_the_refresh_takes_what_the_children_found(tmp_path: Path, two_cores: None) -> None:
    """A cache indexed, a file changed, and the refresh given the children's walk: it reads
    that file and no other, and the next refresh finds nothing changed."""
    root = tmp_path / "m"
    shutil.copytree(MEETINGS, root)
    cache = Cache(root, tmp_path / "cache")
    cache.update()
    target = sorted(root.rglob("*-minutes.md"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\nA line added.\n", encoding="utf-8")
    prescan.begin(root)
    report = cache.update()
    assert prescan._pending is None  # taken
    assert report.read == [str(target.relative_to(root))]
    again = cache.update()
    assert again.read == [] and again.unchanged == again.files


@given(st.text(st.sampled_from("/.a b\\"), max_size=12))
def test_a_name_is_walked_as_path_names_it(name: str) -> None:
    assert prescan.path_text(name) == str(PurePosixPath(name))


@pytest.mark.parametrize("typed", ["{}/m/", "{}//m/./", "{}/./m"])
def test_the_folder_as_the_command_line_gave_it_is_taken(
    tmp_path: Path, two_cores: None, typed: str
) -> None:
    """The commands begin the walk with the folder's name as typed, before pathlib is
    imported; the refresh, given ``Path(name)``, takes what the children found."""
    root = folder(tmp_path / "m", 7)
    name = typed.format(tmp_path)
    prescan.begin(name)
    taken = prescan.take(Path(name))
    assert taken is not None
    (files, _), made = taken
    assert made is not None
    assert (files, made[1]) == found(Path(name))
    assert files[0][0].startswith(f"{root}/board-0/")


BEFORE_THE_FORK = """
import sys
before = set(sys.modules)
import tuibrowser.cli, tuibrowser.cli.fast, tuibrowser.cli.fastsearch, tuibrowser.store.prescan
print(sorted({"typing", "pathlib", "signal", "select"} & (set(sys.modules) - before)))
"""


def test_what_is_imported_before_the_fork_leaves_out_typing_and_pathlib() -> None:
    """The command line's modules up to the child's fork import neither (about 8 ms: the
    child's walk begins that much sooner); they are imported after it, beside the walk."""
    out = subprocess.run(
        [sys.executable, "-c", BEFORE_THE_FORK], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["[]"]


def _sent(first: tuple, second: object = None) -> list:
    """What the children write, as the parent reads it."""
    return [bytearray(marshal.dumps(first)), marshal.dumps(second) if second else b""]


def test_the_decode_refuses_what_does_not_fit() -> None:
    files = [("/r/a.md", "a.md"), ("/r/b.md", "b.md")]
    sent = _sent(prescan._encode("/r", files, ([0, 0], ["a.md\t00", "b.md\t11"])))
    assert prescan._decode("/r", sent) == (files, ([0, 0], ["a.md\t00", "b.md\t11"]))
    assert sent == [b"", b""]  # (let go as they are read)
    # the first part's lines, and the second child's lost: the refresh makes them itself
    half = prescan._encode("/r", files, ([0], ["a.md\t00"]))
    assert prescan._decode("/r", _sent(half)) == (files, None)
    assert prescan._decode("/r", _sent(half, ([0], ["b.md\t11"]))) == (
        files,
        ([0, 0], ["a.md\t00", "b.md\t11"]),
    )
    # a first child whose ``stat`` failed: the second's lines alone are not taken
    none = prescan._encode("/r", files, None)
    assert prescan._decode("/r", _sent(none, ([0], ["b.md\t11"]))) == (
        files,
        None,
    )
    # paths that are not the root's and the label's are sent as they are
    odd = [("/elsewhere/a.md", "a.md")]
    assert prescan._decode("/r", _sent(prescan._encode("/r", odd, None))) == (odd, None)
    # a count that is not the labels'
    _, labels, paths, made = prescan._encode("/r", files, None)
    assert prescan._decode("/r", _sent((3, labels, paths, made))) is None


CHILD_KILLED = """
import os, signal, sys
from pathlib import Path
from tuibrowser.store import prescan
prescan._cores = lambda: 2
prescan.SPLIT_AT = 2
slow = prescan.made_lines
def made_slowly(files):
    import time
    time.sleep(1.5)  # (the parent is killed meanwhile)
    return slow(files)
prescan.made_lines = made_slowly
prescan.begin(Path(sys.argv[1]))
print(prescan._pending.pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_the_children_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    """Killed (a dropped session's SIGHUP, SIGKILL), the command leaves no child running: each
    finds its pipe closed when it writes, and ends."""
    root = folder(tmp_path / "m", 5)
    out = subprocess.run(
        [sys.executable, "-c", CHILD_KILLED, str(root)], capture_output=True, text=True
    )
    assert out.returncode == -signal.SIGKILL
    child = int(out.stdout.split()[0])
    deadline = time.monotonic() + 20
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(child)


def _running(pid: int) -> bool:
    """Whether ``pid`` is a process not yet ended (a zombie has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


REFRESH_WARM = """
import json, sys
from importlib import import_module
from pathlib import Path
from tuibrowser.store import Cache
from tuibrowser.store.indexer import WARM
cache = Cache(Path(sys.argv[1]), Path(sys.argv[2]))
assert cache.update().read == []  # (what a refresh that finds nothing changed imports)
for name in WARM:
    import_module(name)
before = set(sys.modules)
target = Path(sys.argv[3])
target.write_text(target.read_text(encoding="utf-8") + "\\nA line added.\\n", encoding="utf-8")
assert len(cache.update().read) == 1
print(json.dumps(sorted(m for m in set(sys.modules) - before if m.startswith("tuibrowser"))))
"""


@pytest.mark.parametrize("alone", [False, True])
def test_warm_holds_what_a_refresh_of_a_changed_file_imports(tmp_path: Path, alone: bool) -> None:
    """What a one-file refresh imports beyond a refresh that finds nothing changed is in
    ``WARM``: imported while the children walk, none of it is left for after. Its half month's
    other meetings are taken whole (store/keptmeetings.py); when there is none (``alone``),
    the half month's people and figures are made, and what makes the figures is imported then
    (a refresh that takes its meetings whole, the most, does without it)."""
    root = tmp_path / "m"
    shutil.copytree(MEETINGS, root)
    target = sorted(root.rglob("*-minutes.md"))[0]
    if not alone:  # another meeting in its half month
        other = target.read_text(encoding="utf-8").replace(
            'date: "2016-01-19"', 'date: "2016-01-20"'
        )
        assert other != target.read_text(encoding="utf-8")
        path = root / "2016-01-20-improvement-innovation-board-minutes.md"
        path.write_text(other, encoding="utf-8")
        aged = time.time() - 60  # (edited a while ago: not read again as a racy file)
        os.utime(path, (aged, aged))
    Cache(root, tmp_path / "cache").update()
    out = subprocess.run(
        [sys.executable, "-c", REFRESH_WARM, str(root), str(tmp_path / "cache"), str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    made = ["tuibrowser.attendance_sources", "tuibrowser.memo", "tuibrowser.people_figures"]
    assert out.stdout.strip() == (str(made).replace("'", '"') if alone else "[]"), out.stdout
    for name in WARM:
        import_module(name)  # (each a module that is there)
