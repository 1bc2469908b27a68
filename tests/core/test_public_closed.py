"""``--public`` fails closed: whatever goes wrong around a confidential item — an agenda that
cannot be parsed or read, an item number spelt two ways, a mark on a heading that is not an
item, a warning that quotes the item — nothing of the item reaches any output, problem or cache.

Each case builds a meetings folder whose confidential item holds ``SECRET`` and looks for it in
everything ``--public`` produces: the JSON, CSV and iCalendar exports, ``search --json``,
``kpis`` (table and JSON), the problems the browser's ``!`` screen lists, and the bytes of the
public cache on disk; with and without the cache.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cachefiles import cache_bytes
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from privileges import as_user, cli_as_user, forbid

import tuibrowser.kpi
import tuibrowser.search  # noqa: F401 - imported before a test drops its privileges
from tuibrowser import export
from tuibrowser.cli import cli
from tuibrowser.keys import item_key
from tuibrowser.library import build
from tuibrowser.public import CONFIDENTIAL, WITHHELD_DETAILS
from tuibrowser.records import parse_text
from tuibrowser.store import cache_file_for, open_library
from tuibrowser.tui.app import sorted_problems

SECRET = "Quetzalcoatlus"  # one word: search folds it, the cache keeps it folded
OPEN = "Everyone may read this"
DATE = "2022-03-01"
AGENDA_NAME = f"{DATE}-audit-board-agenda.md"
MINUTES_NAME = f"{DATE}-audit-board-minutes.md"
OTHER_NAME = "2022-04-05-audit-board-minutes.md"

OTHER = """---
board: Audit Board
date: "2022-04-05"
---
## 1. Another meeting

Nothing to hide here.
"""


def agenda(mark: str = "8", heading: str = "## {n}. Contract award {{confidential}}", **kw) -> str:
    """An agenda pack: item 2 is open, item ``mark`` confidential with its KPI and figure."""
    rows = kw.get("rows", "")
    return f"""---
board: Audit Board
date: "{DATE}"
kind: agenda
kpis:
  - code: K1
    rating: green
    item: "2"
  - code: K8
    delivered: {SECRET} savings
    rating: red
    item: "{mark}"
{rows}figures:
  - name: {SECRET} grant
    value: 5
    item: "{mark}"
---
## 2. Open report

### Purpose

{OPEN}.

{heading.format(n=mark)}

### Purpose

The {SECRET} bid.
"""


def minutes(number: str = "8", heading: str = "## {n}. Contract award") -> str:
    return f"""---
board: Audit Board
date: "{DATE}"
kind: minutes
---
## 2. Open report

{OPEN}.

{heading.format(n=number)}

Members discussed {SECRET} in private.

### Decisions

- Award the {SECRET} contract.
"""


# A KPI row under the confidential item that makes the agenda an error, quoting its value.
BAD_ROW = f"""  - code: K9
    rating: {SECRET}
    item: "8"
"""
# Two rows of one code and period under the confidential item: a warning that quotes both.
TWICE = f"""  - code: {SECRET}
    period: {SECRET} Q1
    item: "8"
  - code: {SECRET}
    period: {SECRET} Q1
    item: "8"
