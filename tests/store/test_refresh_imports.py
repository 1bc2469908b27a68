"""A one-file refresh imports what writing one half month again needs, and no more: not PyYAML
(the quick reader reads the common shapes), not every KPI module, not the pool's processes.
Each import is part of the refresh's time as a whole process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tuibrowser.store import Cache
from tuibrowser.store.indexer import RACY_NS

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"

# what a one-file refresh has no need of: PyYAML and the handler made of it, the KPI modules
# the dashboard's glance does not use, decimal (through fractions), the pool's processes,
# and tempfile with what it imports (random, shutil: a write makes its temporary file itself);
# what only the public mode withholds with (public, repeats), the grouping of the Topics, and
# the file of the people (merged by the first query after a refresh, not by the refresh);
# numpy, which the cold index's workers make word lists with (tuibrowser.search.wordsvec);
# inspect, which dataclasses imports and only `@dataclass` uses (tuibrowser.lateinspect);
# OpenSSL (hashlib): the little a refresh hashes is hashed by the interpreter's own SHA-256
# (tuibrowser.digest); platform, which uuid asks the system's name of (tuibrowser.lateinspect).
# TinyDB is needed: the cache's parts are opened through it, as the design says.
UNNEEDED = (
    "inspect",
    "ast",
    "hashlib",
    "_hashlib",
    "platform",
    "tuibrowser.public",
    "tuibrowser.repeats",
    "tuibrowser.topics",
    "tuibrowser.search.peoplefile",
    "tempfile",
    "random",
    "shutil",
    "yaml",
    "frontmatter",
    "tuibrowser.yamlload",
    "tuibrowser.kpi.trends",
    "tuibrowser.kpi.tables",
    "fractions",
    "decimal",
    "concurrent.futures.process",
    "multiprocessing.forkserver",
    "numpy",
    "tuibrowser.search.wordsvec",
)

REFRESH = (
    "import json, sys\n"
    "from tuibrowser.cli import main\n"
    "try:\n"
    "    main(['index', sys.argv[1], '--cache', sys.argv[2]])\n"
    "except SystemExit as stop:\n"
    "    code = stop.code\n"
    "print(json.dumps([code, [m for m in sys.argv[3:] if m in sys.modules]]))\n"
)


def refresh_after_editing(
    tmp_path: Path, name: str, edit: Callable[[str], str], unneeded: tuple[str, ...] = UNNEEDED
) -> tuple[int, list[str], str]:
    """Index a copy of the bundled meetings, ``edit`` the text of ``name``, and refresh in a
    new process: its status, which of ``unneeded`` it imported, and what it printed."""
    root = tmp_path / "meetings"
    shutil.copytree(MEETINGS, root)
    cache = tmp_path / "cache"
    Cache(root, cache).update()
    path = root / name
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return refresh_in_new_process(root, cache, unneeded)


def refresh_in_new_process(
    root: Path, cache: Path, unneeded: tuple[str, ...]
) -> tuple[int, list[str], str]:
    """``tuibrowser index`` of ``root`` in a new process: its status, which of ``unneeded``
    it imported, and what it printed."""
    out = subprocess.run(
        [sys.executable, "-c", REFRESH, str(root), str(cache), *unneeded],
        capture_output=True,
        text=True,
        check=True,
    )
    status, imported = json.loads(out.stdout.strip().splitlines()[-1])
    return status, imported, out.stdout


def add_a_line(text: str) -> str:
    return text + "\nA line added to the body.\n"


@pytest.mark.parametrize(
    "name",
    [
        "2016-01-19-improvement-innovation-board-minutes.md",
        "2018-05-24-improvement-innovation-board-kpis.md",
        "2017-11-01-improvement-innovation-board-attendance.md",
    ],
)
def test_a_one_file_refresh_imports_only_what_it_needs(tmp_path, name):
    status, imported, printed = refresh_after_editing(tmp_path, name, add_a_line)
    assert status == 0, printed
    assert f"read      {name}" in printed  # the file was read, its half month written again
    assert imported == []


def test_an_edit_that_leaves_a_meetings_kpis_as_they_were_imports_no_kpi_module(tmp_path):
    """The dashboard's rows of a meeting whose KPIs and summaries are as they were are taken
    from the old shard: editing its words imports none of the KPI modules."""
    name = "2018-05-24-improvement-innovation-board-kpis.md"
    kpi = ("tuibrowser.kpi.glance", "tuibrowser.kpi.checks", "tuibrowser.kpi.rows")
    status, imported, printed = refresh_after_editing(tmp_path, name, add_a_line, (*UNNEEDED, *kpi))
    assert status == 0, printed
    assert f"read      {name}" in printed
    assert imported == []


def test_a_frontmatter_the_quick_reader_leaves_imports_the_loader(tmp_path):
    """A frontmatter of another shape (here an anchor and its alias) is read by PyYAML,
    imported then."""
    name = "2016-01-19-improvement-innovation-board-minutes.md"

    def anchored(text: str) -> str:
        return text.replace("\nkind: minutes\n", "\nkind: &kind minutes\nother: *kind\n", 1)

    status, imported, printed = refresh_after_editing(tmp_path, name, anchored)
    assert status == 0, printed
    assert f"read      {name}" in printed
    assert {"yaml", "tuibrowser.yamlload"} <= set(imported)
    assert "concurrent.futures.process" not in imported


# what a refresh that finds nothing changed has no need of beside those: it writes no part
# (TinyDB, through the store's databases), nor hashes anything
UNCHANGED_UNNEEDED = (*UNNEEDED, "tinydb", "tuibrowser.store.db", "tuibrowser.digest")


def test_a_refresh_that_finds_nothing_changed_imports_no_hash_nor_tinydb(tmp_path):
    root = tmp_path / "meetings"
    shutil.copytree(MEETINGS, root)
    cache = tmp_path / "cache"
    Cache(root, cache).update()
    time.sleep(RACY_NS / 1e9 + 0.1)  # (no file modified within the racy window of its indexing)
    Cache(root, cache).update()  # (the files found unchanged by their lines from now on)
    status, imported, printed = refresh_in_new_process(root, cache, UNCHANGED_UNNEEDED)
    assert status == 0, printed
    assert " 0 read," in printed
    assert imported == []
