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
import datetime
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
from tuibrowser.cli import cli
from tuibrowser.library import build
from tuibrowser.store import Cache
from tuibrowser.text import clean, json_safe

# Each class of character that must not reach a terminal raw, with a sample of it.
DANGEROUS = {
    "c0": "\x07\x08\x0b\x0c\x0e\x1f",
    "esc-sequences": "\x1b[2J\x1b[31m\x1b]0;title\x07\x1b]8;;http://x\x1b\\",
    "del-and-c1": "\x7f\x80\x85\x8d\x90\x9b\x9d\x9f",
    "bidi": "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
    "zero-width": "\u200b\u200c\u200d\u2060\ufeff",
    "line-separators": "\u2028\u2029",
}
# What may never be in the output: line feed, carriage return and tab are the only controls left.
RAW = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]"
)


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, every character but letters, digits and blanks
    escaped (YAML itself allows no raw control character)."""
    return (
        '"'
        + "".join(
            c if c.isascii() and (c.isalnum() or c == " ") else f"\\u{ord(c):04x}" for c in text
        )
        + '"'
    )


def hostile_file(payload: str) -> str:
    """A meeting whose every field shows in some output holds ``payload``: board, venue,
    attendee, item title and minute, KPI code (its first 31 characters: a longer code is an
    error), theme, period and target, and an unknown key (whose warning ``check`` prints)."""
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
  - code: {q("K" + payload[:31])}
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
        app.open_item(app.library.meetings[0].id, "1")  # the minute, as Markdown
        await ready(app, pilot)
        item = screen_text(app)
    assert "Minute" in item and "<U+2028><U+2029><U+200B>" in item  # the minute's text, marked
    for text in (listed, meeting, item):
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


GOOD = '---\nboard: Good Board\ndate: "2020-01-01"\nkind: minutes\n---\n## 1. Welcome\n\nHi.\n'


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


# --- file names cannot fake a line ---------------------------------------------------------

FAKE = "fake.md: error: forged"
# Names that would start a line of their own, or move the cursor to write over one.
NAMES = {
    "line-feed": f"bad\n{FAKE}.md",
    "carriage-return": f"bad\r{FAKE}.md",
    "vertical-tab": f"bad\x0b{FAKE}.md",
    "next-line": f"bad\x85{FAKE}.md",
    "line-separator": f"bad\u2028{FAKE}.md",
    "esc-cursor-up": f"bad\x1b[1A\x1b[2K{FAKE}.md",
}
PATH_COMMANDS = {
    "check": ["check", "{root}"],
    "index": ["index", "{root}", "--cache", "{cache}"],
    "export": ["export", "{root}", "--no-cache"],
    "export-cached": ["export", "{root}", "--cache", "{cache}", "--format", "csv"],
    "search": ["search", "welcome", "{root}", "--no-cache"],
    "kpis": ["kpis", "{root}", "--no-cache"],
    "import": ["import", "{root}/{name}", "--dry-run"],
}


@pytest.mark.parametrize("name", list(NAMES))
@pytest.mark.parametrize("command", list(PATH_COMMANDS))
def test_a_file_name_cannot_fake_a_line_of_any_command(command, name, tmp_path):
    root = tmp_path / "meetings"
    root.mkdir()
    (root / "2020-01-01-good-minutes.md").write_text(GOOD)
    (root / NAMES[name]).write_bytes(b"---\nboard: [broken\n---\n")  # an error: named in output
    args = [
        a.format(root=root, cache=tmp_path / "c.json", name=NAMES[name])
        for a in PATH_COMMANDS[command]
    ]
    result = invoke(args)
    out = result.stdout_bytes.decode() + result.stderr_bytes.decode()
    assert "bad" in out, out  # the file is named …
    assert not RAW.search(out)
    for line in re.split(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", out):
        assert not line.lstrip().startswith("fake.md"), out  # … on its own line


def test_a_folder_name_with_a_line_break_is_shown_escaped(tmp_path):
    result = invoke(["check", str(tmp_path / f"none\n{FAKE}")])
    assert result.exit_code == 2
    assert "none\\x0afake.md" in result.output
    assert not any(ln.startswith("fake.md") for ln in result.output.splitlines())


# --- boards whose slugs collide -------------------------------------------------------------

COLLIDING = [
    ("委員会", "Совет"),
    ("Audit & Risk", "Audit Risk"),
    ("Audit & Risk", "Audit, Risk"),
    ("Audit-Risk", "Audit Risk"),
    ("Café Board", "Caf Board"),
    ("Board", "委員会"),
    ("Ζ Board", "Board"),
]


def board_file(board: str, kind: str = "minutes", confidential: bool = False) -> str:
    mark = " {confidential}" if confidential else ""
    return (
        f'---\nboard: {yaml_quoted(board)}\ndate: "2024-05-01"\nkind: {kind}\n---\n'
        f"## 1. Item of {board}{mark}\n\nMinute of {board}.\n"
    )


@pytest.mark.parametrize(("first", "second"), COLLIDING)
def test_boards_whose_slugs_collide_stay_two_meetings(first, second, tmp_path):
    docs = [
        records.parse_text(board_file(b), f"{i}.md").document for i, b in enumerate((first, second))
    ]
    lib = build(docs)
    assert sorted(m.board for m in lib.meetings) == sorted([first, second])
    assert len({m.id for m in lib.meetings}) == 2
    assert all(m.id.startswith("2024-05-01-") for m in lib.meetings)
    assert not lib.problems  # not "2 minutes files for one meeting"
    # … and so through the cache, whose library reads each meeting's texts when it is opened
    root = tmp_path / "meetings"
    root.mkdir()
    for i, b in enumerate((first, second)):
        (root / f"2024-05-01-{i}-minutes.md").write_text(board_file(b), encoding="utf-8")
    cached = Cache(root, tmp_path / "c.json").refresh()[0]
    assert sorted(m.id for m in cached.meetings) == sorted(m.id for m in lib.meetings)
    for m in cached.meetings:
        full = cached.full(m.id)
        assert [it.title for it in full.items] == [f"Item of {m.board}"]


@pytest.mark.parametrize(("first", "second"), COLLIDING)
def test_a_confidential_item_of_one_board_does_not_hide_the_others(first, second, tmp_path):
    texts = [board_file(first, confidential=True), board_file(second)]
    docs = [records.parse_text(t, f"{i}.md").document for i, t in enumerate(texts)]
    expected = {first: [], second: [f"Item of {second}"]}
    lib = build(docs, public=True)
    assert {m.board: [it.title for it in m.items] for m in lib.meetings} == expected
    # the public cache withholds items before it writes them, by meeting too
    root = tmp_path / "meetings"
    root.mkdir()
    for i, t in enumerate(texts):
        (root / f"{i}.md").write_text(t, encoding="utf-8")
    cached = Cache(root, tmp_path / "c.json", public=True).refresh()[0]
    assert {m.board: [it.title for it in cached.full(m.id).items] for m in cached.meetings} == (
        expected
    )


def test_no_board_name_spells_the_id_another_board_was_given():
    boards = ["委員会", "Board 22f8d4", "Board", "Audit & Risk", "Audit Risk", "Audit Risk e91586"]
    docs = [records.parse_text(board_file(b), f"{i}.md").document for i, b in enumerate(boards)]
    assert len({m.id for m in build(docs).meetings}) == len(boards)


def test_the_same_board_written_in_another_case_is_one_meeting():
    docs = [
        records.parse_text(board_file("Audit Risk"), "a.md").document,
        records.parse_text(board_file("AUDIT  risk", kind="agenda"), "b.md").document,
    ]
    assert [m.id for m in build(docs).meetings] == ["2024-05-01-audit-risk"]


def test_the_bundled_meetings_keep_their_ids(corpus):
    lib = build(p.document for p in records.read_folder(corpus)[0] if p.document)
    assert {m.id[11:] for m in lib.meetings} == {"improvement-innovation-board"}


def test_imported_files_of_boards_that_slug_to_nothing_get_names_of_their_own():
    from tuibrowser.writer import file_name

    a, b = (records.parse_text(board_file(x), "x.md").document for x in ("委員会", "Совет"))
    assert file_name(a) != file_name(b)
    assert file_name(a).startswith("2024-05-01-board--") and file_name(a).endswith("-minutes.md")


# --- CSV cells a spreadsheet would run -----------------------------------------------------

FORMULAS = {
    "equals": '=HYPERLINK("http://evil.example","click")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "carriage-return": "\r=1+1",
    "full-width-equals": "\uff1d1+1",
}


def formula_file(cell: str) -> str:
    q = yaml_quoted
    return f"""---
