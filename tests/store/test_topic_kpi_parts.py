"""Topics and the dashboard's ratings read from the cache's parts, before the library is loaded,
are the library's: on the bundled meetings and on a generated corpus, with ``--public`` and
without; kept for the next reader of the same generation, merged again after a refresh. A
public cache's parts are written from its redacted meetings, so they are its redacted
library's, no more. The merges are held to the library's for any split of the meetings into
shards (a Hypothesis property)."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from viewfolders import KINDS, MEETINGS, folder_of, generate, indexed

from tuibrowser import kpi
from tuibrowser.kpi.glance import (
    DRAWN_AT_MOST,
    PeriodGlance,
    as_rows,
    at_a_glance,
    glances,
    merge_glances,
    shard_glances,
)
from tuibrowser.library import Library
from tuibrowser.listing import by_meeting_order
from tuibrowser.packed import pack, unpack
from tuibrowser.store.cache import Cache
from tuibrowser.store.layout import view_name
from tuibrowser.topic_parts import lines, merge_items, shard_items, topics_from_parts
from tuibrowser.topics import Topic, find_topics


@pytest.fixture(params=KINDS)
def folder(request, tmp_path: Path) -> Path:
    return folder_of(request.param, tmp_path)


def _cache(root: Path, tmp_path: Path, public: bool) -> Cache:
    return indexed(root, tmp_path, public)


def _library(cache: Cache) -> Library:
    lib = cache.load(texts=False)
    assert lib is not None
    return lib


def _merged(cache: Cache, view: str) -> Path:
    index = cache._load_raw()[0]
    assert index is not None
    return cache.shard_dir / view_name(view, index.meta.shards)


@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
def test_the_parts_give_the_librarys_topics_and_ratings(folder, tmp_path, public):
    cache = _cache(folder, tmp_path, public)
    topics, ratings = cache.topics(), cache.ratings()
    lib = _library(cache)
    expected_topics, expected_periods = find_topics(lib), glances(kpi.periods(lib))
    assert topics == lines(expected_topics)
    assert ratings == at_a_glance(expected_periods)
    # the groups themselves, every appearance: the same of the parts as of the library
    index = cache._load_raw()[0]
    assert index is not None
    assert topics_from_parts(cache._years(index.meta.shards, "t")) == expected_topics
    # the whole of them: topics over several meetings, procedural ones, periods with findings
    assert any(t.meetings > 2 for t in expected_topics)
    assert any(t.procedural for t in expected_topics)
    assert expected_periods and all(p.findings for p in expected_periods)
    assert _merged(cache, "topics").is_file() and _merged(cache, "kpis").is_file()
    assert cache.topics() == lines(expected_topics)  # read back as merged
    assert cache.ratings() == at_a_glance(expected_periods)


def _items(cache: Cache) -> set[tuple[str, str]]:
    """Every item the cache's parts keep for Topics: (meeting, number)."""
    index = cache._load_raw()[0]
    assert index is not None
    parts = cache._years(index.meta.shards, "t")
    return {(m[3], n) for part in parts for m in part for n, _title in m[4]}


def test_a_public_caches_parts_keep_no_confidential_item(tmp_path):
    """The bundled meetings have confidential items: the private cache's parts keep them for
    Topics, the public cache's parts do not (they are of the redacted meetings)."""
    root = folder_of("meetings", tmp_path)
    private = _cache(root, tmp_path / "private", False)
    public = _cache(root, tmp_path / "public", True)
    confidential = {
        (m.id, it.number) for m in _library(private).meetings for it in m.items if it.confidential
    }
    assert confidential and confidential <= _items(private)
    assert not _items(public) & confidential
    assert public.topics() == lines(find_topics(_library(public)))


def test_a_refresh_merges_the_topics_and_ratings_of_its_generation(tmp_path):
    root = folder_of("meetings", tmp_path)
    cache = _cache(root, tmp_path, False)
    before = cache.topics()
    cache.ratings()
    old = [_merged(cache, "topics"), _merged(cache, "kpis")]
    minutes = sorted(root.rglob("*-minutes.md"))[0]
    text = minutes.read_text()
    assert "## 1." in text
    minutes.write_text(text.replace("## 1.", "## 1. Any other business —", 1))
    cache.update()
    lib = _library(cache)
    after = cache.topics()
    assert after == lines(find_topics(lib)) and after != before
    assert cache.ratings() == at_a_glance(glances(kpi.periods(lib)))
    assert not any(p.exists() for p in old)  # the merges of the old generation went with them


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Library:
    """The bundled meetings and a generated corpus, as one library's meetings."""
    tmp = tmp_path_factory.mktemp("parts")
    root = tmp / "m"
    shutil.copytree(MEETINGS, root / "bundled")
    generate(root / "generated", 60)
    return _library(_cache(root, tmp, False))


