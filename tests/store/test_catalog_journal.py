"""The catalog's journal: a refresh writes the entries that changed, not the whole catalog,
and whatever it does (a change, a new file, a delete, a rename, a refresh that fails or is
killed) the cache holds what a cold index of the same files holds."""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

import orjson
import pytest
from aged import write_aged
from coldindex import cold, content, edit_steps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuibrowser.store import Cache, CacheUnavailable, indexer, journal, layout


def meeting(n: int, version: int = 0) -> str:
    return (
        f'---\nboard: Board {n % 3}\ndate: "2020-{1 + n % 4:02d}-{1 + n % 27:02d}"\n'
        f"kind: minutes\nattendance:\n  - name: Cllr Person {n}\n    status: present\n---\n"
        f"## 1. Item {n}\n\nVersion {version} of meeting {n}.\n"
    )


write = write_aged  # edited a while ago, as people edit (not a racy mtime)


def make_folder(root: Path, count: int) -> None:
    root.mkdir()
    for n in range(count):
        write(root / f"m{n:03d}.md", meeting(n))


def meta(cache: Cache) -> layout.IndexMeta:
    index, _ = cache._load_raw()
    assert index is not None
    return index.meta


@pytest.fixture
def share(monkeypatch):
    """A journal may hold up to half the entries (16 would be two of these 40 files)."""
    monkeypatch.setattr(journal, "JOURNAL_SHARE", 2)


def change(root: Path, step: tuple[str, int], version: int) -> None:
    action, n = step
    files = sorted(root.glob("*.md"))
    target = files[n % len(files)]
    if action == "change":
        # (a renamed file keeps its number after its new prefix: r001-m007.md)
        write(target, meeting(int(target.stem.rsplit("m", 1)[1]), version))
    elif action == "add":
        write(root / f"m{100 + version:03d}.md", meeting(100 + version))
    elif action == "delete" and len(files) > 1:
        target.unlink()
    elif action == "rename":
        target.rename(root / f"r{version:03d}-{target.name}")
    elif action == "bad":
        write(target, "---\nnot closed\n")


STEPS = edit_steps(["change", "add", "delete", "rename", "bad"])


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_a_refresh_after_any_changes_holds_what_a_cold_index_holds(tmp_path_factory, steps):
    """Each step (a file changed, added, deleted, renamed or made unreadable as YAML) is
    followed by a refresh, whose cache — catalog and journal, shards, meeting list — is
    compared with a cold index of the same files."""
    tmp_path = tmp_path_factory.mktemp("journal")
    root = tmp_path / "meetings"
    make_folder(root, 40)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    old_share, journal.JOURNAL_SHARE = journal.JOURNAL_SHARE, 4
    try:
        for version, step in enumerate(steps, start=1):
            change(root, step, version)
            cache.update()
            assert content(cache) == content(cold(root, tmp_path))
    finally:
        journal.JOURNAL_SHARE = old_share


def test_a_one_file_refresh_writes_a_journal_and_leaves_the_catalog(tmp_path, share):
    root = tmp_path / "meetings"
    make_folder(root, 40)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    first = meta(cache)
    catalog = cache.shard_dir / first.catalog
    before = catalog.read_bytes()
    assert first.journal is None  # a cold index writes the catalog whole

    write(root / "m005.md", meeting(5, version=1))
    report = cache.update()
    assert report.read == ["m005.md"]
    second = meta(cache)
    assert second.catalog == first.catalog and catalog.read_bytes() == before
    assert second.journal is not None
    tables = orjson.loads((cache.shard_dir / second.journal).read_bytes())
    assert [e["path"] for e in tables["files"].values()] == ["m005.md"]
    assert tables["gone"] == {}

    # the next journal holds the last one's labels too, and the one before it is deleted
    (root / "m007.md").unlink()
    cache.update()
    third = meta(cache)
    assert third.catalog == first.catalog and third.journal not in (None, second.journal)
    tables = orjson.loads((cache.shard_dir / third.journal).read_bytes())
    assert [e["path"] for e in tables["files"].values()] == ["m005.md"]
    assert [g["path"] for g in tables["gone"].values()] == ["m007.md"]
    assert not (cache.shard_dir / second.journal).exists()
    assert content(cache) == content(cold(root, tmp_path))


