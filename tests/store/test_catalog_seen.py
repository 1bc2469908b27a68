"""The catalog's seen part: a refresh compares each file's ``stat`` with it before it reads the
catalog. Nothing changed: the catalog is not read. Anything changed (in place with its mtime set
back, another file moved in, a link, added, deleted, moved, chmodded, unparsable): it is seen,
and the cache holds what a cold index holds. A seen part missing, damaged, or not the user's
own is not trusted: the refresh compares the catalog's entries, and writes a sound one."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from aged import write_aged
from cacheworld import give_away
from coldindex import cold, content, edit_steps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuibrowser.packed import pack
from tuibrowser.store import Cache, CacheUnavailable, layout, prescan, seen, statlines
from tuibrowser.store.reader import CacheReader


def meeting(n: int, version: int = 0, title: str = "Item") -> str:
    return (
        f'---\nboard: Board {n % 3}\ndate: "2020-{1 + n % 4:02d}-{1 + n % 27:02d}"\n'
        f"kind: minutes\nattendance:\n  - name: Cllr Person {n}\n    status: present\n---\n"
        f"## 1. {title} {n}\n\nVersion {version} of meeting {n}.\n"
    )


BAD = "---\nnot: [closed\n---\nText.\n"  # a file with an error: its entry is kept whole


def make_folder(root: Path, count: int = 12) -> None:
    root.mkdir()
    for n in range(count):
        write_aged(root / f"m{n:03d}.md", meeting(n))
    write_aged(root / "broken-2020-02-02.md", BAD)


def meta(cache: Cache) -> layout.IndexMeta:
    index, _ = cache._load_raw()
    assert index is not None
    return index.meta


def seen_of(cache: Cache) -> seen.Seen | None:
    name = meta(cache).seen
    return None if name is None else seen.read_seen(cache.shard_dir / name)


@pytest.fixture
def world(tmp_path):
    root = tmp_path / "meetings"
    make_folder(root)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    return root, cache


def told(report) -> tuple:
    """What a refresh tells of the files, but for how long it took."""
    return (
        report.read,
        report.verified,
        report.unchanged,
        report.removed,
        [str(p) for p in report.skipped],
        [str(p) for p in report.warnings],
        [str(p) for p in report.restricted],
        report.meetings,
    )


def test_a_cold_index_writes_a_seen_part_of_every_entry(world):
    _, cache = world
    found = seen_of(cache)
    assert found is not None
    catalog = cache.entries()
    assert found.count == len(catalog) == 13
    # the file with an error is kept whole; every other has its line
    assert set(found.unclean) == {"broken-2020-02-02.md"}
    assert {line.rpartition("\t")[0] for line in found.lines} == set(catalog) - set(found.unclean)
    assert set(found.shards) == {e["shard"] for e in catalog.values() if e.get("shard")}
    path = cache.shard_dir / str(meta(cache).seen)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "changed",
    [
        {"mtime_ns": 2**63, "indexed_ns": 2**64},  # past 2262: no 64-bit time holds it
        {"ctime_ns": -(2**63) - 1},
        {"size": -1},
        {"ino": 2**64},
        {"size": "5"},
        {"indexed_ns": None},
    ],
)
def test_an_entry_whose_stat_no_line_can_hold_is_kept_whole(changed):
    entry = {
        "path": "a.md",
        "size": 5,
        "mtime_ns": 10**18,
        "ctime_ns": 10**18,
        "ino": 7,
        "indexed_ns": 2 * 10**18,
        "problems": [],
        "shard": "2020-01-1",
    }
    assert seen.seen_line("a.md", entry, 0) is not None
    assert seen.seen_line("a.md", dict(entry, **changed), 0) is None


def test_a_label_with_a_line_break_is_kept_whole_and_its_changes_seen(tmp_path, monkeypatch):
    """The part's lines are lines of text: a file whose name holds a line break has no line
    (its entry is kept whole), nothing changed still reads no catalog, and its edit is seen."""
    root = tmp_path / "meetings"
    make_folder(root, count=3)
    odd = root / "m\n001-2020.md"
    write_aged(odd, meeting(7))
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    found = seen_of(cache)
    assert found is not None and "m\n001-2020.md" in found.unclean
    assert all("\n" not in line for line in found.lines) and found.count == 5
    with monkeypatch.context() as m:
        m.setattr(CacheReader, "_load_catalog", lambda self, index: pytest.fail("catalog read"))
        assert cache.update().written is False
    rewritten_in_place(odd, meeting(7, title="Edit"))
    assert cache.update().read == ["m\n001-2020.md"]
    assert content(cache) == content(cold(root, tmp_path))


def test_a_refresh_that_finds_nothing_changed_does_not_read_the_catalog(world, monkeypatch):
    _, cache = world
    path = cache.shard_dir / str(meta(cache).seen)
    with monkeypatch.context() as m:
        m.setattr(CacheReader, "_load_catalog", lambda self, index: pytest.fail("catalog read"))
        quick = cache.update()
    assert quick.written is False and quick.read == [] and quick.unchanged == 13
    path.unlink()  # without it, the catalog's entries are compared, and tell the same
    full = cache.update()
    assert told(full) == told(quick)
    assert len(quick.skipped) == 1  # the file with an error is told of, each time


def test_the_lines_are_written_in_order_and_compared_in_one_piece(world, monkeypatch):
    """A folder in which nothing changed is found so by one comparison of the files' lines
    with the part's (written sorted), with the file kept whole (it has an error) set apart;
    the part's lines are not made into a set."""
    root, cache = world
    part = cache.shard_dir / str(meta(cache).seen)
    blob = seen.decode_seen(part.read_bytes())["lines"]
    assert blob == sorted(blob) and len(blob) == 12
    monkeypatch.setattr(seen.Seen, "lines", property(lambda self: pytest.fail("lines made")))
    quick = cache.update()
    assert quick.written is False and quick.unchanged == 13


