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
from tuibrowser.store.statlines import LABEL_END, made_lines

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
    (files, problems), made, by_child = taken
    assert by_child is None  # (no seen part given)
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
    (files, _), made, _ = taken
    assert made is not None
    assert (files, made[1]) == found(root)
    assert any("\n" in label for _, label in files)


def test_an_empty_folder(tmp_path: Path, two_cores: None) -> None:
    root = tmp_path / "m"
    root.mkdir()
    prescan.begin(root)
    assert prescan.take(root) == (([], []), ([], []), None)


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
    (files, _), made, _ = taken
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


def _line(label: str, digit: str = "0") -> str:
    """A file's line as :func:`.statlines.made_lines` makes it: its label, a tab and a packed
    ``stat`` in hexadecimal."""
    return f"{label}\t{digit * -(LABEL_END + 1)}"


def test_the_decode_refuses_what_does_not_fit() -> None:
    files = [("/r/a.md", "a.md"), ("/r/b.md", "b.md")]
    a, b = _line("a.md"), _line("b.md", "1")
    sent = _sent(prescan._encode(files, ([0, 0], [a, b])))
    assert prescan._decode("/r", sent) == (files, ([0, 0], [a, b]), None)
    assert sent == [b"", b""]  # (let go as they are read)
    # the first part's lines, and the second child's lost: the refresh makes them itself
    half = prescan._encode(files, ([0], [a]))
    assert prescan._decode("/r", _sent(half)) == (files, None, None)
    assert prescan._decode("/r", _sent(half, ([0], [b]))) == (files, ([0, 0], [a, b]), None)
    # a first child whose ``stat`` failed: the second's lines alone are not taken
    none = prescan._encode(files, None)
    assert prescan._decode("/r", _sent(none, ([0], [b]))) == (files, None, None)
    # a count that is not the labels'
    tag, _, labels, made = prescan._encode(files, None)
    assert prescan._decode("/r", _sent((tag, 3, labels, made))) is None
    tag, _, labels, made = prescan._encode(files, ([0, 0], [a, b]))
    assert prescan._decode("/r", _sent((tag, 3, labels, made))) is None


def test_the_labels_the_lines_give_are_not_sent_again() -> None:
    """Each line starts with its file's label: the first child sends only the labels of the
    files its lines do not give (the second part's, when a second child makes theirs), and no
    path (each is the root's and its label's). A label with a tab or a line break in it comes
    back as it was."""
    files = [("/r/a\tb.md", "a\tb.md"), ("/r/c\nd/e.md", "c\nd/e.md"), ("/r/f.md", "f.md")]
    lines = [_line(label) for _, label in files]
    sent = prescan._encode(files, ([0] * 3, lines))
    assert sent[:3] == (prescan.ALL, 3, [])
    assert prescan._decode("/r", _sent(sent)) == (files, ([0] * 3, lines), None)
    tag, count, labels, _ = prescan._encode(files, ([0], lines[:1]))
    assert (count, labels) == (3, ["c\nd/e.md", "f.md"])
    decoded = prescan._decode(
        "/r", _sent((tag, count, labels, ([0], lines[:1])), ([0] * 2, lines[1:]))
    )
    assert decoded == (files, ([0] * 3, lines), None)
    # the lines as the child makes them
    assert made_lines([("/", "x")])[1][0][:LABEL_END] == "x"  # type: ignore[index]


CHILD_KILLED = """
import os, signal, sys
from pathlib import Path
from tuibrowser.store import prescan
prescan._cores = lambda: 2
prescan.SPLIT_AT = int(sys.argv[2])
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


@pytest.mark.parametrize("split_at", [2, 10_000], ids=["two children", "one child"])
def test_the_children_end_when_their_parent_is_killed(tmp_path: Path, split_at: int) -> None:
    """Killed (a dropped session's SIGHUP, SIGKILL), the command leaves no child running: each
    finds its pipe closed when it writes, and ends. One child alone, waiting for the seen part
    once it has its lines, finds nothing given (the pipe it waits on closed) and does so too."""
    root = folder(tmp_path / "m", 5)
    out = subprocess.run(
        [sys.executable, "-c", CHILD_KILLED, str(root), str(split_at)],
        capture_output=True,
        text=True,
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
print(json.dumps(sorted(set(sys.modules) - before)))
"""


@pytest.mark.parametrize("alone", [False, True])
def test_warm_holds_what_a_refresh_of_a_changed_file_imports(tmp_path: Path, alone: bool) -> None:
    """What a one-file refresh imports beyond a refresh that finds nothing changed is in
    ``WARM``: imported while the children walk, none of it is left for after (nor a module of
    the standard library's, as the codecs a file is read with). Its half month's
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
