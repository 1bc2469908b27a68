"""The quick reader of common frontmatter (tuibrowser.yamlquick) gives what the loader gives,
or leaves the text to the loader: never another value, never a text the loader refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuibrowser import records, yamlquick, yamlsafe
from tuibrowser.yamlquick import UNUSUAL, _Unusual, has_odd, line_load, quick_load, token_load

ROOT = Path(__file__).resolve().parents[2] / "meetings"
DATA = Path(__file__).resolve().parents[1] / "data"

# YAML 1.1's traps and the core schema's edges, and texts with YAML's indicators in them
TRAPS = ["", "~", "null", "NULL", "Null", "true", "False", "TRUE", "NO", "yes", "on", "off",
         "10:30", "010", "09", "0", "-1", "+1", "1e3", "1E-3", "1.5", ".5", "1.", ".", "-.inf",
         ".nan", "2024-03-05", "0x1F", "0o17", "1_000", "=", "<<", "a: b", "a:b", "a #b", "a#b",
         "x:", "- a", "-a", "[]", "{}", "[a, b]", "{a: 1}", "&a x", "*a", "!!str 1", "!x y", "|",
         ">-", "> a", "'q'", '"q"', "it's", 'say "hi"', "a\\b", '\\"', "%x", "@x", "`x",
         "?x", ",x", "#x", "a  b", "\xa0x", "é", "Cllr O'Brien", "9" * 30, "1" * 5000]  # fmt: skip
KEYS = ["a", "board", "date", "next meeting", "on", "yes", "no", "true", "null", "1", "a-b",
        "a_b", "<<", "~", "a:", "é", "A", "key "]  # fmt: skip
_TEXT = st.text(alphabet="ab :#-'\"\\/&*!|>[]{},?%@`\xa0é~.01", max_size=12)
SCALARS = st.one_of(st.sampled_from(TRAPS), _TEXT)


def _quote(value: str, how: str) -> str:
    if how == "double":
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if how == "single":
        return "'" + value.replace("'", "''") + "'"
    if how == "raw double":
        return '"' + value + '"'
    return value


@st.composite
def scalar_text(draw, indent: int) -> str:
    how = draw(st.sampled_from(["plain", "plain", "double", "single", "raw double", "block"]))
    if how == "block":
        head = draw(st.sampled_from([">-", ">", "|-", "|", ">+", ">2", ">- # c"]))
        deeper = indent + draw(st.integers(1, 3))
        lines = draw(st.lists(_TEXT, min_size=0, max_size=3))
        shift = draw(st.sampled_from([0, 0, 0, 1]))
        body = "".join(
            "\n" + " " * (deeper + (shift if n else 0)) + line for n, line in enumerate(lines)
        )
        return head + body
    return _quote(draw(SCALARS), how)


@st.composite
def block(draw, indent: int, depth: int) -> str:
    """A block mapping or sequence at ``indent``, as the lines of a file."""
    kind = draw(st.sampled_from(["map", "seq"]))
    out = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.integers(0, 9)) == 0:
            out.append(" " * draw(st.integers(0, 4)) + draw(st.sampled_from(["", "# note"])))
        lead = " " * indent + ("- " if kind == "seq" else "")
        key = "" if kind == "seq" and draw(st.booleans()) else draw(st.sampled_from(KEYS)) + ":"
        nested = depth < 3 and draw(st.integers(0, 3)) == 0
        if nested and key:
            step = draw(st.sampled_from([0, 2, 4])) if kind == "map" else 2
            child = draw(block(indent + step + (2 if kind == "seq" else 0), depth + 1))
            out.append(lead + key + "\n" + child)
        else:
            value = draw(scalar_text(indent + 2 if kind == "seq" else indent))
            out.append(lead + key + (" " if key else "") + value)
            if kind == "seq" and key and draw(st.booleans()):
                more = draw(st.sampled_from(KEYS))
                value = draw(scalar_text(indent + 2))
                out.append(" " * (indent + 2) + more + ": " + value)
        if draw(st.integers(0, 9)) == 0:
            out[-1] += draw(st.sampled_from([" ", "  # c", " #c"]))
    return "\n".join(out)


def _loaded(text: str):
    try:
        return ("value", yamlsafe.compose_load(text))
    except Exception as exc:  # noqa: BLE001 - any refusal of the loader
        return ("refused", type(exc).__name__)


def _same(quick, loaded) -> None:
    assert loaded[0] == "value", f"the loader refuses what the quick reader read: {loaded}"
    assert quick == loaded[1]
    assert repr(quick) == repr(loaded[1])  # 1 is not 1.0 nor True


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(block(0, 0))
def test_what_the_quick_reader_reads_is_what_the_loader_makes(text: str) -> None:
    quick = quick_load(text)
    if quick is not UNUSUAL:
        _same(quick, _loaded(text))


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="ab :#-'\"\\|>[]{}&*!\n\t0.~\xa0\u2028", max_size=40))
def test_any_text_is_read_as_the_loader_reads_it_or_left_to_it(text: str) -> None:
    quick = quick_load(text)
    if quick is not UNUSUAL:
        _same(quick, _loaded(text))


def _frontmatters() -> list[tuple[str, str]]:
    out = []
    for path in sorted([*ROOT.rglob("*.md"), *DATA.rglob("*.md")]):
        text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        split = records.HANDLER.split_lines(text) if records.HANDLER.detect(text) else None
        if split is not None:
            out.append((path.name, split[0]))
    return out


FRONTMATTERS = _frontmatters()


def test_the_bundled_meetings_and_samples_are_read_as_the_loader_reads_them() -> None:
    quick = 0
    for _name, fm in FRONTMATTERS:
        value = quick_load(fm)
        if value is not UNUSUAL:
            quick += 1
            _same(value, _loaded(fm))
    # the shapes meeting files hold are read quickly (else this reader is of no use)
    assert quick >= 0.8 * len(FRONTMATTERS) > 10


READ = {
    "a: 10:30\nb: NO\nc: 010\nd: 1e3\ne: ~\nf: true\ng:\nh: 'x'": {
        "a": "10:30", "b": "NO", "c": 10, "d": 1000.0, "e": None, "f": True, "g": None, "h": "x",
    },
    'list:\n- name: "A \\"B\\""\n  role: x\n-   k: v\n    j: []\nz: {}': {
        "list": [{"name": 'A "B"', "role": "x"}, {"k": "v", "j": []}], "z": {},
    },
    "n:\n  - >-\n    one\n    two\n  - |\n    l1\n    l2\n\nm: x": {"n": ["one two", "l1\nl2\n"], "m": "x"},
}  # fmt: skip


@pytest.mark.parametrize("text", list(READ))
def test_the_common_shapes_are_read_quickly(text: str) -> None:
    assert quick_load(text) == READ[text] == yamlsafe.compose_load(text)


LEFT = ["a: [1, 2]", "a: &x 1\nb: *x", "a: !!str 1", "a: b\na: c", "a: x\n  y", "a: 'it''s'",
        '"a": 1', "? a\n: b", "a: >2\n   x", "a:\tb", "a: |\n  x\n\n  y", "a: |\n  x\n   y",
        "a: x # c", "--- \na: 1", "true: 1", "1: a", "a: \"\\n\"", "-\n  a: 1", "a: \ufeffb",
        "a: b\u2028c", "a:\n - b\n  - c"]  # fmt: skip


@pytest.mark.parametrize("text", LEFT)
def test_other_shapes_are_left_to_the_loader(text: str) -> None:
    assert quick_load(text) is UNUSUAL


def _read_by_lines(text: str):
    try:
        return ("value", line_load(text))
    except _Unusual:
        return ("left", None)


def _same_as_line_reader(text: str) -> bool:
    """Whether the token reader gives what the line reader gives (True), or leaves the text to
    it (False); it never gives another value, nor a value the line reader leaves."""
    try:
        value = token_load(text)
    except _Unusual:
        return False
    by_lines = _read_by_lines(text)
    assert by_lines[0] == "value", "the token reader read what the line reader leaves"
    assert repr(value) == repr(by_lines[1])
    return True


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(block(0, 0))
def test_the_token_reader_reads_what_the_line_reader_reads(text: str) -> None:
    if not has_odd(text):
        _same_as_line_reader(text)


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="ab :#-'\"\\|>[]{}&*!\n0.~\xa0é_T", max_size=40))
def test_any_text_the_token_reader_reads_the_line_reader_reads_alike(text: str) -> None:
    if not has_odd(text):
        _same_as_line_reader(text)


TOKEN_SHAPES = {
    'a: "x"\nb: plain text\nc:\n  - name: "A"\n    role: Member\n  -   k: v\n      j: ""\nd: 3': {
        "a": "x", "b": "plain text", "c": [{"name": "A", "role": "Member"}, {"k": "v", "j": ""}],
        "d": 3,
    },
    "s:\n- a\n- 'b'\n- \"c: d\"\nm:\n  k: x  \n  Key with words: 1.5\n# c\n\nn: ~": {
        "s": ["a", "b", "c: d"], "m": {"k": "x", "Key with words": 1.5}, "n": None,
    },
    "next_meeting:\n  date: \"2020-03-22\"\nseries:\n  - name: x\n    points:\n      - period: q1\n"
    "        value: 10:30\n": {
        "next_meeting": {"date": "2020-03-22"},
        "series": [{"name": "x", "points": [{"period": "q1", "value": "10:30"}]}],
    },
}  # fmt: skip


@pytest.mark.parametrize("text", list(TOKEN_SHAPES))
def test_the_commonest_shapes_are_read_by_tokens(text: str) -> None:
    assert token_load(text) == TOKEN_SHAPES[text] == yamlsafe.compose_load(text)


TOKEN_LEFT = ["a: >-\n  x", "a: x # c", "true: 1", "a: b\na: c", "a: x\n  y", '"a": 1', "-\n  a: 1",
              "é: 1", "a:\n - b\n  - c", "- - a", "a: b: c", "  a: 1", "a: |\n  x", "---\na: 1",
              "- true: 1", "a:\n  - x\n   y"]  # fmt: skip


@pytest.mark.parametrize("text", TOKEN_LEFT)
def test_other_shapes_are_left_to_the_line_reader(text: str) -> None:
    with pytest.raises(_Unusual):
        token_load(text)


def test_the_bundled_meetings_and_samples_are_read_alike_by_both_readers() -> None:
    by_tokens = 0
    for _name, fm in FRONTMATTERS:
        if not has_odd(fm):
            by_tokens += _same_as_line_reader(fm)
    # most are read by tokens (else the token reader is of no use)
    assert by_tokens >= 0.75 * len(FRONTMATTERS) > 10


def _nested(levels: int, how: str) -> str:
    if how == "mappings":
        return "\n".join(" " * n + "a:" for n in range(levels))
    if how == "entries":  # each sequence at its key's indent, each entry's mapping two deeper
        return "\n".join(" " * (2 * n) + ("- " if n else "") + "a:" for n in range(levels))
    return "\n".join(" " * (2 * n) + "- a:" for n in range(levels))


@pytest.mark.parametrize("how", ["mappings", "entries", "sequences"])
@pytest.mark.parametrize("levels", [70, 300, 600, 1200])
def test_deep_nesting_is_a_clear_error_not_a_crash(levels: int, how: str) -> None:
    text = _nested(levels, how)
    assert quick_load(text) is UNUSUAL or levels < 100
    parsed = records.parse_text(f"---\n{text}\n---\n# x\n", "m.md")
    assert parsed.document is None
    assert [p.message for p in parsed.problems] == ["YAML nested deeper than 64 levels"]


# The token reader cuts a text up a line at a time, each line's token kept for the next file
# (yamlquick.tokens_of): the tokens are those the pattern finds in the whole text, whether the
# lines were seen before or not.
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        block(0, 0),
        st.text(alphabet="ab :#-'\"\\|>[]{}&*!\n\r\t\x0b\x0c0.~\xa0é_T\u2028\u0085", max_size=60),
    )
)
def test_the_tokens_of_a_text_are_found_a_line_at_a_time(text: str) -> None:
    expected = yamlquick._TOKEN.findall(text)
    assert yamlquick.tokens_of(text) == expected  # lines maybe seen before
    yamlquick._LINE_TOKENS.clear()
    assert yamlquick.tokens_of(text) == expected  # each line seen for the first time
    assert yamlquick.tokens_of(text) == expected  # each line seen before


def test_the_lines_kept_are_few_and_short() -> None:
    yamlquick._LINE_TOKENS.clear()
    long_line = "title: " + "x" * yamlquick.MAX_LINE_CHARS
    many = "\n".join(f"k{n}: v" for n in range(yamlquick.MAX_LINES + 10))
    yamlquick.tokens_of(long_line + "\n" + many)
    assert long_line not in yamlquick._LINE_TOKENS
    assert len(yamlquick._LINE_TOKENS) == yamlquick.MAX_LINES
    assert yamlquick.tokens_of(many) == yamlquick._TOKEN.findall(many)
    yamlquick._LINE_TOKENS.clear()
