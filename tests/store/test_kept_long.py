"""A shard written again leaves the documents of its unchanged meetings without their long
texts and carries their streams as they are (store/keptlong.py): only the documents that need
their texts are given them, and whatever the edits the cache is the one a cold index writes,
part for part."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from aged import write_aged
from cachefiles import shard_parts
from coldindex import exported
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuibrowser.packed import pack
from tuibrowser.store import Cache, keptlong, keptmeetings, leantexts, shards
from tuibrowser.store.reader import read_shard

BOARDS = ["Cabinet", "Planning", "Audit"]


def text(board: int, day: int, kind: str, version: int, untitled: bool = False) -> str:
    heading = "## 3." if untitled else "## 3. Any other business"
    return (
        f'---\nboard: "{BOARDS[board]}"\ndate: "2020-01-{day:02d}"\nkind: {kind}\n'
        "attendance:\n  - name: Cllr Person {board}\n    status: present\n---\n"
        f"## 1. Item of {BOARDS[board]}\n\nVersion {version} of the {kind}: a minute long "
        f"enough to be kept apart, said for the {day}th.\n\n## 2. Other business\n\n"
        f"Nothing else, version {version}.\n\n### Decisions\n\n- Agreed by the {kind}.\n\n"
        f"{heading}\n\nA last word of the {kind}.\n"
    )


def name(board: int, day: int, kind: str) -> str:
    return f"2020-01-{day:02d}-b{board}-{kind}.md"


def folder(tmp_path: Path, untitled: tuple[int, ...] = ()) -> Path:
    """Three boards' meetings on two days of one half month, an agenda and minutes each;
    the boards of ``untitled`` have an item without a title."""
    root = tmp_path / "meetings"
    root.mkdir()
    for board in range(3):
        for day in (1, 2):
            for kind in ("agenda", "minutes"):
                write_aged(
                    root / name(board, day, kind), text(board, day, kind, 0, board in untitled)
                )
    return root


def seen(cache: Cache) -> tuple:
    index, _ = cache._load_raw()
    assert index is not None
    searched = [cache.search_files(q, 20) for q in ("version", "last word", "cabinet")]
    return exported(cache), index.first, cache.rows(), searched, shard_parts(cache)


def cold_of(root: Path, tmp_path: Path, name: str = "cold") -> Cache:
    cold = Cache(root, tmp_path / name / "c.json")
    cold.update()
    return cold


class Spy:
    """The documents given their long texts, and the streams inflated, while it is on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.restored: list[str] = []
        self.inflated = 0
        restore, inflate = keptlong.OldLong.restore, leantexts._decompress

        def restoring(old: keptlong.OldLong, labels: set[str]) -> None:
            self.restored += sorted(labels & old.bare)
            restore(old, labels)

        def inflating(stream: bytes, zdict: bytes) -> bytes:
            self.inflated += 1
            return inflate(stream, zdict)

        monkeypatch.setattr(keptlong.OldLong, "restore", restoring)
        monkeypatch.setattr(leantexts, "_decompress", inflating)


def test_only_the_changed_meetings_documents_are_given_their_texts(tmp_path, monkeypatch):
    """An edited minute: of the half month's old documents only the edited meeting's agenda is
    given its long texts (its meeting is folded again); the other meetings' streams are
    carried, not inflated, and the cache is a cold index's."""
    root = folder(tmp_path)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    spy = Spy(monkeypatch)
    write_aged(root / name(1, 2, "minutes"), text(1, 2, "minutes", 1))
    cache.update()
    assert spy.restored == [name(1, 2, "agenda")]
    assert spy.inflated == 3  # the agenda's three items: no other stream is inflated
    monkeypatch.undo()
    assert seen(cache) == seen(cold_of(root, tmp_path))


def test_a_meeting_with_an_item_without_a_title_is_given_its_texts(tmp_path, monkeypatch):
    """An item without a title stands for itself in the skeleton's titles by its minute: an
    unchanged meeting that has one is given its long texts, and the titles are a cold
    index's."""
    root = folder(tmp_path, untitled=(2,))
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    spy = Spy(monkeypatch)
    write_aged(root / name(0, 1, "minutes"), text(0, 1, "minutes", 1))
    cache.update()
    untitled = {name(2, day, kind) for day in (1, 2) for kind in ("agenda", "minutes")}
    assert set(spy.restored) == {name(0, 1, "agenda")} | untitled
    monkeypatch.undo()
    assert seen(cache) == seen(cold_of(root, tmp_path))


def test_a_meeting_not_taken_whole_from_the_old_shard_is_written_the_plain_way(
    tmp_path, monkeypatch
):
    """When a meeting of documents left without their texts turns out, once merged, not to
    be taken whole from the old parts, every document is given its texts and the shard is
    written as before: a cold index's. (Its meetings not taken whole as they stand either:
    store/keptmeetings.py.)"""
    root = folder(tmp_path)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    spy = Spy(monkeypatch)
    refused: list[int] = []
    monkeypatch.setattr(keptmeetings, "take_whole", lambda docs, before: None)

    def not_taken(groups, records, docs, before):  # (as if one were not as the old shard has it)
        if before.long is None:
            return {}
        refused.append(len(before.long.bare))
        return None

    monkeypatch.setattr(shards, "_bare_meetings", not_taken)
    write_aged(root / name(1, 2, "minutes"), text(1, 2, "minutes", 1))
    cache.update()
    assert refused == [11]  # (the edited meeting's agenda given its texts before)
    # every old document but the edited one's old version, the agenda first
    assert len(spy.restored) == 11
    monkeypatch.undo()
    assert seen(cache) == seen(cold_of(root, tmp_path))


