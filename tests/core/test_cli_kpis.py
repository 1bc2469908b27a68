"""`tuibrowser kpis`: the table with ratings as words, the findings, and machine output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from tuibrowser.cli import cli

MEETINGS = str(Path(__file__).resolve().parents[2] / "meetings")


def run(*args: str):
    result = CliRunner().invoke(cli, ["kpis", MEETINGS, "--no-cache", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_amber_table_has_words_and_findings():
    out = run("--rating", "amber")
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["CODE", "RATING", "TARGET", "ACTUAL"]
    table = [line.split() for line in lines[1:5]]
    assert [row[0] for row in table] == ["E1", "EP8", "LC12", "LC20"]
    assert all(row[1] == "amber" for row in table)
    e1 = table[0]
    assert e1[2:4] == ["110", "115"]
    assert "4 rows" in lines
    assert "The report states 60 MoU deliverables;" in out
    assert "Stated 56 green; rows rated green:" in out


def test_not_stated_rows_read_as_words():
    out = run("--rating", "not_stated")
    assert "not stated" in out
    assert "not_stated" not in out.split("rows")[0]


def test_json_output():
    data = json.loads(run("--json", "--rating", "amber"))
    assert [r["code"] for r in data["rows"]] == ["E1", "EP8", "LC12", "LC20"]
    e1 = data["rows"][0]
    assert e1["ratio"] == round(e1["actual_value"] / e1["target_value"], 4)
    q4 = [p for p in data["periods"] if p["period"] == "2017/18 Q4"][0]
    assert q4["stated"]["total"] == 60
    by_field = {c["field"]: c for c in q4["comparisons"]}
    assert by_field["total"]["counted"] == q4["rows"]
    assert by_field["amber"]["difference"] == 0
    assert q4["findings"]


def test_csv_output_one_row_per_kpi():
    full = list(csv.DictReader(io.StringIO(run("--csv"))))
    amber = list(csv.DictReader(io.StringIO(run("--csv", "--rating", "amber"))))
    assert [r["code"] for r in amber] == ["E1", "EP8", "LC12", "LC20"]
    assert len(full) == sum(1 for r in full if r["meeting"]) > len(amber)
    assert {r["rating"] for r in amber} == {"amber"}


def test_period_and_theme_filters():
    out = run("--period", "2015/16")
    assert "No KPI rows match." in out
    assert "The report states 26" in out
    assert "2017/18 Q4 (meeting" not in out
    themed = run("--theme", "peer support", "--rating", "amber")
    assert themed.splitlines()[1].split()[0] == "E1"
    assert "1 row" in themed.splitlines()


def test_an_unknown_period_names_the_known_ones():
    result = CliRunner().invoke(cli, ["kpis", MEETINGS, "--no-cache", "--period", "nope"])
    assert result.exit_code == 2
    assert "no reporting period matches 'nope'" in result.output
    assert "known periods: 2017/18 Q4; 2015/16 six-month" in result.output
    assert "No KPI rows match" not in result.output


def test_an_unknown_theme_names_the_themes_and_rows_without_one():
    args = ["kpis", MEETINGS, "--no-cache", "--theme", "strong communities"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "no theme contains 'strong communities'" in result.output
    assert "LEADERSHIP AND CAPACITY" in result.output
    assert "'(no theme)' for the 11 rows" in result.output
    assert "The report states" not in result.output  # no findings for a filter that shows nothing


def test_rows_without_a_theme_and_findings_that_follow_the_filter():
    out = run("--theme", "(no theme)")
    codes = [line.split()[0] for line in out.splitlines()[1:12]]
    assert codes == [f"SC{n}" for n in range(1, 12)]
    assert "11 rows" in out.splitlines()
    # only the period the rows come from, and the findings say they cover all of it
    assert "2017/18 Q4 (meeting 2018-05-24), findings on the whole period (61 rows)" in out
    assert "not only the 11 shown" in out
    assert "The report states 26" not in out
    nothing = run("--rating", "red")
    assert "0 rows" in nothing and "The report states" not in nothing
    assert "no reporting period has a row that matches" in nothing
    data = json.loads(run("--json", "--theme", "(no theme)"))
    assert [p["period"] for p in data["periods"]] == ["2017/18 Q4"]
    assert data["periods"][0]["rows_shown"] == 11 and data["periods"][0]["rows"] == 61


def test_json_and_csv_together_is_a_usage_error():
    result = CliRunner().invoke(cli, ["kpis", MEETINGS, "--no-cache", "--json", "--csv"])
    assert result.exit_code == 2
    assert "not both" in result.output
