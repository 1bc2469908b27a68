"""The library read from the cache a shard at a time (each shard's documents merged into
meetings before the next is read) is the library read from the files: the same meetings in
the same order, the same people, the same problems in the same order, the same files skipped."""

from __future__ import annotations

import pytest

from tuibrowser.store import Cache, open_library


def meeting(board: str, date: str, kind: str = "minutes", extra: str = "") -> str:
    return (
        f"---\nboard: {board}\ndate: '{date}'\nkind: {kind}\nattendance:\n"
        f"  - name: Cllr Ann Lee\n    status: present\n{extra}---\n## 1. Item of {board}\nText.\n"
    )


CASES = {
    "meetings in many half months": {
        f"m{k}.md": meeting("Audit Board", f"2023-{k:02d}-{5 + k:02d}") for k in range(1, 12)
    },
    "agenda and minutes of one meeting": {
        "a.md": meeting("Audit Board", "2023-03-01", "agenda"),
        "b.md": meeting("Audit Board", "2023-03-01"),
        "c.md": meeting("Audit Board", "2023-03-20"),
    },
    "two minutes files for one meeting, in two half months' company": {
        "x1.md": meeting("Audit Board", "2023-05-02"),
        "x2.md": meeting("Audit Board", "2023-05-02"),
        "y1.md": meeting("Finance Board", "2023-01-30"),
        "y2.md": meeting("Finance Board", "2023-01-30"),
        "z.md": meeting("Finance Board", "2023-09-30"),
    },
    "two boards whose names slug alike on one date": {
        "p.md": meeting("Audit & Risk", "2023-06-01"),
        "q.md": meeting("Audit Risk", "2023-06-01"),
    },
    "bad files beside good ones": {
        "bad.md": "---\nboard: B\n---\n",
        "worse.md": "---\n: [\n---\n",
        "good.md": meeting("Audit Board", "2023-02-02", extra="time: '25:00'\n"),
    },
}


def as_data(lib) -> tuple:
    return (
        [m.to_dict() for m in lib.meetings],
        {k: p.to_dict() for k, p in lib.people.items()},
        [p.to_dict() for p in lib.problems],
        lib.skipped,
    )


@pytest.mark.parametrize("files", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("texts", [True, False], ids=["with texts", "lean"])
def test_the_library_read_a_shard_at_a_time_is_the_library_of_the_files(tmp_path, files, texts):
    root = tmp_path / "meetings"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    direct, _ = open_library(root, use_cache=False)
    lib = cache.load(texts=texts)
    assert lib is not None
    if texts:
        assert as_data(lib) == as_data(direct)
    else:  # lean: the same but for the long texts, read when a meeting is opened
        assert [m.id for m in lib.meetings] == [m.id for m in direct.meetings]
        assert as_data(lib)[1:] == as_data(direct)[1:]
        assert [lib.full(m.id).to_dict() for m in lib.meetings] == [
            m.to_dict() for m in direct.meetings
        ]
