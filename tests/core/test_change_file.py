"""The summaries file of what the user last saw, as JSON lines: read a line at a time, the
lines of unchanged meetings copied as they were, an old or damaged file set aside (the look is
a first look), and a change still told."""

from __future__ import annotations

import stat
from pathlib import Path

import orjson
import pytest

from tuibrowser import summaries_file
from tuibrowser.change_log import GONE, ChangeLog
from tuibrowser.changes import Change, summarize
from tuibrowser.store import open_library

MEETING = """---
board: Board {n}
date: '2024-02-{n:02d}'
venue: Room 1
attendance:
  - name: Ann Lee
    status: present
---
## 1. Minutes
Agreed.
"""


def folder(tmp_path: Path, n: int = 6) -> Path:
    root = tmp_path / "meetings"
    root.mkdir(exist_ok=True)
    for k in range(1, n + 1):
        (root / f"m{k}.md").write_text(MEETING.format(n=k))
    return root


def look(log: ChangeLog, root: Path, day: str):
    lib, _ = open_library(root, use_cache=False)
    return log.update(root, lib, today=day)


def body(path: Path) -> list[bytes]:
    """The file's meeting lines (after its header)."""
    data = path.read_bytes()
    assert data.startswith(summaries_file.HEADER)
    return data[len(summaries_file.HEADER) :].splitlines(keepends=True)


def test_one_meeting_changed_reads_only_its_summary_and_copies_the_others_as_they_were(
    tmp_path, monkeypatch
):
    root = folder(tmp_path)
    log = ChangeLog(tmp_path / "state" / "changes")
    look(log, root, "2024-03-01")
    before = body(log.path_for(root))
    assert len(before) == 6
    read = []
    real = summaries_file.summary_of
    monkeypatch.setattr(summaries_file, "summary_of", lambda line: read.append(line) or real(line))
    (root / "m3.md").write_text(MEETING.format(n=3).replace("Room 1", "Room 7"))
    found = look(log, root, "2024-03-02")
    assert found.changes == {"2024-02-03-board-3": [Change("details", "venue: Room 1 → Room 7")]}
    assert len(read) == 1 and b"2024-02-03-board-3" in read[0]
    after = body(log.path_for(root))
    assert [line for line in after if b"board-3" not in line] == [
        line for line in before if b"board-3" not in line
    ]
    assert len(after) == 6


def test_new_and_gone_meetings_are_told_and_the_file_follows_the_folder(tmp_path):
    root = folder(tmp_path)
    log = ChangeLog(tmp_path / "state" / "changes")
    look(log, root, "2024-03-01")
    (root / "m2.md").unlink()
    (root / "m9.md").write_text(MEETING.format(n=9))
    found = look(log, root, "2024-03-02")
    assert found.changes == {
        "2024-02-09-board-9": [Change("meeting", "new meeting")],
        "2024-02-02-board-2": [GONE],
    }
    gone = next(e for e in found.log if e.meeting == "2024-02-02-board-2")
    assert (gone.board, gone.date) == ("Board 2", "2024-02-02")
    ids = {orjson.loads(line.partition(b"\t")[0])[0] for line in body(log.path_for(root))}
    assert ids == {f"2024-02-0{k}-board-{k}" for k in (1, 3, 4, 5, 6, 9)}
    assert look(log, root, "2024-03-03").changes == {}


def _old_whole_json(root: Path) -> bytes:
    """The file as the version before lines wrote it: one JSON object of every meeting."""
    lib, _ = open_library(root, use_cache=False)
    from tuibrowser.listing import meeting_fingerprint

    meetings = {m.id: {"fp": meeting_fingerprint(m), "s": summarize(m)} for m in lib.meetings}
    return orjson.dumps({"version": 1, "meetings": meetings})


def _version_2_lines(root: Path) -> bytes:
    """The file as version 2 wrote it: its lines with the fingerprints of the merged meetings
    (every one other than a meeting's fingerprint now: not to be told as changed)."""
    lib, _ = open_library(root, use_cache=False)
    from tuibrowser.listing import meeting_fingerprint

    lines = [
        summaries_file.line_of(m.id, meeting_fingerprint(m), summarize(m)) for m in lib.meetings
    ]
    return b'{"version":2}\n' + b"".join(lines)


