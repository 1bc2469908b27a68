"""The catalog by half month: a refresh that finds files changed, added or gone reads the
entries of the half months it needs, not the catalog. Whatever the edits (a file changed, added,
deleted, moved to another half month, made unparsable, given a date its name does not say), the
cache holds what a cold index holds, part by half month included; a part missing, damaged, or
not the user's own is not used: the refresh reads the catalog, and writes a sound part."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from aged import write_aged
from cachefiles import part_bytes
from coldindex import by_half_month, cold, content, edit_steps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuibrowser.store import Cache, CacheUnavailable, halves, journal, layout, seen
from tuibrowser.store.reader import CacheReader

MONTHS = 6


def meeting(n: int, version: int = 0, month: int | None = None) -> str:
    month = 1 + n % MONTHS if month is None else month
    return (
        f'---\nboard: Board {n % 3}\ndate: "2020-{month:02d}-{1 + n % 27:02d}"\n'
        f"kind: minutes\nattendance:\n  - name: Cllr Person {n}\n    status: present\n---\n"
        f"## 1. Item {n}\n\nVersion {version} of meeting {n}.\n"
    )


BAD = "---\nnot: [closed\n---\nText.\n"


def name(n: int) -> str:
    """A name that gives the file's half month (most), or none (every fifth)."""
    if n % 5 == 0:
        return f"m{n:03d}.md"
    return f"2020-{1 + n % MONTHS:02d}-{1 + n % 27:02d}-m{n:03d}.md"


def make_folder(root: Path, count: int = 40) -> None:
    root.mkdir()
    for n in range(count):
        write_aged(root / name(n), meeting(n))
    write_aged(root / "broken-2020-02-02.md", BAD)


def meta(cache: Cache) -> layout.IndexMeta:
    index, _ = cache._load_raw()
    assert index is not None
    return index.meta


@pytest.fixture
def world(tmp_path):
    root = tmp_path / "meetings"
    make_folder(root)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    return root, cache


@pytest.fixture
def blocks_read(monkeypatch):
    """The keys of the blocks a refresh reads, in order."""
    keys: list[str] = []
    real = halves.Halves.entries

    def entries(self, key):
        keys.append(key)
        return real(self, key)

    monkeypatch.setattr(halves.Halves, "entries", entries)
    return keys


def no_catalog(monkeypatch) -> None:
    monkeypatch.setattr(CacheReader, "_load_catalog", lambda self, index: pytest.fail("read"))


def test_a_cold_index_writes_every_entry_by_half_month(world):
    _, cache = world
    found = by_half_month(cache)  # (its entries are the catalog's)
    assert found["count"] == 41
    months = {f"2020-{m:02d}-{h}" for m in range(1, 7) for h in (1, 2)}
    assert set(found["blocks"]) == {*months, ""}  # "": the file with no document
    assert [e["path"] for e in found["blocks"][""]] == ["broken-2020-02-02.md"]
    assert found["elsewhere"] == {
        "broken-2020-02-02.md": "",
        **{name(n): f"2020-{1 + n % MONTHS:02d}-{1 + n % 27 // 15}" for n in range(0, 40, 5)},
    }


def test_a_one_file_refresh_reads_only_its_half_month(world, tmp_path, monkeypatch, blocks_read):
    root, cache = world
    write_aged(root / name(7), meeting(7, version=1))
    with monkeypatch.context() as m:
        no_catalog(m)
        report = cache.update()
    assert report.read == [name(7)]
    assert blocks_read == ["2020-02-1"]  # 2020-02-08: the file's, which is written again
    assert meta(cache).journal is not None  # the catalog's journal, not the catalog whole
    assert content(cache) == content(cold(root, tmp_path))


def test_a_file_moved_to_another_half_month_reads_both(world, tmp_path, monkeypatch, blocks_read):
    root, cache = world
    write_aged(root / name(7), meeting(7, version=1, month=5))  # its name says February
    with monkeypatch.context() as m:
        no_catalog(m)
        report = cache.update()
    assert report.read == [name(7)]
    assert sorted(set(blocks_read)) == ["2020-02-1", "2020-05-1"]
    assert by_half_month(cache)["elsewhere"][name(7)] == "2020-05-1"
    assert content(cache) == content(cold(root, tmp_path))


