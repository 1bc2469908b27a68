"""check, index and export from the command line, as a user runs them."""

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from tuibrowser.cli import cli

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TUIBROWSER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TUIBROWSER_MEETINGS", raising=False)
    monkeypatch.delenv("TUIBROWSER_PUBLIC", raising=False)


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_check_bundled_corpus_is_clean():
    result = run("check", str(MEETINGS))
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def test_check_reports_each_bad_file_and_exits_1(tmp_path):
    good = tmp_path / "good.md"
    good.write_text("---\nboard: B\ndate: '2020-01-01'\n---\n## 1. Welcome\n")
    (tmp_path / "bad-date.md").write_text("---\nboard: B\ndate: '2020-13-01'\n---\n")
    (tmp_path / "bad-yaml.md").write_text("---\nboard: B\ndate: [\n---\n")
    result = run("check", str(tmp_path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.startswith("bad-date.md:3: error:") for line in lines)
    assert any(line.startswith("bad-yaml.md:") and "YAML error" in line for line in lines)
    assert "good.md" not in result.output.replace("files", "")
    assert "2 errors" in lines[-1] and "2 files skipped" in lines[-1]


def test_check_escapes_control_characters(tmp_path):
    # YAML's own escape for ESC, so the loader sees a real control character.
    (tmp_path / "x.md").write_text("---\nboard: B\ndate: '2020-01-01'\nkind: \"\\e[31mred\"\n---\n")
    result = run("check", str(tmp_path))
    assert "\x1b" not in result.output
    assert "\\x1b[31mred" in result.output


def test_index_says_what_it_did(tmp_path):
    root = tmp_path / "m"
    root.mkdir()
    for n in (1, 2, 3):
        p = root / f"{n}.md"
        p.write_text(f"---\nboard: B\ndate: '2020-01-0{n}'\n---\n")
        old = time.time() - 60
        os.utime(p, (old, old))
    first = run("index", str(root))
    assert "3 files: 3 read, 0 unchanged" in first.output
    (root / "2.md").write_text("---\nboard: B\ndate: '2020-02-02'\n---\n")
    (root / "3.md").unlink()
    second = run("index", str(root))
    assert "2 files: 1 read, 1 unchanged" in second.output
    assert "1 removed" in second.output
    assert "  read      2.md" in second.output
    assert "  removed   3.md" in second.output
    where = run("index", str(root), "--where")
    assert where.output.strip().endswith(".json")
    assert Path(where.output.strip()).is_file()


def test_export_json_has_the_documented_keys():
    result = run("export", str(MEETINGS), "--format", "json")
    data = json.loads(result.output)
    assert set(data) == {"meetings", "people", "problems"}
    m = data["meetings"][0]
    for key in (
        "id",
        "board",
        "date",
        "time",
        "venue",
        "documents",
        "next_meeting",
        "items",
        "attendance",
        "kpis",
        "summaries",
        "series",
    ):
        assert key in m
    item = next(i for mm in data["meetings"] for i in mm["items"])
    assert {
        "number",
        "order",
        "title",
        "confidential",
        "minute",
        "report",
        "decisions",
        "actions",
    } <= set(item)
    att = m["attendance"][0]
    assert {"name", "person", "role", "authority", "status"} <= set(att)
    kpi = next(k for mm in data["meetings"] for k in mm["kpis"])
    assert {
        "code",
        "theme",
        "period",
        "target",
        "target_value",
        "delivered",
        "actual_value",
        "rating",
    } <= set(kpi)
    person = data["people"][0]
    assert {"key", "names", "roles", "authorities", "groups", "meetings"} <= set(person)
    # A value the record does not give is null, never "" or 0.
    for mm in data["meetings"]:
        assert mm["time"] is None or len(mm["time"]) == 5
        for a in mm["attendance"]:
            assert a["authority"] != ""


@pytest.mark.parametrize("table", ["meetings", "items", "attendance", "kpis"])
def test_export_csv_tables(table):
    result = run("export", str(MEETINGS), "--format", "csv", "--table", table)
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows
    if table == "meetings":
        assert [r["date"] for r in rows][0] == "2023-07-21"
        may = next(r for r in rows if r["date"] == "2018-05-24")
        assert (may["present"], may["apologies"]) == ("18", "5")
    if table == "kpis":
        assert sorted(r["code"] for r in rows if r["rating"] == "amber") == [
            "E1",
            "EP8",
            "LC12",
            "LC20",
        ]


def test_export_ics_is_a_calendar_programs_accept():
    result = run("export", str(MEETINGS), "--format", "ics")
    cal = icalendar.Calendar.from_ical(result.output)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 7
    may = next(e for e in events if "2018-05-24" in str(e["UID"]))
    assert may.decoded("DTSTART").isoformat() == "2018-05-24T11:00:00+01:00"
    assert "Smith Square" in str(may["LOCATION"])
    lines = result.stdout_bytes.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)


def test_export_never_overwrites_without_force(tmp_path):
    out = tmp_path / "out.json"
    out.write_text("mine")
    refused = CliRunner().invoke(cli, ["export", str(MEETINGS), "-o", str(out)])
    assert refused.exit_code != 0
    assert "--force" in refused.output
    assert out.read_text() == "mine"
    forced = run("export", str(MEETINGS), "-o", str(out), "--force")
    assert forced.exit_code == 0
    assert json.loads(out.read_text())["meetings"]


def test_installed_command_runs_without_traceback(tmp_path):
    exe = Path(sys.executable).parent / "tuibrowser"
    env = dict(os.environ, TUIBROWSER_CACHE_DIR=str(tmp_path / "c"))
    ok = subprocess.run([str(exe), "check", str(MEETINGS)], capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    missing = subprocess.run(
        [str(exe), "check", str(tmp_path / "nope")], capture_output=True, text=True, env=env
    )
    assert missing.returncode == 2
    assert "not a folder" in missing.stderr
    assert "Traceback" not in missing.stderr


@pytest.mark.parametrize("command", ["check", "index", "export"])
def test_reading_files_without_the_c_yaml_loader_says_so(command, monkeypatch):
    """Without libyaml every file is read about nine times slower: the user is told why."""
    import tuibrowser.yamlsafe as yamlsafe

    monkeypatch.setattr(yamlsafe, "C_LOADER", False)
    result = CliRunner().invoke(cli, [command, str(MEETINGS)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "without libyaml" in result.stderr
    # the second time nothing is parsed (the cache is up to date): nothing to say
    if command != "check":
        again = CliRunner().invoke(cli, [command, str(MEETINGS)], catch_exceptions=False)
        assert "libyaml" not in again.stderr
    monkeypatch.setattr(yamlsafe, "C_LOADER", True)
    fresh = CliRunner().invoke(cli, ["check", str(MEETINGS)], catch_exceptions=False)
    assert "libyaml" not in fresh.stderr