"""
# Agendas that cannot be parsed, the secret in what the parser's message may quote (a YAML tag,
# a key given twice, an alias, the line the error is on), or that is not UTF-8 or holds NUL.
UNPARSED = {
    "YAML error: a tag": f"  - code: K9\n    rating: !{SECRET} red\n    item: '8'\n",
    "YAML error: a key twice": f"  - code: K9\n    {SECRET}: 1\n    {SECRET}: 2\n    item: '8'\n",
    "YAML error: an undefined alias": f"  - code: K9\n    rating: *{SECRET}\n    item: '8'\n",
    "YAML error: an unclosed bracket": f"  - code: K9\n    rating: [{SECRET}\n    item: '8'\n",
    "YAML error: a bad line": f"  - code: K9\n    {SECRET}\n    item: '8'\n",
    "not UTF-8": f"  - code: K9\n    rating: {SECRET}\udcff\n    item: '8'\n",
    "NUL bytes": f"  - code: K9\n    rating: {SECRET}\x00\n    item: '8'\n",
}

# name → (agenda, minutes, open item shown in public): each puts SECRET in a confidential item
# and gets one thing wrong (or spells one thing another way).
CASES: dict[str, tuple[str, str, bool]] = {
    # the bad row is left out with a warning (withheld with its item); the file is read, so the
    # open item is shown
    "agenda with a bad row": (agenda(rows=BAD_ROW), minutes(), True),
    "agenda not parsed (duplicate item)": (
        agenda() + "\n## 2. Open report again\n\nText.\n",
        minutes(),
        False,
    ),
    "minutes mark it": (
        agenda(heading="## {n}. Contract award"),
        minutes(heading="## {n}. X {{confidential}}"),
        True,
    ),
    "9A in the agenda, 9a in the minutes": (agenda("9A"), minutes("9a"), True),
    "08 in the agenda, 8 in the minutes": (agenda("08"), minutes("8"), True),
    "8. in the agenda, 8 in the minutes": (
        agenda("8.", "## {n} Contract award {{confidential}}"),
        minutes("8"),
        True,
    ),
    "8 marked in the minutes as 08": (
        agenda(heading="## {n}. Contract award"),
        minutes("08", "## {n} Contract award {{exempt}}"),
        True,
    ),
    "## 10) heading marked": (
        agenda(heading="## {n}. Contract award"),
        minutes("8", "## 10) Contract award {{confidential}}"),
        False,
    ),
    "## Item 11: heading marked": (
        agenda(heading="## {n}. Contract award"),
        minutes("8", "## Item 11: Contract award {{confidential}}"),
        False,
    ),
    "### 13. heading marked": (
        agenda(heading="## {n}. Contract award"),
        minutes("8", "### 13. Contract award {{confidential}}"),
        False,
    ),
    "unknown attribute on the item": (
        agenda(heading="## {n}. Contract award {{confidential " + SECRET + "}}"),
        minutes(),
        True,
    ),
    "warning on a KPI row of the item": (agenda(rows=TWICE), minutes(), True),
    **{
        f"agenda not parsed: {k}": (agenda(rows=rows), minutes(), False)
        for k, rows in UNPARSED.items()
    },
}
# The cases where the marked text is in an item of a file that is skipped as an error even
# without --public (the mark is not on an item heading): the whole file is out, and with
# --public every item of its meeting.
HEADING_CASES = {k for k in CASES if "heading marked" in k}


def write(root: Path, agenda_text: str, minutes_text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    # (a lone surrogate is written as the byte it stands for: a file that is not UTF-8)
    (root / AGENDA_NAME).write_bytes(agenda_text.encode("utf-8", "surrogateescape"))
    (root / MINUTES_NAME).write_text(minutes_text, encoding="utf-8")
    (root / OTHER_NAME).write_text(OTHER, encoding="utf-8")
    return root


def invoke(*args: str, code: int | tuple[int, ...] = 0) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code in ((code,) if isinstance(code, int) else code), result.output
    return result.output  # stdout and stderr: nothing may leak on either


def public_outputs(root: Path, *cache: str) -> dict[str, str]:
    """Everything the command line prints with --public, by what printed it."""
    r = str(root)
    out = {
        "json": invoke("export", r, "--public", *cache),
        "ics": invoke("export", r, "--public", "--format", "ics", *cache),
        # (the query itself is echoed: only what search found counts)
        "search": invoke("search", SECRET, r, "--public", "--json", *cache, code=(0, 1)).replace(
            f'"query": "{SECRET}"', ""
        ),
        "search-open": invoke("search", "hide", r, "--public", "--json", *cache),
        "kpis": invoke("kpis", r, "--public", *cache),
        "kpis-json": invoke("kpis", r, "--public", "--json", *cache),
    }
    for table in ("meetings", "items", "attendance", "kpis"):
        out[f"csv-{table}"] = invoke(
            "export", r, "--public", "--format", "csv", "--table", table, *cache
        )
    return out


def tui_problems(root: Path, use_cache: bool) -> str:
    """The problems the browser's ``!`` screen lists, as it gathers them."""
    lib, report = open_library(root, use_cache=use_cache, public=True)
    groups = sorted_problems(lib, report.skipped, report.warnings, report.restricted)
    return "\n".join(str(p) for group in groups for p in group)


def public_cache(root: Path) -> str:
    """The bytes of the public cache on disk, all of its files."""
    return cache_bytes(cache_file_for(root, public=True)).decode(errors="replace")


def assert_withheld(text: str, where: str) -> None:
    assert SECRET.lower() not in text.lower(), where
    assert "contract award" not in text.lower(), where


