"""The People list's figures read from the cache's parts, before the library is loaded, are the
library's: on the bundled meetings and on a generated corpus, with ``--public`` and without;
kept for the next reader of the same generation, merged again after a refresh. A public
cache's parts are written from its redacted meetings (the shard's, as ``withhold`` left them),
so they are its redacted library's list, no more."""

from __future__ import annotations

from pathlib import Path

import pytest
from viewfolders import KINDS, folder_of, indexed

from tuibrowser.people_figures import PersonFigures, figures
from tuibrowser.store.cache import Cache
from tuibrowser.store.layout import views_name


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
