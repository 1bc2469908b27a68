"""`tuibrowser actions`: the seeds' actions with owners and due dates, filters, JSON, CSV,
--public, and the export's action objects."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from textwrap import dedent

import pytest
from click.testing import CliRunner

from tuibrowser.cli import cli

MEETINGS = str(Path(__file__).resolve().parents[2] / "meetings")


def run(*args: str, folder: str = MEETINGS, code: int = 0):
    result = CliRunner().invoke(
        cli, ["actions", folder, "--no-cache", *args], env={"COLUMNS": "200"}
    )
    assert result.exit_code == code, result.output
    return result


def test_lists_the_seeds_actions_with_owners_and_due_dates():
    r = run("--today", "2024-01-01")
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["STATUS", "DUE", "OWNER", "MEETING", "ITEM", "ACTION"]
    # overdue first: due 21 January 2016, read from "Thursday 21 January" at 19 January 2016
    assert lines[1].split()[:4] == ["OVERDUE", "2016-01-21", "Officers", "2016-01-19"]
    assert any(
        line.split()[:5] == ["mentioned", "-", "Brian", "Reynolds", "2016-01-19"] for line in lines
    )
    # the evidence: the later meeting, its item and the sentence
    assert "2018-03-22 item 8 (same topic): “He outlined progress on the One Public Estate" in (
        r.stdout
    )
    assert "16 actions, 1 overdue" in r.stderr


def test_open_and_owner_filters():
    every = json.loads(run("--json").stdout)["actions"]
    open_ = json.loads(run("--json", "--open").stdout)["actions"]
    assert open_ and all(a["status"] == "open" for a in open_)
    assert len(open_) < len(every)
    brian = json.loads(run("--json", "--owner", "brian REYNOLDS").stdout)["actions"]
    assert [a["owner"] for a in brian] == ["Brian Reynolds"]
    assert brian[0]["evidence"]["meeting"] == "2018-03-22-improvement-innovation-board"
    r = run("--open", "--owner", "Brian", code=1)
    assert r.stdout == ""
    assert "No actions open and with an owner containing 'Brian' (of 16 recorded)." in r.stderr


def test_json_has_the_export_fields_and_overdue():
    data = json.loads(run("--json", "--today", "2016-01-20").stdout)
    assert data["today"] == "2016-01-20"
    first = data["actions"][0]
    assert {"text", "owner", "due", "status", "evidence", "overdue", "meeting", "item"} <= set(
        first
    )
    report = next(a for a in data["actions"] if a["due"] == "2016-01-21")
    assert report["overdue"] is False  # not yet, on 20 January
    assert json.loads(run("--json", "--today", "2016-01-22").stdout)["actions"][0]["overdue"]


def test_csv_one_row_per_action():
    rows = list(csv.DictReader(io.StringIO(run("--csv").stdout)))
    assert len(rows) == 16
    brian = next(r for r in rows if r["owner"] == "Brian Reynolds")
    assert (brian["status"], brian["evidence_item"], brian["evidence_reason"]) == (
        "mentioned",
        "8",
        "same topic",
    )


def test_json_and_csv_together_and_a_bad_date_are_usage_errors():
    assert "not both" in run("--json", "--csv", code=2).output
    assert "is not a date" in run("--today", "tomorrow", code=2).output


HOSTILE = """\
---
board: Test Board
date: "2024-03-01"
---

## 1. Open item

### Actions

