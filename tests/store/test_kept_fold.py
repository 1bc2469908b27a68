"""A shard written again by a refresh takes the search text of its unchanged meetings from its
old segment (tuibrowser.search.keptfold) and folds only the others: whatever the edits and the
texts (non-ASCII, case that folds to another length, blanks and marks a field loses, control
characters, empty fields), the cache is the one a cold index of the same files writes, byte for
byte, and an old part that does not fit is not taken."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
from aged import write_aged
from coldindex import cold, content
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuibrowser.packed import pack, unpack
from tuibrowser.search import keptfold
from tuibrowser.store import Cache, layout

# two boards whose slugs are equal (their meetings' ids depend on each other), and another
BOARDS = ["Audit & Risk", "Audit Risk", "Cabinet"]
KINDS = ["agenda", "minutes"]
# what a field may hold: words, case that folds to another length (İ), a final sigma, blanks
# of other widths, quotes folding changes, marks display_text takes out (leaving a blank by
# a separator when a field starts or ends with one), control characters and the separators
# a month's text is folded with, text in other scripts, nothing at all
PIECES = [
    "plain words",
    "Version",
    "naïve café Straße",
    "İstanbul İİ",
    "ΟΔΟΣ ΑΣ Σ",
    "a\u00a0b\u2003c\u3000d",
    "‘quoted’ “double”",
    "**bold** __under__ `code`",
    "- a bullet",
    "#### heading",
    "---",
    "x/y-z's",
    "tab\there",
    "bell\x07ring",
    "sep\x01arated",
    "unit\x1fsep",
    "日本語のテキスト",
    "emoji 🎉 end",
    "  spaced   out  ",
    "",
    "ﬁne ligature",
    "Ǆ dz",
]
PIECE = st.sampled_from(PIECES)
ITEM = st.tuples(
    PIECE,  # title
    st.lists(PIECE, max_size=4),  # the minute's lines
    st.lists(PIECE, max_size=2),  # decisions
    st.lists(PIECE, max_size=2),  # actions
    st.integers(0, 2),  # how long the minute is (a few hundred bytes more each)
)
BODY = st.lists(ITEM, max_size=3)
SLOT = st.tuples(st.integers(0, 2), st.integers(1, 4), st.sampled_from(KINDS))


def text(slot: tuple[int, int, str], items: list, edition: int, day: int | None = None) -> str:
    board, d, kind = slot
    out = [
        f'---\nboard: "{BOARDS[board]}"\ndate: "{_date(day or d)}"\nkind: {kind}\n'
        f"attendance:\n  - name: Cllr Pérson {board}\n    status: present\n",
        # an agenda reports KPIs (records of their own, after the items') when it has items
        "".join(
            f'kpis:\n  - code: "K{n}"\n    theme: "Thème {n}"\n    period: "2019/20 Q{n}"\n'
            f'    target: "Deliver {n}"\n    delivered: {json.dumps(title[:9])}\n'
            if n == 1
            else f'  - code: "K{n}"\n    target: "Target {n}"\n'
            for n, (title, *_) in enumerate(items, 1)
        )
        if kind == "agenda"
        else "",
        "---\n",
        f"## 0. Standing item\n\nEdition {edition:04d} of the minutes.\n",
    ]
    for n, (title, lines, decisions, actions, long) in enumerate(items, 1):
        out.append(f"\n## {n}. {title}\n\n" + "\n".join(lines) + "\n")
        out.append(" ".join(["A long minute of the board, said in full."] * 8 * long) + "\n")
        if decisions:
            out.append("\n### Decisions\n\n" + "".join(f"- {t}\n" for t in decisions))
        if actions:
            out.append("\n### Actions\n\n" + "".join(f"- {t}\n" for t in actions))
    return "".join(out)


def _date(day: int) -> str:
    return f"2020-02-{day - 40:02d}" if day > 40 else f"2020-01-{day:02d}"


def name(slot: tuple[int, int, str]) -> str:
    board, day, kind = slot
    return f"2020-01-{day:02d}-b{board}-{kind}.md"


# change: new text; same: the same bytes but the edition of its first item's minute (a
# same-size edit of a record's text, its meeting's records as many as they were); redate: its date
# moved to another half month (the name keeps the old one); break: frontmatter that does not
# parse; move: another file name, the same document
ACTIONS = ["change", "same", "add", "delete", "move", "redate", "break"]
STEPS = st.lists(st.tuples(st.sampled_from(ACTIONS), SLOT, BODY), min_size=1, max_size=5)


def step(root: Path, action: str, slot: tuple, items: list, version: int) -> None:
    path = root / name(slot)
    if action in ("change", "add"):
        write_aged(path, text(slot, items, version))
    elif action == "same" and path.exists():
        old = path.read_text(encoding="utf-8")
        at = old.find("Edition ")
        if at != -1:
            write_aged(path, old[:at] + f"Edition {version % 10000:04d}" + old[at + 12 :])
    elif action == "redate":
        write_aged(path, text(slot, items, version, day=43))
    elif action == "break":
        write_aged(path, '---\nboard: [unclosed\ndate: "2020-01-0\n---\n## 1. x\n')
    elif action == "delete" and path.exists() and len(list(root.glob("*.md"))) > 1:
        path.unlink()
    elif action == "move" and path.exists():
        path.rename(root / f"{path.stem}-moved-{version}.md")


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.lists(st.tuples(SLOT, BODY), min_size=2, max_size=8),
    steps=STEPS,
    public=st.booleans(),
)
def test_a_refresh_taking_old_search_text_writes_a_cold_index(
    tmp_path_factory, start, steps, public
):
    tmp = tmp_path_factory.mktemp("keptfold")
    root = tmp / "meetings"
    root.mkdir()
    for slot, items in start:
        step(root, "add", slot, items, 0)
    cache = Cache(root, tmp / "cache" / "c.json", public=public)
    cache.update()
    for version, (action, slot, items) in enumerate(steps, start=1):
        step(root, action, slot, items, version)
        cache.update()
        fresh = Cache(root, tmp / f"cold-{version}" / "c.json", public=public)
        fresh.update()
        assert content(cache) == content(fresh)


def three_days(tmp_path: Path) -> Path:
    root = tmp_path / "meetings"
    root.mkdir()
    items = [("Item ΟΔΟΣ", ["naïve café", "---"], ["a decision"], ["an action"], 1)]
    for board in range(3):
        for day in (1, 2, 3):
            write_aged(
                root / name((board, day, "minutes")), text((board, day, "minutes"), items, 0)
            )
    return root


def test_only_the_changed_meeting_is_folded(tmp_path, monkeypatch):
    """An edit of one file of a half month folds the records of its meeting alone; the others
    are the old segment's bytes, and the cache is a cold index's."""
    root = three_days(tmp_path)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    folded: list[list[str]] = []
    month_fold = keptfold.month_fold

    def counting(meetings):
        folded.append([m.id for m in meetings])
        return month_fold(meetings)

    monkeypatch.setattr(keptfold, "month_fold", counting)
    path = root / name((2, 2, "minutes"))
    write_aged(path, path.read_text(encoding="utf-8") + "\nOne line more.\n")
    cache.update()
    assert folded == [["2020-01-02-cabinet"]]
    assert content(cache) == content(cold(root, tmp_path))


def test_an_old_segment_that_does_not_fit_is_not_taken(tmp_path, monkeypatch):
    """An old shard whose meetings' record places do not fit its segment is folded whole (and
    the cache is a cold index's)."""
    root = three_days(tmp_path)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    index, _ = cache._load_raw()
    assert index is not None
    units = cache.shard_dir / layout.skeleton_names(index.meta.shards["2020-01-1"])[1]
    part = orjson.loads(unpack(units.read_bytes()))
    part["m"][1][3] += 1  # the second meeting said to start a record later
    units.write_bytes(pack(orjson.dumps(part), tight=True))
    folded: list[int] = []
    month_fold = keptfold.month_fold

    def counting(meetings):
        folded.append(len(meetings))
        return month_fold(meetings)

    monkeypatch.setattr(keptfold, "month_fold", counting)
    path = root / name((2, 2, "minutes"))
    write_aged(path, path.read_text(encoding="utf-8") + "\nOne line more.\n")
    cache.update()
    assert content(cache) == content(cold(root, tmp_path))
