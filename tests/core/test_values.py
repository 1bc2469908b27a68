"""One file never stops the others: a value no export can hold (an integer beyond 64 bits, a
float like 1e30, a 5,000-digit agenda number, ``{order=²}``, a date past what the ICS writer can
step over, a file name that is not UTF-8) is a problem with file and line that ``check``
reports, and every other command leaves it out and goes on; never exit 2 for the folder."""

from __future__ import annotations

import copy
import csv
import functools
import io
import json
import os
import tempfile
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuibrowser import export, kpi, limits, search
from tuibrowser.cli import cli
from tuibrowser.importers import decode, import_text
from tuibrowser.records import parse_bytes, parse_text
from tuibrowser.store import open_library
from tuibrowser.writer import render

GOOD = """---
board: Good Board
date: "2020-03-04"
time: "10:00"
attendance:
  - name: Cllr Ada Quokka
    status: present
kpis:
  - code: E1
    target_value: 10
    actual_value: 7
    rating: amber
---
## 1. Quokka welcome

The quokka minute.
"""
HEAD = "---\nboard: Bad Board\ndate: '2021-05-06'\n"
ITEM = "---\n## 1. Item\n"


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TUIBROWSER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TUIBROWSER_MEETINGS", raising=False)
    monkeypatch.delenv("TUIBROWSER_PUBLIC", raising=False)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# (id, file name as bytes, content, where check names it, severity): the line is that of the
# value; a warning keeps the file (the value is left out), an error skips it.
CASES = [
    ("int-beyond-64-bits", b"bad.md", HEAD + "kpis:\n  - code: A\n    target_value: 100000000000000000000000\n" + ITEM, "bad.md:6:", "warning"),
    ("int-2**64", b"bad.md", HEAD + "kpis:\n  - code: A\n    actual_value: 18446744073709551616\n" + ITEM, "bad.md:6:", "warning"),
    ("int-minus-2**64", b"bad.md", HEAD + "kpis:\n  - code: A\n    actual_value: -18446744073709551616\n" + ITEM, "bad.md:6:", "warning"),
    ("int-past-2**53", b"bad.md", HEAD + "summaries:\n  - total: 9007199254740993\n" + ITEM, "bad.md:5:", "warning"),
    ("int-5000-digits", b"bad.md", HEAD + "figures:\n  - name: F\n    value: " + "9" * 5000 + "\n" + ITEM, "bad.md:6:", "warning"),
    ("float-1e30", b"bad.md", HEAD + "figures:\n  - name: F\n    value: 1e30\n" + ITEM, "bad.md:6:", "warning"),
    ("float-overflow", b"bad.md", HEAD + "series:\n  - name: S\n    points:\n      - {period: '2012', value: 1e400}\n" + ITEM, "bad.md:7:", "warning"),
    ("next-meeting-9999", b"bad.md", HEAD + "next_meeting:\n  date: '9999-12-31'\n" + ITEM, "bad.md:5:", "warning"),
    ("order-superscript", b"bad.md", HEAD + "---\n## 1. Item {order=²}\n", "bad.md:5:", "warning"),
    ("order-ten-digits", b"bad.md", HEAD + "---\n## 1. Item {order=1234567890}\n", "bad.md:5:", "warning"),
    ("item-number-5000-digits", b"bad.md", HEAD + "---\n## " + "9" * 5000 + ". Item\n", "bad.md:5:", "error"),
    ("kpi-code-5000-digits", b"bad.md", HEAD + "kpis:\n  - code: E" + "1" * 5000 + "\n" + ITEM, "bad.md:5:", "warning"),
    ("kpi-code-number-5000-digits", b"bad.md", HEAD + "kpis:\n  - code: " + "1" * 5000 + "\n" + ITEM, "bad.md:5:", "warning"),
    ("date-9999-12-31", b"bad.md", "---\nboard: Bad Board\ndate: '9999-12-31'\n" + ITEM, "bad.md:3:", "error"),
    ("date-year-999", b"bad.md", "---\nboard: Bad Board\ndate: '0999-01-01'\n" + ITEM, "bad.md:3:", "error"),
    ("time-arabic-digit", b"bad.md", HEAD + "time: '13:0\u0663'\n" + ITEM, "bad.md:4:", "warning"),
    ("name-not-utf8", b"bad\xff.md", HEAD + ITEM, "bad\\xff.md:", "error"),
    ("folder-not-utf8", b"d\xe9j\xe0/bad.md", HEAD + ITEM, "d\\xe9j\\xe0:", "error"),
]  # fmt: skip