- =HYPERLINK("http://x") Jane Smith will write \x1b[31mred\x1b[0m by 5 April 2024.

## 2. Secret item {confidential}

### Actions

- Officers to sell the town hall by 1 May 2024.
"""


LATER = """\
---
board: Test Board
date: "2024-06-01"
---

## 1. Matters arising {confidential}

Jane Smith reported that the red letter had been written; the buyer is ACME Estates.

## 2. Finance

Members noted the budget.
"""


@pytest.fixture
def hostile(tmp_path) -> str:
    (tmp_path / "2024-03-01-test-board-minutes.md").write_text(HOSTILE, encoding="utf-8")
    (tmp_path / "2024-06-01-test-board-minutes.md").write_text(LATER, encoding="utf-8")
    return str(tmp_path)


def test_public_withholds_the_actions_of_confidential_items(hostile):
    every = run("--csv", folder=hostile).stdout
    assert "sell the town hall" in every
    public = run("--csv", "--public", folder=hostile)
    assert "town hall" not in public.stdout
    public_json = run("--json", "--public", folder=hostile).stdout
    assert "town hall" not in public_json
    assert "town hall" not in run("--public", folder=hostile).stdout


def test_public_shows_no_evidence_from_a_confidential_item(hostile):
    every = json.loads(run("--json", folder=hostile).stdout)["actions"]
    [jane] = [a for a in every if a["item"] == "1"]
    assert jane["status"] == "done"  # "had been written", under matters arising
    assert jane["evidence"]["sentence"].startswith("Jane Smith reported")  # as the keeper sees it
    for args in (["--json"], ["--csv"], []):
        out = run(*args, "--public", folder=hostile).stdout
        assert "ACME" not in out and "Jane Smith reported" not in out
    public = json.loads(run("--json", "--public", folder=hostile).stdout)["actions"]
    assert [(a["status"], a["evidence"]) for a in public] == [("open", None)]
    export = CliRunner().invoke(cli, ["export", hostile, "--no-cache", "--public"]).stdout
    assert "ACME" not in export and "town hall" not in export


def test_control_characters_are_shown_and_formulas_kept_text(hostile):
    table = run("--today", "2024-03-02", folder=hostile).stdout
    assert "\x1b" not in table and "\\x1b[31m" in table
    rows = list(csv.DictReader(io.StringIO(run("--csv", folder=hostile).stdout)))
    jane = next(r for r in rows if r["item"] == "1")
    assert jane["text"].startswith("'=HYPERLINK")
    assert "\x1b" not in jane["text"]
    assert jane["due"] == "2024-04-05"
    raw = list(csv.DictReader(io.StringIO(run("--csv", "--raw", folder=hostile).stdout)))
    assert raw[0]["text"].startswith("=HYPERLINK") or raw[1]["text"].startswith("=HYPERLINK")
    out = run("--json", folder=hostile).stdout
    assert "\x1b" not in out


def test_no_actions_at_all_is_said_plainly(tmp_path):
    (tmp_path / "2024-03-01-b-minutes.md").write_text(
        '---\nboard: B\ndate: "2024-03-01"\n---\n\n## 1. Item\n\nText.\n', encoding="utf-8"
    )
    r = run(folder=str(tmp_path), code=1)
    assert r.stdout == ""
    assert "No actions are recorded in these meetings." in r.stderr


def test_export_actions_are_objects_and_the_file_keeps_plain_text(hostile):
    r = CliRunner().invoke(cli, ["export", hostile, "--no-cache"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    [meeting] = [m for m in data["meetings"] if m["date"] == "2024-03-01"]
    [item1] = [it for it in meeting["items"] if it["number"] == "1"]
    [action] = item1["actions"]
    assert set(action) == {"text", "owner", "due", "status", "evidence"}
    assert action["due"] == "2024-04-05" and action["status"] == "done"
    assert action["evidence"]["reason"] == "matters arising"
    assert action["text"].startswith('=HYPERLINK("http://x") Jane Smith will write')
    # the file format does not change: a plain-text action is valid as it was
    check = CliRunner().invoke(cli, ["check", hostile])
    assert check.exit_code == 0, check.output


def test_export_of_the_seeds_carries_owner_due_and_evidence():
    r = CliRunner().invoke(cli, ["export", MEETINGS, "--no-cache"])
    data = json.loads(r.stdout)
    m = next(m for m in data["meetings"] if m["date"] == "2016-01-19")
    by_number = {it["number"]: it for it in m["items"]}
    assert by_number["5"]["actions"][0]["due"] == "2016-01-21"
    [brian] = by_number["4"]["actions"]
    assert brian["owner"] == "Brian Reynolds" and brian["status"] == "mentioned"
    assert brian["evidence"]["item"] == "8"
    assert brian["evidence"]["sentence"].startswith("He outlined progress")


def test_help_names_the_command():
    r = CliRunner().invoke(cli, ["--help"])
    assert "actions" in r.output
    assert (
        dedent("""
    Actions with their owner""").strip()
        in CliRunner().invoke(cli, ["actions", "-h"]).output
    )


def test_imported_seeds_give_the_same_tracker(tmp_path):
    """On meetings imported from the seed exports the tracker reads the same owners, due
    dates and statuses as on the bundled transcriptions."""
    seeds = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "seeds").glob("*.txt"))
    out = tmp_path / "imported"
    r = CliRunner().invoke(cli, ["import", *map(str, seeds), "--out", str(out)])
    assert r.exit_code == 0, r.output

    def read(folder: str):
        return [
            (a["date"], a["item"], a["owner"], a["due"], a["status"])
            for a in json.loads(run("--json", "--today", "2024-01-01", folder=folder).stdout)[
                "actions"
            ]
        ]

    assert read(str(out)) == read(MEETINGS)


def test_the_command_takes_the_options_every_command_takes():
    """Declared in its own module of the cli package: the same folder argument and cache
    options as the other commands."""
    from tuibrowser.cli.actions import actions_cmd

    def shape(command):
        return {
            p.name: (p.opts, p.help if hasattr(p, "help") else None, p.default)
            for p in command.params
            if p.name in ("directory", "cache_path", "no_cache", "public")
        }

    assert shape(actions_cmd) == shape(cli.commands["kpis"])
    assert cli.commands["actions"] is actions_cmd
