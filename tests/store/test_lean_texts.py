"""A shard's documents are written without their items' minutes and reports, which its
``.long`` part keeps as what they add to its search text (store/leantexts.py): read back, every
document is the one written, byte for byte, whatever its texts hold."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuibrowser.base import shard_key
from tuibrowser.model import Document
from tuibrowser.packed import pack
from tuibrowser.store.leantexts import lean_json, lean_record, strip_texts
from tuibrowser.store.parse import parse_record
from tuibrowser.store.reader import _without_texts, shard_documents
from tuibrowser.store.shards import write_shard

ROOT = Path(__file__).resolve().parents[2] / "meetings"
DATA = Path(__file__).resolve().parents[1] / "data" / "sample"


def _parsed() -> dict[str, bytes]:
    out = {}
    for folder in (ROOT, DATA):
        for path in sorted(folder.rglob("*.md")):
            label, _, doc, json = parse_record(str(path), str(path.relative_to(folder)))
            if doc is not None and json is not None:
                out[label] = json
    return out


PARSED = _parsed()


def _written_and_read(shard_dir: Path, docs: dict[str, dict], texts: bool = True) -> dict:
    name, _ = write_shard(shard_dir, "2020-01-1", docs)
    return {e["path"]: e["document"] for e in shard_documents(shard_dir / name, texts=texts)}


def test_every_bundled_document_comes_back_whole(tmp_path):
    by_shard: dict[str, dict[str, dict]] = defaultdict(dict)
    for label, json in PARSED.items():
        doc = orjson.loads(json)
        by_shard[shard_key(doc["date"])][label] = doc
    assert sum(bool(it.get("minute")) for j in PARSED.values() for it in orjson.loads(j)["items"])
    for docs in by_shard.values():
        read = _written_and_read(tmp_path, docs)
        assert {label: orjson.dumps(d) for label, d in read.items()} == {
            label: PARSED[label] for label in docs
        }


def test_without_texts_a_document_is_what_the_lean_load_made_of_it(tmp_path):
    docs = {label: orjson.loads(json) for label, json in list(PARSED.items())[:12]}
    read = _written_and_read(tmp_path, docs, texts=False)
    for label, doc in docs.items():
        _without_texts(doc)
        _without_texts(read[label])
        assert read[label] == doc


def test_the_long_texts_are_kept_once(tmp_path):
    """Packed against the search text that shows them, the texts cost a fraction of what they
    cost packed alone (the bundled meetings: about a tenth)."""
    docs = {label: orjson.loads(json) for label, json in PARSED.items()}
    texts = [
        orjson.dumps([it.get("minute"), it.get("report")])
        for d in docs.values()
        for it in d["items"]
    ]
    by_shard: dict[str, dict[str, dict]] = defaultdict(dict)
    for label, doc in docs.items():
        by_shard[shard_key(doc["date"])][label] = doc
    kept = 0
    for docs_of in by_shard.values():
        name, _ = write_shard(tmp_path, "2020-01-1", docs_of)
        kept += (tmp_path / name).with_suffix(".long").stat().st_size
    assert kept < len(pack(b"".join(texts))) / 3


def test_a_long_part_that_does_not_fit_its_search_text_is_a_damaged_shard(tmp_path):
    docs = {label: orjson.loads(json) for label, json in list(PARSED.items())[:6]}
    name, _ = write_shard(tmp_path, "2020-01-1", docs)
    other, _ = write_shard(tmp_path, "2020-01-2", dict(list(docs.items())[:3]))
    shard = tmp_path / name
    shard.with_suffix(".long").write_bytes((tmp_path / other).with_suffix(".long").read_bytes())
    with pytest.raises(ValueError):
        shard_documents(shard)
    assert shard_documents(shard, texts=False)  # the lean load does not read it


# What folding, the text as shown and markdown's markers treat apart: blanks of every kind,
# CRLF, trailing spaces, control characters (NUL and the month's separators among them),
# emphasis and line markers, capitals whose small form is longer or another length in UTF-8,
# a final sigma, ligatures, curly quotes, dashes, slashes, apostrophes, astral characters.
ODD = [
    "\r\n", "\n", "\n\n", "  ", " \n", "\t", "\x00", "\x01", "\x02", "\x1b[31m", "\x7f",
    "\x85", "\xa0", "\u2028", "\u200b", "\ufeff", "**", "__", "`", "## ", "- ", "* ", "> ",
    "---", "İ", "ẞ", "ß", "ǅ", "Σ", "ΑΣ ", "ﬁ", "’", "‘", "“", "—", "–", "/", "'", "-",
    "é", "😀", "Ⅻ", " ", "word", "Council", "x1",
]  # fmt: skip
TEXT = st.lists(st.one_of(st.sampled_from(ODD), st.text(max_size=6)), max_size=14).map("".join)
ITEM = st.tuples(
    st.sampled_from(["1", "2", "3", "02", "3a"]),
    TEXT,  # title
    TEXT,  # minute
    st.one_of(st.none(), st.fixed_dictionaries({"summary": TEXT, "text": TEXT})),
    st.lists(TEXT, max_size=2),  # decisions
)


def _document(kind: str, items: list, template: dict) -> dict:
    doc = orjson.loads(orjson.dumps(template))
    doc["kind"] = kind
    doc["path"] = f"2020-01-07-{kind}.md"
    base = template["items"][0]
    doc["items"] = [
        {**base, "number": n, "title": t, "minute": m, "report": r, "decisions": d}
        for n, t, m, r, d in items
    ]
    doc["date"] = "2020-01-07"
    return doc


TEMPLATE = next(
    d for d in map(orjson.loads, PARSED.values()) if d["kind"] == "minutes" and d["items"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ITEM, max_size=5), st.lists(ITEM, max_size=5))
def test_any_texts_come_back_as_written(minutes: list, agenda: list) -> None:
    """Two documents of one meeting (their items merged: a record may show the text of
    another document's item, or of both): each comes back as it was written."""
    docs = {
        f"2020-01-07-{kind}.md": _document(kind, items, TEMPLATE)
        for kind, items in (("minutes", minutes), ("agenda", agenda))
    }
    written = {label: orjson.dumps(doc) for label, doc in docs.items()}
    with tempfile.TemporaryDirectory() as folder:
        read = _written_and_read(Path(folder), docs)
    assert {label: orjson.dumps(d) for label, d in read.items()} == written


def test_a_cache_whose_long_texts_are_damaged_is_built_again_and_loses_nothing(tmp_path):
    """Long texts cut short (or of another shard) never reach a reader as other text: the
    cache is rebuilt from the files, and the library is the files' own."""
    import shutil

    from tuibrowser.store.cache import Cache
    from tuibrowser.store.loading import load_library, open_store

    root = tmp_path / "meetings"
    shutil.copytree(ROOT, root)
    cache = Cache(root, tmp_path / "c.json")
    cache.update()
    longs = sorted(cache.shard_dir.glob("*.long"))
    assert longs
    for p in longs:
        p.write_bytes(p.read_bytes()[:-3])
    lib, report = load_library(cache)
    files, _ = load_library(open_store(root, no_cache=True))
    assert report.rebuilt
    assert [m.to_dict() for m in lib.meetings] == [m.to_dict() for m in files.meetings]


def _lean_as_dicts(doc: dict) -> tuple[bytes | None, bytes]:
    """What a shard wrote of a document made a dict: its JSON without its long texts (None
    when there were none), and what was taken out, in JSON."""
    taken = strip_texts(doc)
    return (orjson.dumps(doc) if taken else None), orjson.dumps(taken)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ITEM, max_size=5), st.sampled_from(["minutes", "agenda"]))