def test_a_part_whose_lines_are_not_in_order_is_compared_line_by_line(world):
    """A part written by an earlier version (its lines in any order) is still used."""
    _, cache = world
    part = cache.shard_dir / str(meta(cache).seen)
    data = seen.decode_seen(part.read_bytes())
    # (as an earlier version wrote it: encode_seen now sorts the lines)
    head = orjson.dumps({k: v for k, v in data.items() if k != "lines"})
    backwards = "\n".join(sorted(data["lines"], reverse=True)).encode()
    part.write_bytes(pack(head + b"\n" + backwards))
    found = seen.read_seen(part)
    assert found is not None
    files = sorted((str(p), p.name) for p in cache.root.iterdir())
    made = seen.made_lines(files)
    assert seen.same_lines(found, files, made, os.getuid()) is None
    quick = cache.update()
    assert quick.written is False and quick.unchanged == 13 and quick.read == []


def test_one_changed_line_is_not_found_in_one_piece(world):
    root, cache = world
    found = seen_of(cache)
    assert found is not None
    files = sorted((str(p), p.name) for p in root.iterdir())
    assert seen.same_lines(found, files, seen.made_lines(files), os.getuid()) == [
        (str(root / "broken-2020-02-02.md"), "broken-2020-02-02.md")
    ]
    rewritten_in_place(root / "m003.md", meeting(3, version=1))
    assert seen.same_lines(found, files, seen.made_lines(files), os.getuid()) is None
    assert seen.same_lines(found, files[1:], seen.made_lines(files[1:]), os.getuid()) is None


def rewritten_in_place(target: Path, text: str) -> None:
    """Written again and its mtime set back (``rsync -t``): its ctime has moved."""
    st = target.stat()
    target.write_text(text)
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))


def replaced_by_another_file(target: Path, text: str) -> None:
    """Another file, given the old one's size and mtime, moved into its place (another inode)."""
    st = target.stat()
    other = target.with_name(".incoming")
    other.write_text(text)
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(other, target)


def replaced_by_a_link(target: Path, text: str) -> None:
    """A link to a file inside the folder, with the old one's size and mtime."""
    st = target.stat()
    other = target.parent / "drafts" / "incoming.txt"
    other.parent.mkdir()
    other.write_text(text)
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    target.unlink()
    os.symlink(other, target)


def chmodded(target: Path, text: str) -> None:
    """Its mode changed (its ctime moves): its content is hashed again."""
    target.chmod(0o640)


def moved(target: Path, text: str) -> None:
    (target.parent / "sub").mkdir()
    target.rename(target.parent / "sub" / target.name)


