"""``tuibrowser search`` answers from the cache's files without loading the library, and says
exactly what the library's search says: the same lines, the same JSON, the same exit status,
for people, items, decisions, actions and KPIs, with ``--public`` and without, whatever the
limit; and a file edited since the last index is seen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tuibrowser.cli import cli
from tuibrowser.cli import search as search_cli
from tuibrowser.store.cache import Cache
from tuibrowser.store.layout import people_name, people_year_names

MEETINGS = Path(__file__).resolve().parents[2] / "meetings"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"

# every kind of record, phrases, prefixes, hyphens and apostrophes, words of a title and of
# its text together, short words that no word list can narrow, and words that are nowhere
QUERIES = [
    "council", "oflog", "productivity", "digital declaration", '"local government"',
    "gov", "q3", "sector-led", "council's", "members agreed", "agreed", "noted",
    "kpi", "budget", "cllr", "chair", "conservative", "labour", "independent",
    "improvement board", "confidential", "action", "resolved", "sample", "zyzzyva",
    "peer challenge", '"budget monitoring"', "a", "ab", "2019",
]  # fmt: skip
LIMITS = ["1", "3", "50", "1000"]


def _run(root: Path, cache: Path, args: list[str]):
    result = CliRunner().invoke(cli, ["search", *args, str(root), "--cache", str(cache)])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(params=[MEETINGS, SAMPLE], ids=["meetings", "sample"])
def folder(request, tmp_path: Path) -> Path:
    root = tmp_path / "m"
    shutil.copytree(request.param, root)
    return root


def _both(root: Path, cache: Path, args: list[str], monkeypatch) -> tuple:
    """The output with the answer read from the cache's files, and with the library."""
    with monkeypatch.context() as m:
        # the fast path must not read the library: loading it fails the command
        m.setattr(Cache, "load", lambda *a, **k: pytest.fail("the library was loaded"))
        fast = _run(root, cache, args)
    with monkeypatch.context() as m:
        m.setattr(search_cli, "_from_cache", lambda *a, **k: None)
        slow = _run(root, cache, args)
    return fast, slow


@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
def test_the_cache_answers_as_the_library_does(folder, tmp_path, monkeypatch, public):
    cache = tmp_path / "cache" / "meetings.json"
    extra = ["--public"] if public else []
    for query in QUERIES:
        for limit in LIMITS:
            for form in ([], ["--json"]):
                args = [query, "--limit", limit, *form, *extra]
                fast, slow = _both(folder, cache, args, monkeypatch)
                assert fast == slow, args


def test_a_file_edited_since_the_index_is_found(tmp_path, monkeypatch):
    root = tmp_path / "m"
    shutil.copytree(MEETINGS, root)
    cache = tmp_path / "cache" / "meetings.json"
    assert _run(root, cache, ["quixotically"])[0] == 1
    target = root / "2023-07-21-improvement-innovation-board-minutes.md"
    target.write_text(target.read_text().replace("Oflog", "Quixotically"))
    fast, slow = _both(root, cache, ["quixotically"], monkeypatch)
    assert fast == slow
    assert fast[0] == 0 and "Quixotically" in fast[1]


def test_the_people_are_merged_by_the_first_query_and_kept(folder, tmp_path, monkeypatch):
    cache = tmp_path / "cache" / "meetings.json"
    shards = cache.with_name(cache.name + ".d")
    first = _both(folder, cache, ["council", "--json"], monkeypatch)
    assert first[0] == first[1]
    index = Cache(folder, cache)._load_raw()[0]
    assert index is not None
    names = {people_name(index.meta.shards), *people_year_names(index.meta.shards).values()}
    kept = sorted(p.name for p in shards.glob("people-*.json"))
    assert kept == sorted(names)  # the folder's, and each year's
    for name in kept:
        (shards / name).unlink()  # merged again from every shard's people, the same
    assert _both(folder, cache, ["council", "--json"], monkeypatch) == first
    assert sorted(p.name for p in shards.glob("people-*.json")) == kept


# How a part can be damaged: not what was written, or (packed parts, see tuibrowser.packed)
# cut short or with a byte changed, so that it no longer unpacks.
DAMAGE = {
    "replaced": lambda raw: b"not what was written",
    "cut short": lambda raw: raw[: len(raw) - 5],
    "a byte changed": lambda raw: raw[:-5] + bytes([raw[-5] ^ 0xFF]) + raw[-4:],
}
PACKED = [".units", ".heads", ".people", ".show", ".rows", ".json"]
CASES = [(part, how) for part in PACKED for how in DAMAGE] + [(".idx", "replaced")]


@pytest.mark.parametrize(("part", "how"), CASES)
def test_a_part_it_cannot_read_sends_the_query_to_the_library(folder, tmp_path, part, how):
    damage = DAMAGE[how]
    cache = tmp_path / "cache" / "meetings.json"
    shards = cache.with_name(cache.name + ".d")
    before = _run(folder, cache, ["council", "--json"])
    for p in shards.glob("people-*.json"):
        p.unlink()
    for p in shards.glob("[0-9]*" + part):  # a shard's parts (not the catalog)
        p.write_bytes(damage(p.read_bytes()))
    code, out, err = _run(folder, cache, ["council", "--json"])
    assert (code, out) == before[:2]
    if part in LONG_TEXTS_NEED:
        # where a damaged shard had long texts, the library cannot put them back
        # (store/leantexts.py): the cache is built again from the files, and says so
        assert err in (before[2], before[2] + REBUILT)
    else:
        assert err == before[2]


# What a shard's long texts are packed against (its records' text as shown): without them the
# library cannot be read from the cache either.
LONG_TEXTS_NEED = (".show", ".idx")
REBUILT = "warning: cache had entries of an unexpected shape; rebuilt it from the files\n"