def test_a_meeting_found_not_the_old_ones_once_merged_leaves_the_documents_as_they_were(
    tmp_path, monkeypatch
):
    """A meeting of bare documents is merged to be checked: when it is not taken whole (here,
    as many records as the old segment holds for it, made to differ), the documents written
    the plain way are as they were read, not as merging them changed them (the minutes'
    item takes the agenda's decisions). (Its meetings not taken whole as they stand, which
    merges none of them: store/keptmeetings.py.)"""
    from tuibrowser.search import units

    root = folder(tmp_path)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    spy = Spy(monkeypatch)
    monkeypatch.setattr(keptmeetings, "take_whole", lambda docs, before: None)
    count = units._unit_count
    monkeypatch.setattr(units, "_unit_count", lambda m: count(m) + 1)
    write_aged(root / name(1, 2, "minutes"), text(1, 2, "minutes", 1))
    cache.update()
    assert len(spy.restored) == 11
    monkeypatch.undo()
    assert seen(cache) == seen(cold_of(root, tmp_path))


@pytest.mark.parametrize("damage", ["cut short", "a table of nothing", "another record's"])
def test_a_long_part_found_damaged_reads_the_files_again(tmp_path, damage):
    """An old ``.long`` part cut short, or whose table cannot be read, or whose table gives a
    stream another record (found when the edited meeting's agenda is given its texts: the
    stream does not inflate against that record's text): the half month's files are read
    again, and the cache is a cold index's."""
    root = folder(tmp_path)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    index, _ = cache._load_raw()
    assert index is not None
    part = (cache.shard_dir / index.meta.shards["2020-01-1"]).with_suffix(".long")
    raw = part.read_bytes()
    if damage == "cut short":
        raw = raw[:-5]
    elif damage == "a table of nothing":
        raw = raw[:8] + b"\0" * (len(raw) - 8)
    else:
        table, start = leantexts._table(raw)
        for label, rows in table:
            if label == name(1, 2, "agenda"):
                rows[0][1] += 1
        head = pack(orjson.dumps(table), tight=True)
        raw = raw[:4] + len(head).to_bytes(4, "little") + head + raw[start:]
    part.write_bytes(raw)
    write_aged(root / name(1, 2, "minutes"), text(1, 2, "minutes", 1))
    report = cache.update()
    assert name(0, 1, "minutes") in report.read  # (a file that did not change, read again)
    assert seen(cache) == seen(cold_of(root, tmp_path))


def test_a_stream_whose_record_is_not_the_old_one_is_packed_again(tmp_path):
    """A carried stream is written as it is only where its record is the old one; anywhere
    else it is inflated against the old record's text and packed against the new one."""
    root = folder(tmp_path)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    index, _ = cache._load_raw()
    assert index is not None
    path = cache.shard_dir / index.meta.shards["2020-01-1"]
    docs = read_shard(path, texts=False)
    old = keptlong.OldLong(path, docs, {}, {})
    whole = read_shard(path)
    for label in sorted(old.bare):
        _, taken = old.lean_of(label) or (b"", [])
        for n, _number, carried in taken:
            assert isinstance(carried, keptlong.Carried)
            saved = {
                k: whole[label]["items"][n][k]
                for k in ("minute", "report")
                if whole[label]["items"][n][k]
            }
            assert carried.data() == orjson.dumps(saved)
            stripped = {label: ("m", [(n, "1", carried)])}
            # its record the old one: the stream as it is; else made again from its texts
            same = leantexts.long_part(
                stripped,
                {("m", "1"): carried.uid},
                lambda uid: b"",
                None,
                [-1] * carried.uid + [carried.uid],
            )
            moved = leantexts.long_part(stripped, {("m", "1"): carried.uid}, old.shown, None, None)
            assert carried.stream in same
            assert moved == same


STEPS = st.lists(
    st.tuples(
        st.sampled_from(["change", "untitle", "delete", "add"]),
        st.tuples(st.integers(0, 2), st.integers(1, 2), st.sampled_from(["agenda", "minutes"])),
    ),
    min_size=1,
    max_size=5,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_whatever_the_edits_the_shard_is_a_cold_index_s(tmp_path_factory, steps):
    tmp = tmp_path_factory.mktemp("long")
    root = folder(tmp, untitled=(0,))
    cache = Cache(root, tmp / "cache" / "c.json")
    cache.update()
    for version, (action, (board, day, kind)) in enumerate(steps, start=1):
        path = root / name(board, day, kind)
        if action == "delete":
            path.unlink(missing_ok=True)
        else:
            write_aged(path, text(board, day, kind, version, untitled=action == "untitle"))
        cache.update()
        assert seen(cache) == seen(cold_of(root, tmp, f"cold-{version}"))
