"""The habits that keep the layering: the import contracts and the type check hold, so the
README's test command holds them as CI does (``.ci/run`` runs both commands too)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        if found is None:
            pytest.fail(
                f"{name} is not installed: install the test extras (pip install -e '.[test]')"
            )
        return found
    return str(path)


def test_the_import_contracts_are_kept():
    """The core never imports the browser, Textual or Rich; the store never imports a screen."""
    out = subprocess.run(
        [tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def test_the_package_type_checks():
    out = subprocess.run([tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
