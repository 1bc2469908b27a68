"""The loader's quick ways give what the slow ones gave: the tag PyYAML's resolver finds for
every value, and the indent a pattern found on every line."""

from __future__ import annotations

import re

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from tuibrowser import yamlsafe

TRAPS = ["", "~", "null", "NULL", "true", "False", "NO", "yes", "on", "10:30", "010", "09",
         "1e3", "1.5", ".5", "-.inf", ".nan", "+1", "2024-03-05", "0x1F", "0o17", "1_000", "=",
         "<<", "\ufeffx", "- a", "[]"]  # fmt: skip


def _both(kind: type, value: str | None, implicit: tuple[bool, bool]) -> tuple[str, str]:
    loader = yamlsafe.CoreLoader("")
    try:
        theirs = yaml.resolver.BaseResolver.resolve(loader, kind, value, implicit)
        return loader.resolve(kind, value, implicit), theirs
    finally:
        loader.dispose()


@given(
    st.one_of(st.sampled_from(TRAPS), st.text(alphabet="0123456789+-.eE:_xXoOtrufalsnN~ a")),
    st.booleans(),
    st.booleans(),
)
def test_a_scalar_gets_the_tag_pyyaml_gives_it(value: str, plain: bool, quoted: bool) -> None:
    ours, theirs = _both(yaml.ScalarNode, value, (plain, quoted))
    assert ours == theirs


def test_collections_get_the_tags_pyyaml_gives_them() -> None:
    for kind in (yaml.SequenceNode, yaml.MappingNode):
        ours, theirs = _both(kind, None, (True, False))
        assert ours == theirs


def test_a_loaded_document_is_what_the_resolver_of_pyyaml_makes_of_it() -> None:
    text = "a: 10:30\nb: NO\nc: 010\nd: [1.5, true, ~, '', x]\ne: {f: 2024-03-05}\n"
    assert yamlsafe.load(text) == {
        "a": "10:30",
        "b": "NO",
        "c": 10,
        "d": [1.5, True, None, "", "x"],
        "e": {"f": "2024-03-05"},
    }


@given(st.text(alphabet=" \na-[", max_size=60), st.integers(-2, 8))
def test_indented_is_the_deepest_indent_a_pattern_finds(text: str, spaces: int) -> None:
    deepest = max(map(len, re.findall(r"^[ ]+", text, re.MULTILINE)), default=0)
    assert yamlsafe.indented(text, spaces) == (deepest >= spaces)


# every ASCII character, and others the pattern holds or lets through (its bounds among them)
ODD_OR_NOT = (
    "".join(map(chr, range(128))) + "\x80\x9f\xa0é\u2028\u2029\ufeff\ud800\udfff\ufffe\uffff\ufffd"
)


@given(st.text(alphabet=ODD_OR_NOT, max_size=20))
@example("")
@example("title: A plain line\n- b")
@example("a\tb")
@example("x\x7f")
@example("Zoë: é")
@example("a\u2028b")
@example("\ufeff")
def test_an_odd_character_is_found_as_the_pattern_finds_it(text: str) -> None:
    from tuibrowser.yamlquick import has_odd, odd_pattern

    assert has_odd(text) == (odd_pattern().search(text) is not None)
