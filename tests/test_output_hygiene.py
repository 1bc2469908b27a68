"""What tuibrowser prints is safe to print: every output, every class of dangerous character.

Text from files (and file names) is untrusted. No control character (C0 but tab and line
breaks, DEL, C1), no bidi override, isolate or mark and no zero-width character reaches the
output raw: the human output shows them (``\\x1b``, ``<U+202E>``), JSON escapes them
(``\\u0085``, ``\\u202e``). Also here: reading a file swapped for a named pipe, file names that
would fake a line, boards whose slugs collide, CSV cells a spreadsheet would run as formulas, and
dates the importer would have had to guess.
"""

from __future__ import annotations

import csv
import io
import os
import re
import threading
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from tuihelp import ready, screen_text

from tuibrowser import records, safeopen
from tuibrowser.cache import Cache
from tuibrowser.cli import cli
from tuibrowser.library import build
from tuibrowser.text import clean, json_safe

# Each class of character that must not reach a terminal raw, with a sample of it.
DANGEROUS = {
    "c0": "\x07\x08\x0b\x0c\x0e\x1f",
    "esc-sequences": "\x1b[2J\x1b[31m\x1b]0;title\x07\x1b]8;;http://x\x1b\\",
    "del-and-c1": "\x7f\x80\x85\x8d\x90\x9b\x9d\x9f",
    "bidi": "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
    "zero-width": "\u200b\u200c\u200d\u2060\ufeff",
}
# What may never be in the output: line feed, carriage return and tab are the only controls left.
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, every character but letters, digits and blanks
    escaped (YAML itself allows no raw control character)."""
    return '"' + "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\u{ord(c):04x}" for c in text) + '"'


def hostile_file(payload: str) -> str:
    """A meeting whose every field shows in some output holds ``payload``: board, venue,
    attendee, item title and minute, KPI code, theme, period and target, and an unknown key
    (whose warning ``check`` prints)."""
    q = yaml_quoted
    return f"""---
board: {q("Board " + payload)}
date: "2022-03-01"
kind: minutes
venue: {q("Hall " + payload)}
attendance:
  - name: {q("Cllr Ann " + payload)}
    status: present
kpis:
  - code: {q("K" + payload)}
    period: {q("2021/22 Q1 " + payload)}
    theme: {q("Theme " + payload)}
    target: {q("Target " + payload)}
    delivered: {q("Done " + payload)}
    rating: green
{q("odd" + payload)}: 1
---
## 1. Title {payload} budget

