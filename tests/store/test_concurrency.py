"""Many users (or terminals) refreshing one cache, and refreshes killed mid-write.

The cache is written to a temporary file and moved into place under a file lock, so readers
see the old cache or the new one, never a mixture, and a killed writer leaves no partial file.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import orjson
import pytest
from cachefiles import part_bytes

from tuibrowser import export
from tuibrowser.store import STALE_TEMP_SECONDS, Cache, open_library

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork() (POSIX)"
)
FORK = (
    multiprocessing.get_context("fork")
    if "fork" in multiprocessing.get_all_start_methods()
    else None
)


def meeting(n: int, version: int = 0) -> str:
    day = 1 + n % 28
    month = 1 + n // 28 % 12
    return (
        f'---\nboard: Board {n % 3}\ndate: "2020-{month:02d}-{day:02d}"\nkind: minutes\n'
        f"attendance:\n  - name: Cllr Person {n}\n    status: present\n---\n"
        f"## 1. Item {n}\n\nVersion {version} of meeting {n}.\n"
        f"## 2. Other {n}\n\n" + "Some words. " * 50 + "\n"
    )


def make_folder(root: Path, count: int) -> None:
    root.mkdir()
    for n in range(count):
        (root / f"m{n:03d}.md").write_text(meeting(n), encoding="utf-8")


def comparable(lib) -> dict:
    data = export.to_data(lib)
    data["problems"] = sorted(orjson.dumps(p).decode() for p in data["problems"])
    return data


def refresher(root: str, cache: str, rounds: int) -> None:
    for _ in range(rounds):
        Cache(Path(root), Path(cache)).refresh()


def test_eight_processes_refreshing_while_files_change_end_with_a_valid_cache(tmp_path):
    root = tmp_path / "meetings"
    make_folder(root, 24)
    cache_path = tmp_path / "cache" / "c.json"
    rng = random.Random(7)
    procs = [
        FORK.Process(target=refresher, args=(str(root), str(cache_path), 12)) for _ in range(8)
    ]
    for p in procs:
        p.start()
    next_n = 24
    for step in range(40):
        action = step % 4
        files = sorted(root.glob("*.md"))
        if action == 0:
            (root / f"m{next_n:03d}.md").write_text(meeting(next_n), encoding="utf-8")
            next_n += 1
        elif action == 1 and files:
            victim = rng.choice(files)
            n = int(victim.stem[1:])
            victim.write_text(meeting(n, version=step), encoding="utf-8")
        elif action == 2 and files:
            rng.choice(files).unlink()
        else:
            (root / f"m{next_n:03d}.md").write_text("---\nnot closed\n", encoding="utf-8")
            next_n += 1
        time.sleep(0.005)
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * 8

    cache = Cache(root, cache_path)
    data, why = cache._load_raw()
    assert why is None and data is not None, why
    cached, _ = cache.refresh()
    fresh, _ = open_library(root, use_cache=False)
    assert comparable(cached) == comparable(fresh)
    assert len(cached.meetings) > 0 and cached.skipped == fresh.skipped
    assert not list(cache_path.parent.glob("*.tmp"))


def rewrite_forever(root: str, cache: str, seed: int, wrote) -> None:
    """Change a file and refresh, again and again, until killed."""
    rng = random.Random(seed)
    files = sorted(Path(root).glob("*.md"))
    version = 0
    while True:
        version += 1
        f = rng.choice(files)
        f.write_text(meeting(int(f.stem[1:]), version=version + 100 * seed), encoding="utf-8")
        Cache(Path(root), Path(cache)).refresh()
        wrote.set()


def test_a_refresh_killed_during_a_write_always_leaves_a_cache_that_opens(tmp_path):
    root = tmp_path / "meetings"
    make_folder(root, 120)  # a cache of a few hundred KB: writes take a while
    cache_path = tmp_path / "cache" / "c.json"
    Cache(root, cache_path).refresh()
    rng = random.Random(11)
    seen_versions = set()
    for i in range(30):
        wrote = FORK.Event()
        proc = FORK.Process(target=rewrite_forever, args=(str(root), str(cache_path), i, wrote))
        proc.start()
        # Kill it a random moment after its first write: during a later refresh, often mid-write.
        assert wrote.wait(timeout=60), "the writer never wrote"
        time.sleep(rng.uniform(0.0, 0.03))
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(timeout=30)
        assert proc.exitcode == -signal.SIGKILL

        raw = cache_path.read_bytes()
        data = orjson.loads(raw)  # never a partial file
        seen_versions.add(hashlib.sha256(raw).hexdigest())
        cache = Cache(root, cache_path)
        assert cache._load_raw()[1] is None
        assert cache.load() is not None
        assert len(cache.entries()) == 120

    # Whatever the kills left behind, the next refresh agrees with the files.
    lib, _ = Cache(root, cache_path).refresh()
    assert comparable(lib) == comparable(open_library(root, use_cache=False)[0])
    assert isinstance(data, dict) and len(seen_versions) == 30  # each writer wrote a new cache


def test_temp_files_left_by_killed_writers_are_swept_on_the_next_write(tmp_path):
    root = tmp_path / "meetings"
    make_folder(root, 3)
    cache_path = tmp_path / "cache" / "c.json"
    Cache(root, cache_path).refresh()
    old = cache_path.parent / f".{cache_path.name}.abc12345.tmp"  # as mkstemp names them
    recent = cache_path.parent / f".{cache_path.name}.def45678.tmp"
    other = cache_path.parent / ".someone-else.json.zzz.tmp"
    for f in (old, recent, other):
        f.write_bytes(b'{"half": ')
    long_ago = time.time() - STALE_TEMP_SECONDS - 5
    os.utime(old, (long_ago, long_ago))
    os.utime(other, (long_ago, long_ago))

    (root / "m000.md").write_text(meeting(0, version=9), encoding="utf-8")
    _, report = Cache(root, cache_path).refresh()
    assert report.written
    assert not old.exists()  # a dead writer's leftover
    assert recent.exists()  # may still be in use: left for a later write
    assert other.exists()  # not this cache's


@pytest.mark.parametrize(
    ("where", "entry"),
    [
        ("index", {"path": "m000.md", "problems": ["not a problem"]}),
        ("index", {"path": "m000.md", "problems": "text"}),
        ("shard", {"board": "B"}),
        ("shard", {"board": "B", "date": "2020-01-01", "items": [7]}),
        ("shard", "text"),
    ],
    ids=[
        "problem-not-a-mapping",
        "problems-text",
        "document-missing-fields",
        "item-not-a-mapping",
        "document-text",
    ],
)
def test_a_cache_with_entries_of_the_wrong_shape_is_rebuilt(tmp_path, where, entry):
    root = tmp_path / "meetings"
    make_folder(root, 3)
    cache_path = tmp_path / "cache" / "c.json"
    cache = Cache(root, cache_path)
    cache.refresh()
    if where == "index":
        catalog = cache.paths()[1]
        data = orjson.loads(part_bytes(catalog))
        key = next(k for k, e in data["files"].items() if e["path"] == "m000.md")
        stat = (root / "m000.md").stat()
        old = data["files"][key]
        data["files"][key] = dict(
            old, **entry, size=stat.st_size, mtime_ns=stat.st_mtime_ns, indexed_ns=9 * 10**18
        )  # looks unchanged, so it would be trusted
        catalog.write_bytes(orjson.dumps(data))
    else:
        shard = next(p for p in cache.paths()[2:] if p.name.startswith("2020-01"))
        data = orjson.loads(part_bytes(shard))
        key = next(k for k, e in data["documents"].items() if e["path"] == "m000.md")
        data["documents"][key]["document"] = entry
        shard.write_bytes(orjson.dumps(data))

    assert cache.load() is None
    lib, report = cache.refresh()
    assert report.rebuilt == "cache had entries of an unexpected shape"
    assert comparable(lib) == comparable(open_library(root, use_cache=False)[0])
    assert comparable(cache.refresh()[0]) == comparable(lib)


def hold_lock(path: str, held, release) -> None:
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    held.set()
    release.wait(timeout=60)


def test_a_cache_locked_by_another_process_is_waited_for_then_read_around(tmp_path, monkeypatch):
    """Another process holding the cache's lock: a refresh waits for it, then (past the timeout)
    reads the files instead, and says why; once the lock is free the cache is used again."""
    from tuibrowser.store import cache as cache_module

    root = tmp_path / "meetings"
    make_folder(root, 3)
    cache_path = tmp_path / "cache" / "c.json"
    cache = Cache(root, cache_path)
    cache.refresh()
    held, release = FORK.Event(), FORK.Event()
    holder = FORK.Process(target=hold_lock, args=(str(cache.lock_path), held, release))
    holder.start()
    try:
        assert held.wait(timeout=30)
        monkeypatch.setattr(cache_module, "LOCK_TIMEOUT", 0.3)
        started = time.monotonic()
        lib, report = Cache(root, cache_path).refresh()
        assert time.monotonic() - started >= 0.3
        assert report.unused == "cache is locked by another process" and report.rebuilt is None
        assert len(lib.meetings) == 3
    finally:
        release.set()
        holder.join(timeout=30)
    lib, report = Cache(root, cache_path).refresh()
    assert report.rebuilt is None and report.unused is None and len(lib.meetings) == 3