def deleted(target: Path, text: str) -> None:
    target.unlink()


def added(target: Path, text: str) -> None:
    write_aged(target.with_name("m100.md"), meeting(100))


def made_unparsable(target: Path, text: str) -> None:
    write_aged(target, BAD)


def bad_mended(target: Path, text: str) -> None:
    write_aged(target.with_name("broken-2020-02-02.md"), meeting(50))


CHANGES: list[Callable[[Path, str], None]] = [
    rewritten_in_place,
    replaced_by_another_file,
    replaced_by_a_link,
    chmodded,
    moved,
    deleted,
    added,
    made_unparsable,
    bad_mended,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__)
def test_every_change_is_seen(world, tmp_path, change):
    root, cache = world
    target = root / "m003.md"
    before = target.stat()
    change(target, meeting(3, title="Edit"))  # "Edit" and "Item": the same size
    if change in (rewritten_in_place, replaced_by_another_file):
        after = target.stat()
        assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    report = cache.update()
    assert report.read or report.verified or report.removed
    assert report.written
    assert content(cache) == content(cold(root, tmp_path))
    found = seen_of(cache)
    assert found is not None and found.count == len(cache.entries())


@pytest.mark.parametrize(
    "damage",
    [
        "missing",
        "not json",
        "cut short",
        "lines not text",
        "no lines",
        "lines in the head",
        "a line too few",
        "unclean not entries",
        "an entry of another shape",
        "lines of other stats",
        "a half month the index has not",
        "count not a number",
        "shards not counts",
        "a link",
        "a directory",
    ],
)
def test_a_damaged_seen_part_is_not_trusted(world, tmp_path, monkeypatch, damage):
    """A seen part missing or of the wrong shape: the refresh compares the catalog's
    entries (a file changed with its size and mtime kept is read again), and writes a sound
    seen part, which the next refresh uses."""
    root, cache = world
    path = cache.shard_dir / str(meta(cache).seen)
    data = seen.decode_seen(path.read_bytes())
    head = {k: v for k, v in data.items() if k != "lines"}
    raw = path.read_bytes()
    path.unlink()
    if damage == "not json":
        path.write_bytes(b"{ not json")
    elif damage == "cut short":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "lines not text":
        path.write_bytes(pack(orjson.dumps(head) + b"\n\xff\xfe"))
    elif damage == "no lines":
        path.write_bytes(pack(orjson.dumps(head)))
    elif damage == "lines in the head":
        path.write_bytes(pack(orjson.dumps(data) + b"\n"))
    elif damage == "a line too few":
        path.write_bytes(seen.encode_seen(dict(data, lines=data["lines"][1:])))
    elif damage == "unclean not entries":
        path.write_bytes(seen.encode_seen(dict(data, unclean=["broken-2020-02-02.md"])))
    elif damage == "an entry of another shape":
        wrong = [dict(e, problems="not a list") for e in data["unclean"]]
        path.write_bytes(seen.encode_seen(dict(data, unclean=wrong)))
    elif damage == "lines of other stats":
        other = [line[:-1] + ("0" if line[-1] != "0" else "1") for line in data["lines"]]
        path.write_bytes(seen.encode_seen(dict(data, lines=other)))
    elif damage == "a half month the index has not":
        path.write_bytes(
            seen.encode_seen(dict(data, shards=dict(data["shards"], **{"1999-01-1": 1})))
        )
    elif damage == "count not a number":
        path.write_bytes(seen.encode_seen(dict(data, count=str(data["count"]))))
    elif damage == "shards not counts":
        path.write_bytes(seen.encode_seen(dict(data, shards=list(data["shards"]))))
    elif damage == "a link":
        elsewhere = tmp_path / "elsewhere.seen"
        elsewhere.write_bytes(raw)
        os.symlink(elsewhere, path)
    elif damage == "a directory":
        path.mkdir()
    if damage in ("a link", "a directory"):  # not a file of the cache's: nothing is used
        assert seen.read_seen(path) is None
        with pytest.raises(CacheUnavailable, match="is not a regular file|is a symbolic link"):
            cache.update()
        return
    if damage in (
        "an entry of another shape",
        "lines of other stats",
        "a half month the index has not",
        "a line too few",  # (its lines are counted when they are compared)
    ):  # read, not used
        assert seen.read_seen(path) is not None
        again = cache.update()  # nothing changed: the catalog is compared, and a sound seen
        assert again.written and again.rebuilt is None and again.read == []  # part written
        assert seen_of(cache) is not None and meta(cache).seen != path.name
    else:
        assert seen.read_seen(path) is None
    rewritten_in_place(root / "m003.md", meeting(3, title="Edit"))
    report = cache.update()
    assert report.read == ["m003.md"]
    assert content(cache) == content(cold(root, tmp_path))
    assert seen_of(cache) is not None
    monkeypatch.setattr(CacheReader, "_load_catalog", lambda self, index: pytest.fail("read"))
    assert cache.update().written is False  # the seen part written is used


