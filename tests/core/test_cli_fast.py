"""The fast path of the command line (``tuibrowser.cli.fast``): ``tuibrowser DIR`` and
``tuibrowser index DIR`` in their plain forms run without click, and do and say exactly what
click's command does; every other form is left to click."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from clickless import run_clickless

from tuibrowser.cli import cli, common, fast, main
from tuibrowser.cli.fastsearch import parse_search


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TUIBROWSER_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("TUIBROWSER_MEETINGS", "TUIBROWSER_PUBLIC", "TUIBROWSER_STORE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "m"
    root.mkdir()
    for n in (1, 2, 3):
        p = root / f"{n}.md"
        p.write_text(f"---\nboard: B\ndate: '2020-01-0{n}'\n---\n## 1. Item {n}\n")
        old = time.time() - 60
        os.utime(p, (old, old))
    (root / "bad.md").write_text("---\nboard: B\ndate: '2020-13-01'\n---\n")
    (root / "a file").write_text("not a folder")
    return root


def test_the_commands_are_the_groups():
    from tuibrowser.store.pg.connect import SCHEMES

    assert fast.COMMANDS == set(cli.commands)
    assert (fast.ENV_STORE, fast.ENV_PUBLIC) == (common.ENV_STORE, common.ENV_PUBLIC)
    assert fast.STORE_SCHEMES == SCHEMES


def ended(call) -> int:
    with pytest.raises(SystemExit) as stop:
        call()
    return stop.value.code or 0


def by_click(argv: list[str]) -> int:
    return ended(lambda: common.main(argv))


def by_fast(argv: list[str]) -> int:
    return ended(lambda: fast.run(argv))


def steady(text: str) -> str:
    """Output with the seconds an index took left out (the one thing two runs differ in)."""
    return re.sub(r"in \d+\.\d\ds", "in …s", text)


# the plain forms of ``index``: {dir} is the folder, {cache} a cache file
PLAIN_INDEX = [
    ["index", "{dir}"],
    ["index", "{dir}", "--cache", "{cache}"],
    ["index", "--cache", "{cache}", "{dir}"],
    ["index", "{dir}", "--cache={cache}"],
    ["index", "{dir}", "--cache", "{cache}", "--public"],
    ["index", "--public", "{dir}", "--cache", "{cache}", "--clear"],
    ["index", "{dir}", "--cache", "{cache}", "--where"],
]


def fill(argv: list[str], root: Path, cache: Path) -> list[str]:
    return [w.format(dir=root, cache=cache) for w in argv]


def both_ways(argv, folder, tmp_path, capsys, monkeypatch, plain) -> list[list[tuple]]:
    """``argv`` run twice through click and twice through the fast path, each way with caches
    of its own: each run's (status, output with the seconds and the way's folder left out,
    errors). ``plain``: what reads the words as a plain form (it must)."""
    outputs = []
    for way, run in (("click", by_click), ("fast", by_fast)):
        cache = tmp_path / way / "meetings.json"
        cache.parent.mkdir()
        monkeypatch.setenv("TUIBROWSER_CACHE_DIR", str(tmp_path / way / "default"))
        words = fill(argv, folder, cache)
        assert plain(words) is not None  # a plain form
        runs = []
        for _ in range(2):
            status = run(words)
            out, err = capsys.readouterr()
            runs.append((status, steady(out.replace(str(tmp_path / way), "<tmp>")), err))
        outputs.append(runs)
    return outputs


@pytest.mark.parametrize("argv", PLAIN_INDEX, ids=" ".join)
@pytest.mark.parametrize("env_public", ["", "1"])
def test_a_plain_index_does_and_says_what_click_does(
    argv, env_public, folder, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("TUIBROWSER_PUBLIC", env_public)
    # a first index, then a refresh that finds nothing changed
    outputs = both_ways(argv, folder, tmp_path, capsys, monkeypatch, fast.parse)
    assert outputs[0] == outputs[1]
    assert outputs[0][0][0] == 0 and "read" in outputs[0][0][1] or "--where" in argv


# forms click reads (help, errors, options of other forms …): the fast path leaves them to it
FOR_CLICK = [
    [],
    ["--help"],
    ["-h"],
    ["--version"],
    ["index"],
    ["index", "--help"],
    ["index", "{dir}", "-h"],
    ["index", "{missing}"],
    ["index", "{file}"],
    ["index", "{dir}", "{dir}"],
    ["index", "{dir}", "--cache"],
    ["index", "{dir}", "--cache", ""],
    ["index", "{dir}", "--cache", "--public"],
    ["index", "{dir}", "--cache", "{dir}"],
    ["index", "{dir}", "--cache", "a", "--cache", "b"],
    ["index", "{dir}", "--public", "--public"],
    ["index", "{dir}", "--public=yes"],
    ["index", "{dir}", "--no-cache"],
    ["index", "{dir}", "--store", "mysql://x/y"],
    ["index", "{dir}", "--store"],
    ["index", "{dir}", "--store", "postgresql://x/y", "--clear"],
    ["index", "{dir}", "--store", "postgresql://x/y", "--where"],
    ["index", "{dir}", "--store", "postgresql://x/y", "--cache", "{cache}"],
    ["index", "{dir}", "--store", "postgresql://x/y", "--store", "postgresql://x/z"],
    ["{dir}", "--store", "file:///x"],
    ["index", "{dir}", "--bogus"],
    ["index", "--", "{dir}"],
    ["check", "{dir}"],
    ["search", "x", "{dir}", "--no-cache"],
    ["search", "x", "{dir}", "--cache", "{cache}", "--store", "postgresql://x/y"],
    ["search", "x", "{dir}", "--cache", "{dir}"],
    ["search", "x", "{dir}", "--limit", "0"],
    ["search", "x", "{dir}", "--limit", "many"],
    ["search", "x", "{missing}"],
    ["search", "x", "{dir}", "{dir}"],
    ["search", "x"],
    ["search", "x", "{dir}", "--help"],
    ["open", "{dir}", "--where"],
    ["{dir}", "--clear"],
    ["{missing}"],
    ["{file}"],
    ["-"],
    ["--cache", "{cache}"],
]


@pytest.mark.parametrize("argv", FOR_CLICK, ids=lambda a: " ".join(a) or "(none)")
def test_every_other_form_is_clicks(argv, folder, tmp_path):
    words = [
        w.format(
            dir=folder,
            cache=tmp_path / "c.json",
            missing=tmp_path / "nowhere",
            file=folder / "a file",
        )
        for w in argv
    ]
    assert fast.parse(words) is None
    assert fast.run(words) is False  # (nothing run)


@pytest.mark.parametrize("variable", ["TUIBROWSER_STORE", "_TUIBROWSER_COMPLETE"])
def test_the_store_and_shell_completion_are_clicks(variable, folder, monkeypatch):
    monkeypatch.setenv(variable, "postgresql://x/y")
    assert fast.parse(["index", str(folder)]) is None
    assert fast.parse([str(folder)]) is None
    assert parse_search(["x", str(folder)]) is None


# the plain forms of ``search`` on the cache: hits, none, JSON, a limit, the public cache
PLAIN_SEARCH = [
    ["search", "item", "{dir}"],
    ["search", "item", "{dir}", "--cache", "{cache}"],
    ["search", "--cache={cache}", "item", "{dir}", "--json"],
    ["search", "item", "{dir}", "--cache", "{cache}", "--limit", "1"],
    ["search", "item", "{dir}", "--cache", "{cache}", "--limit=2", "--public", "--json"],
    ["search", "zyzzyva", "{dir}", "--cache", "{cache}"],
    ["search", '"item 2"', "{dir}", "--cache", "{cache}"],
]


def plain_search(words: list[str]):
    return parse_search(words[1:])  # (after the word "search")


@pytest.mark.parametrize("argv", PLAIN_SEARCH, ids=" ".join)
def test_a_plain_search_of_the_cache_does_and_says_what_click_does(
    argv, folder, tmp_path, capsys, monkeypatch
):
    # the cache made by the search, then read as it is
    outputs = both_ways(argv, folder, tmp_path, capsys, monkeypatch, plain_search)
    assert outputs[0] == outputs[1]
    statuses = {status for status, _out, _err in outputs[0]}
    # (public: bad.md fails, and its name gives no date, so every meeting's items are withheld)
    assert statuses == ({1} if "zyzzyva" in argv or "--public" in argv else {0}), outputs[0]
    assert "bad.md" in outputs[0][0][2]  # the file skipped is said, as click says it


def test_a_search_the_cache_cannot_answer_is_clicks_to_answer(
    folder, tmp_path, capsys, monkeypatch
):
    """The cache's files cannot answer (a part unreadable): nothing is printed by the fast
    path, and click's command answers from the library, as it would have."""
    from tuibrowser.store.cache import Cache

    monkeypatch.setattr(Cache, "search_files", lambda self, query, limit=200: None)
    argv = ["search", "item", str(folder), "--cache", str(tmp_path / "c.json")]
    assert fast.run(argv) is False
    assert capsys.readouterr().out == ""
    assert by_click(argv) == 0 and "Item 1" in capsys.readouterr().out


