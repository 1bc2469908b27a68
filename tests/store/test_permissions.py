"""Files and caches on a shared server: what one user may not read stays out of sight.

Permission checks mean nothing to root, and CI runs as root: each case runs in a forked child
that drops to the unprivileged user ``nobody`` (uid 65534 when there is no such entry) before
doing anything. The child has tuibrowser (and the lazily loaded codecs) already imported, so it
needs to read neither the project nor the Python installation; the meetings and caches live in
a temporary folder it may enter.
"""

from __future__ import annotations

import encodings.utf_8_sig  # noqa: F401 - the child may not be able to read the standard library
import os
import stat
import sys
import time
from pathlib import Path

import orjson
import pytest
from cachefiles import cache_bytes
from privileges import HIDDEN, ROOT, SECRET, as_user, cli_as_user, forbid, unprivileged

import tuibrowser.export
import tuibrowser.library
import tuibrowser.records  # noqa: F401 - imported before dropping privileges
import tuibrowser.store.indexer  # noqa: F401 - imported before dropping privileges
from tuibrowser.store import Cache, cache_file_for

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="POSIX permissions and users do not exist on Windows"
)


def test_the_child_really_cannot_read_a_forbidden_file(shared):
    secret = shared / "meetings" / "secret.md"
    secret.write_text(HIDDEN, encoding="utf-8")
    forbid(secret)

    def attempt(path: str) -> str:
        try:
            Path(path).read_text()
        except PermissionError:
            return "denied"
        return "read"

    assert as_user(attempt, str(secret)) == "denied"
    assert as_user(attempt, str(shared / "meetings" / "good.md")) == "read"


def test_unreadable_file_is_restricted_not_an_error(shared):
    root = shared / "meetings"
    secret = root / "secret.md"
    secret.write_text(HIDDEN, encoding="utf-8")
    forbid(secret)
    env = {"TUIBROWSER_CACHE_DIR": str(shared / "home" / "cache"), "HOME": str(shared / "home")}

    code, out, _ = as_user(cli_as_user, ["check", str(root)], env)
    assert code == 0, out  # someone else's file is not an error in the records
    assert "secret.md: restricted: you do not have permission to read this file" in out
    assert out.splitlines()[-1] == "2 files, 1 meetings: 0 errors, 0 warnings, 1 restricted"

    code, out, err = as_user(cli_as_user, ["export", str(root)], env)
    assert code == 0
    data = orjson.loads(out)
    assert [m["date"] for m in data["meetings"]] == ["2021-01-01"]
    assert [(p["path"], p["severity"]) for p in data["problems"]] == [("secret.md", "restricted")]
    assert "left out secret.md: restricted" in err
    assert SECRET not in out

    def library_counts(path: str, cache: str):
        lib, report = Cache(Path(path), Path(cache)).refresh()
        return (
            lib.skipped,
            len(lib.restricted),
            len(lib.errors),
            [str(p) for p in report.restricted],
        )

    skipped, restricted, errors, reported = as_user(
        library_counts, str(root), str(shared / "home" / "c.json")
    )
    assert (skipped, restricted, errors) == (0, 1, 0)
    assert reported == ["secret.md: restricted: you do not have permission to read this file"]
    assert SECRET.encode() not in cache_bytes(shared / "home" / "c.json")


def test_unreadable_folder_is_restricted(shared):
    root = shared / "meetings"
    sub = root / "private"
    sub.mkdir()
    (sub / "secret.md").write_text(HIDDEN, encoding="utf-8")
    forbid(sub)
    env = {"TUIBROWSER_CACHE_DIR": str(shared / "home" / "cache")}
    code, out, _ = as_user(cli_as_user, ["check", str(root)], env)
    assert code == 0, out
    assert "private: restricted: you do not have permission to read this folder" in out
    code, out, _ = as_user(cli_as_user, ["export", str(root)], env)
    assert SECRET not in out


def test_cache_folder_and_files_are_private_whatever_the_umask(shared):
    root = shared / "meetings"
    cache_dir = shared / "home" / "cache"

    def refresh(path: str, where: str) -> list[str]:
        os.environ["TUIBROWSER_CACHE_DIR"] = where
        lib, _ = Cache(Path(path)).refresh()
        return [m.id for m in lib.meetings]

    assert as_user(refresh, str(root), str(cache_dir)) == ["2021-01-01-open-board"]
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    files = list(cache_dir.rglob("*"))
    assert cache_file_for(root, cache_dir) in files
    assert any(f.is_dir() for f in files)  # the shards' folder
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == (0o700 if f.is_dir() else 0o600), f.name
        assert f.stat().st_uid == unprivileged()[0]

    # A cache folder made too open by hand is closed again on the next refresh.
    os.chmod(cache_dir, 0o777)
    as_user(refresh, str(root), str(cache_dir))
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700


