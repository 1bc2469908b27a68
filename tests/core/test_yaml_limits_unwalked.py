"""What the quick YAML reader read is let through without walking it for the limits only when
the walk could not have refused it (``yamlsafe.within_limits``): a frontmatter of the quick
reader's shapes, indented less than a quarter of the depth limit, is no deeper than the limit,
and any other is walked as before."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tuibrowser import yamlsafe
from tuibrowser.yamlquick import UNUSUAL, quick_load


def nest(levels: list[str]) -> Any:
    """A value nested one level for each of ``levels`` ("map" or "seq"), innermost first."""
    value: Any = "text"
    for kind in levels:
        value = {"k": value, "other": "x"} if kind == "map" else [value, "x"]
    return value


def walk_refuses(data: Any) -> bool:
    try:
        yamlsafe.check_limits(data)
    except yamlsafe.YamlLimitError:
        return True
    return False


def load_refuses(text: str) -> bool:
    try:
        yamlsafe.load(text)
    except yamlsafe.YamlLimitError:
        return True
    return False


@given(
    st.lists(st.sampled_from(["map", "seq"]), min_size=1, max_size=90),
    st.sampled_from([2, 3, 4]),
)
def test_a_quick_read_is_refused_exactly_when_its_walk_would_be(levels, indent):
    text = yaml.safe_dump(nest(levels), default_flow_style=False, indent=indent)
    data = quick_load(text)
    if data is UNUSUAL:  # (a shape the loader reads: walked as it always was)
        return
    if yamlsafe.within_limits(text):
        assert not walk_refuses(data)
    assert load_refuses(text) == walk_refuses(data)


@pytest.mark.parametrize("levels", [10, 30, 64, 65, 66, 100])
def test_deep_mappings_of_the_quick_shapes_are_still_refused(levels):
    """The tightest nesting the quick reader takes: a sequence at its key's indent, a mapping
    in each entry two spaces in (``levels`` containers, the last of them holding a text)."""
    text = yaml.safe_dump(nest((["seq", "map"] * levels)[:levels]), default_flow_style=False)
    assert quick_load(text) is not UNUSUAL
    assert load_refuses(text) == walk_refuses(quick_load(text))
    assert load_refuses(text) == (levels > yamlsafe.MAX_DEPTH)
