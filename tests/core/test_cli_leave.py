"""A command that does not open the browser ends at once once its work is done
(``tuibrowser.cli.leave``): the installed program says, prints and returns exactly what the
ordinary ending of the same command does, to a pipe, to a file and to a pipe closed early, and
the cache's lock is let go (the next command right after takes it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tuibrowser.cli import leave

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"
# the program as installed runs main() (argv None: the quick ending); main(argv) ends as usual
QUICK = [sys.executable, "-m", "tuibrowser.cli"]
USUAL = [sys.executable, "-c", "import sys; from tuibrowser.cli import main; main(sys.argv[1:])"]


@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "m"
    shutil.copytree(MEETINGS, root)
    old = time.time() - 60
    for p in root.rglob("*.md"):
        os.utime(p, (old, old))
    return root


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUIBROWSER_")}
    env["TUIBROWSER_CACHE_DIR"] = str(tmp_path / "cache")
    return env


def run(program, args, env, how, tmp_path) -> tuple[int, str, str]:
    if how == "file":
        out = tmp_path / "out.txt"
        with out.open("w") as sink:
            done = subprocess.run(program + args, stdout=sink, stderr=subprocess.PIPE, env=env)
        return done.returncode, out.read_text(), done.stderr.decode()
    if how == "pipe":
        done = subprocess.run(program + args, capture_output=True, env=env)
        return done.returncode, done.stdout.decode(), done.stderr.decode()
    # a reader that takes one line and goes: ``tuibrowser … | head -1``
    proc = subprocess.Popen(program + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline().decode()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    return proc.wait(), first, err


def steady(text: str, env: dict[str, str]) -> str:
    """The output without the seconds a refresh took, nor the cache's own folder."""
    import re

    return re.sub(r" in \d+\.\d+s", " in Xs", text).replace(env["TUIBROWSER_CACHE_DIR"], "C")


COMMANDS = [
    ["index", "{d}"],
    ["index", "{d}", "--cache", "{c}"],
    ["search", "meeting", "{d}"],
    ["search", "meeting", "{d}", "--json"],
    ["search", "zzqqxxnothing", "{d}"],
    ["search", "meeting", "{d}/nowhere"],
    ["check", "{d}"],
    ["kpis", "{d}"],
    ["export", "{d}"],
    ["index", "--help"],
]


@pytest.mark.parametrize("how", ["pipe", "file", "closed"])
@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w))
def test_the_quick_ending_says_and_returns_what_the_usual_one_does(
    folder, env, tmp_path, words, how
):
    said = []
    for name, program in (("usual", USUAL), ("quick", QUICK)):
        mine = dict(env, TUIBROWSER_CACHE_DIR=str(tmp_path / "cache" / name))
        args = [w.format(d=folder, c=tmp_path / "cache" / name / "c.json") for w in words]
        for _ in range(2):  # a cold cache, then a warm one
            status, out, err = run(program, args, mine, how, tmp_path)
            said.append((status, steady(out, mine), steady(err, mine)))
    assert "Traceback" not in "".join(err for _, _, err in said)
    if how == "closed":
        # whether the reader had gone before the last write is a race: 0 or 1 (a closed pipe),
        # and what follows on stderr may or may not be said; the first line is the same
        said = [(1 if status == 0 else status, out, "") for status, out, _ in said]
    assert said[2:] == said[:2], "\n".join(map(repr, said))


def test_the_lock_is_let_go_and_the_next_command_takes_it(folder, env, tmp_path):
    cache = tmp_path / "c.json"
    for _ in range(3):
        args = ["index", str(folder), "--cache", str(cache)]
        done = subprocess.run(QUICK + args, capture_output=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
    import fcntl

    with open(f"{cache}.lock", "rb") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # free: no one holds it


def test_what_is_registered_at_exit_runs_and_the_status_is_kept(tmp_path):
    code = (
        "import atexit, sys\n"
        "from tuibrowser.cli.leave import leave\n"
        "atexit.register(lambda: print('at exit', flush=True))\n"
        "print('before', end='')\n"
        "leave(SystemExit(3))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (3, "beforeat exit\n")


@pytest.mark.parametrize("module", leave.LEFT_TO_PYTHON)
def test_what_the_interpreter_must_end_is_left_to_it(module):
    code = f"import {module}\nfrom tuibrowser.cli.leave import leave\nleave(SystemExit(4))\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 4
    assert "os._exit" not in done.stderr


def test_a_status_that_is_no_number_is_the_interpreters_to_print():
    code = "from tuibrowser.cli.leave import leave\nleave(SystemExit('gone'))\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (1, "gone\n")


@pytest.mark.parametrize(
    "words, paused",
    [
        (["index", "x"], True),
        (["search", "q", "x"], True),
        (["check", "x"], True),
        (["search", "q", "x", "--store", "postgresql://h/d"], False),
        (["x"], False),  # the browser: a long-lived app keeps its collector
        (["open", "x"], False),
        (["import", "x"], False),
    ],
)
def test_the_collector_is_paused_from_the_start_of_a_plain_command_only(words, paused):
    code = (
        "import gc, sys\n"
        "from tuibrowser.cli import fast, main\n"
        "def spy(words):\n"
        "    print(not gc.isenabled(), flush=True)\n"
        "    raise SystemExit(0)\n"
        "fast.run = spy\n"
        f"sys.argv = ['tuibrowser', *{words!r}]\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, f"{paused}\n"), done.stderr
