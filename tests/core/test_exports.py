"""The exports people asked for: decisions and actions as CSV tables, and a calendar that says
its time zone, invents no end, and carries the next meeting as a tentative event."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from tuibrowser import export
from tuibrowser.cli import cli
from tuibrowser.library import build
from tuibrowser.records import parse_text

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"
NOW = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TUIBROWSER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TUIBROWSER_MEETINGS", raising=False)
    monkeypatch.delenv("TUIBROWSER_PUBLIC", raising=False)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def library(*files: str):
    parsed = [parse_text(text, f"f{i}.md") for i, text in enumerate(files)]
    assert all(p.document is not None for p in parsed), [p.problems for p in parsed]
    return build([p.document for p in parsed])


# --- CSV: decisions and actions -------------------------------------------------------------


@pytest.mark.parametrize("table", ["decisions", "actions"])
def test_the_csv_tables_hold_every_decision_and_action_of_the_bundled_meetings(table):
    result = run("export", str(MEETINGS), "--no-cache", "--format", "csv", "--table", table)
    assert result.exit_code == 0, result.output
    rows = csv_rows(result.stdout)
    data = run("export", str(MEETINGS), "--no-cache").stdout
    import json

    meetings = json.loads(data)["meetings"]
    expected = [
        (m["id"], it["number"], v) for m in meetings for it in m["items"] for v in it[table]
    ]
    text = "decision" if table == "decisions" else "text"
    assert [(r["meeting"], r["item"], r[text]) for r in rows] == [
        (m, n, v["text"] if isinstance(v, dict) else v) for m, n, v in expected
    ]
    if table == "actions":  # each column from the action's field of that name
        fields = [(r["owner"] or None, r["due"] or None, r["status"]) for r in rows]
        assert fields == [(v["owner"], v["due"], v["status"]) for _, _, v in expected]
    assert len(rows) > 3


ACTION_TEXTS = [
    ("Officers to circulate the slides.", ["Officers to circulate the slides.", "Officers", "", "open", ""]),
    (
        "Brian Reynolds will distribute the paper by 5 April 2024.",
        ["Brian Reynolds will distribute the paper by 5 April 2024.", "Brian Reynolds", "2024-04-05", "open", ""],
    ),
    ("The slides would be circulated.", ["The slides would be circulated.", "", "", "open", ""]),
]  # fmt: skip


@pytest.mark.parametrize(("action", "cells"), ACTION_TEXTS, ids=["role", "person-and-date", "none"])
def test_an_action_is_written_with_the_fields_the_tracker_reads(action, cells):
    """An action is plain text in the file; the CSV gives its text and what the tracker reads
    from it (owner, due date, status), one column each."""
    lib = library(
        "---\nboard: B\ndate: '2024-01-10'\n---\n## 1. Papers\n\nText.\n\n"
        f"### Actions\n\n- {action}\n"
    )
    rows = csv_rows(export.to_csv(lib, "actions"))
    assert len(rows) == 1
    assert [rows[0][f] for f in export.ACTION_FIELDS] == cells
    assert rows[0]["item_title"] == "Papers"


def test_a_decision_object_is_written_from_its_text():
    lib = library("---\nboard: B\ndate: '2024-01-10'\n---\n## 1. Papers\n\nText.\n")
    lib.meetings[0].items[0].decisions = [{"text": "Agreed the plan.", "context": "Board:"}]
    assert csv_rows(export.to_csv(lib, "decisions"))[0]["decision"] == "Agreed the plan."


# --- ICS --------------------------------------------------------------------------------------

TIMED = "---\nboard: Audit Board\ndate: '2023-07-21'\ntime: '11:00'\nvenue: Room 1\n---\n## 1. A\n"
ALL_DAY = "---\nboard: Audit Board\ndate: '2023-01-10'\n---\n## 1. A\n"
SUMMER_NEXT = (
    "---\nboard: Audit Board\ndate: '2023-06-01'\ntime: '10:30'\n"
    "next_meeting:\n  date: '2024-06-20'\n  time: '14:00'\n  venue: Hall\n---\n## 1. A\n"
)
FUTURE_AGENDA = (
    "---\nboard: Finance Board\ndate: '2024-05-02'\ntime: '09:00'\nkind: agenda\n---\n## 1. A\n"
)


def calendar(*files: str) -> tuple[str, icalendar.Calendar]:
    text = export.to_ics(library(*files), now=NOW)
    return text, icalendar.Calendar.from_ical(text)


def events(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}


def test_timed_events_say_europe_london_and_the_calendar_carries_its_vtimezone():
    text, cal = calendar(TIMED, SUMMER_NEXT)
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/London"]
    names = {str(c["TZNAME"]) for c in zones[0].subcomponents}
    assert names == {"GMT", "BST"}
    ev = events(cal)["2023-07-21-audit-board"]
    assert ev["DTSTART"].params["TZID"] == "Europe/London"
    start = ev.decoded("DTSTART")
    # 11:00 in London in July is 10:00 UTC (summer time)
    assert start.astimezone(dt.UTC) == dt.datetime(2023, 7, 21, 10, 0, tzinfo=dt.UTC)
    assert "DTSTART;TZID=Europe/London:20230721T110000" in text


@pytest.mark.parametrize("files", [(TIMED,), (ALL_DAY,), (TIMED, ALL_DAY, SUMMER_NEXT)])
def test_no_event_has_an_invented_end(files):
    text, cal = calendar(*files)
    assert "DTEND" not in text and "DURATION" not in text
    for ev in cal.walk("VEVENT"):
        assert "DTEND" not in ev


def test_a_meeting_without_a_time_is_an_all_day_event():
    _, cal = calendar(ALL_DAY)
    ev = events(cal)["2023-01-10-audit-board"]
    assert ev.decoded("DTSTART") == dt.date(2023, 1, 10)


def test_the_announced_next_meeting_is_a_tentative_event():
    _, cal = calendar(TIMED, SUMMER_NEXT)
    found = events(cal)
    nxt = found["2024-06-20-audit-board"]
    assert str(nxt["STATUS"]) == "TENTATIVE"
    assert nxt.decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(
        2024, 6, 20, 13, 0, tzinfo=dt.UTC
    )
    assert str(nxt["LOCATION"]) == "Hall"
    # the meetings held are not tentative
    assert "STATUS" not in found["2023-07-21-audit-board"]


def test_a_next_meeting_the_folder_holds_or_has_passed_is_not_added_again():
    held = "---\nboard: Audit Board\ndate: '2024-06-20'\ntime: '14:00'\n---\n## 1. A\n"
    _, cal = calendar(SUMMER_NEXT, held)
    assert sorted(events(cal)) == ["2023-06-01-audit-board", "2024-06-20-audit-board"]
    later = "---\nboard: Audit Board\ndate: '2024-09-01'\n---\n## 1. A\n"
    _, cal = calendar(SUMMER_NEXT, later)
    assert sorted(events(cal)) == ["2023-06-01-audit-board", "2024-09-01-audit-board"]


def test_a_meeting_still_to_come_without_minutes_is_tentative():
    _, cal = calendar(FUTURE_AGENDA, TIMED)
    found = events(cal)
    assert str(found["2024-05-02-finance-board"]["STATUS"]) == "TENTATIVE"
    assert "STATUS" not in found["2023-07-21-audit-board"]


def test_the_ics_of_the_bundled_meetings_parses_back_from_the_command():
    result = run("export", str(MEETINGS), "--no-cache", "--format", "ics")
    assert result.exit_code == 0
    cal = icalendar.Calendar.from_ical(result.stdout)
    assert len(cal.walk("VEVENT")) == 7
    assert "DTEND" not in result.stdout
    assert cal.walk("VTIMEZONE")


def test_replacing_a_meeting_keeps_the_export_helpers_working():
    # each_meeting names a meeting a writer fails on and writes the others
    lib = library(TIMED, ALL_DAY)
    bad = dataclasses.replace(lib.meetings[0], time="99:99")
    lib.meetings[0] = bad
    text, skipped = export.each_meeting(lambda lb: export.to_ics(lb, now=NOW), lib)
    assert len(skipped) == 1 and skipped[0].startswith(bad.id)
    assert "2023-01-10-audit-board" in text
