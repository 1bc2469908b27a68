"""A shard written again by a refresh takes what did not change from its old parts (the long
texts' streams of unchanged items, the rows of unchanged meetings) instead of making it again:
whatever the edits, the cache is the one a cold index of the same files writes, part for part,
and reads the same (library, export, search from the files, the screens' views)."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import pytest
from aged import write_aged
from cachefiles import shard_parts
from coldindex import exported
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuibrowser.packed import unpack
from tuibrowser.store import Cache, kept, layout, shards

# Two boards whose slugs are equal meet on one date: their meetings' ids depend on each other
# (tuibrowser.library.meeting_ids), so an edit of one may change the other's row.
BOARDS = ["Audit & Risk", "Audit Risk", "Cabinet"]
KINDS = ["agenda", "minutes"]
QUERIES = ["version", "risk", "cabinet item", "person"]


def text(board: int, day: int, kind: str, version: int) -> str:
    return (
        f'---\nboard: "{BOARDS[board]}"\ndate: "2020-01-{day:02d}"\nkind: {kind}\n'
        "attendance:\n  - name: Cllr Person {board}\n    status: present\n---\n"
        f"## 1. Item of {BOARDS[board]}\n\nVersion {version} of the {kind}: a minute long "
        f"enough to be kept apart, said for the {day}th.\n\n## 2. Other business\n\n"
        f"Nothing else, version {version}.\n"
    )


write = write_aged  # edited a while ago, as people edit (not a racy mtime)


def three_boards(tmp_path: Path) -> Path:
    """A folder of three boards' meetings on three days, each of every kind."""
    root = tmp_path / "meetings"
    root.mkdir()
    for board in range(3):
        for day in (1, 2, 3):
            for kind in KINDS:
                write(root / name(board, day, kind), text(board, day, kind, 0))
    return root


def name(board: int, day: int, kind: str) -> str:
    return f"2020-01-{day:02d}-b{board}-{kind}.md"


# (board, day, kind): every file is in one half month's shard, two meetings a day at most
FILES = st.tuples(st.integers(0, 2), st.integers(1, 3), st.sampled_from(KINDS))
STEPS = st.lists(
    st.tuples(st.sampled_from(["change", "add", "delete", "move"]), FILES),
    min_size=1,
    max_size=6,
)


def step(root: Path, action: str, file: tuple[int, int, str], version: int) -> None:
    board, day, kind = file
    path = root / name(board, day, kind)
    if action in ("change", "add"):
        write(path, text(board, day, kind, version))
    elif action == "delete" and path.exists() and len(list(root.glob("*.md"))) > 1:
        path.unlink()
    elif action == "move" and path.exists():  # another file name, the same document
        path.rename(root / f"{path.stem}-moved-{version}.md")


parts = shard_parts


def seen(cache: Cache) -> tuple:
    """What a reader reads of the cache, and its shards' parts."""
    data = exported(cache)
    index, _ = cache._load_raw()
    assert index is not None
    searched = [cache.search_files(q, 20) for q in QUERIES]
    views = (cache.people_figures(), cache.topics(), cache.ratings())
    rows = cache.rows()
    return data, index.first, index.meta.counts, rows, searched, views, parts(cache)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(start=st.lists(FILES, min_size=1, max_size=8), steps=STEPS)
def test_a_shard_written_again_is_the_one_a_cold_index_writes(tmp_path_factory, start, steps):
    tmp = tmp_path_factory.mktemp("kept")
    root = tmp / "meetings"
    root.mkdir()
    for file in start:
        step(root, "add", file, 0)
    cache = Cache(root, tmp / "cache" / "c.json")
    cache.update()
    for version, (action, file) in enumerate(steps, start=1):
        step(root, action, file, version)
        cache.update()
        cold = Cache(root, tmp / f"cold-{version}" / "c.json")
        cold.update()
        assert seen(cache) == seen(cold)


def test_the_rows_of_unchanged_meetings_are_taken_from_the_old_part(tmp_path, monkeypatch):
    """Of a shard written again after one file changed, only the changed meeting's row is
    made again, and its fingerprint (the others are taken as they were), and the rows are a
    cold index's."""
    root = three_boards(tmp_path)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    made: list[str] = []
    hashed: list[str] = []
    row_of, prints_of = shards.row_fields, shards.group_fingerprints

    def counting(m, fingerprint=None):
        made.append(m.id)
        return row_of(m, fingerprint)

    def hashing(groups, json_of):
        hashed.extend(groups)
        return prints_of(groups, json_of)

    monkeypatch.setattr(shards, "row_fields", counting)
    monkeypatch.setattr(shards, "group_fingerprints", hashing)
    write(root / name(2, 2, "minutes"), text(2, 2, "minutes", 1))
    cache.update()
    assert made == hashed == ["2020-01-02-cabinet"]
    monkeypatch.setattr(shards, "row_fields", row_of)
    monkeypatch.setattr(shards, "group_fingerprints", prints_of)
    cold = Cache(root, tmp_path / "cold" / "c.json")
    cold.update()
    assert seen(cache) == seen(cold)