OLD_OR_DAMAGED = {
    "the whole-JSON file of version 1": _old_whole_json,
    "the lines of version 2": _version_2_lines,
    "empty": lambda root: b"",
    "a later version": lambda root: b'{"version":9}\n["x","y"]\t{}\n',
    "a header cut short": lambda root: summaries_file.HEADER[:-1],
    "not JSON": lambda root: b"\x00\xff" * 1000,
}


@pytest.mark.parametrize("content", OLD_OR_DAMAGED.values(), ids=OLD_OR_DAMAGED.keys())
def test_an_old_or_damaged_file_is_set_aside_as_a_first_look_and_a_change_is_told_after(
    tmp_path, content
):
    root = folder(tmp_path)
    log = ChangeLog(tmp_path / "state" / "changes")
    look(log, root, "2024-03-01")
    path = log.path_for(root)
    path.write_bytes(content(root))
    path.chmod(0o600)
    (root / "m1.md").write_text(MEETING.format(n=1).replace("Room 1", "Room 2"))
    found = look(log, root, "2024-03-02")
    assert found.changes == {} and found.since is None  # nothing reported, not everything
    assert len(body(path)) == 6 and stat.S_IMODE(path.stat().st_mode) == 0o600
    (root / "m4.md").write_text(MEETING.format(n=4).replace("present", "absent"))
    found = look(log, root, "2024-03-03")
    assert list(found.changes) == ["2024-02-04-board-4"]
    assert found.changes["2024-02-04-board-4"][0].kind == "attendance"


def test_an_old_file_is_not_read_beyond_its_first_bytes(tmp_path, monkeypatch):
    root = folder(tmp_path)
    log = ChangeLog(tmp_path / "state" / "changes")
    log.folder.mkdir(parents=True)
    path = log.path_for(root)
    path.write_bytes(b'{"version":1,"meetings":{' + b" " * 5_000_000 + b"}}")
    path.chmod(0o600)
    asked = []
    real = summaries_file.open_lines

    def open_lines(p):
        fh = real(p)
        asked.append(fh)
        return fh

    monkeypatch.setattr(summaries_file, "open_lines", open_lines)
    assert look(log, root, "2024-03-01").changes == {}
    assert asked == [None]  # set aside after reading no more than a header's length


DAMAGED_LINES = {
    "no tab": lambda line: line.replace(b"\t", b" "),
    "a key that is not JSON": lambda line: b"[x" + line,
    "a key of the wrong shape": lambda line: b'{"a":1}' + line[line.index(b"\t") :],
    "a summary that is not JSON": lambda line: line[: line.index(b"\t") + 1] + b"}{\n",
}


@pytest.mark.parametrize("damage", DAMAGED_LINES.values(), ids=DAMAGED_LINES.keys())
def test_a_damaged_line_is_its_meeting_never_seen_and_the_others_stay_as_they_were(
    tmp_path, damage
):
    root = folder(tmp_path)
    log = ChangeLog(tmp_path / "state" / "changes")
    look(log, root, "2024-03-01")
    path = log.path_for(root)
    lines = body(path)
    hit = next(k for k, line in enumerate(lines) if b"board-2" in line)
    lines[hit] = damage(lines[hit])
    path.write_bytes(summaries_file.HEADER + b"".join(lines))
    (root / "m2.md").write_text(MEETING.format(n=2).replace("Room 1", "Room 3"))
    (root / "m5.md").write_text(MEETING.format(n=5).replace("Room 1", "Room 3"))
    found = look(log, root, "2024-03-02").changes
    assert found["2024-02-02-board-2"] == [Change("meeting", "new meeting")]
    assert found["2024-02-05-board-5"] == [Change("details", "venue: Room 1 → Room 3")]
    assert len(found) == 2 and look(log, root, "2024-03-03").changes == {}


def test_a_look_cut_short_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    root = folder(tmp_path)
    log = ChangeLog(tmp_path / "state" / "changes")
    look(log, root, "2024-03-01")
    path = log.path_for(root)
    before = path.read_bytes()
    (root / "m6.md").write_text(MEETING.format(n=6).replace("Room 1", "Room 4"))

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(summaries_file, "line_of", fail)
    with pytest.raises(OSError):
        look(log, root, "2024-03-02")
    assert path.read_bytes() == before
    names = sorted(p.name for p in path.parent.iterdir())
    assert names == sorted([path.name, log.log_path_for(root).name])
    monkeypatch.undo()
    found = look(log, root, "2024-03-02")
    assert found.changes == {"2024-02-06-board-6": [Change("details", "venue: Room 1 → Room 4")]}
