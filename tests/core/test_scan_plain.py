"""The walk takes a regular file named ``*.md`` at once (:data:`tuibrowser.scan._PLAIN`), with
no call but one for its kind: it finds what deciding every entry as any other finds, on
folders of every kind of entry (dot files, other suffixes and cases, links to files and
folders inside and outside, names that are not ASCII)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tuibrowser import scan as scan_module
from tuibrowser.scan import scan

NAMES = st.sampled_from(
    ["a.md", "b.MD", "c.markdown", ".d.md", "e.txt", "f.md.bak", "é.md", "g.Md", "h", "i.md"]
)
KINDS = st.sampled_from(["file", "folder", "link-in", "link-out", "link-folder", "link-gone"])
TREE = st.lists(st.tuples(st.integers(0, 3), NAMES, KINDS), max_size=25)


def make(root: Path, outside: Path, tree: list[tuple[int, str, str]]) -> None:
    """A folder of ``tree``'s entries (depth, name, kind): each put in the last folder made
    at a depth above it (or the root)."""
    (outside / "x.md").write_text("outside")
    (outside / "dir").mkdir(exist_ok=True)
    folders = [root]
    for depth, name, kind in tree:
        parent = folders[min(depth, len(folders) - 1)]
        path = parent / name
        if os.path.lexists(path):
            continue
        if kind == "file":
            path.write_text("x")
        elif kind == "folder":
            path.mkdir()
            folders.append(path)
        elif kind == "link-in":
            path.symlink_to(root / "a.md")
        elif kind == "link-out":
            path.symlink_to(outside / "x.md")
        elif kind == "link-folder":
            path.symlink_to(outside / "dir")
        else:
            path.symlink_to(root / "gone.md")


def walked(root: Path) -> tuple[list, list]:
    files, problems = scan(root)
    return files, [p.to_dict() if hasattr(p, "to_dict") else p for p in problems]


@settings(max_examples=150, deadline=None)
@given(TREE)
def test_the_quick_walk_finds_what_the_whole_walk_finds(tree):
    base = Path(tempfile.mkdtemp())
    try:
        root, outside = base / "meetings", base / "outside"
        root.mkdir()
        outside.mkdir()
        make(root, outside, tree)
        quick = walked(root)
        was = scan_module._PLAIN
        scan_module._PLAIN = "\x00"  # (no name ends so: every entry decided as any other)
        try:
            whole = walked(root)
        finally:
            scan_module._PLAIN = was
        assert quick == whole
        # each path the root's and its label's (the walk's child sends the labels alone)
        assert all(path == os.path.join(root, label) for path, label in quick[0])
    finally:
        shutil.rmtree(base)


def test_a_folder_under_a_link_is_known_by_its_real_path(tmp_path):
    """A folder's real path is its parent's and its name, and a link's is worked out: a link
    found under a linked folder, back to a folder read already, is not followed, nor is the
    folder the first link led to when the walk comes to it by its own name."""
    root = tmp_path / "meetings"
    deep = root / "sub" / "deep"
    deep.mkdir(parents=True)
    (deep / "f.md").write_text("x")
    (root / "alias").symlink_to(root / "sub", target_is_directory=True)  # (listed first)
    (deep / "up").symlink_to(root / "sub", target_is_directory=True)
    files, problems = scan(root)
    assert [label for _, label in files] == ["alias/deep/f.md"]
    assert sorted(p.path for p in problems) == ["alias/deep/up", "sub"]
    assert {p.message for p in problems} == {
        "symbolic link to a folder that is already read: not followed"
    }


def test_each_path_is_the_root_as_given_and_the_label(tmp_path, monkeypatch):
    """Whatever the root's text (a slash at its end, a run of them, a ``.``, a link), each
    file's path is ``os.path.join(root, label)``: the walk's child sends the labels alone, and
    the refresh makes each path so (store.prescan)."""
    root = tmp_path / "meetings"
    (root / "board" / "2020").mkdir(parents=True)
    (root / "board" / "2020" / "2020-01-01-board-minutes.md").write_text("x")
    (root / "top.md").write_text("x")
    (tmp_path / "elsewhere").symlink_to(root, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    for text in [
        str(root),
        f"{root}/",
        f"{tmp_path}//meetings",
        "meetings",
        "./meetings/",
        ".",
        str(tmp_path / "elsewhere"),
    ]:
        files, _ = scan(text)
        assert files, text
        assert all(path == os.path.join(text, label) for path, label in files), text
