"""A shard's documents are written as orjson writes its tables, whether the JSON of a document
was made when its file was parsed (a cold index makes it once) or is made when it is written."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tuibrowser.base import REDACTION
from tuibrowser.store.layout import SHARD_META
from tuibrowser.store.parse import parse_record
from tuibrowser.store.shards import documents_json

ROOT = Path(__file__).resolve().parents[2] / "meetings"
DATA = Path(__file__).resolve().parents[1] / "data" / "sample"


def _parsed() -> dict[str, tuple[object, bytes | None]]:
    out = {}
    for folder in (ROOT, DATA):
        for path in sorted(folder.rglob("*.md")):
            label, _, doc, json = parse_record(str(path), str(path.relative_to(folder)))
            if doc is not None:
                out[label] = (doc, json)
    assert len(out) > 5
    return out


PARSED = _parsed()


def _tables(docs: dict, redacted: bool) -> bytes:
    tables: dict[str, dict] = {
        "documents": {
            str(n): {"path": p, "document": docs[p]} for n, p in enumerate(sorted(docs), 1)
        }
    }
    if redacted:
        tables[SHARD_META] = {"1": {"redacted": REDACTION}}
    return orjson.dumps(tables)


@pytest.mark.parametrize("redacted", [False, True], ids=["private", "public"])
@pytest.mark.parametrize("given", ["all", "some", "none", "as dicts"])
def test_the_documents_are_written_as_orjson_writes_the_tables(redacted: bool, given: str):
    docs = {label: doc for label, (doc, _) in PARSED.items()}
    if given == "as dicts":
        docs = {label: doc.to_dict() for label, doc in docs.items()}
    dumped = {label: json for label, (_, json) in PARSED.items() if json is not None}
    assert len(dumped) == len(docs)  # every document parsed has its JSON
    if given == "some":
        dumped = dict(list(dumped.items())[::2])
    elif given in ("none", "as dicts"):
        dumped = {}
    written = documents_json(docs, dumped, redacted)
    assert written == _tables(docs, redacted)
    assert orjson.loads(written) == orjson.loads(_tables(docs, redacted))


def test_a_document_with_no_json_made_is_written_from_itself():
    label, (doc, _) = next(iter(PARSED.items()))
    assert documents_json({label: doc}, {}, False) == _tables({label: doc}, False)
