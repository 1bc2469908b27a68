"""The people of the whole folder merged a year at a time: each year's people kept in a part of
their own (``people-<hash>.json``), merged from its months' by the first reader, so that after
an edit of a name only that year's months are merged again. Merging the years gives what
merging every month gives, whatever the months hold and wherever the years fall; a year's part
missing or damaged is merged again."""

from __future__ import annotations

import os

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from viewfolders import folder_of, indexed

from tuibrowser.packed import pack, unpack
from tuibrowser.search import skeleton
from tuibrowser.search.peoplefile import read_people
from tuibrowser.search.skeleton import merge_people, merge_people_rows, merged_part, people_rows
from tuibrowser.store.layout import (
    YEAR_VIEWS,
    part_names,
    people_name,
    people_year_names,
    shard_parts,
    skeleton_names,
    views_name,
    views_year_names,
)
from tuibrowser.store.own import OWN_NAME

WORDS = st.sampled_from(["Ann", "Bo", "Cy", "Di"])
DATES = st.sampled_from(["2019-01-02", "2019-06-30", "2020-03-04", "2021-12-31"])
ROW = st.tuples(
    st.sampled_from(["ann-lee", "bo-kay", "cy-ray"]),
    st.lists(WORDS, max_size=3),
    st.lists(WORDS, max_size=2),
    st.lists(WORDS, max_size=2),
    st.lists(WORDS, max_size=2),
    st.lists(st.tuples(WORDS, st.integers(1, 3), DATES), max_size=3),
)


def month(rows: list) -> list:
    """A month's people part as a shard keeps it: a row a person, printed names unique."""
    part, seen = [], set()
    for key, names, roles, authorities, groups, printed in rows:
        if key in seen:
            continue
        seen.add(key)
        names_printed = {name: [name, n, date] for name, n, date in printed}
        part.append([key, names, roles, authorities, groups, list(names_printed.values())])
    return part


@settings(max_examples=200, deadline=None)
@given(months=st.lists(st.lists(ROW, max_size=4), max_size=8), cuts=st.sets(st.integers(0, 8)))
def test_the_years_merged_are_the_months_merged(months, cuts):
    months = [month(rows) for rows in months]
    bounds = sorted({0, len(months), *(c for c in cuts if c <= len(months))})
    years = [months[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    whole = merge_people_rows(orjson.dumps(m) for m in months)
    assert people_rows(months) == whole
    assert people_rows(merged_part(y) for y in years) == whole
    # (a year's part is kept as JSON: read back, it merges the same)
    assert people_rows(orjson.loads(orjson.dumps(merged_part(y))) for y in years) == whole


def _every_month(cache) -> list:
    shards = cache._load_raw()[0].meta.shards
    return read_people(
        merge_people(
            unpack((cache.shard_dir / skeleton_names(shards[k])[2]).read_bytes())
            for k in sorted(shards)
        )
    )


def test_a_name_edited_merges_one_years_months_again(tmp_path, monkeypatch):
    root = folder_of("generated", tmp_path)
    cache = indexed(root, tmp_path, False)
    shards = cache._load_raw()[0].meta.shards
    assert len(people_year_names(shards)) >= 3  # (the corpus spans years)
    cache.people_figures()  # the first reader: every year merged and kept
    minutes = sorted(root.rglob("*-minutes.md"))[-1]
    text = minutes.read_text(encoding="utf-8")
    assert 'name: "Cllr ' in text
    minutes.write_text(text.replace('name: "Cllr ', 'name: "Councillor ', 1), encoding="utf-8")
    cache.update()
    shards = cache._load_raw()[0].meta.shards
    merged: list[int] = []
    merge = skeleton.merged_part

    def counted(parts):
        parts = list(parts)
        merged.append(len(parts))
        return merge(parts)

    monkeypatch.setattr(skeleton, "merged_part", counted)
    people = cache._people(shards)
    year = minutes.name[:4]
    assert merged == [sum(1 for k in shards if k[:4] == year)]  # that year's months alone
    assert people == _every_month(cache)
    assert cache.people_figures() is not None


@pytest.mark.parametrize("damage", ["missing", "cut short", "not a list"])
def test_a_years_people_missing_or_damaged_is_merged_again(tmp_path, damage):
    root = folder_of("generated", tmp_path)
    cache = indexed(root, tmp_path, False)
    shards = cache._load_raw()[0].meta.shards
    cache._people(shards)
    year_file = cache.shard_dir / next(iter(people_year_names(shards).values()))
    kept = year_file.read_bytes()
    if damage == "missing":
        year_file.unlink()
    elif damage == "cut short":
        year_file.write_bytes(kept[: len(kept) // 2])
    else:
        year_file.write_bytes(pack(b'{"p": []}'))
    for name in cache.shard_dir.glob(people_name(shards)):
        name.unlink()  # (the folder's people merged again, from the years)
    assert cache._people(shards) == _every_month(cache)
    assert year_file.read_bytes() == kept  # (merged again, and kept)


def test_the_years_people_are_the_indexs_parts(tmp_path):
    """Named by the index (a refresh deletes them once superseded, as the other kept parts),
    each under a name no version takes for anything but its own, and never the folder's."""
    root = folder_of("generated", tmp_path)
    cache = indexed(root, tmp_path, False)
    index = cache._load_raw()[0]
    shards = index.meta.shards
    names = people_year_names(shards).values()
    assert set(names) <= index.meta.parts()
    assert people_name(shards) not in names
    assert all(OWN_NAME.fullmatch(n) for n in names)
    one_year = {k: v for k, v in shards.items() if k[:4] == min(shards)[:4]}
    assert people_year_names(one_year)[min(shards)[:4]] != people_name(one_year)


def test_the_index_names_every_file_a_refresh_wrote(tmp_path):
    """What :meth:`.layout.IndexMeta.parts` names (made a suffix at a time) holds each shard's
    :func:`.layout.part_names` and every file in the shards' folder after an index."""
    root = folder_of("generated", tmp_path)
    cache = indexed(root, tmp_path, False)
    meta = cache._load_raw()[0].meta
    names = list(meta.shards.values())
    assert shard_parts(names) == {p for name in names for p in part_names(name)}
    assert shard_parts(names) < meta.parts()
    assert set(os.listdir(cache.shard_dir)) <= meta.parts()


def test_each_view_of_a_year_is_kept_in_a_file_of_its_own(tmp_path, monkeypatch):
    """A year's People figures, Topics and ratings are three files, each read alone: the People
    list merged again reads the years' figures and no year's Topics or ratings."""
    root = folder_of("generated", tmp_path)
    cache = indexed(root, tmp_path, False)
    index = cache._load_raw()[0]
    shards = index.meta.shards
    before = cache.people_figures()
    cache.topics()
    names = {v: views_year_names(shards, v) for v in YEAR_VIEWS}
    for view, years in names.items():
        assert set(years.values()) <= index.meta.parts()
        assert all(OWN_NAME.fullmatch(n) for n in years.values())
        for name in years.values():
            assert list(orjson.loads(unpack((cache.shard_dir / name).read_bytes()))) == [view]
    assert len({n for years in names.values() for n in years.values()}) == 3 * len(names["a"])
    (cache.shard_dir / views_name(shards)).unlink()  # (the folder's figures merged again)
    read: list[str] = []
    views = cache._read_views

    def reading(path):
        read.append(path.name)
        return views(path)

    monkeypatch.setattr(cache, "_read_views", reading)
    assert cache.people_figures() == before
    year_files = {n for years in names.values() for n in years.values()}
    assert sorted(n for n in read if n in year_files) == sorted(names["a"].values())