def test_the_first_page_is_kept_when_its_shards_are(tmp_path, monkeypatch):
    """A refresh that writes none of the shards the first page is made of keeps the old page
    (reading no shard's rows for it); one that writes one of them makes it again. Either way
    it is a cold index's."""
    monkeypatch.setattr(layout, "FIRST_PAGE", 3)
    root = tmp_path / "meetings"
    root.mkdir()
    for month in range(1, 7):  # a meeting in each of six half months
        path = root / f"2020-{month:02d}-01-b2-minutes.md"
        write(path, text(2, 1, "minutes", 0).replace("2020-01-01", f"2020-{month:02d}-01"))
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    read: list[str] = []
    rows_of = Cache._shard_rows

    def counting(self, shard):
        read.append(shard)
        return rows_of(self, shard)

    monkeypatch.setattr(Cache, "_shard_rows", counting)
    for month, same in ((1, True), (6, False), (2, True), (4, False)):
        path = root / f"2020-{month:02d}-01-b2-minutes.md"
        write(path, path.read_text(encoding="utf-8") + f"\nEdited {month}.\n")
        read.clear()
        cache.update()
        assert (read == []) == same
        cold = Cache(root, tmp_path / f"cold-{month}" / "c.json")
        cold.update()
        assert seen(cache) == seen(cold)


def test_a_part_the_edit_left_as_it_was_is_not_packed_again(tmp_path, monkeypatch):
    """An edit of a minute's words leaves the half month's people as they were: the shard
    written again takes its packed .people part as it was, and packs what changed."""
    root = tmp_path / "meetings"
    root.mkdir()
    for board in range(3):
        write(root / name(board, 1, "minutes"), text(board, 1, "minutes", 0))
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    index, _ = cache._load_raw()
    assert index is not None
    people = (
        cache.shard_dir / layout.skeleton_names(index.meta.shards["2020-01-1"])[2]
    ).read_bytes()
    packed: list[bytes] = []
    pack = kept.pack

    def counting(data: bytes, tight: bool = False) -> bytes:
        packed.append(data)
        return pack(data, tight)

    monkeypatch.setattr(kept, "pack", counting)
    path = root / name(1, 1, "minutes")
    write(path, path.read_text(encoding="utf-8").replace("Nothing else", "Nothing more"))
    cache.update()
    index, _ = cache._load_raw()
    assert index is not None
    now = cache.shard_dir / layout.skeleton_names(index.meta.shards["2020-01-1"])[2]
    assert now.read_bytes() == people
    assert packed and unpack(people) not in packed
    monkeypatch.setattr(kept, "pack", pack)
    cold = Cache(root, tmp_path / "cold" / "c.json")
    cold.update()
    assert seen(cache) == seen(cold)


def edit_forever(root: str, cache: str, seed: int, wrote) -> None:
    """Change a file and refresh (a shard written again from its old parts), until killed."""
    rng = random.Random(seed)
    version = 0
    while True:
        version += 1
        board, day, kind = rng.randrange(3), rng.randrange(1, 4), rng.choice(KINDS)
        write(Path(root) / name(board, day, kind), text(board, day, kind, version + 100 * seed))
        Cache(Path(root), Path(cache)).update()
        wrote.set()


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork() (POSIX)"
)
def test_a_writer_killed_while_it_takes_old_parts_leaves_what_a_cold_index_holds(tmp_path):
    """A writer killed at any moment (often while it reads the old parts or writes the new):
    the cache opens, and the next refresh holds what a cold index of the files holds."""
    fork = multiprocessing.get_context("fork")
    root = three_boards(tmp_path)
    cache_path = tmp_path / "cache" / "c.json"
    Cache(root, cache_path).update()
    rng = random.Random(5)
    for i in range(10):
        wrote = fork.Event()
        proc = fork.Process(target=edit_forever, args=(str(root), str(cache_path), i, wrote))
        proc.start()
        assert wrote.wait(timeout=60), "the writer never wrote"
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(timeout=30)
        assert proc.exitcode == -signal.SIGKILL
        assert Cache(root, cache_path).load() is not None
    cache = Cache(root, cache_path)
    cache.update()
    cold = Cache(root, tmp_path / "cold" / "c.json")
    cold.update()
    assert seen(cache) == seen(cold)