@pytest.fixture
def env(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("TUIBROWSER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TUIBROWSER_PUBLIC", raising=False)
    return tmp_path / "cache"


@pytest.mark.parametrize("case", list(CASES))
def test_nothing_of_a_confidential_item_reaches_any_public_output(case, tmp_path, env):
    agenda_text, minutes_text, open_shown = CASES[case]
    root = write(tmp_path / "meetings", agenda_text, minutes_text)
    # The case can fail: without --public the secret is there to be seen (in the records, or
    # for a stray mark in the error that names the line, the file being skipped).
    private = invoke("export", str(root), "--no-cache") + invoke("check", str(root), code=(0, 1))
    if case in HEADING_CASES:
        assert "is not at the end of an item heading" in private
    else:
        assert SECRET in private
    for cache in ([], ["--no-cache"]):
        outputs = public_outputs(root, *cache)
        for name, text in outputs.items():
            assert_withheld(text, f"{name} {cache}")
        # What may be shown still is: the other meeting, and the open item when its meeting's
        # files could all be read.
        assert "Another meeting" in outputs["json"]
        assert (OPEN in outputs["json"]) == open_shown, cache
        assert_withheld(tui_problems(root, use_cache=not cache), f"problems {cache}")
    assert_withheld(public_cache(root), "cache")


def test_a_warning_in_a_confidential_item_is_listed_without_its_text(tmp_path, env):
    root = write(tmp_path / "meetings", agenda(rows=TWICE), minutes())
    for use_cache in (False, True):
        listed = tui_problems(root, use_cache)
        assert f"{AGENDA_NAME}:16: warning: {CONFIDENTIAL}" in listed, listed
    # Without --public the warning says what it is about.
    lib, _ = open_library(root, use_cache=False)
    assert any(SECRET in p.message for p in lib.problems)


def test_a_meeting_comes_back_when_its_agenda_is_fixed(tmp_path, env):
    # an error the file cannot do without (a bad row is only left out: see CASES)
    broken = agenda() + "\n## 2. Open report again\n\nText.\n"
    root = write(tmp_path / "meetings", broken, minutes())
    assert OPEN not in invoke("export", str(root), "--public")
    (root / AGENDA_NAME).write_text(agenda(), encoding="utf-8")
    later = os.stat(root / AGENDA_NAME).st_mtime_ns + 5_000_000_000
    os.utime(root / AGENDA_NAME, ns=(later, later))
    text = invoke("export", str(root), "--public")
    assert OPEN in text and SECRET not in text
    # and the open item goes again when the agenda breaks again
    (root / AGENDA_NAME).write_text(broken, encoding="utf-8")
    os.utime(root / AGENDA_NAME, ns=(later * 2, later * 2))
    assert OPEN not in invoke("export", str(root), "--public")
    assert_withheld(public_cache(root), "cache")


def test_a_broken_file_whose_name_gives_no_date_withholds_every_meeting(tmp_path, env):
    # It may be any meeting's agenda: until it can be read, no meeting shows an item.
    root = write(tmp_path / "meetings", agenda(heading="## {n}. Contract award"), minutes())
    stray = root / "late-papers.md"
    stray.write_text(agenda().replace("kind: agenda", "kind: [agenda"), encoding="utf-8")
    for cache in ([], ["--no-cache"]):
        text = invoke("export", str(root), "--public", *cache)
        assert_withheld(text, str(cache))
        assert OPEN not in text and "Another meeting" not in text
        assert "late-papers.md" in text  # the reason is told
    assert_withheld(public_cache(root), "cache")
    stray.unlink()  # gone: every meeting is whole again (the cache too)
    text = invoke("export", str(root), "--public")
    assert OPEN in text and "Another meeting" in text
    assert SECRET in text  # the agenda no longer marks item 8: nothing withholds it


@pytest.mark.parametrize("use_cache", [True, False])
async def test_the_problems_screen_tells_where_not_what(use_cache, make_app, tmp_path):
    from tuihelp import option_rows, ready, screen_text

    from tuibrowser.tui.screens.problems import ProblemsScreen

    root = write(tmp_path / "meetings", agenda(rows=TWICE), minutes())
    app = make_app(root, public=True, use_cache=use_cache)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(app, pilot)
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        shown = screen_text(app) + str(option_rows(app.screen.query_one("#problems")))
    assert f"{AGENDA_NAME}:16" in shown and "withheld in public mode" in shown
    assert_withheld(shown, "the ! screen")


def _public_as_user(root: str, home: str) -> dict[str, str]:
    """In the unprivileged child: every public output, with the cache and without."""
    env = {"TUIBROWSER_CACHE_DIR": home + "/cache", "HOME": home}
    out: dict[str, str] = {}
    for cache in ([], ["--no-cache"]):
        for args in (
            ["export", root, "--public"],
            ["export", root, "--public", "--format", "csv", "--table", "items"],
            ["export", root, "--public", "--format", "ics"],
            ["search", SECRET, root, "--public", "--json"],
            ["kpis", root, "--public", "--json"],
        ):
            code, stdout, stderr = cli_as_user([*args, *cache], env)
            text = f"{code}\n{stdout}\n{stderr}".replace(f'"query": "{SECRET}"', "")
            out[" ".join(args[:1] + args[2:] + cache)] = text
        out[f"problems {cache}"] = tui_problems(Path(root), use_cache=not cache)
    out["cache"] = cache_bytes(
        cache_file_for(Path(root), Path(home) / "cache", public=True)
    ).decode(errors="replace")
    return out


@pytest.mark.parametrize("unreadable", ["agenda", "folder"])
def test_an_agenda_the_user_cannot_read_withholds_its_meeting(unreadable, shared):  # noqa: F811
    root = shared / "meetings"
    where = root
    if unreadable == "folder":  # the agenda in a folder named by the meeting's date
        where = root / DATE
        where.mkdir()
    (where / AGENDA_NAME).write_text(agenda(), encoding="utf-8")
    (root / MINUTES_NAME).write_text(minutes(), encoding="utf-8")
    for p in (where / AGENDA_NAME, root / MINUTES_NAME):
        os.chmod(p, 0o644)
    os.chmod(where, 0o755)
    # Readable first (the public cache is written with the agenda), then not.
    before = as_user(_public_as_user, str(root), str(shared / "home"))
    assert OPEN in before["export --public"] and SECRET not in before["export --public"]
    forbid(where / AGENDA_NAME if unreadable == "agenda" else where)
    got = as_user(_public_as_user, str(root), str(shared / "home"))
    for name, text in got.items():
        assert_withheld(text, name)
    assert "Hello" in got["export --public"]  # the other meeting (good.md) is shown
    assert OPEN not in got["export --public"]  # the open item waits for its agenda too


# -- where the secret is put -------------------------------------------------------------

# Places in a confidential item (of the agenda or the minutes) a secret can be written.
PLACES = {
    "title": ("minutes", "## {n} {s} award{mark}\n\nText.\n"),
    "minute": ("minutes", "## {n} Award{mark}\n\nThe {s} bid.\n"),
    "decision": ("minutes", "## {n} Award{mark}\n\n### Decisions\n\n- Give {s} the job.\n"),
    "action": ("minutes", "## {n} Award{mark}\n\n### Actions\n\n- Tell {s}.\n"),
    "note": ("minutes", "## {n} Award{mark}\n\n### Editor's note\n\n{s} said so.\n"),
    "report": ("agenda", "## {n} Award{mark}\n\n### Recommendation\n\nPay {s}.\n"),
    "attribute": ("minutes", "## {n} Award {{{s}{markword}}}\n\nText.\n"),
    "sub-heading": ("minutes", "## {n} Award{mark}\n\n### {s} terms\n\nText.\n"),
}
ROWS = {
    "kpi": "kpis:\n  - code: K{s}\n    theme: {s}\n    period: {s} 1\n    item: '{r}'\n",
    "kpi twice": "kpis:\n" + "  - code: {s}\n    period: {s} 1\n    item: '{r}'\n" * 2,
    "summary": "summaries:\n  - label: {s}\n    total: 1\n    item: '{r}'\n",
    "series": "series:\n  - name: {s}\n    points: [{{period: '{s}', value: 1}}]\n    item: '{r}'\n",
    "output": "outputs:\n  - project: {s}\n    item: '{r}'\n",
    "figure": "figures:\n  - name: {s}\n    value: 1\n    item: '{r}'\n",
    "bad rating": "kpis:\n  - code: K1\n    rating: {s}\n    item: '{r}'\n",
}
SPELLINGS = [("8", "8"), ("08", "8"), ("8", "08"), ("8.", "8"), ("9A", "9a"), ("9a", "9A")]


def folder(place: str, spelling: tuple[str, str], marked_in: str, row: str | None) -> dict:
    """The documents of one meeting: item 2 open, the other item confidential, ``SECRET`` at
    ``place`` (and in a frontmatter ``row`` reported under it)."""
    where, body = PLACES[place]
    numbers = {"agenda": spelling[0], "minutes": spelling[1]}
    texts = {}
    for kind in ("agenda", "minutes"):
        n = numbers[kind]
        head = n if n.endswith(".") else n + "."  # the heading "## 8. …" of item "8" or "8."
        mark = " {confidential}" if marked_in in (kind, "both") else ""
        if kind == where:
            text = body.format(n=head, s=SECRET, mark=mark, markword=mark[:-1].replace("{", ""))
        else:
            text = f"## {head} Award{mark}\n\nText.\n"
        front = ROWS[row].format(s=SECRET, r=n) if row and kind == "agenda" else ""
        texts[kind] = (
            f"---\nboard: Audit Board\ndate: '{DATE}'\nkind: {kind}\n{front}---\n"
            f"## 2. Open report\n\n{OPEN}.\n\n{text}"
        )
    return texts


def public_text(texts: dict[str, str]) -> str:
    """Every public output of the library these texts make, and its problems."""
    parsed = [parse_text(t, f"{DATE}-audit-board-{k}.md") for k, t in texts.items()]
    docs = [p.document for p in parsed if p.document is not None]
    problems = [q for p in parsed for q in p.problems]
    lib = build(docs, problems, public=True)
    out = export.to_json(lib) + export.to_ics(lib)
    out += "".join(export.to_csv(lib, t) for t in ("meetings", "items", "kpis"))
    return out + "\n".join(str(p) for p in lib.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    place=st.sampled_from(sorted(PLACES)),
    spelling=st.sampled_from(SPELLINGS),
    marked_in=st.sampled_from(["agenda", "minutes", "both"]),
    row=st.none() | st.sampled_from(sorted(ROWS)),
)
def test_wherever_the_secret_is_put_public_shows_none_of_it(place, spelling, marked_in, row):
    texts = folder(place, spelling, marked_in, row)
    out = public_text(texts)
    assert SECRET.lower() not in out.lower()
    # and it is the secret that is withheld, not everything: the open item is still there
    # (unless a file is an error, which withholds the meeting's items)
    parsed = [parse_text(t, "x.md") for t in texts.values()]
    if all(p.document is not None for p in parsed):
        assert OPEN in out
    # The control: without --public the secret is in the records or their problems.
    docs = [p.document for p in parsed if p.document is not None]
    lib = build(docs, [q for p in parsed for q in p.problems])
    private = export.to_json(lib)
    assert SECRET in private


@pytest.mark.parametrize(
    ("a", "b"),
    [("9A", "9a"), ("08", "8"), ("8.", "8"), ("8)", "8"), ("010", "10"), ("8.01", "8.1")],
)
def test_item_numbers_match_as_a_reader_would(a, b):
    assert item_key(a) == item_key(b)


@pytest.mark.parametrize(("a", "b"), [("8", "18"), ("8a", "8b"), ("8", "8.1"), ("1", "10")])
def test_different_item_numbers_stay_different(a, b):
    assert item_key(a) != item_key(b)


def test_a_body_problem_without_an_item_is_given_the_item_it_lies_in():
    # The parser tags the problems it knows; one raised in an item's text without a tag (a
    # check added later) is given the item whose heading is the last above its line.
    from tuibrowser.body import _place_problems
    from tuibrowser.model import Item, Problem

    items = [Item("8", "b", line=20), Item("2", "a", line=10)]
    found = [Problem("x.md", line, "m") for line in (5, 10, 12, 25)] + [Problem("x.md", None, "m")]
    _place_problems(found, items)
    assert [p.item for p in found] == [None, "2", "2", "8", None]


# -- a file that cannot be parsed ----------------------------------------------------------


def problems_of(*args: str) -> list[dict]:
    """The problems of a JSON export (its standard output only)."""
    result = CliRunner().invoke(cli, ["export", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["problems"]


def _kind(case: str) -> str:
    return {"not UTF-8": "not valid UTF-8", "NUL bytes": "file contains NUL bytes"}.get(
        case, "YAML error"
    )


@pytest.mark.parametrize("case", list(UNPARSED))
def test_a_file_that_cannot_be_parsed_is_told_by_its_kind_and_place_only(case, tmp_path, env):
    root = write(tmp_path / "meetings", agenda(rows=UNPARSED[case]), minutes())
    kind = _kind(case)
    # Without --public the message is the parser's own, as informative as ever.
    told = [
        line
        for line in invoke("check", str(root), code=1).splitlines()
        if line.startswith(AGENDA_NAME + ":")
    ]
    assert len(told) == 1, told
    where, _, message = told[0].partition(": error: ")
    assert message.startswith(kind) and message != kind
    if "tag" in case or "twice" in case:  # (libyaml's own messages quote less)
        assert SECRET in message
    private = problems_of(str(root), "--no-cache")
    assert [p["message"] for p in private if p["path"] == AGENDA_NAME] == [message]
    # With --public: the file, the line and the kind, nothing else.
    public_line = f"{where}: error: {kind} ({WITHHELD_DETAILS})"
    for cache in ([], ["--no-cache"]):
        found = problems_of(str(root), "--public", *cache)
        mine = [(p["line"], p["message"]) for p in found if p["path"] == AGENDA_NAME]
        assert mine == [(int(where.rsplit(":", 1)[1]), f"{kind} ({WITHHELD_DETAILS})")]
        assert public_line in invoke("search", "hide", str(root), "--public", *cache)
        assert public_line in tui_problems(root, use_cache=not cache)
    assert public_line in invoke("index", str(root), "--public")
    assert message not in public_cache(root)


@settings(max_examples=100, deadline=None)
@given(
    message=st.text(min_size=1).filter(lambda m: m.strip()),
    severity=st.sampled_from(["error", "warning"]),
    item=st.none() | st.sampled_from(["2", "8"]),
)
def test_no_text_of_a_file_that_cannot_be_parsed_survives_redaction(message, severity, item):
    # Whatever a parser says of a file that has an error (a YAML library may quote an alias,
    # a tag or the line), public mode keeps its file, line and severity, never its text.
    from tuibrowser.model import Problem
    from tuibrowser.public import ALL, redact_problems

    secret = f"{message}{SECRET}"
    problems = [
        Problem("x.md", 3, "YAML error: at the root"),
        Problem("x.md", 7, secret, severity, item),
    ]
    told = redact_problems(problems, lambda _: {ALL})
    assert [(p.path, p.line, p.severity) for p in told] == [
        (p.path, p.line, p.severity) for p in problems
    ]
    assert all(SECRET not in p.message and "withheld in public mode" in p.message for p in told)
    assert told[0].message == f"YAML error ({WITHHELD_DETAILS})"
    # Told again (the public cache holds what was told, the library tells it again): the same.
    again = redact_problems(told, lambda _: {ALL})
    assert [p.message for p in again] == [p.message for p in told]
    # and a file that has no error (it was parsed) keeps the text outside its withheld items
    kept = redact_problems([Problem("y.md", 7, secret, "warning")], lambda _: set())
    assert kept[0].message == secret


# A file that cannot be parsed, by what is wrong with it → the kind public mode tells.
KINDS_OF_FILES = {
    "empty": (b"  \n", "empty file"),
    "no frontmatter": (b"Minutes of the board.\n", "no frontmatter"),
    "frontmatter not closed": (b"---\nboard: B\n", "frontmatter not closed"),
    "frontmatter a list": (b"---\n- B\n---\n", "frontmatter not a mapping"),
    "YAML error": (b"---\nboard: !B x\n---\n", "YAML error"),
    "not UTF-8": (b"---\nboard: \xff\n---\n", "not valid UTF-8"),
    "NUL": (b"---\nboard: B\x00\n---\n", "file contains NUL bytes"),
    "no board": (b"---\ndate: '2022-03-01'\n---\n## 1. X\n", "an error"),
}


@pytest.mark.parametrize("case", KINDS_OF_FILES)
def test_each_kind_of_file_that_cannot_be_parsed_is_told_by_its_kind(case, tmp_path, env):
    content, kind = KINDS_OF_FILES[case]
    root = write(tmp_path / "meetings", agenda(), minutes())
    (root / "bad.md").write_bytes(content)
    private = [p for p in problems_of(str(root), "--no-cache") if p["path"] == "bad.md"]
    assert len(private) == 1 and "withheld" not in private[0]["message"]
    # the same through the public cache (told once when written, again when read) and without
    for cache in ([], [], ["--no-cache"]):
        told = [p for p in problems_of(str(root), "--public", *cache) if p["path"] == "bad.md"]
        assert [(p["line"], p["message"]) for p in told] == [
            (private[0]["line"], f"{kind} ({WITHHELD_DETAILS})")
        ], cache