def test_the_catalog_is_written_whole_when_the_journal_would_hold_too_many(tmp_path, share):
    root = tmp_path / "meetings"
    make_folder(root, 40)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    first = meta(cache)
    for n in range(21):  # more than half of the files
        write(root / f"m{n:03d}.md", meeting(n, version=2))
    cache.update()
    now = meta(cache)
    assert now.journal is None and now.catalog != first.catalog
    assert not (cache.shard_dir / first.catalog).exists()
    assert content(cache) == content(cold(root, tmp_path))


def test_a_refresh_that_fails_before_its_index_leaves_the_cache_as_it_was(
    tmp_path, share, monkeypatch
):
    """The journal is written before the index that names it: a refresh that fails (or is
    killed) between the two leaves the last index, its catalog and journal, as they were, and
    nothing of its own."""
    root = tmp_path / "meetings"
    make_folder(root, 40)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    write(root / "m001.md", meeting(1, version=1))
    cache.update()
    before = content(cache)
    parts = sorted(os.listdir(cache.shard_dir))
    index_bytes = cache.path.read_bytes()

    real = indexer.write_tables

    def full_disk_at_the_index(path, tables, sync=True):
        if Path(path) == cache.path:
            raise OSError(28, "No space left on device")
        real(path, tables, sync)

    monkeypatch.setattr(indexer, "write_tables", full_disk_at_the_index)
    write(root / "m002.md", meeting(2, version=1))
    with pytest.raises(CacheUnavailable):  # (the store says why, and goes on from the files)
        cache.update()
    assert cache.path.read_bytes() == index_bytes
    assert sorted(os.listdir(cache.shard_dir)) == parts
    assert content(cache) == before

    monkeypatch.setattr(indexer, "write_tables", real)
    cache.update()
    assert content(cache) == content(cold(root, tmp_path))


@pytest.mark.parametrize(
    "damage",
    [
        "missing",
        "not json",
        "no gone table",
        "entry without a label",
        "label not text",
        "gone row not a dict",
    ],
)
def test_a_damaged_journal_is_never_trusted(tmp_path, share, damage):
    """A journal that is missing or of the wrong shape: the cache is rebuilt from the files
    (and says so), never read as if the journal were not there."""
    root = tmp_path / "meetings"
    make_folder(root, 40)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    write(root / "m003.md", meeting(3, version=1))
    (root / "m004.md").unlink()
    cache.update()
    path = cache.shard_dir / str(meta(cache).journal)
    tables = orjson.loads(path.read_bytes())
    if damage == "missing":
        path.unlink()
    elif damage == "not json":
        path.write_bytes(b'{"files": {"1": ')
    elif damage == "no gone table":
        del tables["gone"]
    elif damage == "entry without a label":
        del tables["files"]["1"]["path"]
    elif damage == "label not text":
        tables["files"]["1"]["path"] = 5
    elif damage == "gone row not a dict":
        tables["gone"]["1"] = "m004.md"
    if damage not in ("missing", "not json"):
        path.write_bytes(orjson.dumps(tables))
    assert cache.load() is None
    report = cache.update()
    assert report.rebuilt
    assert content(cache) == content(cold(root, tmp_path))


LABELS = st.sampled_from([f"m{n}.md" for n in range(8)])


@given(
    old=st.dictionaries(LABELS, st.integers(0, 2)),
    kept=st.sets(LABELS),
    added=st.dictionaries(LABELS, st.integers(0, 2)),
    journaled=st.lists(LABELS),
)
def test_the_journal_holds_every_label_changed_added_or_gone(old, kept, added, journaled):
    """journal_labels is its definition, worked out at C speed: the labels of the last journal,
    of every entry that is not the one the catalog as read had (changed or added), and of every
    entry gone, whatever the catalog and the refresh."""
    before = {label: {"path": label, "v": v} for label, v in old.items()}
    # an entry kept is the catalog's own object; any other is new (changed, or added)
    after = {label: e for label, e in before.items() if label in kept}
    after.update({label: {"path": label, "v": v} for label, v in added.items()})
    expected = (
        {label for label, e in after.items() if before.get(label) is not e}
        | set(journaled)
        | (before.keys() - after.keys())
    )
    with mock.patch.object(journal, "JOURNAL_SHARE", 0):  # a journal of any size
        assert journal.journal_labels(journaled, before, after) == sorted(expected)
    too_many = len(expected) * journal.JOURNAL_SHARE > len(after)
    assert (journal.journal_labels(journaled, before, after) is None) == too_many
