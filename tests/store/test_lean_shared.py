"""A lean library (the browser's: loaded without the long texts) gives the empty lists of its
meetings and items one shared, read-only list: the same records as before, 12 MB less at
10,000 meetings, and nothing can be added to one record's empty list through another's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tuibrowser.store import Cache

MEETING = """---
board: {board}
date: '{date}'
kind: minutes
attendance:
  - name: Cllr Ann Lee
    status: present
---
## 1. Apologies
Text.
## 2. Budget
Text.
### Decisions
- Agreed the budget.
"""


@pytest.fixture
def lean(tmp_path):
    root = tmp_path / "meetings"
    root.mkdir()
    for k, board in enumerate(["Audit Board", "Finance Board", "Audit Board"], start=1):
        (root / f"m{k}.md").write_text(MEETING.format(board=board, date=f"2023-0{k}-0{k}"))
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    lib = cache.load(texts=False)
    assert lib is not None and len(lib.meetings) == 3
    return lib


def empty_lists(lib) -> list[list[Any]]:
    out = []
    for m in lib.meetings:
        out += [v for v in (getattr(m, f) for f in m.__slots__) if isinstance(v, list) and not v]
        for it in m.items:
            out += [v for v in (it.decisions, it.actions) if not v]
    return out


def test_the_empty_lists_of_a_lean_library_are_one_list(lean):
    found = empty_lists(lean)
    assert len(found) > 3 * 10  # a dozen a meeting, and the items'
    assert len({id(v) for v in found}) == 1
    assert found[0] == [] and isinstance(found[0], list)
    # what is not empty stays each record's own
    decided = [it.decisions for m in lean.meetings for it in m.items if it.decisions]
    assert decided and len({id(v) for v in decided}) == len(decided)


ADDS: dict[str, Callable[[list[Any]], object]] = {
    "append": lambda v: v.append("x"),
    "insert": lambda v: v.insert(0, "x"),
    "extend": lambda v: v.extend(["x"]),
    "extend from a generator": lambda v: v.extend(x for x in ["x"]),
}


@pytest.mark.parametrize("add", ADDS.values(), ids=ADDS.keys())
def test_nothing_can_be_added_to_the_shared_empty_list(lean, add):
    shared = empty_lists(lean)[0]
    with pytest.raises(TypeError):
        add(shared)
    assert shared == [] and all(v == [] for v in empty_lists(lean))


def test_extending_the_shared_empty_list_by_nothing_is_allowed(lean):
    shared = empty_lists(lean)[0]
    shared.extend([])
    assert shared == []


def test_a_meeting_opened_gets_its_texts_beside_the_shared_lists(lean):
    m = lean.full(lean.meetings[0].id)
    assert m is not None
    assert [it.title for it in m.items] == ["Apologies", "Budget"]
    assert m.items[1].decisions == ["Agreed the budget."]
