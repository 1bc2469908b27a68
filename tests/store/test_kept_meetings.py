"""A shard written again takes its unchanged meetings whole from its old parts
(store/keptmeetings.py): their documents are not made into records nor merged, their titles,
records, items and dashboard rows are the old parts', and the half month's people and
figures are the old parts' when the meetings made again say of their people what they said.
Whatever the edits (words, people, attendance, membership, titles, times, KPIs, dates, files
added, deleted, moved; two boards whose slugs are equal; a public cache), the cache is the one
a cold index of the same files writes, part for part; an old part that does not fit is not
taken."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from aged import write_aged
from coldindex import cold, content
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuibrowser import library
from tuibrowser.packed import pack, unpack
from tuibrowser.search import skeleton
from tuibrowser.store import Cache, keptmeetings, layout

# "Audit & Risk" and "Audit Risk" have one slug: their meetings on a date share an id base
BOARDS = ["Audit & Risk", "Audit Risk", "Cabinet"]
KINDS = ["agenda", "minutes", "attendance"]
NAMES = ["Ann Lee", "Bob Roe", "Çelik Öz", "ΔΗΜΟΣ Σ"]
STATUSES = ["present", "apologies", "in_attendance", "absent"]
# an item's title: plain, non-ASCII, markdown's markers, a separator, none at all (its minute
# stands for it among the titles)
TITLES = ["Budget", "Naïve café İstanbul", "- a bullet", "**Bold** `code`", "sep\x01x", ""]

PERSON = st.tuples(
    st.integers(0, 3),
    st.sampled_from(STATUSES),
    st.sampled_from([None, "Chair", "Substitute", "Observer"]),
    st.sampled_from([None, "Leeds City Council", "Hampshire"]),
)
MEMBER = st.tuples(st.integers(0, 3), st.sampled_from(["Labour", "Conservative"]))
ITEM = st.tuples(st.sampled_from(TITLES), st.integers(0, 2))
CONTENT = st.tuples(
    st.sampled_from([None, "10:00", "14:30"]),  # time
    st.lists(PERSON, max_size=3),  # attendance
    st.lists(MEMBER, max_size=2),  # membership
    st.lists(ITEM, max_size=3),  # items
    st.lists(st.sampled_from(["K1", "K2", "Q3"]), max_size=2),  # KPIs
    st.integers(0, 9),  # a version of its words
)
SLOT = st.tuples(st.integers(0, 2), st.integers(1, 3), st.sampled_from(KINDS))
# words: only the words of its minutes; time, people, members, titles, kpis: only that; change:
# all of it; redate: its date another half month's (its name keeps the old one); move: another
# file name, the same document
ACTIONS = [  # (most often what leaves the other meetings and the people as they were)
    "words",
    "words",
    "words",
    "titles",
    "time",
    "people",
    "members",
    "titles",
    "kpis",
    "change",
    "add",
    "delete",
    "move",
    "redate",
]
# each: an action, the file it is done to (of those there, by a number), and what it adds or
# changes (a new file's place and content)
STEPS = st.lists(
    st.tuples(st.sampled_from(ACTIONS), st.integers(0, 99), SLOT, CONTENT),
    min_size=1,
    max_size=5,
)
PART = {"time": 0, "people": 1, "members": 2, "titles": 3, "kpis": 4}


def text(slot: tuple[int, int, str], content: tuple, date: str | None = None) -> str:
    board, day, kind = slot
    time, people, members, items, kpis, words = content
    lines = [
        "---",
        f'board: "{BOARDS[board]}"',
        f'date: "{date or f"2020-01-{day:02d}"}"',
        f"kind: {kind}",
    ]
    if time:
        lines.append(f'time: "{time}"')
    if people:
        lines.append("attendance:")
        for person, status, role, authority in people:
            lines += [f'  - name: "Cllr {NAMES[person]}"', f"    status: {status}"]
            lines += [f"    role: {role}"] if role else []
            lines += [f'    authority: "{authority}"'] if authority else []
    if members:
        lines.append("membership:")
        for person, group in members:
            lines += [f'  - name: "Cllr {NAMES[person]}"', f'    group: "{group}"']
    if kpis and items:
        lines.append("kpis:")
        for n, code in enumerate(kpis, 1):
            lines += [f'  - code: "{code}"', f'    period: "2019/20 Q{n}"', '    item: "1"']
            lines += [f'    target: "Target {n}"', f'    delivered: "{words} of them"']
    lines += ["---", ""]
    for n, (title, decisions) in enumerate(items, 1):
        lines += [f"## {n}. {title}".rstrip(), ""]
        lines += [f"Minute {words} of item {n} of the {kind}: naïve words, {words}.", ""]
        if decisions:
            lines += ["### Decisions", ""]
            lines += [f"- Decision {k} of the {kind}, {words % 3}." for k in range(decisions)]
            lines.append("")
    return "\n".join(lines)


def name(slot: tuple[int, int, str]) -> str:
    board, day, kind = slot
    return f"2020-01-{day:02d}-b{board}-{kind}.md"


def step(root: Path, have: dict[Path, list], action: str, pick: int, slot: tuple, new: tuple):
    """Do ``action`` to the file ``pick`` chooses among those there (``have``: path → its
    place, content and date), or add one at ``slot``."""
    if action in ("add", "change") or not have:
        path = root / name(slot)
        have[path] = [slot, new, None]
        write_aged(path, text(slot, new))
        return
    path = sorted(have)[pick % len(have)]
    slot, was, date = have[path]
    if action in PART or action == "words":
        was = list(was)
        at = PART.get(action, 5)
        was[at] = new[at] if action != "words" else was[5] + 1
        have[path][1] = tuple(was)
    elif action == "redate":
        have[path][2] = "2020-02-03" if date is None else None
    elif action == "delete":
        if len(have) > 1:
            path.unlink()
            del have[path]
        return
    elif action == "move":
        moved = path.with_name(f"{path.stem}-moved.md")
        if not moved.exists():
            path.rename(moved)
            have[moved] = have.pop(path)
        return
    write_aged(path, text(slot, *have[path][1:]))


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.lists(st.tuples(SLOT, CONTENT), min_size=3, max_size=12, unique_by=lambda f: f[0]),
    steps=STEPS,
    public=st.sampled_from([False, False, True]),
)
def test_meetings_taken_whole_write_what_a_cold_index_writes(
    tmp_path_factory, start, steps, public
):
    tmp = tmp_path_factory.mktemp("keptmeetings")
    root = tmp / "meetings"
    root.mkdir()
    have: dict[Path, list] = {}
    for slot, items in start:
        step(root, have, "add", 0, slot, items)
    cache = Cache(root, tmp / "cache" / "c.json", public=public)
    cache.update()
    for version, (action, pick, slot, new) in enumerate(steps, start=1):
        step(root, have, action, pick, slot, new)
        cache.update()
        fresh = Cache(root, tmp / f"cold-{version}" / "c.json", public=public)
        fresh.update()
        assert content(cache) == content(fresh)


PEOPLE = [(0, "present", "Chair", "Leeds City Council"), (1, "apologies", None, None)]
ITEMS = [("Budget", 1), ("", 0)]


def nine_meetings(tmp_path: Path) -> Path:
    """Three boards' meetings on three days of one half month: an agenda with a KPI and
    minutes with attendance each; the minutes of the third board's have an attendance record
    that disagrees with them."""
    root = tmp_path / "meetings"
    root.mkdir()
    items = ITEMS
    for board in range(3):
        for day in (1, 2, 3):
            agenda = (board, day, "agenda")
            write_aged(root / name(agenda), text(agenda, ("10:00", [], [], items, ["K1"], 0)))
            minutes = (board, day, "minutes")
            write_aged(root / name(minutes), text(minutes, (None, PEOPLE, [], items, [], 0)))
    record = (2, 1, "attendance")
    write_aged(
        root / name(record), text(record, (None, [(1, "present", None, None)], [], [], [], 0))
    )
    return root


class Spy:
    """What writing a shard made again: the meetings taken whole, the skeletons made of every
    meeting, the half months' people collected."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.taken: list[list[str]] = []
        self.made: list[list[str]] = []
        self.skeletons = 0
        self.people = 0
        take, month_skeleton, collect = (
            keptmeetings.take_whole,
            skeleton.month_skeleton,
            library.collect_people,
        )

        def taking(docs, before):
            whole = take(docs, before)
            if whole is not None:
                self.taken.append(sorted(m.id for m in whole.taken))
                self.made.append(sorted(m.id for m in whole.made))
            return whole

        def making(meetings, people=None):
            self.skeletons += 1
            return month_skeleton(meetings, people)

        def collecting(meetings):
            self.people += 1
            return collect(meetings)

        monkeypatch.setattr(keptmeetings, "take_whole", taking)
        monkeypatch.setattr(skeleton, "month_skeleton", making)
        monkeypatch.setattr(library, "collect_people", collecting)


