"""A throwaway PostgreSQL cluster for the store tests: ``initdb`` in a temporary folder, the
server listening only on a Unix socket in that folder (no TCP), started with ``pg_ctl`` and
stopped and removed at the end.

PostgreSQL refuses to run as root, and CI runs the tests as root: then the folder is given to
the unprivileged user of :mod:`privileges` (``nobody``) and the server runs as that user
(``runuser``). The socket's folder is that user's alone (mode 0700), and the cluster trusts
whoever reaches it: only its owner and root can.

Without the server binaries the fixtures skip with the reason; with
``TUIBROWSER_REQUIRE_POSTGRES=1`` (CI) they fail instead.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

from privileges import ROOT, unprivileged

SUPERUSER = "postgres"
MISSING = "PostgreSQL server binaries not found: install postgresql to run the store tests"
REQUIRED = "TUIBROWSER_REQUIRE_POSTGRES"


def find_bindir() -> Path | None:
    """The folder of ``initdb``, ``pg_ctl`` and ``postgres``, or None when they are absent."""
    candidates: list[str] = []
    try:
        out = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, timeout=10, check=False
        )
        candidates.append(out.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).resolve().parent))
    for c in candidates:
        if c and all((Path(c) / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return Path(c)
    return None


class Cluster:
    """One PostgreSQL cluster in a temporary folder; :meth:`start`, then :meth:`url`, then
    :meth:`stop` (which removes the folder)."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.base = Path(tempfile.mkdtemp(prefix="tuibrowser-pg-"))
        self.data = self.base / "data"
        self.socket = self.base  # the socket lives beside the data, in the private folder
        self.log = self.base / "server.log"
        if ROOT:
            uid, gid = unprivileged()
            os.chown(self.base, uid, gid)
        os.chmod(self.base, 0o700)

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if ROOT:
            uid, _ = unprivileged()
            cmd = ["runuser", "-u", _user_name(uid), "--", *cmd]
        return subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, check=False, cwd=self.base
        )

    def start(self) -> None:
        done = self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )
        if done.returncode:
            raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.socket}'"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c max_connections=60"
        )
        done = self._run(
            "pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.log),
            "-o", options,
        )  # fmt: skip
        if done.returncode:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"pg_ctl start failed:\n{done.stdout}\n{done.stderr}\n{log}")

    def url(self, dbname: str = "postgres", user: str = SUPERUSER) -> str:
        """A libpq URL reaching the cluster through its socket."""
        return f"postgresql:///{quote(dbname)}?host={quote(str(self.socket))}&user={quote(user)}"

    def create_database(self, name: str) -> str:
        """A new empty database ``name``; its URL (as the superuser)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def stop(self) -> None:
        try:
            if self.data.exists():
                self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data), timeout=60)
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


def _user_name(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def required() -> bool:
    """Whether the store tests must run (CI) rather than skip."""
    return os.environ.get(REQUIRED) == "1"


def need_bindir() -> Path:
    """The server binaries' folder; without them the test is skipped with the reason, or
    fails when they are required (CI)."""
    import pytest

    bindir = find_bindir()
    if bindir is None:
        if required():
            pytest.fail(f"{MISSING} ({REQUIRED}=1)")
        pytest.skip(MISSING)
    return bindir
