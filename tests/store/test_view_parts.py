"""The People list's figures read from the cache's parts, before the library is loaded, are the
library's: on the bundled meetings and on a generated corpus, with ``--public`` and without;
kept for the next reader of the same generation, merged again after a refresh. A public
cache's parts are written from its redacted meetings (the shard's, as ``withhold`` left them),
so they are its redacted library's list, no more. The merge is held to the library's list for
any split of the meetings into shards and of the shards into years (a Hypothesis property);
a refresh carries the merged list to its generation when its shards keep their people."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from viewfolders import KINDS, MEETINGS, folder_of, generate, indexed

from tuibrowser.library import Library
from tuibrowser.listing import by_meeting_order
from tuibrowser.packed import unpack
from tuibrowser.people_figures import (
    PersonFigures,
    figures,
    merge_figures,
    merge_parts,
    shard_figures,
)
from tuibrowser.search.peoplefile import read_people
from tuibrowser.search.skeleton import merge_people, merge_people_rows, month_skeleton
from tuibrowser.store.cache import Cache
from tuibrowser.store.layout import people_name, skeleton_names, views_name


@pytest.fixture(params=KINDS)
def folder(request, tmp_path: Path) -> Path:
    return folder_of(request.param, tmp_path)


def _cache(root: Path, tmp_path: Path, public: bool) -> Cache:
    return indexed(root, tmp_path, public)


def _from_library(cache: Cache) -> list[PersonFigures]:
    lib = cache.load(texts=False)
    assert lib is not None
    return figures(lib)


@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
def test_the_parts_give_the_librarys_people_list(folder, tmp_path, public):
    cache = _cache(folder, tmp_path, public)
    merged = cache.people_figures()
    assert merged is not None
    expected = _from_library(cache)
    assert merged == expected
    # the whole list: attendance, substitutes, years, and meetings whose lists disagree
    assert any(f.appearances for f in expected)
    assert any(f.years for f in expected)
    assert (cache.shard_dir / views_name(cache._load_raw()[0].meta.shards)).is_file()
    assert cache.people_figures() == expected  # read back as merged


def test_the_bundled_meetings_disagreements_are_in_the_parts(tmp_path):
    """A person an attendance record names beside minutes that do not (the 2018-03-22 board):
    the disagreement is in the parts, though that meeting counts nothing for them."""
    root = folder_of("meetings", tmp_path)
    cache = _cache(root, tmp_path, False)
    merged = cache.people_figures()
    assert merged is not None
    assert any(f.conflicts for f in merged)
    assert merged == _from_library(cache)


def test_a_refresh_merges_the_figures_of_its_generation(tmp_path):
    root = folder_of("meetings", tmp_path)
    cache = _cache(root, tmp_path, False)
    before = cache.people_figures()
    old = cache.shard_dir / views_name(cache._load_raw()[0].meta.shards)
    minutes = sorted(root.rglob("*-minutes.md"))[0]
    text = minutes.read_text()
    assert "status: present" in text
    minutes.write_text(text.replace("status: present", "status: apologies", 1))
    cache.update()
    after = cache.people_figures()
    assert after == _from_library(cache)
    assert after != before
    assert not old.exists()  # the merge of the old generation went with it


def _names(cache: Cache) -> tuple[Path, Path]:
    """The folder's merged People figures and people, of the index's generation."""
    index = cache._load_raw()[0]
    assert index is not None
    shards = index.meta.shards
    return cache.shard_dir / views_name(shards), cache.shard_dir / people_name(shards)


@pytest.mark.parametrize(
    ("edit", "carried"),
    [
        ("body", (True, True)),  # an edited minute: the same people, the same attendance
        ("attendance", (False, True)),  # the same people, counted otherwise
        ("name", (False, False)),  # a name printed otherwise: the people merged again
    ],
)
def test_a_refresh_carries_the_people_when_its_shards_keep_them(tmp_path, edit, carried):
    """A minutes file edited but for whom it names and how they attended: the refresh names
    the merged People figures and people of the old generation the new one's (the next reader
    merges no shard's again); else they are merged again by the next reader, the library's."""
    root = folder_of("meetings", tmp_path)
    cache = _cache(root, tmp_path, False)
    cache.people_figures()
    assert all(p.is_file() for p in _names(cache))
    minutes = sorted(root.rglob("*-minutes.md"))[0]
    text = minutes.read_text()
    assert "status: present" in text and 'name: "Cllr ' in text
    if edit == "body":
        minutes.write_text(text + "\nEdited.\n")
    elif edit == "attendance":
        minutes.write_text(text.replace("status: present", "status: apologies", 1))
    else:
        minutes.write_text(text.replace('name: "Cllr ', 'name: "Councillor ', 1))
    cache.update()
    assert tuple(p.is_file() for p in _names(cache)) == carried
    assert cache.people_figures() == _from_library(cache)
    index = cache._load_raw()[0]
    assert index is not None
    assert cache._people(index.meta.shards) == read_people(
        merge_people(
            unpack((cache.shard_dir / skeleton_names(index.meta.shards[k])[2]).read_bytes())
            for k in sorted(index.meta.shards)
        )
    )


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Library:
    """The bundled meetings and a generated corpus, as one library's meetings."""
    tmp = tmp_path_factory.mktemp("people")
    root = tmp / "m"
    shutil.copytree(MEETINGS, root / "bundled")
    generate(root / "generated", 60)
    lib = indexed(root, tmp, False).load(texts=False)
    assert lib is not None
    return lib


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_split_into_shards_merges_to_the_librarys_people_list(bundled: Library, data):
    """The meetings cut into shards at any dates (a shard holds whole dates, oldest first, as
    the cache's half months do), the shards grouped into years at any cuts: the People list
    merged from their parts is the library's."""
    dates = sorted({m.date for m in bundled.meetings})
    cuts = data.draw(st.sets(st.sampled_from(dates)))
    shards: dict[int, list] = {}
    for m in bundled.meetings:
        shards.setdefault(sum(d <= m.date for d in cuts), []).append(m)
    parts = [sorted(shards[k], key=by_meeting_order, reverse=True) for k in sorted(shards)]
    figures_parts = [shard_figures(ms) for ms in parts]
    people = merge_people_rows(month_skeleton(ms)[2] for ms in parts)
    years = sorted(data.draw(st.sets(st.integers(1, max(1, len(parts) - 1)))))
    grouped = [
        merge_parts(figures_parts[a:b])
        for a, b in zip([0, *years], [*years, len(parts)], strict=True)
    ]
    found = merge_figures(people, grouped)
    assert found == figures(bundled)
    assert any(f.conflicts for f in found) and any(f.listed_only for f in found)
