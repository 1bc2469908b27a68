"""Hostile inputs, tried as a user meets them: the installed command, one folder an input.

    python bench/hostile.py                       # every family
    python bench/hostile.py --families values,text
    python bench/hostile.py --tuibrowser .venv/bin/tuibrowser --json bench/out/hostile.json

Each input is a folder holding one good meeting and the hostile file (or a hostile setting:
a cache path, a signal). Every command a user runs on a folder is run on it as a separate
process, with a private cache: ``check``, ``index``, ``export`` (JSON, each CSV table, ICS),
``search`` and ``kpis``. An input fails when any of them:

- exits 2 (a command stopped by file content) or prints a traceback;
- takes longer than the time limit (``--timeout``, 60 s by default);
- writes a raw control character (C0 but tab and newline, DEL, C1), a bidi control or a
  zero-width character to standard output or standard error;
- leaves the good meeting out of the export (one bad file hid another);
- lets ``check`` exit 0 while another command warns of, or skips, the file — unless the file
  was meant to be read (``ok``) or only warned of;
- (``public``) shows the secret of a confidential item in any output made with ``--public``;
- (``cache``) changes a file it was pointed at that is not its own, or trusts a forged cache;
- (``signals``) leaves a process behind after its parent was killed.

It prints a table of families × inputs tried × failures, then each failure with its reason.
The tests hold each class; this harness is the whole tour, as a new user would take it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

GOOD_NAME = "2020-01-01-good-board-minutes.md"
GOOD = """---
board: Good Board
date: "2020-01-01"
kind: minutes
kpis:
  - code: G1
    period: 2019/20 Q4
    target: Deliver 10 things
    target_value: 10
    actual_value: 9
    rating: amber
    item: "1"
---
# Minutes

## 1. Welcome