def _split(meetings, shards: list[int]) -> list[list]:
    """The meetings in shards (meeting ``n`` in shard ``shards[n]``), each shard in the
    order the cache writes it."""
    out: dict[int, list] = {}
    for m, s in zip(meetings, shards, strict=True):
        out.setdefault(s, []).append(m)
    return [sorted(ms, key=by_meeting_order, reverse=True) for _, ms in sorted(out.items())]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_split_into_shards_merges_to_the_librarys(bundled: Library, data):
    meetings = bundled.meetings
    shards = data.draw(st.lists(st.integers(0, 6), min_size=len(meetings), max_size=len(meetings)))
    parts = _split(meetings, shards)
    order = data.draw(st.permutations(range(len(parts))))  # the shards read in any order
    items = [shard_items(parts[i]) for i in order]
    # merged in years (any grouping of the parts) and then as a whole
    cut = data.draw(st.integers(0, len(items)))
    topics: list[Topic] = topics_from_parts([merge_items(items[:cut]), merge_items(items[cut:])])
    assert topics == find_topics(bundled)
    periods: list[PeriodGlance] = merge_glances(shard_glances(parts[i]) for i in order)
    assert periods == glances(kpi.periods(bundled))


@pytest.mark.parametrize("edit", ["body", "title"])
def test_a_refresh_carries_the_merges_when_its_shards_keep_their_titles_and_kpis(tmp_path, edit):
    """A minutes file edited but for its titles and KPIs: the refresh names the merged Topics
    and ratings of the old generation the new one's (no reader groups every title again); a
    title edited: they are merged again, by the next reader."""
    root = folder_of("meetings", tmp_path)
    cache = _cache(root, tmp_path, False)
    assert not cache.views_kept()  # no reader yet: the first groups every title
    cache.topics(), cache.ratings()
    assert cache.views_kept()  # the browser reads them in its loading worker then
    minutes = sorted(root.rglob("*-minutes.md"))[0]
    text = minutes.read_text()
    if edit == "body":
        minutes.write_text(text + "\nEdited.\n")
    else:
        minutes.write_text(text.replace("## 1.", "## 1. Any other business —", 1))
    cache.update()
    carried = _merged(cache, "topics").is_file(), _merged(cache, "kpis").is_file()
    assert carried == ((True, True) if edit == "body" else (False, True))
    assert cache.views_kept() == (edit == "body")
    lib = _library(cache)
    assert cache.topics() == lines(find_topics(lib))
    assert cache.ratings() == at_a_glance(glances(kpi.periods(lib)))


def _many_periods(root: Path, n: int) -> None:
    """``n`` meetings, each reporting one period of a KPI (the biggest stated in the oldest)."""
    root.mkdir()
    for i in range(n):
        day = f"{2000 + i // 28:04d}-01-{i % 28 + 1:02d}"
        biggest = i == 0
        (root / f"{day}-minutes.md").write_text(
            "\n".join(
                [
                    "---",
                    "board: Cabinet",
                    f'date: "{day}"',
                    "kind: minutes",
                    "kpis:",
                    '  - code: "K1"',
                    f'    period: "Period {i}"',
                    "    rating: green",
                    "summaries:",
                    f'  - period: "Period {i}"',
                    f"    total: {40 if biggest else 1}",
                    f"    green: {40 if biggest else 1}",
                    "---",
                    "",
                    "## 1. Performance",
                    "",
                ]
            )
        )


def test_the_ratings_kept_are_the_newest_periods_with_every_periods_count_and_scale(tmp_path):
    """More periods than the Ratings tab draws: the cache keeps the newest of them, how many
    there are, and the scale of every one (the oldest states the most), as the library's."""
    root = tmp_path / "m"
    _many_periods(root, DRAWN_AT_MOST + 12)
    cache = Cache(root, tmp_path / "cache" / "c.json")
    cache.update()
    lib = _library(cache)
    every = glances(kpi.periods(lib))
    assert len(every) == DRAWN_AT_MOST + 12
    ratings = cache.ratings()
    assert ratings == at_a_glance(every)
    assert ratings is not None and ratings.periods == every[:DRAWN_AT_MOST]
    assert (ratings.total, ratings.scale) == (DRAWN_AT_MOST + 12, 40)
    assert every[-1].period == "Period 0"  # the oldest, not drawn, but its scale is
    assert cache.ratings() == ratings  # read back as kept


def test_ratings_kept_by_an_earlier_version_are_merged_again(tmp_path):
    """A merged view of every period (as kept before the tab's view was) is not read as the
    tab's: it is merged again, and kept anew."""
    root = folder_of("meetings", tmp_path)
    cache = _cache(root, tmp_path, False)
    expected = cache.ratings()
    path = _merged(cache, "kpis")
    index = cache._load_raw()[0]
    assert index is not None and expected is not None
    every = merge_glances(cache._years(index.meta.shards, "k"))
    path.write_bytes(pack(orjson.dumps({"a": as_rows(every)})))  # the earlier version's
    assert cache.ratings() == expected
    assert orjson.loads(unpack(path.read_bytes()))["n"] == expected.total