def test_a_record_is_made_lean_as_its_dict_is_and_left_as_it_was(items: list, kind: str) -> None:
    """A document parsed in the shard's process is made lean without a dict made of it: the
    same bytes, and the record unchanged."""
    as_dict = _document(kind, items, TEMPLATE)
    record = Document.from_dict(orjson.loads(orjson.dumps(as_dict)))
    before = orjson.dumps(record)
    lean, taken = lean_record(record)
    assert (lean, orjson.dumps(taken)) == _lean_as_dicts(orjson.loads(before))
    assert orjson.dumps(record) == before


@pytest.mark.parametrize("label", sorted(PARSED))
def test_every_bundled_record_is_made_lean_as_its_dict_is(label: str) -> None:
    record = Document.from_dict(orjson.loads(PARSED[label]))
    lean, taken = lean_record(record)
    assert (lean, orjson.dumps(taken)) == _lean_as_dicts(orjson.loads(PARSED[label]))
    assert orjson.dumps(record) == PARSED[label]


# Texts that look like the JSON around an item's minute and report, quotes and backslashes
JSONISH = [
    '"',
    "\\",
    '\\"',
    ',"report":',
    ',"decisions":',
    '"minute":',
    '"minute":""',
    "null",
    "{}",
]
TRICKY = st.lists(st.one_of(st.sampled_from(JSONISH + ODD), st.text(max_size=4)), max_size=10)
TRICKY_ITEM = st.tuples(
    st.sampled_from(["1", "2", '"minute":', "3a"]),
    TRICKY.map("".join),  # title
    st.one_of(st.just(""), TRICKY.map("".join)),  # minute
    st.one_of(
        st.none(),
        st.fixed_dictionaries({"summary": TRICKY.map("".join), "text": TRICKY.map("".join)}),
    ),
    st.lists(TRICKY.map("".join), max_size=2),  # decisions
)


def _as_lean_record(record: Document) -> tuple[bytes, list]:
    """What lean_record makes of ``record``: its lean JSON (the JSON itself when there is
    nothing to take out), and what it took out with that made JSON."""
    lean, taken = lean_record(record)
    json = orjson.dumps(record)
    return (json if lean is None else lean), [(n, k, orjson.dumps(t)) for n, k, t in taken]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TRICKY_ITEM, max_size=6), st.sampled_from(["minutes", "agenda"]))
def test_a_record_is_made_lean_of_its_json_as_lean_record_makes_it(items: list, kind: str) -> None:
    """The lean JSON cut out of a document's JSON (a cold index has it) is what
    lean_record writes, and what was taken out is the JSON of what it takes out, whatever
    the texts hold (JSON's own quotes and keys among them)."""
    record = Document.from_dict(orjson.loads(orjson.dumps(_document(kind, items, TEMPLATE))))
    json = orjson.dumps(record)
    assert lean_json(record, json) == _as_lean_record(record)
    assert orjson.dumps(record) == json


@pytest.mark.parametrize("label", sorted(PARSED))
def test_every_bundled_record_is_made_lean_of_its_json(label: str) -> None:
    record = Document.from_dict(orjson.loads(PARSED[label]))
    assert lean_json(record, PARSED[label]) == _as_lean_record(record)


def test_a_json_not_laid_out_as_expected_is_not_cut():
    """JSON that is not the record's (its items' minutes under another key) is left to
    lean_record."""
    label = next(lb for lb, json in sorted(PARSED.items()) if b'"minute":"' in json)
    record = Document.from_dict(orjson.loads(PARSED[label]))
    assert lean_json(record, PARSED[label].replace(b'"minute":', b'"minutes":')) is None
