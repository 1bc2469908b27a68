"""What changed in a meeting since the user last looked: the diff of two meeting summaries, and
the per-user file that keeps what was last seen (private, atomic, never through a link)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuibrowser.change_log import GONE, ChangeLog
from tuibrowser.changes import Change, diff, meeting_changes, summarize
from tuibrowser.library import build
from tuibrowser.records import parse_text
from tuibrowser.store import open_library

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"

BASE = """---
board: Audit Board
date: '2024-02-01'
time: '10:00'
venue: Room 1
attendance:
  - name: Cllr Ann Lee
    status: present
  - name: Bob Ray
    status: apologies
---
## 1. Welcome

Hello.

## 2. Budget

The board discussed the budget.

### Decisions

- Agreed the budget.

## 3. Risks

Text.
"""


def meeting(text: str = BASE):
    parsed = parse_text(text, "m.md")
    assert parsed.document is not None, parsed.problems
    return build([parsed.document]).meetings[0]


def changes(after: str, before: str = BASE) -> list[Change]:
    return diff(summarize(meeting(before)), summarize(meeting(after)))


# (edit of the file, the changes it makes, in order)
EDITS = {
    "item added": (
        BASE + "\n## 4. Any other business\n\nNone.\n",
        [Change("item added", "4. Any other business")],
    ),
    "item removed": (
        BASE.replace("## 3. Risks\n\nText.\n", ""),
        [Change("item removed", "3. Risks")],
    ),
    "item retitled": (
        BASE.replace("## 3. Risks", "## 3. Risk register"),
        [Change("item edited", "3. Risk register (was titled 'Risks')")],
    ),
    "minute edited": (
        BASE.replace("The board discussed the budget.", "The board argued about the budget."),
        [Change("item edited", "2. Budget")],
    ),
    "decision added": (
        BASE.replace("Text.\n", "Text.\n\n### Decisions\n\n- Noted the risks.\n"),
        [Change("decision", "added at item 3: Noted the risks.")],
    ),
    "decision removed": (
        BASE.replace("- Agreed the budget.\n", ""),
        [Change("decision", "removed at item 2: Agreed the budget.")],
    ),
    "attendance changed": (
        BASE.replace("status: apologies", "status: present"),
        [Change("attendance", "Bob Ray: apologies → present")],
    ),
    "attendee added": (
        BASE.replace("---\n## 1.", "  - name: Cy Dee\n    status: absent\n---\n## 1.", 1),
        [Change("attendance", "Cy Dee added (absent)")],
    ),
    "attendee removed": (
        BASE.replace("  - name: Bob Ray\n    status: apologies\n", ""),
        [Change("attendance", "Bob Ray removed (was apologies)")],
    ),
    "venue": (BASE.replace("Room 1", "Room 2"), [Change("details", "venue: Room 1 → Room 2")]),
    "time removed": (
        BASE.replace("time: '10:00'\n", ""),
        [Change("details", "time: 10:00 → none")],
    ),
}


@pytest.mark.parametrize("case", list(EDITS))
def test_each_kind_of_edit_is_told_in_words(case):
    after, expected = EDITS[case]
    assert changes(after) == expected


def test_several_edits_are_listed_items_first_then_decisions_then_attendance():
    after = (
        BASE.replace("status: apologies", "status: present")
        .replace("- Agreed the budget.\n", "")
        .replace("## 3. Risks", "## 3. Risk register")
    )
    assert [c.kind for c in changes(after)] == ["item edited", "decision", "attendance"]


def test_the_same_meeting_has_no_changes_and_a_new_one_is_said_new():
    assert changes(BASE) == []
    assert meeting_changes(None, summarize(meeting())) == [Change("meeting", "new meeting")]


def test_a_minute_read_without_its_text_is_not_an_edit():
    # the browser may summarize a meeting without its long texts: not a change by itself
    lean = summarize(meeting(), texts=False)
    full = summarize(meeting(BASE.replace("discussed", "argued about")))
    assert diff(lean, full) == [] and diff(full, lean) == []


def test_text_from_the_files_comes_back_as_it_was_written():
    hostile = BASE.replace("## 3. Risks", "## 3. Risks \x1b[31m[b]red[/b]")
    shown = changes(hostile)[0].text
    assert "[b]red[/b]" in shown and "\x1b" not in shown  # one_line: no control characters


TEXTS = [BASE] + [after for after, _ in EDITS.values()]
SWAP = {"item added": "item removed", "item removed": "item added"}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(TEXTS), st.sampled_from(TEXTS))
def test_a_diff_read_backwards_swaps_added_and_removed_and_a_meeting_equals_itself(a, b):
    sa, sb = summarize(meeting(a)), summarize(meeting(b))
    assert diff(sa, sa) == [] and diff(sb, sb) == []
    forward, backward = diff(sa, sb), diff(sb, sa)
    assert bool(forward) == (a != b)
    assert sorted(SWAP.get(c.kind, c.kind) for c in forward) == sorted(c.kind for c in backward)
    added = sorted(c.text.removeprefix("added") for c in forward if c.text.startswith("added"))
    removed = sorted(
        c.text.removeprefix("removed") for c in backward if c.text.startswith("removed")
    )
    assert added == removed  # a decision added one way is removed the other


# --- the per-user file ------------------------------------------------------------------------


def folder(tmp_path: Path, text: str = BASE) -> Path:
    root = tmp_path / "meetings"
    root.mkdir(exist_ok=True)
    (root / "m.md").write_text(text)
    (root / "other.md").write_text("---\nboard: Other\ndate: '2024-01-01'\n---\n## 1. A\n")
    return root


def look(log: ChangeLog, root: Path, day: str, public: bool = False):
    lib, _ = open_library(root, use_cache=False, public=public)
    return log.update(root, lib, public=public, today=day)


def test_the_first_look_reports_nothing_and_later_looks_report_what_changed(tmp_path):
    root = folder(tmp_path)
    log = ChangeLog(tmp_path / "state" / "changes")
    first = look(log, root, "2024-03-01")
    assert first.changes == {} and first.since is None
    assert look(log, root, "2024-03-02").changes == {}
    (root / "m.md").write_text(BASE.replace("status: apologies", "status: present"))
    (root / "new.md").write_text("---\nboard: New\ndate: '2024-02-09'\n---\n## 1. A\n")
    (root / "other.md").unlink()
    found = look(log, root, "2024-03-05")
    assert found.since == "2024-03-02"
    assert found.changes == {
        "2024-02-01-audit-board": [Change("attendance", "Bob Ray: apologies → present")],
        "2024-02-09-new": [Change("meeting", "new meeting")],
        "2024-01-01-other": [GONE],
    }
    # seen now: the next look finds nothing new, and the log keeps what was found, by day
    # the log alone (what the browser reads when nothing changed) holds them too
    assert {e.meeting for e in log.read(root).since_day("2024-03-05")} == set(found.changes)
    again = look(log, root, "2024-03-06")
    assert again.changes == {}
    assert {e.meeting for e in again.since_day("2024-03-05")} == set(found.changes)
    assert again.since_day("2024-03-06") == []
    gone = next(e for e in again.log if e.meeting == "2024-01-01-other")
    assert (gone.board, gone.date, gone.on, gone.since) == (
        "Other",
        "2024-01-01",
        "2024-03-05",
        "2024-03-02",
    )


def test_switching_public_on_or_off_is_not_a_change(tmp_path):
    root = folder(tmp_path, BASE.replace("## 3. Risks", "## 3. Risks {confidential}"))
    log = ChangeLog(tmp_path / "state" / "changes")
    look(log, root, "2024-03-01")
    look(log, root, "2024-03-01", public=True)
    for public in (False, True, False, True):
        assert look(log, root, "2024-03-02", public=public).changes == {}
    (root / "m.md").write_text(BASE.replace("Room 1", "Room 9"))
    for public in (True, False):
        found = look(log, root, "2024-03-03", public=public).changes
        assert Change("details", "venue: Room 1 → Room 9") in found["2024-02-01-audit-board"]


def test_the_file_is_private_and_written_in_one_step(tmp_path):
    root = folder(tmp_path)
    log = ChangeLog(tmp_path / "state" / "changes")
    look(log, root, "2024-03-01")
    paths = [log.path_for(root), log.log_path_for(root)]
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths[0].parent.stat().st_mode) == 0o700
    # no temporary file left
    assert sorted(p.name for p in paths[0].parent.iterdir()) == sorted(p.name for p in paths)


@pytest.mark.parametrize("which", ["summaries", "log"])
def test_a_link_at_the_changes_file_is_neither_read_nor_replaced(tmp_path, which):
    root = folder(tmp_path)
    log = ChangeLog(tmp_path / "state" / "changes")
    look(log, root, "2024-03-01")
    path = log.path_for(root) if which == "summaries" else log.log_path_for(root)
    target = tmp_path / "elsewhere.json"
    target.write_bytes(path.read_bytes())
    path.unlink()
    os.symlink(target, path)
    before = target.read_bytes()
    lib, _ = open_library(root, use_cache=False)
    with pytest.raises(OSError):
        log.update(root, lib, today="2024-03-02")
    assert log.problem and "symbolic link" in log.problem
    assert path.is_symlink() and target.read_bytes() == before
    if which == "log":
        assert log.read(root).log == [] and "symbolic link" in (log.problem or "")


def test_a_damaged_file_is_read_as_never_seen(tmp_path):
    root = folder(tmp_path)
    log = ChangeLog(tmp_path / "state" / "changes")
    look(log, root, "2024-03-01")
    log.path_for(root).write_text('{"version": 1, "meetings": [1], "log": "x"}')
    assert look(log, root, "2024-03-02").changes == {}  # nothing reported, not everything
    (root / "m.md").write_text(BASE.replace("Room 1", "Room 2"))
    assert list(look(log, root, "2024-03-03").changes) == ["2024-02-01-audit-board"]


def test_the_bundled_meetings_are_summarized_and_compare_equal_to_themselves():
    lib, _ = open_library(MEETINGS, use_cache=False)
    for m in lib.meetings:
        s = summarize(m)
        assert diff(s, s) == []
        assert len(s["items"]) == len({it.number for it in m.items})
