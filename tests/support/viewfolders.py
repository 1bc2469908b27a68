"""Folders for the tests of what the screens show first (the cache's .views parts): the
bundled meetings or a generated corpus (bench/generate.py), and a cache indexed from one."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

from tuibrowser.store.cache import Cache

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"
BENCH = Path(__file__).resolve().parents[2] / "bench"
KINDS = ["meetings", "generated"]


def generate(out: Path, meetings: int) -> None:
    """``meetings`` meetings as bench/generate.py writes them (seed 3) in ``out``."""
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.generate(meetings, out, seed=3)


def folder_of(kind: str, tmp_path: Path) -> Path:
    """A folder of ``kind`` (one of :data:`KINDS`): a copy of the bundled meetings, or 120
    generated ones."""
    root = tmp_path / "m"
    if kind == "meetings":
        shutil.copytree(MEETINGS, root)
    else:
        generate(root, 120)
    return root


def indexed(root: Path, tmp_path: Path, public: bool) -> Cache:
    """A cache of ``root`` (public or not), indexed once."""
    cache = Cache(root, tmp_path / "cache" / "meetings.json", public=public)
    cache.update()
    return cache
