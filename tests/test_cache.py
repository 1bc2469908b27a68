"""The cache: incremental, atomic, private, disposable, and safe with two writers."""

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from tuibrowser.cache import Cache, open_library
from tuibrowser.export import to_data


def meeting_file(date: str, title: str = "Welcome") -> str:
    return (
        f"---\nboard: Test Board\ndate: '{date}'\nkind: minutes\n"
        f"attendance: [{{name: Cllr Ann Smith, status: present}}]\n---\n## 1. {title}\n\nText.\n"
    )


def age(path: Path, seconds: float = 60) -> None:
    """Make a file look older than its indexing, as files edited by people are."""
    t = time.time() - seconds
    os.utime(path, (t, t))


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "meetings"
    root.mkdir()
    for n in range(1, 6):
        p = root / f"2020-01-0{n}.md"
        p.write_text(meeting_file(f"2020-01-0{n}"))
        age(p)
    return root


@pytest.fixture
def cache(tmp_path, folder):
    return Cache(folder, tmp_path / "cache" / "c.json")


def test_first_refresh_reads_everything_second_reads_nothing(cache):
    lib, report = cache.refresh()
    assert len(report.read) == 5 and report.unchanged == 0
    assert len(lib.meetings) == 5
    lib2, report2 = cache.refresh()
    assert report2.read == [] and report2.unchanged == 5 and report2.verified == []
    assert report2.written is False
    assert to_data(lib2) == to_data(lib)


def test_changing_one_file_rereads_only_it(cache, folder):
    cache.refresh()
    target = folder / "2020-01-03.md"
    target.write_text(meeting_file("2020-01-03", title="Changed title"))
    age(target, 30)
    lib, report = cache.refresh()
    assert report.read == ["2020-01-03.md"]
    assert report.unchanged == 4
    assert lib.meeting("2020-01-03-test-board").items[0].title == "Changed title"


def test_touching_a_file_rechecks_its_content_without_reparsing(cache, folder):
    cache.refresh()
    age(folder / "2020-01-02.md", 30)
    _, report = cache.refresh()
    assert report.read == []
    assert report.verified == ["2020-01-02.md"]


def test_deleted_file_is_dropped_and_new_file_is_added(cache, folder):
    cache.refresh()
    (folder / "2020-01-01.md").unlink()
    new = folder / "sub" / "2021-06-01.md"
    new.parent.mkdir()
    new.write_text(meeting_file("2021-06-01"))
    lib, report = cache.refresh()
    assert report.removed == ["2020-01-01.md"]
    assert report.read == ["sub/2021-06-01.md"]
    assert [m.date for m in lib.meetings][:1] == ["2021-06-01"]
    assert "2020-01-01" not in [m.date for m in lib.meetings]


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "old-version"])
def test_damaged_cache_is_set_aside_and_rebuilt(cache, damage):
    cache.refresh()
    raw = cache.path.read_bytes()
    if damage == "truncate":
        cache.path.write_bytes(raw[: len(raw) // 2])
    elif damage == "garbage":
        cache.path.write_bytes(b"\x00\xff not json")
    elif damage == "empty":
        cache.path.write_bytes(b"")
    else:
        data = orjson.loads(raw)
        data["meta"]["1"]["version"] = 0
        cache.path.write_bytes(orjson.dumps(data))
    lib, report = cache.refresh()
    assert report.rebuilt
    assert len(report.read) == 5
    assert len(lib.meetings) == 5
    assert orjson.loads(cache.path.read_bytes())["meta"]["1"]["version"] >= 1
    assert list(cache.path.parent.glob("*.bad-*")) or damage == "empty"


def test_cache_is_private(tmp_path, folder, monkeypatch):
    monkeypatch.setenv("TUIBROWSER_CACHE_DIR", str(tmp_path / "user-cache"))
    c = Cache(folder)
    c.refresh()
    assert c.path.parent == tmp_path / "user-cache"
    assert stat.S_IMODE(c.path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(c.path.stat().st_mode) == 0o600


def test_cache_is_keyed_by_real_path(tmp_path, folder, monkeypatch):
    monkeypatch.setenv("TUIBROWSER_CACHE_DIR", str(tmp_path / "user-cache"))
    link = tmp_path / "link"
    link.symlink_to(folder)
    assert Cache(link).path == Cache(folder).path
    other = tmp_path / "other"
    other.mkdir()
    assert Cache(other).path != Cache(folder).path


def test_bad_file_is_skipped_and_cached_as_such(cache, folder):
    (folder / "bad.md").write_text("---\nboard: B\n---\n")
    lib, report = cache.refresh()
    assert [p.path for p in report.skipped] == ["bad.md"]
    assert lib.skipped == 1 and len(lib.meetings) == 5
    _, again = cache.refresh()
    assert [p.path for p in again.skipped] == ["bad.md"]


def test_cached_library_equals_reading_the_files(cache, folder):
    cached, _ = cache.refresh()
    direct, _ = open_library(folder, use_cache=False)
    assert to_data(cached) == to_data(direct)
    assert to_data(cache.load()) == to_data(direct)


REFRESH = """
import sys
from pathlib import Path
from tuibrowser.cache import Cache
for _ in range(5):
    Cache(Path(sys.argv[1]), Path(sys.argv[2])).refresh()
"""


def test_two_processes_refreshing_at_once_leave_a_valid_cache(tmp_path, folder):
    cache_path = tmp_path / "shared" / "c.json"
    procs = [
        subprocess.Popen([sys.executable, "-c", REFRESH, str(folder), str(cache_path)])
        for _ in range(2)
    ]
    # Change the files while they run.
    for n in range(6, 9):
        (folder / f"2020-01-0{n}.md").write_text(meeting_file(f"2020-01-0{n}"))
    (folder / "2020-01-01.md").unlink()
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    c = Cache(folder, cache_path)
    lib, _ = c.refresh()
    fresh, _ = open_library(folder, use_cache=False)
    assert to_data(lib) == to_data(fresh)
    assert len(fresh.meetings) == 7
    assert not list(cache_path.parent.glob("*.tmp"))
