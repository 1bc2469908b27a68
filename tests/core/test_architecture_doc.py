"""docs/architecture.md and the README name the package as it is, so they cannot drift again.

- every module path a doc names in backticks (`store/loading.py`, `tui/host.py`, `bench/run.py`)
  exists, under the package or the repository;
- every module of the package (outside ``importers/``) is named in the architecture's table,
  with "yes" in its Textual column exactly when it is part of the browser (``tui/``);
- every dotted name a doc gives (`tuibrowser.store.db.OrjsonStorage`) can be imported;
- the seams quoted as code (``MeetingStore``, ``BrowserApp``, ``Updates``) have the attributes
  and signatures of the modules they are quoted from.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "tuibrowser"
ARCHITECTURE = REPO / "docs" / "architecture.md"
README = REPO / "README.md"

FENCE = re.compile(r"^```[a-z]*\n(.*?)^```", re.M | re.S)
INLINE = re.compile(r"`([^`\n]+)`")
# a path of a module or folder: words joined by slashes, ending in .py or /
MODULE_PATH = re.compile(r"^(?:[A-Za-z_][\w.-]*/)*(?:[A-Za-z_]\w*\.py|[A-Za-z_][\w-]*/)$")
DOTTED = re.compile(r"^tuibrowser(?:\.[A-Za-z_]\w*)+$")


def inline_names(text: str) -> list[str]:
    """What the prose puts in backticks (fenced code left out)."""
    return INLINE.findall(FENCE.sub("", text))


def package_modules() -> list[str]:
    """Every module of the package outside importers/, as the doc names it: a path under
    tuibrowser/, a package by its folder (``store/``) for its ``__init__.py``."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "importers" or rel == Path("__init__.py"):
            continue
        names.append(f"{rel.parent.as_posix()}/" if rel.name == "__init__.py" else rel.as_posix())
    return names


def table_rows() -> dict[str, str]:
    """The architecture's table of modules: each module named in a row's first cell → the
    row's Textual column."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text.split("\n## The modules\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) != 3:
            continue
        for name in INLINE.findall(cells[0]):
            rows[name] = cells[2]
    return rows


def exists(name: str) -> bool:
    return any((base / name).exists() for base in (PACKAGE, REPO))


@pytest.mark.parametrize("doc", [ARCHITECTURE, README], ids=lambda p: p.name)
def test_every_module_path_a_doc_names_exists(doc):
    text = doc.read_text(encoding="utf-8")
    paths = [n for n in inline_names(text) if MODULE_PATH.match(n)]
    if doc == README:  # the README's folders are the user's (`meetings/`, `documents/`)
        paths = [p for p in paths if p.endswith(".py")]
    missing = [p for p in paths if not exists(p)]
    assert not missing, f"{doc.name} names modules that do not exist: {missing}"


def test_the_architecture_names_module_paths():
    # the check above must see the doc's paths: a doc that named none would pass it blindly
    names = inline_names(ARCHITECTURE.read_text(encoding="utf-8"))
    assert {"store/loading.py", "tui/host.py", "store/protocol.py"} <= set(names)


def test_every_module_is_in_the_table_of_modules():
    rows = table_rows()
    missing = [m for m in package_modules() if m not in rows]
    assert not missing, f"docs/architecture.md's table of modules lacks {missing}"


def test_the_table_says_which_modules_import_textual():
    wrong = {
        name: said
        for name, said in table_rows().items()
        if MODULE_PATH.match(name) and said != ("yes" if name.startswith("tui/") else "no")
    }
    assert not wrong, f"only tui/ imports Textual; the table says otherwise for {wrong}"


@pytest.mark.parametrize("doc", [ARCHITECTURE, README], ids=lambda p: p.name)
def test_every_dotted_name_a_doc_gives_can_be_imported(doc):
    text = doc.read_text(encoding="utf-8")
    for name in (n for n in inline_names(text) if DOTTED.match(n)):
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
            except ModuleNotFoundError:
                continue
            for attr in parts[cut:]:
                assert hasattr(obj, attr), f"{doc.name} names {name}, which does not exist"
                obj = getattr(obj, attr)
            break


def quoted_blocks() -> list[tuple[str, ast.Module]]:
    """The python blocks of the architecture that say which module they are quoted from."""
    blocks = []
    for code in FENCE.findall(ARCHITECTURE.read_text(encoding="utf-8")):
        first = code.splitlines()[0] if code else ""
        if first.startswith("# tuibrowser/") and first.endswith(".py"):
            blocks.append((first[2:], ast.parse(code)))
    return blocks


def shape(node: ast.AST) -> dict[str, str]:
    """What the doc must agree on: each annotated attribute's type, each function's arguments
    and return type (bodies, docstrings and decorators aside)."""
    found: dict[str, str] = {}
    for child in getattr(node, "body", []):
        if isinstance(child, ast.AnnAssign) and isinstance(child.target, ast.Name):
            found[child.target.id] = ast.unparse(child.annotation)
        elif isinstance(child, ast.FunctionDef):
            returns = ast.unparse(child.returns) if child.returns else ""
            found[f"{child.name}()"] = f"({ast.unparse(child.args)}) -> {returns}"
            for stmt in ast.walk(child):  # self.x: T = … in __init__
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Attribute):
                    found[f"self.{stmt.target.attr}"] = ast.unparse(stmt.annotation)
    return found


def test_the_seams_are_quoted_from_their_modules():
    blocks = quoted_blocks()
    assert {path for path, _ in blocks} >= {
        "tuibrowser/store/protocol.py",
        "tuibrowser/tui/host.py",
    }
    for path, quoted in blocks:
        real = ast.parse((REPO / path).read_text(encoding="utf-8"))
        defs = {n.name: n for n in real.body if isinstance(n, ast.ClassDef | ast.FunctionDef)}
        for node in quoted.body:
            assert isinstance(node, ast.ClassDef | ast.FunctionDef), ast.unparse(node)
            assert node.name in defs, f"{path} has no {node.name}"
            if isinstance(node, ast.FunctionDef):
                assert shape(ast.Module([node], [])) == shape(ast.Module([defs[node.name]], []))
                continue
            doc, source = shape(node), shape(defs[node.name])
            assert doc.keys() == source.keys(), f"{node.name} in the doc is not {path}'s"
            for key, value in doc.items():
                assert value == source[key], f"{path}: {node.name}.{key} is {source[key]}"
