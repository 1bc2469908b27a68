"""A shard written again takes the long texts' streams of the items that did not change from
its old ``.long`` part (store/leantexts.py, ``Streams``) instead of deflating them again: the
part is the one a fresh write makes, byte for byte, and an item that changed is deflated anew."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import orjson
import pytest

from tuibrowser.base import shard_key
from tuibrowser.store import leantexts
from tuibrowser.store.kept import Before
from tuibrowser.store.layout import long_name
from tuibrowser.store.parse import parse_record
from tuibrowser.store.reader import read_shard
from tuibrowser.store.shards import write_shard

ROOT = Path(__file__).resolve().parents[2] / "meetings"
DATA = Path(__file__).resolve().parents[1] / "data" / "sample"


def _shards() -> dict[str, dict[str, bytes]]:
    """The bundled documents' JSON by shard, then label."""
    out: dict[str, dict[str, bytes]] = defaultdict(dict)
    for folder in (ROOT, DATA):
        for path in sorted(folder.rglob("*.md")):
            label, _, doc, json = parse_record(str(path), str(path.relative_to(folder)))
            if doc is not None and json is not None:
                out[shard_key(orjson.loads(json)["date"])][label] = json
    return {k: v for k, v in out.items() if any(b'"minute":"' in j for j in v.values())}


SHARDS = _shards()


def _docs(key: str) -> dict[str, dict]:
    return {label: orjson.loads(json) for label, json in SHARDS[key].items()}


@pytest.mark.parametrize("key", sorted(SHARDS))
def test_a_shard_written_again_with_its_streams_is_the_one_written_fresh(tmp_path, key):
    first, _ = write_shard(tmp_path, key, _docs(key))
    streams: leantexts.Streams = {}
    kept = read_shard(tmp_path / first, streams=streams)
    assert streams  # (the bundled shards kept here all have long texts)
    again, _ = write_shard(tmp_path, key, kept, before=Before(streams))
    fresh, _ = write_shard(tmp_path, key, _docs(key))
    assert (tmp_path / long_name(again)).read_bytes() == (tmp_path / long_name(fresh)).read_bytes()
    assert read_shard(tmp_path / again) == read_shard(tmp_path / fresh)


@pytest.mark.parametrize("key", sorted(SHARDS))
def test_only_the_items_that_changed_are_deflated_again(tmp_path, monkeypatch, key):
    first, _ = write_shard(tmp_path, key, _docs(key))
    streams: leantexts.Streams = {}
    kept = read_shard(tmp_path / first, streams=streams)
    label = next(p for p, d in kept.items() if any(it.get("minute") for it in d["items"]))
    item = next(it for it in kept[label]["items"] if it.get("minute"))
    item["minute"] += "\n\nAn edit that only this item has."
    deflated: list[bytes] = []
    compress = leantexts._compress

    def counting(data: bytes, zdict: bytes) -> bytes:
        deflated.append(data)
        return compress(data, zdict)

    monkeypatch.setattr(leantexts, "_compress", counting)
    again, _ = write_shard(tmp_path, key, kept, before=Before(streams))
    # the edited item's stream is new; every other stream of the shard was taken as it was
    assert deflated and all(b"An edit that only this item has." in d for d in deflated)
    assert len(deflated) == 1
    monkeypatch.setattr(leantexts, "_compress", compress)
    assert read_shard(tmp_path / again)[label] == kept[label]


def test_a_stream_of_another_dictionary_is_not_taken(tmp_path):
    """A stream is taken only for the same text packed against the same text as shown: a
    stream kept for a dictionary the record no longer has is deflated anew, and reads back."""
    key = sorted(SHARDS)[0]
    first, _ = write_shard(tmp_path, key, _docs(key))
    streams: leantexts.Streams = {}
    kept = read_shard(tmp_path / first, streams=streams)
    # the same data under other dictionaries: none of them fits the records written now
    wrong = {(zdict + b" changed", data): stream for (zdict, data), stream in streams.items()}
    again, _ = write_shard(tmp_path, key, kept, before=Before(wrong))
    assert read_shard(tmp_path / again) == kept


@pytest.mark.parametrize("key", sorted(SHARDS))
def test_a_document_as_read_is_what_taking_its_long_texts_out_gives(tmp_path, key):
    """What a shard written again takes of a kept document as read (its JSON before its
    long texts were put back, and what they were, as the JSON each stream holds) is what
    stripping them again would give, written as orjson writes it."""
    first, _ = write_shard(tmp_path, key, _docs(key))
    lean: leantexts.Lean = {}
    kept = read_shard(tmp_path / first, lean=lean)
    assert lean
    for label, doc in kept.items():
        copy = orjson.loads(orjson.dumps(doc))
        taken = leantexts.strip_texts(copy)
        if taken:
            as_json = [(n, number, orjson.dumps(saved)) for n, number, saved in taken]
            assert lean[label] == (orjson.dumps(copy), as_json)
        else:
            assert label not in lean
