"""The core never imports Textual or Rich: the CLI paths that do not open the browser stay fast."""

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import tuibrowser


def core_modules() -> list[str]:
    names = ["tuibrowser"]
    for info in pkgutil.walk_packages(tuibrowser.__path__, "tuibrowser."):
        if info.name == "tuibrowser.tui" or info.name.startswith("tuibrowser.tui."):
            continue
        names.append(info.name)
    return sorted(names)


def test_the_core_is_found():
    found = core_modules()
    for name in (
        "tuibrowser.records",
        "tuibrowser.store.cache",
        "tuibrowser.search",
        "tuibrowser.kpi",
        "tuibrowser.importers",
    ):
        assert name in found


@pytest.mark.parametrize("module", core_modules())
def test_core_module_does_not_load_textual(module):
    code = f"import sys, {module}; print('textual' in sys.modules, 'rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"], f"{module} loads Textual or Rich"


def test_cli_commands_other_than_open_do_not_load_textual(tmp_path):
    code = (
        "import sys\n"
        "from tuibrowser.cli import main\n"
        "try:\n"
        f"    main(['check', {str(tmp_path)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('textual' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_python_starts_without_an_import_hook_for_the_package():
    # `pip install -e .` (the README's install) puts the project's folder on sys.path with a
    # line of a .pth file (pyproject.toml: package-dir). Without that, setuptools installs an
    # import hook, which Python imports before every command (with importlib.util: about 8 ms
    # of each whole process, a one-file refresh is about 200 ms)
    code = "import sys; print(sorted(m for m in sys.modules if 'editable' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_installed_command_forks_the_walk_before_it_imports_re(tmp_path: Path):
    # The command installed beside this interpreter (the README's install), run as a user runs
    # it: `index DIR` forks the child that walks the folder (store.prescan) before `re`,
    # `typing`, `pathlib` or `collections` is imported (the script made of an entry point
    # imports `re` first, about 7 ms; the others are 10 ms more); they are imported after,
    # beside the walk.
    command = Path(sys.executable).parent / "tuibrowser"
    assert command.is_file(), "the package is not installed in this interpreter's folder"
    folder = tmp_path / "m"
    folder.mkdir()
    out = subprocess.run(
        [sys.executable, "-X", "importtime", str(command), "index", str(folder)],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert out.returncode == 0, out.stderr
    order = [line.rsplit("|", 1)[1].strip() for line in out.stderr.splitlines() if "|" in line]
    fork = order.index("tuibrowser.store.prescan")
    assert not {"re", "typing", "pathlib", "collections"} & set(order[:fork])
    assert {"re", "pathlib", "collections"} <= set(order[fork:])  # (imported, after the fork)