board: {q(cell)}
date: "2024-05-01"
kind: minutes
venue: {q(cell)}
attendance:
  - name: {q(cell)}
    status: present
kpis:
  - code: {q(cell[:32])}
    target: {q(cell)}
    rating: green
---
## 1. {cell.strip()}

Text.
"""


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize("kind", list(FORMULAS))
@pytest.mark.parametrize(
    "command",
    [
        ["export", "--format", "csv", "--table", "meetings"],
        ["export", "--format", "csv", "--table", "items"],
        ["export", "--format", "csv", "--table", "attendance"],
        ["export", "--format", "csv", "--table", "kpis"],
        ["kpis", "--csv"],
    ],
)
def test_a_csv_cell_a_spreadsheet_would_run_is_written_as_text(command, kind, tmp_path):
    root = tmp_path / "meetings"
    root.mkdir()
    (root / "f.md").write_text(formula_file(FORMULAS[kind]), encoding="utf-8")
    base = [command[0], str(root), "--no-cache", *command[1:]]
    cells = csv_cells(invoke(base).stdout)
    starts = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
    assert not [c for c in cells if c.startswith(starts)]
    assert [c for c in cells if c.startswith("'")]
    # --raw writes them as they are (controls still escaped: a CSV is read on terminals too)
    raw_cells = csv_cells(invoke([*base, "--raw"]).stdout)
    assert [c for c in raw_cells if c.startswith(("=", "+", "-", "@", "\t", "\\x0d", "\uff1d"))]
    assert not RAW.search("".join(raw_cells).replace("\t", ""))


def test_numbers_and_plain_text_are_not_prefixed(corpus):
    cells = csv_cells(invoke(["export", str(corpus), "--no-cache", "--format", "csv"]).stdout)
    assert not [c for c in cells if c.startswith("'")]


# --- dates the importer would have had to guess --------------------------------------------

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINUTES = FIXTURES / "seeds" / "000_8994443ba098d4ec.txt"  # "Thursday 24 May 2018" on line 10
GETMEETING = FIXTURES / "getmeeting" / "full-meeting.xml"  # <meetingdate> on line 6
LATE = datetime.date.today().year + 50

# (source, text in it, replacement, expected warning)
GUESSED = {
    "minutes-year-before-1900": (
        MINUTES,
        "24 May 2018",
        "24 May 1018",
        "line 10: the date '24 May 1018' has the year 1018, before 1900: read as 1018-05-24",
    ),
    "minutes-year-far-ahead": (
        MINUTES,
        "24 May 2018",
        f"24 May {LATE}",
        f"line 10: the date '24 May {LATE}' has the year {LATE}, more than 5 years ahead",
    ),
    "getmeeting-two-digit-year": (
        GETMEETING,
        "14/03/2024",
        "21/07/23",
        "line 6: the date '21/07/23' has a two-digit year: read as 2023-07-21; check it",
    ),
    "getmeeting-year-before-1900": (
        GETMEETING,
        "14/03/2024",
        "14/03/1824",
        "line 6: the date '14/03/1824' has the year 1824, before 1900",
    ),
    "agenda-pack-attendance-columns": (
        FIXTURES / "seeds" / "004_abf6ce4ef9784f3b.txt",
        "",
        "",
        "line 175: the date '1/11/17' has a two-digit year: read as 2017-11-01; check it",
    ),
}


@pytest.mark.parametrize("case", list(GUESSED))
def test_the_importer_says_when_a_year_is_guessed_or_out_of_range(case, tmp_path):
    source, printed, replacement, warning = GUESSED[case]
    path = tmp_path / source.name
    path.write_bytes(source.read_bytes().replace(printed.encode(), replacement.encode()))
    from tuibrowser.importers import import_file

    result = import_file(path)
    assert result.error is None
    assert any(w.startswith(warning) for w in result.warnings), result.warnings
    # and the command line prints it under the file's name
    out = invoke(["import", str(path), "--dry-run"]).output
    assert path.name in out.splitlines()[0]
    assert f"  warning: {warning}" in out


@pytest.mark.parametrize("seed", sorted((FIXTURES / "seeds").glob("00[0-3]_*.txt")))
def test_the_importer_says_nothing_of_plain_four_digit_years(seed):
    from tuibrowser.importers import import_file

    result = import_file(seed)
    assert result.error is None and not [w for w in result.warnings if "the date" in w]