def test_a_journal_grown_too_large_writes_the_catalog_whole(world, tmp_path, monkeypatch):
    root, cache = world
    monkeypatch.setattr(journal, "JOURNAL_SHARE", 1_000)  # any change: written whole
    write_aged(root / name(8), meeting(8, version=1))
    with monkeypatch.context() as m:
        no_catalog(m)
        cache.update()
    assert meta(cache).journal is None
    assert content(cache) == content(cold(root, tmp_path))


@pytest.mark.parametrize(
    "damage",
    [
        "missing",
        "not json",
        "no header",
        "cut short",
        "a block damaged",
        "a block of another half month",
        "counts not the seen part's",
        "a link",
    ],
)
def test_a_damaged_part_is_not_trusted(world, tmp_path, damage):
    """A part missing or damaged: the refresh reads the catalog (or, a block found damaged
    once the plan is made, builds the cache again), and the cache holds what a cold index
    holds, with a sound part."""
    root, cache = world
    path = cache.shard_dir / str(meta(cache).halves)
    raw = path.read_bytes()
    head, _, body = raw.partition(b"\n")
    path.unlink()
    if damage == "not json":
        path.write_bytes(b"{ not json\n" + body)
    elif damage == "no header":
        path.write_bytes(body.replace(b"\n", b""))
    elif damage == "cut short":
        path.write_bytes(raw[: len(raw) - 5])
    elif damage == "a block damaged":
        path.write_bytes(head + b"\n" + bytes(len(body)))
    elif damage == "a block of another half month":
        path.write_bytes(head.replace(b'"2020-02-1"', b'"2020-02-x"') + b"\n" + body)
    elif damage == "counts not the seen part's":
        path.write_bytes(head.replace(b'"count":41', b'"count":40') + b"\n" + body)
    elif damage == "a link":
        elsewhere = tmp_path / "elsewhere.halves"
        elsewhere.write_bytes(raw)
        os.symlink(elsewhere, path)
    if damage == "a link":
        assert halves.read_halves(path) is None
        with pytest.raises(CacheUnavailable, match="is a symbolic link"):
            cache.update()
        return
    write_aged(root / name(7), meeting(7, version=1))
    report = cache.update()
    assert name(7) in report.read
    assert content(cache) == content(cold(root, tmp_path))
    assert meta(cache).halves != path.name
    assert halves.read_halves(cache.shard_dir / str(meta(cache).halves)) is not None


def test_a_public_cache_reads_the_catalog_and_writes_the_part(tmp_path):
    root = tmp_path / "meetings"
    make_folder(root)
    cache = Cache(root, tmp_path / "cache" / "c.json", public=True)
    cache.update()
    write_aged(root / name(7), meeting(7, version=1))
    assert cache.update().read == [name(7)]
    fresh = Cache(root, tmp_path / "cold" / "c.json", public=True)
    fresh.update()
    assert by_half_month(cache) == by_half_month(fresh)


def change_step(root: Path, step: tuple[str, int], version: int) -> None:
    action, n = step
    files = sorted(p for p in root.rglob("*.md"))
    target = files[n % len(files)]
    if action == "change":
        write_aged(target, meeting(n, version))
    elif action == "another half month":
        write_aged(target, meeting(n, version, month=1 + (n + version) % 12))
    elif action == "add":
        write_aged(root / name(100 + version), meeting(100 + version, version))
    elif action == "delete" and len(files) > 1:
        target.unlink()
    elif action == "move":
        folder = root / f"f{n % 3}"
        folder.mkdir(exist_ok=True)
        target.rename(folder / f"v{version}-{target.name}")
    elif action == "bad":
        write_aged(target, BAD)
    elif action == "touch":
        os.utime(target, (target.stat().st_atime, target.stat().st_mtime - 10))


STEPS = edit_steps(["change", "another half month", "add", "delete", "move", "bad", "touch"])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS, share=st.sampled_from([2, 16]))
def test_any_edits_read_no_catalog_and_leave_what_a_cold_index_leaves(
    tmp_path_factory, steps, share
):
    """Each step is followed by a refresh that reads no catalog (its journal kept, or the
    catalog written whole), whose cache, part by half month included, is what a cold index of
    the same files holds."""
    tmp_path = tmp_path_factory.mktemp("halves")
    root = tmp_path / "meetings"
    make_folder(root)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(journal, "JOURNAL_SHARE", share)
        cache = Cache(root, tmp_path / "cache" / "c.json")
        cache.update()
        for version, step in enumerate(steps, start=1):
            change_step(root, step, version)
            with pytest.MonkeyPatch.context() as inner:
                no_catalog(inner)
                cache.update()
            assert content(cache) == content(cold(root, tmp_path))