def test_an_unreadable_folder_is_clicks(folder, monkeypatch):
    monkeypatch.setattr(fast.os, "access", lambda path, mode: False)
    assert fast.parse(["index", str(folder)]) is None
    assert fast.parse([str(folder), "--cache", str(folder / "a file")]) is None


@pytest.mark.parametrize(
    "argv, wanted",
    [
        (["{dir}"], ("open", {}, set())),
        (["open", "{dir}"], ("open", {}, set())),
        (["{dir}", "--cache", "{cache}"], ("open", {"--cache": "{cache}"}, set())),
        (["--no-cache", "{dir}", "--public"], ("open", {}, {"--no-cache", "--public"})),
        (["index", "{dir}", "--clear"], ("index", {}, {"--clear"})),
        (
            ["index", "{dir}", "--store", "postgresql://x/y"],
            ("index", {"--store": "postgresql://x/y"}, set()),
        ),
        (
            ["{dir}", "--public", "--store=postgres://x/y"],
            ("open", {"--store": "postgres://x/y"}, {"--public"}),
        ),
    ],
)
def test_the_plain_forms_are_read_as_click_reads_them(argv, wanted, folder, tmp_path):
    cache = tmp_path / "c.json"
    command, values, flags = wanted
    parsed = fast.parse([w.format(dir=folder, cache=cache) for w in argv])
    assert parsed == (
        command,
        str(folder),
        {k: v.format(cache=cache) for k, v in values.items()},
        flags,
    )


