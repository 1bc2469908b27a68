"""A shard's word list (``.words``) is packed; one that does not unpack (cut short, damaged,
empty, left from the layout before it was packed) tells nothing: a query reads its month whole
and answers as it would have, from the cache's files and from the library, and a refresh that
writes the shard again makes its words anew. Never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tuibrowser.cli import cli
from tuibrowser.cli import search as search_cli
from tuibrowser.packed import pack, unpack
from tuibrowser.search.query import WordPlaces
from tuibrowser.store.cache import Cache

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"
QUERIES = ["council", "productivity", '"local government"', "sector-led", "zyzzyva", "ab"]

DAMAGE = {
    "cut": lambda raw: raw[: len(raw) // 2],
    "garbage": lambda raw: b"\x78\x9c" + bytes(range(256)) * 4,
    "empty": lambda raw: b"",
    "unpacked": unpack,  # the list as the cache kept it before: not a packed stream
    "followed": lambda raw: raw + b"more",
}


def _run(root: Path, cache: Path, query: str, library: bool, monkeypatch) -> tuple:
    with monkeypatch.context() as m:
        if library:
            m.setattr(search_cli, "_from_cache", lambda *a, **k: None)
        else:
            m.setattr(Cache, "load", lambda *a, **k: pytest.fail("the library was loaded"))
        args = ["search", query, "--json", "--limit", "1000", str(root), "--cache", str(cache)]
        result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout


@pytest.mark.parametrize("how", sorted(DAMAGE))
def test_a_damaged_word_list_reads_its_month_whole(tmp_path, monkeypatch, how):
    root = tmp_path / "m"
    shutil.copytree(MEETINGS, root)
    cache = tmp_path / "cache" / "meetings.json"
    before = {q: _run(root, cache, q, False, monkeypatch) for q in QUERIES}
    assert before["council"][0] == 0  # (something to find)
    lists = sorted(Cache(root, cache).shard_dir.glob("*.words"))
    assert lists
    for part in lists:
        part.write_bytes(DAMAGE[how](part.read_bytes()))
    for q in QUERIES:
        assert _run(root, cache, q, False, monkeypatch) == before[q], q
        assert _run(root, cache, q, True, monkeypatch) == before[q], q


def test_a_refresh_makes_a_damaged_word_list_again(tmp_path):
    root = tmp_path / "m"
    shutil.copytree(MEETINGS, root)
    cache = Cache(root, tmp_path / "cache" / "meetings.json")
    cache.update()
    for part in cache.shard_dir.glob("*.words"):
        part.write_bytes(part.read_bytes()[:-3])  # cut short
    target = sorted(root.glob("*-minutes.md"))[0]
    target.write_text(target.read_text() + "\nQuixotically edited.\n")
    cache.update()
    fresh = Cache(root, tmp_path / "fresh" / "meetings.json")
    fresh.update()
    lib, cold = cache.load(), fresh.load()
    assert lib is not None and cold is not None
    assert lib.words is not None and cold.words is not None
    # the shard written again has its words as a cold index makes them
    written = [m for m in cold.words.months if (lib.texts[m].with_suffix(".words")).is_file()]
    remade = [m for m in written if _unpacks(lib.texts[m].with_suffix(".words"))]
    assert remade
    for month in remade:
        assert lib.words.month(month) == cold.words.month(month)
    from tuibrowser.search.segments import WORD_CHARS

    found = " ".join(lib.words.month(m) for m in remade).split(" ")
    assert "quixotically"[:WORD_CHARS] in found


def _unpacks(path: Path) -> bool:
    try:
        unpack(path.read_bytes())
    except ValueError:
        return False
    return True


def test_each_months_list_is_inflated_once_for_all_the_words(tmp_path, monkeypatch):
    """Packed lists are inflated a month at a time, once for every word of a query."""
    from tuibrowser import packed
    from tuibrowser.search import query

    lists = []
    for n in range(3):
        part = tmp_path / f"m{n}.words"
        part.write_bytes(pack(b"\x011 alpha beta\x012 gamma" if n else b"\x013 delta"))
        lists.append(part)

    class Lists:
        months = ["a", "b", "c"]

    Lists.lists = lists  # type: ignore[attr-defined]
    calls = []

    def counted(raw: bytes) -> bytes:
        calls.append(raw)
        return packed.unpack(raw)

    monkeypatch.setattr(query, "unpack", counted)
    terms = ["alpha", "gamma delta", "beta"]
    expected = {"alpha": {2: 1, 3: 1}, "gamma delta": {}, "beta": {2: 1, 3: 1}}
    kept = WordPlaces(["a", "b", "c"], Lists)
    assert kept.where(terms) == expected and len(calls) == 3
    assert kept.where(terms) == expected and len(calls) == 3  # kept inflated: the browser
    lean = WordPlaces(["a", "b", "c"], Lists, keep=False)
    assert lean.where(terms) == expected and len(calls) == 6
    assert lean.where(terms) == expected and len(calls) == 9  # one month at a time, again
    assert not lean._kept


def test_a_refresh_reads_the_old_word_list(tmp_path, monkeypatch):
    """A shard written again takes the words of its unchanged blocks from its old list, which
    it inflates (read as it lies on disk, the list would not parse, and every block would be
    split into words again: the same words, for a fifth of the time of writing the shard)."""
    from tuibrowser.search import keptwords

    root = tmp_path / "m"
    shutil.copytree(MEETINGS, root)
    cache = Cache(root, tmp_path / "cache" / "meetings.json")
    cache.update()
    read = []
    groups = keptwords.OldSegment.groups

    def counted(self):
        found = groups(self)  # ValueError when the list does not parse
        read.append(len(found))
        return found

    monkeypatch.setattr(keptwords.OldSegment, "groups", counted)
    target = sorted(root.glob("*-minutes.md"))[0]
    target.write_text(target.read_text() + "\nQuixotically edited.\n")
    cache.update()
    assert read and all(read)