@pytest.mark.skipif(not ROOT, reason="needs root to act as a second user on this machine")
def test_another_user_cannot_read_my_cache(shared):
    root = shared / "meetings"
    (root / "secret.md").write_text(HIDDEN, encoding="utf-8")
    os.chmod(root / "secret.md", 0o600)  # root's own file
    mine = shared / "root-cache"
    cache = Cache(root, cache_file_for(root, mine))
    lib, _ = cache.refresh()
    assert any(m.date == "2021-02-02" for m in lib.meetings)
    assert SECRET.encode() in cache_bytes(cache.path)

    def peek(cache_path: str, folder: str) -> list[str]:
        out = []
        for attempt in (lambda: Path(cache_path).read_bytes(), lambda: os.listdir(folder)):
            try:
                attempt()
                out.append("read")
            except PermissionError:
                out.append("denied")
        return out

    assert as_user(peek, str(cache.path), str(mine)) == ["denied", "denied"]

    # Pointed at someone else's cache folder, the command still works, from the files.
    env = {"TUIBROWSER_CACHE_DIR": str(mine)}
    code, out, err = as_user(cli_as_user, ["export", str(root)], env)
    assert code == 0, err
    assert "cannot use the cache" in err
    assert [m["date"] for m in orjson.loads(out)["meetings"]] == ["2021-01-01"]


def test_revoked_access_removes_the_file_from_the_cache(shared):
    root = shared / "meetings"
    secret = root / "secret.md"
    secret.write_text(HIDDEN, encoding="utf-8")
    uid, gid = unprivileged()
    os.chown(secret, uid, gid)
    os.chmod(secret, 0o600)
    an_hour_ago = time.time() - 3600
    os.utime(secret, (an_hour_ago, an_hour_ago))  # old enough for the cache to trust its mtime
    cache_path = shared / "home" / "c.json"

    def refresh(path: str, cache: str) -> tuple[list[str], int]:
        lib, _ = Cache(Path(path), Path(cache)).refresh()
        return [m.date for m in lib.meetings], len(lib.restricted)

    assert as_user(refresh, str(root), str(cache_path)) == (["2021-02-02", "2021-01-01"], 0)
    assert SECRET.encode() in cache_bytes(cache_path)
    forbid(secret)  # size and mtime unchanged: only the permission tells
    assert as_user(refresh, str(root), str(cache_path)) == (["2021-01-01"], 1)
    assert SECRET.encode() not in cache_bytes(cache_path)
    # Access given back: the file is read again.
    os.chown(secret, uid, gid)
    os.chmod(secret, 0o600)
    assert as_user(refresh, str(root), str(cache_path)) == (["2021-02-02", "2021-01-01"], 0)


def test_every_hostile_file_and_an_unreadable_one_as_an_unprivileged_user(shared):
    from hostilefiles import every_case

    root = shared / "all"
    root.mkdir()
    errors, warnings = every_case(root)
    secret = root / "secret.md"
    secret.write_text(HIDDEN, encoding="utf-8")
    forbid(secret)
    env = {"TUIBROWSER_CACHE_DIR": str(shared / "home" / "cache")}

    code, out, _ = as_user(cli_as_user, ["check", str(root)], env)
    assert code == 1
    lines = out.splitlines()
    assert "secret.md: restricted: you do not have permission to read this file" in lines
    assert lines[-1].endswith(f"1 restricted; {len(errors)} files skipped")
    assert "\x1b" not in out

    def counts(path: str, cache_dir: str) -> tuple[int, int, int, bool]:
        os.environ["TUIBROWSER_CACHE_DIR"] = cache_dir
        lib, report = Cache(Path(path)).refresh()
        return len(lib.meetings), lib.skipped, len(lib.restricted), report.written

    assert as_user(counts, str(root), env["TUIBROWSER_CACHE_DIR"]) == (5, len(errors), 1, True)
    assert SECRET.encode() not in cache_bytes(cache_file_for(root, shared / "home" / "cache"))