@pytest.mark.parametrize("which", ["catalog", "journal"])
def test_a_catalog_or_journal_not_the_one_written_is_read(world, tmp_path, monkeypatch, which):
    """The part names the catalog and journal it was written with, and their CRC-32: one
    written again by hand (the same entries, other bytes) is read as the reader reads it."""
    root, cache = world
    monkeypatch.setattr(journal, "JOURNAL_SHARE", 2)
    write_aged(root / name(7), meeting(7, version=1))
    cache.update()
    assert meta(cache).journal is not None
    path = cache.shard_dir / str(getattr(meta(cache), which))
    tables = orjson.loads(part_bytes(path))
    path.write_bytes(orjson.dumps(tables, option=orjson.OPT_INDENT_2))  # read as it was
    reads: list[int] = []
    real = CacheReader._load_catalog

    def load(self, index):
        reads.append(1)
        return real(self, index)

    monkeypatch.setattr(CacheReader, "_load_catalog", load)
    write_aged(root / name(8), meeting(8, version=1))
    assert cache.update().read == [name(8)]
    assert reads == [1]
    assert content(cache) == content(cold(root, tmp_path))


def test_a_seen_part_not_of_these_entries_is_written_again_whole(world, tmp_path, monkeypatch):
    """A file not found by its line, called unchanged by its entry: the seen part is not of
    these entries, and is written again whole, of every entry (read from every block)."""
    root, cache = world
    path = cache.shard_dir / str(meta(cache).seen)
    part = seen.read_seen(path)
    assert part is not None
    line = next(x for x in part.lines if x.startswith(name(7) + "\t"))
    other = line[:-1] + ("0" if line[-1] != "0" else "1")
    path.unlink()  # (written through the module: whatever its format)
    seen.write_seen(path, part.lines - {line} | {other}, list(part.unclean.values()), part.shards)
    write_aged(root / name(8), meeting(8, version=1))
    with monkeypatch.context() as m:
        no_catalog(m)
        report = cache.update()
    assert report.read == [name(8)]
    fresh = cold(root, tmp_path)
    assert content(cache) == content(fresh)
    mine, theirs = (seen.read_seen(c.shard_dir / str(meta(c).seen)) for c in (cache, fresh))
    assert mine is not None and theirs is not None
    assert (mine.lines, mine.shards, mine.count) == (theirs.lines, theirs.shards, theirs.count)


NOTHING_CHANGED = (
    "import json, sys\n"
    "from tuibrowser.store import Cache\n"
    "from pathlib import Path\n"
    "report = Cache(Path(sys.argv[1]), Path(sys.argv[2])).update()\n"
    "print(json.dumps([report.written, [m for m in sys.argv[3:] if m in sys.modules]]))\n"
)


def test_a_refresh_that_finds_nothing_changed_imports_no_part_by_half_month(world):
    """Neither read nor written when nothing changed: not imported either."""
    root, cache = world
    modules = ["tuibrowser.store.halves", "tuibrowser.store.halfplan"]
    out = subprocess.run(
        [sys.executable, "-c", NOTHING_CHANGED, str(root), str(cache.path), *modules],
        capture_output=True,
        text=True,
        check=True,
    )
    assert orjson.loads(out.stdout.strip().splitlines()[-1]) == [False, []]


def test_a_block_found_damaged_once_planned_builds_the_cache_again(world, tmp_path):
    """The block of a half month a file moves to, read only once the plan is made, found
    damaged: an entry of an unexpected shape, and the cache is built again from the files."""
    root, cache = world
    path = cache.shard_dir / str(meta(cache).halves)
    raw = path.read_bytes()
    head, _, body = raw.partition(b"\n")
    at, length, _ = orjson.loads(head)["blocks"]["2020-05-1"]
    path.write_bytes(head + b"\n" + body[:at] + bytes(length) + body[at + length :])
    write_aged(root / name(7), meeting(7, version=1, month=5))  # its name says February
    report = cache.update()
    assert report.rebuilt == "cache had entries of an unexpected shape"
    assert content(cache) == content(cold(root, tmp_path))