def test_a_damaged_seen_part_is_replaced_by_a_sound_one(world, monkeypatch):
    _, cache = world
    path = cache.shard_dir / str(meta(cache).seen)
    path.write_bytes(b"[]")
    report = cache.update()
    assert report.written and report.read == []
    assert meta(cache).seen != path.name and seen_of(cache) is not None
    assert not path.exists()
    monkeypatch.setattr(CacheReader, "_load_catalog", lambda self, index: pytest.fail("read"))
    assert cache.update().written is False


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_seen_part_another_user_owns_or_can_write_is_not_read(world):
    _, cache = world
    path = cache.shard_dir / str(meta(cache).seen)
    assert seen.read_seen(path) is not None
    path.chmod(0o666)
    assert seen.read_seen(path) is None
    path.chmod(0o600)
    give_away(path)
    assert seen.read_seen(path) is None
    with pytest.raises(CacheUnavailable, match="is owned by another user"):
        cache.update()  # a file of another user's in the cache: the cache is not used


def test_a_damaged_catalog_is_found_as_the_reader_finds_it(world):
    """A refresh that finds nothing changed by the seen part still finds a catalog gone, and
    builds the cache again."""
    root, cache = world
    (cache.shard_dir / meta(cache).catalog).unlink()
    report = cache.update()
    assert report.rebuilt
    assert cache.load() is not None


def change_step(root: Path, step: tuple[str, int], version: int) -> None:
    action, n = step
    files = sorted(root.rglob("*.md"))
    target = files[n % len(files)]
    if action == "change":
        write_aged(target, meeting(n, version))
    elif action == "same size":
        rewritten_in_place(target, meeting(n % 10, version % 10))
    elif action == "add":
        write_aged(root / f"a{version:03d}-2020-03-0{1 + n % 9}.md", meeting(n, version))
    elif action == "delete" and len(files) > 1:
        target.unlink()
    elif action == "move":
        folder = root / f"f{n % 3}"
        folder.mkdir(exist_ok=True)
        target.rename(folder / f"v{version}-{target.name}")
    elif action == "bad":
        write_aged(target, BAD)
    elif action == "chmod":
        target.chmod(0o600 if target.stat().st_mode & 0o040 else 0o644)


STEPS = edit_steps(["change", "same size", "add", "delete", "move", "bad", "chmod"])
# (a folder and its cache made for each example: slow, and made in a fixture's folder)
EDITS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def indexed(tmp_path: Path) -> tuple[Path, Cache]:
    """A folder (:func:`make_folder`) in ``tmp_path`` and its cache, indexed."""
    root = tmp_path / "meetings"
    make_folder(root)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    return root, cache


@settings(EDITS, max_examples=12)
@given(steps=STEPS)
def test_any_edits_leave_what_a_cold_index_leaves(tmp_path_factory, steps):
    """Each step (a file changed, changed keeping its size and mtime, added, deleted, moved,
    made unparsable, chmodded) is followed by a refresh, whose cache is compared with a cold
    index of the same files; its seen part holds what the cold index's does, and the next
    refresh, finding nothing changed, reads no catalog."""
    tmp_path = tmp_path_factory.mktemp("seen")
    root, cache = indexed(tmp_path)
    for version, step in enumerate(steps, start=1):
        change_step(root, step, version)
        cache.update()
        fresh = cold(root, tmp_path)
        assert content(cache) == content(fresh)
        mine, theirs = seen_of(cache), seen_of(fresh)
        assert mine is not None and theirs is not None
        assert (mine.lines, set(mine.unclean), mine.shards, mine.count) == (
            theirs.lines,
            set(theirs.unclean),
            theirs.shards,
            theirs.count,
        )
        with pytest.MonkeyPatch.context() as m:
            m.setattr(CacheReader, "_load_catalog", lambda self, index: pytest.fail("read"))
            again = cache.update()
        assert again.written is False and again.read == []


