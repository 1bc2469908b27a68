"""The cache: incremental, atomic, private, disposable, and safe with two writers."""

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from cachefiles import cache_bytes, part_bytes

from tuibrowser.export import to_data
from tuibrowser.packed import unpack
from tuibrowser.store import Cache, indexer, layout, open_library
from tuibrowser.store import workers as workers_module


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


def test_a_refresh_of_unchanged_files_of_ones_own_asks_the_system_nothing_per_file(
    cache, monkeypatch
):
    """A file unchanged since it was read (its ctime moves with its mode, owner and ACL) is
    still readable: neither its owner nor root asks ``access`` of it again (12,000 calls in a
    refresh of 10,000 meetings)."""
    cache.refresh()
    asked: list[str] = []
    real = os.access
    monkeypatch.setattr(
        os, "access", lambda p, *a, **k: (asked.append(str(p)), real(p, *a, **k))[1]
    )
    _, report = cache.refresh()
    assert report.unchanged == 5
    assert not [p for p in asked if p.endswith(".md")]


def test_changing_one_file_rereads_only_it(cache, folder):
    cache.refresh()
    target = folder / "2020-01-03.md"
    target.write_text(meeting_file("2020-01-03", title="Changed title"))
    age(target, 30)
    lib, report = cache.refresh()
    assert report.read == ["2020-01-03.md"]
    assert report.unchanged == 4
    assert lib.meeting("2020-01-03-test-board").items[0].title == "Changed title"


def rewritten_in_place(target: Path, text: str) -> None:
    """Written again and its mtime set back (as ``rsync -t`` or ``touch -r`` leave it): its
    ctime has moved, and no one can set that back."""
    st = target.stat()
    target.write_text(text)
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))


def replaced_by_another_file(target: Path, text: str) -> None:
    """Another file, given the old one's mtime, moved into its place (another inode)."""
    st = target.stat()
    other = target.with_name(".incoming")  # a hidden name: not a meeting file
    other.write_text(text)
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(other, target)


def replaced_by_a_link(target: Path, text: str) -> None:
    """A symbolic link, to a file inside the folder with the old one's size and mtime."""
    st = target.stat()
    other = target.parent / "drafts" / "incoming.txt"  # not a meeting file itself
    other.parent.mkdir()
    other.write_text(text)
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    target.unlink()
    os.symlink(other, target)


@pytest.mark.parametrize(
    "replace", [rewritten_in_place, replaced_by_another_file, replaced_by_a_link]
)
def test_a_file_changed_with_its_size_and_mtime_kept_is_read_again(cache, folder, replace):
    """Same size and mtime is not enough to call a file unchanged: a refresh compares its ctime
    and inode as well (the catalog keeps them), so the new text is read."""
    cache.refresh()
    target = folder / "2020-01-03.md"
    before = target.stat()
    replace(target, meeting_file("2020-01-03", title="Changed"))  # "Welcome": same size
    after = target.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    lib, report = cache.refresh()
    assert report.read == ["2020-01-03.md"]
    assert lib.meeting("2020-01-03-test-board").items[0].title == "Changed"
    _, again = cache.refresh()  # and then it is unchanged
    assert again.read == [] and again.verified == []


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
        # damage after the start every index has (a file that is not a cache at all is
        # refused and left alone: see test_cache_security.py)
        cache.path.write_bytes(raw[:20] + b"\x00\xff not json")
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