def folder(tmp_path: Path, name: bytes, content: str) -> Path:
    root = tmp_path / "meetings"
    root.mkdir()
    (root / "good.md").write_text(GOOD, encoding="utf-8")
    target = os.path.join(os.fsencode(root), name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as f:
        f.write(content.encode("utf-8"))
    return root


@pytest.mark.parametrize(
    ("name", "content", "where", "severity"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_value_out_of_range_is_named_by_check_and_stops_no_command(
    tmp_path, name, content, where, severity
):
    root = str(folder(tmp_path, name, content))
    checked = run("check", root)
    assert checked.exit_code == (1 if severity == "error" else 0), checked.output
    named = [line for line in checked.output.splitlines() if line.startswith(where)]
    assert named and f" {severity}: " in named[0], checked.output
    keeps_bad = severity == "warning"

    index = run("index", root)
    assert index.exit_code == 0, index.output
    for args in ([], ["--no-cache"]):
        out = run("export", root, "--format", "json", *args)
        assert out.exit_code == 0, out.output
        boards = [m["board"] for m in json.loads(out.stdout)["meetings"]]
        assert "Good Board" in boards and ("Bad Board" in boards) == keeps_bad
        for table in ("meetings", "items", "attendance", "kpis"):
            out = run("export", root, "--format", "csv", "--table", table, *args)
            assert out.exit_code == 0, out.output
            assert any("2020-03-04" in row for row in csv.reader(io.StringIO(out.stdout)))
        ics = run("export", root, "--format", "ics", *args)
        assert ics.exit_code == 0, ics.output
        assert "DTSTART;TZID=Europe/London:20200304T100000" in ics.stdout
        found = run("search", "quokka", root, *args)
        assert found.exit_code == 0 and "Quokka welcome" in found.stdout, found.output
        kpis = run("kpis", root, "--json", *args)
        assert kpis.exit_code == 0, kpis.output
        assert "E1" in {r["code"] for r in json.loads(kpis.stdout)["rows"]}


def test_the_value_left_out_is_null_and_the_rest_of_the_file_is_kept():
    parsed = parse_text(
        HEAD + "kpis:\n  - code: A\n    target_value: 100000000000000000000000\n"
        "    actual_value: 12\n" + ITEM,
        "bad.md",
    )
    assert parsed.document is not None
    [row] = parsed.document.kpis
    assert (row.code, row.target_value, row.actual_value) == ("A", None, 12)
    [warning] = parsed.problems
    assert (warning.line, warning.severity) == (6, "warning")
    assert "kpis[1].target_value" in warning.message and "left out" in warning.message


@pytest.mark.parametrize(
    "value", [limits.MAX_INTEGER, -limits.MAX_INTEGER, 0, 1.5, -2.5e15, "1000-01-01", "9998-12-31"]
)
def test_values_at_the_edge_of_the_range_are_kept(value):
    field = "date" if isinstance(value, str) else "total"
    text = (
        f"---\nboard: B\ndate: '{value}'\n---\n"
        if field == "date"
        else f"---\nboard: B\ndate: '2020-01-01'\nfigures:\n  - name: F\n    value: {value}\n---\n"
    )
    parsed = parse_text(text, "m.md")
    assert parsed.document is not None and not parsed.problems, parsed.problems
    doc = parsed.document
    assert (doc.date if field == "date" else doc.figures[0].value) == value


# --- property: any frontmatter value of any type and size -----------------------------------


class Raw(str):
    """YAML written as it is (a number too long for ``str(int)`` to make)."""


LONG_DIGITS = st.integers(min_value=17, max_value=6000).map(lambda n: Raw("9" * n))
ODD_NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([2**53 - 1, 2**53, -(2**53), 2**63, 2**64, 10**23, -(10**40)]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e30, -1e308, 5e-324, 1e-300, 1e15]).map(lambda f: Raw(repr(f))),
    st.sampled_from([Raw("1e400"), Raw("-1e400")]),
    st.sampled_from([Raw("5e-324"), Raw("-5e-324")]),  # 7 / 5e-324 is inf
    LONG_DIGITS,
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    ODD_NUMBERS,
    st.text(max_size=20),
    st.sampled_from(
        ["9999-12-31", "0999-01-01", "1000-01-01", "9998-12-31", "2020-02-30", "0001-01-01"]
        + ["13:0\u0663", "\u00b2", "10:30", "24:00", "1e30", "nan", "inf", ".inf", "-0"]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def dump(value: object) -> str:
    """``value`` as flow YAML (JSON strings are YAML double-quoted scalars)."""
    if isinstance(value, Raw):
        return str(value)
    if value is None or isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(dump(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{dump(k)}: {dump(v)}" for k, v in value.items()) + "}"


# A document with every documented field (docs/format.md) holding a usual value: each example
# puts odd values at a few places of it, so the rest of the file is read and the odd value is
# what decides.
BASE: dict = {
    "board": "Odd Board", "date": "2021-05-06", "time": "09:30", "kind": "minutes",
    "title": "T", "status": "agreed", "cancelled": False, "venue": "V", "source": "S",
    "next_meeting": {"date": "2021-06-01", "time": "10:00", "venue": "W"},
    "attendance": [{"name": "Cllr A B", "status": "present", "role": "Chair", "authority": "X",
                    "group": "G", "person": "a-b", "note": "n"}],
    "membership": [{"name": "A B", "authority": "X", "group": "G", "role": "Member",
                    "period": "2021", "person": "a-b"}],
    "kpis": [{"code": "E1", "code_printed": "E1", "theme": "T", "period": "2021 Q1",
              "target": "10 things", "target_value": 10, "delivered": "7 things",
              "actual_value": 7, "rating": "amber", "item": "1", "note": "n"}],
    "summaries": [{"period": "2021 Q1", "label": "L", "total": 3, "green": 1, "amber": 1,
                   "red": 1, "blue": 0, "item": "1", "note": "n"}],
    "series": [{"name": "S", "unit": "%", "item": "1", "note": "n",
                "points": [{"period": "2012", "value": 59}]}],
    "outputs": [{"project": "P", "output": "O", "rating": "green", "reference": "R",
                 "period": "2021", "item": "1"}],
    "figures": [{"name": "F", "value": 21, "unit": "£m", "text": "£21m", "period": "2021",
                 "item": "1"}],
    "notes": ["a note"],
    "documents": [{"title": "Pack", "url": "https://x.example/p.pdf", "file": "documents/p.pdf",
                   "size": 1234, "sha256": "0" * 64, "kind": "report", "item": "1", "note": "n"}],
}  # fmt: skip


def leaves(value: object, path: tuple = ()) -> list[tuple]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in leaves(v, (*path, k))] + [path]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in leaves(v, (*path, i))] + [path]
    return [path]


PATHS = [p for p in leaves(BASE) if p]
# the fields that become numbers, dates and times: half the changes go there
TYPED = {"target_value", "actual_value", "total", "green", "amber", "red", "blue", "value", "size"}
TYPED_PATHS = [p for p in PATHS if p[-1] in TYPED | {"date", "time"}]


def with_values(changes: list[tuple[tuple, object]]) -> dict:
    meta = copy.deepcopy(BASE)
    for path, value in changes:
        try:
            parent = functools.reduce(lambda node, step: node[step], path[:-1], meta)
            parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            pass  # an earlier change replaced the mapping this path leads through
    return meta


PLACES = st.sampled_from(TYPED_PATHS) | st.sampled_from(PATHS)
NUMBER_PLACES = st.sampled_from([p for p in PATHS if p[-1] in TYPED])
FRONTMATTER = st.one_of(
    # numbers only, so the file is read and the numbers meet each other (7 / 5e-324 is inf)
    st.lists(st.tuples(NUMBER_PLACES, ODD_NUMBERS), min_size=1, max_size=3),
    st.lists(st.tuples(PLACES, VALUES), min_size=1, max_size=3),
).map(with_values)
NUMBERS = st.one_of(
    st.from_regex(r"[0-9]{1,3}[a-z]?", fullmatch=True),
    st.text("0123456789", min_size=30, max_size=6000),
    st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=40),
)
ATTRS = st.one_of(st.just(""), st.text(max_size=14).map(lambda t: f" {{order={t}}}"))


def meeting_file(meta: dict, items: list[tuple[str, str]]) -> str:
    head = "".join(f"{key}: {dump(value)}\n" for key, value in meta.items())
    body = "".join(f"## {number}. Odd item{attrs}\n\nText.\n\n" for number, attrs in items)
    return f"---\n{head}---\n{body}"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(FRONTMATTER, st.lists(st.tuples(NUMBERS, ATTRS), max_size=3))
def test_no_frontmatter_value_stops_parse_cache_export_or_search(meta, items):
    text = meeting_file(meta, items)
    parsed = parse_bytes(text.encode("utf-8"), "odd.md")  # as the file is read
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "meetings"
        root.mkdir()
        (root / "good.md").write_text(GOOD, encoding="utf-8")
        (root / "odd.md").write_text(text, encoding="utf-8")
        for use_cache in (True, False):
            lib, _ = open_library(root, Path(tmp) / "cache.json", use_cache=use_cache)
            boards = {m.board for m in lib.meetings}
            assert "Good Board" in boards
            if parsed.document is not None:
                assert parsed.document.board in boards
            data = orjson.loads(export.to_json(lib))
            assert all(abs(n) <= limits.MAX_INTEGER for n in numbers(data))
            for table in ("meetings", "items", "attendance", "kpis"):
                export.to_csv(lib, table)
            assert "DTSTART;TZID=Europe/London:20200304T100000" in export.to_ics(lib)
            found = search.run(lib, "quokka")
            assert any(h.title == "1. Quokka welcome" for h in found.hits)
            search.run(lib, "odd item")
            rows = kpi.all_rows(lib)
            kpi.rows_table(rows)
            kpi.rows_csv(rows)
            for r in rows:
                if (p := kpi.progress(r.kpi)) is not None:
                    p.describe()
            # as `kpis --json` prints them: valid JSON (no NaN or Infinity)
            periods = [report.to_dict() for report in kpi.periods(lib)]
            json.dumps({"rows": [r.to_dict() for r in rows], "periods": periods}, allow_nan=False)


def numbers(data: object):
    if isinstance(data, bool):
        return
    if isinstance(data, int | float):
        yield data
    elif isinstance(data, list):
        for v in data:
            yield from numbers(v)
    elif isinstance(data, dict):
        for v in data.values():
            yield from numbers(v)


# --- the importer never writes such a file ---------------------------------------------------

AGENDA = Path(__file__).parents[1] / "fixtures" / "seeds" / "004_abf6ce4ef9784f3b.txt"
AGENDA_TEXT = decode(AGENDA.read_bytes(), [])


def kpi_e3(number: str) -> list[tuple[str, str]]:
    """E3 of the agenda pack sets a plain count and delivers it: the importer reads both."""
    return [
        ("at least 75 councils", f"at least {number} councils"),
        ("support to 77 councils", f"support to {number} councils"),
    ]


@pytest.mark.parametrize(
    ("changes", "left_out"),
    [
        ([], False),  # the pack as it is: the importer takes both numbers of E3
        (kpi_e3("100000000000000000000000"), True),
        (kpi_e3("18446744073709551616"), True),
        (kpi_e3("9" * 5000), True),
        ([("E1\t", "E" + "1" * 5000 + "\t")], False),
        ([("24 May 2018", "31 December 9999")], False),
        ([("24 May 2018", "1 January 0999")], False),
        ([("11.00 am", "11.0\u0663 am")], False),
    ],
    ids=["as-is", "beyond-64-bits", "2**64", "5000-digits", "code", "9999", "999", "arabic-digit"],
)
def test_the_importer_never_writes_a_file_check_rejects(tmp_path, changes, left_out):
    text = AGENDA_TEXT
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    result = import_text(text, AGENDA.name)
    e3 = [k for d in result.documents for k in d.document.kpis if k.code == "E3"]
    numbers = [(k.target_value, k.actual_value) for k in e3]
    if not changes:
        assert numbers == [(75, 77)]
    assert numbers == [(None, None)] if left_out else numbers in ([], [(75, 77)])
    said = any("kpis[3].target_value" in w and "out of range" in w for w in result.warnings)
    assert said == left_out
    for imported in result.documents:
        back = parse_text(render(imported.document), "written.md")
        assert back.document is not None and not back.problems, back.problems
    src = tmp_path / "agenda.txt"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    CliRunner().invoke(cli, ["import", str(src), "--out", str(out)], catch_exceptions=False)
    assert out.is_dir() or not result.documents
    if out.is_dir():
        checked = run("check", str(out))
        assert checked.exit_code == 0, checked.output
        assert " error: " not in checked.output and " warning: " not in checked.output


# --- the last guard: a meeting a writer still refuses is left out, not the export ------------


@pytest.mark.parametrize(
    ("spoil", "write"),
    [
        (
            # the calendar writes no end (no date step to overflow): a time it cannot read
            lambda m: [setattr(m, k, v) for k, v in (("date", "9999-12-31"), ("time", "25:99"))],
            export.to_ics,
        ),
        (lambda m: setattr(m.kpis[0], "target_value", 2**64), export.to_json),
        (lambda m: setattr(m, "board", "bad \udcff name"), export.to_json),
    ],
    ids=["ics-bad-time", "json-int-beyond-64-bits", "json-lone-surrogate"],
)
def test_a_meeting_a_writer_refuses_is_named_and_the_others_are_written(tmp_path, spoil, write):
    root = tmp_path / "meetings"
    root.mkdir()
    (root / "good.md").write_text(GOOD, encoding="utf-8")
    (root / "other.md").write_text(GOOD.replace("2020-03-04", "2021-01-02"), encoding="utf-8")
    lib, _ = open_library(root, use_cache=False)
    bad = lib.meeting("2021-01-02-good-board")
    spoil(bad)
    with pytest.raises((TypeError, ValueError, OverflowError)):
        write(lib)  # the writer itself fails on it: the guard is what keeps the export
    text, skipped = export.each_meeting(write, lib)
    assert [s.split(":")[0] for s in skipped] == ["2021-01-02-good-board"]
    assert "2020-03-04" in text or "20200304" in text
    assert len(lib.meetings) == 2  # the library is not changed


def test_an_import_source_whose_name_is_not_utf8_is_written_with_the_name_escaped(tmp_path):
    src = os.path.join(os.fsencode(tmp_path), b"agenda\xff.txt")
    with open(src, "wb") as f:
        f.write(AGENDA.read_bytes())
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["import", os.fsdecode(src), "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "agenda\\xff.txt" in result.output
    checked = run("check", str(out))
    assert checked.exit_code == 0 and " error: " not in checked.output, checked.output
    written = list(out.glob("*.md"))
    assert written and all('source: "agenda\\\\xff.txt' in p.read_text() for p in written)


@pytest.mark.parametrize(
    ("target", "actual"), [("5e-324", "7"), ("1e-300", "9e15"), ("-5e-324", "-9e15")]
)
def test_a_target_next_to_zero_gives_no_ratio_and_kpis_prints_valid_json(tmp_path, target, actual):
    root = tmp_path / "meetings"
    root.mkdir()
    (root / "k.md").write_text(
        HEAD + f"kpis:\n  - code: E1\n    target_value: {target}\n    actual_value: {actual}\n"
        "---\n",
        encoding="utf-8",
    )
    out = run("kpis", str(root), "--json")
    assert out.exit_code == 0, out.output

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} is not JSON")

    [row] = json.loads(out.stdout, parse_constant=refuse)["rows"]
    assert row["ratio"] is None
    assert run("kpis", str(root)).exit_code == 0
