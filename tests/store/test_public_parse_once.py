"""A public refresh parses each meeting file at most once, whatever the confidential marks do:
withholding an item never reads a file a second time (a file is read again only when its
stored document lacks an item no longer withheld, and then once)."""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

import pytest

from tuibrowser import records
from tuibrowser.store import Cache

SECRET = "Quokka-tender"
AGENDA = """---
board: Audit Board
date: "2022-03-01"
kind: agenda
---
## 2. Open report

Everyone may read this.

## 8. Contract award{mark}

The {secret} bid.
"""
MINUTES = """---
board: Audit Board
date: "2022-03-01"
kind: minutes
---
## 2. Open report

Noted.

## 8. Contract award{mark}

Members discussed {secret} {n}.
"""
MARK = " {confidential}"

# (agenda marks item 8, minutes mark it, minutes' text changed) at each refresh after the first
STEPS = {
    "agenda unmarks": [(False, False, False)],
    "agenda unmarks, minutes edited": [(False, False, True)],
    "mark moves to the minutes": [(False, True, False)],
    "minutes edited while marked": [(True, False, True)],
    "unmarked then marked again": [(False, False, False), (True, False, False)],
    "marked in both, then in none": [(True, True, False), (False, False, True)],
}


def write(path: Path, text: str) -> None:
    if path.read_text(encoding="utf-8") == text:
        return  # unchanged: its stored document is kept (or read again if it lacks an item)
    path.write_text(text, encoding="utf-8")
    later = time.time_ns() + 5_000_000_000  # not "racy": a changed file is seen as changed
    os.utime(path, ns=(later, later))


@pytest.mark.parametrize("steps", list(STEPS.values()), ids=list(STEPS))
def test_a_public_refresh_parses_each_file_once(tmp_path, cache_path, monkeypatch, steps):
    root = tmp_path / "meetings"
    root.mkdir()
    agenda = root / "2022-03-01-audit-board-agenda.md"
    minutes = root / "2022-03-01-audit-board-minutes.md"
    agenda.write_text(AGENDA.format(mark=MARK, secret=SECRET), encoding="utf-8")
    minutes.write_text(MINUTES.format(mark="", secret=SECRET, n=0), encoding="utf-8")
    parsed: Counter[str] = Counter()
    real = records.parse_bytes

    def counting(raw, label, *args, **kwargs):
        parsed[label] += 1
        return real(raw, label, *args, **kwargs)

    monkeypatch.setattr(records, "parse_bytes", counting)
    cache = Cache(root, cache_path, public=True)
    cache.refresh()
    assert parsed == Counter({agenda.name: 1, minutes.name: 1})
    for n, (in_agenda, in_minutes, edited) in enumerate(steps, 1):
        parsed.clear()
        write(agenda, AGENDA.format(mark=MARK if in_agenda else "", secret=SECRET))
        text = MINUTES.format(mark=MARK if in_minutes else "", secret=SECRET, n=n if edited else 0)
        write(minutes, text)
        lib, report = cache.refresh()
        assert max(parsed.values()) == 1, parsed
        assert set(parsed) == set(report.read)
        shown = SECRET in (lib.meetings[0].item("8").minute if lib.meetings[0].item("8") else "")
        assert shown == (not in_agenda and not in_minutes)
