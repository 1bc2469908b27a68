"""A cache folder shared with other users cannot be turned against the cache's user.

Another user who can write into the folder of a cache (a sticky ``/tmp``-like folder, as here)
plants links, devices, files and folders under the cache's names. Each attack is one case; for
each, every command (``export``, ``index``, ``index --clear``) goes on from the files with a
one-line warning naming the path and why, and leaves every file that was there as it was: no
link followed, nothing renamed, chmodded, written or deleted.

"Another user" is ``nobody``: files are handed to them with ``chown``, which needs root (CI runs
as root); those cases are skipped for other users, and the rest run for anyone. (Root's own
files are "this user's" when the tests run as root, so the checks are exercised all the same.)
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest

# (``shared``, the conftest's fixture, is a folder the unprivileged user may enter)
from cachefiles import part_bytes
from cacheworld import (
    FORGED,
    NEEDS_ROOT,
    REAL,
    World,
    aged,
    give_away,
    invoke,
    make_world,
    meeting,
    other_user,
    snapshot,
)
from privileges import as_user, cli_as_user, unprivileged

from tuibrowser.store import Cache, fs, halves, layout, safefs

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="POSIX owners, modes and links do not exist on Windows"
)

ROOT = os.getuid() == 0


@pytest.fixture
def world(tmp_path) -> World:
    return make_world(tmp_path)


def forge(w: World) -> None:
    """A cache that says the meeting's minute is FORGED, while the file says REAL (same size,
    time, inode, and a catalog that gives the file's ctime): a refresh that trusts the cache
    shows the forgery."""
    f = w.root / "2020-01-01-board.md"
    st = f.stat()
    f.write_text(meeting(FORGED), encoding="utf-8")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    cache = Cache(w.root, w.cache)
    cache.refresh()
    f.write_text(meeting(REAL), encoding="utf-8")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    # no one can set a ctime back: the forger writes the new one into the catalog
    index, _ = cache._load_raw()
    assert index is not None
    catalog = cache.shard_dir / index.meta.catalog
    tables = orjson.loads(part_bytes(catalog))  # packed; the cache reads it plain too
    for entry in tables["files"].values():
        if entry["path"] == f.name:
            entry["ctime_ns"] = f.stat().st_ctime_ns
    catalog.write_bytes(orjson.dumps(tables))
    # and into the catalog by half month, which a refresh reads of it
    assert index.meta.halves is not None
    entries = list(tables["files"].values())
    of = [halves.sum_of(cache.shard_dir, index.meta.catalog), None]
    halves.write_halves(cache.shard_dir / index.meta.halves, *halves.whole(entries), of)


def test_the_forgery_is_shown_by_a_cache_that_is_trusted(world):
    """The control for the forged-cache cases below: the forgery works on a cache that is the
    user's own, so their refusing it is what keeps it out."""
    forge(world)
    lib, report = Cache(world.root, world.cache).refresh()
    assert report.rebuilt is None
    assert FORGED in orjson.dumps([m.to_dict() for m in lib.meetings]).decode()


# -- the attacks ------------------------------------------------------------------------------


def link_at_shards(w: World) -> str:
    os.symlink(w.home / "notes", w.shards)
    return f"{w.shards} is a symbolic link"


def link_at_index(w: World) -> str:
    os.symlink(w.todo, w.cache)
    return f"{w.cache} is a symbolic link"


def link_at_lock(w: World) -> str:
    lock = w.shared / "c.json.lock"
    os.symlink(w.todo, lock)
    return f"{lock} is a symbolic link"


def dangling_link_at_lock(w: World) -> str:
    lock = w.shared / "c.json.lock"
    os.symlink(w.home / "made-by-the-link", lock)
    return f"{lock} is a symbolic link"


def link_in_shards(w: World) -> str:
    Cache(w.root, w.cache).refresh()
    planted = w.shards / ".2020-01-1-deadbeef.json.planted0.tmp"
    os.symlink(w.todo, planted)
    aged(planted)
    return f"{planted} is a symbolic link"