Text {payload} budget and more.
"""


@pytest.fixture(params=list(DANGEROUS))
def hostile(request, tmp_path) -> tuple[Path, str]:
    payload = DANGEROUS[request.param]
    root = tmp_path / "meetings"
    root.mkdir()
    # the file name holds the payload too (every character a file name may hold)
    name = "2022-03-01-x" + payload.replace("/", "") + ".md"
    (root / name).write_text(hostile_file(payload), encoding="utf-8")
    return root, payload


COMMANDS = {
    "check": ["check", "{root}"],
    "index": ["index", "{root}", "--cache", "{cache}"],
    "export-json": ["export", "{root}", "--no-cache"],
    "export-json-cached": ["export", "{root}", "--cache", "{cache}"],
    "export-csv-meetings": ["export", "{root}", "--no-cache", "--format", "csv"],
    "export-csv-items": ["export", "{root}", "--no-cache", "--format", "csv", "--table", "items"],
    "export-csv-attendance": ["export", "{root}", "--format", "csv", "--table", "attendance"],
    "export-csv-kpis": ["export", "{root}", "--no-cache", "--format", "csv", "--table", "kpis"],
    "export-ics": ["export", "{root}", "--no-cache", "--format", "ics"],
    "search-human": ["search", "budget", "{root}", "--cache", "{cache}"],
    "search-json": ["search", "budget", "{root}", "--cache", "{cache}", "--json"],
    "search-person": ["search", "ann", "{root}", "--no-cache", "--json"],
    "kpis-human": ["kpis", "{root}", "--no-cache"],
    "kpis-json": ["kpis", "{root}", "--no-cache", "--json"],
    "kpis-csv": ["kpis", "{root}", "--no-cache", "--csv"],
}


def invoke(args: list[str]):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_dangerous_character_reaches_the_output(command, hostile, tmp_path):
    root, payload = hostile
    args = [a.format(root=root, cache=tmp_path / "c.json") for a in COMMANDS[command]]
    result = invoke(args)
    assert result.exit_code in (0, 1), result.output
    out = result.stdout_bytes.decode("utf-8") + result.stderr_bytes.decode("utf-8")
    assert out.strip()
    assert not RAW.findall(out), sorted({hex(ord(c)) for c in RAW.findall(out)})
    if command.startswith("export-json"):
        # the JSON export still holds the text, escaped: decoding gives the characters back
        kept = "".join(strings(orjson.loads(result.stdout_bytes)))
        assert set(payload) & set(kept)


def strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    return [s for v in data for s in strings(v)] if isinstance(data, list) else []


@pytest.mark.parametrize("kind", list(DANGEROUS))
def test_json_escapes_what_a_terminal_would_act_on(kind):
    payload = DANGEROUS[kind]
    for dumped in (
        orjson.dumps({"t": payload}).decode(),
        __import__("json").dumps({"t": payload}, ensure_ascii=False),
    ):
        safe = json_safe(dumped)
        assert not RAW.search(safe)
        assert orjson.loads(safe) == {"t": payload}


@pytest.mark.parametrize("kind", list(DANGEROUS))
def test_the_terminal_text_marks_every_dangerous_character(kind):
    payload = DANGEROUS[kind]
    shown = clean(payload)
    assert not RAW.search(shown)
    # each is shown visibly, one mark for each character
    assert len(re.findall(r"\\x[0-9a-f]{2}|<U\+[0-9A-F]{4}>", shown)) >= len(
        [c for c in payload if RAW.match(c)]
    )


def test_bidi_and_zero_width_are_shown_by_their_code():
    assert clean("a\u202eb\u200bc\ufeff") == "a<U+202E>b<U+200B>c<U+FEFF>"
    assert clean("\x85\x9b") == "\\x85\\x9b"
    assert clean("Café 委員会 Совет — “quoted”") == "Café 委員会 Совет — “quoted”"


async def test_the_browser_shows_no_dangerous_character(make_app, tmp_path):
    root = tmp_path / "meetings"
    root.mkdir()
    payload = "".join(reversed(DANGEROUS.values()))  # the marks first: long titles are cut
    (root / "2022-03-01-x.md").write_text(hostile_file(payload), encoding="utf-8")
    app = make_app(root)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(app, pilot)
        listed = screen_text(app)
        app.open_meeting(app.library.meetings[0].id)
        await pilot.pause()
        meeting = screen_text(app)
    for text in (listed, meeting):
        assert not RAW.search(text), sorted({hex(ord(c)) for c in RAW.findall(text)})
    assert "Hall <U+200B><U+200C><U+200D><U+2060><U+FEFF><U+202A>" in listed
    assert "Cllr Ann" in meeting and "<U+202E>" in meeting and "<U+200B>" in meeting


# --- a file swapped for a named pipe between stat and open ---------------------------------


def run_guarded(work, fifo_paths: list[Path]):
    """Run ``work`` in a thread; a reader stuck on a pipe is freed by opening the pipe for
    writing, and the test fails instead of hanging."""
    box: dict = {}
    thread = threading.Thread(target=lambda: box.setdefault("result", work()), daemon=True)
    thread.start()
    thread.join(20)
    if thread.is_alive():
        for p in fifo_paths:
            try:
                os.close(os.open(p, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
        thread.join(5)
        pytest.fail("a reader waited on a named pipe")
    return box["result"]


GOOD = "---\nboard: Good Board\ndate: \"2020-01-01\"\nkind: minutes\n---\n## 1. Welcome\n\nHi.\n"


@pytest.fixture
def swapping(tmp_path, monkeypatch):
    """A folder whose ``swap.md`` is a regular file when it is ``stat``-ed and becomes a named
    pipe just before it is opened."""
    root = tmp_path / "meetings"
    root.mkdir()
    (root / "2020-01-01-good-minutes.md").write_text(GOOD)
    target = root / "swap.md"
    target.write_text(GOOD.replace("Good Board", "Swap Board"))
    real_open = os.open

    def open_and_swap(path, flags, *args, **kwargs):
        if os.fspath(path).endswith("swap.md") and not target.is_fifo():
            target.unlink()
            os.mkfifo(target)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(safeopen.os, "open", open_and_swap)
    return root, target


NOT_REGULAR = "swap.md: error: not a regular file (a pipe, socket or device): not read"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX only")
def test_a_file_swapped_for_a_pipe_is_not_waited_on_by_check(swapping):
    root, target = swapping
    parsed = run_guarded(lambda: records.read_file(target, "swap.md"), [target])
    assert [str(p) for p in parsed.problems] == [NOT_REGULAR]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX only")
def test_a_file_swapped_for_a_pipe_is_not_waited_on_by_index(swapping, tmp_path):
    root, target = swapping
    lib, report = run_guarded(lambda: Cache(root, tmp_path / "c.json").refresh(), [target])
    assert [str(p) for p in report.skipped] == [NOT_REGULAR]
    assert [m.board for m in lib.meetings] == ["Good Board"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX only")
def test_a_changed_file_swapped_for_a_pipe_is_not_waited_on_by_its_content_check(
    tmp_path, monkeypatch
):
    # The refresh that finds a file's time changed reads it to compare its hash first.
    root = tmp_path / "meetings"
    root.mkdir()
    target = root / "swap.md"
    target.write_text(GOOD)
    cache = Cache(root, tmp_path / "c.json")
    cache.refresh()
    os.utime(target, ns=(1, 1))
    real_open = os.open
    opened = []

    def open_and_swap(path, flags, *args, **kwargs):
        if os.fspath(path).endswith("swap.md") and not target.is_fifo():
            opened.append(flags)
            target.unlink()
            os.mkfifo(target)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(safeopen.os, "open", open_and_swap)
    lib, report = run_guarded(lambda: Cache(root, tmp_path / "c.json").refresh(), [target])
    assert opened and all(f & os.O_NONBLOCK for f in opened)
    assert not lib.meetings


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX only")
def test_an_export_swapped_for_a_pipe_is_not_waited_on_by_import(swapping, tmp_path):
    from tuibrowser.importers import import_file

    _, target = swapping
    result = run_guarded(lambda: import_file(target), [target])
    assert result.error == "is a named pipe, not a regular file; not read"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX only")
@pytest.mark.parametrize(
    "command",
    [["check"], ["index", "--cache", "{cache}"], ["export", "--no-cache"], ["kpis", "--no-cache"]],
)
def test_a_real_pipe_is_an_error_of_its_own_for_every_command(command, tmp_path):
    root = tmp_path / "meetings"
    root.mkdir()
    (root / "2020-01-01-good-minutes.md").write_text(GOOD)
    os.mkfifo(root / "pipe.md")
    args = [command[0], str(root)] + [a.format(cache=tmp_path / "c.json") for a in command[1:]]
    result = run_guarded(lambda: invoke(args), [root / "pipe.md"])
    assert "pipe.md: error: not a regular file" in result.output


def test_the_safe_reader_refuses_what_is_not_a_regular_file(tmp_path):
    with pytest.raises(safeopen.NotRegularFile):
        safeopen.read_regular(tmp_path, 100)  # a folder
    if os.path.exists("/dev/zero"):
        with pytest.raises(safeopen.NotRegularFile):
            safeopen.read_regular("/dev/zero", 100)  # never ends
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * 101)
    with pytest.raises(safeopen.FileTooLarge):
        safeopen.read_regular(big, 100)
    assert safeopen.read_regular(big, 101) == b"x" * 101


def test_the_safe_reader_does_not_follow_a_link_when_told_not_to(tmp_path):
    real = tmp_path / "real.md"
    real.write_bytes(b"text")
    (tmp_path / "link.md").symlink_to(real)
    assert safeopen.read_regular(tmp_path / "link.md", 100) == b"text"
    with pytest.raises(OSError):
        safeopen.read_regular(tmp_path / "link.md", 100, follow_links=False)
