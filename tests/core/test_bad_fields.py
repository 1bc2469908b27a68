"""A meeting with one bad field is still listed: the field (or the row) is left out and the
problem is flagged with its file and line, by ``check`` and in the export's warnings. Only what a
file cannot do without (its board, its date, its kind, YAML that reads) skips the file."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from tuibrowser.cli import cli
from tuibrowser.records import parse_text

HEAD = "---\nboard: Audit Board\ndate: '2023-03-01'\n"
BODY = "---\n## 1. Welcome\n\nHello.\n"
GOOD = "---\nboard: Other Board\ndate: '2023-02-01'\n---\n## 1. A\n"

# (frontmatter lines after the date, line of the problem, words of the message, what is kept)
BAD_FIELDS = {
    "time-25": ("time: '25:00'\n", 4, "is not a 24-hour time", lambda d: d.time is None),
    "time-number": ("time: 1030\n", 4, "not the number 1030", lambda d: d.time is None),
    "venue-list": ("venue: [a, b]\n", 4, "venue must be text", lambda d: d.venue is None),
    "title-mapping": ("title: {a: 1}\n", 4, "title must be text", lambda d: d.title is None),
    "status": ("status: finished\n", 4, "unknown status 'finished'", lambda d: d.status is None),
    "cancelled": ("cancelled: maybe\n", 4, "must be true or false", lambda d: not d.cancelled),
    "source": ("source: [x]\n", 4, "source must be text", lambda d: d.source is None),
    "next-meeting-date": (
        "next_meeting:\n  date: '2023-02-30'\n",
        5,
        "not a real date",
        lambda d: d.next_meeting is None,
    ),
    "next-meeting-list": (
        "next_meeting: [1]\n",
        4,
        "must be a mapping",
        lambda d: d.next_meeting is None,
    ),
    "attendance-not-a-list": (
        "attendance: everyone\n",
        4,
        "'attendance' must be a list",
        lambda d: d.attendance == [],
    ),
    "attendance-status": (
        "attendance:\n  - name: A\n    status: present\n  - name: C\n    status: maybe\n",
        8,
        "unknown attendance status 'maybe'",
        lambda d: [a.name for a in d.attendance] == ["A"],
    ),
    "attendance-no-name": (
        "attendance:\n  - status: present\n  - name: B\n    status: present\n",
        5,
        "attendance entry 1 has no name",
        lambda d: [a.name for a in d.attendance] == ["B"],
    ),
    "attendance-null": ("attendance: [null]\n", 4, "must be a mapping", lambda d: not d.attendance),
    "membership-no-name": (
        "membership:\n  - role: Chair\n",
        5,
        "membership entry 1 has no name",
        lambda d: d.membership == [],
    ),
    "kpi-rating": (
        "kpis:\n  - code: E1\n    rating: purple\n  - code: E2\n    rating: green\n",
        6,
        "unknown rating 'purple'",
        lambda d: [k.code for k in d.kpis] == ["E2"],
    ),
    "kpi-no-code": (
        "kpis:\n  - rating: green\n",
        5,
        "KPI row 1 has no code",
        lambda d: d.kpis == [],
    ),
    "summary-total": (
        "summaries:\n  - total: many\n",
        5,
        "must be a finite number",
        lambda d: d.summaries == [],
    ),
    "series-points": (
        "series:\n  - name: S\n    points: 3\n",
        6,
        "series[1].points must be a list: series[1] left out",
        lambda d: d.series == [],
    ),
    "output-no-project": (
        "outputs:\n  - rating: green\n",
        5,
        "output 1 has no project",
        lambda d: d.outputs == [],
    ),
    "figure-no-name": (
        "figures:\n  - value: 3\n",
        5,
        "figure 1 has no name",
        lambda d: not d.figures,
    ),
    "note-list": (
        "notes:\n  - fine\n  - [a, b]\n",
        6,
        "notes[2] must be text",
        lambda d: d.notes == ["fine"],
    ),
}

# What a file cannot do without: it is skipped, as before.
UNRECOVERABLE = {
    "no-board": ("---\ndate: '2023-03-01'\n" + BODY, "missing 'board'"),
    "no-date": ("---\nboard: B\n" + BODY, "missing 'date'"),
    "bad-date": ("---\nboard: B\ndate: '2023-02-30'\n" + BODY, "not a real date"),
    "kind": (HEAD + "kind: memo\n" + BODY, "unknown kind"),
    "yaml": (HEAD + "time: [\n" + BODY, "YAML error"),
    "not-a-mapping": ("---\n- a\n" + BODY, "must be a mapping"),
}


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TUIBROWSER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TUIBROWSER_MEETINGS", raising=False)
    monkeypatch.delenv("TUIBROWSER_PUBLIC", raising=False)


def folder(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "meetings"
    root.mkdir()
    (root / "good.md").write_text(GOOD)
    (root / "bad.md").write_text(text)
    return root


@pytest.mark.parametrize("case", list(BAD_FIELDS))
def test_a_bad_field_is_left_out_with_a_warning_and_the_meeting_is_kept(case):
    extra, line, words, kept = BAD_FIELDS[case]
    parsed = parse_text(HEAD + extra + BODY, "bad.md")
    assert parsed.document is not None, parsed.problems
    assert [p.title for p in parsed.document.items] == ["Welcome"]
    assert kept(parsed.document), parsed.document
    warnings = [p for p in parsed.problems if p.severity == "warning"]
    assert not [p for p in parsed.problems if p.severity == "error"]
    assert len(warnings) == 1, warnings
    assert warnings[0].line == line, warnings[0]
    assert words in warnings[0].message and warnings[0].message.endswith("left out")


@pytest.mark.parametrize("case", ["time-25", "attendance-status", "kpi-rating", "note-list"])
def test_check_flags_the_field_and_export_lists_the_meeting_and_warns(tmp_path, case):
    extra, line, words, _ = BAD_FIELDS[case]
    root = folder(tmp_path, HEAD + extra + BODY)
    checked = run("check", str(root))
    flagged = [ln for ln in checked.stdout.splitlines() if ln.startswith(f"bad.md:{line}:")]
    assert flagged and "warning" in flagged[0] and words in flagged[0], checked.stdout
    assert "skipped" not in checked.stdout.splitlines()[-1]
    # a warning: exit 0, as for every warning; --strict makes any warning fail
    assert checked.exit_code == 0
    assert run("check", str(root), "--strict").exit_code == 1
    for cache in (["--no-cache"], [], []):  # read from the files, then built, then cached
        exported = run("export", str(root), *cache)
        assert exported.exit_code == 0
        ids = [m["id"] for m in orjson.loads(exported.stdout)["meetings"]]
        assert ids == ["2023-03-01-audit-board", "2023-02-01-other-board"]
        assert f"bad.md:{line}: warning:" in exported.stderr and words in exported.stderr


@pytest.mark.parametrize("case", list(UNRECOVERABLE))
def test_only_what_a_file_cannot_do_without_skips_it(tmp_path, case):
    text, words = UNRECOVERABLE[case]
    root = folder(tmp_path, text)
    checked = run("check", str(root))
    assert checked.exit_code == 1
    assert words in checked.stdout and "1 file skipped" in checked.stdout
    exported = run("export", str(root), "--no-cache")
    ids = [m["id"] for m in orjson.loads(exported.stdout)["meetings"]]
    assert ids == ["2023-02-01-other-board"]
    assert "skipped bad.md" in exported.stderr