def device_at_index(w: World) -> str:
    os.mknod(w.cache, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # as /dev/null
    return f"{w.cache} is not a regular file"


def fifo_at_index(w: World) -> str:
    os.mkfifo(w.cache, 0o600)
    return f"{w.cache} is not a regular file"


def fifo_at_lock(w: World) -> str:
    os.mkfifo(w.shared / "c.json.lock", 0o600)
    return f"{w.shared / 'c.json.lock'} is not a regular file"


def users_text_file(w: World) -> str:
    """``--cache ~/todo.txt``, with the user's own ``todo.txt.d/`` folder beside it."""
    os.rename(w.home / "notes", w.home / "todo.txt.d")
    return f"{w.todo} is not a tuibrowser cache"


def users_folder_as_shards(w: World) -> str:
    """``--cache ~/notes.json`` where ``notes.json.d`` is a folder of the user's."""
    folder = w.home / "x.json.d"
    os.rename(w.home / "notes", folder)
    return f"{folder / 'old.txt'} is not a file of tuibrowser's cache"


def foreign_file_in_shards(w: World) -> str:
    Cache(w.root, w.cache).refresh()
    (w.shards / "notes.txt").write_text("mine\n", encoding="utf-8")
    aged(w.shards / "notes.txt")
    return f"{w.shards / 'notes.txt'} is not a file of tuibrowser's cache"


def foreign_index(w: World) -> str:
    forge(w)
    give_away(w.cache)
    return f"{w.cache} is owned by another user"


def open_index(w: World) -> str:
    forge(w)
    os.chmod(w.cache, 0o666)
    return f"{w.cache} is writable by other users"


def foreign_shards(w: World) -> str:
    forge(w)
    for f in w.shards.iterdir():
        give_away(f)
    return f"{w.shards}/[^ ]+ is owned by another user"


def open_shards(w: World) -> str:
    forge(w)
    for f in w.shards.iterdir():
        os.chmod(f, 0o666)
    return f"{w.shards}/[^ ]+ is writable by other users"


def foreign_shards_folder(w: World) -> str:
    forge(w)
    give_away(w.shards)
    os.chmod(w.shards, 0o777)
    return f"{w.shards} is owned by another user"


def foreign_cache_folder_made_by_another(w: World) -> str:
    """Another user made the cache folder (``TUIBROWSER_CACHE_DIR`` in a shared place)."""
    folder = w.shared / "cache"
    folder.mkdir()
    give_away(folder)
    os.chmod(folder, 0o777)
    return f"{folder} is owned by another user"


def open_cache_folder(w: World) -> str:
    """A folder anyone may write into without the sticky bit (a shared project folder)."""
    folder = w.shared / "project"
    folder.mkdir()
    (folder / "readme.txt").write_text("ours, all of us\n", encoding="utf-8")
    os.chmod(folder, 0o777)
    return f"{folder} is writable by other users"


def group_writable_cache_folder(w: World) -> str:
    """A folder its group may write into, the group not the user's own."""
    folder = w.shared / "project"
    folder.mkdir()
    (folder / "readme.txt").write_text("ours, all of us\n", encoding="utf-8")
    os.chown(folder, -1, other_user()[1])
    os.chmod(folder, 0o775)
    return f"{folder} is writable by other users"


@dataclass
class Attack:
    setup: Callable[[World], str]
    cache: Callable[[World], Path] = lambda w: w.cache
    root_only: bool = False
    forged: bool = False


ATTACKS = {
    "link at the shards' folder": Attack(link_at_shards),
    "link at the index": Attack(link_at_index),
    "link at the lock": Attack(link_at_lock),
    "dangling link at the lock": Attack(dangling_link_at_lock),
    "link at a temporary name in the shards' folder": Attack(link_in_shards),
    "device node at the index": Attack(device_at_index, root_only=True),
    "pipe at the index": Attack(fifo_at_index),
    "pipe at the lock": Attack(fifo_at_lock),
    "the user's own text file as the cache": Attack(users_text_file, lambda w: w.todo),
    "the user's own folder as the shards' folder": Attack(
        users_folder_as_shards, lambda w: w.home / "x.json"
    ),
    "a file that is not the cache's in the shards' folder": Attack(foreign_file_in_shards),
    "an index another user owns": Attack(foreign_index, root_only=True, forged=True),
    "an index others can write (666)": Attack(open_index, forged=True),
    "shards another user owns": Attack(foreign_shards, root_only=True, forged=True),
    "shards others can write (666)": Attack(open_shards, forged=True),
    "a shards' folder another user owns": Attack(
        foreign_shards_folder, root_only=True, forged=True
    ),
    "a cache folder another user made": Attack(
        foreign_cache_folder_made_by_another, lambda w: w.shared / "cache" / "c.json", True
    ),
    "a cache folder anyone may write (no sticky bit)": Attack(
        open_cache_folder, lambda w: w.shared / "project" / "c.json"
    ),
    "a cache folder another group may write": Attack(
        group_writable_cache_folder, lambda w: w.shared / "project" / "c.json", True
    ),
}


@pytest.mark.parametrize("name", ATTACKS)
def test_an_attack_through_the_cache_folder_is_refused_and_touches_nothing(world, name):
    attack = ATTACKS[name]
    if attack.root_only and not ROOT:
        pytest.skip(NEEDS_ROOT)
    why = attack.setup(world)
    cache = attack.cache(world)
    before = snapshot(world.base)
    lock = cache.with_name(cache.name + ".lock")
    for command in (["export"], ["index"], ["index", "--clear"]):
        result = invoke(*command, str(world.root), "--cache", str(cache))
        assert result.exit_code == 0, result.output
        told = [line for line in result.stderr.splitlines() if "cannot use the cache" in line]
        assert len(told) == 1, result.stderr
        said = f"warning: cannot use the cache: {why}; reading the files directly"
        assert re.fullmatch(said, told[0]), told[0]  # (why may be a pattern)
        if command == ["export"]:
            data = orjson.loads(result.stdout)
            assert [m["date"] for m in data["meetings"]] == ["2021-03-04", "2020-01-01"]
            assert REAL in result.stdout and FORGED not in result.stdout
        after = snapshot(world.base)
        assert {p: after.get(p) for p in before} == before  # nothing was changed
        assert set(after) - set(before) <= {str(lock)}  # nothing was made, but the lock
    assert not (world.home / "made-by-the-link").exists()


def test_each_refusal_names_the_path_for_the_library_too(world):
    why = open_index(world)
    lib, report = Cache(world.root, world.cache).refresh()
    assert report.unused == f"cannot use the cache: {why}" and report.rebuilt is None
    assert FORGED not in orjson.dumps([m.to_dict() for m in lib.meetings]).decode()
    # Nor does reading the cache alone (the browser's first frame) trust it.
    cache = Cache(world.root, world.cache)
    assert cache.head() is None and cache.rows() is None and cache.load() is None


# -- what is left alone while the cache is used ----------------------------------------------


def test_a_link_at_the_next_temporary_name_is_not_followed(world, monkeypatch):
    """Temporary names are random; here the first tried is the one planted, as a link to the
    user's file: the write goes to a fresh name, the link and its target stay as they were."""
    planted = world.shared / ".c.json.planted0.tmp"
    os.symlink(world.todo, planted)
    aged(planted)
    names = iter(["planted0", *(f"fresh{n:03d}" for n in range(1000))])
    monkeypatch.setattr(fs, "_temp_names", lambda: names)
    before = snapshot(world.base)
    lib, report = Cache(world.root, world.cache).refresh()
    assert report.written and report.rebuilt is None
    assert len(lib.meetings) == 2
    after = snapshot(world.base)
    assert after[str(planted)] == before[str(planted)]
    assert after[str(world.todo)] == before[str(world.todo)]


@pytest.mark.skipif(not ROOT, reason=NEEDS_ROOT)
def test_another_users_stale_temporary_file_is_not_deleted(world):
    Cache(world.root, world.cache).refresh()
    theirs = world.shared / ".c.json.abcd1234.tmp"
    mine = world.shared / ".c.json.efgh5678.tmp"
    for f in (theirs, mine):
        f.write_bytes(b"{")
        aged(f)
    give_away(theirs)
    (world.root / "2020-01-01-board.md").write_text(meeting("Changed"), encoding="utf-8")
    _, report = Cache(world.root, world.cache).refresh()
    assert report.written
    assert theirs.exists() and not mine.exists()


def test_an_opened_cache_folder_of_its_own_is_closed_and_used(world):
    """What is all tuibrowser's and the user's is still put right, not refused: a shards'
    folder opened to 0777 by hand holding only the cache's own files."""
    Cache(world.root, world.cache).refresh()
    os.chmod(world.shards, 0o777)
    _, report = Cache(world.root, world.cache).refresh()
    assert report.rebuilt is None
    assert stat.S_IMODE(world.shards.stat().st_mode) == 0o700


def test_a_closed_cache_folder_is_not_chmodded_again(world, monkeypatch):
    """Only a folder that is open is closed: one at 0700 is left as it is, whatever its files'
    modes (the check once read the mode of the last file it listed, and chmodded every time)."""
    Cache(world.root, world.cache).refresh()
    assert stat.S_IMODE(world.shards.stat().st_mode) == 0o700
    chmods: list[Path] = []
    real = safefs.chmod_own
    monkeypatch.setattr(
        safefs, "chmod_own", lambda p, *a, **k: (chmods.append(Path(p)), real(p, *a, **k))[1]
    )
    (world.root / "2020-01-01-board.md").write_text(meeting("Changed again"), encoding="utf-8")
    _, report = Cache(world.root, world.cache).refresh()
    assert report.written
    assert world.shards not in chmods


def test_a_file_gone_between_the_listing_and_its_check_is_no_refusal(world, monkeypatch):
    """A reader keeping a merged view moves its temporary file into place while a refresh
    lists the shards' folder: the name listed is gone when it is checked. That is no reason to
    give up the cache ("cannot use the cache (No such file or directory)")."""
    from tuibrowser.store import own

    Cache(world.root, world.cache).refresh()
    real = os.scandir

    class Gone:
        name = ".views-0123abcd.json.a1b2c3d4.tmp"
        path = "gone"

        def stat(self, follow_symlinks: bool = True) -> os.stat_result:
            raise FileNotFoundError(2, "No such file or directory")

    class Listing:
        def __init__(self, path):
            self.inner = real(path)

        def __enter__(self):
            return [*self.inner, Gone()]

        def __exit__(self, *exc):
            self.inner.close()

    monkeypatch.setattr(own.os, "scandir", Listing)
    assert own.OWN_NAME.fullmatch(Gone.name)
    own.check_shard_dir(world.shards)  # no refusal, no error


def _damage_own_cache(world: World) -> Path:
    Cache(world.root, world.cache).refresh()
    world.cache.write_bytes(world.cache.read_bytes()[:30])  # ours, cut short
    return world.cache


# A cache refused for safety is not rebuilt: the files are read directly; only a damaged cache
# of tuibrowser's own is set aside and built again. (what is at --cache, what is said)
WORDINGS = {
    "refused": (
        lambda w: w.todo,
        lambda w: (
            f"cannot use the cache: {w.todo} is not a tuibrowser cache; reading the files directly"
        ),
    ),
    "rebuilt": (
        _damage_own_cache,
        lambda w: "cache is corrupt or truncated; rebuilt it from the files",
    ),
}


@pytest.mark.parametrize("case", WORDINGS)
def test_the_command_line_says_whether_the_cache_was_rebuilt_or_not_used(world, case):
    where, said = WORDINGS[case]
    result = invoke("export", str(world.root), "--cache", str(where(world)))
    assert result.exit_code == 0, result.output
    told = [line for line in result.stderr.splitlines() if "cache" in line]
    assert told == [f"warning: {said(world)}"]
    assert REAL in result.stdout


@pytest.mark.parametrize("case", WORDINGS)
async def test_the_browser_says_whether_the_cache_was_rebuilt_or_not_used(world, make_app, case):
    from tuihelp import ready

    where, said = WORDINGS[case]
    app = make_app(world.root, cache_path=where(world))
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(app, pilot)
        told = [n.message for n in app._notifications if "cache" in n.message]
        assert len(app.library.meetings) == 2
    assert told == [f"Cache: {said(world)}."]


def test_a_damaged_index_of_its_own_is_set_aside_but_a_stranger_is_not(world):
    Cache(world.root, world.cache).refresh()
    world.cache.write_bytes(world.cache.read_bytes()[:30])  # ours, cut short
    _, report = Cache(world.root, world.cache).refresh()
    assert report.rebuilt == "cache is corrupt or truncated"
    assert list(world.shared.glob("c.json.bad-*"))
    # The same damage to a file that does not start as an index: refused, left as it is.
    world.cache.write_bytes(b"\x00\xff not json")
    _, report = Cache(world.root, world.cache).refresh()
    assert report.unused == f"cannot use the cache: {world.cache} is not a tuibrowser cache"
    assert world.cache.read_bytes() == b"\x00\xff not json"
    assert len(list(world.shared.glob("c.json.bad-*"))) == 1


# -- a full disk ------------------------------------------------------------------------------


def parts_named(index: Path) -> set[str]:
    if not index.exists():
        return set()
    meta = orjson.loads(index.read_bytes())["meta"]["1"]
    named = {meta["catalog"], *(meta[k] for k in ("seen", "halves") if meta.get(k))}
    return named | {p for name in meta["shards"].values() for p in layout.part_names(name)}


def damage_an_entry(w: World) -> None:
    """An entry of a shape this version cannot read, which looks unchanged: the refresh sets
    the cache aside and builds it again. (The catalog's seen part is deleted: without it the
    refresh compares the catalog's entries, and finds them so.)"""
    paths = Cache(w.root, w.cache).paths()
    catalog = paths[1]
    data = orjson.loads(part_bytes(catalog))
    for e in data["files"].values():
        e.update(problems=["not a problem"], indexed_ns=9 * 10**18)
    catalog.write_bytes(orjson.dumps(data))
    for part in paths:
        if part.suffix == ".seen":
            part.unlink()


@pytest.mark.parametrize("when", ["first index", "refresh", "rebuild"])
# of 20 writes: 2 shards × 9, the catalog, the index
@pytest.mark.parametrize("fail_at", [1, 3, 7, 8, 13, 14, 19, 20])
def test_a_full_disk_leaves_no_orphan_shards(world, monkeypatch, when, fail_at):
    """Every write after the ``fail_at``-th raises ENOSPC: what that refresh wrote is deleted at
    once (not a minute later), the index and parts of the last good refresh are kept (none
    when the cache was being built, or rebuilt after it was set aside), and the command goes
    on from the files."""
    if when != "first index":
        Cache(world.root, world.cache).refresh()
    if when == "refresh":
        for f in world.root.iterdir():
            f.write_text(f.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    elif when == "rebuild":
        damage_an_entry(world)
    kept = parts_named(world.cache) if when == "refresh" else set()
    before = world.cache.read_bytes() if when == "refresh" else None
    real, real_new = fs.atomic_write, fs.write_new
    calls = 0

    def filling(path) -> None:
        nonlocal calls
        calls += 1
        if calls >= fail_at:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    def full_disk(path, payload, sync=True):
        filling(path)
        real(path, payload, sync)

    def full_disk_new(path, payload):  # a shard's parts, written under their new names
        filling(path)
        real_new(path, payload)

    monkeypatch.setattr(fs, "atomic_write", full_disk)
    monkeypatch.setattr(fs, "write_new", full_disk_new)
    lib, report = Cache(world.root, world.cache).refresh()
    assert calls >= fail_at  # the disk did fill during the refresh
    assert report.unused == f"cannot use the cache ({os.strerror(errno.ENOSPC)})"
    assert len(lib.meetings) == 2
    left = set(os.listdir(world.shards)) if world.shards.exists() else set()
    assert left == kept
    assert (world.cache.read_bytes() if world.cache.exists() else None) == before
    assert not [p for p in world.shared.iterdir() if p.name.endswith(".tmp")]
    assert bool(list(world.shared.glob("c.json.bad-*"))) == (when == "rebuild")


# -- the rules themselves ----------------------------------------------------------------------


def test_a_sticky_folder_of_roots_is_a_safe_place_and_an_open_one_is_not(tmp_path):
    sticky = tmp_path / "sticky"
    sticky.mkdir()
    os.chmod(sticky, 0o1777)
    safefs.check_chain(sticky)
    os.chmod(sticky, 0o777)
    with pytest.raises(safefs.Refused, match="is writable by other users"):
        safefs.check_chain(sticky / "below" / "not yet made")


def test_a_link_in_the_chain_is_checked_where_it_leads(tmp_path):
    open_place = tmp_path / "open"
    open_place.mkdir()
    os.chmod(open_place, 0o777)
    link = tmp_path / "link"
    os.symlink(open_place, link)
    with pytest.raises(safefs.Refused, match=re.escape(f"{open_place} is writable")):
        safefs.check_chain(link)


# -- as an unprivileged user -------------------------------------------------------------------


@pytest.mark.skipif(not ROOT, reason="needs root to act as the other user who plants the files")
@pytest.mark.parametrize("attack", ["link at the shards' folder", "a cache another user made"])
def test_an_unprivileged_user_is_not_harmed_by_what_another_planted(shared, attack):  # noqa: F811
    """The user (``nobody``) keeps a cache in a sticky shared folder; root, as the other user,
    planted something under its names there. The checks run with the user's own uid."""
    uid, gid = unprivileged()
    tmp = shared / "tmp"
    tmp.mkdir()
    os.chmod(tmp, 0o1777)
    cache = tmp / "c.json"
    notes = shared / "home" / "notes"
    notes.mkdir()
    (notes / "old.txt").write_text("keep me\n", encoding="utf-8")
    for p in (notes, notes / "old.txt"):
        os.chown(p, uid, gid)
    os.chmod(notes, 0o755)
    aged(notes / "old.txt")
    good = shared / "meetings" / "good.md"
    if attack == "link at the shards' folder":
        os.symlink(notes, tmp / "c.json.d")
        why = f"{tmp / 'c.json.d'} is a symbolic link"
    else:
        real, st = good.read_bytes(), good.stat()
        good.write_bytes(real.replace(b"Hello.", b"Fake!."))
        Cache(shared / "meetings", cache).refresh()
        good.write_bytes(real)
        os.utime(good, ns=(st.st_atime_ns, st.st_mtime_ns))
        for p in [cache, *(tmp / "c.json.d").iterdir()]:
            os.chmod(p, 0o644)  # readable by the user: only its owner tells it is not theirs
        os.chmod(tmp / "c.json.d", 0o755)
        why = f"{cache} is owned by another user"
    before = snapshot(shared)
    env = {"TUIBROWSER_CACHE_DIR": str(shared / "home" / "cache")}
    code, out, err = as_user(
        cli_as_user, ["export", str(shared / "meetings"), "--cache", str(cache)], env
    )
    assert code == 0, err
    assert f"warning: cannot use the cache: {why}; reading the files directly" in err
    assert "Hello." in out and "Fake!" not in out
    after = snapshot(shared)
    assert {p: after.get(p) for p in before} == before
    assert set(after) - set(before) <= {str(tmp / "c.json.lock")}


# -- a script reading the cache through TinyDB ------------------------------------------------

SCRIPT_CASES = ["a link to a database", "a database others can write", "a database of another"]


def untrusted(path: Path, case: str) -> Path:
    """The database ``path`` made one a reader must not trust: the path to read."""
    if case == "a link to a database":
        path.with_name("link.json").symlink_to(path)
        return path.with_name("link.json")
    if case == "a database others can write":
        path.chmod(0o666)
    else:
        give_away(path)
    return path


@pytest.mark.parametrize("case", SCRIPT_CASES)
def test_the_cache_storage_reads_no_link_and_no_file_it_cannot_trust(tmp_path, case):
    """What the README gives scripts to read the cache with follows no link and reads no file
    another user owns or can write, as the cache's own reads do."""
    from tinydb import TinyDB

    from tuibrowser.store.db import OrjsonStorage, write_tables

    if case == "a database of another" and not ROOT:
        pytest.skip(NEEDS_ROOT)
    path = tmp_path / "db.json"
    write_tables(path, {"documents": [{"path": "a.md", "document": {"date": "2018-05-24"}}]})
    with TinyDB(path, storage=OrjsonStorage) as db:  # the database as written: read
        assert [d["path"] for d in db.table("documents").all()] == ["a.md"]
    target = untrusted(path, case)
    with pytest.raises(safefs.Refused), TinyDB(target, storage=OrjsonStorage) as db:
        db.table("documents").all()


def test_a_name_of_two_of_the_caches_names_is_refused_by_its_whole_name(tmp_path):
    """The shards' folder's names are matched together, a newline after each: a name that
    holds a newline between two of the cache's own names is still a stranger, told whole."""
    from tuibrowser.store.own import check_shard_dir

    folder = tmp_path / "c.json.d"
    folder.mkdir(mode=0o700)
    (folder / "2021-03-1-0123abcd.json").write_bytes(b"{}")
    odd = folder / "2021-03-1-0123abcd.rows\n2021-03-1-0123abcd.idx"
    odd.write_bytes(b"")
    with pytest.raises(safefs.Refused) as refused:
        check_shard_dir(folder)
    assert refused.value.path == str(odd)
    assert refused.value.why == "is not a file of tuibrowser's cache"
    odd.unlink()
    check_shard_dir(folder)  # (the cache's own names alone pass)