def test_a_file_changed_just_before_its_indexing_is_checked_again_then_found(world, monkeypatch):
    """A file written within the clock's reach of its indexing has no line (its entry is
    kept whole): the next refresh hashes it again, and the one after finds it by its line."""
    root, cache = world
    (root / "m005.md").write_text(meeting(5, version=9))  # now: as racy as can be
    assert cache.update().read == ["m005.md"]
    found = seen_of(cache)
    assert found is not None and "m005.md" in found.unclean
    os.utime(root / "m005.md", (1, 1))  # (older: its indexing is not racy any more)
    again = cache.update()
    assert again.verified == ["m005.md"] and again.read == []
    found = seen_of(cache)
    assert found is not None and "m005.md" not in found.unclean
    monkeypatch.setattr(CacheReader, "_load_catalog", lambda self, index: pytest.fail("read"))
    assert cache.update().written is False


_LINE = st.text(st.characters(blacklist_characters="\n"), max_size=6)


@given(st.lists(_LINE, max_size=12), st.data(), st.integers(1, 4))
@settings(max_examples=300, deadline=None)
def test_same_text_is_the_whole_text_compared(lines: list[str], data, step: int) -> None:
    """The seen part's lines compared a few at a time answer as the whole text, joined and
    encoded, compared at once (False where that text cannot be encoded)."""
    whole = "\n".join(lines)
    blob = data.draw(
        st.one_of(
            st.just(whole.encode(errors="replace")),
            st.binary(max_size=40),
            st.just(whole.encode(errors="replace") + b"\n"),
            st.just(whole.encode(errors="replace")[:-1]),
        )
    )
    try:
        expected = whole.encode() == blob
    except UnicodeEncodeError:
        expected = False
    old = seen._STEP
    seen._STEP = step
    try:
        assert seen._same_text(lines, blob) is expected
    finally:
        seen._STEP = old


