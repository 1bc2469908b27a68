"""A shard written again takes the dashboard's rows (``k`` of its views) of the meetings that did
not change from its old part, and makes only the others' (without importing the KPI modules
when none of those reports a KPI or states a summary): whatever the edits (a KPI's rating or
period, a summary, a meeting's date or board, files added, deleted or moved), the cache is the
one a cold index writes, part for part."""

from __future__ import annotations

from pathlib import Path

from aged import write_aged
from cachefiles import shard_parts
from coldindex import exported
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tuibrowser.kpi.glance as glance_module
from tuibrowser.store import Cache

# "Audit & Risk" and "Audit Risk" have one slug: their meetings on a date share an id base
BOARDS = ["Audit & Risk", "Audit Risk", "Cabinet"]
PERIODS = ["2020/21 Q1", "2020/21 Q2", "Année 2020 — Q3"]
RATINGS = ["green", "amber", "red", "blue", "purple"]

# a file: board, day, kind; its content: the KPIs (period, rating), a summary's period or
# none, and a version of its words (non-ASCII and separators among them)
FILES = st.tuples(st.integers(0, 2), st.integers(1, 3), st.sampled_from(["agenda", "minutes"]))
KPIS = st.lists(
    st.tuples(st.sampled_from(PERIODS), st.sampled_from(RATINGS)), min_size=0, max_size=3
)
CONTENT = st.tuples(
    KPIS,
    st.one_of(st.none(), st.sampled_from(PERIODS)),
    st.sampled_from(["plain", "Ünïcode — naïve/‘quoted’", "tab\tand\x01 sep-a-rated"]),
)


def text(board: int, day: int, kind: str, content: tuple) -> str:
    kpis, summary, words = content
    lines = [
        "---",
        f'board: "{BOARDS[board]}"',
        f'date: "2020-01-{day:02d}"',
        f"kind: {kind}",
        "attendance:",
        f"  - name: Cllr Person {board}",
        "    status: present",
    ]
    if kpis:
        lines.append("kpis:")
        for n, (period, rating) in enumerate(kpis, 1):
            lines += [
                f'  - code: "K{n}"',
                f'    theme: "Theme {n}"',
                f'    period: "{period}"',
                f"    target_value: {10 * n}",
                f"    actual_value: {7 * n}",
                f"    rating: {rating}",
                '    item: "1"',
            ]
    if summary is not None:
        lines += [
            "summaries:",
            f'  - period: "{summary}"',
            "    label: Performance indicators",
            f"    total: {len(kpis) + 1}",
            "    green: 1",
            "    red: 0",
            '    item: "1"',
        ]
    lines += ["---", "", "## 1. Performance", "", f"Report of the {kind}: {words!r}.", ""]
    return "\n".join(lines)


def name(board: int, day: int, kind: str) -> str:
    return f"2020-01-{day:02d}-b{board}-{kind}.md"


STEPS = st.lists(
    st.tuples(st.sampled_from(["change", "add", "delete", "move", "redate"]), FILES, CONTENT),
    min_size=1,
    max_size=6,
)


def step(root: Path, action: str, file: tuple[int, int, str], content: tuple, n: int) -> None:
    board, day, kind = file
    path = root / name(board, day, kind)
    if action in ("change", "add"):
        write_aged(path, text(board, day, kind, content))
    elif action == "delete" and path.exists() and len(list(root.glob("*.md"))) > 1:
        path.unlink()
    elif action == "move" and path.exists():  # another file name, the same document
        path.rename(root / f"{path.stem}-moved-{n}.md")
    elif action == "redate" and path.exists():  # the same file, another day (and board)
        other = (board + 1) % 3
        new = text(other, day % 3 + 1, kind, content)
        path.unlink()
        write_aged(root / f"{path.stem}-redated-{n}.md", new)


def periods(cache: Cache) -> list:
    """Every reporting period the cache's parts give the dashboard, as the first reader merges
    them (the Ratings tab keeps the newest of them)."""
    index = cache._load_raw()[0]
    assert index is not None
    return glance_module.merge_glances(cache._years(index.meta.shards, "k"))


def seen(cache: Cache) -> tuple:
    data = exported(cache)
    return data, periods(cache), cache.ratings(), shard_parts(cache)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(start=st.lists(st.tuples(FILES, CONTENT), min_size=1, max_size=8), steps=STEPS)
def test_the_dashboards_rows_kept_are_a_cold_indexs(tmp_path_factory, start, steps):
    tmp = tmp_path_factory.mktemp("glances")
    root = tmp / "meetings"
    root.mkdir()
    for file, content in start:
        step(root, "add", file, content, 0)
    cache = Cache(root, tmp / "cache" / "c.json")
    cache.update()
    for n, (action, file, content) in enumerate(steps, start=1):
        step(root, action, file, content, n)
        cache.update()
        cold = Cache(root, tmp / f"cold-{n}" / "c.json")
        cold.update()
        assert seen(cache) == seen(cold)


def test_only_the_changed_meetings_rows_are_made(tmp_path, monkeypatch):
    """An edit of a meeting without KPIs in a half month whose other meetings report them
    makes no dashboard row (the others are taken as they were); an edit of one with KPIs
    makes its rows alone. Either way the cache is a cold index's."""
    root = tmp_path / "meetings"
    root.mkdir()
    with_kpis = ([("2020/21 Q1", "green"), ("2020/21 Q2", "red")], "2020/21 Q1", "plain")
    for board in range(3):
        for day in (1, 2):
            write_aged(root / name(board, day, "minutes"), text(board, day, "minutes", with_kpis))
    write_aged(root / name(2, 3, "minutes"), text(2, 3, "minutes", ([], None, "plain")))
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    made: list[list[str]] = []
    real = glance_module.shard_glances

    def counting(meetings):
        made.append([m.id for m in meetings])
        return real(meetings)

    monkeypatch.setattr(glance_module, "shard_glances", counting)
    write_aged(root / name(2, 3, "minutes"), text(2, 3, "minutes", ([], None, "edited")))
    cache.update()
    assert made == []
    changed = ([("2020/21 Q1", "amber")], None, "plain")
    write_aged(root / name(2, 1, "minutes"), text(2, 1, "minutes", changed))
    cache.update()
    assert made == [["2020-01-01-cabinet"]]
    # an edit of the words of a meeting with KPIs: its rows are taken as they were
    write_aged(root / name(0, 1, "minutes"), text(0, 1, "minutes", (*with_kpis[:2], "edited")))
    cache.update()
    assert made == [["2020-01-01-cabinet"]]
    # two boards of one slug: a meeting's id depends on the other's, both are made again
    # but for the other's rows, whose KPIs are as they were
    write_aged(root / name(1, 2, "minutes"), text(1, 2, "minutes", changed))
    cache.update()
    assert sorted(map(len, made)) == [1, 1]
    monkeypatch.setattr(glance_module, "shard_glances", real)
    cold = Cache(root, tmp_path / "cold" / "c.json")
    cold.update()
    assert seen(cache) == seen(cold)
    assert periods(cache)
