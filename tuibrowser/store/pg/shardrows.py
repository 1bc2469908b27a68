"""A half month's documents (one shard, :func:`tuibrowser.base.shard_key`) made into the rows
the store keeps of them: each document lean and whole, and the meeting list's rows — as an
officer sees them, and as ``--public`` shows them, made by the one redaction
(:func:`tuibrowser.library.withhold`, as the public cache makes its shards). Every document of
a meeting is in the meeting date's shard, so a shard is redacted on its own."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import orjson

from ...listing import meeting_row
from ..reader import _without_texts

if TYPE_CHECKING:
    from ...model import Meeting, Problem


@dataclass
class DocRow:
    path: str
    date: str
    lean: bytes  # Document.to_dict without its long texts, as JSON
    whole: bytes  # the whole document, as JSON


@dataclass
class MeetingListRow:
    id: str
    date: str
    time: str
    board: str
    row: bytes  # MeetingRow.to_dict, as JSON
    meeting: Meeting | None = None  # the meeting itself, for its search rows


@dataclass
class ShardRows:
    """What the store keeps of one shard, as one kind of reader sees it."""

    documents: list[DocRow] = field(default_factory=list)
    meetings: list[MeetingListRow] = field(default_factory=list)
    problems: dict[str, list[dict]] = field(default_factory=dict)  # file label → its problems


def document_rows(docs: dict[str, dict] | dict[str, bytes]) -> Iterator[DocRow]:
    """Each document (file label → ``Document.to_dict``, or it as JSON) lean and whole, by
    label, made one at a time (an ingest of every file holds no more than one)."""
    for label in sorted(docs):
        doc = docs[label]
        whole = doc if isinstance(doc, bytes) else orjson.dumps(doc)
        lean = orjson.loads(whole)
        date = lean["date"]
        _without_texts(lean)
        yield DocRow(label, date, orjson.dumps(lean), whole)


def meeting_rows(docs: dict[str, dict]) -> list[MeetingListRow]:
    """The meeting list's rows of a shard's documents (file label → ``Document.to_dict``)."""
    from ...library import group_documents, merge
    from ...listing import group_fingerprints
    from ...model import Document

    out = []
    # merging changes the documents it is given: records of their own
    records = [Document.from_dict(d) for _, d in sorted(docs.items())]
    groups = group_documents(records)
    # the fingerprints as the cache makes them: of the documents' JSON, before the merge
    made = {id(r): orjson.dumps(d) for r, (_, d) in zip(records, sorted(docs.items()), strict=True)}
    prints = group_fingerprints(groups, lambda doc: made[id(doc)])
    for m in (merge(mid, group, owned=True) for mid, group in groups.items()):
        row = meeting_row(m, prints[m.id])
        out.append(
            MeetingListRow(
                m.id, row.date, row.time or "", row.board, orjson.dumps(row.to_dict()), m
            )
        )
    return out


def public_rows(
    docs: dict[str, dict], problems: dict[str, list[Problem]], failed: list[str]
) -> ShardRows:
    """The shard's rows as ``--public`` shows them: its documents and the problems of their
    files (``problems``, by label) through :func:`tuibrowser.library.withhold`, with every
    item of a date a ``failed`` file or folder names withheld."""
    from ...library import withhold
    from ...model import Document

    labels = sorted(docs)
    found = [p for label in labels for p in problems.get(label, ())]
    records = [Document.from_dict(docs[label]) for label in labels]
    done = withhold(records, found, None, failed)
    shown = {label: d.to_dict() for label, d in zip(labels, done.documents, strict=True)}
    out = ShardRows(list(document_rows(shown)), meeting_rows(shown))
    at = 0
    for label in labels:
        count = len(problems.get(label, ()))
        out.problems[label] = [p.to_dict() for p in done.problems[at : at + count]]
        at += count
    return out


def public_problems(problems: list[Problem]) -> list[dict]:
    """The problems of a file with no document (its items unknown), as public tells them."""
    from ...library import withhold

    return [p.to_dict() for p in withhold([], problems).problems]
