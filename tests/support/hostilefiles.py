"""Hostile meeting files: one good meeting, and every kind of file that must be refused or
survived, as bytes."""

from __future__ import annotations

from pathlib import Path

GOOD_NAME = "2020-01-01-good-board-minutes.md"
GOOD = b"""---
board: Good Board
date: "2020-01-01"
kind: minutes
---
# Minutes

## 1. Welcome

The Chair welcomed members.
"""


def fm(extra: str = "", body: str = "## 1. Item\n\nText.\n", date: str = '"2021-06-01"') -> bytes:
    return f"---\nboard: Hostile Board\ndate: {date}\n{extra}---\n{body}".encode()


def alias_bomb() -> bytes:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return ("---\nboard: B\ndate: '2021-06-01'\n" + "\n".join(lines) + "\n---\n").encode()


# id: (file bytes, expected line or None, words the reason must contain)
ERRORS: dict[str, tuple[bytes, int | None, str]] = {
    "malformed-yaml": (b"---\nboard: [Hostile\ndate: x\n---\n", 3, "YAML error"),
    "frontmatter-list": (b"---\n- board\n- date\n---\n", 2, "must be a mapping"),
    "frontmatter-scalar": (b"---\njust some words\n---\n", 2, "must be a mapping"),
    "not-closed": (b"---\nboard: B\ndate: '2021-06-01'\n\n# Title\n", 1, "not closed"),
    "no-frontmatter": (b"# Just markdown\n\nNo frontmatter here.\n", 1, "no frontmatter"),
    "windows-1252": (
        b"---\nboard: Caf\xe9 Board\ndate: '2021-06-01'\n---\n",
        2,
        "not valid UTF-8 (byte 0xe9)",
    ),
    "invalid-utf8": (fm() + b"bad \xff\xfe bytes\n", 8, "not valid UTF-8 (byte 0xff)"),
    "nul-bytes": (fm(body="## 1. Item\n\nbinary\x00data\n"), 7, "NUL bytes"),
    "empty": (b"", 1, "file is empty"),
    "only-whitespace": (b"  \n\n\t\n", 1, "file is empty"),
    "frontmatter-5mb": (
        fm(extra="notes:\n  - " + "x" * (5 * 1024 * 1024) + "\n"),
        2,
        "frontmatter is 5.2 MB; the limit is 2 MB",
    ),
    "alias-bomb": (alias_bomb(), 2, "more than 200,000 values"),
    "alias-text-bomb": (
        fm(extra='big: &s "' + "x" * 500_000 + '"\nnotes: [' + ", ".join(["*s"] * 20) + "]\n"),
        2,
        "more than 4 MB of text once aliases are expanded",
    ),
    "a-million-values": (fm(extra="notes: [" + "1," * 1_000_000 + "]\n"), 2, "more than 200,000 values"),
    "nested-10000-brackets": (fm(extra="notes: " + "[" * 10_000 + "]" * 10_000 + "\n"), 2, "deeper than 64"),
    "nested-100000-brackets": (fm(extra="notes: " + "[" * 100_000 + "\n"), 2, "deeper than 64"),
    "nested-mappings": (fm(extra="notes: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n"), 2, "deeper than 64"),
    "nested-block": (
        fm(extra="notes:\n" + "".join(" " * i + "-\n" for i in range(1, 200))),
        2,
        "deeper than 64",
    ),
    "impossible-date": (fm(date="2023-02-30"), 3, "'2023-02-30' is not a real date"),
    "unquoted-date-number": (fm(date="20230230"), 3, "is not a real date"),
    "missing-board": (b"---\ndate: '2021-06-01'\n---\n", 2, "missing 'board'"),
    "duplicate-item-numbers": (fm(body="## 1. First\n\nA.\n\n## 1. Again\n\nB.\n"), 9, "duplicate item number 1 (first at line 5)"),
    "duplicate-key": (fm(extra="board: Other Board\n"), 4, "duplicate key 'board'"),
    "binary-tag": (fm(extra="venue: !!binary aGVsbG8=\n"), 4, "!!binary is not allowed"),
    "python-tag": (
        fm(extra="venue: !!python/object/apply:os.system ['true']\n"),
        4,
        "the tag !!python/object/apply:os.system is not allowed",
    ),
    "local-tag": (fm(extra="venue: !include /etc/passwd\n"), 4, "the tag !include is not allowed"),
    "recursive-alias": (fm(extra="notes: &n [*n]\n"), 2, "YAML"),
}  # fmt: skip


MARKUP = "[bold red]x[/] [link=https://e.example]y[/link] \x1b[2J\x1b]8;;https://e.example\x07z\x1b]8;;\x07 \x9b31m"
EVIL_NAME = "evil\x1b]0;title\x07.md"
WORKING = [GOOD_NAME, "bom.md", "reserved.md", "escape.md", "dup-a-minutes.md", "dup-b-minutes.md"]


def every_case(root: Path) -> tuple[list[str], list[str]]:
    """Every hostile case in one folder: the names with errors, and those with warnings."""
    errors = [f"{case}.md" for case in ERRORS]
    for case, (raw, _, _) in ERRORS.items():
        (root / f"{case}.md").write_bytes(raw)
    (root / GOOD_NAME).write_bytes(GOOD)
    (root / "bom.md").write_bytes(b"\xef\xbb\xbf" + fm(date='"2019-03-03"'))
    (root / "reserved.md").write_bytes(fm(extra="content: x\nhandler: y\n", date='"2018-04-04"'))
    (root / "escape.md").write_bytes(fm(date='"2017-05-05"', body=f"## 1. {MARKUP}\n\n{MARKUP}\n"))
    (root / "dup-a-minutes.md").write_bytes(fm(date='"2016-06-06"'))
    (root / "dup-b-minutes.md").write_bytes(fm(date='"2016-06-06"', body="## 2. Other\n\nX.\n"))
    with (root / "huge.md").open("wb") as fh:
        fh.write(fm())
        fh.truncate(100 * 1024 * 1024)
    (root / EVIL_NAME).write_bytes(b"---\n")
    errors += ["huge.md", EVIL_NAME]
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "elsewhere.md").write_bytes(fm(date='"2015-01-01"'))
    (root / "link-out.md").symlink_to(outside / "elsewhere.md")
    (root / "folder-out").symlink_to(outside, target_is_directory=True)
    (root / "loop").symlink_to(root, target_is_directory=True)
    warnings = ["reserved.md", "dup-b-minutes.md", "link-out.md", "folder-out", "loop"]
    return errors, warnings