The Chair welcomed members to the goodmeeting.
"""
SECRET = "Zanzibarsecret"
# Raw characters that must never reach a terminal: C0 but tab and newline, DEL, C1, bidi
# controls and zero-width characters.
DANGEROUS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)


@dataclass
class Case:
    family: str
    name: str
    files: dict[str, bytes]  # name (str or bytes path) → content
    ok: bool = False  # the file is meant to be read without error
    public: bool = False
    setup: Callable[[Path, Path], None] | None = None  # (folder, work dir) → None
    verify: Callable[[Path, Path], str | None] | None = None  # a reason to fail, or None
    extra_names: dict[bytes, bytes] = field(default_factory=dict)  # raw-byte file names


def fm(extra: str = "", body: str = "## 1. Item\n\nText.\n", date: str = '"2021-06-01"') -> bytes:
    return f"---\nboard: Hostile Board\ndate: {date}\n{extra}---\n{body}".encode()


# -- the families -------------------------------------------------------------------------


NUMBERS = {
    "2^63": "9223372036854775808",
    "2^64": "18446744073709551616",
    "-2^63-1": "-9223372036854775809",
    "1e23-int": "100000000000000000000000",
    "400-digits": "9" * 400,
    "1e30": "1e30",
    "1e308": "1e308",
    "-1e308": "-1e308",
    "1e400": "1e400",
    "inf": ".inf",
    "-inf": "-.inf",
    "nan": ".nan",
    "denormal": "4.9e-324",
    "neg-zero": "-0.0",
}
NUMERIC_FIELDS = {
    "kpi.target_value": lambda v: (
        f"kpis:\n  - code: K1\n    period: 2020/21 Q1\n    target_value: {v}\n    rating: green\n"
    ),
    "kpi.actual_value": lambda v: (
        f"kpis:\n  - code: K1\n    period: 2020/21 Q1\n    actual_value: {v}\n    rating: red\n"
    ),
    "summary.total": lambda v: (
        f"summaries:\n  - period: 2020/21 Q1\n    label: L\n    total: {v}\n    green: 1\n"
    ),
    "summary.green": lambda v: (
        f"summaries:\n  - period: 2020/21 Q1\n    label: L\n    total: 3\n    green: {v}\n"
    ),
    "series.value": lambda v: (
        f"series:\n  - name: S\n    points:\n      - {{period: '2020', value: {v}}}\n"
    ),
    "figures.value": lambda v: f"figures:\n  - name: F\n    value: {v}\n",
}


def values_family() -> list[Case]:
    cases = []
    for fname, make in NUMERIC_FIELDS.items():
        for vname, v in NUMBERS.items():
            cases.append(Case("values", f"{fname}={vname}", {"x.md": fm(make(v))}))
    items = {
        "item-5000-digits": "## " + "9" * 5000 + ". Item\n\nText.\n",
        "order-superscript": "## 1. Item {order=²}\n\nText.\n",
        "order-arabic-digits": "## 1. Item {order=١٢}\n\nText.\n",
        "order-huge": "## 1. Item {order=99999999999999999999999}\n\nText.\n",
        "order-negative": "## 1. Item {order=-5}\n\nText.\n",
        "item-fullwidth-number": "## １２. Item\n\nText.\n",
        "item-superscript-number": "## ³. Item\n\nText.\n",
    }
    for name, body in items.items():
        cases.append(Case("values", name, {"x.md": fm(body=body)}))
    dates = {
        "date-9999-12-31": ('"9999-12-31"', ""),
        "date-0001-01-01": ('"0001-01-01"', ""),
        "date-1000-01-01": ('"1000-01-01"', ""),
        "next-9999-12-31": (
            '"2021-06-01"',
            "next_meeting:\n  date: '9999-12-31'\n  time: '23:59'\n",
        ),
        "next-0001-01-01": ('"2021-06-01"', "next_meeting:\n  date: '0001-01-01'\n"),
        "date-unquoted-int": ("20210601", ""),
        "time-24:00": ('"2021-06-01"', "time: '24:00'\n"),
        "date-feb-29-1900": ('"1900-02-29"', ""),
    }
    for name, (date, extra) in dates.items():
        cases.append(Case("values", name, {"x.md": fm(extra, date=date)}))
    return cases


TEXT_FIELDS = {
    "board": lambda s: f"---\nboard: 'Board {s}'\ndate: '2021-06-01'\n---\n## 1. Item\n\nText.\n",
    "title": lambda s: fm(f"title: 'Title {s}'\n").decode(),
    "venue": lambda s: fm(f"venue: 'Venue {s}'\n").decode(),
    "item-title": lambda s: fm(body=f"## 1. Item {s} title\n\nText.\n").decode(),
    "minute": lambda s: fm(body=f"## 1. Item\n\nThe minute {s} goodword.\n").decode(),
    "decision": lambda s: fm(
        body=f"## 1. Item\n\n### Decisions\n\n- Agreed {s} goodword.\n"
    ).decode(),
    "attendee": lambda s: fm(
        f"attendance:\n  - name: 'Cllr {s} Person'\n    status: present\n"
    ).decode(),
    "kpi-code": lambda s: fm(
        f"kpis:\n  - code: 'K{s}1'\n    period: '2020/21 Q1'\n    rating: green\n"
    ).decode(),
    "kpi-period": lambda s: fm(
        f"kpis:\n  - code: K1\n    period: '2020 {s} Q1'\n    rating: green\n"
    ).decode(),
    "note": lambda s: fm(f"notes:\n  - 'A note {s}'\n").decode(),
}
CHARS = {
    "esc-sequence": "\x1b[2J\x1b]0;pwned\x07",
    "c1-nel": "\x85",
    "c1-csi": "\x9b31m",
    "bidi-rlo": "\u202e",
    "bidi-isolate": "\u2067",
    "zero-width": "\u200b\u200d\u2060",
    "bom-inside": "\ufeff",
    "markup": "[bold red]x[/] [@click=app.quit]y[/]",
}


def yaml_escape(s: str) -> str:
    # In a single-quoted YAML scalar only ' needs doubling; a C0 or C1 control is not allowed in
    # YAML at all, so those go into the body or a double-quoted scalar as escapes.
    return s.replace("'", "''")


def text_family() -> list[Case]:
    cases = []
    for fname, make in TEXT_FIELDS.items():
        for cname, chars in CHARS.items():
            in_body = fname in {"item-title", "minute", "decision"}
            if in_body:
                raw = make(chars)
            else:
                # YAML forbids raw C0/C1 in a scalar: write them as double-quoted escapes.
                esc = "".join(
                    f"\\x{ord(c):02x}" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F else c
                    for c in chars
                ).replace('"', '\\"')
                raw = make("PLACEHOLDER").replace("'", '"').replace("PLACEHOLDER", esc)
            cases.append(Case("text", f"{fname}×{cname}", {"x.md": raw.encode()}, ok=True))
    return cases


def names_family() -> list[Case]:
    cases = []
    body = fm()
    raw_names = {
        "latin1-name": b"2021-06-01-caf\xe9-minutes.md",
        "invalid-utf8-name": b"2021-06-01-\xff\xfe-minutes.md",
        "newline-name": b"2021-06-01-a\nERROR: forged line.md",
        "esc-name": b"2021-06-01-\x1b[31mred-minutes.md",
        "c1-name": "2021-06-01-\x9bname.md".encode(),
        "bidi-name": "2021-06-01-\u202egnp.md".encode(),
        "dash-name": b"-rf.md",
        "long-name": b"2021-06-01-" + b"n" * 240 + b".md",
        "space-name": b"  .md",
    }
    for name, raw in raw_names.items():
        cases.append(Case("names", name, {}, ok=True, extra_names={raw: body}))
    return cases


def scale_family() -> list[Case]:
    def many_items(n: int, similar: bool) -> bytes:
        title = "Performance report of the improvement board quarter {}" if similar else "Item {}"
        return fm(
            body="".join(f"## {i}. {title.format(i)}\n\nText {i}.\n\n" for i in range(1, n + 1))
        )

    cells = "| " + " | ".join(f"c{i}" for i in range(3000)) + " |\n"
    sep = "|" + "---|" * 3000 + "\n"
    return [
        Case("scale", "40000-similar-items", {"x.md": many_items(40_000, True)}),
        Case("scale", "100000-items", {"x.md": many_items(100_000, False)}),
        Case(
            "scale",
            "table-3000-columns",
            {"x.md": fm(body="## 1. Item\n\n" + cells + sep + cells * 60)},
        ),
        Case(
            "scale",
            "20000-paragraphs",
            {"x.md": fm(body="## 1. Item\n\n" + "A paragraph of the minute.\n\n" * 20_000)},
        ),
        Case(
            "scale",
            "300000-parens-name",
            {"x.md": fm("attendance:\n  - name: '" + "(" * 300_000 + "'\n    status: present\n")},
        ),
        Case(
            "scale",
            "100000-decisions",
            {"x.md": fm(body="## 1. Item\n\n### Decisions\n\n" + "- Agreed a thing.\n" * 100_000)},
        ),
        Case(
            "scale",
            "10000-kpis",
            {
                "x.md": fm(
                    "kpis:\n"
                    + "".join(
                        f"  - {{code: K{i}, period: 2020/21 Q1, rating: green}}\n"
                        for i in range(10_000)
                    )
                )
            },
        ),
        Case(
            "scale",
            "one-line-5MB",
            {"x.md": fm(body="## 1. Item\n\n" + "word " * 1_000_000 + "\n")},
        ),
        Case("scale", "headings-of-hashes", {"x.md": fm(body=("#" * 50_000 + " x\n") * 20)}),
        Case(
            "scale",
            "braces-flood",
            {"x.md": fm(body="## 1. Item " + "{" * 200_000 + "\n\nText.\n")},
        ),
    ]


def public_family() -> list[Case]:
    def meeting(agenda: bytes, minutes: bytes) -> dict[str, bytes]:
        return {
            "2021-06-01-hostile-board-agenda.md": agenda,
            "2021-06-01-hostile-board-minutes.md": minutes,
        }

    def agenda(head: str, extra: str = "", kind: str = "agenda") -> bytes:
        return fm(f"kind: {kind}\n{extra}", body=f"{head}\n\nThe report.\n")

    def minutes(num: str, text: str = SECRET) -> bytes:
        return fm(
            "kind: minutes\n",
            body=f"## 1. Open item\n\nPublic text.\n\n## {num}. Private item\n\nThe minute {text}.\n",
        )

    cases = []
    for spell_a, spell_m in [
        ("9A", "9a"),
        ("08", "8"),
        ("8.", "8"),
        ("10", "10"),
        ("3b", "3B"),
        ("007", "7"),
    ]:
        cases.append(
            Case(
                "public",
                f"agenda-{spell_a}-minutes-{spell_m}",
                meeting(agenda(f"## {spell_a}. Private item {{confidential}}"), minutes(spell_m)),
                public=True,
            )
        )
    broken = [
        (
            "agenda-yaml-error",
            b"---\nboard: [Hostile\ndate: '2021-06-01'\n---\n## 9. Private item {confidential}\n",
        ),
        (
            "agenda-bad-date",
            fm("kind: agenda\n", body="## 9. Private item {confidential}\n", date='"2021-02-30"'),
        ),
        (
            "agenda-not-utf8",
            fm(
                "kind: agenda\n",
                body="## 9. Private item {confidential}\n\n\xff\n".encode("latin1").decode(
                    "latin1"
                ),
            ).replace(b"\xc3\xbf", b"\xff"),
        ),
        ("agenda-nul", fm("kind: agenda\n", body="## 9. Private item {confidential}\n\n\x00\n")),
    ]
    for name, raw in broken:
        cases.append(Case("public", name, meeting(raw, minutes("9")), public=True))

    def unreadable(folder: Path, _work: Path) -> None:
        os.chmod(folder / "2021-06-01-hostile-board-agenda.md", 0)

    cases.append(
        Case(
            "public",
            "agenda-unreadable",
            meeting(agenda("## 9. Private item {confidential}"), minutes("9")),
            public=True,
            setup=unreadable,
        )
    )
    for shape in [
        "## 9) Private item {confidential}",
        "## Item 9: Private item {confidential}",
        "### 9. Private item {confidential}",
        "## 9 - Private item {confidential}",
        "# 9. Private item {confidential}",
    ]:
        cases.append(
            Case(
                "public",
                f"heading {shape[:14]!r}",
                meeting(agenda(shape), minutes("9")),
                public=True,
            )
        )
    inside = {
        "warning-attribute": "## 9. Private item {confidential} {Zanzibarsecret}\n\nText.\n",
        "warning-attribute-2": "## 9. Private item {confidential, colour=Zanzibarsecret}\n\nText.\n",
        "kpi-in-item": "## 9. Private item {confidential}\n\nText.\n",
    }
    for name, body in inside.items():
        extra = ""
        if name == "kpi-in-item":
            extra = f"kpis:\n  - code: '{SECRET}'\n    period: 'Q {SECRET}'\n    rating: purple\n    item: '9'\n"
        cases.append(
            Case(
                "public",
                name,
                {"2021-06-01-hostile-board-minutes.md": fm("kind: minutes\n" + extra, body=body)},
                public=True,
            )
        )
    return cases


def fs_family() -> list[Case]:
    def fifo(folder: Path, _work: Path) -> None:
        os.mkfifo(folder / "2021-06-01-fifo-minutes.md")

    def dir_md(folder: Path, _work: Path) -> None:
        (folder / "2021-06-01-dir-minutes.md").mkdir()

    def link_out(folder: Path, work: Path) -> None:
        secret = work / "outside.md"
        secret.write_bytes(fm(body=f"## 1. Item\n\n{SECRET}\n"))
        (folder / "2021-06-01-link-minutes.md").symlink_to(secret)

    def link_loop(folder: Path, _work: Path) -> None:
        (folder / "loop").symlink_to(folder)

    def dev_null(folder: Path, _work: Path) -> None:
        (folder / "2021-06-01-null-minutes.md").symlink_to("/dev/zero")

    def deep(folder: Path, _work: Path) -> None:
        p = folder
        for _ in range(200):
            p = p / "d"
        p.mkdir(parents=True)
        (p / "2021-06-01-deep-minutes.md").write_bytes(fm())

    def dangling(folder: Path, _work: Path) -> None:
        (folder / "2021-06-01-gone-minutes.md").symlink_to(folder / "nowhere.md")

    def no_secret(_folder: Path, work: Path) -> str | None:
        return None

    return [
        Case("fs", "named-pipe", {}, setup=fifo),
        Case("fs", "folder-named-md", {}, setup=dir_md, ok=True),
        Case("fs", "symlink-outside", {}, setup=link_out, public=True, verify=no_secret),
        Case("fs", "symlink-loop", {}, setup=link_loop, ok=True),
        Case("fs", "symlink-dev-zero", {}, setup=dev_null),
        Case("fs", "200-deep-folders", {}, setup=deep, ok=True),
        Case("fs", "dangling-symlink", {}, setup=dangling),
    ]


FOREIGN_UID = 65534  # nobody


def cache_family() -> list[Case]:
    """Cache paths another user prepared. Run as root, 'another user' is uid 65534."""

    def victim(work: Path) -> Path:
        home = work / "home"
        home.mkdir(exist_ok=True)
        (home / "todo.txt").write_text("my notes\n")
        old = time.time() - 3600
        os.utime(home / "todo.txt", (old, old))
        os.chmod(home, 0o755)
        return home

    def shared(work: Path) -> Path:
        """A folder every user may write into, sticky as /tmp."""
        folder = work / "shared"
        folder.mkdir(mode=0o777)
        os.chmod(folder, 0o1777)
        return folder

    def home_unchanged(_folder: Path, work: Path) -> str | None:
        home = work / "home"
        todo = home / "todo.txt"
        if not todo.exists() or todo.read_text() != "my notes\n":
            return "the user's own file was changed or removed"
        if home.stat().st_mode & 0o777 != 0o755:
            return f"the user's folder was chmodded to {oct(home.stat().st_mode & 0o777)}"
        return None

    def d_link(folder: Path, work: Path) -> None:
        home, common = victim(work), shared(work)
        (common / "c.json.d").symlink_to(home)
        os.lchown(common / "c.json.d", FOREIGN_UID, FOREIGN_UID)

    def own_file(folder: Path, work: Path) -> None:
        home = victim(work)
        (home / "todo.txt.d").mkdir()
        (home / "todo.txt.d" / "keep.txt").write_text("keep\n")

    def lock_link(folder: Path, work: Path) -> None:
        home, common = victim(work), shared(work)
        (common / "c.json.lock").symlink_to(home / "todo.txt")

    def file_link(folder: Path, work: Path) -> None:
        home, common = victim(work), shared(work)
        (common / "c.json").symlink_to(home / "todo.txt")

    def foreign_cache(folder: Path, work: Path) -> None:
        # Another user prepares a cache of this very folder, world-writable, with a forged minute.
        victim(work)
        cache = shared(work) / "c.json"
        env = {**os.environ, "TUIBROWSER_CACHE_DIR": str(work / "ucache")}
        subprocess.run(
            [TUIBROWSER, "index", str(folder), "--cache", str(cache)], env=env, capture_output=True
        )
        for p in [cache, *cache.with_name("c.json.d").glob("*")]:
            if p.is_file():
                data = p.read_bytes().replace(b"goodmeeting", SECRET.encode())
                p.write_bytes(data)
                os.chmod(p, 0o666)
                os.chown(p, FOREIGN_UID, FOREIGN_UID)
        d = cache.with_name("c.json.d")
        if d.exists():
            os.chmod(d, 0o777)
            os.chown(d, FOREIGN_UID, FOREIGN_UID)

    def no_forgery(folder: Path, work: Path) -> str | None:
        return home_unchanged(folder, work)

    return [
        Case(
            "cache",
            "shards-folder-symlink-to-home",
            {},
            ok=True,
            setup=d_link,
            verify=home_unchanged,
        ),
        Case(
            "cache", "cache-is-users-own-file", {}, ok=True, setup=own_file, verify=home_unchanged
        ),
        Case(
            "cache",
            "lock-symlink-to-users-file",
            {},
            ok=True,
            setup=lock_link,
            verify=home_unchanged,
        ),
        Case(
            "cache",
            "cache-symlink-to-users-file",
            {},
            ok=True,
            setup=file_link,
            verify=home_unchanged,
        ),
        Case(
            "cache",
            "foreign-world-writable-cache",
            {},
            ok=True,
            setup=foreign_cache,
            verify=no_forgery,
        ),
    ]


CACHE_ARGS = {
    "shards-folder-symlink-to-home": "shared/c.json",
    "cache-is-users-own-file": "home/todo.txt",
    "lock-symlink-to-users-file": "shared/c.json",
    "cache-symlink-to-users-file": "shared/c.json",
    "foreign-world-writable-cache": "shared/c.json",
}

FAMILIES: dict[str, Callable[[], list[Case]]] = {
    "values": values_family,
    "text": text_family,
    "names": names_family,
    "scale": scale_family,
    "public": public_family,
    "fs": fs_family,
    "cache": cache_family,
}

# -- running ------------------------------------------------------------------------------

TUIBROWSER = "tuibrowser"


def commands(folder: Path, public: bool, cache: str | None) -> list[list[str]]:
    f = str(folder)
    pub = ["--public"] if public else []
    c = ["--cache", cache] if cache else []
    return [
        ["check", f],
        ["index", f, *c, *pub],
        ["export", f, "--format", "json", *c, *pub],
        *(
            ["export", f, "--format", "csv", "--table", t, *c, *pub]
            for t in ("meetings", "items", "attendance", "kpis")
        ),
        ["export", f, "--format", "ics", *c, *pub],
        ["search", "goodmeeting", f, *c, *pub],
        ["search", "goodmeeting", f, "--json", *c, *pub],
        ["search", SECRET, f, "--json", *c, *pub],
        ["kpis", f, *c, *pub],
        ["kpis", f, "--json", *c, *pub],
    ]


def try_case(case: Case, timeout: float) -> tuple[Case, list[str], float]:
    start = time.monotonic()
    reasons: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        folder = work / "meetings"
        folder.mkdir()
        (folder / GOOD_NAME).write_text(GOOD)
        for name, raw in case.files.items():
            (folder / name).write_bytes(raw)
        for raw_name, raw in case.extra_names.items():
            with open(os.path.join(os.fsencode(folder), raw_name), "wb") as fh:
                fh.write(raw)
        if case.setup:
            case.setup(folder, work)
        env = {
            **os.environ,
            "TUIBROWSER_CACHE_DIR": str(work / "ucache"),
            "TUIBROWSER_STATE_DIR": str(work / "state"),
            "COLUMNS": "100",
        }
        env.pop("TUIBROWSER_DEBUG", None)
        cache = str(work / CACHE_ARGS[case.name]) if case.name in CACHE_ARGS else None
        check_rc = None
        flagged = False  # another command warned of or skipped a file
        for args in commands(folder, case.public, cache):
            label = " ".join(a for a in args if not a.startswith(str(work)))
            try:
                p = subprocess.run(
                    [TUIBROWSER, *args],
                    env=env,
                    capture_output=True,
                    timeout=timeout,
                    stdin=subprocess.DEVNULL,
                )
            except subprocess.TimeoutExpired:
                reasons.append(f"{label}: over {timeout:.0f} s")
                break
            out = p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")
            if args[0] == "check":
                check_rc = p.returncode
            elif args[0] != "search" and p.stderr.strip():
                flagged = True
            if p.returncode == 2 and not (args[0] == "kpis" and "no KPI" in out):
                reasons.append(f"{label}: exit 2: {last_line(out)}")
            if "Traceback" in out:
                reasons.append(f"{label}: a traceback")
            m = DANGEROUS.search(out.replace("\r\n", "\n"))  # CRLF ends CSV and ICS lines
            if m:
                reasons.append(f"{label}: raw U+{ord(m.group()):04X} in the output")
            if case.public and "--public" in args and leaks(args, p.returncode, out):
                reasons.append(f"{label}: the confidential secret in --public output")
            if (
                args[:4] == ["export", str(folder), "--format", "json"]
                and p.returncode == 0
                and "goodmeeting" not in p.stdout.decode("utf-8", "replace")
                and "Good Board" not in p.stdout.decode("utf-8", "replace")
            ):
                reasons.append(f"{label}: the good meeting is missing")
        if check_rc == 0 and flagged and not case.ok:
            reasons.append("check exits 0 while another command warns of the folder")
        if case.verify:
            why = case.verify(folder, work)
            if why:
                reasons.append(why)
    except Exception as exc:  # the harness itself: say what went wrong with this input
        reasons.append(f"harness: {type(exc).__name__}: {exc}")
    finally:
        for p in work.rglob("*"):
            try:
                if not p.is_symlink():
                    os.chmod(p, 0o755 if p.is_dir() else 0o644)
            except OSError:
                pass
        shutil.rmtree(work, ignore_errors=True)
    return case, sorted(set(reasons)), time.monotonic() - start


def leaks(args: list[str], returncode: int, out: str) -> bool:
    """Whether an output made with --public shows the secret. A search for the secret echoes
    the query, so there it is its hits that count (exit 0: something matched)."""
    if args[:2] == ["search", SECRET]:
        return returncode == 0
    return SECRET.lower() in out.lower()


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return (lines[-1] if lines else "")[:160]


# -- signals: killed during a cold index, nothing is left behind ---------------------------


def tuibrowser_processes(marker: str) -> set[int]:
    found = set()
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            if marker in (d / "environ").read_bytes().decode("utf-8", "replace"):
                found.add(int(d.name))
        except OSError:
            pass
    found.discard(os.getpid())
    return found


def signals_family(timeout: float) -> list[tuple[str, list[str]]]:
    results = []
    work = Path(tempfile.mkdtemp(prefix="hostile-signals-"))
    try:
        folder = work / "meetings"
        folder.mkdir()
        for i in range(1500):
            y, m, d = 2000 + i // 300, 1 + (i // 25) % 12, 1 + i % 25
            (folder / f"{y}-{m:02d}-{d:02d}-b{i}-minutes.md").write_bytes(
                fm(
                    body="".join(
                        f"## {k}. Item {k}\n\n" + "Words of the minute. " * 200 + "\n\n"
                        for k in range(1, 30)
                    ),
                    date=f'"{y}-{m:02d}-{d:02d}"',
                ).replace(b"Hostile Board", f"Board {i}".encode())
            )
        for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGKILL):
            marker = f"HOSTILE_MARK={sig.name}-{os.getpid()}"
            env = {
                **os.environ,
                "TUIBROWSER_CACHE_DIR": str(work / f"c-{sig.name}"),
                "HOSTILE_MARK": marker.split("=")[1],
            }
            p = subprocess.Popen(
                [TUIBROWSER, "index", str(folder)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            deadline = time.monotonic() + timeout
            while (
                time.monotonic() < deadline
                and len(tuibrowser_processes(marker)) < 3
                and p.poll() is None
            ):
                time.sleep(0.05)
            time.sleep(0.5)
            before = len(tuibrowser_processes(marker))
            os.kill(p.pid, sig)
            p.wait()
            time.sleep(5)
            left = tuibrowser_processes(marker)
            reasons = (
                [f"{len(left)} of {before} processes left 5 s after {sig.name}"] if left else []
            )
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            results.append((f"index killed by {sig.name}", reasons))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def main() -> None:
    global TUIBROWSER
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--tuibrowser", default=shutil.which("tuibrowser") or str(ROOT / ".venv/bin/tuibrowser")
    )
    ap.add_argument("--families", default=",".join([*FAMILIES, "signals"]))
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", dest="json_out", help="write every result to this file")
    args = ap.parse_args()
    TUIBROWSER = args.tuibrowser
    wanted = args.families.split(",")
    cases = [c for name in wanted if name in FAMILIES for c in FAMILIES[name]()]
    if os.geteuid() != 0:
        skipped = [c for c in cases if c.family == "cache" or c.name == "agenda-unreadable"]
        cases = [c for c in cases if c not in skipped]
        print(
            f"not root: {len(skipped)} inputs that need another user's files are left out",
            file=sys.stderr,
        )
    results: list[tuple[str, str, list[str], float]] = []
    with ThreadPoolExecutor(args.jobs) as pool:
        for case, reasons, secs in pool.map(lambda c: try_case(c, args.timeout), cases):
            results.append((case.family, case.name, reasons, secs))
            mark = "FAIL" if reasons else "ok"
            print(
                f"{mark:4} {case.family:7} {case.name!r} ({secs:.1f} s)",
                file=sys.stderr,
                flush=True,
            )
    if "signals" in wanted:
        for name, reasons in signals_family(args.timeout):
            results.append(("signals", name, reasons, 0.0))
    print("\n| family | inputs tried | failures | slowest input |\n|---|---|---|---|")
    for fam in dict.fromkeys(r[0] for r in results):
        rows = [r for r in results if r[0] == fam]
        slow = max(rows, key=lambda r: r[3])
        print(f"| {fam} | {len(rows)} | {sum(1 for r in rows if r[2])} | {slow[3]:.1f} s |")
    print(f"| **all** | {len(results)} | {sum(1 for r in results if r[2])} | |")
    failures = [r for r in results if r[2]]
    if failures:
        print("\nFailures:")
        for fam, name, reasons, _ in failures:
            for why in reasons:
                print(f"- {fam} {name!r}: {why}")
    if args.json_out:
        Path(args.json_out).write_text(
            json.dumps(
                [{"family": f, "input": n, "failures": r, "seconds": s} for f, n, r, s in results],
                indent=1,
            )
        )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