def test_a_cache_put_in_a_shared_folder_leaves_the_folder_as_it_was(tmp_path, folder):
    """``--cache /tmp/c.json``: the folder is not closed to its other users (it once was), yet
    nothing of the cache in it can be read by them."""
    from tuibrowser.state import SeenState

    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)  # like /tmp
    (shared / "someone-elses.txt").write_text("theirs")
    c = Cache(folder, shared / "c.json")
    lib, _ = c.refresh()
    SeenState(shared / "seen.json").remember(folder, lib.meetings)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert stat.S_IMODE(c.path.stat().st_mode) == 0o600
    assert stat.S_IMODE((shared / "seen.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(c.shard_dir.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in c.shard_dir.iterdir()} == {0o600}
    # A folder that holds only the cache is the cache's: closed, whatever it was made with.
    alone = tmp_path / "alone"
    alone.mkdir()
    os.chmod(alone, 0o755)
    Cache(folder, alone / "c.json").refresh()
    assert stat.S_IMODE(alone.stat().st_mode) == 0o700


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
from tuibrowser.store import Cache
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


# -- the index and its shards -----------------------------------------------------------


@pytest.fixture
def months(tmp_path):
    """Meetings over three months: four half months, so the cache has four shards."""
    root = tmp_path / "months"
    root.mkdir()
    for date in ("2020-01-05", "2020-01-20", "2020-02-05", "2020-03-05"):
        p = root / f"{date}.md"
        p.write_text(meeting_file(date))
        age(p)
    return root


def shard_names(cache: Cache) -> dict[str, str]:
    return {p.name[:9]: p.name for p in cache.paths()[2:] if p.suffix == ".json"}


HALVES = ["2020-01-1", "2020-01-2", "2020-02-1", "2020-03-1"]


def test_documents_are_kept_in_one_shard_per_half_month(tmp_path, months):
    cache = Cache(months, tmp_path / "c.json")
    _, report = cache.refresh()
    assert sorted(shard_names(cache)) == HALVES  # days 1-15 and 16-31 of January apart
    assert report.shards_written == 4
    # The index holds no document text: only the shards do, each with its text folded for
    # search beside it.
    assert b"Text." not in cache.path.read_bytes()
    shards = [p for p in cache.paths()[2:] if p.suffix == ".json"]
    texts = [p for p in cache.paths()[2:] if p.suffix == ".txt"]
    assert len(shards) == len(texts) == 4
    # the items' minutes and reports beside the documents, kept once (store/leantexts.py)
    assert all(b"Text." in part_bytes(p.with_suffix(".long")) for p in shards)
    # packed, so not in the files' bytes as such: what looks for text in a cache unpacks them
    assert not any(b"Text." in p.read_bytes() for p in shards)
    assert b"Text." in cache_bytes(cache.path)
    assert all(b"text." in p.read_bytes() for p in texts)


def test_a_changed_file_rewrites_only_its_shard(tmp_path, months):
    cache = Cache(months, tmp_path / "c.json")
    cache.refresh()
    before = shard_names(cache)
    target = months / "2020-02-05.md"
    target.write_text(meeting_file("2020-02-05", title="Changed title"))
    age(target, 30)
    lib, report = cache.refresh()
    after = shard_names(cache)
    assert report.read == ["2020-02-05.md"] and report.shards_written == 1
    for key in ("2020-01-1", "2020-01-2", "2020-03-1"):
        assert after[key] == before[key]
    assert after["2020-02-1"] != before["2020-02-1"]  # a new generation, under a new name
    assert not (cache.shard_dir / before["2020-02-1"]).exists()
    assert lib.meeting("2020-02-05-test-board").items[0].title == "Changed title"
    assert [r.titles for r in cache.rows() if r.date == "2020-02-05"] == ["Changed title"]


def test_a_meeting_moved_to_another_month_leaves_its_old_shard(tmp_path, months):
    cache = Cache(months, tmp_path / "c.json")
    cache.refresh()
    target = months / "2020-03-05.md"
    target.write_text(meeting_file("2020-01-09"))
    age(target, 30)
    lib, report = cache.refresh()
    assert sorted(shard_names(cache)) == ["2020-01-1", "2020-01-2", "2020-02-1"]
    assert [r.date for r in cache.rows()] == [
        "2020-02-05",
        "2020-01-20",
        "2020-01-09",
        "2020-01-05",
    ]
    assert to_data(lib) == to_data(open_library(months, use_cache=False)[0])


def test_the_first_page_of_the_meeting_list_comes_from_the_index_alone(
    tmp_path, months, monkeypatch
):
    monkeypatch.setattr(layout, "FIRST_PAGE", 2)
    cache = Cache(months, tmp_path / "c.json")
    lib, _ = cache.refresh()
    assert [r.id for r in cache.rows()] == [m.id for m in lib.meetings]
    shutil.rmtree(cache.shard_dir)  # the catalog and the shards
    head = cache.head()
    assert [r.id for r in head.rows] == [m.id for m in lib.meetings[:2]] and head.total == 4
    assert head.rows[0].present == 1 and head.rows[0].items == 1 and head.rows[0].docs == "M"
    # Without its other parts the cache cannot give the rest; the next refresh rebuilds them.
    assert cache.rows() is None and cache.load() is None
    again, report = cache.refresh()
    assert sorted(report.read) == sorted(p.name for p in months.glob("*.md"))
    assert to_data(again) == to_data(lib)


def test_a_file_whose_name_says_another_month_goes_to_its_own(tmp_path, months):
    cache = Cache(months, tmp_path / "c.json")
    (months / "2021-09-09-misnamed.md").write_text(meeting_file("2020-02-06"))
    (months / "no-date-in-the-name.md").write_text(meeting_file("2020-03-07"))
    lib, _ = cache.refresh()
    assert sorted(shard_names(cache)) == HALVES
    assert to_data(lib) == to_data(open_library(months, use_cache=False)[0])


def test_a_cold_index_parsed_by_several_processes_equals_one_process(tmp_path, monkeypatch):
    import concurrent.futures

    root = tmp_path / "many"
    root.mkdir()
    for n in range(40):
        date = f"2020-{1 + n % 12:02d}-{1 + n // 12:02d}"
        # half named by the convention (parsed by month), half not (parsed first, in chunks)
        name = f"{date}-board-minutes.md" if n % 2 else f"m{n:02d}.md"
        (root / name).write_text(meeting_file(date))
    (root / "bad.md").write_text("---\nboard: B\n---\n")
    monkeypatch.setattr(indexer, "PARALLEL_FILES", 8)
    monkeypatch.setattr(indexer, "PARALLEL_CHUNK", 3)
    # every item to the pool (the main thread would do a few while the pool starts)
    monkeypatch.setattr(workers_module, "WORK_WHILE_STARTING", False)
    used = []
    real = concurrent.futures.ProcessPoolExecutor

    class Pool(real):
        def submit(self, fn, *args, **kwargs):
            if fn.__name__ not in used:
                used.append(fn.__name__)
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    lib, report = Cache(root, tmp_path / "c.json").refresh()
    assert used == ["parse_chunk", "build_shard"], "the work was not shared out"
    assert len(report.read) == 41 and [p.path for p in report.skipped] == ["bad.md"]
    assert to_data(lib) == to_data(open_library(root, use_cache=False)[0])


def test_the_index_catalog_and_shards_are_tinydb_databases(tmp_path, months):
    from tinydb import TinyDB

    from tuibrowser.store.db import OrjsonStorage

    cache = Cache(months, tmp_path / "c.json")
    cache.refresh()
    index, catalog, *shards = [p for p in cache.paths() if p.suffix == ".json"]
    with TinyDB(index) as db:
        (meta,) = db.table("meta").all()
        assert meta["version"] == layout.CACHE_VERSION and meta["meetings"] == 4
        assert [r["date"] for r in db.table("first").all()][:1] == ["2020-03-05"]
    with TinyDB(catalog, storage=OrjsonStorage) as db:  # packed, as a shard
        assert len(db.table("files")) == 4
    # a shard is packed (zlib): TinyDB reads it through the cache's storage
    with TinyDB(shards[0], storage=OrjsonStorage) as db:
        assert {d["path"] for d in db.table("documents").all()} <= {
            p.name for p in months.iterdir()
        }
    # beside each shard, its words with the blocks of its search text they are in
    words = unpack(shards[0].with_suffix(".words").read_bytes()).decode("utf-8")  # packed
    assert words.startswith("\x011 ") and "text" in words.split(" ")[1:]  # one block


def readme_script(heading: str) -> str:
    """The Python block of the README under ``heading``."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"### {heading}\n", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


@pytest.mark.parametrize("date", ["2018-05-24", "2016-01-19", "1999-01-01"])
def test_a_script_queries_a_meeting_by_date_with_plain_tinydb(tmp_path, corpus, date):
    """The README's script, run as a script: TinyDB opens the index and a shard through the
    cache's storage and ``Query`` finds the documents of one date, as the library has them."""
    cache = Cache(corpus, tmp_path / "c.json")
    lib, _ = cache.refresh()
    code = readme_script("Reading the cache from a script")
    out = subprocess.run(
        [sys.executable, "-c", code, str(cache.path), date],
        capture_output=True,
        text=True,
        check=True,
    )
    found = sorted(line.split(" ")[0] for line in out.stdout.splitlines())
    expected = sorted(d.path for m in lib.meetings if m.date == date for d in m.documents)
    assert found == expected
    assert bool(found) == (date != "1999-01-01")


def test_a_library_without_texts_reads_a_meetings_texts_when_asked(tmp_path, corpus):
    cache = Cache(corpus, tmp_path / "c.json")
    whole, _ = cache.refresh()
    lean = cache.load(texts=False)
    mid = "2018-05-24-improvement-innovation-board"
    assert lean.lean == {m.id for m in lean.meetings}
    m = lean.meeting(mid)
    assert not any(it.minute for it in m.items) and not any(s.text for s in m.sections)
    # an item with a report still says so, and everything else is there
    assert [it.report is not None for it in m.items] == [
        it.report is not None for it in whole.meeting(mid).items
    ]
    assert [(it.number, it.title, it.decisions) for it in m.items] == [
        (it.number, it.title, it.decisions) for it in whole.meeting(mid).items
    ]
    assert lean.full(mid) is m and mid not in lean.lean
    assert m.to_dict() == whole.meeting(mid).to_dict()
    other = "2016-01-19-improvement-innovation-board"
    assert not any(it.minute for it in lean.meeting(other).items)  # only that one was read


def test_the_cache_knows_the_largest_file_the_reader_reads():
    from tuibrowser import records

    assert indexer.MAX_FILE_BYTES == records.MAX_FILE_BYTES
