"""A meeting's fingerprint is of its documents' JSON as the cache stores them
(:func:`tuibrowser.listing.documents_fingerprint`): the same whichever way it is made (a cold
index, a refresh that rewrites the shard, the files read straight, the PostgreSQL store's
rows), changed when a file of the meeting changes and only then, and back to what it was when
the file is put back."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from aged import write_aged

from tuibrowser import records
from tuibrowser.listing import documents_fingerprint
from tuibrowser.store import Cache
from tuibrowser.store.files import read_files
from tuibrowser.store.pg.shardrows import meeting_rows


def text(board: str, day: int, kind: str, version: int, confidential: bool = False) -> str:
    return (
        f'---\nboard: "{board}"\ndate: "2020-01-{day:02d}"\nkind: {kind}\n'
        "attendance:\n  - name: Cllr Person\n    status: present\n---\n"
        f"## 1. Item of {board}\n\nVersion {version} of the {kind}: a minute long "
        f"enough to be kept apart.\n\n## 2. Other business\n\nNothing else.\n"
        + ("\n## 3. Private matter {confidential}\n\nNot for the public.\n" if confidential else "")
    )


def folder(tmp_path: Path) -> Path:
    root = tmp_path / "meetings"
    root.mkdir()
    for board in ("Cabinet", "Audit"):
        for day in (1, 2):
            for kind in ("agenda", "minutes"):
                write_aged(root / f"2020-01-{day:02d}-{board.lower()}-{kind}.md",
                           text(board, day, kind, 0))  # fmt: skip
    return root


def cached(root: Path, cache: Path, public: bool) -> dict[str, str]:
    store = Cache(root, cache, public=public)
    store.update()
    rows = store.rows()
    assert rows is not None
    return {r.id: r.fingerprint for r in rows}


def from_files(root: Path, public: bool) -> dict[str, str]:
    return read_files(root, public)[0].fingerprints


@pytest.mark.parametrize("public", [False, True])
def test_every_way_gives_the_same_fingerprints(tmp_path: Path, public: bool) -> None:
    root = folder(tmp_path)
    cache = tmp_path / "cache" / "c"
    first = cached(root, cache, public)
    assert len(first) == 4
    assert first == from_files(root, public)
    if not public:
        parsed, _ = records.read_folder(root)
        docs = {p.path: p.document.to_dict() for p in parsed if p.document is not None}
        pg = {r.id: orjson.loads(r.row)["fingerprint"] for r in meeting_rows(docs)}
        assert pg == first

    # one file of a meeting of two documents changed: a refresh writes its shard again, the
    # other document of the meeting kept from the old shard
    edited = root / "2020-01-02-audit-minutes.md"
    write_aged(edited, text("Audit", 2, "minutes", 1))
    now = cached(root, cache, public)
    assert {k for k in first if first[k] != now[k]} == {"2020-01-02-audit"}
    assert now == from_files(root, public) == cached(root, tmp_path / "cold" / "c", public)

    write_aged(edited, text("Audit", 2, "minutes", 0))
    assert cached(root, cache, public) == first


def test_a_public_fingerprint_is_of_the_documents_as_shown(tmp_path: Path) -> None:
    """``--public`` hashes the documents without their confidential items: a change to one of
    those does not show, one to what is shown does."""
    root = folder(tmp_path)
    minutes = root / "2020-01-01-cabinet-minutes.md"
    write_aged(minutes, text("Cabinet", 1, "minutes", 0, confidential=True))
    public, private = cached(root, tmp_path / "p" / "c", True), from_files(root, False)
    assert public == from_files(root, True)
    assert public["2020-01-01-cabinet"] != private["2020-01-01-cabinet"]
    write_aged(minutes, minutes.read_text().replace("Not for the public", "Still not"))
    assert cached(root, tmp_path / "p" / "c", True) == public
    assert from_files(root, False)["2020-01-01-cabinet"] != private["2020-01-01-cabinet"]


def test_the_fingerprint_is_of_the_documents_in_order() -> None:
    a, b = b'{"path":"a"}', b'{"path":"b"}'
    assert documents_fingerprint([a, b]) != documents_fingerprint([b, a])
    assert documents_fingerprint([a + b]) != documents_fingerprint([a, b])
    assert len(documents_fingerprint([a])) == 16