def people_part(cache: Cache) -> bytes:
    index, _ = cache._load_raw()
    assert index is not None
    return (cache.shard_dir / layout.skeleton_names(index.meta.shards["2020-01-1"])[2]).read_bytes()


def test_an_edit_of_words_takes_the_other_meetings_whole(tmp_path, monkeypatch):
    """An edit of a minute's words: every other meeting of the half month is taken whole,
    no skeleton is made of all its meetings nor its people collected, its people part is
    the old one as it was, and the cache is a cold index's."""
    root = nine_meetings(tmp_path)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    people = people_part(cache)
    spy = Spy(monkeypatch)
    minutes = (2, 2, "minutes")
    write_aged(root / name(minutes), text(minutes, (None, PEOPLE, [], ITEMS, [], 5)))
    cache.update()
    assert spy.made == [["2020-01-02-cabinet"]]
    assert len(spy.taken[0]) == 8 and "2020-01-02-cabinet" not in spy.taken[0]
    assert spy.skeletons == spy.people == 0
    assert people_part(cache) == people
    monkeypatch.undo()
    assert content(cache) == content(cold(root, tmp_path))


@pytest.mark.parametrize(
    "edit",
    [
        (0, "present", "Chair", "Hampshire"),  # an authority
        (2, "present", "Chair", "Leeds City Council"),  # another person
        (0, "absent", "Chair", "Leeds City Council"),  # a status
    ],
)
def test_an_edit_of_a_meetings_people_writes_the_plain_way(tmp_path, monkeypatch, edit):
    """An edit of a meeting's attendance changes the half month's people: no meeting is
    taken whole, every meeting is made, and the cache is a cold index's."""
    root = nine_meetings(tmp_path)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    spy = Spy(monkeypatch)
    minutes = (0, 1, "minutes")
    people = [edit, PEOPLE[1]]
    write_aged(root / name(minutes), text(minutes, (None, people, [], ITEMS, [], 0)))
    cache.update()
    assert spy.taken == [] and spy.skeletons == 1
    monkeypatch.undo()
    assert content(cache) == content(cold(root, tmp_path))


