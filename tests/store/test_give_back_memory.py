"""After an update that read files, the memory it freed is handed back to the system before the
library is read (the C allocator's blocks, which the library's records cannot reuse); an
update that read nothing hands nothing back. Either way the library is the same."""

from __future__ import annotations

import pytest

from tuibrowser.store import Cache, loading

MEETING = "---\nboard: Audit Board\ndate: '2023-0{k}-0{k}'\nkind: minutes\n---\n## 1. Item\nText.\n"


@pytest.fixture
def calls(monkeypatch):
    made: list[int] = []
    real = loading.give_back_memory

    def counted() -> None:
        made.append(1)
        real()  # the real one, on this system: it never fails

    monkeypatch.setattr(loading, "give_back_memory", counted)
    return made


@pytest.mark.parametrize("changed", [0, 1, 3])
def test_memory_is_given_back_after_an_update_that_read_files(tmp_path, calls, changed):
    root = tmp_path / "meetings"
    root.mkdir()
    for k in range(1, 5):
        (root / f"m{k}.md").write_text(MEETING.format(k=k))
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    for k in range(1, changed + 1):
        (root / f"m{k}.md").write_text(MEETING.format(k=k) + "More.\n")
    lib, report = loading.load_library(cache, texts=False)
    assert len(report.read) == changed
    assert len(calls) == (1 if changed else 0)
    assert [m.id for m in lib.meetings] == [f"2023-0{k}-0{k}-audit-board" for k in (4, 3, 2, 1)]