def test_the_browser_is_opened_as_the_open_command_opens_it(folder, tmp_path, monkeypatch):
    import tuibrowser.tui.app as app

    calls = []
    monkeypatch.setattr(app, "run", lambda *a, **k: calls.append((a, k)))
    cache = tmp_path / "c.json"
    for run in (by_click, lambda argv: ended(lambda: main(argv))):
        assert run([str(folder), "--cache", str(cache), "--public"]) == 0
    assert calls[0] == calls[1]
    assert calls[0][1]["cache_path"] == cache and calls[0][1]["public"] is True


def test_an_error_is_told_on_one_line_as_clicks_entry_point_tells_it(
    folder, tmp_path, capsys, monkeypatch
):
    import tuibrowser.store as store

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(store, "update_store", broken)
    argv = ["index", str(folder), "--cache", str(tmp_path / "c.json")]
    said = []
    for run in (by_click, by_fast):
        said.append((run(argv), capsys.readouterr()))
    assert said[0] == said[1]
    assert said[0][0] == 2 and "the disk is on fire" in said[0][1].err


@pytest.mark.parametrize("words", [["index"], ["search", "item"]], ids=" ".join)
def test_a_plain_index_or_search_imports_no_click(words, folder, tmp_path):
    argv = [*words, str(folder), "--cache", str(tmp_path / "c.json")]
    assert run_clickless(argv) == ("0", "False")


@pytest.mark.parametrize("enabled", [True, False])
def test_a_plain_index_runs_with_the_collector_paused_and_leaves_it_as_it_was(
    folder, tmp_path, monkeypatch, enabled
):
    import gc

    from tuibrowser.cli import plain

    seen = []
    real = plain.index_cache
    monkeypatch.setattr(plain, "index_cache", lambda *a: (seen.append(gc.isenabled()), real(*a))[1])
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        assert by_fast(["index", str(folder), "--cache", str(tmp_path / "c.json")]) == 0
        assert seen == [False] and gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_the_browser_on_a_store_is_opened_as_the_open_command_opens_it(folder, monkeypatch):
    """``tuibrowser DIR --store URL``: the first page read beside Textual's import, and the
    browser run, as click's command does (the store itself is tests/store's)."""
    import tuibrowser.store.pg.early as early
    import tuibrowser.tui.app as app

    class Early:
        def __init__(self, url: str, root: Path, public: bool) -> None:
            self.args, self.store = (url, Path(root), public), "the store"

        def start(self) -> Early:
            return self

        def result(self) -> tuple:
            return self.args

    monkeypatch.setattr(early, "EarlyHead", Early)
    calls = []
    monkeypatch.setattr(app, "run", lambda *a, **k: calls.append((a, k)))
    argv = [str(folder), "--store", "postgresql://x/y", "--public"]
    assert fast.parse(argv) is not None
    for run in (by_click, by_fast):
        assert run(argv) == 0
    (a0, k0), (a1, k1) = calls
    first = ("the store", ("postgresql://x/y", folder, True))
    assert k0.pop("first_page")() == k1.pop("first_page")() == first
    assert (a0, k0) == (a1, k1) and k0["store_url"] == "postgresql://x/y"


@pytest.mark.parametrize("enabled", [True, False])
def test_the_browser_starts_with_the_collector_paused_and_leaves_it_as_it_was(
    folder, tmp_path, monkeypatch, enabled
):
    """Both ways of opening the browser pause the collector for its start and ask the app to
    resume it at the first frame, only when it was running; it is left as it was."""
    import gc

    import tuibrowser.tui.app as app

    seen = []
    monkeypatch.setattr(app, "run", lambda *a, **k: seen.append((gc.isenabled(), k["gc_paused"])))
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        for run in (by_click, by_fast):
            assert run([str(folder), "--cache", str(tmp_path / "c.json")]) == 0
            assert gc.isenabled() is enabled
        assert seen == [(False, enabled)] * 2
    finally:
        (gc.enable if was else gc.disable)()