def _no_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail a refresh that compares the files' lines with the part's as sets."""
    monkeypatch.setattr(seen.Seen, "lines", property(lambda self: pytest.fail("lines made")))
    monkeypatch.setattr(seen, "stat_lines", lambda *a, **k: pytest.fail("lines compared"))


def edit_m004(root: Path, cache: Cache, racy: bool) -> None:
    """Edit m004.md; ``racy``: edited once before and indexed at once, so that its entry is kept
    whole in the seen part (within the clock's reach of its indexing)."""
    if racy:
        (root / "m004.md").write_text(meeting(4, version=1))
        cache.update()
        assert "m004.md" in (seen_of(cache) or pytest.fail("no part")).unclean
    (root / "m004.md").write_text(meeting(4, version=2))


@pytest.mark.parametrize("racy", [False, True], ids=["edited", "edited twice at once"])
def test_a_few_changed_lines_are_found_by_place_not_as_sets(world, tmp_path, monkeypatch, racy):
    """A file edited (or edited again while its entry is kept whole, as within the clock's
    reach of its indexing) is found by comparing each file's line with the part's in the same
    place: no set of lines is made, and the cache holds what a cold index holds."""
    root, cache = world
    edit_m004(root, cache, racy)
    with monkeypatch.context() as m:
        _no_sets(m)
        report = cache.update()
    assert report.read == ["m004.md"] and report.unchanged == 12
    assert content(cache) == content(cold(root, tmp_path))
    mine, theirs = seen_of(cache), seen_of(cold(root, tmp_path / "again"))
    assert mine is not None and theirs is not None
    assert mine.lines - {line for line in mine.lines if line.startswith("m004.md\t")} == {
        line for line in theirs.lines if not line.startswith("m004.md\t")
    }
    assert (mine.shards, mine.count) == (theirs.shards, theirs.count)


def test_lines_are_compared_as_sets_when_files_are_added_gone_or_many_changed(world):
    root, cache = world
    found = seen_of(cache)
    assert found is not None
    files = sorted((str(p), p.name) for p in root.iterdir())
    uid = os.getuid()

    def by_place(files: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
        part = seen_of(cache)
        assert part is not None
        return seen.few_changed(part, files, seen.made_lines(files), uid)

    bad = (str(root / "broken-2020-02-02.md"), "broken-2020-02-02.md")  # (kept whole)
    assert by_place(files) == [bad]  # (nothing changed: the file kept whole alone)
    rewritten_in_place(root / "m003.md", meeting(3, version=1))
    assert by_place(files) == [bad, (str(root / "m003.md"), "m003.md")]
    assert by_place(files[1:]) is None  # a file gone
    assert by_place([*files, (str(root / "m003.md"), "m999.md")]) is None  # a file added
    # as many files, but one renamed: not the same file in the same place
    renamed = [(p, "m000b.md") if label == "m000.md" else (p, label) for p, label in files]
    assert by_place(renamed) is None
    # files whose owner's read bit is off, or not this user's: asked of the system one by one
    # (but by root, whom no mode bars)
    owners, lines = seen.made_lines(files) or ([], [])
    assert seen.few_changed(found, files, ([-1] * len(owners), lines), 4242) is None
    assert seen.few_changed(found, files, ([-1] * len(owners), lines), 0) is not None
    old = statlines.FEW
    statlines.FEW = 0  # (more lines changed than are compared by place)
    try:
        assert by_place(files) is None
    finally:
        statlines.FEW = old


@pytest.fixture
def walked_by_a_child(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The walk's child begun whatever cores this machine has, and a count of the times the
    parent took what it found comparing the lines with the seen part by place."""
    monkeypatch.setattr(prescan, "_cores", lambda: 2)
    compared: list[int] = []
    by_place = prescan._by_place

    def counted(*args, **kwargs):
        found = by_place(*args, **kwargs)
        if found is not None:
            compared.append(1)
        return found

    monkeypatch.setattr(prescan, "_by_place", counted)
    prescan._end()
    yield compared
    prescan._end()


def _by_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail a refresh that compares the lines itself, by place or in one piece, or that makes
    the files the seen part names (a refresh by half month never wants them)."""
    _no_sets(monkeypatch)
    monkeypatch.setattr("tuibrowser.store.seenplan.same_lines", lambda *a: pytest.fail("same"))
    monkeypatch.setattr("tuibrowser.store.seenplan.few_changed", lambda *a: pytest.fail("few"))
    monkeypatch.setattr(seen.PartFiles, "files", lambda self: pytest.fail("files made"))


def test_the_files_a_seen_part_names_are_made_when_wanted(world):
    """The folder's files as the seen part names them, with those it keeps whole in their
    places: their number at once, and the files, made once, as the walk finds them."""
    root, cache = world
    part = seen_of(cache)
    assert part is not None
    files = sorted((str(root / p.name), p.name) for p in root.iterdir())
    whole = [(at, label) for at, (_, label) in enumerate(files) if label in part.unclean]
    assert whole == [(0, "broken-2020-02-02.md")]
    named = seen.PartFiles(f"{root}/", part.blob, whole, len(files))
    assert len(named) == 13 and named._files is None
    assert list(named) == files
    assert named[3] == files[3] and named[-1] == files[-1] and named[1:3] == files[1:3]
    assert named.files() is named.files()


@pytest.mark.parametrize("racy", [False, True], ids=["edited", "edited twice at once"])
def test_the_walks_child_compares_the_lines_by_place(
    world, tmp_path, monkeypatch, walked_by_a_child, racy
):
    """The walk's child, given the seen part, compares its lines with the part's by place and
    sends what it found, not its lines: the refresh makes no line, compares none, and leaves
    what a cold index leaves; the next, through the child too, finds nothing changed and
    reads no catalog. A file kept whole in the part (one with an error) is in its place."""
    root, cache = world
    edit_m004(root, cache, racy)
    with monkeypatch.context() as m:
        _by_the_child(m)
        prescan.begin(root)
        report = cache.update()
    assert walked_by_a_child == [1]
    assert report.read == ["m004.md"] and report.unchanged == 12
    assert content(cache) == content(cold(root, tmp_path))
    write_aged(root / "m004.md", meeting(4, version=2))  # (its line kept in the next part)
    cache.update()
    with monkeypatch.context() as m:
        _by_the_child(m)
        m.setattr(CacheReader, "_load_catalog", lambda self, index: pytest.fail("read"))
        prescan.begin(root)
        again = cache.update()
    assert walked_by_a_child == [1, 1]
    assert again.read == [] and again.unchanged == again.files == 13
    assert again.written is False


def test_the_walks_child_sends_its_lines_when_it_cannot_compare(
    world, monkeypatch, walked_by_a_child
):
    """A file added (or gone), no seen part given, or one too large for the memory shared with
    the child: the child sends its lines, and the refresh compares them itself."""
    root, cache = world
    part = seen_of(cache)
    assert part is not None
    prescan.begin(root)
    taken = prescan.take(root, (), part)
    assert (
        taken is not None
        and taken[1] is None
        and taken[2] == [(str(root / "broken-2020-02-02.md"), "broken-2020-02-02.md")]
    )  # (nothing changed: the file kept whole alone is not found by its line)
    assert walked_by_a_child == [1]
    write_aged(root / "m999.md", meeting(999))
    for told, shared in [(part, prescan.SHARED_BYTES), (None, prescan.SHARED_BYTES), (part, 64)]:
        monkeypatch.setattr(prescan, "SHARED_BYTES", shared)
        prescan.begin(root)
        taken = prescan.take(root, (), told)
        assert taken is not None
        (files, _), made, by_child = taken
        assert by_child is None and made is not None
        assert len(files) == len(made[1]) == 14
    assert walked_by_a_child == [1]
    report = cache.update()
    assert report.read == ["m999.md"]


@settings(EDITS, max_examples=10)
@given(steps=STEPS, child=st.booleans())
def test_lines_compared_by_place_leave_what_sets_leave(tmp_path_factory, steps, child):
    """Each step followed by a refresh that compares lines by place where it can (itself, or
    in the walk's child: ``child``), and by one that never does (on a copy of the cache):
    their reports, caches and seen parts are the same."""
    import shutil

    tmp_path = tmp_path_factory.mktemp("place")
    root, cache = indexed(tmp_path)
    for version, step in enumerate(steps, start=1):
        change_step(root, step, version)
        shutil.rmtree(tmp_path / "sets", ignore_errors=True)
        shutil.copytree(tmp_path / "cache", tmp_path / "sets", symlinks=True)
        other = Cache(root, tmp_path / "sets" / "c.json")
        with pytest.MonkeyPatch.context() as m:
            m.setattr("tuibrowser.store.seenplan.few_changed", lambda *a: None)
            theirs = other.update()
        with pytest.MonkeyPatch.context() as m:
            if child:
                m.setattr(prescan, "_cores", lambda: 2)
                prescan.begin(root)
            mine = cache.update()
            assert prescan._pending is None  # (taken)
        assert told(mine) == told(theirs)
        assert content(cache) == content(other)
        a, b = seen_of(cache), seen_of(other)
        assert a is not None and b is not None
        assert (a.lines, a.shards, a.count) == (b.lines, b.shards, b.count)
        # (their entries kept whole, but for when each was indexed)
        same = {k: {**e, "indexed_ns": 0} for k, e in b.unclean.items()}
        assert {k: {**e, "indexed_ns": 0} for k, e in a.unclean.items()} == same


def test_files_found_by_place_then_read_again_have_their_lines_made_again(
    world, tmp_path, monkeypatch
):
    """A half month's documents lost (deleted by hand): its files, each found unchanged by its
    line in its place, are read again; the next part holds their lines as their entries now
    say, as a cold index's does, and the refresh after finds nothing changed."""
    root, cache = world
    shards = meta(cache).shards
    key = next(k for k, name in sorted(shards.items()) if k.startswith("2020-04"))
    (cache.shard_dir / shards[key]).unlink()
    with monkeypatch.context() as m:
        _no_sets(m)
        report = cache.update()
    assert len(report.read) > 1 and report.unchanged < 13
    assert content(cache) == content(cold(root, tmp_path))
    mine, theirs = seen_of(cache), seen_of(cold(root, tmp_path / "again"))
    assert mine is not None and theirs is not None
    assert (mine.lines, mine.count, mine.shards) == (theirs.lines, theirs.count, theirs.shards)
    again = cache.update()
    assert again.written is False and again.read == []
