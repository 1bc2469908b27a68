"""Shared fixtures: the bundled corpus, and private cache/state folders so no test touches the
user's own files."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest

# The support modules (tests/support) are imported by their bare names: `from tuihelp import ready`.
sys.path.insert(0, str(Path(__file__).resolve().parent / "support"))

from privileges import shared  # noqa: E402, F401 - the fixture, for every test acting as a second user

ROOT = Path(__file__).resolve().parent.parent
_DATABASES = itertools.count(1)  # a number for each test's database (tests/support/pgcluster.py)
CORPUS = ROOT / "meetings"


@pytest.fixture(autouse=True)
def private_user_dirs(tmp_path_factory, monkeypatch):
    """Point the per-user cache, state and config folders at a temporary folder for every test
    (so no test reads the user's own keymap)."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("TUIBROWSER_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("TUIBROWSER_STATE_DIR", str(base / "state"))
    monkeypatch.setenv("TUIBROWSER_CONFIG_DIR", str(base / "config"))
    return base


@pytest.fixture
def corpus() -> Path:
    """The meetings folder bundled with the repository."""
    return CORPUS


@pytest.fixture
def cache_path(tmp_path) -> Path:
    """A cache file in a temporary folder."""
    return tmp_path / "cache" / "meetings.json"


@pytest.fixture
def make_app(tmp_path):
    """The one way the tests build the browser: a ``TuiBrowserApp`` on a folder (the bundled
    corpus by default) with a temporary cache and seen-state file."""

    def make(root: Path = CORPUS, **kwargs):
        from tuibrowser.state import SeenState
        from tuibrowser.tui.app import TuiBrowserApp

        kwargs.setdefault("cache_path", tmp_path / "cache" / "meetings.json")
        kwargs.setdefault("state", SeenState(tmp_path / "state" / "seen.json"))
        return TuiBrowserApp(root, **kwargs)

    return make


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster for the whole session (tests/support/pgcluster.py);
    skipped with the reason when the server binaries are absent, failing instead under
    TUIBROWSER_REQUIRE_POSTGRES=1 (CI)."""
    from pgcluster import Cluster, need_bindir

    cluster = Cluster(need_bindir())
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_url(pg_cluster) -> str:
    """The URL (as the cluster's superuser) of a database made once for the session."""
    return pg_cluster.create_database("tuibrowser")


@pytest.fixture
def pg_db(pg_cluster, request) -> str:
    """The URL of a new empty database for one test (as the cluster's superuser)."""
    import re

    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:40]
    return pg_cluster.create_database(f"{name}_{next(_DATABASES)}")
