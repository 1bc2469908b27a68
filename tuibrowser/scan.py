"""Walking the meetings folder: which files are meeting files, and the problems on the way.

Symbolic links that lead outside the folder are not followed, unreadable files and folders are
reported as restricted, and names that are not UTF-8 are reported, not read.
"""

from __future__ import annotations

import os
from operator import attrgetter, itemgetter

# (the model, and what names a problem, imported when a problem is found: a refresh's walk,
# which a child begins before the rest is imported (.store.prescan), pays for none of it; nor
# for typing and pathlib, whose imports would put off the child's fork)
TYPE_CHECKING = False

if TYPE_CHECKING:
    from pathlib import Path

    from .model import Problem

MAX_FOLDER_DEPTH = 32
_name = attrgetter("name")
SUFFIXES = (".md", ".markdown")
# the names the walk takes at once when they are a regular file's (not a link): nearly every
# entry of a meetings folder; any other entry is decided as it always was
_PLAIN = ".md"


def restricted_problem(label: str, what: str = "file") -> Problem:
    """A file or folder the user may not read: shown as restricted, counted apart from errors."""
    from .base import RESTRICTED

    return _problem(label, None, f"you do not have permission to read this {what}", RESTRICTED)


def scan(root: Path | str) -> tuple[list[tuple[str, str]], list[Problem]]:
    """The meeting files under ``root`` as (path, label relative to root), and problems. Each
    path is ``os.path.join(root, label)``, ``root`` as it is given (a folder's entries are
    named by its path and their names): :mod:`.store.prescan` sends the labels alone.

    Symbolic links that lead outside the folder are not followed (a problem says so). One
    ``scandir`` per folder and no call per file (the archive may hold tens of thousands), and
    no recursion (a deep tree would exhaust the stack). A text ``root`` is taken as it is
    written (the walk's child gives it as ``str(Path(...))`` would).
    """
    root_text = os.fspath(root)
    files: list[tuple[str, str]] = []
    problems: list[Problem] = []
    try:
        real_text = os.path.realpath(root_text, strict=True)  # (as Path.resolve(strict=True))
    except OSError as exc:  # (a loop of links too: ELOOP)
        return [], [
            _problem(root_text, None, f"cannot open the meetings folder: {exc.strerror or exc}")
        ]
    if not os.path.isdir(real_text):
        return [], [_problem(root_text, None, "not a folder")]

    seen_dirs = {real_text}
    # (path, label prefix, depth, real path: a folder's is its parent's and its name, unless
    # it is a link, whose real path is worked out; no realpath per folder, a stat a component)
    stack: list[tuple[str, str, int, str]] = [(root_text, "", 0, real_text)]
    while stack:
        dirpath, rel, depth, real_dir = stack.pop()
        try:
            with os.scandir(dirpath) as it:
                entries = sorted(it, key=_name)
        except OSError as exc:
            where = rel.rstrip("/") or root_text
            if isinstance(exc, PermissionError):
                problems.append(restricted_problem(where, "folder"))
            else:
                problems.append(_problem(where, None, f"cannot read folder: {exc.strerror or exc}"))
            continue
        subdirs: list[tuple[str, str, int, str]] = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if name.endswith(_PLAIN) and name.isascii():  # (nearly every entry: one call)
                try:
                    if entry.is_file(follow_symlinks=False):  # a regular file, not a link
                        files.append((entry.path, rel + name))
                        continue
                except OSError:
                    pass  # (decided below, as any other entry)
            label = rel + name
            try:
                link = entry.is_symlink()
                is_dir = entry.is_dir()  # follows a link
            except OSError:
                continue
            if not name.isascii() and not _utf8(name):
                if is_dir or name.lower().endswith(SUFFIXES):
                    problems.append(_bad_name(label, "folder" if is_dir else "file"))
                continue
            if is_dir:
                if link:
                    real = os.path.realpath(entry.path)
                    if not _inside_text(real, real_text):
                        problems.append(
                            _problem(
                                label,
                                None,
                                "symbolic link to a folder outside the meetings folder: not followed",
                                "warning",
                            )
                        )
                        continue
                else:
                    real = os.path.join(real_dir, name)
                if real in seen_dirs:
                    # A link back to a folder already read (a loop) would list its files again.
                    problems.append(
                        _problem(
                            label,
                            None,
                            "symbolic link to a folder that is already read: not followed",
                            "warning",
                        )
                    )
                    continue
                seen_dirs.add(real)
                subdirs.append((entry.path, label + "/", depth + 1, real))
                continue
            if not name.lower().endswith(SUFFIXES):
                continue
            if link and not _inside_text(os.path.realpath(entry.path), real_text):
                problems.append(
                    _problem(
                        label,
                        None,
                        "symbolic link to a file outside the meetings folder: not read",
                        "warning",
                    )
                )
                continue
            files.append((entry.path, label))
        if subdirs and depth >= MAX_FOLDER_DEPTH:
            problems.append(
                _problem(
                    rel.rstrip("/"),
                    None,
                    f"folders nested deeper than {MAX_FOLDER_DEPTH} levels: not read",
                    "warning",
                )
            )
            subdirs = []
        stack.extend(reversed(subdirs))
    files.sort(key=itemgetter(1))
    return files, problems


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8, kept as surrogates by os.scandir
        return False
    return True


def _bad_name(label: str, what: str) -> Problem:
    """A file or folder whose name is not UTF-8: named with its bytes escaped (``bad\\xff.md``),
    so the problem can be printed and stored; the file is not read."""
    from .text import visible_name

    return _problem(
        visible_name(label), None, f"the {what} name is not valid UTF-8: not read (rename it)"
    )


def _inside_text(real: str, real_root: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _problem(path: str, line: int | None, message: str, severity: str = "error") -> Problem:
    from .model import Problem

    return Problem(path, line, message, severity)