def _damage(part: dict, kind: str) -> None:
    if kind == "a title's count":
        part["c"][1] += 1
    elif kind == "a title's owner":
        part["m"][-1] += 1
    elif kind == "a title lost":
        part["t"] = part["t"][part["t"].index("\0") + 1 :]
    elif kind == "a record lost":
        part["r"].pop()
    elif kind == "an item's row lost":
        part["t"].pop(0)
    else:
        assert kind == "nothing"


@pytest.mark.parametrize(
    "kind, suffix",
    [
        ("a title's count", ".heads"),
        ("a title's owner", ".heads"),
        ("a title lost", ".heads"),
        ("a record lost", ".units"),
        ("an item's row lost", ".views"),
        ("unreadable", ".people"),
        ("nothing", ".heads"),  # (the same edit, the old parts as written: taken)
    ],
)
def test_an_old_part_that_does_not_fit_is_not_taken(tmp_path, monkeypatch, kind, suffix):
    """An old skeleton or views part that does not fit the others (or cannot be read): no
    meeting is taken whole, and the cache is a cold index's."""
    root = nine_meetings(tmp_path)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    index, _ = cache._load_raw()
    assert index is not None
    part = (cache.shard_dir / index.meta.shards["2020-01-1"]).with_suffix(suffix)
    if kind == "unreadable":
        part.write_bytes(b"x\x9c not a stream")
    else:
        data = orjson.loads(unpack(part.read_bytes()))
        _damage(data, kind)
        part.write_bytes(pack(orjson.dumps(data), tight=True))
    spy = Spy(monkeypatch)
    minutes = (1, 2, "minutes")
    write_aged(root / name(minutes), text(minutes, (None, PEOPLE, [], ITEMS, [], 5)))
    cache.update()
    assert (spy.taken == [] and spy.skeletons == 1) == (kind != "nothing")
    monkeypatch.undo()
    assert content(cache) == content(cold(root, tmp_path))
